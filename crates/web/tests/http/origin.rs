//! The same-origin check of state-changing requests compares `Origin` with the configured
//! `base_url` (scheme, host and port), not with the `Host` header a proxy may rewrite.
use super::*;

const FORM: &str = "name=Anna+M.&email=anna%40musterstadt.example&password=Gruene+Ampel+am+Rathaus&password2=Gruene+Ampel+am+Rathaus";

async fn register(app: &axum::Router, headers: &[(&str, &str)]) -> Res {
    let mut req =
        Request::post("/registrieren").header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    res_of(
        app.clone()
            .oneshot(req.body(Body::from(FORM)).unwrap())
            .await
            .unwrap(),
    )
    .await
}

async fn account_exists(db: &Db) -> bool {
    db.user_by_email("anna@musterstadt.example")
        .await
        .unwrap()
        .is_some()
}

fn refused(r: &Res) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("Aktion nicht erlaubt"), "{}", r.body);
}

db_test!(other_origins_are_refused, |db| async move {
    // The site is https://radar.example (see `app`).
    let app = app(&db).await;
    for headers in [
        // Right host, wrong scheme.
        &[
            ("host", "radar.example"),
            ("origin", "http://radar.example"),
        ][..],
        // Another site.
        &[
            ("host", "radar.example"),
            ("origin", "https://evil.example"),
        ][..],
        // Another port.
        &[
            ("host", "radar.example"),
            ("origin", "https://radar.example:8443"),
        ][..],
        // An opaque origin.
        &[("host", "radar.example"), ("origin", "null")][..],
        // No Origin, but the browser says the form came from another site.
        &[("host", "radar.example"), ("sec-fetch-site", "cross-site")][..],
        // A forged Host does not help: the configured origin decides.
        &[("host", "evil.example"), ("origin", "https://evil.example")][..],
    ] {
        refused(&register(&app, headers).await);
        assert!(!account_exists(&db).await, "{headers:?} changed nothing");
    }
});

db_test!(
    the_right_origin_passes_behind_a_host_rewriting_proxy,
    |db| async move {
        let app = app(&db).await;
        let r = register(
            &app,
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "https://radar.example"),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(account_exists(&db).await);
    }
);

db_test!(
    without_a_base_url_the_host_and_the_scheme_decide,
    |db| async move {
        load_demo(&db).await;
        let app = web::router(web::AppState::new(db.clone(), "").await.unwrap());
        refused(
            &register(
                &app,
                &[
                    ("host", "localhost:8080"),
                    ("origin", "https://localhost:8080"),
                ],
            )
            .await,
        );
        assert!(!account_exists(&db).await);
        let r = register(
            &app,
            &[
                ("host", "localhost:8080"),
                ("origin", "http://localhost:8080"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(account_exists(&db).await);
    }
);
