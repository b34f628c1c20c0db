//! A provider's logo: one per provider with a required alternative text, replaced in place,
//! public only while the provider is approved, gone with the provider; each change audited and
//! publishing the provider's tag only. On both engines.

use super::*;
use domain::offers::ProviderInput;
use store::offers::logos::{LogoSaved, NewImage};

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Bücher, Medien und Hilfe am Computer.".into(),
        email: "info@bibliothek.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

fn image<'a>(body: &'a [u8], etag: &'a str) -> NewImage<'a> {
    NewImage {
        mime: "image/png",
        body,
        width: 400,
        height: 200,
        etag,
    }
}

db_test!(
    a_provider_has_one_logo_with_alternative_text,
    |db| async move {
        let admin = db
            .create_user(
                "admin@teststadt.example",
                "Admin",
                &[domain::accounts::Role::Admin],
            )
            .await
            .unwrap();
        let (id, slug) = db
            .create_provider(None, &provider("Stadtbibliothek"), "", false, false)
            .await
            .unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sn = seen.clone();
        db.hub()
            .on_event(move |e| sn.lock().unwrap().extend(store::events::tags_of(e)));

        // Refused, nothing stored and nothing published: no text, a text too long, a new text
        // without a logo, a provider that does not exist.
        let file = b"first file".to_vec();
        for (alt, key) in [
            ("", "provider-logo-alt-missing"),
            ("  \r\n ", "provider-logo-alt-missing"),
            (&*"x".repeat(201), "provider-logo-alt-long"),
        ] {
            assert_eq!(
                db.set_provider_logo(Some(admin), id, Some(image(&file, "a")), alt)
                    .await
                    .unwrap(),
                LogoSaved::Refused(key)
            );
        }
        assert_eq!(
            db.set_provider_logo(Some(admin), id, None, "Ein Buch")
                .await
                .unwrap(),
            LogoSaved::Refused("provider-logo-empty")
        );
        assert_eq!(
            db.set_provider_logo(Some(admin), 999_999, Some(image(&file, "a")), "Ein Buch")
                .await
                .unwrap(),
            LogoSaved::NoProvider
        );
        assert!(db.provider_logo(id).await.unwrap().is_none());
        assert!(db.provider_by_id(id).await.unwrap().unwrap().logo.is_none());
        assert!(seen.lock().unwrap().is_empty());

        // Stored: the provider carries its head, the file is served as stored.
        let saved = db
            .set_provider_logo(
                Some(admin),
                id,
                Some(image(&file, "a")),
                " Ein offenes\nBuch ",
            )
            .await
            .unwrap();
        assert_eq!(saved, LogoSaved::Saved);
        let head = db.provider_by_id(id).await.unwrap().unwrap().logo.unwrap();
        assert_eq!(
            (
                head.etag.as_str(),
                head.width,
                head.height,
                head.alt.as_str()
            ),
            ("a", 400, 200, "Ein offenes Buch")
        );
        let logo = db.provider_logo(id).await.unwrap().unwrap();
        assert_eq!(
            (logo.mime.as_str(), logo.body.as_slice(), logo.etag.as_str()),
            ("image/png", file.as_slice(), "a")
        );
        assert_eq!(*seen.lock().unwrap(), vec![domain::tags::provider(id)]);

        // Not public while the provider waits for approval; public once approved.
        assert!(db.public_provider_logo(&slug).await.unwrap().is_none());
        db.decide_provider(admin, id, true, "").await.unwrap();
        let (owner, public) = db.public_provider_logo(&slug).await.unwrap().unwrap();
        assert_eq!((owner, public.etag.as_str()), (id, "a"));
        assert_eq!(
            db.public_provider(&slug).await.unwrap().unwrap().logo,
            Some(head)
        );

        // Replaced in place (still one row); a new text alone keeps the file.
        let second = b"second file".to_vec();
        db.set_provider_logo(Some(admin), id, Some(image(&second, "b")), "Zwei Bücher")
            .await
            .unwrap();
        assert_eq!(
            db.set_provider_logo(Some(admin), id, None, "Drei Bücher")
                .await
                .unwrap(),
            LogoSaved::Saved
        );
        let logo = db.provider_logo(id).await.unwrap().unwrap();
        assert_eq!(
            (logo.body.as_slice(), logo.etag.as_str()),
            (second.as_slice(), "b")
        );
        let head = db.provider_by_id(id).await.unwrap().unwrap().logo.unwrap();
        assert_eq!(head.alt, "Drei Bücher");
        // The text cannot be emptied while there is a logo.
        assert_eq!(
            db.set_provider_logo(Some(admin), id, None, " ")
                .await
                .unwrap(),
            LogoSaved::Refused("provider-logo-alt-missing")
        );
        assert_eq!(
            db.provider_by_id(id)
                .await
                .unwrap()
                .unwrap()
                .logo
                .unwrap()
                .alt,
            "Drei Bücher"
        );

        // Declined: not public any more.
        db.decide_provider(admin, id, false, "Kein Angebot in der Stadt")
            .await
            .unwrap();
        assert!(db.public_provider_logo(&slug).await.unwrap().is_none());

        // Removed once; a second removal finds nothing.
        seen.lock().unwrap().clear();
        assert!(db.remove_provider_logo(admin, id).await.unwrap());
        assert!(!db.remove_provider_logo(admin, id).await.unwrap());
        assert!(db.provider_logo(id).await.unwrap().is_none());
        assert!(db.provider_by_id(id).await.unwrap().unwrap().logo.is_none());
        assert_eq!(*seen.lock().unwrap(), vec![domain::tags::provider(id)]);
        for action in ["provider.logo", "provider.logo.remove"] {
            let (rows, _) = db.audit_entries(Some(action), 10, 0).await.unwrap();
            assert!(rows.iter().any(|r| r.subject_id == Some(id)), "{action}");
        }
    }
);

db_test!(a_logo_goes_with_its_provider, |db| async move {
    let (_, doc) =
        parse(include_str!("../../../stadtradar/demo/musterstadt.json").as_bytes()).unwrap();
    let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
    db.load_demo(&plan).await.unwrap().unwrap();
    let (demo, _) = db
        .create_provider(None, &provider("Demo-Verein"), "", true, true)
        .await
        .unwrap();
    let (own, _) = db
        .create_provider(None, &provider("Stadtbibliothek"), "", true, false)
        .await
        .unwrap();
    for id in [demo, own] {
        let saved = db
            .set_provider_logo(None, id, Some(image(b"file", "e")), "Ein Buch")
            .await
            .unwrap();
        assert_eq!(saved, LogoSaved::Saved);
    }
    db.remove_demo(None).await.unwrap().unwrap();
    assert!(db.provider_by_id(demo).await.unwrap().is_none());
    assert!(db.provider_logo(demo).await.unwrap().is_none());
    assert!(db.provider_logo(own).await.unwrap().is_some());
});
