//! Follows and notifications through the router: the follow button in the cached page's slot,
//! the list and the settings, the digest mail with its one-click unsubscribe (RFC 8058), the
//! digest time in the back office, and the data export.
use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::notifications::{Delivery, FollowKind, Kind};

const SLUG: &str = "digitaltag-musterstadt";

async fn page(app: &axum::Router, path: &str, cookie: &str) -> Res {
    get_with(app, path, &[("cookie", cookie)]).await
}

/// A progress report on the measure, saved by an editor.
async fn report(db: &Db) {
    let email = "redaktion@musterstadt.example";
    let editor = match db.user_by_email(email).await.unwrap() {
        Some(u) => u.id,
        None => db
            .create_user(email, "Redaktion", &[Role::Editor])
            .await
            .unwrap(),
    };
    let id = db.measure_id_by_slug(SLUG).await.unwrap().unwrap();
    let (version, mut edit) = db.measure_version(id).await.unwrap().unwrap();
    edit.progress = Some(if edit.progress == Some(42) { 43 } else { 42 });
    let label = |_: &str, _: &str, _: i64, _: i64| "Fortschritt: 42 %".to_string();
    db.update_measure(editor, id, version, &edit, &label)
        .await
        .unwrap();
}

/// The value of header `name` in a mail file.
fn header_of<'a>(eml: &'a str, name: &str) -> Option<&'a str> {
    eml.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

db_test!(
    a_follower_gets_the_digest_with_a_working_unsubscribe,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let path = format!("/massnahmen/{SLUG}");
        // Anonymous readers are asked to sign in; the page is the same cached page for all.
        let anonymous = get(&app, &path).await;
        assert!(
            anonymous
                .body
                .contains("Anmelden, um dieser Maßnahme zu folgen")
        );
        let before = page(&app, &path, &anna).await;
        assert!(
            before.body.contains("Maßnahme folgen</button>"),
            "{}",
            before.body
        );
        let csrf = csrf_of(&before.body);
        // Without the token nothing happens.
        let refused = post(&app, &format!("{path}/folgen"), "follow=1", Some(&anna)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let follow = post(
            &app,
            &format!("{path}/folgen"),
            &format!("csrf={csrf}&follow=1"),
            Some(&anna),
        )
        .await;
        assert_eq!(follow.status, StatusCode::SEE_OTHER);
        assert_eq!(
            follow.headers["location"],
            format!("{path}#folgen").as_str()
        );
        // Twice: the cached page with the slot filled in shows the new state.
        for _ in 0..2 {
            let after = page(&app, &path, &anna).await;
            assert!(after.body.contains("Sie folgen dieser Maßnahme."));
        }
        assert!(!get(&app, &path).await.body.contains("Sie folgen"));
        report(&db).await;
        let list = page(&app, "/benachrichtigungen", &anna).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body
                .contains("Neuer Fortschrittsbericht: Digitaltag Musterstadt"),
            "{}",
            list.body
        );
        assert!(list.body.contains("Fortschritt: 42 %"));
        assert!(list.body.contains("Benachrichtigungen (1 neue)"));
        // The digest goes out once, however often the task runs (on PostgreSQL: on every
        // instance); the next day the notification is due.
        let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::hours(25);
        assert_eq!(
            web::notifications::send_due(&state, tomorrow)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            web::notifications::send_due(&state, tomorrow)
                .await
                .unwrap(),
            0
        );
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-digest-{}-{}",
            std::process::id(),
            db.engine() == store::Engine::Postgres
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mailer = web::mail::Mailer::outbox(&dir, "radar@musterstadt.example").unwrap();
        let (sent, _) = web::mail::run_once(&db, &mailer, tomorrow).await.unwrap();
        assert_eq!(sent, 1);
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let eml = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(eml.contains("To: anna@musterstadt.example"));
        assert_eq!(
            header_of(&eml, "List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
        let link = header_of(&eml, "List-Unsubscribe").unwrap();
        let url = link
            .strip_prefix("<https://radar.example")
            .and_then(|l| l.strip_suffix('>'))
            .unwrap();
        assert!(url.starts_with("/benachrichtigungen/abbestellen?token="));
        assert!(!url.contains("anna"), "the address is never in the link");
        // The stored message has forgotten the link.
        let stored: Option<String> = store::on_db!(&db, p => sqlx::query_scalar("SELECT secret FROM mail_queue").fetch_one(p).await.unwrap());
        assert_eq!(stored, None);
        // A bad link is refused with a clear page and changes nothing.
        let bad = post(
            &app,
            "/benachrichtigungen/abbestellen?token=1.0123456789abcdef0123456789abcdef",
            "List-Unsubscribe=One-Click",
            None,
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body.contains("Dieser Abmeldelink ist ungültig"),
            "{}",
            bad.body
        );
        let anna_id = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(
            db.notification_prefs(anna_id)
                .await
                .unwrap()
                .of(Kind::Progress),
            Delivery::Digest
        );
        // Following the link shows a button (a scanner unsubscribes nobody) …
        let form = get(&app, url).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("E-Mails abbestellen"));
        assert_eq!(form.headers["referrer-policy"], "no-referrer");
        assert_eq!(
            db.notification_prefs(anna_id)
                .await
                .unwrap()
                .of(Kind::Progress),
            Delivery::Digest
        );
        // … and the mail programme's one-click POST, without cookie or CSRF token, unsubscribes.
        let req = Request::post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .unwrap();
        let done = res_of(app.clone().oneshot(req).await.unwrap()).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(
            done.body
                .contains("Sie erhalten keine Benachrichtigungen mehr per E-Mail.")
        );
        let prefs = db.notification_prefs(anna_id).await.unwrap();
        assert!(Kind::ALL.iter().all(|k| prefs.of(*k) == Delivery::App));
        // The list stays; no more mail.
        report(&db).await;
        assert_eq!(db.notifications_of_user(anna_id).await.unwrap().len(), 2);
        let later = tomorrow + time::Duration::hours(24);
        assert_eq!(
            web::notifications::send_due(&state, later).await.unwrap(),
            0
        );
    }
);

db_test!(
    settings_list_and_follows_work_without_script,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let settings = page(&app, "/konto/benachrichtigungen", &anna).await;
        assert_eq!(settings.status, StatusCode::OK);
        assert!(settings.body.contains("gegen 07:00 Uhr"));
        assert!(settings.body.contains("Sie folgen noch nichts."));
        let csrf = csrf_of(&settings.body);
        // A missing choice is named and nothing is saved.
        let bad = post(
            &app,
            "/konto/benachrichtigungen",
            &format!("csrf={csrf}&progress=off&reply=app&official=digest&idea_status=immediate"),
            Some(&anna),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("Entscheidungen der Moderation"),
            "{}",
            bad.body
        );
        let id = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(
            db.notification_prefs(id).await.unwrap(),
            store::notifications::Prefs::default()
        );
        let ok = post(
            &app,
            "/konto/benachrichtigungen",
            &format!("csrf={csrf}&progress=off&reply=app&official=digest&idea_status=immediate&moderation=digest"),
            Some(&anna),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let prefs = db.notification_prefs(id).await.unwrap();
        assert_eq!(
            (
                prefs.of(Kind::Progress),
                prefs.of(Kind::Reply),
                prefs.of(Kind::IdeaStatus),
                prefs.auto_follow
            ),
            (Delivery::Off, Delivery::App, Delivery::Immediate, false)
        );
        // With following what one writes on turned off, a comment follows nothing.
        let measure = format!("/massnahmen/{SLUG}");
        let r = post(
            &app,
            &format!("{measure}/kommentare"),
            &format!("csrf={csrf}&body=Wann+geht+es+los%3F"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = db.measure_id_by_slug(SLUG).await.unwrap().unwrap();
        assert!(!db.follows(id, FollowKind::Measure, m).await.unwrap());
        // A reply to it is in the list (in-app only), with the replier's name.
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let ben_csrf = csrf_of(&page(&app, "/konto", &ben).await.body);
        let comment = db.comments_of_user(id).await.unwrap()[0].id;
        let r = post(
            &app,
            &format!("/kommentare/{comment}/antworten"),
            &format!("csrf={ben_csrf}&body=Im+Herbst."),
            Some(&ben),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Ben follows the measure now (he wrote on it); Anna follows the field by its button.
        assert!(
            db.follows(
                db.user_by_email("ben@musterstadt.example")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
                FollowKind::Measure,
                m
            )
            .await
            .unwrap()
        );
        let field = post(
            &app,
            "/handlungsfelder/bildung/folgen",
            &format!("csrf={csrf}&follow=1"),
            Some(&anna),
        )
        .await;
        assert_eq!(field.status, StatusCode::SEE_OTHER);
        let nonsense = post(
            &app,
            "/handlungsfelder/bildung/folgen",
            &format!("csrf={csrf}&follow=vielleicht"),
            Some(&anna),
        )
        .await;
        assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            nonsense
                .body
                .contains("Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“.")
        );
        let list = page(&app, "/benachrichtigungen", &anna).await;
        assert!(
            list.body
                .contains("hat auf Ihren Kommentar zu „Digitaltag Musterstadt“ geantwortet"),
            "{}",
            list.body
        );
        assert!(list.body.contains("Im Herbst."));
        // Marking read: someone else's number changes nothing, one's own does.
        let n = db.notifications_of_user(id).await.unwrap()[0].id;
        let r = post(
            &app,
            "/benachrichtigungen/gelesen",
            &format!("csrf={ben_csrf}&id={n}"),
            Some(&ben),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(db.unread_notifications(id).await.unwrap(), 1);
        let r = post(
            &app,
            "/benachrichtigungen/gelesen",
            &format!("csrf={csrf}&all=1"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(db.unread_notifications(id).await.unwrap(), 0);
        let bad = page(&app, "/benachrichtigungen?before=abc", &anna).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // The export holds follows, notifications and settings.
        let export = page(&app, "/konto/daten.json", &anna).await;
        let data = json(&export);
        assert_eq!(data["follows"][0]["kind"], "field");
        assert_eq!(data["follows"][0]["title"], "Bildung");
        assert_eq!(data["notifications"][0]["kind"], "reply");
        assert_eq!(data["notifications"][0]["by"], "Amtsleitung");
        assert_eq!(data["notification_settings"]["delivery"]["progress"], "off");
        assert_eq!(
            data["notification_settings"]["follow_what_i_write_on"],
            false
        );
        // The settings list what is followed, and unfollow it.
        let settings = page(&app, "/konto/benachrichtigungen", &anna).await;
        assert!(
            settings
                .body
                .contains("Handlungsfeld: <a href=\"/handlungsfelder/bildung\">Bildung</a>"),
            "{}",
            settings.body
        );
        let r = post(
            &app,
            "/konto/benachrichtigungen/entfolgen",
            &format!("csrf={csrf}&kind=field&id={}", data["follows"][0]["id"]),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(db.follows_of_user(id).await.unwrap().is_empty());
        // Deleting the account removes them.
        db.delete_account(id).await.unwrap();
        assert!(db.notifications_of_user(id).await.unwrap().is_empty());
    }
);

db_test!(
    admins_set_the_digest_time_and_bad_times_are_refused,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let form = page(&app, "/admin/einstellungen", &admin).await;
        assert!(form.body.contains("value=\"07:00\""));
        let csrf = csrf_of(&form.body);
        let body = |time: &str| format!("csrf={csrf}&threshold=3&words=&digest_time={time}");
        let bad = post(
            &app,
            "/admin/einstellungen/beteiligung",
            &body("25%3A00"),
            Some(&admin),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains("Bitte geben Sie die Uhrzeit als hh:mm an"),
            "{}",
            bad.body
        );
        assert_eq!(
            web::notifications::digest_time(&state)
                .await
                .unwrap()
                .format(),
            "07:00"
        );
        let ok = post(
            &app,
            "/admin/einstellungen/beteiligung",
            &body("6%3A30"),
            Some(&admin),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            web::notifications::digest_time(&state)
                .await
                .unwrap()
                .format(),
            "06:30"
        );
        let settings = page(&app, "/konto/benachrichtigungen", &admin).await;
        assert!(settings.body.contains("gegen 06:30 Uhr"));
    }
);
