//! Changing the e-mail address: requested on /konto with the password, confirmed on the new
//! address by a button that asks for the password again.
use super::accounts::{PW, cookie_of, csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use store::mail::QueuedMail;
use time::{Duration, OffsetDateTime};

const OLD: &str = "anna@musterstadt.example";
const NEW: &str = "anna.neu@musterstadt.example";
const NEW_ENC: &str = "anna.neu%40musterstadt.example";

/// Every mail queued so far and not yet taken by an earlier call.
async fn mails(db: &Db) -> Vec<QueuedMail> {
    let now = OffsetDateTime::now_utc() + Duration::seconds(1);
    db.claim_mail("test", now, now + Duration::minutes(5), 100)
        .await
        .unwrap()
}

fn link_of(m: &QueuedMail) -> String {
    m.bodies(|s| s.to_string())
        .0
        .lines()
        .find(|l| l.starts_with("https://radar.example/"))
        .unwrap()
        .trim_start_matches("https://radar.example")
        .to_string()
}

async fn account_csrf(app: &axum::Router, cookie: &str) -> String {
    csrf_of(&get_with(app, "/konto", &[("cookie", cookie)]).await.body)
}

async fn email_of(db: &Db, id: i64) -> String {
    db.user_by_id(id).await.unwrap().unwrap().email
}

async fn entries(db: &Db) -> Vec<store::audit::AuditEntry> {
    db.audit_entries(Some("user.email_change"), 10, 0)
        .await
        .unwrap()
        .0
}

db_test!(
    a_new_address_is_confirmed_with_a_button_and_the_password,
    |db| async move {
        let app = app(&db).await;
        let cookie = signed_in(&app, &db, OLD, &[Role::Citizen]).await;
        let id = db.user_by_email(OLD).await.unwrap().unwrap().id;
        let laptop = cookie_of(
            &post(
                &app,
                "/anmelden",
                &format!("email=anna%40musterstadt.example&password={PW}"),
                None,
            )
            .await,
        );
        let page = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
        assert!(
            page.body
                .contains("<form class=\"form\" method=\"post\" action=\"/konto/adresse\">")
        );
        assert!(
            page.body
                .contains("<label for=\"new-email\">Neue E-Mail-Adresse</label>")
        );
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            "/konto/adresse",
            &format!("csrf={csrf}&email=Anna.Neu%40Musterstadt.example&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.headers[header::LOCATION],
            "/konto?hinweis=adresse-gesendet"
        );
        let shown = get_with(
            &app,
            "/konto?hinweis=adresse-gesendet",
            &[("cookie", &cookie)],
        )
        .await;
        assert!(
            shown
                .body
                .contains("Wir haben einen Link an die neue Adresse geschickt")
        );
        assert_eq!(
            email_of(&db, id).await,
            OLD,
            "nothing changes before the confirmation"
        );
        // Two mails, queued together: the link to the new address, a notice to the old one.
        let sent = mails(&db).await;
        assert_eq!(sent.len(), 2);
        let to_new = sent.iter().find(|m| m.to_address == NEW).unwrap();
        assert!(to_new.subject.starts_with(
            "Bitte bestätigen Sie Ihre neue E-Mail-Adresse – Digitalisierungsradar Musterstadt"
        ));
        assert!(
            to_new
                .body_text
                .contains("die Adresse anna.neu@musterstadt.example verwenden")
        );
        assert!(
            to_new
                .bodies(|s| s.to_string())
                .1
                .unwrap()
                .contains("<a href=\"https://radar.example/konto/adresse-bestaetigen?token=")
        );
        // Stored, the message holds a placeholder; the link is its secret until sent.
        assert!(!to_new.body_html.as_deref().unwrap().contains("token="));
        let notice = sent.iter().find(|m| m.to_address == OLD).unwrap();
        assert!(
            notice
                .subject
                .starts_with("Änderung Ihrer E-Mail-Adresse angefordert")
        );
        assert!(notice.body_text.contains("anna.neu@musterstadt.example"));
        assert!(
            !notice.body_text.contains("adresse-bestaetigen"),
            "the old address never gets the link"
        );
        assert!(notice.body_html.is_some());
        let link = link_of(to_new);
        let token = link.split("token=").nth(1).unwrap().to_string();
        // Only the hash of the token is stored.
        assert!(
            db.check_email_change(&token, OffsetDateTime::now_utc())
                .await
                .unwrap()
                .is_err()
        );
        // Opening the link changes nothing: a button does.
        let form = get(&app, &link).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body
                .contains("<strong>anna.neu@musterstadt.example</strong>")
        );
        assert!(form.body.contains(
            "<form class=\"form\" method=\"post\" action=\"/konto/adresse-bestaetigen\">"
        ));
        assert!(
            form.body
                .contains("<label for=\"password\">Passwort Ihres Kontos</label>")
        );
        assert_eq!(email_of(&db, id).await, OLD);
        // Without the account's password (a mistyped address reached a stranger): nothing.
        let wrong = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={token}&password=falsch-falsch"),
            None,
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Das bisherige Passwort stimmt nicht."));
        assert_eq!(email_of(&db, id).await, OLD);
        assert!(entries(&db).await.is_empty());
        // From the person's own session: the address changes, that session stays, others end.
        let ok = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={token}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(ok.headers[header::LOCATION], "/konto?hinweis=adresse");
        assert_eq!(email_of(&db, id).await, NEW);
        let account = get_with(&app, "/konto?hinweis=adresse", &[("cookie", &cookie)]).await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.body.contains("Ihre E-Mail-Adresse ist geändert."));
        assert!(
            account
                .body
                .contains("<dd>anna.neu@musterstadt.example</dd>")
        );
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &laptop)])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "the other session ended"
        );
        let log = entries(&db).await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].actor_id, Some(id));
        assert_eq!(log[0].subject_id, Some(id));
        assert_eq!(log[0].before_value.as_deref(), Some(OLD));
        assert_eq!(log[0].after_value.as_deref(), Some(NEW));
        // The link works once.
        let again = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={token}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("Dieser Link wurde bereits benutzt."));
        assert_eq!(entries(&db).await.len(), 1);
        // The new address logs in; the old one no longer does.
        assert_eq!(
            post(
                &app,
                "/anmelden",
                &format!("email={NEW_ENC}&password={PW}"),
                None
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            post(
                &app,
                "/anmelden",
                &format!("email=anna%40musterstadt.example&password={PW}"),
                None
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );
        // Deleting the account also removes the former addresses from the audit log.
        let csrf = account_csrf(&app, &cookie).await;
        post(
            &app,
            "/konto/loeschen",
            &format!("csrf={csrf}&password={PW}"),
            Some(&cookie),
        )
        .await;
        let log = entries(&db).await;
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].before_value.clone(), log[0].after_value.clone()),
            (None, None)
        );
    }
);

db_test!(
    confirming_without_a_session_logs_out_everywhere,
    |db| async move {
        let app = app(&db).await;
        let cookie = signed_in(&app, &db, OLD, &[Role::Citizen]).await;
        let id = db.user_by_email(OLD).await.unwrap().unwrap().id;
        let csrf = account_csrf(&app, &cookie).await;
        post(
            &app,
            "/konto/adresse",
            &format!("csrf={csrf}&email={NEW_ENC}&password={PW}"),
            Some(&cookie),
        )
        .await;
        let link = link_of(
            mails(&db)
                .await
                .iter()
                .find(|m| m.to_address == NEW)
                .unwrap(),
        );
        let token = link.split("token=").nth(1).unwrap();
        let r = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={token}&password={PW}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/anmelden?hinweis=adresse");
        assert_eq!(email_of(&db, id).await, NEW);
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &cookie)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert!(
            get(&app, "/anmelden?hinweis=adresse")
                .await
                .body
                .contains("Bitte melden Sie sich mit der neuen Adresse an.")
        );
    }
);

db_test!(
    bad_change_requests_name_the_problem_and_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let cookie = signed_in(&app, &db, OLD, &[Role::Citizen]).await;
        let id = db.user_by_email(OLD).await.unwrap().unwrap().id;
        let csrf = account_csrf(&app, &cookie).await;
        for (body, message) in [
            (
                format!("csrf={csrf}&email={NEW_ENC}&password=falsch-falsch"),
                "Das bisherige Passwort stimmt nicht.",
            ),
            (
                format!("csrf={csrf}&email=keine-adresse&password={PW}"),
                "Bitte geben Sie eine gültige E-Mail-Adresse an.",
            ),
            (
                format!("csrf={csrf}&email=ANNA%40musterstadt.example&password={PW}"),
                "Das ist bereits Ihre E-Mail-Adresse.",
            ),
        ] {
            let r = post(&app, "/konto/adresse", &body, Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(r.body.contains(message), "{body}: {message}");
        }
        let kept = post(
            &app,
            "/konto/adresse",
            &format!("csrf={csrf}&email=keine-adresse&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert!(
            kept.body.contains("value=\"keine-adresse\""),
            "the typed value is kept"
        );
        // Without the form token.
        let r = post(
            &app,
            "/konto/adresse",
            &format!("csrf=falsch&email={NEW_ENC}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(email_of(&db, id).await, OLD);
        assert!(mails(&db).await.is_empty(), "no mail for a refused request");
        // Links that are unknown, expired or for another purpose.
        let expired = web::session::random_token().unwrap();
        db.request_email_change(
            id,
            NEW,
            Some(&web::session::sha256_hex(&expired)),
            OffsetDateTime::now_utc() - Duration::minutes(1),
            &[],
        )
        .await
        .unwrap();
        for (token, message) in [
            (expired.as_str(), "Dieser Link ist abgelaufen."),
            ("unsinn", "Dieser Link ist ungültig."),
        ] {
            let page = get(&app, &format!("/konto/adresse-bestaetigen?token={token}")).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST);
            assert!(page.body.contains(message), "{message}");
            let r = post(
                &app,
                "/konto/adresse-bestaetigen",
                &format!("token={token}&password={PW}"),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains(message), "{message}");
        }
        let reset = web::session::random_token().unwrap();
        db.create_token(
            id,
            store::accounts::TokenPurpose::ResetPassword,
            &web::session::sha256_hex(&reset),
            OffsetDateTime::now_utc() + Duration::hours(1),
        )
        .await
        .unwrap();
        let r = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={reset}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "a reset link is no change link"
        );
        assert_eq!(email_of(&db, id).await, OLD);
        assert!(entries(&db).await.is_empty());
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &cookie)])
                .await
                .status,
            StatusCode::OK,
            "the session is untouched"
        );
    }
);

db_test!(
    an_address_with_an_account_is_not_revealed,
    |db| async move {
        let app = app(&db).await;
        let cookie = signed_in(&app, &db, OLD, &[Role::Citizen]).await;
        let other = db
            .create_user(NEW, "Bernd", &[Role::Citizen])
            .await
            .unwrap();
        let id = db.user_by_email(OLD).await.unwrap().unwrap().id;
        let csrf = account_csrf(&app, &cookie).await;
        let r = post(
            &app,
            "/konto/adresse",
            &format!("csrf={csrf}&email={NEW_ENC}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "the same answer as for a free address"
        );
        assert_eq!(
            r.headers[header::LOCATION],
            "/konto?hinweis=adresse-gesendet"
        );
        let sent = mails(&db).await;
        assert_eq!(sent.len(), 2, "the same mails are queued");
        let to_owner = sent.iter().find(|m| m.to_address == NEW).unwrap();
        assert!(to_owner.subject.starts_with("Ihre E-Mail-Adresse beim"));
        assert!(to_owner.body_text.starts_with("Guten Tag Bernd,"));
        assert!(to_owner.body_text.contains("es ändert sich nichts"));
        assert!(
            !to_owner.body_text.contains("token="),
            "no link that could change anything"
        );
        assert!(sent.iter().any(|m| m.to_address == OLD));
        assert_eq!(email_of(&db, id).await, OLD);
        assert_eq!(email_of(&db, other).await, NEW);
        // A free address taken by someone else between the mail and the confirmation.
        let later = "spaeter@musterstadt.example";
        post(
            &app,
            "/konto/adresse",
            &format!("csrf={csrf}&email=spaeter%40musterstadt.example&password={PW}"),
            Some(&cookie),
        )
        .await;
        let link = link_of(
            mails(&db)
                .await
                .iter()
                .find(|m| m.to_address == later)
                .unwrap(),
        );
        db.create_user(later, "Carla", &[Role::Citizen])
            .await
            .unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let r = post(
            &app,
            "/konto/adresse-bestaetigen",
            &format!("token={token}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.body
                .contains("Diese Adresse gehört inzwischen zu einem anderen Konto.")
        );
        assert_eq!(email_of(&db, id).await, OLD);
        assert!(entries(&db).await.is_empty());
    }
);

db_test!(
    a_newer_request_replaces_the_older_link_and_requests_are_rate_limited,
    |db| async move {
        let app = app(&db).await;
        let cookie = signed_in(&app, &db, OLD, &[Role::Citizen]).await;
        let csrf = account_csrf(&app, &cookie).await;
        let request =
            |n: usize| format!("csrf={csrf}&email=neu{n}%40musterstadt.example&password={PW}");
        post(&app, "/konto/adresse", &request(1), Some(&cookie)).await;
        let first = link_of(
            mails(&db)
                .await
                .iter()
                .find(|m| m.to_address == "neu1@musterstadt.example")
                .unwrap(),
        );
        post(&app, "/konto/adresse", &request(2), Some(&cookie)).await;
        let token = first.split("token=").nth(1).unwrap();
        assert_eq!(
            post(
                &app,
                "/konto/adresse-bestaetigen",
                &format!("token={token}&password={PW}"),
                Some(&cookie)
            )
            .await
            .status,
            StatusCode::BAD_REQUEST,
            "only the newest link works"
        );
        for n in 3..=web::accounts::EMAIL_CHANGE_LIMIT as usize {
            let r = post(&app, "/konto/adresse", &request(n), Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let queued = db.mail_stats().await.unwrap().queued;
        let r = post(&app, "/konto/adresse", &request(99), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        assert!(r.body.contains("Zu viele Versuche"));
        assert_eq!(
            db.mail_stats().await.unwrap().queued,
            queued,
            "no mail when refused"
        );
        assert_eq!(db.user_by_email(OLD).await.unwrap().unwrap().email, OLD);
    }
);
