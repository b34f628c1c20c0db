//! Offers, public pages: the list with words, filters and distance from a district or
//! postcode; an offer's page and its calendar file; the providers; the calendar of a filtered
//! list. Nothing of an unapproved provider and no draft is public; a bad or unknown value is
//! named at its field and changes nothing; a saved offer shows at once (the cache follows).

use super::*;
use domain::offers::geo::Point;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::{Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput};
use store::offers::OfferParts;
use time::macros::time;

pub(super) fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Hilfe rund um **Computer**.".into(),
        email: "info@bibliothek.example".into(),
        phone: "+49 36251 1234".into(),
        website: "https://bibliothek.example".into(),
        district_id: None,
    }
}

pub(super) fn offer(title: &str, category: i64, at: Point) -> OfferInput {
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
pub(super) fn tuesdays() -> Schedule {
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

/// A city with two districts and three postcodes, a library (approved) with two offers and a
/// pending provider with one; the library's slugs.
pub(super) async fn city(db: &Db) -> (i64, String, String) {
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
    let (lib, lib_slug) = db
        .create_provider(
            None,
            &provider("Stadtbibliothek"),
            "<p>Hilfe rund um <strong>Computer</strong>.</p>",
            true,
            false,
        )
        .await
        .unwrap();
    let schedules = [tuesdays()];
    let parts = OfferParts {
        description_html: "<p>Bringen Sie Ihr Gerät mit.</p>",
        schedules: &schedules,
        ..OfferParts::default()
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
    kurs.cost_note = "Kursgebühr".into();
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
    db.create_offer(
        None,
        pending,
        &offer("Ungeprüftes Angebot", cats[0].id, centre),
        &OfferParts::default(),
        false,
    )
    .await
    .unwrap();
    (lib, lib_slug, cafe)
}

db_test!(
    the_list_finds_offers_by_words_filters_and_distance,
    |db| async move {
        let app = app(&db).await;
        let (_, _, cafe) = city(&db).await;
        let list = get(&app, "/angebote").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("2 Angebote"));
        assert!(
            list.body.contains("IT-Café in der Bibliothek")
                && list.body.contains("Tablet-Kurs am Stadtrand")
        );
        assert!(
            !list.body.contains("Geheimer Entwurf"),
            "a draft is not public"
        );
        assert!(
            !list.body.contains("Ungeprüftes Angebot"),
            "nothing of an unapproved provider is public"
        );
        assert!(list.body.contains("jeden Dienstag, 14:00–16:00 Uhr"));
        assert!(list.body.contains("Nächster Termin: Di., "));
        assert!(list.body.contains("15,00 €") && list.body.contains("kostenlos"));
        assert!(list.body.contains("Induktionsschleife"));
        // From the far postcode the course comes first, with its distance.
        let far = get(&app, "/angebote?postcode=36259").await;
        assert_eq!(far.status, StatusCode::OK);
        let (kurs, it) = (
            far.body.find("Tablet-Kurs").unwrap(),
            far.body.find("IT-Café").unwrap(),
        );
        assert!(kurs < it, "nearest first");
        assert!(
            far.body.contains("0 m entfernt") && far.body.contains("7,1 km entfernt"),
            "{}",
            far.body
        );
        // Within 2 km of the Nordstadt: only the café.
        let near = get(&app, "/angebote?district=nordstadt&radius=2").await;
        assert!(near.body.contains("Ein Angebot gefunden.") && near.body.contains("IT-Café"));
        // Words, a day and a feature; the pager and the calendar links keep the filter.
        let words = get(
            &app,
            "/angebote?q=Caf%C3%A9&day=tu&access=hearing_loop&free=1",
        )
        .await;
        assert!(
            words.body.contains("Ein Angebot gefunden."),
            "{}",
            words.body
        );
        let at = words.body.find("/angebote/kalender?").unwrap();
        assert!(words.body[at..].starts_with(
            "/angebote/kalender?q=Caf%C3%A9&#38;day=tu&#38;free=1&#38;access=hearing_loop\""
        ));
        assert_eq!(
            count(
                &get(&app, "/angebote?day=we").await.body,
                "<li class=\"offer-card\">"
            ),
            0
        );
        assert!(
            get(&app, "/angebote?language=tr")
                .await
                .body
                .contains("2 Angebote")
        );
        // The café's page.
        let page = get(&app, &format!("/angebote/{cafe}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<strong>Computer</strong>")
                || page.body.contains("Bringen Sie Ihr Gerät mit.")
        );
        assert!(page.body.contains("Deutsch, Türkisch"));
        assert!(
            page.body
                .contains("Ohne Anmeldung: Kommen Sie einfach vorbei.")
        );
        assert!(page.body.contains("href=\"/anbieter/stadtbibliothek\""));
        assert!(page.body.contains("href=\"tel:+49362511234\""));
        assert!(
            page.body.contains("Nicht am "),
            "the Tuesday left out is named"
        );
        assert!(page.body.contains("geo:50.94000,10.10000"));
        assert_eq!(
            get(&app, "/angebote/geheimer-entwurf").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, "/angebote/ungeprueftes-angebot").await.status,
            StatusCode::NOT_FOUND
        );
        // The providers: the library, not the pending one.
        let providers = get(&app, "/anbieter").await;
        assert!(
            providers.body.contains("Stadtbibliothek")
                && !providers.body.contains("Noch nicht geprüft")
        );
        let lib = get(&app, "/anbieter/stadtbibliothek").await;
        assert!(lib.body.contains("2 Angebote") && lib.body.contains("IT-Café in der Bibliothek"));
        assert!(!lib.body.contains("Geheimer Entwurf"));
        assert_eq!(
            get(&app, "/anbieter/noch-nicht-geprueft").await.status,
            StatusCode::NOT_FOUND
        );
        // English.
        let en = get(&app, "/angebote?lang=en&postcode=36259").await;
        assert!(
            en.body.contains("2 offers found.") && en.body.contains("every Tuesday, 14:00–16:00")
        );
    }
);

db_test!(
    bad_filter_values_are_named_at_their_field,
    |db| async move {
        let app = app(&db).await;
        city(&db).await;
        let unknown = get(&app, "/angebote?postcode=99999&q=Caf%C3%A9").await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert!(
            unknown
                .body
                .contains("Die Postleitzahl 99999 liegt nicht in unserer Stadt.")
        );
        assert!(
            unknown
                .body
                .contains("id=\"f-postcode\" name=\"postcode\" value=\"99999\"")
        );
        assert!(unknown.body.contains("aria-invalid=\"true\""));
        assert!(
            unknown.body.contains("value=\"Café\""),
            "what was typed stays"
        );
        assert!(
            !unknown.body.contains("offer-card"),
            "no list for a bad query"
        );
        let short = get(&app, "/angebote?postcode=123").await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);
        assert!(short.body.contains("„123“ ist keine Postleitzahl."));
        for (q, field) in [
            ("category=gibt-es-nicht", "category"),
            ("age=200", "age"),
            ("day=xx", "day"),
            ("radius=3&district=nordstadt", "radius"),
            ("radius=5", "radius"),
            ("lat=50.9", "lon"),
            ("lat=95&lon=10", "lat"),
            ("access=aufzug", "access"),
            ("page=0", "page"),
        ] {
            let r = get(&app, &format!("/angebote?{q}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
            assert!(r.body.contains("role=\"alert\""), "{q}");
            let ics = get(&app, &format!("/angebote/kalender.ics?{q}")).await;
            assert_eq!(ics.status, StatusCode::BAD_REQUEST, "{q}");
            assert!(
                ics.body.contains(field)
                    || ics.body.contains("Filter")
                    || ics.body.contains("Seitenzahl"),
                "{q}: {}",
                ics.body
            );
        }
        assert_eq!(
            get(&app, "/angebote/kalender?from=1999-01-01").await.status,
            StatusCode::BAD_REQUEST
        );
    }
);

db_test!(calendars_hold_the_dates_with_their_rules, |db| async move {
    let app = app(&db).await;
    let (lib, _, cafe) = city(&db).await;
    let ics = get(&app, &format!("/angebote/{cafe}/kalender.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(ics.body.contains("RRULE:FREQ=WEEKLY;BYDAY=TU\r\n"));
    assert!(ics.body.contains("EXDATE;TZID=Europe/Berlin:"));
    assert!(ics.body.contains("DTSTART;TZID=Europe/Berlin:") && ics.body.contains("T140000\r\n"));
    assert!(ics.body.contains("UID:offer-"));
    let all = get(&app, "/angebote/kalender.ics?free=1").await;
    assert_eq!(
        count(&all.body, "BEGIN:VEVENT"),
        1,
        "the café's one schedule"
    );
    let cal = get(&app, "/angebote/kalender").await;
    assert_eq!(cal.status, StatusCode::OK);
    assert!(count(&cal.body, "IT-Café in der Bibliothek") >= 1);
    assert!(cal.body.contains("14:00–16:00"));
    assert!(cal.body.contains("rel=\"next\""));
    // A saved offer shows at once on the cached pages.
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
    assert!(
        get(&app, "/angebote")
            .await
            .body
            .contains("Digital-Café in der Bibliothek")
    );
    assert!(
        get(&app, "/angebote/kalender")
            .await
            .body
            .contains("Digital-Café in der Bibliothek")
    );
    assert!(
        get(&app, &format!("/angebote/{cafe}/kalender.ics"))
            .await
            .body
            .contains("SUMMARY:Digital-Café")
    );
});

db_test!(a_measure_lists_its_public_offers, |db| async move {
    let app = app(&db).await;
    let (lib, _, _) = city(&db).await;
    let measure = db
        .measure_id_by_slug("pc-treffs-senioren")
        .await
        .unwrap()
        .unwrap();
    let page = "/massnahmen/pc-treffs-senioren";
    assert!(!get(&app, page).await.body.contains("Angebote dazu"));
    let cats = db.offer_categories().await.unwrap();
    let parts = OfferParts {
        measures: &[measure],
        ..OfferParts::default()
    };
    let at = Point::new(50.93, 10.10).unwrap();
    db.create_offer(
        None,
        lib,
        &offer("PC-Treff im Rathaus", cats[1].id, at),
        &parts,
        false,
    )
    .await
    .unwrap();
    let shown = get(&app, page).await;
    assert!(shown.body.contains("Angebote dazu") && shown.body.contains("PC-Treff im Rathaus"));
    // The provider declined: its offer leaves the measure's page too.
    let admin = db
        .create_user(
            "admin@musterstadt.example",
            "Admin",
            &[domain::accounts::Role::Admin],
        )
        .await
        .unwrap();
    db.decide_provider(admin, lib, false, "Kein Angebot in der Stadt")
        .await
        .unwrap();
    assert!(!get(&app, page).await.body.contains("PC-Treff im Rathaus"));
});

db_test!(a_map_only_from_the_citys_own_tile_server, |db| async move {
    let (_, _, cafe) = city(&db).await;
    // Without the setting: no map, and the page allows images from itself only.
    let plain = app(&db).await;
    let r = get(&plain, &format!("/angebote/{cafe}")).await;
    assert!(!r.body.contains("<figure class=\"map\""));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
    // With the city's tile server: the offer's place and the list's page, and the CSP names
    // that origin and no other.
    let mut state = demo_state(&db).await;
    assert!(state.configure(|s| {
        s.map = Some(
            web::map::Tiles::new(
                "https://karte.musterstadt.example/{z}/{x}/{y}.png",
                "© OpenStreetMap-Mitwirkende",
            )
            .unwrap(),
        );
    }));
    let mapped = web::router(state);
    let r = get(&mapped, &format!("/angebote/{cafe}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<figure class=\"map\""), "{}", r.body);
    assert!(
        r.body
            .contains("href=\"https://karte.musterstadt.example/17/")
    );
    assert!(r.body.contains("© OpenStreetMap-Mitwirkende"));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://karte.musterstadt.example;"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let list = get(&mapped, "/angebote?district=nordstadt").await;
    assert!(list.body.contains("class=\"map-number\""), "{}", list.body);
    assert!(list.body.contains("class=\"map-label\""));
    // The map is a figure beside the list: the list still holds every offer of the page.
    assert_eq!(
        count(&list.body, "class=\"offer-card\""),
        count(
            &get(&plain, "/angebote?district=nordstadt").await.body,
            "class=\"offer-card\""
        )
    );
});
