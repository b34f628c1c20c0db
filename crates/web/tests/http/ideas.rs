//! Ideas through the pages: proposing (similar ones shown first), the list with filters and
//! cursor pages, supporting once, the city's status decision (editors of the idea's field and
//! admins only), hiding by moderators, comments on an idea, the API and the feed; bad input gets
//! a clear German answer and changes nothing.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::ideas::IdeaStatus;

/// Sends a form to `path` with the reader's token (read from the form page `/ideen/neu`).
async fn send(app: &axum::Router, cookie: &str, path: &str, body: &str) -> Res {
    let page = get_with(app, "/ideen/neu", &[("cookie", cookie)]).await;
    let csrf = csrf_of(&page.body);
    post(app, path, &format!("csrf={csrf}&{body}"), Some(cookie)).await
}

fn form(field: &str, title: &str, description: &str, benefit: &str) -> String {
    serde_urlencoded::to_string([
        ("field", field),
        ("title", title),
        ("description", description),
        ("benefit", benefit),
        ("place", "Rathaus"),
    ])
    .unwrap()
}

/// Proposes an idea (confirming past the similar ones) and returns its id.
async fn propose(app: &axum::Router, cookie: &str, field: &str, title: &str) -> i64 {
    let body = form(
        field,
        title,
        "Eine ausführliche Beschreibung dieser Idee für die Stadt.",
        "Weil es allen hilft.",
    );
    let r = send(app, cookie, "/ideen", &format!("{body}&checked=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap();
    to.trim_start_matches("/ideen/").parse().unwrap()
}

db_test!(a_citizen_proposes_and_others_support, |db| async move {
    let app = app(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    // Anonymous people are sent to the login to propose.
    assert_to_login(&get(&app, "/ideen/neu").await);
    let list = get(&app, "/ideen").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Keine Ideen"), "{}", list.body);

    // The first submit shows similar measures ("Tablet-Verleih …") and sends nothing.
    let body = form(
        "gemeinschaft-teilhabe",
        "Tablets zum Ausleihen im Bürgerbüro",
        "Im Bürgerbüro sollte man Tablets ausleihen können, wie beim Tablet-Verleih.",
        "Nicht alle haben ein eigenes Gerät.",
    );
    let r = send(&app, &anna, "/ideen", &body).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Ähnliche Maßnahmen und Ideen"),
        "{}",
        r.body
    );
    assert!(r.body.contains("/massnahmen/tablet-verleih"), "{}", r.body);
    assert!(r.body.contains("name=\"checked\" value=\"1\""));
    assert!(
        r.body.contains("Tablets zum Ausleihen im Bürgerbüro"),
        "the text is kept"
    );
    assert_eq!(db.idea_count(Default::default()).await.unwrap(), 0);
    // Sent on the second submit.
    let r = send(&app, &anna, "/ideen", &format!("{body}&checked=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .trim_start_matches("/ideen/")
        .parse()
        .unwrap();
    let page = get(&app, &format!("/ideen/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("eingereicht"));
    assert!(page.body.contains("Noch keine Unterstützung"));
    assert!(
        page.body
            .contains("Melden Sie sich an, um die Idee zu unterstützen.")
    );

    // Her own page shows "Ihre Idee", his the button; supporting twice counts once.
    let hers = get_with(&app, &format!("/ideen/{id}"), &[("cookie", &anna)]).await;
    assert!(hers.body.contains("Das ist Ihre Idee."), "{}", hers.body);
    let his = get_with(&app, &format!("/ideen/{id}"), &[("cookie", &ben)]).await;
    assert!(his.body.contains("Idee unterstützen"));
    let support = format!("/ideen/{id}/unterstuetzen");
    for _ in 0..2 {
        let r = send(&app, &ben, &support, "support=1").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = get(&app, &format!("/ideen/{id}")).await;
    assert!(
        page.body.contains("1 Unterstützung"),
        "the cached page dropped"
    );
    let his = get_with(&app, &format!("/ideen/{id}"), &[("cookie", &ben)]).await;
    assert!(his.body.contains("Sie unterstützen diese Idee."));
    // Her own: refused with the reason, nothing counted.
    let r = send(&app, &anna, &support, "support=1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Ihre eigene Idee können Sie nicht unterstützen.")
    );
    // Without or with a wrong token: 403, nothing changes.
    let r = post(&app, &support, "support=0", Some(&ben)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(&app, &support, "csrf=nope&support=0", Some(&ben)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(db.idea(id).await.unwrap().unwrap().supports, 1);
    // A bad value is a clear 422.
    let r = send(&app, &ben, &support, "support=viel").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The exports: hers holds her idea, his his support.
    let export = json(&get_with(&app, "/konto/daten.json", &[("cookie", &anna)]).await);
    assert_eq!(export["ideas"][0]["id"], id);
    assert_eq!(
        export["ideas"][0]["benefit"],
        "Nicht alle haben ein eigenes Gerät."
    );
    let export = json(&get_with(&app, "/konto/daten.json", &[("cookie", &ben)]).await);
    assert_eq!(export["supported_ideas"][0]["idea_id"], id);
    // Withdrawn.
    let r = send(&app, &ben, &support, "support=0").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(db.idea(id).await.unwrap().unwrap().supports, 0);

    // The list, its feed and the API show it; filters and orders answer.
    let list = get(&app, "/ideen").await;
    assert!(list.body.contains("Eine Idee"));
    assert!(list.body.contains(&format!("href=\"/ideen/{id}\"")));
    let none = get(&app, "/ideen?field=bildung").await;
    assert!(none.body.contains("Keine Ideen"));
    let feed = get(&app, "/ideen.atom").await;
    assert!(feed.body.contains("Tablets zum Ausleihen im Bürgerbüro"));
    assert!(
        !feed.body.contains("anna@musterstadt.example"),
        "no address in the feed"
    );
    let api = json(&get(&app, "/api/v1/ideas?sort=newest").await);
    assert_eq!(api["count"], 1);
    assert_eq!(api["ideas"][0]["id"], id);
    assert_eq!(api["ideas"][0]["status"], "submitted");
    assert!(!api.to_string().contains("@musterstadt.example"));
    let one = json(&get(&app, &format!("/api/v1/ideas/{id}")).await);
    assert_eq!(one["field"]["slug"], "gemeinschaft-teilhabe");
    // A deleted account's idea stays, without the name.
    let anna_id = db
        .user_by_email("anna@musterstadt.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    let name = db
        .user_by_email("anna@musterstadt.example")
        .await
        .unwrap()
        .unwrap()
        .display_name;
    db.delete_account(anna_id).await.unwrap();
    let page = get(&app, &format!("/ideen/{id}")).await;
    assert!(
        page.body.contains("gelöschtes Konto"),
        "the cached page dropped"
    );
    assert!(!page.body.contains(&format!("von {name}")));
    let one = json(&get(&app, &format!("/api/v1/ideas/{id}")).await);
    assert!(one["author"].is_null());
});

db_test!(
    bad_proposals_get_clear_answers_and_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        // Empty: every field named at once.
        let r = send(&app, &anna, "/ideen", "field=&title=&description=&benefit=").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for msg in [
            "Bitte wählen Sie ein Handlungsfeld.",
            "Der Titel ist zu kurz",
            "Bitte beschreiben Sie Ihre Idee etwas genauer",
            "Bitte schreiben Sie, warum die Idee wichtig ist.",
        ] {
            assert!(r.body.contains(msg), "{msg}: {}", r.body);
        }
        assert!(r.body.contains("aria-invalid=\"true\""));
        // Over-long.
        let long = "x".repeat(121);
        let r = send(
            &app,
            &anna,
            "/ideen",
            &form("bildung", &long, &"d".repeat(30), "b"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Der Titel ist zu lang"));
        // An unknown field of action.
        let r = send(
            &app,
            &anna,
            "/ideen",
            &form("mond", "Eine Idee hier", &"d".repeat(30), "b"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Bitte wählen Sie ein Handlungsfeld."));
        // Script in the text: stored as text, shown escaped.
        let id = propose(&app, &anna, "bildung", "<script>alert(1)</script> Schulhof").await;
        let page = get(&app, &format!("/ideen/{id}")).await;
        assert!(!page.body.contains("<script>alert(1)"));
        assert!(
            page.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62; Schulhof"),
            "{}",
            page.body
        );
        // Missing token.
        let r = post(
            &app,
            "/ideen",
            &form("bildung", "Noch eine Idee", &"d".repeat(30), "b"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(db.idea_count(Default::default()).await.unwrap(), 1);
        // A closed field: refused with the reason.
        let field = db
            .idea_fields()
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.1 == "bildung")
            .unwrap()
            .0;
        let admin = db
            .create_user("root@musterstadt.example", "Root", &[Role::Admin])
            .await
            .unwrap();
        let closed = domain::participation::Window {
            closed_at: Some(time::OffsetDateTime::now_utc()),
            opens_at: None,
            closes_at: None,
        };
        db.set_window(
            admin,
            domain::participation::Scope::Field,
            field,
            Some(closed),
        )
        .await
        .unwrap();
        let body = form("bildung", "Noch eine Idee", &"d".repeat(30), "b");
        let r = send(&app, &anna, "/ideen", &format!("{body}&checked=1")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Die Beteiligung in diesem Handlungsfeld ist geschlossen")
        );
        // A blocked person proposes nothing.
        let r = send(
            &app,
            &anna,
            "/ideen",
            &format!(
                "{}&checked=1",
                form("digital-government", "Noch eine Idee", &"d".repeat(30), "b")
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let anna_id = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        db.set_blocked(admin, anna_id, true).await.unwrap();
        let r = send(
            &app,
            &anna,
            "/ideen",
            &format!(
                "{}&checked=1",
                form("digital-government", "Und noch eine", &"d".repeat(30), "b")
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("gesperrt"), "{}", r.body);
        assert_eq!(db.idea_count(Default::default()).await.unwrap(), 2);
        // Bad list parameters: 400 naming them.
        for q in [
            "status=foo",
            "sort=zufall",
            "field=mond",
            "sort=supported&after=abc",
        ] {
            let r = get(&app, &format!("/ideen?{q}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
            let r = get(&app, &format!("/api/v1/ideas?{q}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        }
    }
);

db_test!(ideas_are_limited_per_account, |db| async move {
    let app = app(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    for i in 0..web::ideas::PER_ACCOUNT_HOUR {
        propose(
            &app,
            &anna,
            "bildung",
            &format!("Idee Nummer {i} für Schulen"),
        )
        .await;
    }
    let body = form("bildung", "Eine Idee zu viel", &"d".repeat(30), "b");
    let r = send(&app, &anna, "/ideen", &format!("{body}&checked=1")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        db.idea_count(Default::default()).await.unwrap(),
        web::ideas::PER_ACCOUNT_HOUR
    );
    // Another person is not held up.
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    propose(&app, &ben, "bildung", "Bens Idee für Schulen").await;
});

db_test!(
    the_city_decides_in_its_fields_and_moderators_hide,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let id = propose(&app, &anna, "bildung", "Programmierkurse in den Ferien").await;
        let status = format!("/ideen/{id}/status");
        // A citizen may not; an editor of another field may not; the field's editor may.
        let r = get_with(&app, &status, &[("cookie", &anna)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let other = signed_in(&app, &db, "mobil@musterstadt.example", &[Role::Editor]).await;
        let bildung = signed_in(&app, &db, "bildung@musterstadt.example", &[Role::Editor]).await;
        let fields = db.idea_fields().await.unwrap();
        let field = |slug: &str| fields.iter().find(|f| f.1 == slug).unwrap().0;
        let admin_id = db
            .create_user("root@musterstadt.example", "Root", &[Role::Admin])
            .await
            .unwrap();
        let uid = |e: &'static str| {
            let db = db.clone();
            async move { db.user_by_email(e).await.unwrap().unwrap().id }
        };
        db.set_editor_fields(
            admin_id,
            uid("mobil@musterstadt.example").await,
            &[field("mobilitaet")],
        )
        .await
        .unwrap();
        db.set_editor_fields(
            admin_id,
            uid("bildung@musterstadt.example").await,
            &[field("bildung")],
        )
        .await
        .unwrap();
        let r = get_with(&app, &status, &[("cookie", &other)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let form_page = get_with(&app, &status, &[("cookie", &bildung)]).await;
        assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.body);
        let csrf = csrf_of(&form_page.body);
        // Someone else's token is refused, nothing changes.
        let r = post(
            &app,
            &status,
            &format!(
                "csrf={}&status=accepted",
                csrf_of(
                    &get_with(&app, "/ideen/neu", &[("cookie", &other)])
                        .await
                        .body
                )
            ),
            Some(&other),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A rejection needs a reason; an unknown measure is named.
        let r = post(
            &app,
            &status,
            &format!("csrf={csrf}&status=rejected&reason=++"),
            Some(&bildung),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Bitte begründen Sie die Ablehnung"));
        let r = post(
            &app,
            &status,
            &format!("csrf={csrf}&status=accepted&measure=gibt-es-nicht"),
            Some(&bildung),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Diese Maßnahme gibt es nicht"));
        let r = post(
            &app,
            &status,
            &format!("csrf={csrf}&status=erledigt"),
            Some(&bildung),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            db.idea(id).await.unwrap().unwrap().status,
            IdeaStatus::Submitted
        );
        // Accepted, taken up by a measure: the page says so, the audit log has it.
        let r = post(
            &app,
            &status,
            &format!(
                "csrf={csrf}&status=accepted&reason=Machen+wir.&measure=digitale-volkshochschule"
            ),
            Some(&bildung),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get(&app, &format!("/ideen/{id}")).await;
        assert!(page.body.contains("angenommen"));
        assert!(page.body.contains("Machen wir."));
        assert!(
            page.body
                .contains("href=\"/massnahmen/digitale-volkshochschule\"")
        );
        assert!(page.body.contains("sie kann nicht mehr unterstützt werden"));
        let (audit, _) = db.audit_entries(Some("idea.status"), 5, 0).await.unwrap();
        assert_eq!(audit.len(), 1);
        // Support is over.
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let r = send(
            &app,
            &ben,
            &format!("/ideen/{id}/unterstuetzen"),
            "support=1",
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Moderators hide with a public reason and show again; citizens may not.
        let moderate = format!("/moderation/ideen/{id}");
        assert_eq!(
            get_with(&app, &moderate, &[("cookie", &anna)]).await.status,
            StatusCode::FORBIDDEN
        );
        let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
        let m = get_with(&app, &moderate, &[("cookie", &moderator)]).await;
        assert_eq!(m.status, StatusCode::OK);
        let csrf = csrf_of(&m.body);
        let r = post(
            &app,
            &moderate,
            &format!("csrf={csrf}&action=hide&reason="),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &app,
            &moderate,
            &format!("csrf={csrf}&action=hide&reason=Werbung"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&app, &format!("/ideen/{id}")).await;
        assert!(
            page.body
                .contains("Von der Moderation ausgeblendet: Werbung")
        );
        assert!(!page.body.contains("Eine ausführliche Beschreibung"));
        assert!(
            !get(&app, "/ideen")
                .await
                .body
                .contains(&format!("/ideen/{id}\""))
        );
        assert_eq!(
            get(&app, &format!("/api/v1/ideas/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        let r = post(
            &app,
            &moderate,
            &format!("csrf={csrf}&action=show"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            get(&app, "/ideen")
                .await
                .body
                .contains(&format!("/ideen/{id}\""))
        );
        let (audit, _) = db.audit_entries(Some("idea.hide"), 5, 0).await.unwrap();
        assert_eq!(audit.len(), 1);
    }
);

db_test!(an_idea_has_its_discussion, |db| async move {
    let app = app(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    let id = propose(&app, &anna, "bildung", "Mehr Lesepaten an Grundschulen").await;
    let page = format!("/ideen/{id}");
    let his = get_with(&app, &page, &[("cookie", &ben)]).await;
    assert!(
        his.body
            .contains(&format!("action=\"/ideen/{id}/kommentare\"")),
        "{}",
        his.body
    );
    let csrf = csrf_of(&his.body);
    let r = post(
        &app,
        &format!("/ideen/{id}/kommentare"),
        &format!("csrf={csrf}&body=Gute+Idee%21"),
        Some(&ben),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with(&page)
    );
    let shown = get(&app, &page).await;
    assert!(shown.body.contains("Gute Idee!"), "the cached page dropped");
    assert!(shown.body.contains("1 Kommentar") || shown.body.contains("Ein Kommentar"));
    let api = json(&get(&app, &format!("/api/v1/ideas/{id}/comments")).await);
    assert_eq!(api["idea_id"], id);
    assert!(
        api["comments"][0]["body_html"]
            .as_str()
            .unwrap()
            .contains("Gute Idee!")
    );
    assert!(
        !api.to_string().contains("@musterstadt.example"),
        "display names only"
    );
    let feed = get(&app, &format!("/ideen/{id}/kommentare.atom")).await;
    assert!(feed.body.contains("Gute Idee!"));
    let all = get(&app, &format!("/ideen/{id}/kommentare?sort=oldest")).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("Gute Idee!"));
    // An empty comment: the form again with the reason.
    let r = post(
        &app,
        &format!("/ideen/{id}/kommentare"),
        &format!("csrf={csrf}&body=+"),
        Some(&ben),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // No idea, no discussion.
    assert_eq!(
        get(&app, "/ideen/99999/kommentare").await.status,
        StatusCode::NOT_FOUND
    );
    // Ben, who commented, follows the idea now (commenters follow what they write on); he
    // stops, and starts again with the button; Anna follows her own idea.
    let his = get_with(&app, &page, &[("cookie", &ben)]).await;
    assert!(his.body.contains("Sie folgen dieser Idee."), "{}", his.body);
    let follow = format!("/ideen/{id}/folgen");
    let r = post(&app, &follow, &format!("csrf={csrf}&follow=0"), Some(&ben)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let his = get_with(&app, &page, &[("cookie", &ben)]).await;
    assert!(his.body.contains("Idee folgen"));
    let r = post(&app, &follow, "follow=1", Some(&ben)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token, no follow");
    let r = post(&app, &follow, &format!("csrf={csrf}&follow=1"), Some(&ben)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let hers = get_with(&app, &page, &[("cookie", &anna)]).await;
    assert!(hers.body.contains("Sie folgen dieser Idee."));
    assert!(
        get(&app, &page)
            .await
            .body
            .contains("Anmelden, um dieser Idee zu folgen")
    );
});

db_test!(ideas_are_limited_per_client_address, |db| async move {
    let app = app(&db).await;
    let body = format!(
        "{}&checked=1",
        form("bildung", "Eine Idee für Schulen", &"d".repeat(30), "b")
    );
    // Accounts behind one address share its limit; each stays within its own.
    let mut sent = 0;
    let mut n = 0;
    let refused = loop {
        let cookie = signed_in(
            &app,
            &db,
            &format!("p{n}@musterstadt.example"),
            &[Role::Citizen],
        )
        .await;
        n += 1;
        let csrf = csrf_of(
            &get_with(&app, "/ideen/neu", &[("cookie", &cookie)])
                .await
                .body,
        );
        let mut hit = None;
        for _ in 0..web::ideas::PER_ACCOUNT_HOUR {
            let r = super::client_addr::post_from(
                &app,
                "203.0.113.7",
                "/ideen",
                &format!("csrf={csrf}&{body}"),
                &[("cookie", &cookie)],
            )
            .await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                hit = Some(cookie.clone());
                break;
            }
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            sent += 1;
        }
        if let Some(c) = hit {
            break c;
        }
    };
    assert_eq!(sent, web::ideas::PER_CLIENT_HOUR);
    assert_eq!(
        db.idea_count(Default::default()).await.unwrap(),
        web::ideas::PER_CLIENT_HOUR
    );
    // The same person from another address is not held up.
    let csrf = csrf_of(
        &get_with(&app, "/ideen/neu", &[("cookie", &refused)])
            .await
            .body,
    );
    let r = super::client_addr::post_from(
        &app,
        "198.51.100.9",
        "/ideen",
        &format!("csrf={csrf}&{body}"),
        &[("cookie", &refused)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
});

db_test!(reported_ideas_are_hidden_until_reviewed, |db| async move {
    let app = app(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    let id = propose(&app, &anna, "bildung", "Werbung für meinen Laden").await;
    let page = format!("/ideen/{id}");
    let report = format!("/ideen/{id}/melden");
    // Her own idea: refused with the reason.
    let r = send(&app, &anna, &report, "reason=spam").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Die eigene Idee können Sie nicht melden."));
    // No reason: the form again.
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    let r = send(&app, &ben, &report, "reason=&note=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Two people and a guest report it (Ben twice: he counts once); the third hides it.
    for _ in 0..2 {
        let r = send(&app, &ben, &report, "reason=spam&note=Nur+Werbung").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let cara = signed_in(&app, &db, "cara@musterstadt.example", &[Role::Citizen]).await;
    let r = send(&app, &cara, &report, "reason=off_topic").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        get(&app, &page).await.body.contains("Idee melden"),
        "still shown after two"
    );
    let form = get(&app, &report).await;
    assert!(
        form.body
            .contains(&format!("action=\"/ideen/{id}/melden/gast\""))
    );
    let token = csrf_of(&form.body);
    let r = post(
        &app,
        &format!("/ideen/{id}/melden/gast"),
        "csrf=falsch&reason=spam",
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a guest report needs the form's token"
    );
    let r = post(
        &app,
        &format!("/ideen/{id}/melden/gast"),
        &format!("csrf={token}&reason=spam"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let hidden = get(&app, &page).await;
    assert!(
        hidden
            .body
            .contains("ausgeblendet, bis die Moderation sie prüft"),
        "{}",
        hidden.body
    );
    assert!(
        !get(&app, "/ideen")
            .await
            .body
            .contains(&format!("/ideen/{id}\""))
    );
    // The moderators' queue lists it; the idea's moderation page has the reasons and notes.
    let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(
        queue.body.contains("Werbung für meinen Laden"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("3 Meldungen"));
    let m = get_with(
        &app,
        &format!("/moderation/ideen/{id}"),
        &[("cookie", &moderator)],
    )
    .await;
    assert!(m.body.contains("Nur Werbung"));
    // Reviewed and kept: shown again, out of the queue, the same reporters do not count again.
    let csrf = csrf_of(&m.body);
    let r = post(
        &app,
        &format!("/moderation/ideen/{id}"),
        &format!("csrf={csrf}&action=show"),
        Some(&moderator),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        get(&app, "/ideen")
            .await
            .body
            .contains(&format!("/ideen/{id}\""))
    );
    let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
    assert!(queue.body.contains("Keine gemeldeten Ideen."));
    let r = send(&app, &ben, &report, "reason=spam").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!get(&app, &page).await.body.contains("ausgeblendet"));
    // Ben's export has his report.
    let export = json(&get_with(&app, "/konto/daten.json", &[("cookie", &ben)]).await);
    assert_eq!(export["idea_reports"][0]["idea_id"], id);
    assert_eq!(export["idea_reports"][0]["note"], "Nur Werbung");
});

db_test!(
    the_word_list_holds_an_idea_for_the_moderation,
    |db| async move {
        let app = app(&db).await;
        let admin = db
            .create_user("root@musterstadt.example", "Root", &[Role::Admin])
            .await
            .unwrap();
        db.set_setting(admin, web::comments::WORDS_KEY, "Schnäppchen")
            .await
            .unwrap();
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let body = form(
            "bildung",
            "Tablets als Schnäppchen für Schulen",
            &"d".repeat(30),
            "b",
        );
        let r = send(&app, &anna, "/ideen", &format!("{body}&checked=1")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.headers[header::LOCATION], "/ideen/in-pruefung");
        let notice = get_with(&app, "/ideen/in-pruefung", &[("cookie", &anna)]).await;
        assert!(notice.body.contains("Ihre Idee wird geprüft"));
        assert_eq!(
            db.idea_count(Default::default()).await.unwrap(),
            0,
            "not in the lists"
        );
        let moderator = signed_in(&app, &db, "mod@musterstadt.example", &[Role::Moderator]).await;
        let queue = get_with(&app, "/moderation", &[("cookie", &moderator)]).await;
        assert!(
            queue
                .body
                .contains("zurückgehalten (Wortliste oder erster Beitrag)"),
            "{}",
            queue.body
        );
        let id = db.idea_queue(10).await.unwrap()[0].id;
        let m = get_with(
            &app,
            &format!("/moderation/ideen/{id}"),
            &[("cookie", &moderator)],
        )
        .await;
        let csrf = csrf_of(&m.body);
        let r = post(
            &app,
            &format!("/moderation/ideen/{id}"),
            &format!("csrf={csrf}&action=show"),
            Some(&moderator),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.idea_count(Default::default()).await.unwrap(),
            1,
            "approved, it is listed"
        );
        assert!(db.idea_queue(10).await.unwrap().is_empty());
    }
);
