//! Reports and the moderation: a comment reported by three people (a guest among them) is
//! hidden until reviewed, each reporter counts once, one's own comment cannot be reported; the
//! queue is the moderators'; hiding needs a public reason, which the discussion shows; each
//! decision is in the audit log.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";

/// Anna's comment under the measure; its id.
async fn annas_comment(app: &axum::Router, anna: &str, text: &str) -> i64 {
    let page = get_with(app, PAGE, &[("cookie", anna)]).await;
    let csrf = csrf_of(&page.body);
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("body", text)]).unwrap();
    let r = post(app, &format!("{PAGE}/kommentare"), &body, Some(anna)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap();
    to.rsplit_once("#kommentar-").unwrap().1.parse().unwrap()
}

/// Reports comment `id` as `cookie` (a guest without) for `reason`.
async fn report(app: &axum::Router, id: i64, cookie: Option<&str>, reason: &str) -> Res {
    let path = format!("/kommentare/{id}/melden");
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    let form = get_with(app, &path, &headers).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let action = if cookie.is_some() {
        path.clone()
    } else {
        format!("{path}/gast")
    };
    let body = with_fields(
        &form_of(&form.body, &action),
        &[("reason", reason), ("note", "Bitte prüfen")],
    );
    post(app, &action, &body, cookie).await
}

db_test!(
    reports_hide_a_comment_and_the_moderation_decides,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let cem = signed_in(&app, &db, "cem@musterstadt.example", &[Role::Citizen]).await;
        let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
        let id = annas_comment(&app, &anna, "Ihr seid alle Dummköpfe").await;
        // Bad reports change nothing.
        let own = report(&app, id, Some(&anna), "abusive").await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            own.body
                .contains("Den eigenen Kommentar können Sie nicht melden")
        );
        let none = report(&app, id, Some(&ben), "").await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.body.contains("Bitte wählen Sie einen Grund."));
        let junk = report(&app, id, Some(&ben), "langweilig").await;
        assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
        let forged = post(
            &app,
            &format!("/kommentare/{id}/melden/gast"),
            "csrf=falsch&reason=spam",
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // Ben reports twice: he counts once.
        for _ in 0..2 {
            let r = report(&app, id, Some(&ben), "abusive").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(r.body.contains("Danke für Ihre Meldung"));
        }
        let r = report(&app, id, Some(&cem), "abusive").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            get(&app, PAGE).await.body.contains("Dummköpfe"),
            "two reports: still shown"
        );
        let r = report(&app, id, None, "off_topic").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let page = get(&app, PAGE).await;
        assert!(!page.body.contains("Dummköpfe"), "three reports hide it");
        assert!(
            page.body
                .contains("ausgeblendet, bis die Moderation ihn prüft")
        );
        let api = get(&app, "/api/v1/measures/1/comments").await;
        assert!(!api.body.contains("Dummköpfe"));
        // The queue is the moderators'.
        assert_eq!(
            get_with(&app, "/moderation", &[("cookie", &ben)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_to_login(&get(&app, "/moderation").await);
        let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(
            queue
                .body
                .contains("Ein Kommentar wartet auf eine Prüfung."),
            "{}",
            queue.body
        );
        assert!(queue.body.contains("Beleidigend: 2"), "{}", queue.body);
        assert!(queue.body.contains("Nicht zum Thema: 1"));
        assert!(
            queue.body.contains("Dummköpfe"),
            "the moderation reads the text"
        );
        let csrf = csrf_of(&queue.body);
        let decide = format!("/moderation/kommentare/{id}");
        let citizen = post(
            &app,
            &decide,
            &format!(
                "csrf={}&decision=show",
                csrf_of(&get_with(&app, "/konto", &[("cookie", &ben)]).await.body)
            ),
            Some(&ben),
        )
        .await;
        assert_eq!(citizen.status, StatusCode::FORBIDDEN);
        let no_reason = post(
            &app,
            &decide,
            &format!("csrf={csrf}&decision=hide&reason=+"),
            Some(&moderator),
        )
        .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_reason
                .body
                .contains("Bitte geben Sie eine Begründung an")
        );
        let odd = post(
            &app,
            &decide,
            &format!("csrf={csrf}&decision=loeschen"),
            Some(&moderator),
        )
        .await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        let wrong_token = post(&app, &decide, "csrf=0&decision=show", Some(&moderator)).await;
        assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
        let r = post(
            &app,
            &decide,
            &format!("csrf={csrf}&decision=hide&reason=Beleidigung"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get(&app, PAGE).await;
        assert!(
            page.body
                .contains("Von der Moderation ausgeblendet: Beleidigung"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Dummköpfe"));
        let feed = get(&app, &format!("{PAGE}/kommentare.atom")).await;
        assert!(
            !feed.body.contains("Dummköpfe"),
            "hidden comments are not in the feed"
        );
        let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
        assert!(queue.body.contains("Nichts wartet auf eine Prüfung."));
        let (log, _) = db.audit_entries(Some("comment.hide"), 10, 0).await.unwrap();
        assert_eq!(log.len(), 1);
        // Shown again: the reason goes.
        let r = post(
            &app,
            &decide,
            &format!("csrf={csrf}&decision=show"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("Dummköpfe"));
        assert!(!page.body.contains("Von der Moderation ausgeblendet"));
        // The reports so far are settled: the same people do not hide it again, new ones
        // count from nought.
        let r = report(&app, id, Some(&ben), "abusive").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            get_with(&app, "/moderation", &[("cookie", &moderator)])
                .await
                .body
                .contains("Nichts wartet")
        );
        let dana = signed_in(&app, &db, "dana@musterstadt.example", &[Role::Citizen]).await;
        assert_eq!(
            report(&app, id, Some(&dana), "spam").await.status,
            StatusCode::OK
        );
        let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
        assert!(
            queue.body.contains("Werbung oder Spam: 1"),
            "{}",
            queue.body
        );
        assert!(
            !queue.body.contains("Beleidigend"),
            "older reports are settled"
        );
        let r = post(
            &app,
            &decide,
            &format!("csrf={csrf}&decision=keep"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(get(&app, PAGE).await.body.contains("Dummköpfe"));
        let (log, _) = db.audit_entries(None, 50, 0).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"comment.show") && actions.contains(&"comment.keep"),
            "{actions:?}"
        );
        // A reporter finds their reports in their data export; deleting the account removes them.
        let export = json(&get_with(&app, "/konto/daten.json", &[("cookie", &ben)]).await);
        assert_eq!(export["reports"].as_array().unwrap().len(), 1, "{export}");
        assert_eq!(export["reports"][0]["reason"], "abusive");
        assert_eq!(export["reports"][0]["note"], "Bitte prüfen");
        let ben_id = db
            .user_by_email("ben@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        db.delete_account(ben_id).await.unwrap();
        assert!(db.reports_of_user(ben_id).await.unwrap().is_empty());
        // Nothing to decide on a comment that does not exist.
        let r = post(
            &app,
            "/moderation/kommentare/999999",
            &format!("csrf={csrf}&decision=show"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

db_test!(blocking_the_word_list_and_first_posts, |db| async move {
    let app = app(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
    let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
    let id = annas_comment(&app, &anna, "Mein erster Beitrag").await;
    let anna_id = db
        .user_by_email("anna@musterstadt.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    // The moderator blocks Anna: her comment shows as hidden, she cannot post or upvote.
    let csrf = csrf_of(
        &get_with(&app, "/konto", &[("cookie", &moderator)])
            .await
            .body,
    );
    let block = format!("/moderation/personen/{anna_id}");
    let odd = post(
        &app,
        &block,
        &format!("csrf={csrf}&blocked=vielleicht"),
        Some(&moderator),
    )
    .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let citizen = post(
        &app,
        &block,
        &format!(
            "csrf={}&blocked=1",
            csrf_of(&get_with(&app, "/konto", &[("cookie", &ben)]).await.body)
        ),
        Some(&ben),
    )
    .await;
    assert_eq!(citizen.status, StatusCode::FORBIDDEN);
    let admin_id = db
        .user_by_email("admin@musterstadt.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    let staff = post(
        &app,
        &format!("/moderation/personen/{admin_id}"),
        &format!("csrf={csrf}&blocked=1"),
        Some(&moderator),
    )
    .await;
    assert_eq!(staff.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        staff
            .body
            .contains("Mitarbeitende der Stadt können nicht gesperrt werden")
    );
    let r = post(
        &app,
        &block,
        &format!("csrf={csrf}&blocked=1"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = get(&app, PAGE).await;
    assert!(!page.body.contains("Mein erster Beitrag"));
    assert!(
        page.body
            .contains("Beiträge dieser Person sind von der Moderation ausgeblendet.")
    );
    assert!(
        !get(&app, "/api/v1/measures/1/comments")
            .await
            .body
            .contains("Mein erster Beitrag")
    );
    let page = get_with(&app, PAGE, &[("cookie", &anna)]).await;
    let body =
        serde_urlencoded::to_string([("csrf", csrf_of(&page.body).as_str()), ("body", "Trotzdem")])
            .unwrap();
    let r = post(&app, &format!("{PAGE}/kommentare"), &body, Some(&anna)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Ihr Konto ist von der Moderation für Beiträge gesperrt.")
    );
    let ben_comment = annas_comment(&app, &ben, "Bens Beitrag").await;
    let r = post(
        &app,
        &format!("/kommentare/{ben_comment}/unterstuetzen"),
        &format!("csrf={}&up=1", csrf_of(&page.body)),
        Some(&anna),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(queue.body.contains("Gesperrte Personen"));
    assert!(
        queue.body.contains("Sperre von Amtsleitung aufheben"),
        "{}",
        queue.body
    );
    let (log, _) = db.audit_entries(Some("user.block"), 10, 0).await.unwrap();
    assert_eq!(log.len(), 1);
    // Unblocked: everything is back.
    let r = post(
        &app,
        &block,
        &format!("csrf={csrf}&blocked=0"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(get(&app, PAGE).await.body.contains("Mein erster Beitrag"));
    assert!(db.comment(id).await.unwrap().unwrap().state == domain::comments::State::Published);
    // The admin turns on the word list and the review of first posts.
    let settings = get_with(&app, "/admin/einstellungen", &[("cookie", &admin)]).await;
    let action = "/admin/einstellungen/beteiligung";
    let fields = form_of(&settings.body, action);
    let long = "x".repeat(10_001);
    let r = post(
        &app,
        action,
        &with_fields(&fields, &[("words", &long)]),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &app,
        action,
        &with_fields(
            &fields,
            &[
                ("words", "Dummkopf\nSchwachsinn"),
                ("first_post_review", "1"),
            ],
        ),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A word of the list holds Ben's post for the moderation.
    let page = get_with(&app, PAGE, &[("cookie", &ben)]).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf_of(&page.body).as_str()),
        ("body", "So ein SCHWACHSINN!"),
    ])
    .unwrap();
    let r = post(&app, &format!("{PAGE}/kommentare"), &body, Some(&ben)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/kommentare/in-pruefung");
    assert!(
        get(&app, "/kommentare/in-pruefung")
            .await
            .body
            .contains("Die Moderation sieht sich diesen Kommentar an")
    );
    assert!(!get(&app, PAGE).await.body.contains("SCHWACHSINN"));
    // A newcomer's first post is held; once approved, the next one is not.
    let cem = signed_in(&app, &db, "cem@musterstadt.example", &[Role::Citizen]).await;
    let page = get_with(&app, PAGE, &[("cookie", &cem)]).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf_of(&page.body).as_str()),
        ("body", "Hallo zusammen"),
    ])
    .unwrap();
    let r = post(&app, &format!("{PAGE}/kommentare"), &body, Some(&cem)).await;
    assert_eq!(r.headers[header::LOCATION], "/kommentare/in-pruefung");
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(
        queue.body.contains("2 Kommentare warten auf eine Prüfung."),
        "{}",
        queue.body
    );
    let held = queue
        .body
        .split("action=\"/moderation/kommentare/")
        .map(|x| x.split('"').next().unwrap().to_string())
        .skip(1)
        .collect::<Vec<_>>();
    let last = held.last().unwrap().clone();
    let r = post(
        &app,
        &format!("/moderation/kommentare/{last}"),
        &format!("csrf={csrf}&decision=show"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(get(&app, PAGE).await.body.contains("Hallo zusammen"));
    let body = serde_urlencoded::to_string([
        ("csrf", csrf_of(&page.body).as_str()),
        ("body", "Zweiter Beitrag"),
    ])
    .unwrap();
    let r = post(&app, &format!("{PAGE}/kommentare"), &body, Some(&cem)).await;
    assert_ne!(r.headers[header::LOCATION], "/kommentare/in-pruefung");
    // Staff are never held.
    let page = get_with(&app, PAGE, &[("cookie", &moderator)]).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf_of(&page.body).as_str()),
        ("body", "Kein Dummkopf hier"),
    ])
    .unwrap();
    let r = post(&app, &format!("{PAGE}/kommentare"), &body, Some(&moderator)).await;
    assert_ne!(r.headers[header::LOCATION], "/kommentare/in-pruefung");
});

/// `n` comments by a new citizen on the demo measure, posted directly (no posting limits).
async fn comments(db: &Db, n: usize) -> Vec<i64> {
    let author = db
        .create_user(
            "viel@musterstadt.example",
            "Vielschreiberin",
            &[Role::Citizen],
        )
        .await
        .unwrap();
    let measure = db
        .measure_id_by_slug("digitaltag-musterstadt")
        .await
        .unwrap()
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let body = format!("Beitrag {i}");
        ids.push(
            db.post_comment(&store::comments::NewComment {
                subject: domain::comments::Subject::measure(measure),
                parent_id: None,
                author: store::comments::Author::Account(author),
                body: &body,
                body_html: &body,
                official: false,
                limits: &[],
                posted_at: None,
                hold: false,
            })
            .await
            .unwrap()
            .unwrap(),
        );
    }
    ids
}

db_test!(reports_are_limited_per_account, |db| async move {
    let app = app(&db).await;
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    let ids = comments(&db, 21).await;
    for id in &ids[..20] {
        assert_eq!(
            report(&app, *id, Some(&ben), "spam").await.status,
            StatusCode::OK
        );
    }
    let r = report(&app, ids[20], Some(&ben), "spam").await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the twenty-first in an hour"
    );
    assert_eq!(
        db.moderation_queue_len().await.unwrap(),
        20,
        "the refused report counts nowhere"
    );
});

db_test!(
    guest_reports_are_limited_per_client_address,
    |db| async move {
        let app = app(&db).await;
        let ids = comments(&db, 61).await;
        for id in &ids[..60] {
            assert_eq!(report(&app, *id, None, "spam").await.status, StatusCode::OK);
        }
        let r = report(&app, ids[60], None, "spam").await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the sixty-first in an hour"
        );
        assert_eq!(
            db.moderation_queue_len().await.unwrap(),
            60,
            "the refused report counts nowhere"
        );
    }
);
