//! The list sorted by distance over many offers: the page found in growing circles around the
//! point is the page of the whole list sorted by distance, on every page, with and without
//! filters, whether the nearest circle holds a page or none does. On both engines.

use super::offers::{offer, provider};
use super::*;
use domain::offers::geo::Point;
use store::offers::OfferParts;
use store::offers::search::{Near, OfferFilter};
use time::macros::date;

db_test!(
    the_nearest_first_found_in_circles_is_the_whole_list_sorted,
    |db| async move {
        let cats = db.offer_categories().await.unwrap();
        let (pid, _) = db
            .create_provider(None, &provider("Volkshochschule"), "", true, false)
            .await
            .unwrap();
        // 300 offers on a grid of 15 × 20 places, 700 m apart north–south and 1 km east–west
        // (about 10 × 20 km), two categories, every third one with a cost; and a few online
        // offers without a place, which come last.
        for i in 0..300 {
            let at = Point::new(
                50.88 + f64::from(i / 20) * 0.0063,
                9.96 + f64::from(i % 20) * 0.0142,
            )
            .unwrap();
            let mut o = offer(&format!("Kurs {i:03}"), cats[i as usize % 2].id, Some(at));
            if i % 3 == 0 {
                o.cost_cents = Some(500);
            }
            db.create_offer(None, pid, &o, &OfferParts::default(), false)
                .await
                .unwrap();
        }
        for i in 0..3 {
            let mut o = offer(&format!("Online {i}"), cats[0].id, None);
            o.attendance = domain::offers::Attendance::Online;
            o.online_url = "https://vhs.example/raum".into();
            o.place_name = String::new();
            db.create_offer(None, pid, &o, &OfferParts::default(), false)
                .await
                .unwrap();
        }
        let today = date!(2026 - 12 - 01);
        let ids = |f: OfferFilter, page: i64| {
            let db = db.clone();
            async move {
                let (found, n) = db.public_offers(today, &f, page, 20).await.unwrap();
                (found.iter().map(|x| x.offer.id).collect::<Vec<_>>(), n)
            }
        };
        // In the middle of the grid, at its edge, and far outside it (no circle holds a page).
        for origin in [(50.92, 10.10), (50.88, 9.96), (51.40, 10.80)] {
            let origin = Point::new(origin.0, origin.1).unwrap();
            for free in [false, true] {
                let near = |radius_m| OfferFilter {
                    free,
                    near: Some(Near { origin, radius_m }),
                    ..OfferFilter::default()
                };
                for page in [1, 2, 5, 8] {
                    // A radius wider than the world: every match sorted, the reference.
                    let all = ids(near(Some(40_000_000.0)), page).await;
                    let ringed = ids(near(None), page).await;
                    assert_eq!(
                        ringed.0, all.0,
                        "origin {origin:?}, free {free}, page {page}"
                    );
                    // The offers without a place are counted, not in a circle.
                    assert_eq!(ringed.1, all.1 + 3);
                }
            }
        }
        // The last page holds the offers without a place, after every place.
        let (last, n) = ids(
            OfferFilter {
                near: Some(Near {
                    origin: Point::new(50.92, 10.10).unwrap(),
                    radius_m: None,
                }),
                ..OfferFilter::default()
            },
            16,
        )
        .await;
        assert_eq!(n, 303);
        assert_eq!(last.len(), 3);
    }
);
