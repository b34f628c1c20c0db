//! Registration with a confirmation mail, the forgotten-password mail, changing the password and
//! deleting the account.

use super::accounts::{PW, cookie_of, csrf_of, link, post};
use super::*;

/// The link in the newest queued mail to `to`, as a path.
pub(super) async fn link_in_mail(db: &Db, to: &str) -> (String, String) {
    let now = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    let mails = db
        .claim_mail("test", now, now + time::Duration::minutes(5), 100)
        .await
        .unwrap();
    let m = mails
        .into_iter()
        .rev()
        .find(|m| m.to_address == to)
        .expect("a mail to this address");
    let url = m
        .bodies(|s| s.to_string())
        .0
        .lines()
        .find(|l| l.starts_with("https://radar.example/"))
        .unwrap()
        .to_string();
    (
        url.trim_start_matches("https://radar.example").to_string(),
        m.subject,
    )
}

db_test!(a_citizen_registers_confirms_and_logs_in, |db| async move {
    let app = app(&db).await;
    let form = "name=Anna+M.&email=anna%40musterstadt.example&password=Gruene+Ampel+am+Rathaus&password2=Gruene+Ampel+am+Rathaus";
    let r = post(&app, "/registrieren", form, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Bitte prüfen Sie Ihr Postfach"));
    let login = "email=anna%40musterstadt.example&password=Gruene+Ampel+am+Rathaus";
    let early = post(&app, "/anmelden", login, None).await;
    assert!(
        early
            .body
            .contains("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse")
    );
    let (link, subject) = link_in_mail(&db, "anna@musterstadt.example").await;
    assert!(subject.starts_with(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse – Digitalisierungsradar Musterstadt"
    ));
    let page = get(&app, &link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Adresse bestätigen"),
        "a button, not a confirming GET"
    );
    let token = link.split("token=").nth(1).unwrap();
    let r = post(&app, "/konto/bestaetigen", &format!("token={token}"), None).await;
    assert_eq!(r.headers[header::LOCATION], "/anmelden?hinweis=bestaetigt");
    assert_eq!(
        post(&app, "/konto/bestaetigen", &format!("token={token}"), None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let ok = post(&app, "/anmelden", login, None).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let cookie = cookie_of(&ok);
    let account = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
    assert!(account.body.contains("Bürgerin/Bürger"));
    let data = get_with(&app, "/konto/daten.json", &[("cookie", &cookie)]).await;
    assert!(data.body.contains("\"email\":\"anna@musterstadt.example\""));
    // A second registration with the same address: same answer, a note to the owner.
    let again = post(&app, "/registrieren", form, None).await;
    assert!(again.body.contains("Bitte prüfen Sie Ihr Postfach"));
    let (_, subject) = link_in_mail(&db, "anna@musterstadt.example").await;
    assert!(subject.starts_with("Anmeldung beim"));
});

db_test!(
    bad_registrations_name_every_problem_and_create_nothing,
    |db| async move {
        let app = app(&db).await;
        let r = post(
            &app,
            "/registrieren",
            "name=A&email=keine-adresse&password=kurz&password2=kurz",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for m in [
            "Der Name ist zu kurz",
            "gültige E-Mail-Adresse",
            "Das Passwort ist zu kurz",
        ] {
            assert!(r.body.contains(m), "{m}");
        }
        let long = "n".repeat(100);
        let r = post(
            &app,
            "/registrieren",
            &format!("name={long}&email=b%40musterstadt.example&password=x&password2=y"),
            None,
        )
        .await;
        assert!(
            r.body.contains("Der Name ist zu lang") && r.body.contains("stimmen nicht überein")
        );
        assert!(
            db.user_by_email("b@musterstadt.example")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(db.mail_stats().await.unwrap().queued, 0);
    }
);

db_test!(
    password_reset_change_and_account_deletion,
    |db| async move {
        let app = app(&db).await;
        let token = link(
            &db,
            "admin@musterstadt.example",
            &[domain::accounts::Role::Editor],
            time::Duration::hours(1),
        )
        .await;
        post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password={PW}&password2={PW}"),
            None,
        )
        .await;
        // Forgotten password: a link by mail, the same answer for unknown addresses.
        let r = post(
            &app,
            "/passwort-vergessen",
            "email=niemand%40musterstadt.example",
            None,
        )
        .await;
        assert!(r.body.contains("Wenn es ein Konto mit dieser Adresse gibt"));
        let r = post(
            &app,
            "/passwort-vergessen",
            "email=admin%40musterstadt.example",
            None,
        )
        .await;
        assert!(r.body.contains("Wenn es ein Konto mit dieser Adresse gibt"));
        let (reset, subject) = link_in_mail(&db, "admin@musterstadt.example").await;
        assert!(subject.starts_with("Neues Passwort festlegen"));
        let t = reset.split("token=").nth(1).unwrap();
        let new = "Neue+Ampel+am+Marktplatz";
        let r = post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={t}&password={new}&password2={new}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            post(
                &app,
                "/anmelden",
                &format!("email=admin%40musterstadt.example&password={PW}"),
                None
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );
        let r = post(
            &app,
            "/anmelden",
            &format!("email=admin%40musterstadt.example&password={new}"),
            None,
        )
        .await;
        let cookie = cookie_of(&r);
        let other = cookie_of(
            &post(
                &app,
                "/anmelden",
                &format!("email=admin%40musterstadt.example&password={new}"),
                None,
            )
            .await,
        );
        let page = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
        let csrf = csrf_of(&page.body);
        // Change password: the current one is checked; other devices are logged out.
        let wrong = post(
            &app,
            "/konto/passwort",
            &format!("csrf={csrf}&current=falsch&password={PW}&password2={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Das bisherige Passwort stimmt nicht."));
        let r = post(
            &app,
            "/konto/passwort",
            &format!("csrf={csrf}&current={new}&password={PW}&password2={PW}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.headers[header::LOCATION], "/konto?hinweis=passwort");
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &cookie)])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &other)]).await.status,
            StatusCode::SEE_OTHER
        );
        // Delete: needs the password; afterwards the address and name are gone.
        let wrong = post(
            &app,
            "/konto/loeschen",
            &format!("csrf={csrf}&password=falsch"),
            Some(&cookie),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &app,
            "/konto/loeschen",
            &format!("csrf={csrf}&password={PW}"),
            Some(&cookie),
        )
        .await;
        assert!(r.body.contains("Ihr Konto ist gelöscht"));
        assert!(
            db.user_by_email("admin@musterstadt.example")
                .await
                .unwrap()
                .is_none()
        );
        let rows = db.users(10, 0).await.unwrap();
        assert_eq!(rows[0].0.display_name, "gelöschtes Konto");
        assert!(rows[0].1.is_empty());
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &cookie)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
);
