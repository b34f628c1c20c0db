//! Offers, the admins' back office: providers approved (their offers become public, their people
//! providers) or declined with a reason, people added by e-mail; categories, districts and
//! postcodes kept with their centres. A refused form names its field with 422 and changes
//! nothing; only admins get in.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::offers::geo::Point;
use domain::offers::{
    Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput, ProviderState,
};
use store::offers::OfferParts;

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Hilfe rund um Computer.".into(),
        email: "info@verein.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

fn offer(title: &str, category: i64) -> OfferInput {
    OfferInput {
        title: title.into(),
        description: "Bringen Sie Ihr Gerät mit.".into(),
        category_id: category,
        age_min: None,
        age_max: None,
        attendance: Attendance::InPerson,
        place_name: "Stadtteilzentrum".into(),
        street: "Lindenweg 4".into(),
        postcode: "36251".into(),
        point: Point::new(50.93, 10.10),
        online_url: String::new(),
        capacity: None,
        cost_cents: None,
        cost_note: String::new(),
        access: Access::DropIn,
        accessibility: Accessibility::default(),
        languages: vec!["de".into()],
        state: OfferState::Published,
    }
}

/// The admin's cookie and the CSRF token of the page at `path`.
async fn admin_on(app: &axum::Router, db: &Db, path: &str) -> (String, String) {
    let cookie = signed_in(app, db, "admin@musterstadt.example", &[Role::Admin]).await;
    let page = get_with(app, path, &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = csrf_of(&page.body);
    (cookie, token)
}

fn location(r: &Res) -> &str {
    r.headers[header::LOCATION].to_str().unwrap()
}

async fn state_of(db: &Db, id: i64) -> (ProviderState, String) {
    let p = db.provider_by_id(id).await.unwrap().unwrap();
    (p.state, p.decline_reason)
}

db_test!(
    an_admin_approves_one_provider_and_declines_another_with_a_reason,
    |db| async move {
        let app = app(&db).await;
        let member = db
            .create_user("verein@example.org", "Vera Verein", &[Role::Citizen])
            .await
            .unwrap();
        let (club, club_slug) = db
            .create_provider(Some(member), &provider("Digitalverein"), "", false, false)
            .await
            .unwrap();
        let category = db.offer_categories().await.unwrap()[0].id;
        let (_, cafe) = db
            .create_offer(
                None,
                club,
                &offer("Reparatur-Café", category),
                &OfferParts::default(),
                false,
            )
            .await
            .unwrap();
        let (spam, _) = db
            .create_provider(None, &provider("Werbefirma"), "", false, false)
            .await
            .unwrap();
        let (cookie, token) = admin_on(&app, &db, "/admin/anbieter").await;

        // Both wait, with their forms; nothing of them is public yet.
        let r = get_with(&app, "/admin/anbieter", &[("cookie", &cookie)]).await;
        assert!(r.body.contains("Digitalverein") && r.body.contains("Werbefirma"));
        assert_eq!(count(&r.body, "wartet auf Freigabe"), 2, "{}", r.body);
        assert!(r.body.contains("2 warten auf Freigabe."));
        assert!(
            r.body
                .contains(&format!("action=\"/admin/anbieter/{club}/entscheiden\""))
        );
        assert!(
            r.body
                .contains(&format!("action=\"/admin/anbieter/{club}/personen\""))
        );
        assert_eq!(
            get(&app, &format!("/angebote/{cafe}")).await.status,
            StatusCode::NOT_FOUND
        );

        // Approved: its offer is public, its person a provider.
        let r = post(
            &app,
            &format!("/admin/anbieter/{club}/entscheiden"),
            &format!("csrf={token}&decision=approve&page=1"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/anbieter?hinweis=freigegeben");
        assert_eq!(state_of(&db, club).await.0, ProviderState::Approved);
        assert!(db.roles_of(member).await.unwrap().contains(&Role::Provider));
        // Its person is told by mail, with the way to its offers.
        let mails: Vec<(String, String, String)> = store::on_db!(&db, p => sqlx::query_as(
            "SELECT to_address, subject, body_text FROM mail_queue ORDER BY id"
        ).fetch_all(p).await.unwrap());
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, "verein@example.org");
        assert!(
            mails[0].1.contains("„Digitalverein“ ist freigegeben"),
            "{}",
            mails[0].1
        );
        assert!(
            mails[0]
                .2
                .contains(&format!("https://radar.example/anbieten/{club}")),
            "{}",
            mails[0].2
        );
        let r = get(&app, &format!("/angebote/{cafe}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Reparatur-Café"));
        let r = get_with(
            &app,
            "/admin/anbieter?hinweis=freigegeben",
            &[("cookie", &cookie)],
        )
        .await;
        assert!(r.body.contains("role=\"status\""));
        assert!(r.body.contains("Der Anbieter ist freigegeben"));
        assert!(r.body.contains(&format!("href=\"/anbieter/{club_slug}\"")));

        // A decline without a reason (or with too long a one) is refused at the field.
        let long = "x".repeat(501);
        for reason in ["", "%20%20", long.as_str()] {
            let r = post(
                &app,
                &format!("/admin/anbieter/{spam}/entscheiden"),
                &format!("csrf={token}&decision=decline&reason={reason}&page=1"),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(r.body.contains("role=\"alert\""));
            assert!(r.body.contains(&format!("href=\"#reason-{spam}\"")));
            assert!(r.body.contains(&format!("id=\"reason-{spam}-error\"")));
            assert!(r.body.contains("aria-invalid=\"true\""));
            assert!(
                r.body.contains("Bitte begründen Sie die Ablehnung.")
                    || r.body.contains("höchstens 500 Zeichen lang"),
                "{}",
                r.body
            );
            assert_eq!(
                state_of(&db, spam).await,
                (ProviderState::Pending, String::new())
            );
        }

        // Declined with a reason: it stays hidden, and the list says why.
        let r = post(
            &app,
            &format!("/admin/anbieter/{spam}/entscheiden"),
            &format!("csrf={token}&decision=decline&reason=Nur%20Werbung%2C%20kein%20Angebot"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/anbieter?hinweis=abgelehnt");
        assert_eq!(
            state_of(&db, spam).await,
            (ProviderState::Declined, "Nur Werbung, kein Angebot".into())
        );
        let r = get_with(&app, "/admin/anbieter", &[("cookie", &cookie)]).await;
        assert!(r.body.contains("abgelehnt: Nur Werbung, kein Angebot"));
        assert!(r.body.contains("Keiner wartet auf Freigabe."));
        let r = get(&app, "/anbieter").await;
        assert!(r.body.contains("Digitalverein") && !r.body.contains("Werbefirma"));

        // An unknown provider, an unknown decision.
        let r = post(
            &app,
            "/admin/anbieter/999999/entscheiden",
            &format!("csrf={token}&decision=approve"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post(
            &app,
            &format!("/admin/anbieter/{spam}/entscheiden"),
            &format!("csrf={token}&decision=maybe"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(state_of(&db, spam).await.0, ProviderState::Declined);
    }
);

db_test!(
    an_admin_adds_a_person_who_manages_a_provider_by_email,
    |db| async move {
        let app = app(&db).await;
        let (lib, _) = db
            .create_provider(None, &provider("Stadtbibliothek"), "", true, false)
            .await
            .unwrap();
        let helper = db
            .create_user("helfer@example.org", "Hanna Helfer", &[Role::Citizen])
            .await
            .unwrap();
        let (cookie, token) = admin_on(&app, &db, "/admin/anbieter").await;

        // An address without an account, or none: refused at the field, nobody added.
        for (email, message) in [
            (
                "niemand%40example.org",
                "Zu dieser E-Mail-Adresse gibt es kein Konto",
            ),
            ("", "Bitte geben Sie die E-Mail-Adresse der Person ein."),
        ] {
            let r = post(
                &app,
                &format!("/admin/anbieter/{lib}/personen"),
                &format!("csrf={token}&email={email}&page=1"),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(r.body.contains(message), "{}", r.body);
            assert!(r.body.contains("role=\"alert\""));
            assert!(r.body.contains(&format!("id=\"email-{lib}-error\"")));
            assert!(r.body.contains(&format!(
                "aria-describedby=\"email-{lib}-hint email-{lib}-error\" aria-invalid=\"true\""
            )));
        }
        assert!(!db.manages_provider(helper, lib).await.unwrap());
        assert!(!db.roles_of(helper).await.unwrap().contains(&Role::Provider));

        // The address as typed, in other case and with spaces: the person manages it now and,
        // the provider being approved, is a provider.
        let r = post(
            &app,
            &format!("/admin/anbieter/{lib}/personen"),
            &format!("csrf={token}&email=%20Helfer%40Example.org%20"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/anbieter?hinweis=person");
        assert!(db.manages_provider(helper, lib).await.unwrap());
        assert!(db.roles_of(helper).await.unwrap().contains(&Role::Provider));
        let r = get_with(&app, location(&r), &[("cookie", &cookie)]).await;
        assert!(
            r.body
                .contains("Die Person verwaltet den Anbieter jetzt mit.")
        );

        // An unknown provider.
        let r = post(
            &app,
            "/admin/anbieter/999999/personen",
            &format!("csrf={token}&email=helfer%40example.org"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    the_places_page_keeps_categories_districts_and_postcodes,
    |db| async move {
        let app = app(&db).await;
        let (cookie, token) = admin_on(&app, &db, "/admin/orte").await;
        let send = |path: &'static str, body: String| {
            let (app, cookie) = (app.clone(), cookie.clone());
            async move { post(&app, path, &body, Some(&cookie)).await }
        };
        let r = get_with(&app, "/admin/orte", &[("cookie", &cookie)]).await;
        assert!(r.body.contains("kein Kartendienst"));
        assert!(r.body.contains("7 Kategorien.") && r.body.contains("Noch keine Stadtteile."));

        // A district, and the same name again moves it.
        let r = send(
            "/admin/orte/stadtteile",
            format!("csrf={token}&name=Nordstadt&centre=50.94%2C%2010.10"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/orte?hinweis=stadtteil");
        send(
            "/admin/orte/stadtteile",
            format!("csrf={token}&name=Nordstadt&centre=50.95%2010.11"),
        )
        .await;
        let districts = db.districts().await.unwrap();
        assert_eq!(districts.len(), 1);
        let nord = &districts[0];
        assert_eq!(nord.centre, Point::new(50.95, 10.11).unwrap());

        // A centre that does not parse, a name too short, a name differing only in case:
        // refused at the field, nothing changed.
        for (body, field, message) in [
            (
                "name=S%C3%BCdstadt&centre=s%C3%BCdlich",
                "district-centre",
                "Geben Sie den Mittelpunkt als Breite und Länge in Grad an",
            ),
            (
                "name=S%C3%BCdstadt&centre=95%2C%2010",
                "district-centre",
                "Geben Sie den Mittelpunkt als Breite und Länge in Grad an",
            ),
            (
                "name=S&centre=50.9%2C%2010.1",
                "district-name",
                "Der Name braucht 2 bis 80 Zeichen",
            ),
            (
                "name=nordstadt&centre=50.9%2C%2010.1",
                "district-name",
                "Es gibt schon den Stadtteil „Nordstadt“",
            ),
        ] {
            let r = send("/admin/orte/stadtteile", format!("csrf={token}&{body}")).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.body
            );
            assert!(r.body.contains(message), "{body}: {}", r.body);
            assert!(r.body.contains(&format!("href=\"#{field}\"")), "{}", r.body);
            assert!(r.body.contains(&format!("id=\"{field}-error\"")));
            assert_eq!(db.districts().await.unwrap(), districts);
        }

        // Postcodes: with a centre, and without one (the district's is taken).
        let r = send(
            "/admin/orte/postleitzahlen",
            format!("csrf={token}&code=36251&district=&centre=50.93%2C%2010.20"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/orte?hinweis=postleitzahl");
        let p = db.postcode("36251").await.unwrap().unwrap();
        assert_eq!(
            (p.district_id, p.centre),
            (None, Point::new(50.93, 10.20).unwrap())
        );
        let r = send(
            "/admin/orte/postleitzahlen",
            format!("csrf={token}&code=%2036259&district={}&centre=", nord.id),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let p = db.postcode("36259").await.unwrap().unwrap();
        assert_eq!((p.district_id, p.centre), (Some(nord.id), nord.centre));
        let r = get_with(
            &app,
            "/admin/orte?hinweis=postleitzahl",
            &[("cookie", &cookie)],
        )
        .await;
        assert!(
            r.body.contains(
                "<p class=\"notice\" role=\"status\">Die Postleitzahl ist gespeichert.</p>"
            )
        );
        assert!(r.body.contains("2 Postleitzahlen.") && r.body.contains("Ein Stadtteil."));
        assert!(r.body.contains("<td>50.95, 10.11</td>"));

        // A code that is not five digits, no centre and no district, an unknown district, a
        // bad centre: refused at the field, nothing changed.
        let before = db.postcodes().await.unwrap();
        for (body, field, message) in [
            (
                "code=3625&district=&centre=50.9%2C10.1".to_string(),
                "postcode-code",
                "Eine Postleitzahl hat genau fünf Ziffern",
            ),
            (
                "code=36255&district=&centre=".to_string(),
                "postcode-centre",
                "Geben Sie einen Mittelpunkt an oder wählen Sie einen Stadtteil",
            ),
            (
                "code=36255&district=999999&centre=".to_string(),
                "postcode-district",
                "Diesen Stadtteil gibt es nicht.",
            ),
            (
                format!("code=36251&district={}&centre=irgendwo", nord.id),
                "postcode-centre",
                "Geben Sie den Mittelpunkt als Breite und Länge in Grad an",
            ),
        ] {
            let r = send("/admin/orte/postleitzahlen", format!("csrf={token}&{body}")).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.body
            );
            assert!(r.body.contains(message), "{body}: {}", r.body);
            assert!(r.body.contains(&format!("href=\"#{field}\"")), "{}", r.body);
            assert!(r.body.contains(&format!("id=\"{field}-error\"")));
            assert_eq!(db.postcodes().await.unwrap(), before);
        }

        // Categories: a new one, a taken name (also in other spelling), a rename.
        let r = send(
            "/admin/angebote/kategorien",
            format!("csrf={token}&name=Seniorinnen%20und%20Senioren"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/orte?hinweis=kategorie-angelegt");
        let cats = db.offer_categories().await.unwrap();
        assert_eq!(cats.len(), 8);
        assert_eq!(cats[7].name, "Seniorinnen und Senioren");
        for name in ["Ehrenamt", "ehrenamt!", "E"] {
            let r = send(
                "/admin/angebote/kategorien",
                format!("csrf={token}&name={}", name.replace('!', "%21")),
            )
            .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {}",
                r.body
            );
            assert!(r.body.contains("href=\"#category-new\""));
            assert!(r.body.contains("id=\"category-new-error\""));
            assert_eq!(db.offer_categories().await.unwrap(), cats);
        }
        let first = cats[0].id;
        let r = post(
            &app,
            &format!("/admin/angebote/kategorien/{first}"),
            &format!("csrf={token}&name=Ehrenamt"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains(
                "Eine Kategorie mit diesem oder einem sehr ähnlichen Namen gibt es schon."
            )
        );
        assert!(r.body.contains(&format!("id=\"category-{first}-error\"")));
        assert_eq!(db.offer_categories().await.unwrap(), cats);
        let r = post(
            &app,
            &format!("/admin/angebote/kategorien/{first}"),
            &format!("csrf={token}&name=Digitale%20Bildung%20f%C3%BCr%20alle"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/orte?hinweis=kategorie-umbenannt");
        let renamed = &db.offer_categories().await.unwrap()[0];
        assert_eq!(
            (renamed.name.as_str(), renamed.slug.as_str()),
            ("Digitale Bildung für alle", cats[0].slug.as_str())
        );

        // Removing: a postcode, a district (its postcode keeps its centre); unknown ones: 404.
        let r = send(
            "/admin/orte/postleitzahlen/36251/entfernen",
            format!("csrf={token}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), "/admin/orte?hinweis=postleitzahl-entfernt");
        assert!(db.postcode("36251").await.unwrap().is_none());
        let r = post(
            &app,
            &format!("/admin/orte/stadtteile/{}/entfernen", nord.id),
            &format!("csrf={token}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(db.districts().await.unwrap().is_empty());
        let p = db.postcode("36259").await.unwrap().unwrap();
        assert_eq!((p.district_id, p.centre), (None, nord.centre));
        for path in [
            "/admin/orte/postleitzahlen/36251/entfernen",
            "/admin/orte/postleitzahlen/abc/entfernen",
            "/admin/orte/stadtteile/999999/entfernen",
            "/admin/angebote/kategorien/999999",
        ] {
            let r = send(path, format!("csrf={token}&name=Neu")).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        }
    }
);

db_test!(only_admins_reach_the_offers_back_office, |db| async move {
    let app = app(&db).await;
    let (lib, _) = db
        .create_provider(None, &provider("Stadtbibliothek"), "", false, false)
        .await
        .unwrap();
    let citizen = signed_in(&app, &db, "anna@example.org", &[Role::Citizen]).await;
    let provider_person = signed_in(&app, &db, "paul@example.org", &[Role::Provider]).await;
    for path in ["/admin/anbieter", "/admin/orte"] {
        assert_to_login(&get(&app, path).await);
        for cookie in [&citizen, &provider_person] {
            let r = get_with(&app, path, &[("cookie", cookie)]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    for cookie in [&citizen, &provider_person] {
        let token = csrf_of(&get_with(&app, "/konto", &[("cookie", cookie)]).await.body);
        for (path, body) in [
            (
                format!("/admin/anbieter/{lib}/entscheiden"),
                "decision=approve",
            ),
            (
                format!("/admin/anbieter/{lib}/personen"),
                "email=anna%40example.org",
            ),
            (
                "/admin/orte/stadtteile".into(),
                "name=Nordstadt&centre=50.9%2C10.1",
            ),
            ("/admin/angebote/kategorien".into(), "name=Neue%20Kategorie"),
        ] {
            let r = post(&app, &path, &format!("csrf={token}&{body}"), Some(cookie)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    assert_eq!(
        db.provider_by_id(lib).await.unwrap().unwrap().state,
        ProviderState::Pending
    );
    assert!(db.districts().await.unwrap().is_empty());
    assert_eq!(db.offer_categories().await.unwrap().len(), 7);
});
