//! The page cache and compression: ETags with `304 Not Modified`, a write dropping cached pages,
//! gzip for clients that accept it.
use super::*;

db_test!(
    etags_answer_not_modified_and_cors_is_open_for_get,
    |db| async move {
        let app = app(&db).await;
        let r = get_with(
            &app,
            "/api/v1/measures",
            &[("origin", "https://other.example")],
        )
        .await;
        let etag = r.headers[header::ETAG].to_str().unwrap().to_string();
        assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let again = get_with(&app, "/api/v1/measures", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.body.is_empty());
        let page = get(&app, "/radar").await;
        let etag = page.headers[header::ETAG].to_str().unwrap().to_string();
        assert_eq!(
            get_with(&app, "/radar", &[("if-none-match", &etag)])
                .await
                .status,
            StatusCode::NOT_MODIFIED
        );
    }
);

db_test!(a_write_invalidates_cached_pages, |db| async move {
    let state = demo_state(&db).await;
    let app = web::router(state.clone());
    let before = get(&app, "/massnahmen?q=Zeppelin").await;
    assert!(before.body.contains("Keine Maßnahme gefunden."));
    assert!(!state.cache.is_empty());
    let csv = "external_id;title;field;status\nZ-1;Zeppelin-Landeplatz;bildung;Geplant\n";
    let (_, doc) = domain::import::parse(csv.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
    // The import's cache event reached this instance's hub before the import returned.
    let after = get(&app, "/massnahmen?q=Zeppelin").await;
    assert!(after.body.contains("Zeppelin-Landeplatz"));
});

db_test!(
    pages_are_served_gzipped_to_clients_that_accept_it,
    |db| async move {
        use std::io::Read;
        let app = app(&db).await;
        let plain = get(&app, "/radar").await;
        assert!(!plain.headers.contains_key(header::CONTENT_ENCODING));
        let req = Request::get("/radar")
            .header("accept-encoding", "gzip, deflate, br")
            .body(Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert!(
            res.headers()[header::VARY]
                .to_str()
                .unwrap()
                .contains("accept-encoding")
        );
        let gz_etag = res.headers()[header::ETAG].clone();
        assert_ne!(gz_etag, plain.headers[header::ETAG]);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            bytes.len() * 4 < plain.body.len(),
            "gzip should shrink the radar page a lot"
        );
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, plain.body);
        let refused = get_with(&app, "/radar", &[("accept-encoding", "gzip;q=0, identity")]).await;
        assert!(!refused.headers.contains_key(header::CONTENT_ENCODING));
        let again = get_with(
            &app,
            "/radar",
            &[
                ("accept-encoding", "gzip"),
                ("if-none-match", gz_etag.to_str().unwrap()),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    }
);

db_test!(
    a_cached_page_shows_a_signed_out_or_locked_reader_as_anonymous_at_once,
    |db| async move {
        use super::accounts::{csrf_of, post};
        use super::back_office::signed_in;
        use domain::accounts::Role;
        let app = app(&db).await;
        let reader = signed_in(&app, &db, "leserin@musterstadt.example", &[Role::Citizen]).await;
        let page = |cookie: String| {
            let app = app.clone();
            async move { get_with(&app, "/radar", &[("cookie", cookie.as_str())]).await }
        };
        // Cached, with the reader's account link filled in.
        assert!(page(reader.clone()).await.body.contains("href=\"/konto\""));
        assert!(page(reader.clone()).await.body.contains("href=\"/konto\""));
        let konto = get_with(&app, "/konto", &[("cookie", reader.as_str())]).await;
        let r = post(
            &app,
            "/abmelden",
            &format!("csrf={}", csrf_of(&konto.body)),
            Some(&reader),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let after = page(reader.clone()).await.body;
        assert!(
            !after.contains("href=\"/konto\""),
            "still signed in after signing out"
        );
        assert!(after.contains("href=\"/anmelden\""));
        // Locked by an admin: the same at once.
        let other = signed_in(&app, &db, "zweiter@musterstadt.example", &[Role::Citizen]).await;
        assert!(page(other.clone()).await.body.contains("href=\"/konto\""));
        let admin = signed_in(&app, &db, "sperre@musterstadt.example", &[Role::Admin]).await;
        let konto = get_with(&app, "/konto", &[("cookie", admin.as_str())]).await;
        let id = db
            .user_by_email("zweiter@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        let r = post(
            &app,
            &format!("/admin/benutzer/{id}"),
            &format!("csrf={}&role_citizen=on&locked=on", csrf_of(&konto.body)),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(!page(other).await.body.contains("href=\"/konto\""));
    }
);

db_test!(
    a_saved_offer_drops_only_the_cached_lists_it_can_change,
    |db| async move {
        use store::offers::OfferParts;
        let (lib, _, cafe) = super::offers::city(&db).await;
        let state = web::AppState::new(db.clone(), "https://radar.example")
            .await
            .unwrap();
        let app = web::router(state.clone());
        let admin = db
            .create_user(
                "admin@musterstadt.example",
                "Admin",
                &[domain::accounts::Role::Admin],
            )
            .await
            .unwrap();
        let save = |f: fn(&mut domain::offers::OfferInput)| {
            let db = db.clone();
            let cafe = cafe.clone();
            async move {
                let o = db.public_offer(&cafe).await.unwrap().unwrap();
                let mut input = o.input.clone();
                f(&mut input);
                let html = format!("<p>{}</p>", input.description);
                let parts = OfferParts {
                    description_html: &html,
                    schedules: &o.schedules,
                    ..OfferParts::default()
                };
                assert!(
                    db.update_offer(admin, lib, o.id, &input, &parts)
                        .await
                        .unwrap()
                );
            }
        };
        let list = get(&app, "/angebote").await;
        assert!(list.body.contains("IT-Café in der Bibliothek"));
        get(&app, "/angebote?q=Gerät").await;
        get(&app, &format!("/angebote/{cafe}")).await;
        assert_eq!(state.cache.len(), 3);
        // A new description: the offer's page and the word search follow; the plain list, which
        // shows nothing of it, stays cached.
        save(|o| o.description = "Bringen Sie Ihr Tablet mit.".into()).await;
        assert_eq!(state.cache.len(), 1, "only the list without words is kept");
        assert_eq!(get(&app, "/angebote").await.body, list.body);
        assert!(
            get(&app, "/angebote?q=Tablet")
                .await
                .body
                .contains("IT-Café in der Bibliothek")
        );
        assert!(
            !get(&app, "/angebote?q=Gerät")
                .await
                .body
                .contains("IT-Café in der Bibliothek")
        );
        assert!(
            get(&app, &format!("/angebote/{cafe}"))
                .await
                .body
                .contains("Ihr Tablet mit")
        );
        // A new title is on every card: every list goes.
        save(|o| o.title = "Digital-Café in der Bibliothek".into()).await;
        assert_eq!(state.cache.len(), 0);
        assert!(
            get(&app, "/angebote")
                .await
                .body
                .contains("Digital-Café in der Bibliothek")
        );
        // So is a new time, and a new language decides where it is listed.
        get(&app, "/angebote").await;
        save(|o| o.languages = vec!["de".into()]).await;
        assert_eq!(state.cache.len(), 0);
        assert!(
            !get(&app, "/angebote?language=tr")
                .await
                .body
                .contains("Digital-Café")
        );
    }
);

db_test!(
    a_new_day_in_germany_drops_the_cached_offer_pages,
    |db| async move {
        use time::macros::datetime;
        let (_, _, cafe) = super::offers::city(&db).await;
        let state = web::AppState::new(db.clone(), "https://radar.example")
            .await
            .unwrap();
        let app = web::router(state.clone());
        get(&app, "/angebote").await;
        get(&app, &format!("/angebote/{cafe}")).await;
        get(&app, "/radar").await;
        assert_eq!(state.cache.len(), 3);
        // 23:59 and 23:59:59 German winter time: the same day, nothing goes.
        web::events::turns(
            &state,
            datetime!(2026-12-07 22:59 UTC),
            datetime!(2026-12-07 22:59:59 UTC),
        )
        .await;
        assert_eq!(state.cache.len(), 3);
        // Midnight in Germany (23:00 UTC): an offer's next date counts from the new day.
        web::events::turns(
            &state,
            datetime!(2026-12-07 22:59:59 UTC),
            datetime!(2026-12-07 23:00:30 UTC),
        )
        .await;
        assert_eq!(
            state.cache.len(),
            1,
            "the offers' pages go, the radar stays"
        );
    }
);

db_test!(
    a_hit_answered_before_routing_carries_what_the_router_adds,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let miss = get(&app, "/radar").await;
        assert_eq!(miss.status, StatusCode::OK);
        assert!(!state.cache.is_empty());
        // Readers without a session are answered by the cache's front door now.
        let hit = get(&app, "/radar").await;
        assert_eq!(hit.status, StatusCode::OK);
        assert_eq!(hit.body, miss.body);
        let names = |r: &Res| {
            let mut n: Vec<String> = r.headers.keys().map(|k| k.to_string()).collect();
            n.sort();
            n
        };
        assert_eq!(names(&hit), names(&miss));
        for (name, value) in &miss.headers {
            if name != "x-request-id" {
                assert_eq!(hit.headers[name], value, "header {name}");
            }
        }
        assert_ne!(hit.headers["x-request-id"], miss.headers["x-request-id"]);
        assert_eq!(
            hit.headers[header::CONTENT_SECURITY_POLICY],
            miss.headers[header::CONTENT_SECURITY_POLICY]
        );
        assert_eq!(hit.headers[header::REFERRER_POLICY], "same-origin");
        assert!(!hit.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        // A proxy's request id comes back; behind TLS the hit is told to stay on https.
        let proxied = get_with(
            &app,
            "/radar",
            &[("x-request-id", "lb-4711"), ("x-forwarded-proto", "https")],
        )
        .await;
        assert_eq!(proxied.body, miss.body);
        assert_eq!(proxied.headers["x-request-id"], "lb-4711");
        assert!(
            proxied
                .headers
                .contains_key(header::STRICT_TRANSPORT_SECURITY)
        );
        // An unknown `token` parameter does not change the page but keeps it out of referrers.
        let token = get(&app, "/radar?token=abc").await;
        assert_eq!(token.body, miss.body);
        assert_eq!(token.headers[header::REFERRER_POLICY], "no-referrer");
        // A conditional request gets its 304 at the front door too, with the security headers.
        let etag = hit.headers[header::ETAG].to_str().unwrap().to_string();
        let not_modified = get_with(&app, "/radar", &[("if-none-match", &etag)]).await;
        assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
        assert!(not_modified.headers.contains_key("x-request-id"));
        assert!(
            not_modified
                .headers
                .contains_key(header::CONTENT_SECURITY_POLICY)
        );
        // HEAD and over-long addresses still go through the router.
        let head = app
            .clone()
            .oneshot(Request::head("/radar").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(head.status(), StatusCode::OK);
        let long = format!("/radar?q={}", "x".repeat(web::middleware::MAX_URI_BYTES));
        assert_eq!(get(&app, &long).await.status, StatusCode::URI_TOO_LONG);
    }
);
