//! Site texts: the imprint, the privacy notice and the contact, entered by an admin.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

db_test!(
    an_admin_publishes_imprint_and_privacy_notice,
    |db| async move {
        let app = app(&db).await;
        let missing = get(&app, "/impressum").await;
        assert!(missing.body.contains("noch kein Impressum hinterlegt"));
        let privacy = get(&app, "/datenschutz").await;
        assert!(
            privacy.body.contains("keine Cookies"),
            "the shipped privacy notice until the city enters its own"
        );
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let page = get_with(&app, "/admin/einstellungen", &[("cookie", &admin)]).await;
        let csrf = csrf_of(&page.body);
        let body = format!(
            "csrf={csrf}&imprint={}&privacy=&contact={}",
            web::radar::params::encode(
                "**Stadt Musterstadt**, Rathausplatz 1 <script>alert(1)</script>"
            ),
            web::radar::params::encode("Telefon 0123 456")
        );
        let r = post(&app, "/admin/einstellungen", &body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Die Einstellungen sind gespeichert."));
        let imprint = get(&app, "/impressum").await;
        assert!(
            imprint
                .body
                .contains("<strong>Stadt Musterstadt</strong>, Rathausplatz 1")
        );
        assert!(!imprint.body.contains("<script>alert"), "sanitised");
        assert!(imprint.body.contains("Telefon 0123 456"));
        assert!(
            get(&app, "/datenschutz")
                .await
                .body
                .contains("keine Cookies"),
            "empty privacy text keeps the default"
        );
        let (log, _) = db
            .audit_entries(Some("setting.update"), 10, 0)
            .await
            .unwrap();
        assert_eq!(
            log.len(),
            2,
            "imprint and contact changed, privacy stayed empty"
        );
        let too_long = format!("csrf={csrf}&imprint={}", "x".repeat(50_001));
        assert_eq!(
            post(&app, "/admin/einstellungen", &too_long, Some(&admin))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
);
