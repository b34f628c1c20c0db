//! Offers as open data: `/api/v1/offers` (the list's filters, same offers, same order, pages and
//! links), `/api/v1/providers`, the HSDS 3.0 services and organizations (the fields HSDS
//! requires, stable UUIDs, the `Page` numbers) and `/export/angebote.csv`. Nothing of an
//! unapproved provider and no draft is in any of them; an unknown address is a 404 problem, a
//! bad parameter a 400 problem naming it; a saved offer shows at once (the cache follows).

use super::*;
use domain::offers::geo::Point;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::{Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput};
use serde_json::Value;
use store::offers::OfferParts;
use time::macros::time;

mod hsds;

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Hilfe rund um **Computer**.".into(),
        email: "info@bibliothek.example".into(),
        phone: "+49 36251 1234".into(),
        website: "https://bibliothek.example".into(),
        district_id: None,
    }
}

fn offer(title: &str, category: i64, at: Point) -> OfferInput {
    OfferInput {
        title: title.into(),
        description: "Bringen Sie Ihr Gerät mit.".into(),
        category_id: category,
        age_min: None,
        age_max: None,
        attendance: Attendance::InPerson,
        place_name: "Stadtteilzentrum".into(),
        street: "Lindenweg 4".into(),
        postcode: "36251".into(),
        point: Some(at),
        online_url: String::new(),
        capacity: Some(12),
        cost_cents: None,
        cost_note: String::new(),
        access: Access::DropIn,
        accessibility: Accessibility {
            hearing_loop: true,
            ..Accessibility::default()
        },
        languages: vec!["de".into(), "tr".into()],
        state: OfferState::Published,
    }
}

/// Every Tuesday 14:00–16:00 from a Tuesday a week ago, one Tuesday left out.
fn tuesdays() -> Schedule {
    let today = crate::today_in_germany();
    let mut first = today - time::Duration::days(7);
    while first.weekday() != time::Weekday::Tuesday {
        first = first.next_day().unwrap();
    }
    Schedule {
        first,
        starts: time!(14:00),
        ends: time!(16:00),
        rule: Some(Rule::parse("FREQ=WEEKLY;BYDAY=TU").unwrap()),
        except: vec![first + time::Duration::days(14)],
    }
}

/// The city of `offers.rs`: two districts, three postcodes, a library (approved) with a café
/// (every Tuesday, for a target group, serving a measure), a paid course for adults (whose cost
/// note a spreadsheet would run as a formula) and a draft, and a pending provider with one
/// offer. The library's id, the pending provider's id and its offer's id, the café's slug.
pub(super) async fn city(db: &Db) -> (i64, i64, i64, String) {
    let centre = Point::new(50.93, 10.10).unwrap();
    let north = Point::new(50.94, 10.10).unwrap();
    let far = Point::new(50.93, 10.20).unwrap();
    let nord = db
        .save_district(None, "Nordstadt", north, false)
        .await
        .unwrap();
    db.save_district(None, "Altstadt", centre, false)
        .await
        .unwrap();
    db.save_postcode(None, "36251", Some(nord), north, false)
        .await
        .unwrap();
    db.save_postcode(None, "36259", None, far, false)
        .await
        .unwrap();
    let cats = db.offer_categories().await.unwrap();
    let (lib, _) = db
        .create_provider(
            None,
            &provider("Stadtbibliothek"),
            "<p>Hilfe</p>",
            true,
            false,
        )
        .await
        .unwrap();
    let group = db.topic_choices().await.unwrap().groups[0].id;
    let measure = db
        .measure_id_by_slug("pc-treffs-senioren")
        .await
        .unwrap()
        .unwrap();
    let schedules = [tuesdays()];
    let parts = OfferParts {
        description_html: "<p>Bringen Sie Ihr Gerät mit.</p>",
        schedules: &schedules,
        groups: &[group],
        measures: &[measure],
        district_id: Some(nord),
    };
    let (_, cafe) = db
        .create_offer(
            None,
            lib,
            &offer("IT-Café in der Bibliothek", cats[1].id, north),
            &parts,
            false,
        )
        .await
        .unwrap();
    let mut kurs = offer("Tablet-Kurs am Stadtrand", cats[0].id, far);
    kurs.cost_cents = Some(1500);
    kurs.cost_note = "=Kursgebühr".into();
    kurs.age_min = Some(18);
    kurs.accessibility = Accessibility::default();
    db.create_offer(None, lib, &kurs, &OfferParts::default(), false)
        .await
        .unwrap();
    let mut draft = offer("Geheimer Entwurf", cats[0].id, centre);
    draft.state = OfferState::Draft;
    db.create_offer(None, lib, &draft, &OfferParts::default(), false)
        .await
        .unwrap();
    let (pending, _) = db
        .create_provider(None, &provider("Noch nicht geprüft"), "", false, false)
        .await
        .unwrap();
    let (hidden, _) = db
        .create_offer(
            None,
            pending,
            &offer("Ungeprüftes Angebot", cats[0].id, centre),
            &OfferParts::default(),
            false,
        )
        .await
        .unwrap();
    (lib, pending, hidden, cafe)
}

/// The answer is an RFC 9457 problem with `status` that names `field` (when given).
pub(super) fn assert_problem(r: &Res, status: StatusCode, field: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "{}",
        r.body
    );
    let p = json(r);
    assert_eq!(p["status"], status.as_u16());
    if let Some(field) = field {
        assert_eq!(p["errors"][0]["field"], field, "{}", r.body);
    }
}

fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect()
}

db_test!(
    the_offers_api_gives_the_lists_offers_with_their_fields,
    |db| async move {
        let app = app(&db).await;
        let (_, _, _, cafe) = city(&db).await;
        let list = get(&app, "/api/v1/offers").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let page = json(&list);
        assert_eq!(page["total"], 2, "no draft, nothing of a pending provider");
        assert_eq!(
            (page["page"].as_i64(), page["per_page"].as_i64()),
            (Some(1), Some(20))
        );
        assert_eq!(
            slugs(&page),
            [cafe.clone(), "tablet-kurs-am-stadtrand".to_string()]
        );
        let o = &page["items"][0];
        assert_eq!(o["title"], "IT-Café in der Bibliothek");
        assert_eq!(o["url"], format!("https://radar.example/angebote/{cafe}"));
        assert_eq!(o["provider"]["slug"], "stadtbibliothek");
        assert_eq!(
            o["provider"]["url"],
            "https://radar.example/anbieter/stadtbibliothek"
        );
        assert!(o["category"]["slug"].is_string() && o["category"]["name"].is_string());
        assert_eq!(o["target_groups"].as_array().unwrap().len(), 1);
        assert_eq!(o["measures"][0]["slug"], "pc-treffs-senioren");
        assert_eq!(o["place"]["street"], "Lindenweg 4");
        assert_eq!(o["place"]["district"], "Nordstadt");
        assert_eq!(o["place"]["lat"], 50.94);
        assert_eq!(o["cost"]["free"], true);
        assert!(o["cost"]["cents"].is_null());
        assert_eq!(o["access"], "drop_in");
        assert_eq!(o["accessibility"]["hearing_loop"], true);
        assert_eq!(o["accessibility"]["step_free"], false);
        assert_eq!(o["languages"], serde_json::json!(["de", "tr"]));
        assert_eq!(o["schedules"][0]["rrule"], "FREQ=WEEKLY;BYDAY=TU");
        assert_eq!(o["schedules"][0]["starts"], "14:00");
        assert_eq!(o["schedules"][0]["except"].as_array().unwrap().len(), 1);
        let next = o["next_dates"].as_array().unwrap();
        assert_eq!(next.len(), 5);
        for d in next {
            let d = d.as_str().unwrap();
            assert!(
                d.contains("T14:00:00+0"),
                "{d}: German time with its offset"
            );
        }
        assert!(o.get("distance_m").is_none(), "no place given");
        let kurs = &page["items"][1];
        assert_eq!(
            (
                kurs["cost"]["free"].as_bool(),
                kurs["cost"]["cents"].as_i64()
            ),
            (Some(false), Some(1500))
        );
        assert_eq!(kurs["age_min"], 18);
        // The filters of the list, with the same results in the same order.
        let far = json(&get(&app, "/api/v1/offers?postcode=36259").await);
        assert_eq!(
            slugs(&far),
            ["tablet-kurs-am-stadtrand".to_string(), cafe.clone()],
            "nearest first"
        );
        assert_eq!(far["items"][0]["distance_m"], 0);
        let d = far["items"][1]["distance_m"].as_i64().unwrap();
        assert!((7000..7200).contains(&d), "{d} m");
        for (q, total) in [
            ("free=1", 1),
            ("day=tu&access=hearing_loop", 1),
            ("q=Tablet", 1),
            ("day=we", 0),
            ("language=tr", 2),
            ("age=10", 1),
        ] {
            let r = json(&get(&app, &format!("/api/v1/offers?{q}")).await);
            assert_eq!(r["total"], total, "{q}");
        }
        // Pages and their links keep the filter.
        let first = json(&get(&app, "/api/v1/offers?per_page=1&language=tr").await);
        assert_eq!((first["total"].as_i64(), slugs(&first).len()), (Some(2), 1));
        assert!(first["links"]["prev"].is_null());
        let next = first["links"]["next"].as_str().unwrap();
        assert_eq!(
            next,
            "https://radar.example/api/v1/offers?page=2&per_page=1&language=tr"
        );
        assert_eq!(first["links"]["last"], next);
        let second = json(&get(&app, next.trim_start_matches("https://radar.example")).await);
        assert_eq!(slugs(&second), ["tablet-kurs-am-stadtrand".to_string()]);
        assert!(second["links"]["next"].is_null());
        // One offer; what is not public is not found.
        let one = get(&app, &format!("/api/v1/offers/{cafe}")).await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(json(&one)["schedules"], o["schedules"]);
        for slug in ["geheimer-entwurf", "ungeprueftes-angebot", "gibt-es-nicht"] {
            assert_problem(
                &get(&app, &format!("/api/v1/offers/{slug}")).await,
                StatusCode::NOT_FOUND,
                None,
            );
        }
        // Bad values are 400 problems naming their parameter.
        for (q, field) in [
            ("category=gibt-es-nicht", "category"),
            ("age=200", "age"),
            ("postcode=99999", "postcode"),
            ("radius=5", "radius"),
            ("lat=50.9", "lon"),
            ("page=0", "page"),
            ("per_page=101", "per_page"),
        ] {
            assert_problem(
                &get(&app, &format!("/api/v1/offers?{q}")).await,
                StatusCode::BAD_REQUEST,
                Some(field),
            );
        }
    }
);

db_test!(
    the_providers_api_lists_approved_providers_and_their_offers,
    |db| async move {
        let app = app(&db).await;
        let (_, _, _, cafe) = city(&db).await;
        let list = json(&get(&app, "/api/v1/providers").await);
        assert_eq!(list["total"], 1, "not the pending provider");
        let p = &list["items"][0];
        assert_eq!(
            (p["slug"].as_str(), p["offers"].as_i64()),
            (Some("stadtbibliothek"), Some(2))
        );
        assert_eq!(p["phone"], "+49 36251 1234");
        let one = json(&get(&app, "/api/v1/providers/stadtbibliothek").await);
        assert_eq!(one["description"], "Hilfe rund um **Computer**.");
        let offers: Vec<&str> = one["offers_page"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["slug"].as_str().unwrap())
            .collect();
        assert_eq!(offers, [cafe.as_str(), "tablet-kurs-am-stadtrand"]);
        assert!(one["offers_page"]["next"].is_null());
        assert_problem(
            &get(&app, "/api/v1/providers/noch-nicht-geprueft").await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_problem(
            &get(&app, "/api/v1/providers?per_page=x").await,
            StatusCode::BAD_REQUEST,
            Some("per_page"),
        );
    }
);

db_test!(
    the_offers_csv_lists_public_offers_and_the_cache_follows_a_write,
    |db| async move {
        let app = app(&db).await;
        let (lib, _, _, cafe) = city(&db).await;
        let csv = get(&app, "/export/angebote.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(csv.body.starts_with("\u{feff}id;slug;url;title;"));
        assert_eq!(csv.body.lines().count(), 3, "{}", csv.body);
        assert!(
            csv.body.contains("IT-Café in der Bibliothek")
                && csv.body.contains("Tablet-Kurs am Stadtrand")
        );
        assert!(!csv.body.contains("Ungeprüftes") && !csv.body.contains("Geheimer Entwurf"));
        assert!(
            csv.body.contains(" RRULE:FREQ=WEEKLY;BYDAY=TU EXDATE:"),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains(";'=Kursgebühr;"),
            "a formula is escaped: {}",
            csv.body
        );
        assert!(csv.body.contains(";1500;"), "numbers as they are");
        assert!(csv.body.contains(";hearing_loop;de|tr;"));
        let free = get(&app, "/export/angebote.csv?free=1").await;
        assert_eq!(free.body.lines().count(), 2);
        // A saved offer shows at once in the cached answers.
        let paths = [
            format!("/api/v1/offers/{cafe}"),
            "/api/v1/offers".into(),
            "/api/hsds/services".into(),
            "/export/angebote.csv".into(),
        ];
        for path in &paths {
            assert!(
                get(&app, path)
                    .await
                    .body
                    .contains("IT-Café in der Bibliothek"),
                "{path}"
            );
        }
        let o = db.public_offer(&cafe).await.unwrap().unwrap();
        let mut input = o.input.clone();
        input.title = "Digital-Café in der Bibliothek".into();
        let schedules = o.schedules.clone();
        let parts = OfferParts {
            schedules: &schedules,
            ..OfferParts::default()
        };
        let admin = db
            .create_user(
                "admin@musterstadt.example",
                "Admin",
                &[domain::accounts::Role::Admin],
            )
            .await
            .unwrap();
        assert!(
            db.update_offer(admin, lib, o.id, &input, &parts)
                .await
                .unwrap()
        );
        for path in &paths {
            assert!(
                get(&app, path)
                    .await
                    .body
                    .contains("Digital-Café in der Bibliothek"),
                "{path}"
            );
        }
    }
);
