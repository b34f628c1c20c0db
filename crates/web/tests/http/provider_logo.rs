//! A provider's logo: its people (and admins) upload, replace and remove it on the provider's
//! details page; a wrong type (SVG included), a file too large or broken, no file and a missing
//! or too long alternative text are refused at their field with nothing changed; another
//! provider's people get 403; the logo is public (its type, a strong ETag, a year's cache, the
//! strict policy) only while the provider is approved, shown with its text, width and height on
//! the provider's page and its offers' pages and named in HSDS; a change drops those pages only.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::offers_api::city;
use super::*;
use domain::accounts::Role;

mod access;

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0]);
    b
}

/// A JPEG's start: SOI, then a baseline frame of 200 × 100 pixels.
fn jpeg() -> Vec<u8> {
    vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x64, 0x00, 0xC8, 0x03, 0x01, 0x22, 0x00,
    ]
}

/// The logo form of this site: `csrf`, the file (when given: its name and bytes) and the text.
async fn upload(
    app: &axum::Router,
    uri: &str,
    cookie: &str,
    csrf: &str,
    alt: &str,
    file: Option<(&str, &[u8])>,
) -> Res {
    let boundary = "----provider-logo-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .into_bytes();
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"logo_alt\"\r\n\r\n{alt}\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    let req = Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len().to_string())
        .header("host", super::accounts::HOST)
        .header("origin", format!("https://{}", super::accounts::HOST))
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    res_of(app.clone().oneshot(req).await.unwrap()).await
}

/// A file of the form: its name and bytes.
type File<'a> = (&'a str, &'a [u8]);

async fn user_id(db: &Db, email: &str) -> i64 {
    db.user_by_email(email).await.unwrap().unwrap().id
}

const ALT: &str = "Logo der Stadtbibliothek: ein offenes Buch";

db_test!(
    a_providers_people_upload_a_logo_that_shows_on_its_pages,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let (lib, _, _, cafe) = city(&db).await;
        let admin = db
            .create_user("admin@musterstadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let anna = signed_in(&app, &db, "anna@bibliothek.example", &[Role::Citizen]).await;
        let anna_id = user_id(&db, "anna@bibliothek.example").await;
        assert!(db.add_provider_member(admin, lib, anna_id).await.unwrap());
        let edit = format!("/anbieten/{lib}/bearbeiten");
        let action = format!("/anbieten/{lib}/logo");
        let page = get_with(&app, &edit, &[("cookie", &anna)]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!(
            "action=\"{action}\" enctype=\"multipart/form-data\""
        )));
        assert!(
            page.body
                .contains("accept=\"image/png,image/jpeg,image/webp\"")
        );
        let csrf = csrf_of(&page.body);

        // Refused at the field, nothing stored: no text, SVG, GIF, too large, broken, no file,
        // a text too long, and two problems at once.
        let svg: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>";
        let mut big = png(400, 200);
        big.resize(600 * 1024, 0);
        let broken = png(400, 200)[..20].to_vec();
        let long = "x".repeat(201);
        let good = png(400, 200);
        let cases: [(&str, Option<File>, &[&str]); 8] = [
            (
                "",
                Some(("logo.png", &good)),
                &["Bitte beschreiben Sie das Logo in Worten (Alternativtext)."],
            ),
            (
                ALT,
                Some(("logo.svg", svg)),
                &[
                    "Diese Datei ist kein Bild im Format PNG, JPEG oder WebP. SVG-Dateien sind nicht möglich.",
                ],
            ),
            (
                ALT,
                Some(("logo.gif", b"GIF89a\x01\0\x01\0")),
                &["Diese Datei ist kein Bild im Format PNG, JPEG oder WebP."],
            ),
            (
                ALT,
                Some(("logo.png", &big)),
                &["Das Logo ist zu groß (höchstens 512 KB)."],
            ),
            (
                ALT,
                Some(("logo.png", &broken)),
                &["Die Logo-Datei ist beschädigt oder unvollständig."],
            ),
            (ALT, None, &["Bitte wählen Sie eine Logo-Datei."]),
            (
                long.as_str(),
                Some(("logo.png", &good)),
                &["Der Alternativtext ist zu lang (höchstens 200 Zeichen)."],
            ),
            (
                " ",
                Some(("logo.svg", svg)),
                &[
                    "SVG-Dateien sind nicht möglich.",
                    "Bitte beschreiben Sie das Logo in Worten (Alternativtext).",
                ],
            ),
        ];
        for (alt, file, messages) in cases {
            let r = upload(&app, &action, &anna, &csrf, alt, file).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{alt}: {}",
                r.body
            );
            for m in messages {
                assert!(r.body.contains(m), "{m}: {}", r.body);
            }
            assert!(r.body.contains("aria-invalid=\"true\""));
            assert!(db.provider_logo(lib).await.unwrap().is_none());
        }
        let r = upload(&app, &action, &anna, &csrf, "", None).await;
        assert!(r.body.contains("id=\"logo-error\"") && r.body.contains("id=\"logo_alt-error\""));

        // The pages that will show it, cached, and two that will not.
        let provider_page = "/anbieter/stadtbibliothek";
        let offer_page = format!("/angebote/{cafe}");
        for uri in [
            provider_page,
            &offer_page,
            "/angebote",
            "/anbieter",
            "/api/hsds/organizations",
        ] {
            let r = get(&app, uri).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}");
            assert!(!r.body.contains("/logo?v="), "{uri}");
        }
        assert_eq!(state.cache.len(), 5);

        // Saved: the provider's page, its offer's page and HSDS drop out of the cache; the lists
        // stay.
        let r = upload(
            &app,
            &action,
            &anna,
            &csrf,
            &format!(" {ALT}\n"),
            Some(("logo.png", &good)),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.headers[header::LOCATION], format!("{edit}?hinweis=logo"));
        assert_eq!(
            state.cache.len(),
            2,
            "only the provider's pages were dropped"
        );
        let head = db.provider_by_id(lib).await.unwrap().unwrap().logo.unwrap();
        assert_eq!(
            (head.width, head.height, head.alt.as_str()),
            (400, 200, ALT)
        );
        let src = format!("/anbieter/stadtbibliothek/logo?v={}", head.etag);
        let p = get(&app, provider_page).await;
        assert!(
            p.body.contains(&format!(
                "<img src=\"{src}\" width=\"240\" height=\"120\" alt=\"{ALT}\" loading=\"lazy\">"
            )),
            "{}",
            p.body
        );
        let o = get(&app, &offer_page).await;
        assert!(
            o.body.contains(&format!(
                "<img class=\"provider-logo-small\" src=\"{src}\" width=\"120\" height=\"60\" alt=\"{ALT}\" loading=\"lazy\">"
            )),
            "{}",
            o.body
        );
        let hsds = json(&get(&app, "/api/hsds/organizations").await);
        let url = format!("https://radar.example{src}");
        assert_eq!(hsds["contents"][0]["logo"], url.as_str());
        let org = hsds["contents"][0]["id"].as_str().unwrap().to_string();
        let full = json(&get(&app, &format!("/api/hsds/organizations/{org}")).await);
        assert_eq!(full["logo"], url.as_str());

        // Served with its type, a strong ETag, a year's cache and the strict policy.
        let r = get(&app, &src).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
        // A strong ETag (the page cache's, as for every cached answer).
        let etag = r.headers[header::ETAG].to_str().unwrap().to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        assert_eq!(
            r.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(
            r.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .starts_with("default-src 'none'")
        );
        let img = app
            .clone()
            .oneshot(Request::get(&src).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = img.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(bytes.as_ref(), good.as_slice());
        let again = get_with(&app, &src, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);

        // The details page says so and shows it from the back office's address.
        let page = get_with(&app, &format!("{edit}?hinweis=logo"), &[("cookie", &anna)]).await;
        assert!(page.body.contains("Das Logo ist gespeichert."));
        let own = format!("/anbieten/{lib}/logo?v={}", head.etag);
        assert!(
            page.body.contains(&format!("<img src=\"{own}\"")),
            "{}",
            page.body
        );
        let r = get_with(&app, &own, &[("cookie", &anna)]).await;
        assert_eq!(
            (r.status, r.headers[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::OK, "image/png")
        );

        // Replaced by a JPEG: a new address; a new text alone keeps the file.
        let r = upload(
            &app,
            &action,
            &anna,
            &csrf,
            ALT,
            Some(("logo.jpg", &jpeg())),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let jpeg_head = db.provider_by_id(lib).await.unwrap().unwrap().logo.unwrap();
        assert_ne!(jpeg_head.etag, head.etag);
        assert_eq!((jpeg_head.width, jpeg_head.height), (200, 100));
        let r = get(
            &app,
            &format!("/anbieter/stadtbibliothek/logo?v={}", jpeg_head.etag),
        )
        .await;
        assert_eq!(r.headers[header::CONTENT_TYPE], "image/jpeg");
        let r = upload(&app, &action, &anna, &csrf, "Ein offenes Buch", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let renamed = db.provider_by_id(lib).await.unwrap().unwrap().logo.unwrap();
        assert_eq!(
            (renamed.etag.as_str(), renamed.alt.as_str()),
            (jpeg_head.etag.as_str(), "Ein offenes Buch")
        );
        assert!(
            get(&app, provider_page)
                .await
                .body
                .contains("alt=\"Ein offenes Buch\"")
        );

        // Removed: gone from the pages, HSDS and its address.
        let r = post(
            &app,
            &format!("/anbieten/{lib}/logo/entfernen"),
            &format!("csrf={csrf}"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.headers[header::LOCATION],
            format!("{edit}?hinweis=logo-entfernt")
        );
        assert!(db.provider_logo(lib).await.unwrap().is_none());
        for uri in [provider_page, &offer_page] {
            assert!(!get(&app, uri).await.body.contains("/logo?v="), "{uri}");
        }
        assert!(
            json(&get(&app, "/api/hsds/organizations").await)["contents"][0]
                .get("logo")
                .is_none()
        );
        assert_eq!(get(&app, &src).await.status, StatusCode::NOT_FOUND);
    }
);
