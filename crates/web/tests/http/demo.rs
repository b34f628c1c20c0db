//! Demo data that says so: every public page shows the banner while the demo is loaded, and no
//! page (cached ones included) after it was removed; removing it needs an admin, a valid CSRF
//! token and the ticked confirmation.
use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const BANNER: &str = "Demodaten – diese Stadt ist erfunden";
const REMOVE: &str = "/admin/demodaten/entfernen";

/// The public pages (and the account pages, which share the chrome).
const PAGES: [&str; 12] = [
    "/",
    "/radar",
    "/massnahmen",
    "/massnahmen/digitaltag-musterstadt",
    "/handlungsfelder/bildung",
    "/zeitleiste",
    "/statistik",
    "/impressum",
    "/datenschutz",
    "/anmelden",
    "/registrieren",
    "/passwort-vergessen",
];

/// The app over a database into which the demo was loaded as `serve` does.
async fn demo_app(db: &Db) -> (axum::Router, web::AppState) {
    let (_, doc) = domain::import::parse(DEMO.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.load_demo(&plan).await.unwrap().unwrap();
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    (web::router(state.clone()), state)
}

async fn measures(db: &Db) -> i64 {
    db.admin_measures(None, None, None, 1, 0).await.unwrap().1
}

db_test!(every_page_says_it_shows_demo_data, |db| async move {
    let (app, _) = demo_app(&db).await;
    for page in PAGES {
        let r = get(&app, page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(r.body.contains(BANNER), "{page} has no demo banner");
        // A named region with a heading, before the site header, without inline styles.
        assert!(
            r.body
                .contains("<section class=\"demo-banner\" aria-labelledby=\"demo-banner-title\">"),
            "{page}"
        );
        assert!(
            r.body
                .contains(&format!("<h2 id=\"demo-banner-title\">{BANNER}</h2>"))
        );
        assert!(r.body.find(BANNER) < r.body.find("<header class=\"site\">"));
        assert!(!r.body.contains(" style="), "{page}");
    }
    // Data users are told too.
    let api = json(&get(&app, "/api/v1/strategy").await);
    assert_eq!(api["demo"], true);
    let en = get(&app, "/radar?lang=en").await;
    assert!(en.body.contains("Demo data – this city is made up"));
    assert!(!en.body.contains(BANNER));
    // The same strategy imported as a city's own carries no banner.
    let real = store::testing::sqlite().await;
    assert!(
        !get(&super::app(&real).await, "/")
            .await
            .body
            .contains(BANNER)
    );
});

db_test!(
    removing_the_demo_drops_the_banner_from_every_page,
    |db| async move {
        let (app, state) = demo_app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        // Pages rendered (and cached) while the demo is there.
        for page in PAGES {
            assert!(get(&app, page).await.body.contains(BANNER));
        }
        assert_eq!(json(&get(&app, "/api/v1/strategy").await)["demo"], true);
        assert!(!state.cache.is_empty());
        let signed = get_with(&app, "/radar", &[("cookie", admin.as_str())]).await;
        assert!(signed.body.contains(BANNER));
        let import = get_with(&app, "/admin/import", &[("cookie", admin.as_str())]).await;
        assert!(
            import
                .body
                .contains("Beim Übernehmen eines Imports werden sie vollständig ersetzt")
        );
        let home = get_with(&app, "/admin", &[("cookie", admin.as_str())]).await;
        assert!(home.body.contains(&format!("action=\"{REMOVE}\"")));
        assert!(home.body.contains("name=\"confirm\" value=\"ja\" required"));
        let csrf = csrf_of(&home.body);
        // Without the confirmation nothing happens.
        let r = post(&app, REMOVE, &format!("csrf={csrf}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Bitte bestätigen Sie zuerst, dass die Demodaten endgültig entfernt")
        );
        assert!(db.demo_active().await.unwrap());
        assert_eq!(measures(&db).await, 70);
        // Confirmed: removed, audited, and every page without the banner.
        let r = post(
            &app,
            REMOVE,
            &format!("csrf={csrf}&confirm=ja"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/admin?hinweis=demo-entfernt");
        assert!(!db.demo_active().await.unwrap());
        assert_eq!(measures(&db).await, 0);
        for page in PAGES {
            let r = get(&app, page).await;
            assert!(!r.body.contains(BANNER), "{page} still shows the banner");
        }
        let signed = get_with(&app, "/radar", &[("cookie", admin.as_str())]).await;
        assert!(!signed.body.contains(BANNER));
        assert_eq!(json(&get(&app, "/api/v1/strategy").await)["demo"], false);
        let (entries, n) = db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap();
        assert_eq!(n, 1);
        let me = db
            .user_by_email("admin@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(entries[0].actor_id, Some(me.id));
        let log = get_with(&app, "/admin/protokoll", &[("cookie", admin.as_str())]).await;
        assert!(log.body.contains("Demodaten entfernt"));
        let home = get_with(
            &app,
            "/admin?hinweis=demo-entfernt",
            &[("cookie", admin.as_str())],
        )
        .await;
        assert!(home.body.contains("Die Demodaten wurden entfernt."));
        let import = get_with(&app, "/admin/import", &[("cookie", admin.as_str())]).await;
        assert!(!import.body.contains("Beim Übernehmen eines Imports"));
        assert!(!home.body.contains(&format!("action=\"{REMOVE}\"")));
        // A second click (another tab) changes nothing.
        let r = post(
            &app,
            REMOVE,
            &format!("csrf={csrf}&confirm=ja"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.headers[header::LOCATION], "/admin?hinweis=keine-demo");
        assert_eq!(
            db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1,
            1
        );
    }
);

db_test!(
    only_an_admin_with_a_valid_token_removes_the_demo,
    |db| async move {
        let (app, _) = demo_app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let citizen = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        // Editors see the back office, but not the removal.
        let home = get_with(&app, "/admin", &[("cookie", editor.as_str())]).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(!home.body.contains(REMOVE));
        for who in [&editor, &citizen] {
            let page = get_with(&app, "/konto", &[("cookie", who.as_str())]).await;
            let token = csrf_of(&page.body);
            let r = post(&app, REMOVE, &format!("csrf={token}&confirm=ja"), Some(who)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let r = post(&app, REMOVE, "csrf=falsch&confirm=ja", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a wrong token");
        let r = post(&app, REMOVE, "confirm=ja", None).await;
        assert_to_login(&r);
        assert!(db.demo_active().await.unwrap(), "nothing changed");
        assert_eq!(measures(&db).await, 70);
        assert_eq!(
            db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1,
            0
        );
        assert!(get(&app, "/").await.body.contains(BANNER));
    }
);
