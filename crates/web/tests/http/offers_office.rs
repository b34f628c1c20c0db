//! Offers, the providers' side: a person signs a provider up, nothing of it is public or
//! editable before an admin approves it; then its people enter offers with dates (repetitions,
//! dates left out) and change them. A provider cannot see or change another provider's offer
//! (403, or 404 under its own address); bad input names every problem and changes nothing.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

async fn page(app: &axum::Router, path: &str, cookie: &str) -> Res {
    get_with(app, path, &[("cookie", cookie)]).await
}

fn enc(v: &str) -> String {
    web::radar::params::encode(v)
}

/// The form body of an offer: the fields, then the rows of dates.
fn offer_body(csrf: &str, category: i64, title: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.into()),
        ("title".into(), title.into()),
        ("category".into(), category.to_string()),
        ("description".into(), "Hilfe am **eigenen** Gerät.".into()),
        ("attendance".into(), "in_person".into()),
        ("place_name".into(), "Stadtteilzentrum Nord".into()),
        ("street".into(), "Lindenweg 4".into()),
        ("postcode".into(), "36251".into()),
        ("access".into(), "drop_in".into()),
        ("language".into(), "de".into()),
        ("language".into(), "uk".into()),
        ("feature".into(), "step_free".into()),
        ("state".into(), "published".into()),
        ("s0-first".into(), "2026-01-06".into()),
        ("s0-starts".into(), "14:00".into()),
        ("s0-ends".into(), "16:00".into()),
        ("s0-repeat".into(), "weekly".into()),
        ("s0-except".into(), "29.12.2026".into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k.to_string(), v.to_string()));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

db_test!(
    a_provider_signs_up_is_approved_and_enters_offers,
    |db| async move {
        let app = app(&db).await;
        let nord = db
            .save_district(
                None,
                "Nordstadt",
                domain::offers::geo::Point::new(50.94, 10.10).unwrap(),
                false,
            )
            .await
            .unwrap();
        db.save_postcode(
            None,
            "36251",
            Some(nord),
            domain::offers::geo::Point::new(50.94, 10.10).unwrap(),
            false,
        )
        .await
        .unwrap();
        let anna = signed_in(&app, &db, "anna@bibliothek.example", &[Role::Citizen]).await;
        let admin_id = db
            .create_user("admin@musterstadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let office = page(&app, "/anbieten", &anna).await;
        assert_eq!(office.status, StatusCode::OK);
        assert!(office.body.contains("Als Anbieter registrieren"));
        let csrf = csrf_of(&office.body);
        // A sign-up without a name: the form again, nothing stored.
        let r = post(
            &app,
            "/anbieten/registrieren",
            &format!("csrf={csrf}&name=&email=x"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Bitte ausfüllen.")
                && r.body.contains("Diese E-Mail-Adresse ist nicht gültig.")
        );
        assert_eq!(db.providers_in(None, 1, 10).await.unwrap().1, 0);
        let r = post(
        &app,
        "/anbieten/registrieren",
        &format!("csrf={csrf}&name=Stadtbibliothek&description=Wir+helfen.&email=info%40bibliothek.example&district={nord}"),
        Some(&anna),
    )
    .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (providers, _) = db.providers_in(None, 1, 10).await.unwrap();
        let lib = providers[0].id;
        let office = page(&app, "/anbieten?hinweis=eingereicht", &anna).await;
        assert!(
            office.body.contains("wartet auf Freigabe")
                && office.body.contains("Die Stadt prüft Ihren Eintrag.")
        );
        // Pending: no offers yet, nothing public.
        assert_eq!(
            page(&app, &format!("/anbieten/{lib}/angebote/neu"), &anna)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&app, "/anbieter/stadtbibliothek").await.status,
            StatusCode::NOT_FOUND
        );
        // Approved: Anna holds the provider role and enters an offer.
        db.decide_provider(admin_id, lib, true, "").await.unwrap();
        let form = page(&app, &format!("/anbieten/{lib}/angebote/neu"), &anna).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let csrf = csrf_of(&form.body);
        let category = db.offer_categories().await.unwrap()[1].id;
        // Bad input: every problem named, nothing stored.
        let bad = offer_body(
            &csrf,
            category,
            "",
            &[
                ("postcode", "99999"),
                ("s0-ends", "13:00"),
                ("cost", "viel"),
                ("age_min", "x"),
            ],
        );
        let r = post(
            &app,
            &format!("/anbieten/{lib}/angebote/neu"),
            &bad,
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Bitte ausfüllen.",
            "Die Postleitzahl 99999 kennt die Stadt nicht.",
            "Zeile 1: Das Ende muss nach dem Beginn liegen",
            "Die Kosten bitte als Betrag in Euro angeben",
            "Bitte eine ganze Zahl eingeben.",
        ] {
            assert!(r.body.contains(message), "{message}: {}", r.body);
        }
        assert!(r.body.contains("value=\"99999\""), "what was typed stays");
        assert_eq!(db.provider_offers(lib, true, 1, 10).await.unwrap().1, 0);
        let good = offer_body(&csrf, category, "PC-Sprechstunde", &[]);
        let r = post(
            &app,
            &format!("/anbieten/{lib}/angebote/neu"),
            &good,
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (offers, _) = db.provider_offers(lib, true, 1, 10).await.unwrap();
        let o = &offers[0];
        assert_eq!(
            o.input.point,
            Some(domain::offers::geo::Point::new(50.94, 10.10).unwrap()),
            "the postcode's centre"
        );
        assert_eq!(o.district.as_deref(), Some("Nordstadt"));
        assert_eq!(o.input.languages, ["de", "uk"]);
        assert_eq!(
            o.schedules[0]
                .rule
                .as_ref()
                .map(|r| r.to_rrule())
                .as_deref(),
            Some("FREQ=WEEKLY;BYDAY=TU")
        );
        let public = get(&app, &format!("/angebote/{}", o.slug)).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains("<strong>eigenen</strong>") && public.body.contains("Ukrainisch")
        );
        // The form again shows what is stored; a change is saved.
        let edit = page(&app, &format!("/anbieten/{lib}/angebote/{}", o.id), &anna).await;
        assert!(
            edit.body.contains("value=\"2026-01-06\"")
                && edit.body.contains("<option value=\"weekly\" selected>")
        );
        assert!(edit.body.contains("value=\"29.12.2026\""));
        let changed = offer_body(
            &csrf,
            category,
            "PC-Sprechstunde am Dienstag",
            &[("s0-repeat", "biweekly"), ("coordinates", "50.95, 10.11")],
        );
        let r = post(
            &app,
            &format!("/anbieten/{lib}/angebote/{}", o.id),
            &changed,
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let saved = db.offer_by_id(o.id).await.unwrap().unwrap();
        assert_eq!(saved.input.title, "PC-Sprechstunde am Dienstag");
        assert_eq!(
            saved.input.point,
            domain::offers::geo::Point::new(50.95, 10.11)
        );
        assert_eq!(
            saved.schedules[0].rule.as_ref().map(|r| r.interval),
            Some(2)
        );
        // The provider's details.
        let r = page(&app, &format!("/anbieten/{lib}/bearbeiten"), &anna).await;
        assert!(r.body.contains("value=\"Stadtbibliothek\""));
        let r = post(
            &app,
            &format!("/anbieten/{lib}/bearbeiten"),
            &format!("csrf={csrf}&name=Stadtbibliothek+Musterstadt&website=ftp%3A%2F%2Fx"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            db.provider_by_id(lib).await.unwrap().unwrap().input.name,
            "Stadtbibliothek"
        );
        let r = post(
            &app,
            &format!("/anbieten/{lib}/bearbeiten"),
            &format!("csrf={csrf}&name=Stadtbibliothek+Musterstadt"),
            Some(&anna),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            get(&app, "/anbieter/stadtbibliothek")
                .await
                .body
                .contains("Stadtbibliothek Musterstadt")
        );
    }
);

db_test!(
    a_provider_cannot_touch_another_providers_offer,
    |db| async move {
        let app = app(&db).await;
        let ben = signed_in(&app, &db, "ben@verein.example", &[Role::Provider]).await;
        let carla = signed_in(&app, &db, "carla@vhs.example", &[Role::Provider]).await;
        let ben_id = db
            .user_by_email("ben@verein.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        let carla_id = db
            .user_by_email("carla@vhs.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        let provider = |name: &str| domain::offers::ProviderInput {
            name: name.into(),
            description: String::new(),
            email: String::new(),
            phone: String::new(),
            website: String::new(),
            district_id: None,
        };
        let (verein, _) = db
            .create_provider(Some(ben_id), &provider("Maker-Verein"), "", true, false)
            .await
            .unwrap();
        let (vhs, _) = db
            .create_provider(
                Some(carla_id),
                &provider("Volkshochschule"),
                "",
                true,
                false,
            )
            .await
            .unwrap();
        let category = db.offer_categories().await.unwrap()[2].id;
        let form = page(&app, &format!("/anbieten/{verein}/angebote/neu"), &ben).await;
        let csrf_ben = csrf_of(&form.body);
        let r = post(
            &app,
            &format!("/anbieten/{verein}/angebote/neu"),
            &offer_body(
                &csrf_ben,
                category,
                "Offene Werkstatt",
                &[("postcode", ""), ("coordinates", "50.93, 10.10")],
            ),
            Some(&ben),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = db.provider_offers(verein, true, 1, 10).await.unwrap().0[0].id;
        let csrf_carla = csrf_of(
            &page(&app, &format!("/anbieten/{vhs}/angebote/neu"), &carla)
                .await
                .body,
        );
        // Carla under Ben's provider: 403 for every page and every write.
        for path in [
            format!("/anbieten/{verein}"),
            format!("/anbieten/{verein}/bearbeiten"),
            format!("/anbieten/{verein}/angebote/neu"),
            format!("/anbieten/{verein}/angebote/{id}"),
        ] {
            assert_eq!(
                page(&app, &path, &carla).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let hijack = offer_body(
            &csrf_carla,
            category,
            "Gekapert",
            &[("postcode", ""), ("coordinates", "50.93, 10.10")],
        );
        let r = post(
            &app,
            &format!("/anbieten/{verein}/angebote/{id}"),
            &hijack,
            Some(&carla),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Under her own provider's address Ben's offer is not hers: 404, and nothing changes.
        assert_eq!(
            page(&app, &format!("/anbieten/{vhs}/angebote/{id}"), &carla)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = post(
            &app,
            &format!("/anbieten/{vhs}/angebote/{id}"),
            &hijack,
            Some(&carla),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post(
            &app,
            &format!("/anbieten/{verein}/bearbeiten"),
            &format!("csrf={csrf_carla}&name=Gekapert"),
            Some(&carla),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            db.offer_by_id(id).await.unwrap().unwrap().input.title,
            "Offene Werkstatt"
        );
        assert_eq!(
            db.provider_by_id(verein).await.unwrap().unwrap().input.name,
            "Maker-Verein"
        );
        // A citizen without the role is refused before any of it.
        let citizen = signed_in(&app, &db, "dora@example.org", &[Role::Citizen]).await;
        assert_eq!(
            page(&app, &format!("/anbieten/{verein}"), &citizen)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

db_test!(
    one_person_cannot_flood_the_approval_queue,
    |db| async move {
        let app = app(&db).await;
        let eve = signed_in(&app, &db, "eve@example.org", &[Role::Citizen]).await;
        let csrf = csrf_of(&page(&app, "/anbieten", &eve).await.body);
        for n in 1..=3 {
            let r = post(
                &app,
                "/anbieten/registrieren",
                &format!("csrf={csrf}&name=Verein+{n}"),
                Some(&eve),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{n}");
        }
        let r = post(
            &app,
            "/anbieten/registrieren",
            &format!("csrf={csrf}&name=Verein+4"),
            Some(&eve),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("schon drei Anbieter zur Prüfung eingereicht")
        );
        assert_eq!(db.providers_in(None, 1, 10).await.unwrap().1, 3);
        // Declined ones do not wait: two more today, then the day's five are used up.
        let admin = db
            .create_user("admin@musterstadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let decline_all = || async {
            for p in db
                .providers_in(Some(domain::offers::ProviderState::Pending), 1, 10)
                .await
                .unwrap()
                .0
            {
                db.decide_provider(admin, p.id, false, "Bitte mit vollständigen Angaben")
                    .await
                    .unwrap();
            }
        };
        decline_all().await;
        for n in 5..=6 {
            let r = post(
                &app,
                "/anbieten/registrieren",
                &format!("csrf={csrf}&name=Verein+{n}"),
                Some(&eve),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{n}");
        }
        decline_all().await;
        let r = post(
            &app,
            "/anbieten/registrieren",
            &format!("csrf={csrf}&name=Verein+7"),
            Some(&eve),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Heute sind keine weiteren Registrierungen möglich.")
        );
        assert_eq!(db.providers_in(None, 1, 10).await.unwrap().1, 5);
    }
);
