//! Accounts: setting a password from a link, logging in and out, rate limits, ending sessions.
//! The helpers at the top (posting a form as this site, making a link, reading cookies and CSRF
//! tokens) are shared by the other test files as `super::accounts::…`.

use super::*;
use domain::accounts::Role;
use store::accounts::TokenPurpose;
use time::{Duration, OffsetDateTime};

pub const HOST: &str = "radar.example";

pub async fn post(app: &axum::Router, uri: &str, body: &str, cookie: Option<&str>) -> Res {
    let mut req = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", HOST)
        .header("origin", format!("https://{HOST}"));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    res_of(res).await
}

pub async fn link(db: &Db, email: &str, roles: &[Role], valid: Duration) -> String {
    let id = db.create_user(email, "Amtsleitung", roles).await.unwrap();
    let token = web::session::random_token().unwrap();
    db.create_token(
        id,
        TokenPurpose::SetPassword,
        &web::session::sha256_hex(&token),
        OffsetDateTime::now_utc() + valid,
    )
    .await
    .unwrap();
    token
}

pub fn cookie_of(r: &Res) -> String {
    let c = r.headers[header::SET_COOKIE].to_str().unwrap();
    c.split(';').next().unwrap().to_string()
}

pub fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

pub const PW: &str = "Gruene+Ampel+am+Rathausplatz";

pub async fn log_in(app: &axum::Router) -> String {
    let r = post(
        app,
        "/anmelden",
        &format!("email=admin%40musterstadt.example&password={PW}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    cookie_of(&r)
}

db_test!(
    first_admin_sets_a_password_and_logs_in_and_out,
    |db| async move {
        let app = app(&db).await;
        let token = link(
            &db,
            "admin@musterstadt.example",
            &[Role::Admin],
            Duration::hours(72),
        )
        .await;
        let form = get(&app, &format!("/konto/passwort-setzen?token={token}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("admin@musterstadt.example"));
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password={PW}&password2=anders1234567"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Die beiden Passwörter stimmen nicht überein.")
        );
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password=kurz&password2=kurz"),
            None,
        )
        .await;
        assert!(r.body.contains("Das Passwort ist zu kurz"));
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password=Passwort123&password2=Passwort123"),
            None,
        )
        .await;
        assert!(r.body.contains("zu leicht zu erraten"));
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password={PW}&password2={PW}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/anmelden?hinweis=passwort");
        let again = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password={PW}&password2={PW}"),
            None,
        )
        .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("Dieser Link wurde bereits benutzt."));
        // Wrong password: a clear message, no session.
        let r = post(
            &app,
            "/anmelden",
            "email=admin%40musterstadt.example&password=falsch-falsch",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("E-Mail-Adresse oder Passwort ist falsch."));
        assert!(!r.headers.contains_key(header::SET_COOKIE));
        let r = post(
            &app,
            "/anmelden",
            "email=niemand%40musterstadt.example&password=falsch-falsch",
            None,
        )
        .await;
        assert!(
            r.body.contains("E-Mail-Adresse oder Passwort ist falsch."),
            "unknown addresses get the same answer"
        );
        // Right password: a session cookie as the issue asks for it.
        let r = post(
            &app,
            "/anmelden",
            &format!("email=Admin%40Musterstadt.example&password={PW}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let set = r.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
            "{set}"
        );
        let cookie = cookie_of(&r);
        let account = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.body.contains("Administration"));
        assert!(account.body.contains("Konto: Amtsleitung"));
        assert_eq!(account.headers[header::CACHE_CONTROL], "no-store");
        // Shared pages stay anonymous in the cache.
        assert!(
            get_with(&app, "/", &[("cookie", &cookie)])
                .await
                .body
                .contains("Konto: Amtsleitung")
        );
        assert!(get(&app, "/").await.body.contains(">Anmelden</a>"));
        // Logging out needs the form's CSRF token.
        assert_eq!(
            post(&app, "/abmelden", "", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            post(&app, "/abmelden", "csrf=falsch", Some(&cookie))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &cookie)])
                .await
                .status,
            StatusCode::OK,
            "nothing changed"
        );
        let csrf = csrf_of(&account.body);
        let out = post(&app, "/abmelden", &format!("csrf={csrf}"), Some(&cookie)).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(
            out.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert_eq!(after.headers[header::LOCATION], "/anmelden");
    }
);

db_test!(
    bad_links_and_cross_site_forms_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let expired = link(&db, "alt@musterstadt.example", &[], Duration::hours(-1)).await;
        let r = get(&app, &format!("/konto/passwort-setzen?token={expired}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Dieser Link ist abgelaufen."));
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={expired}&password={PW}&password2={PW}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            db.user_by_email("alt@musterstadt.example")
                .await
                .unwrap()
                .unwrap()
                .password_hash
                .is_none()
        );
        assert!(
            get(&app, "/konto/passwort-setzen?token=unsinn")
                .await
                .body
                .contains("Dieser Link ist ungültig.")
        );
        let token = link(
            &db,
            "admin@musterstadt.example",
            &[Role::Admin],
            Duration::hours(1),
        )
        .await;
        let req = Request::post("/konto/passwort-setzen")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", HOST)
            .header("origin", "https://evil.example")
            .body(Body::from(format!(
                "token={token}&password={PW}&password2={PW}"
            )))
            .unwrap();
        assert_eq!(
            app.clone().oneshot(req).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert!(
            db.user_by_email("admin@musterstadt.example")
                .await
                .unwrap()
                .unwrap()
                .password_hash
                .is_none()
        );
        let req = Request::post("/anmelden")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("email=a%40b.de&password=x"))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            get(&app, "/konto").await.status,
            StatusCode::SEE_OTHER,
            "the account page needs a login"
        );
    }
);

db_test!(login_is_rate_limited_per_account, |db| async move {
    let app = app(&db).await;
    for _ in 0..web::accounts::LOGIN_PER_ACCOUNT {
        let r = post(
            &app,
            "/anmelden",
            "email=ziel%40musterstadt.example&password=rate-rate-rate",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = post(
        &app,
        "/anmelden",
        "email=ziel%40musterstadt.example&password=rate-rate-rate",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    assert!(r.body.contains("Zu viele Versuche"));
});

db_test!(logging_out_everywhere_ends_every_session, |db| async move {
    let app = app(&db).await;
    let token = link(
        &db,
        "admin@musterstadt.example",
        &[Role::Editor],
        Duration::hours(1),
    )
    .await;
    post(
        &app,
        "/konto/passwort-setzen",
        &format!("token={token}&password={PW}&password2={PW}"),
        None,
    )
    .await;
    let phone = log_in(&app).await;
    let laptop = log_in(&app).await;
    assert_ne!(phone, laptop);
    let page = get_with(&app, "/konto", &[("cookie", &phone)]).await;
    let r = post(
        &app,
        "/konto/ueberall-abmelden",
        &format!("csrf={}", csrf_of(&page.body)),
        Some(&phone),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for c in [&phone, &laptop] {
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", c)]).await.status,
            StatusCode::SEE_OTHER
        );
    }
});
