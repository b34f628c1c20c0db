//! `CsrfForm<T>`: the typed form extractor checks the session's token, the content type and the
//! encoding before a handler sees the form, and names what is wrong.
use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

async fn admin(app: &axum::Router, db: &Db) -> (String, String) {
    let cookie = signed_in(app, db, "admin@musterstadt.example", &[Role::Admin]).await;
    let page = get_with(app, "/konto", &[("cookie", cookie.as_str())]).await;
    let token = csrf_of(&page.body);
    (cookie, token)
}

db_test!(
    a_form_that_is_not_a_form_is_refused_with_415,
    |db| async move {
        let app = app(&db).await;
        let (cookie, token) = admin(&app, &db).await;
        let req = Request::post("/admin/einstellungen")
            .header("content-type", "application/json")
            .header("host", super::accounts::HOST)
            .header("origin", format!("https://{}", super::accounts::HOST))
            .header("cookie", &cookie)
            .body(Body::from(format!(
                "{{\"csrf\":\"{token}\",\"imprint\":\"x\"}}"
            )))
            .unwrap();
        let res = res_of(app.clone().oneshot(req).await.unwrap()).await;
        assert_eq!(
            res.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{}",
            res.body
        );
        // Nothing was saved.
        assert_ne!(db.setting("imprint").await.unwrap().as_deref(), Some("x"));
    }
);

db_test!(a_field_that_is_not_utf8_is_named, |db| async move {
    let app = app(&db).await;
    let (cookie, token) = admin(&app, &db).await;
    let r = post(
        &app,
        "/admin/einstellungen",
        &format!("csrf={token}&imprint=Stra%DFe"),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("imprint"), "{}", r.body);
    assert_ne!(
        db.setting("imprint").await.unwrap().as_deref(),
        Some("Straße")
    );
});

db_test!(a_field_sent_twice_is_named, |db| async move {
    let app = app(&db).await;
    let (cookie, token) = admin(&app, &db).await;
    let r = post(
        &app,
        "/admin/strategie/handlungsfeld/1/verschieben",
        &format!("csrf={token}&direction=up&direction=down"),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("direction"), "{}", r.body);
});

db_test!(the_token_of_another_session_is_refused, |db| async move {
    let app = app(&db).await;
    let (_, admin_token) = admin(&app, &db).await;
    let other = signed_in(&app, &db, "zweite@musterstadt.example", &[Role::Admin]).await;
    let r = post(
        &app,
        "/admin/einstellungen",
        &format!("csrf={admin_token}&imprint=fremd"),
        Some(&other),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_ne!(
        db.setting("imprint").await.unwrap().as_deref(),
        Some("fremd")
    );
    // With its own token the same form is saved.
    let page = get_with(&app, "/konto", &[("cookie", other.as_str())]).await;
    let own = csrf_of(&page.body);
    let r = post(
        &app,
        "/admin/einstellungen",
        &format!("csrf={own}&imprint=eigen"),
        Some(&other),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        db.setting("imprint").await.unwrap().as_deref(),
        Some("eigen")
    );
});
