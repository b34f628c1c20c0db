//! Who may change a provider's logo (its people and admins; anybody else 403, a wrong token
//! 403) and when it is public (only while the provider is approved).

use super::*;

db_test!(
    another_providers_people_get_403_and_a_waiting_providers_logo_is_not_public,
    |db| async move {
        let app = app(&db).await;
        let (lib, pending, _, _) = city(&db).await;
        let admin_id = db
            .create_user("chefin@musterstadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let anna = signed_in(&app, &db, "anna@bibliothek.example", &[Role::Citizen]).await;
        db.add_provider_member(admin_id, lib, user_id(&db, "anna@bibliothek.example").await)
            .await
            .unwrap();
        // Bert runs another approved provider; Carla holds no provider role.
        let bert = signed_in(&app, &db, "bert@vhs.example", &[Role::Citizen]).await;
        let bert_id = user_id(&db, "bert@vhs.example").await;
        let vhs = domain::offers::ProviderInput {
            name: "Volkshochschule".into(),
            description: String::new(),
            email: String::new(),
            phone: String::new(),
            website: String::new(),
            district_id: None,
        };
        let (vhs_id, _) = db
            .create_provider(Some(bert_id), &vhs, "", true, false)
            .await
            .unwrap();
        let carla = signed_in(&app, &db, "carla@example.org", &[Role::Citizen]).await;
        let bert_csrf = csrf_of(
            &get_with(
                &app,
                &format!("/anbieten/{vhs_id}/bearbeiten"),
                &[("cookie", &bert)],
            )
            .await
            .body,
        );
        let anna_csrf = csrf_of(
            &get_with(
                &app,
                &format!("/anbieten/{lib}/bearbeiten"),
                &[("cookie", &anna)],
            )
            .await
            .body,
        );
        let carla_csrf = csrf_of(
            &get_with(&app, "/anbieten", &[("cookie", &carla)])
                .await
                .body,
        );
        let action = format!("/anbieten/{lib}/logo");
        let file = png(300, 100);

        // Another provider's person, a person without the role, a wrong token: 403, nothing
        // stored.
        let r = upload(
            &app,
            &action,
            &bert,
            &bert_csrf,
            ALT,
            Some(("logo.png", &file)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = upload(
            &app,
            &action,
            &carla,
            &carla_csrf,
            ALT,
            Some(("logo.png", &file)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = upload(
            &app,
            &action,
            &anna,
            "falsch",
            ALT,
            Some(("logo.png", &file)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(db.provider_logo(lib).await.unwrap().is_none());
        // Anna's logo: Bert can neither remove it nor read it from the back office.
        let r = upload(
            &app,
            &action,
            &anna,
            &anna_csrf,
            ALT,
            Some(("logo.png", &file)),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(
            &app,
            &format!("{action}/entfernen"),
            &format!("csrf={bert_csrf}"),
            Some(&bert),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            get_with(&app, &action, &[("cookie", &bert)]).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(db.provider_logo(lib).await.unwrap().is_some());

        // An admin gives the waiting provider a logo: the admins' list shows it and leads to
        // the details page, but nothing of it is public until the provider is approved, nor
        // after it was declined.
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let admin_csrf = csrf_of(
            &get_with(&app, "/admin/anbieter", &[("cookie", &admin)])
                .await
                .body,
        );
        let r = upload(
            &app,
            &format!("/anbieten/{pending}/logo"),
            &admin,
            &admin_csrf,
            "Logo des Vereins",
            Some(("logo.png", &file)),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let waiting = db.provider_by_id(pending).await.unwrap().unwrap();
        let etag = waiting.logo.as_ref().unwrap().etag.clone();
        let list = get_with(&app, "/admin/anbieter", &[("cookie", &admin)]).await;
        assert!(
            list.body
                .contains(&format!("src=\"/anbieten/{pending}/logo?v={etag}\"")),
            "{}",
            list.body
        );
        assert!(
            list.body
                .contains(&format!("href=\"/anbieten/{pending}/bearbeiten\""))
        );
        assert_eq!(
            get_with(
                &app,
                &format!("/anbieten/{pending}/logo"),
                &[("cookie", &admin)]
            )
            .await
            .status,
            StatusCode::OK
        );
        let public = format!("/anbieter/{}/logo", waiting.slug);
        assert_eq!(get(&app, &public).await.status, StatusCode::NOT_FOUND);
        db.decide_provider(admin_id, pending, true, "")
            .await
            .unwrap();
        assert_eq!(get(&app, &public).await.status, StatusCode::OK);
        db.decide_provider(admin_id, pending, false, "Nicht in der Stadt")
            .await
            .unwrap();
        assert_eq!(get(&app, &public).await.status, StatusCode::NOT_FOUND);
        // A provider without a logo, and one that does not exist: 404.
        let vhs_slug = db.provider_by_id(vhs_id).await.unwrap().unwrap().slug;
        assert_eq!(
            get(&app, &format!("/anbieter/{vhs_slug}/logo"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, "/anbieter/gibt-es-nicht/logo").await.status,
            StatusCode::NOT_FOUND
        );
    }
);
