//! Pages opened from a link with a one-time token keep the token out of every `Referer`.
use super::accounts::link;
use super::*;
use domain::accounts::Role;
use store::accounts::TokenPurpose;
use time::{Duration, OffsetDateTime};

fn policy(r: &Res) -> &str {
    r.headers[header::REFERRER_POLICY].to_str().unwrap()
}

/// A confirm-address token for a new, unconfirmed account.
async fn confirm_token(db: &Db) -> String {
    let id = db
        .create_user("neu@musterstadt.example", "Neu", &[Role::Citizen])
        .await
        .unwrap();
    let token = web::session::random_token().unwrap();
    db.create_token(
        id,
        TokenPurpose::ConfirmEmail,
        &web::session::sha256_hex(&token),
        OffsetDateTime::now_utc() + Duration::hours(1),
    )
    .await
    .unwrap();
    token
}

db_test!(token_pages_send_no_referrer, |db| async move {
    let app = app(&db).await;
    let set = link(
        &db,
        "a@musterstadt.example",
        &[Role::Citizen],
        Duration::hours(1),
    )
    .await;
    let confirm = confirm_token(&db).await;
    let change = web::session::random_token().unwrap();
    let id = db
        .user_by_email("a@musterstadt.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    db.request_email_change(
        id,
        "b@musterstadt.example",
        Some(&web::session::sha256_hex(&change)),
        OffsetDateTime::now_utc() + Duration::hours(1),
        &[],
    )
    .await
    .unwrap();
    for uri in [
        format!("/konto/passwort-setzen?token={set}"),
        format!("/konto/bestaetigen?token={confirm}"),
        format!("/konto/adresse-bestaetigen?token={change}"),
        format!("/konto/passwort-setzen?token={set}&lang=en"),
    ] {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(policy(&r), "no-referrer", "{uri}");
    }
    // An unknown or used token gets an error page, which keeps the token to itself as well.
    for uri in [
        "/konto/passwort-setzen?token=unbekannt",
        "/konto/bestaetigen?token=unbekannt",
        "/konto/adresse-bestaetigen?token=unbekannt",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(policy(&r), "no-referrer", "{uri}");
    }
    // Every other page keeps the site-wide policy.
    assert_eq!(policy(&get(&app, "/").await), "same-origin");
    assert_eq!(policy(&get(&app, "/anmelden").await), "same-origin");
});
