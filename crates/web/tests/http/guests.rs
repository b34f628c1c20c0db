//! Guests comment with a name and an e-mail address: the comment appears after the confirmation
//! (a button on the link's page), the address is nowhere to be seen, bots that fill in the
//! hidden field get nowhere, bad input changes nothing, pre-moderation holds confirmed comments
//! for the moderation, and unconfirmed ones are removed after 48 hours.

use super::accounts::post;
use super::back_office::signed_in;
use super::registration::link_in_mail;
use super::*;
use domain::accounts::Role;
use domain::comments::Subject;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";
const GUEST: &str = "/massnahmen/digitaltag-musterstadt/kommentare/gast";
const ADDRESS: &str = "gast.geheim@musterstadt.example";

async fn subject(db: &Db) -> Subject {
    Subject::measure(
        db.measure_id_by_slug("digitaltag-musterstadt")
            .await
            .unwrap()
            .unwrap(),
    )
}

/// The guest form of `page` with `changes`, posted to `action`.
async fn send_guest(app: &axum::Router, page: &str, action: &str, changes: &[(&str, &str)]) -> Res {
    let html = get(app, page).await.body;
    let body = with_fields(&form_of(&html, action), changes);
    post(app, action, &body, None).await
}

async fn queued_mails(db: &Db) -> i64 {
    db.mail_stats().await.unwrap().queued
}

db_test!(a_guest_comments_and_confirms_by_mail, |db| async move {
    let app = app(&db).await;
    let s = subject(&db).await;
    let page = get(&app, PAGE).await;
    assert!(page.body.contains(&format!("action=\"{GUEST}\"")));
    assert!(
        page.body
            .contains("Ihre E-Mail-Adresse wird nicht veröffentlicht.")
    );
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "  Gisela   G. "),
            ("email", ADDRESS),
            ("body", "Als Gast: *sehr* gut."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Bitte bestätigen Sie Ihren Kommentar"));
    // Nothing shows before the confirmation.
    assert_eq!(db.comment_count(s).await.unwrap(), 0);
    assert!(!get(&app, PAGE).await.body.contains("sehr</em> gut"));
    let (link, subject_line) = link_in_mail(&db, ADDRESS).await;
    assert!(
        subject_line.starts_with("Bitte bestätigen Sie Ihren Kommentar"),
        "{subject_line}"
    );
    assert!(link.starts_with("/kommentare/bestaetigen?token="), "{link}");
    // Following the link (as a mail scanner does) confirms nothing.
    let form = get(&app, &link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(form.headers[header::REFERRER_POLICY], "no-referrer");
    assert!(form.body.contains("sehr</em> gut"));
    assert_eq!(db.comment_count(s).await.unwrap(), 0);
    let token = link.rsplit_once("token=").unwrap().1;
    let r = post(
        &app,
        "/kommentare/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(to.starts_with("/kommentare/"), "{to}");
    assert_eq!(db.comment_count(s).await.unwrap(), 1);
    let page = get(&app, PAGE).await;
    assert!(page.body.contains("sehr</em> gut"), "{}", page.body);
    assert!(page.body.contains("Gisela G."));
    assert!(page.body.contains("(Gast)"));
    // The address is nowhere: pages, the API, the feeds.
    let id = to.rsplit_once('#').unwrap().0.rsplit('/').next().unwrap();
    for path in [
        PAGE.to_string(),
        format!("/kommentare/{id}"),
        format!("{PAGE}/kommentare"),
        format!("/api/v1/measures/{}/comments", s.id),
        "/feeds/updates.atom".to_string(),
    ] {
        let r = get(&app, &path).await;
        assert!(!r.body.contains("gast.geheim"), "{path} shows the address");
    }
    // A second press is harmless; a made-up token is refused.
    let again = post(
        &app,
        "/kommentare/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(db.comment_count(s).await.unwrap(), 1);
    let wrong = post(&app, "/kommentare/bestaetigen", "token=erfunden", None).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        get(&app, "/kommentare/bestaetigen?token=erfunden")
            .await
            .status
            == StatusCode::BAD_REQUEST
    );
    // A guest's reply goes the same way.
    let reply_page = format!("/kommentare/{id}/antworten");
    let action = format!("/kommentare/{id}/antworten/gast");
    let r = send_guest(
        &app,
        &reply_page,
        &action,
        &[
            ("name", "Gustav"),
            ("email", "gustav@musterstadt.example"),
            ("body", "Stimmt."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (link, _) = link_in_mail(&db, "gustav@musterstadt.example").await;
    let token = link.rsplit_once("token=").unwrap().1;
    let r = post(
        &app,
        "/kommentare/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(db.comment_count(s).await.unwrap(), 2);
    assert_eq!(
        db.comment(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .replies,
        1
    );
});

db_test!(bad_guest_input_changes_nothing, |db| async move {
    let app = app(&db).await;
    let s = subject(&db).await;
    let good = [("name", "Gisela"), ("email", ADDRESS), ("body", "Text")];
    let before = queued_mails(&db).await;
    for (changes, status, message) in [
        (vec![("csrf", "")], StatusCode::FORBIDDEN, ""),
        (vec![("csrf", "falsch")], StatusCode::FORBIDDEN, ""),
        (
            vec![("name", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bitte geben Sie einen Namen",
        ),
        (
            vec![("name", "<b>x</b>")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bitte geben Sie einen Namen",
        ),
        (
            vec![("email", "keine-adresse")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "gültige E-Mail-Adresse",
        ),
        (
            vec![("body", "  ")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bitte schreiben Sie einen Text.",
        ),
    ] {
        let mut all: Vec<(&str, &str)> = good
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .copied()
            .collect();
        all.extend(changes.iter().copied());
        let r = send_guest(&app, PAGE, GUEST, &all).await;
        assert_eq!(r.status, status, "{changes:?}: {}", r.body);
        assert!(r.body.contains(message), "{changes:?}: {}", r.body);
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // The form comes back filled in.
            assert!(r.body.contains(&format!("action=\"{GUEST}\"")));
        }
    }
    let long = "a".repeat(5001);
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[("name", "Gisela"), ("email", ADDRESS), ("body", &long)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Der Text ist zu lang"));
    // A bot fills in the hidden field: it is told the usual, and nothing happens.
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "Bot"),
            ("email", ADDRESS),
            ("body", "Kaufen!"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Bitte bestätigen Sie Ihren Kommentar"));
    assert_eq!(queued_mails(&db).await, before, "no mail went out");
    assert_eq!(db.comment_count(s).await.unwrap(), 0);
    // One address sends at most five comments an hour for confirmation.
    for i in 0..5 {
        let body = format!("Kommentar {i}");
        let r = send_guest(
            &app,
            PAGE,
            GUEST,
            &[("name", "Gisela"), ("email", ADDRESS), ("body", &body)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{i}: {}", r.body);
    }
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "Gisela"),
            ("email", "GAST.geheim@musterstadt.example"),
            ("body", "Noch einer"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(queued_mails(&db).await, before + 5);
    // One client address sends at most twenty guest comments an hour, whatever the addresses.
    for i in 0..15 {
        let email = format!("gast{i}@musterstadt.example");
        let fields = [
            ("name", "Gisela"),
            ("email", email.as_str()),
            ("body", "Text"),
        ];
        let r = send_guest(&app, PAGE, GUEST, &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{i}: {}", r.body);
    }
    let fields = [
        ("name", "Gisela"),
        ("email", "noch.einer@musterstadt.example"),
        ("body", "Text"),
    ];
    let r = send_guest(&app, PAGE, GUEST, &fields).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the twenty-first from this client"
    );
    // Unconfirmed comments go after 48 hours, with their links.
    let (link, _) = link_in_mail(&db, ADDRESS).await;
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(49);
    assert_eq!(db.purge_unconfirmed(later).await.unwrap(), 20);
    let token = link.rsplit_once("token=").unwrap().1;
    let r = post(
        &app,
        "/kommentare/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(db.comment_count(s).await.unwrap(), 0);
});

db_test!(
    pre_moderation_holds_confirmed_guest_comments,
    |db| async move {
        let app = app(&db).await;
        let s = subject(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let settings = get_with(&app, "/admin/einstellungen", &[("cookie", &admin)]).await;
        let action = "/admin/einstellungen/beteiligung";
        let fields = form_of(&settings.body, action);
        let bad = post(
            &app,
            action,
            &with_fields(&fields, &[("threshold", "0")]),
            Some(&admin),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("zwischen 1 und 100"));
        let r = post(
            &app,
            action,
            &with_fields(&fields, &[("premoderation", "1"), ("threshold", "3")]),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = send_guest(
            &app,
            PAGE,
            GUEST,
            &[
                ("name", "Gisela"),
                ("email", ADDRESS),
                ("body", "Bitte prüfen"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let (link, _) = link_in_mail(&db, ADDRESS).await;
        let token = link.rsplit_once("token=").unwrap().1;
        let r = post(
            &app,
            "/kommentare/bestaetigen",
            &format!("token={token}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/kommentare/bestaetigt");
        let notice = get(&app, "/kommentare/bestaetigt").await;
        assert!(
            notice
                .body
                .contains("Die Moderation prüft Kommentare von Gästen")
        );
        assert_eq!(db.comment_count(s).await.unwrap(), 0);
        assert!(!get(&app, PAGE).await.body.contains("Bitte prüfen"));
        // The moderation approves it.
        let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
        let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains("Wartet auf Freigabe"), "{}", queue.body);
        assert!(queue.body.contains("Bitte prüfen"));
        assert!(
            !queue.body.contains("gast.geheim"),
            "not even the moderation sees the address"
        );
        let id = queue
            .body
            .split("action=\"/moderation/kommentare/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let csrf = super::accounts::csrf_of(&queue.body);
        let r = post(
            &app,
            &format!("/moderation/kommentare/{id}"),
            &format!("csrf={csrf}&decision=show"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(db.comment_count(s).await.unwrap(), 1);
        assert!(get(&app, PAGE).await.body.contains("Bitte prüfen"));
    }
);

db_test!(a_moderator_blocks_a_guest_by_address, |db| async move {
    let app = app(&db).await;
    // A guest comments and confirms.
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "Troll T."),
            ("email", ADDRESS),
            ("body", "Erster Beitrag des Gastes"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (link, _) = link_in_mail(&db, ADDRESS).await;
    let token = link.rsplit_once("token=").unwrap().1;
    let r = post(
        &app,
        "/kommentare/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id: i64 = r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .rsplit_once("#kommentar-")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!(
        get(&app, PAGE)
            .await
            .body
            .contains("Erster Beitrag des Gastes")
    );
    // It is reported, so it is in the queue, where the moderator blocks the guest.
    let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
    let citizen = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let form = get_with(
        &app,
        &format!("/kommentare/{id}/melden"),
        &[("cookie", &citizen)],
    )
    .await;
    let csrf = super::accounts::csrf_of(&form.body);
    let r = post(
        &app,
        &format!("/kommentare/{id}/melden"),
        &format!("csrf={csrf}&reason=spam"),
        Some(&citizen),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(
        queue.body.contains("Gast „Troll T.“ sperren"),
        "{}",
        queue.body
    );
    let csrf = super::accounts::csrf_of(&queue.body);
    // A citizen may not; without a token nobody may.
    let r = post(
        &app,
        &format!("/moderation/kommentare/{id}/gast-sperren"),
        &format!("csrf={csrf}"),
        Some(&citizen),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &app,
        &format!("/moderation/kommentare/{id}/gast-sperren"),
        "",
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &app,
        &format!("/moderation/kommentare/{id}/gast-sperren"),
        &format!("csrf={csrf}"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Its comments read as hidden (the cached page dropped), and leave the API and the feed.
    let page = get(&app, PAGE).await;
    assert!(
        !page.body.contains("Erster Beitrag des Gastes"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Beiträge dieser Person sind von der Moderation ausgeblendet.")
    );
    let m = db
        .measure_id_by_slug("digitaltag-musterstadt")
        .await
        .unwrap()
        .unwrap();
    assert!(
        !get(&app, &format!("/api/v1/measures/{m}/comments"))
            .await
            .body
            .contains("Erster Beitrag")
    );
    assert!(
        !get(&app, &format!("{PAGE}/kommentare.atom"))
            .await
            .body
            .contains("Erster Beitrag")
    );
    // A new comment from the same address is refused before any mail, with the reason.
    let mails = queued_mails(&db).await;
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "Anderer Name"),
            ("email", ADDRESS),
            ("body", "Zweiter Versuch"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Diese E-Mail-Adresse ist von der Moderation für Beiträge gesperrt.")
    );
    assert_eq!(
        queued_mails(&db).await,
        mails,
        "no mail for a blocked address"
    );
    // Another address is not affected.
    let r = send_guest(
        &app,
        PAGE,
        GUEST,
        &[
            ("name", "Ein Gast"),
            ("email", "jemand@musterstadt.example"),
            ("body", "Hallo"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Audited; lifted from the list, the comment shows again.
    let (audit, _) = db.audit_entries(Some("guest.block"), 5, 0).await.unwrap();
    assert_eq!(audit.len(), 1);
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(queue.body.contains("Gesperrte Gäste"));
    let block = db.blocked_guests().await.unwrap()[0].0;
    let r = post(
        &app,
        &format!("/moderation/gaeste/{block}/aufheben"),
        &format!("csrf={csrf}"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        get(&app, PAGE)
            .await
            .body
            .contains("Erster Beitrag des Gastes")
    );
    let r = post(
        &app,
        &format!("/moderation/gaeste/{block}/aufheben"),
        &format!("csrf={csrf}"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "no such block any more");
});
