//! Guests rate a measure with an e-mail address: the rating counts once they confirm it by the
//! link in a mail (a button: mail scanners follow links), one rating per address (a new one
//! replaces it), the address is nowhere to be seen, and bad input changes nothing.

use super::accounts::post;
use super::registration::link_in_mail;
use super::*;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";
const ACTION: &str = "/massnahmen/digitaltag-musterstadt/bewertung/gast";

async fn measure(db: &Db) -> i64 {
    db.measure_id_by_slug("digitaltag-musterstadt")
        .await
        .unwrap()
        .unwrap()
}

/// The guest rating form of the page with `changes`, posted.
async fn send(app: &axum::Router, changes: &[(&str, &str)]) -> Res {
    let html = get(app, PAGE).await.body;
    let body = with_fields(&form_of(&html, ACTION), changes);
    post(app, ACTION, &body, None).await
}

/// Rates as `email` and confirms by the mail's link; the answer of the confirmation.
async fn rate_and_confirm(app: &axum::Router, db: &Db, email: &str, value: &str) -> Res {
    let r = send(app, &[("value", value), ("email", email)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Bitte bestätigen Sie Ihre Bewertung"));
    let (link, subject) = link_in_mail(db, &email.to_lowercase()).await;
    assert!(
        subject.starts_with("Bitte bestätigen Sie Ihre Bewertung"),
        "{subject}"
    );
    assert!(link.starts_with("/bewertung/bestaetigen?token="), "{link}");
    let page = get(app, &link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
    assert!(
        page.body.contains(&format!("mit {value} –")),
        "{}",
        page.body
    );
    let token = link.rsplit_once("token=").unwrap().1.to_string();
    post(
        app,
        "/bewertung/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await
}

db_test!(a_guest_rates_by_confirming_an_address, |db| async move {
    let app = app(&db).await;
    let id = measure(&db).await;
    let page = get(&app, PAGE).await;
    assert!(page.body.contains(&format!("action=\"{ACTION}\"")));
    assert!(page.body.contains("je Adresse zählt eine Bewertung"));
    let before = db.rating_totals(id).await.unwrap();
    // Following the link is not enough; the button counts.
    let r = send(
        &app,
        &[("value", "4"), ("email", "gast@musterstadt.example")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        db.rating_totals(id).await.unwrap(),
        before,
        "nothing counts before the confirmation"
    );
    let (link, _) = link_in_mail(&db, "gast@musterstadt.example").await;
    assert_eq!(get(&app, &link).await.status, StatusCode::OK);
    assert_eq!(db.rating_totals(id).await.unwrap(), before);
    let token = link.rsplit_once("token=").unwrap().1.to_string();
    let r = post(
        &app,
        "/bewertung/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with(PAGE)
    );
    let t = db.rating_totals(id).await.unwrap();
    assert_eq!((t.count, t.total), (before.count + 1, before.total + 4));
    // The link works once.
    let again = post(
        &app,
        "/bewertung/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, &link).await.status, StatusCode::BAD_REQUEST);
    // The same address again (in capitals): it replaces its rating, it does not add one.
    let r = rate_and_confirm(&app, &db, "GAST@musterstadt.example", "2").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = db.rating_totals(id).await.unwrap();
    assert_eq!((t.count, t.total), (before.count + 1, before.total + 2));
    // Another address counts on its own.
    let r = rate_and_confirm(&app, &db, "zweiter.gast@musterstadt.example", "5").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = db.rating_totals(id).await.unwrap();
    assert_eq!((t.count, t.total), (before.count + 2, before.total + 7));
    // The page shows the totals, never an address.
    let page = get(&app, PAGE).await;
    assert!(!page.body.contains("gast@"));
    assert!(!page.body.contains("zweiter.gast"));
});

db_test!(bad_guest_ratings_change_nothing, |db| async move {
    let app = app(&db).await;
    let id = measure(&db).await;
    let before = db.rating_totals(id).await.unwrap();
    let mails = db.mail_stats().await.unwrap().queued;
    let good = [("value", "3"), ("email", "gast@musterstadt.example")];
    for (changes, status) in [
        (vec![("csrf", "")], StatusCode::FORBIDDEN),
        (vec![("csrf", "falsch")], StatusCode::FORBIDDEN),
        (vec![("value", "")], StatusCode::UNPROCESSABLE_ENTITY),
        (vec![("value", "7")], StatusCode::UNPROCESSABLE_ENTITY),
        (
            vec![("email", "keine-adresse")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let mut all: Vec<(&str, &str)> = good
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .copied()
            .collect();
        all.extend(changes.iter().copied());
        let r = send(&app, &all).await;
        assert_eq!(r.status, status, "{changes:?}: {}", r.body);
    }
    // A bot fills in the hidden field: told the usual, nothing happens.
    let r = send(
        &app,
        &[
            ("value", "5"),
            ("email", "bot@musterstadt.example"),
            ("website", "x"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        db.mail_stats().await.unwrap().queued,
        mails,
        "no mail went out"
    );
    assert_eq!(
        post(&app, "/bewertung/bestaetigen", "token=erfunden", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/bewertung/bestaetigen?token=erfunden")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // Ten requests an hour per address (each sends a mail).
    for i in 0..10 {
        let r = send(&app, &good).await;
        assert_eq!(r.status, StatusCode::OK, "{i}");
    }
    assert_eq!(
        send(&app, &good).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(db.mail_stats().await.unwrap().queued, mails + 10);
    assert_eq!(db.rating_totals(id).await.unwrap(), before);
    // Sixty an hour from one client address, whatever the addresses.
    for i in 0..50 {
        let email = format!("gast{i}@musterstadt.example");
        let r = send(&app, &[("value", "3"), ("email", email.as_str())]).await;
        assert_eq!(r.status, StatusCode::OK, "{i}");
    }
    let r = send(
        &app,
        &[("value", "3"), ("email", "letzter@musterstadt.example")],
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the sixty-first");
    // Expired links go.
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(49);
    assert_eq!(db.purge_guest_rating_links(later).await.unwrap(), 60);
});
