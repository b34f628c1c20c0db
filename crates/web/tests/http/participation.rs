//! Ratings through the pages: a signed-in person rates a measure, changes and withdraws the
//! rating; the cached page shows the totals to everyone and the form to its reader; bad input
//! changes nothing.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";
const RATE: &str = "/massnahmen/digitaltag-musterstadt/bewertung";

async fn measure(db: &Db) -> i64 {
    db.measure_id_by_slug("digitaltag-musterstadt")
        .await
        .unwrap()
        .unwrap()
}

async fn rate(app: &axum::Router, cookie: &str, body: &str) -> Res {
    let page = get_with(app, PAGE, &[("cookie", cookie)]).await;
    let csrf = csrf_of(&page.body);
    post(app, RATE, &format!("csrf={csrf}&{body}"), Some(cookie)).await
}

db_test!(
    a_citizen_rates_changes_and_withdraws_a_rating,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let before = get(&app, PAGE).await;
        assert!(
            before
                .body
                .contains("Diese Maßnahme hat noch keine Bewertung.")
        );
        assert!(
            before
                .body
                .contains("Mit einem Konto bewerten Sie ohne Bestätigung per E-Mail")
        );
        assert!(
            !before.body.contains(&format!("action=\"{RATE}\"")),
            "no signed-in form for anonymous readers"
        );
        assert!(
            before.body.contains(&format!("action=\"{RATE}/gast\"")),
            "the guests' form"
        );

        // The cached page, for Anna: the form in her slot.
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(hers.body.contains(&format!("action=\"{RATE}\"")));
        assert!(hers.body.contains("Wie wichtig ist Ihnen diese Maßnahme?"));
        assert!(!hers.body.contains("checked"));

        let r = rate(&app, &anna, "value=4").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.headers[header::LOCATION], format!("{PAGE}#bewertung"));
        let public = get(&app, PAGE).await;
        assert!(
            public
                .body
                .contains("Durchschnitt 4,0 von 5 bei einer Bewertung"),
            "{}",
            public.body
        );
        assert!(
            public
                .body
                .contains("<th scope=\"row\">4 – wichtig</th><td>1</td><td>100 %</td>")
        );
        assert!(
            !public.body.contains("Ihre Bewertung"),
            "nobody's own rating in the public page"
        );
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(hers.body.contains("value=\"4\" checked"));
        assert!(hers.body.contains("Ihre Bewertung: 4 von 5."));

        // Another person's rating counts; Anna changes hers: still two.
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        assert_eq!(
            rate(&app, &ben, "value=5").await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            rate(&app, &anna, "value=2").await.status,
            StatusCode::SEE_OTHER
        );
        let public = get(&app, PAGE).await;
        assert!(
            public
                .body
                .contains("Durchschnitt 3,5 von 5 bei 2 Bewertungen"),
            "{}",
            public.body
        );
        let t = db.rating_totals(measure(&db).await).await.unwrap();
        assert_eq!((t.count, t.total, t.by_value), (2, 7, [0, 1, 0, 0, 1]));

        // Withdrawn.
        assert_eq!(
            rate(&app, &anna, "withdraw=1").await.status,
            StatusCode::SEE_OTHER
        );
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(!hers.body.contains("Ihre Bewertung"));
        assert!(
            hers.body
                .contains("Durchschnitt 5,0 von 5 bei einer Bewertung")
        );

        // English.
        let en = get(&app, &format!("{PAGE}?lang=en")).await;
        assert!(
            en.body.contains("Average 5.0 out of 5 from one rating"),
            "{}",
            en.body
        );

        // Her data export holds what she rated, Ben's holds his.
        let export = get_with(&app, "/konto/daten.json", &[("cookie", &ben)]).await;
        let export = json(&export);
        assert_eq!(export["ratings"][0]["value"], 5);
        assert_eq!(export["ratings"][0]["measure_id"], measure(&db).await);
    }
);

db_test!(
    bad_ratings_get_a_clear_answer_and_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let id = measure(&db).await;
        assert_eq!(
            rate(&app, &anna, "value=3").await.status,
            StatusCode::SEE_OTHER
        );
        let before = db.rating_totals(id).await.unwrap();
        for body in ["value=7", "value=0", "value=abc", "value=", "", "value=3.5"] {
            let r = rate(&app, &anna, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(
                r.body
                    .contains("Bitte wählen Sie eine Bewertung von 1 bis 5."),
                "{body}: {}",
                r.body
            );
        }
        // A wrong token, no token, no session, another site.
        let r = post(&app, RATE, "csrf=falsch&value=5", Some(&anna)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(&app, RATE, "value=5", Some(&anna)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(&app, RATE, "value=5", None).await;
        assert_to_login(&r);
        // A measure that is not there.
        let page = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            "/massnahmen/gibt-es-nicht/bewertung",
            &format!("csrf={csrf}&value=5"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(db.rating_totals(id).await.unwrap(), before);
        let anna_id = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(
            db.my_rating(id, anna_id).await.unwrap().map(|r| r.value()),
            Some(3)
        );
    }
);

db_test!(a_rating_drops_the_measure_page_only, |db| async move {
    let state = demo_state(&db).await;
    let app = web::router(state.clone());
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let id = measure(&db).await;
    for uri in ["/radar", "/massnahmen", PAGE] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK);
    }
    assert_eq!(state.cache.len(), 3);
    let user = db
        .user_by_email("anna@musterstadt.example")
        .await
        .unwrap()
        .unwrap();
    db.rate(id, user.id, domain::participation::Rating::new(5))
        .await
        .unwrap();
    assert_eq!(state.cache.len(), 2, "the radar and the list stay cached");
    // A list in the order of the ratings is dropped by every rating.
    let by_rating = get(&app, "/massnahmen?sort=rating").await;
    assert_eq!(by_rating.status, StatusCode::OK);
    let first = by_rating.body.find("href=\"/massnahmen/").unwrap();
    assert!(
        by_rating.body[first..].starts_with(&format!("href=\"{PAGE}\"")),
        "the rated measure first"
    );
    assert_eq!(state.cache.len(), 3);
    let other = db
        .create_user("ben@musterstadt.example", "Ben", &[Role::Citizen])
        .await
        .unwrap();
    db.rate(id, other, domain::participation::Rating::new(4))
        .await
        .unwrap();
    assert_eq!(
        state.cache.len(),
        2,
        "the list by rating and the measure page went"
    );
    let page = get_with(&app, PAGE, &[("cookie", &anna)]).await;
    assert!(
        page.body
            .contains("Durchschnitt 4,5 von 5 bei 2 Bewertungen")
    );
    assert!(page.body.contains("value=\"5\" checked"));
});

db_test!(the_api_gives_a_measures_rating_totals, |db| async move {
    let app = app(&db).await;
    let id = measure(&db).await;
    let uri = format!("/api/v1/measures/{id}");
    let none = json(&get(&app, &uri).await);
    assert_eq!(none["rating"]["count"], 0);
    assert!(none["rating"]["mean"].is_null());
    for (i, v) in [4, 5, 5].into_iter().enumerate() {
        let person = db
            .create_user(
                &format!("p{i}@musterstadt.example"),
                "Person",
                &[Role::Citizen],
            )
            .await
            .unwrap();
        db.rate(id, person, domain::participation::Rating::new(v))
            .await
            .unwrap();
    }
    // The cached answer was dropped by the ratings.
    let r = json(&get(&app, &uri).await);
    assert_eq!(r["rating"]["count"], 3);
    assert_eq!(r["rating"]["mean"], 4.7);
    assert_eq!(r["rating"]["distribution"]["5"], 2);
    assert_eq!(r["rating"]["distribution"]["1"], 0);
    // Nobody's identity is in it.
    assert!(!r.to_string().contains("p0@musterstadt.example"));
});

db_test!(
    without_the_page_cache_the_handler_fills_the_rating_form,
    |db| async move {
        load_demo(&db).await;
        let mut state = web::AppState::new(db.clone(), "https://radar.example")
            .await
            .unwrap();
        assert!(state.configure(|s| s.cache = std::sync::Arc::new(web::cache::PageCache::new(0))));
        let app = web::router(state);
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let anonymous = get(&app, PAGE).await;
        assert!(
            anonymous
                .body
                .contains("Mit einem Konto bewerten Sie ohne Bestätigung per E-Mail")
        );
        assert!(!anonymous.body.contains(&format!("action=\"{RATE}\"")));
        assert_eq!(
            rate(&app, &anna, "value=2").await.status,
            StatusCode::SEE_OTHER
        );
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(hers.body.contains("value=\"2\" checked"), "{}", hers.body);
        assert!(hers.body.contains("Ihre Bewertung: 2 von 5."));
        // Her page holds her CSRF token: no shared cache may keep it.
        assert_eq!(hers.headers[header::CACHE_CONTROL], "private, no-cache");
    }
);

db_test!(lists_radar_and_api_filter_by_rating, |db| async move {
    let state = demo_state(&db).await;
    let app = web::router(state.clone());
    let id = measure(&db).await;
    let other = db
        .measure_id_by_slug("open-data-portal")
        .await
        .unwrap()
        .unwrap();
    // One measure averages 4.5, another 2; the rest are unrated.
    for (i, (m, v)) in [(id, 5), (id, 4), (other, 2)].into_iter().enumerate() {
        let person = db
            .create_user(&format!("r{i}@musterstadt.example"), "R", &[Role::Citizen])
            .await
            .unwrap();
        db.rate(m, person, domain::participation::Rating::new(v))
            .await
            .unwrap();
    }
    let list = get(&app, "/massnahmen?rating=4").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        count(&list.body, "class=\"measure-card\""),
        1,
        "{}",
        list.body
    );
    assert!(list.body.contains(&format!("href=\"{PAGE}\"")));
    assert!(!list.body.contains("href=\"/massnahmen/open-data-portal\""));
    assert!(list.body.contains("<option value=\"4\" selected>"));
    let api = json(&get(&app, "/api/v1/measures?rating=2").await);
    assert_eq!(api["total"], 2, "{api}");
    let radar = get(&app, "/radar?rating=5").await;
    assert_eq!(radar.status, StatusCode::OK);
    assert!(
        !radar.body.contains(&format!("href=\"{PAGE}\"")),
        "4.5 is below 5"
    );
    // A rating drops the filtered list: the other measure climbs to 4.
    assert!(
        !get(&app, "/massnahmen?rating=4")
            .await
            .body
            .contains("open-data-portal\"")
    );
    for i in 0..4 {
        let person = db
            .create_user(&format!("s{i}@musterstadt.example"), "S", &[Role::Citizen])
            .await
            .unwrap();
        db.rate(other, person, domain::participation::Rating::new(5))
            .await
            .unwrap();
    }
    assert!(
        get(&app, "/massnahmen?rating=4")
            .await
            .body
            .contains("href=\"/massnahmen/open-data-portal\""),
        "the filtered list was dropped by the ratings"
    );
    // Bad values: 400 naming the parameter.
    for q in ["rating=6", "rating=0", "rating=viel"] {
        assert_eq!(
            get(&app, &format!("/massnahmen?{q}")).await.status,
            StatusCode::BAD_REQUEST,
            "{q}"
        );
        assert_eq!(
            get(&app, &format!("/api/v1/measures?{q}")).await.status,
            StatusCode::BAD_REQUEST,
            "{q}"
        );
    }
});
