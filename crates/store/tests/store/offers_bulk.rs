//! Offers created in bulk (the benchmark's large directories): the same offers as
//! `create_offer` makes, with free addresses, a transaction per thousand. On both engines.

use super::offers::{offer, tuesdays};
use super::*;
use domain::offers::geo::Point;
use domain::offers::{Accessibility, OfferInput, ProviderInput};
use store::offers::OfferParts;
use store::offers::search::OfferFilter;
use time::macros::date;

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Hilfe rund um Computer und Smartphone.".into(),
        email: String::new(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

db_test!(
    offers_created_in_bulk_are_those_create_offer_makes,
    |db| async move {
        let cats = db.offer_categories().await.unwrap();
        let (first, _) = db
            .create_provider(None, &provider("Stadtbibliothek"), "", true, false)
            .await
            .unwrap();
        let (second, _) = db
            .create_provider(None, &provider("Volkshochschule"), "", true, false)
            .await
            .unwrap();
        let at = Point::new(50.93, 10.10).unwrap();
        let district = db.save_district(None, "Altstadt", at, false).await.unwrap();
        let on_site = OfferInput {
            age_min: Some(60),
            accessibility: Accessibility {
                step_free: true,
                ..Accessibility::default()
            },
            languages: vec!["de".into(), "tr".into()],
            ..offer("PC-Hilfe", cats[1].id, Some(at))
        };
        let schedules = [tuesdays()];
        let parts = OfferParts {
            description_html: "<p>Hilfe am eigenen Gerät.</p>",
            schedules: &schedules,
            groups: &[],
            measures: &[],
            district_id: Some(district),
        };
        let (single, slug) = db
            .create_offer(None, first, &on_site, &parts, false)
            .await
            .unwrap();
        assert_eq!(slug, "pc-hilfe");

        // 1,001 offers: two transactions. The first three have the title of the one above.
        let online = OfferParts {
            district_id: None,
            ..parts.clone()
        };
        let many: Vec<(i64, OfferInput, OfferParts<'_>)> = (0..1001)
            .map(|i| {
                if i < 3 {
                    (first, on_site.clone(), parts.clone())
                } else {
                    let o = offer(&format!("Smartphone-Kurs {i}"), cats[0].id, None);
                    (if i % 2 == 0 { first } else { second }, o, online.clone())
                }
            })
            .collect();
        let created = db.create_offers_bulk(&many, true).await.unwrap();
        assert_eq!(created.len(), 1001);
        let slugs: Vec<&str> = created[..4].iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "pc-hilfe-2",
                "pc-hilfe-3",
                "pc-hilfe-4",
                "smartphone-kurs-3"
            ]
        );
        let ids: std::collections::BTreeSet<i64> = created.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), 1001);

        // Stored as create_offer stores it: fields, schedules, languages, district, provider.
        let one = db.offer_by_id(single).await.unwrap().unwrap();
        let bulk = db.offer_by_id(created[0].0).await.unwrap().unwrap();
        assert_eq!(bulk.input, one.input);
        assert_eq!(bulk.schedules, one.schedules);
        assert_eq!(bulk.description_html, one.description_html);
        assert_eq!(
            (bulk.district.as_deref(), bulk.provider_id),
            (Some("Altstadt"), first)
        );
        let last = db.offer_by_id(created[1000].0).await.unwrap().unwrap();
        assert_eq!(
            (last.input.title.as_str(), last.provider_id),
            ("Smartphone-Kurs 1000", first)
        );
        assert_eq!(
            db.public_offer("smartphone-kurs-1000")
                .await
                .unwrap()
                .unwrap()
                .id,
            created[1000].0
        );

        // Public, found by their words and filters, and audited each.
        let today = date!(2026 - 03 - 02);
        let all = OfferFilter::default();
        assert_eq!(db.public_offers(today, &all, 1, 10).await.unwrap().1, 1002);
        let words = OfferFilter {
            terms: domain::text::search_terms("Smartphone Kurs"),
            ..OfferFilter::default()
        };
        assert_eq!(db.public_offers(today, &words, 1, 10).await.unwrap().1, 998);
        let senior = OfferFilter {
            age: Some(70),
            category: Some(cats[1].id),
            accessibility: Accessibility {
                step_free: true,
                ..Accessibility::default()
            },
            language: Some("tr".into()),
            ..OfferFilter::default()
        };
        assert_eq!(db.public_offers(today, &senior, 1, 10).await.unwrap().1, 4);
        assert_eq!(
            db.audit_entries(Some("offer.create"), 1, 0)
                .await
                .unwrap()
                .1,
            1002
        );
        assert_eq!(
            db.provider_offers(second, false, 1, 1).await.unwrap().1,
            499
        );
    }
);

db_test!(
    a_batch_with_an_unknown_provider_creates_none_of_its_offers,
    |db| async move {
        let cats = db.offer_categories().await.unwrap();
        let (known, _) = db
            .create_provider(None, &provider("Stadtbibliothek"), "", true, false)
            .await
            .unwrap();
        let parts = OfferParts::default();
        let batch = vec![
            (
                known,
                offer("Tablet-Treff", cats[0].id, None),
                parts.clone(),
            ),
            (known + 1000, offer("Coding-Club", cats[0].id, None), parts),
        ];
        assert!(db.create_offers_bulk(&batch, true).await.is_err());
        let all = OfferFilter::default();
        let today = date!(2026 - 03 - 02);
        assert_eq!(db.public_offers(today, &all, 1, 10).await.unwrap().1, 0);
        assert_eq!(
            db.audit_entries(Some("offer.create"), 1, 0)
                .await
                .unwrap()
                .1,
            0
        );
        // The addresses were not used up: the next offer of that title gets the plain one.
        let created = db.create_offers_bulk(&batch[..1], true).await.unwrap();
        assert_eq!(created[0].1, "tablet-treff");
    }
);
