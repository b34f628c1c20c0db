//! The audit log's filters: action, subject type, actor and days, kept across pages.
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use time::{Duration, OffsetDateTime};

fn rows(body: &str) -> usize {
    count(body, "<th scope=\"row\">")
}

fn day(offset: i64) -> String {
    let d = (OffsetDateTime::now_utc() + Duration::days(offset)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

db_test!(
    an_admin_filters_the_log_and_pages_keep_the_filters,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let me = db
            .user_by_email("admin@musterstadt.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        let anna = db
            .create_user("anna@musterstadt.example", "Anna", &[Role::Citizen])
            .await
            .unwrap();
        db.set_roles(Some(me), anna, &[Role::Editor], &[])
            .await
            .unwrap();
        db.set_locked(None, anna, true).await.unwrap();
        db.set_setting(me, "imprint", "Rathausplatz 1")
            .await
            .unwrap();
        let cookie = [("cookie", admin.as_str())];
        let all = get_with(&app, "/admin/protokoll", &cookie).await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(rows(&all.body), 3);
        assert!(all.body.contains("3 Einträge"));
        assert!(all.body.contains(
            "<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/admin/protokoll\">"
        ));
        for option in [
            "<option value=\"user.roles\">Rollen geändert</option>",
            "<option value=\"user.lock\">Konto gesperrt</option>",
            "<option value=\"setting.update\">Einstellung geändert</option>",
            "<option value=\"imprint\">imprint</option>",
            "<option value=\"cli\">Kommandozeile</option>",
        ] {
            assert!(all.body.contains(option), "{option}");
        }
        assert!(all.body.contains(&format!(
            "<option value=\"{me}\">Amtsleitung (#{me})</option>"
        )));
        assert!(all.body.contains("<label for=\"f-from\">Von (Tag)</label>"));
        assert!(!all.body.contains("style=\""));
        for (query, n, shown) in [
            ("action=user.roles".to_string(), 1, "Rollen geändert"),
            ("subject=imprint".to_string(), 1, "Rathausplatz 1"),
            ("actor=cli".to_string(), 1, "Konto gesperrt"),
            (format!("actor={me}"), 2, "Einstellung geändert"),
            (
                format!("action=user.roles&actor={me}&subject=user"),
                1,
                "<td>citizen</td><td>citizen,editor</td>",
            ),
            (format!("from={}&to={}", day(0), day(0)), 3, "3 Einträge"),
            (format!("from={}", day(1)), 0, "Keine Einträge gefunden."),
            (format!("to={}", day(-1)), 0, "Keine Einträge gefunden."),
            (
                "action=user.unlock".to_string(),
                0,
                "Keine Einträge gefunden.",
            ),
        ] {
            let r = get_with(&app, &format!("/admin/protokoll?{query}"), &cookie).await;
            assert_eq!(r.status, StatusCode::OK, "{query}");
            assert_eq!(rows(&r.body), n, "{query}");
            assert!(r.body.contains(shown), "{query}: {shown}");
        }
        let selected = get_with(&app, "/admin/protokoll?action=user.lock&actor=cli", &cookie).await;
        assert!(
            selected
                .body
                .contains("<option value=\"user.lock\" selected>")
        );
        assert!(selected.body.contains("<option value=\"cli\" selected>"));
        // More than one page: the links carry the filters.
        for i in 0..55 {
            db.set_setting(me, "contact", &format!("Telefon {i}"))
                .await
                .unwrap();
        }
        let first = get_with(&app, "/admin/protokoll?action=setting.update", &cookie).await;
        assert_eq!(rows(&first.body), 50);
        assert!(first.body.contains("56 Einträge"));
        assert!(
            first.body.contains(
                "href=\"/admin/protokoll?action=setting.update&#38;page=2\" rel=\"next\""
            ),
            "{}",
            first.body
        );
        let second = get_with(
            &app,
            "/admin/protokoll?action=setting.update&page=2",
            &cookie,
        )
        .await;
        assert_eq!(rows(&second.body), 6);
        assert!(
            second.body.contains("Rathausplatz 1"),
            "the oldest entry comes last"
        );
        assert!(
            second
                .body
                .contains("href=\"/admin/protokoll?action=setting.update\" rel=\"prev\"")
        );
        let mixed = get_with(
            &app,
            &format!("/admin/protokoll?subject=contact&from={}&page=2", day(0)),
            &cookie,
        )
        .await;
        assert_eq!(rows(&mixed.body), 5);
        assert!(mixed.body.contains(&format!(
            "href=\"/admin/protokoll?subject=contact&#38;from={}\" rel=\"prev\"",
            day(0)
        )));
    }
);

db_test!(bad_filter_values_name_the_field, |db| async move {
    let app = app(&db).await;
    let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
    let cookie = [("cookie", admin.as_str())];
    for (query, message) in [
        (
            "action=DROP%20TABLE",
            "„Was“ muss eine Aktion aus der Liste sein",
        ),
        (
            "subject=user.x",
            "„Art des Gegenstands“ muss ein Wert aus der Liste sein",
        ),
        ("actor=jemand", "„Wer“ muss eine Person aus der Liste"),
        ("actor=0", "„Wer“ muss eine Person aus der Liste"),
        (
            "from=2026-02-30",
            "„Von“ muss ein Tag im Format JJJJ-MM-TT sein",
        ),
        (
            "to=31.12.2026",
            "„Bis“ muss ein Tag im Format JJJJ-MM-TT sein",
        ),
        (
            "from=2026-05-02&to=2026-05-01",
            "„Bis“ darf nicht vor „Von“ liegen.",
        ),
        ("page=0", "„Seite“ muss eine ganze Zahl ab 1 sein."),
    ] {
        let r = get_with(&app, &format!("/admin/protokoll?{query}"), &cookie).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(r.body.contains(message), "{query}: {message}");
    }
    let en = get_with(&app, "/admin/protokoll?from=gestern&lang=en", &cookie).await;
    assert_eq!(en.status, StatusCode::BAD_REQUEST);
    assert!(en.body.contains("“From” must be a day as YYYY-MM-DD"));
    // Anybody else gets no log, whatever the filters.
    let citizen = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    assert_eq!(
        get_with(
            &app,
            "/admin/protokoll?action=user.roles",
            &[("cookie", &citizen)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
});
