//! Site branding: the logo upload (checked by its bytes), its route, and the accent colour.
use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const SAFE_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#1f4e8c\"/></svg>";

/// Sends the upload form: `csrf` and a file field `logo`.
async fn upload(
    app: &axum::Router,
    cookie: &str,
    csrf: &str,
    name: &str,
    mime: &str,
    file: &[u8],
) -> Res {
    post_file(
        app,
        "/admin/einstellungen/logo",
        cookie,
        csrf,
        ("logo", name, mime),
        file,
    )
    .await
}

async fn settings_csrf(app: &axum::Router, cookie: &str) -> String {
    csrf_of(
        &get_with(app, "/admin/einstellungen", &[("cookie", cookie)])
            .await
            .body,
    )
}

/// The `src` of the logo in the site header, if any.
fn header_logo(page: &str) -> Option<String> {
    page.split("<img class=\"logo\" src=\"")
        .nth(1)
        .map(|r| r.split('"').next().unwrap().to_string())
}

async fn audit_count(db: &Db, action: &str) -> usize {
    db.audit_entries(Some(action), 10, 0).await.unwrap().0.len()
}

db_test!(
    an_admin_uploads_a_logo_that_every_page_shows_and_removes_it,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let before = get(&app, "/").await;
        assert_eq!(header_logo(&before.body), None);
        let page = get_with(&app, "/admin/einstellungen", &[("cookie", &admin)]).await;
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        assert!(page.body.contains("<label for=\"logo\">Logo-Datei</label>"));
        let csrf = csrf_of(&page.body);
        // A PNG named and labelled as SVG is stored as what its bytes say.
        let r = upload(&app, &admin, &csrf, "logo.svg", "image/svg+xml", PNG).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.headers[header::LOCATION],
            "/admin/einstellungen?hinweis=logo"
        );
        let saved = get_with(
            &app,
            "/admin/einstellungen?hinweis=logo",
            &[("cookie", &admin)],
        )
        .await;
        assert!(saved.body.contains("Das Logo ist gespeichert."));
        assert!(saved.body.contains("alt=\"Aktuelles Logo\""));
        // Every page, cached ones too, shows it with the city's name as alternative text.
        let home = get(&app, "/").await;
        let src = header_logo(&home.body).expect("a logo in the header");
        assert!(src.starts_with("/logo?v="));
        assert!(home.body.contains(&format!(
            "<img class=\"logo\" src=\"{src}\" alt=\"Musterstadt\" height=\"40\">"
        )));
        let logo = get(&app, &src).await;
        assert_eq!(logo.status, StatusCode::OK);
        assert_eq!(logo.headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(
            logo.headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; style-src 'unsafe-inline'"
        );
        assert!(
            logo.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("inline")
        );
        assert_eq!(logo.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            logo.headers[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("max-age=31536000")
        );
        assert_eq!(
            logo.body,
            String::from_utf8_lossy(PNG),
            "the stored bytes come back"
        );
        let etag = logo.headers[header::ETAG].to_str().unwrap().to_string();
        let again = get_with(&app, "/logo", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        let log = db
            .audit_entries(Some("logo.update"), 10, 0)
            .await
            .unwrap()
            .0;
        assert_eq!(log.len(), 1);
        assert_eq!(
            log[0].after_value.as_deref(),
            Some(format!("image/png, {} B", PNG.len()).as_str())
        );
        // A safe SVG replaces it, under a new URL.
        let r = upload(
            &app,
            &admin,
            &csrf,
            "wappen.svg",
            "image/svg+xml",
            SAFE_SVG.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let new_src = header_logo(&get(&app, "/").await.body).unwrap();
        assert_ne!(new_src, src);
        let svg = get(&app, &new_src).await;
        assert_eq!(svg.headers[header::CONTENT_TYPE], "image/svg+xml");
        assert_eq!(
            svg.headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; style-src 'unsafe-inline'"
        );
        assert_eq!(audit_count(&db, "logo.update").await, 2);
        // Removing: a form with the token; afterwards no logo anywhere.
        assert_eq!(
            post(
                &app,
                "/admin/einstellungen/logo-entfernen",
                "csrf=falsch",
                Some(&admin)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert!(db.logo().await.unwrap().is_some());
        let r = post(
            &app,
            "/admin/einstellungen/logo-entfernen",
            &format!("csrf={csrf}"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers[header::LOCATION],
            "/admin/einstellungen?hinweis=logo-entfernt"
        );
        assert_eq!(header_logo(&get(&app, "/").await.body), None);
        assert_eq!(get(&app, "/logo").await.status, StatusCode::NOT_FOUND);
        assert_eq!(audit_count(&db, "logo.remove").await, 1);
    }
);

db_test!(bad_logos_are_refused_and_change_nothing, |db| async move {
    let app = app(&db).await;
    let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
    let csrf = settings_csrf(&app, &admin).await;
    let mut big = PNG.to_vec();
    big.resize(domain::branding::MAX_LOGO + 1, 0);
    for (name, mime, file, message) in [
        (
            "logo.gif",
            "image/gif",
            b"GIF89a\x01\0\x01\0".to_vec(),
            "Diese Datei ist kein Bild im Format PNG, JPEG, SVG oder WebP.",
        ),
        (
            "logo.png",
            "image/png",
            b"<html><body>kein Bild</body></html>".to_vec(),
            "Diese Datei ist kein Bild im Format PNG, JPEG, SVG oder WebP.",
        ),
        (
            "logo.svg",
            "image/svg+xml",
            b"<svg><script>alert(1)</script></svg>".to_vec(),
            "Diese SVG-Datei enthält Skripte",
        ),
        (
            "logo.svg",
            "image/svg+xml",
            b"<svg onload=\"alert(1)\"/>".to_vec(),
            "Diese SVG-Datei enthält Skripte",
        ),
        (
            "logo.svg",
            "image/svg+xml",
            b"<svg><image href=\"https://tracker.example/p.png\"/></svg>".to_vec(),
            "Verweise auf andere Adressen",
        ),
        (
            "logo.png",
            "image/png",
            big,
            "Die Datei ist größer als 512 KB.",
        ),
        (
            "",
            "application/octet-stream",
            Vec::new(),
            "Bitte wählen Sie eine Logo-Datei aus.",
        ),
    ] {
        let r = upload(&app, &admin, &csrf, name, mime, &file).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name} {mime}");
        assert!(r.body.contains(message), "{name}: {message}");
    }
    // Past the route's own body limit the request is cut off before the handler.
    let huge = vec![0u8; web::admin::LOGO_BODY_LIMIT + 1];
    let r = upload(&app, &admin, &csrf, "logo.png", "image/png", &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Other routes keep the 64 KB limit.
    let r = post(
        &app,
        "/admin/einstellungen/farbe",
        &format!("csrf={csrf}&accent={}", "x".repeat(70 * 1024)),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without the token, or as someone who is not an admin.
    assert_eq!(
        upload(&app, &admin, "falsch", "logo.png", "image/png", PNG)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
    let editor_csrf = csrf_of(&get_with(&app, "/konto", &[("cookie", &editor)]).await.body);
    assert_eq!(
        upload(&app, &editor, &editor_csrf, "logo.png", "image/png", PNG)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(db.logo().await.unwrap().is_none());
    assert_eq!(audit_count(&db, "logo.update").await, 0);
    assert_eq!(header_logo(&get(&app, "/").await.body), None);
});

db_test!(
    the_accent_colour_needs_aa_contrast_and_comes_as_a_stylesheet,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let csrf = settings_csrf(&app, &admin).await;
        let home = get(&app, "/").await;
        assert!(home.body.contains(
            "<link rel=\"stylesheet\" href=\"/assets/style.css\">\n<link rel=\"stylesheet\" href=\"/theme.css\">"
        ));
        let shipped = get(&app, "/theme.css").await;
        assert_eq!(shipped.status, StatusCode::OK);
        assert!(
            shipped.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
        assert!(!shipped.body.contains("--accent"));
        // Too light: refused with the measured ratio, nothing stored.
        let ratio =
            domain::colour::contrast_on_white(domain::colour::parse_hex("#66a3ff").unwrap());
        let shown = format!("{:.2}", (ratio * 100.0).floor() / 100.0).replace('.', ",");
        let r = post(
            &app,
            "/admin/einstellungen/farbe",
            &format!("csrf={csrf}&accent=%2366a3ff"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains(&format!("Diese Farbe hat zu Weiß nur einen Kontrast von {shown}:1; nötig sind mindestens 4,5:1.")),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("value=\"#66a3ff\""),
            "the typed value is kept"
        );
        for bad in ["blau", "%231f4e8", "1f4e8c", "%23zzzzzz"] {
            let r = post(
                &app,
                "/admin/einstellungen/farbe",
                &format!("csrf={csrf}&accent={bad}"),
                Some(&admin),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(
                r.body.contains("als # und sechs Hexadezimalziffern"),
                "{bad}"
            );
        }
        assert_eq!(
            post(
                &app,
                "/admin/einstellungen/farbe",
                "csrf=falsch&accent=%23000000",
                Some(&admin)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(db.setting("accent_color").await.unwrap(), None);
        assert_eq!(audit_count(&db, "setting.update").await, 0);
        // A dark colour passes and every page gets it through the stylesheet.
        let r = post(
            &app,
            "/admin/einstellungen/farbe",
            &format!("csrf={csrf}&accent=%23005A32"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers[header::LOCATION],
            "/admin/einstellungen?hinweis=farbe"
        );
        let css = get(&app, "/theme.css").await;
        assert_eq!(css.body, ":root { --accent: #005a32; }\n");
        assert_eq!(css.headers[header::CACHE_CONTROL], "no-cache");
        let etag = css.headers[header::ETAG].to_str().unwrap().to_string();
        assert_eq!(
            get_with(&app, "/theme.css", &[("if-none-match", &etag)])
                .await
                .status,
            StatusCode::NOT_MODIFIED
        );
        let form = get_with(
            &app,
            "/admin/einstellungen?hinweis=farbe",
            &[("cookie", &admin)],
        )
        .await;
        assert!(form.body.contains("Die Akzentfarbe ist gespeichert."));
        assert!(form.body.contains("value=\"#005a32\""));
        let log = db
            .audit_entries(Some("setting.update"), 10, 0)
            .await
            .unwrap()
            .0;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].subject_type, "accent_color");
        assert_eq!(log[0].after_value.as_deref(), Some("#005a32"));
        // Empty: back to the shipped colour.
        let r = post(
            &app,
            "/admin/einstellungen/farbe",
            &format!("csrf={csrf}&accent="),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(!get(&app, "/theme.css").await.body.contains("--accent"));
        assert_ne!(
            get_with(&app, "/theme.css", &[("if-none-match", &etag)])
                .await
                .status,
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(audit_count(&db, "setting.update").await, 2);
    }
);
