//! The newsletter through the router: subscribing with double opt-in (bad input, the limits,
//! confirming once), nothing sent to an unconfirmed address, the mail with its one-click
//! unsubscribe (RFC 8058) and topics link, the account's choice, and the back office (a citizen
//! is refused; an editor writes, pulls in, tests, sends; the archive follows).
use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use time::OffsetDateTime;

/// The mails in the queue (claimed, so each is seen once), with their one-time links.
async fn mails(db: &Db) -> Vec<store::mail::QueuedMail> {
    let now = OffsetDateTime::now_utc() + time::Duration::days(1);
    db.claim_mail("test", now, now + time::Duration::minutes(1), 10_000)
        .await
        .unwrap()
}

/// The path of a link of this site.
fn path_of(link: &str) -> &str {
    link.strip_prefix("https://radar.example").unwrap()
}

async fn subscribe(app: &axum::Router, email: &str, topics: &[&str]) -> Res {
    let page = get(app, "/newsletter").await;
    let form = form_of(&page.body, "/newsletter");
    let token = &form.iter().find(|(k, _)| k == "csrf").unwrap().1;
    let mut body = format!("csrf={token}&email={}", email.replace('@', "%40"));
    for t in topics {
        body.push_str(&format!("&topic={t}"));
    }
    post(app, "/newsletter", &body, None).await
}

/// Presses the button behind a confirmation link with `token`.
async fn press_confirm(app: &axum::Router, token: &str) -> Res {
    post(
        app,
        "/newsletter/bestaetigen",
        &format!("token={token}"),
        None,
    )
    .await
}

async fn state_of(db: &Db, email: &str) -> Option<store::newsletter::Subscriber> {
    db.newsletter_subscriber_by_email(email).await.unwrap()
}

/// An issue about `topics` by a new editor, sent now; the task's rounds queue its mails.
async fn send(db: &Db, state: &web::AppState, topics: &[&str]) -> i64 {
    let editor = match db
        .user_by_email("redaktion@musterstadt.example")
        .await
        .unwrap()
    {
        Some(u) => u.id,
        None => db
            .create_user(
                "redaktion@musterstadt.example",
                "Redaktion",
                &[Role::Editor],
            )
            .await
            .unwrap(),
    };
    let topics = domain::newsletter::Topics::parse(topics.iter().copied()).unwrap();
    let id = db
        .create_newsletter_issue(
            editor,
            &store::newsletter::issues::IssueInput {
                subject: "Neues aus Musterstadt",
                body: "Hallo **alle**",
                body_html: "<p>Hallo <strong>alle</strong></p>",
                topics,
            },
        )
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    assert!(
        db.send_newsletter_issue(editor, id, None, now)
            .await
            .unwrap()
    );
    for _ in 0..3 {
        web::newsletter::send_round(state, 0, now).await.unwrap();
    }
    id
}

db_test!(
    a_subscription_waits_for_its_confirmation_and_ends_in_one_click,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        // Bad input: the form again, with the problems named, and nothing queued.
        let bad = subscribe(&app, "keine-adresse", &["events"]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);
        assert!(bad.body.contains("aria-invalid=\"true\""));
        let unknown = subscribe(&app, "anna@example.org", &["lotto"]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("Dieses Thema gibt es nicht"));
        let none = subscribe(&app, "anna@example.org", &[]).await;
        assert!(none.body.contains("mindestens ein Thema"));
        assert!(mails(&db).await.is_empty());
        assert!(state_of(&db, "anna@example.org").await.is_none());
        // A form without this site's token is refused.
        let forged = post(
            &app,
            "/newsletter",
            "csrf=x&email=anna%40example.org&topic=all",
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // Subscribing: the confirmation mail, and the address waits.
        let ok = subscribe(&app, "Anna@Example.org", &["events"]).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.body.contains("Bitte bestätigen Sie Ihre Adresse"));
        let sent = mails(&db).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to_address, "anna@example.org");
        assert!(!sent[0].one_click_unsubscribe);
        let confirm = sent[0].secret.clone().unwrap();
        assert!(
            !sent[0].body_text.contains(&confirm),
            "the link is kept apart"
        );
        let s = state_of(&db, "anna@example.org").await.unwrap();
        assert_eq!(s.state, "pending");
        // Only the token's hash is stored.
        let token = confirm.split("token=").nth(1).unwrap().to_string();
        let hashes: Vec<Option<String>> = store::on_db!(&db, p => sqlx::query_scalar("SELECT confirm_hash FROM newsletter_subscribers").fetch_all(p).await.unwrap());
        assert_eq!(hashes, vec![Some(web::session::sha256_hex(&token))]);
        // An issue about events goes out before the confirmation: nothing for Anna.
        let first = send(&db, &state, &["events"]).await;
        assert!(
            mails(&db).await.is_empty(),
            "nothing for an unconfirmed address"
        );
        let p = db.newsletter_progress(first).await.unwrap();
        assert_eq!((p.sent, p.queued, p.waiting), (0, 0, 0));
        // The link shows a button; a GET confirms nothing (mail scanners follow links).
        let page = get(&app, path_of(&confirm)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Veranstaltungen"));
        assert_eq!(
            state_of(&db, "anna@example.org").await.unwrap().state,
            "pending"
        );
        assert_eq!(page.headers["referrer-policy"], "no-referrer");
        let forged = get(&app, "/newsletter/bestaetigen?token=nicht-von-uns").await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        let done = press_confirm(&app, &token).await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.body.contains("Abonnement bestätigt"));
        // Confirming twice: the link is used up, and says so.
        let twice = press_confirm(&app, &token).await;
        assert_eq!(twice.status, StatusCode::BAD_REQUEST);
        assert!(twice.body.contains("schon benutzt"), "{}", twice.body);
        assert_eq!(
            state_of(&db, "anna@example.org").await.unwrap().state,
            "confirmed"
        );
        // Subscribing a confirmed address again changes nothing; the mail leads to its topics.
        subscribe(&app, "anna@example.org", &["strategy"]).await;
        let known = mails(&db).await;
        assert_eq!(known.len(), 1);
        assert!(
            known[0]
                .secret
                .as_deref()
                .unwrap()
                .contains("/newsletter/themen?token=")
        );
        let s = state_of(&db, "anna@example.org").await.unwrap();
        assert!(s.topics.events && !s.topics.strategy);
        // An issue about strategy does not reach her; one about events does, once.
        send(&db, &state, &["strategy"]).await;
        assert!(mails(&db).await.is_empty());
        let issue = send(&db, &state, &["events", "offers"]).await;
        let p = db.newsletter_progress(issue).await.unwrap();
        assert_eq!((p.queued, p.left()), (1, 1));
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-newsletter-{}-{}",
            std::process::id(),
            db.engine() == store::Engine::Postgres
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mailer = web::mail::Mailer::outbox(&dir, "radar@musterstadt.example").unwrap();
        let later = OffsetDateTime::now_utc() + time::Duration::minutes(1);
        let (delivered, _) = web::mail::run_once(&db, &mailer, later).await.unwrap();
        assert_eq!(delivered, 1);
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let eml = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let header = |name: &str| {
            eml.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .map(str::to_string)
        };
        assert_eq!(
            header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let link = header("List-Unsubscribe").unwrap();
        let url = link
            .strip_prefix("<https://radar.example")
            .and_then(|l| l.strip_suffix('>'))
            .unwrap()
            .to_string();
        assert!(url.starts_with("/newsletter/abbestellen?token="));
        assert!(!url.contains("anna"));
        let p = db.newsletter_progress(issue).await.unwrap();
        assert_eq!((p.sent, p.failed, p.left()), (1, 0, 0));
        // The link's page leads to the topics, which change without signing in.
        let token = url.split("token=").nth(1).unwrap();
        let topics = get(&app, &format!("/newsletter/themen?token={token}")).await;
        assert_eq!(topics.status, StatusCode::OK);
        let lotto = post(
            &app,
            &format!("/newsletter/themen?token={token}"),
            "topic=lotto",
            None,
        )
        .await;
        assert_eq!(lotto.status, StatusCode::UNPROCESSABLE_ENTITY);
        let saved = post(
            &app,
            &format!("/newsletter/themen?token={token}"),
            "topic=offers",
            None,
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK);
        let s = state_of(&db, "anna@example.org").await.unwrap();
        assert!(s.topics.offers && !s.topics.events);
        // A forged token changes nothing.
        let forged = post(
            &app,
            "/newsletter/abbestellen?token=1.0123456789abcdef0123456789abcdef",
            "List-Unsubscribe=One-Click",
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            state_of(&db, "anna@example.org").await.unwrap().state,
            "confirmed"
        );
        // The one-click POST (no cookie, no token but the link's), twice: both fine.
        for _ in 0..2 {
            let r = post(&app, &url, "List-Unsubscribe=One-Click", None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(r.body.contains("abbestellt"));
        }
        assert_eq!(
            state_of(&db, "anna@example.org").await.unwrap().state,
            "unsubscribed"
        );
        send(&db, &state, &["offers"]).await;
        assert!(mails(&db).await.is_empty(), "nothing after unsubscribing");
    }
);

db_test!(
    subscriptions_are_limited_per_address_and_client,
    |db| async move {
        let app = app(&db).await;
        for i in 0..domain::newsletter::PER_ADDRESS_HOUR {
            let r = subscribe(&app, "ziel@example.org", &["all"]).await;
            assert_eq!(r.status, StatusCode::OK, "attempt {i}");
        }
        let r = subscribe(&app, "ziel@example.org", &["all"]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key("retry-after"));
        assert_eq!(
            mails(&db).await.len() as i64,
            domain::newsletter::PER_ADDRESS_HOUR
        );
        // The same client, other addresses: up to its own limit.
        let mut refused = 0;
        for i in 0..domain::newsletter::PER_CLIENT_HOUR {
            let r = subscribe(&app, &format!("andere-{i}@example.org"), &["all"]).await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                refused += 1;
            }
        }
        assert!(refused > 0, "one client cannot subscribe without end");
    }
);

db_test!(
    an_editor_writes_tests_and_sends_an_issue_a_citizen_cannot,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let citizen = signed_in(&app, &db, "buerger@musterstadt.example", &[Role::Citizen]).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let page = get_with(&app, "/konto", &[("cookie", citizen.as_str())]).await;
        let citizen_csrf = csrf_of(&page.body);
        for path in ["/admin/newsletter", "/admin/newsletter/neu"] {
            let r = get_with(&app, path, &[("cookie", citizen.as_str())]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let r = post(
            &app,
            "/admin/newsletter/neu",
            &format!("csrf={citizen_csrf}&subject=Spam&body=Spam&topic=all"),
            Some(&citizen),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(db.newsletter_issues(1, 10).await.unwrap().1, 0);
        // The citizen subscribes in the account, at once (the address is confirmed).
        let r = post(
            &app,
            "/konto/newsletter",
            &format!("csrf={citizen_csrf}&action=subscribe&topic=strategy"),
            Some(&citizen),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let s = state_of(&db, "buerger@musterstadt.example").await.unwrap();
        assert!(s.confirmed() && s.topics.strategy && !s.topics.events);
        let account = get_with(&app, "/konto/newsletter", &[("cookie", citizen.as_str())]).await;
        assert!(account.body.contains("Sie haben den Newsletter abonniert"));
        let export = get_with(&app, "/konto/daten.json", &[("cookie", citizen.as_str())]).await;
        assert_eq!(
            json(&export)["newsletter"]["topics"],
            serde_json::json!(["strategy"])
        );
        // The archive is cached before the issue goes out …
        let archive = get(&app, "/newsletter/archiv").await;
        assert!(archive.body.contains("noch kein Newsletter"));
        // The editor writes: the form with its problems, the pulled-in reports, then a save.
        let page = get_with(&app, "/konto", &[("cookie", editor.as_str())]).await;
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            "/admin/newsletter/neu",
            &format!("csrf={csrf}&topic=lotto"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Dieses Thema gibt es nicht"));
        let r = post(
            &app,
            "/admin/newsletter/neu",
            &format!("csrf={csrf}&action=pull&topic=strategy"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Neue Fortschrittsberichte"), "{}", r.body);
        let r = post(
            &app,
            "/admin/newsletter/neu",
            &format!("csrf={csrf}&action=save&subject=Stadtradar+im+Dezember&body=Liebe+Leserinnen%0A%0A**fett**+und+%3Cscript%3Ealert(1)%3C%2Fscript%3E&topic=strategy"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let at = r.headers["location"].to_str().unwrap().to_string();
        let id: i64 = at
            .trim_start_matches("/admin/newsletter/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = get_with(&app, &at, &[("cookie", editor.as_str())]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<strong>fett</strong>"));
        assert!(
            !page.body.contains("<script>alert"),
            "the preview is sanitised"
        );
        assert!(page.body.contains("1 bestätigtes Abonnement"));
        // Not yet public.
        assert_eq!(
            get(&app, &format!("/newsletter/archiv/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        // A test to the editor only.
        let r = post(
            &app,
            &format!("/admin/newsletter/{id}/test"),
            &format!("csrf={csrf}"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let test = mails(&db).await;
        assert_eq!(test.len(), 1);
        assert_eq!(test[0].to_address, "redaktion@musterstadt.example");
        assert!(test[0].subject.starts_with("[Test]"));
        // Scheduling needs a time to come; sending now begins at once and is audited.
        let r = post(
            &app,
            &format!("/admin/newsletter/{id}/senden"),
            &format!("csrf={csrf}&when=2001-01-01T10%3A00"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &app,
            &format!("/admin/newsletter/{id}/senden"),
            &format!("csrf={csrf}&when=2099-01-01T10%3A00"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.newsletter_issue(id).await.unwrap().unwrap().state,
            "scheduled"
        );
        let r = post(
            &app,
            &format!("/admin/newsletter/{id}/senden"),
            &format!("csrf={csrf}"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let (log, _) = db
            .audit_log(&store::audit::AuditFilter::default(), 50, 0)
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"newsletter.schedule") && actions.contains(&"newsletter.send"),
            "{actions:?}"
        );
        // Once it goes out it cannot be changed, and a citizen's POST to send it is refused.
        let r = post(
            &app,
            &format!("/admin/newsletter/{id}/senden"),
            &format!("csrf={citizen_csrf}"),
            Some(&citizen),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        web::newsletter::send_round(&state, 0, OffsetDateTime::now_utc())
            .await
            .unwrap();
        let out = mails(&db).await;
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].to_address, "buerger@musterstadt.example");
        assert!(out[0].one_click_unsubscribe);
        let page = get_with(&app, &at, &[("cookie", editor.as_str())]).await;
        assert!(page.body.contains("Ausstehend"), "the progress is shown");
        // … and the archive shows it now, with its page and feed.
        let archive = get(&app, "/newsletter/archiv").await;
        assert!(
            archive.body.contains("Stadtradar im Dezember"),
            "{}",
            archive.body
        );
        let issue = get(&app, &format!("/newsletter/archiv/{id}")).await;
        assert_eq!(issue.status, StatusCode::OK);
        assert!(issue.body.contains("<strong>fett</strong>"));
        let feed = get(&app, "/newsletter/archiv.atom").await;
        assert!(
            feed.body.contains("<title>Stadtradar im Dezember</title>"),
            "{}",
            feed.body
        );
    }
);

db_test!(
    each_subscriber_gets_the_frame_of_an_issue_in_their_language,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        // Erika subscribes on the German page, Sam on the English one.
        for (email, path) in [
            ("erika@example.org", "/newsletter"),
            ("sam@example.org", "/newsletter?lang=en"),
        ] {
            let page = get(&app, path).await;
            let form = form_of(&page.body, "/newsletter");
            let csrf = &form.iter().find(|(k, _)| k == "csrf").unwrap().1;
            let body = format!("csrf={csrf}&email={}&topic=all", email.replace('@', "%40"));
            assert_eq!(post(&app, path, &body, None).await.status, StatusCode::OK);
        }
        let confirmations = mails(&db).await;
        assert_eq!(confirmations.len(), 2);
        for m in &confirmations {
            let english = m.to_address == "sam@example.org";
            assert_eq!(
                m.subject.starts_with("Please confirm"),
                english,
                "{}",
                m.subject
            );
            let token = m.secret.as_deref().unwrap().split("token=").nth(1).unwrap();
            assert_eq!(press_confirm(&app, token).await.status, StatusCode::OK);
        }
        assert_eq!(state_of(&db, "sam@example.org").await.unwrap().lang, "en");
        send(&db, &state, &["strategy"]).await;
        let issue = mails(&db).await;
        assert_eq!(issue.len(), 2);
        for m in &issue {
            let html = m.body_html.as_deref().unwrap();
            // The editors' text is the same; the frame around it is the subscriber's language.
            assert!(m.body_text.starts_with("Hallo **alle**"));
            if m.to_address == "sam@example.org" {
                assert!(m.body_text.contains("You receive this newsletter"));
                assert!(html.contains("<html lang=\"en\">"));
            } else {
                assert!(m.body_text.contains("Sie erhalten diesen Newsletter"));
                assert!(html.contains("<html lang=\"de\">"));
            }
        }
    }
);
