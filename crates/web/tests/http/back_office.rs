//! The back office's user administration. `signed_in` (an active account with roles and its
//! session cookie) is shared by the other test files as `super::back_office::signed_in`.

use super::accounts::{PW, cookie_of, csrf_of, link, post};
use super::*;
use domain::accounts::Role;

/// Creates an active account with `roles` and returns a session cookie for it.
pub async fn signed_in(app: &axum::Router, db: &Db, email: &str, roles: &[Role]) -> String {
    let token = link(db, email, roles, time::Duration::hours(1)).await;
    post(
        app,
        "/konto/passwort-setzen",
        &format!("token={token}&password={PW}&password2={PW}"),
        None,
    )
    .await;
    let r = post(
        app,
        "/anmelden",
        &format!("email={}&password={PW}", email.replace('@', "%40")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    cookie_of(&r)
}

db_test!(
    an_admin_makes_a_person_editor_and_the_log_shows_it,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let citizen = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let anna = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        let page = get_with(&app, "/admin/benutzer", &[("cookie", &admin)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("anna@musterstadt.example"));
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            &format!("/admin/benutzer/{}", anna.id),
            &format!("csrf={csrf}&role_citizen=on&role_editor=on"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.roles_of(anna.id).await.unwrap(),
            vec![Role::Citizen, Role::Editor]
        );
        let log = get_with(&app, "/admin/protokoll", &[("cookie", &admin)]).await;
        assert!(log.body.contains("Rollen geändert"));
        assert!(
            log.body.contains("<td>citizen</td><td>citizen,editor</td>"),
            "{}",
            log.body
        );
        // The citizen's session now carries the new role, but not the back office.
        assert_eq!(
            get_with(&app, "/admin/benutzer", &[("cookie", &citizen)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Admins cannot lock themselves out; a forged form changes nothing.
        let me = db
            .user_by_email("admin@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        let r = post(
            &app,
            &format!("/admin/benutzer/{}", me.id),
            &format!("csrf={csrf}&role_citizen=on"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("nicht selbst entziehen"));
        let r = post(
            &app,
            &format!("/admin/benutzer/{}", anna.id),
            "csrf=falsch&role_admin=on",
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            db.roles_of(anna.id).await.unwrap(),
            vec![Role::Citizen, Role::Editor]
        );
        let citizen_page = get_with(&app, "/konto", &[("cookie", &citizen)]).await;
        let r = post(
            &app,
            &format!("/admin/benutzer/{}", me.id),
            &format!("csrf={}&role_citizen=on", csrf_of(&citizen_page.body)),
            Some(&citizen),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a citizen cannot change roles even with a valid token"
        );
        assert_eq!(db.roles_of(me.id).await.unwrap(), vec![Role::Admin]);
        // Locking ends the person's sessions.
        let r = post(
            &app,
            &format!("/admin/benutzer/{}", anna.id),
            &format!("csrf={csrf}&role_citizen=on&locked=on"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get_with(&app, "/konto", &[("cookie", &citizen)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
);

db_test!(
    saving_roles_returns_to_the_page_of_the_row,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        // More people than one page holds (50), sorted by address: "z…" ones come on page 2.
        let mut last = 0;
        for i in 0..55 {
            last = db
                .create_user(
                    &format!("z{i:02}@musterstadt.example"),
                    "Z",
                    &[Role::Citizen],
                )
                .await
                .unwrap();
        }
        let page = get_with(&app, "/admin/benutzer?page=2", &[("cookie", &admin)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!("id=\"benutzer-{last}\"")),
            "{}",
            page.body
        );
        assert!(page.body.contains("name=\"page\" value=\"2\""));
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            &format!("/admin/benutzer/{last}"),
            &format!("csrf={csrf}&role_citizen=on&role_moderator=on&page=2"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers[header::LOCATION],
            format!("/admin/benutzer?page=2#benutzer-{last}").as_str()
        );
        // A page that is no number goes back to the first page, at the row.
        let r = post(
            &app,
            &format!("/admin/benutzer/{last}"),
            &format!("csrf={csrf}&role_citizen=on&page=zwei"),
            Some(&admin),
        )
        .await;
        assert_eq!(
            r.headers[header::LOCATION],
            format!("/admin/benutzer#benutzer-{last}").as_str()
        );
    }
);
