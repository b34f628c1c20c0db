//! Every route of router.rs × every role, with the expected status.
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const OK: u16 = 200;
const LOGIN: u16 = 303; // sent to the login page
const DENIED: u16 = 403;

/// State-changing routes sent again with the person's valid CSRF token and an otherwise empty
/// form: the role check must hold with the token too (the answer for permitted roles is the
/// form's own complaint, never a change). [anonymous, citizen, editor, admin]
fn token_rows() -> Vec<(&'static str, String, [u16; 4])> {
    const UNPROCESSABLE: u16 = 422;
    const BAD: u16 = 400;
    vec![
        (
            "/admin/massnahmen/neu",
            "/admin/massnahmen/neu".into(),
            [LOGIN, DENIED, UNPROCESSABLE, UNPROCESSABLE],
        ),
        (
            "/admin/massnahmen/{id}",
            "/admin/massnahmen/1".into(),
            [LOGIN, DENIED, BAD, BAD],
        ),
        (
            "/admin/strategie",
            "/admin/strategie".into(),
            [LOGIN, DENIED, UNPROCESSABLE, UNPROCESSABLE],
        ),
        (
            "/admin/strategie/{kind}/neu",
            "/admin/strategie/kernbereich/neu".into(),
            [LOGIN, DENIED, UNPROCESSABLE, UNPROCESSABLE],
        ),
        (
            "/admin/strategie/{kind}/{id}",
            "/admin/strategie/handlungsfeld/1".into(),
            [LOGIN, DENIED, UNPROCESSABLE, UNPROCESSABLE],
        ),
        (
            "/admin/strategie/{kind}/{id}/verschieben",
            "/admin/strategie/handlungsfeld/1/verschieben".into(),
            [LOGIN, DENIED, BAD, BAD],
        ),
        (
            "/admin/strategie/{kind}/{id}/archivieren",
            "/admin/strategie/schwerpunkt/1/archivieren".into(),
            [LOGIN, DENIED, BAD, BAD],
        ),
        (
            "/admin/einstellungen",
            "/admin/einstellungen".into(),
            [LOGIN, DENIED, DENIED, OK],
        ),
        (
            "/admin/import/{id}",
            "/admin/import/1".into(),
            [LOGIN, DENIED, 404, 404],
        ),
        (
            "/admin/benutzer/{id}/handlungsfelder",
            "/admin/benutzer/999999/handlungsfelder".into(),
            [LOGIN, DENIED, DENIED, 404],
        ),
    ]
}

/// (method, route as in router.rs, concrete path, [anonymous, citizen, editor, admin])
fn rows() -> Vec<(&'static str, &'static str, String, [u16; 4])> {
    let all = [OK; 4];
    vec![
        ("GET", "/healthz", "/healthz".into(), all),
        ("GET", "/readyz", "/readyz".into(), all),
        ("GET", "/metrics", "/metrics".into(), all),
        ("GET", "/assets/{file}", "/assets/style.css".into(), all),
        ("GET", "/", "/".into(), all),
        ("GET", "/radar", "/radar".into(), all),
        ("GET", "/massnahmen", "/massnahmen".into(), all),
        (
            "GET",
            "/massnahmen/{slug}",
            "/massnahmen/digitaltag-musterstadt".into(),
            all,
        ),
        ("GET", "/impressum", "/impressum".into(), all),
        ("GET", "/datenschutz", "/datenschutz".into(), all),
        (
            "GET",
            "/admin/einstellungen",
            "/admin/einstellungen".into(),
            [LOGIN, DENIED, DENIED, OK],
        ),
        (
            "POST",
            "/admin/einstellungen",
            "/admin/einstellungen".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/admin/einstellungen/logo",
            "/admin/einstellungen/logo".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/admin/einstellungen/logo-entfernen",
            "/admin/einstellungen/logo-entfernen".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/admin/einstellungen/farbe",
            "/admin/einstellungen/farbe".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        ("GET", "/logo", "/logo".into(), [404; 4]),
        ("GET", "/theme.css", "/theme.css".into(), all),
        (
            "GET",
            "/admin/massnahmen",
            "/admin/massnahmen".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "GET",
            "/admin/massnahmen/{id}",
            "/admin/massnahmen/1".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/massnahmen/{id}",
            "/admin/massnahmen/1".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        ("GET", "/admin", "/admin".into(), [LOGIN, DENIED, OK, OK]),
        (
            "GET",
            "/admin/benutzer/{id}",
            "/admin/benutzer/1".into(),
            [LOGIN, DENIED, DENIED, OK],
        ),
        (
            "POST",
            "/admin/benutzer/{id}/handlungsfelder",
            "/admin/benutzer/1/handlungsfelder".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/import",
            "/admin/import".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/import",
            "/admin/import".into(),
            [LOGIN, DENIED, 400, 400],
        ),
        (
            "GET",
            "/admin/import/{id}",
            "/admin/import/1".into(),
            [LOGIN, DENIED, 404, 404],
        ),
        (
            "POST",
            "/admin/import/{id}",
            "/admin/import/1".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/massnahmen/neu",
            "/admin/massnahmen/neu".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/massnahmen/neu",
            "/admin/massnahmen/neu".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/massnahmen/{id}/vorschau",
            "/admin/massnahmen/1/vorschau".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "GET",
            "/admin/strategie",
            "/admin/strategie".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/strategie",
            "/admin/strategie".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/strategie/{kind}/neu",
            "/admin/strategie/kernbereich/neu".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/strategie/{kind}/neu",
            "/admin/strategie/kernbereich/neu".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/strategie/{kind}/{id}",
            "/admin/strategie/handlungsfeld/1".into(),
            [LOGIN, DENIED, OK, OK],
        ),
        (
            "POST",
            "/admin/strategie/{kind}/{id}",
            "/admin/strategie/handlungsfeld/1".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/admin/strategie/{kind}/{id}/verschieben",
            "/admin/strategie/handlungsfeld/1/verschieben".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/admin/strategie/{kind}/{id}/archivieren",
            "/admin/strategie/schwerpunkt/1/archivieren".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/handlungsfelder/{slug}",
            "/handlungsfelder/bildung".into(),
            all,
        ),
        ("GET", "/zeitleiste", "/zeitleiste".into(), all),
        ("GET", "/statistik", "/statistik".into(), all),
        (
            "GET",
            "/feeds/updates.atom",
            "/feeds/updates.atom".into(),
            all,
        ),
        (
            "GET",
            "/export/strategie.csv",
            "/export/strategie.csv".into(),
            all,
        ),
        (
            "GET",
            "/export/strategie.json",
            "/export/strategie.json".into(),
            all,
        ),
        ("GET", "/api/v1/strategy", "/api/v1/strategy".into(), all),
        ("GET", "/api/v1/measures", "/api/v1/measures".into(), all),
        (
            "GET",
            "/api/v1/measures/{id}",
            "/api/v1/measures/1".into(),
            all,
        ),
        ("GET", "/api/openapi.json", "/api/openapi.json".into(), all),
        (
            "GET",
            "/anmelden",
            "/anmelden".into(),
            [OK, LOGIN, LOGIN, LOGIN],
        ),
        (
            "POST",
            "/anmelden",
            "/anmelden".into(),
            [401, 401, 401, 401],
        ),
        (
            "POST",
            "/abmelden",
            "/abmelden".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        ("GET", "/konto", "/konto".into(), [LOGIN, OK, OK, OK]),
        (
            "POST",
            "/konto/ueberall-abmelden",
            "/konto/ueberall-abmelden".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/konto/passwort-setzen",
            "/konto/passwort-setzen?token=x".into(),
            [400; 4],
        ),
        (
            "POST",
            "/konto/passwort-setzen",
            "/konto/passwort-setzen".into(),
            [400; 4],
        ),
        (
            "GET",
            "/registrieren",
            "/registrieren".into(),
            [OK, LOGIN, LOGIN, LOGIN],
        ),
        ("POST", "/registrieren", "/registrieren".into(), [422; 4]),
        (
            "GET",
            "/konto/bestaetigen",
            "/konto/bestaetigen?token=x".into(),
            [400; 4],
        ),
        (
            "POST",
            "/konto/bestaetigen",
            "/konto/bestaetigen".into(),
            [400; 4],
        ),
        (
            "GET",
            "/passwort-vergessen",
            "/passwort-vergessen".into(),
            all,
        ),
        (
            "POST",
            "/passwort-vergessen",
            "/passwort-vergessen".into(),
            [422; 4],
        ),
        (
            "POST",
            "/konto/passwort",
            "/konto/passwort".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "POST",
            "/konto/adresse",
            "/konto/adresse".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/konto/adresse-bestaetigen",
            "/konto/adresse-bestaetigen?token=x".into(),
            [400; 4],
        ),
        (
            "POST",
            "/konto/adresse-bestaetigen",
            "/konto/adresse-bestaetigen".into(),
            [400; 4],
        ),
        (
            "POST",
            "/konto/loeschen",
            "/konto/loeschen".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/konto/daten.json",
            "/konto/daten.json".into(),
            [LOGIN, OK, OK, OK],
        ),
        (
            "GET",
            "/admin/benutzer",
            "/admin/benutzer".into(),
            [LOGIN, DENIED, DENIED, OK],
        ),
        (
            "POST",
            "/admin/benutzer/{id}",
            "/admin/benutzer/1".into(),
            [LOGIN, DENIED, DENIED, DENIED],
        ),
        (
            "GET",
            "/admin/protokoll",
            "/admin/protokoll".into(),
            [LOGIN, DENIED, DENIED, OK],
        ),
    ]
}

/// (method, route) of every route the router declares.
fn declared() -> Vec<(String, String)> {
    let src = include_str!("../../src/router.rs");
    let mut out = Vec::new();
    for chunk in src.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap().to_string();
        let handlers = chunk.split(".route(").next().unwrap();
        let handlers = handlers.split("\n        .").next().unwrap_or(handlers);
        for (m, name) in [("GET", "get("), ("POST", "post(")] {
            if handlers.contains(name) {
                out.push((m.to_string(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_has_a_row() {
    let table: Vec<(String, String)> = rows()
        .iter()
        .map(|r| (r.0.to_string(), r.1.to_string()))
        .collect();
    let declared = declared();
    assert!(declared.len() >= 30, "{declared:?}");
    for d in &declared {
        assert!(
            table.contains(d),
            "route {} {} has no row in the route matrix",
            d.0,
            d.1
        );
    }
    for t in &table {
        assert!(
            declared.contains(t),
            "the matrix names {} {}, which the router does not have",
            t.0,
            t.1
        );
    }
}

db_test!(
    every_route_answers_every_role_as_expected,
    |db| async move {
        let app = app(&db).await;
        let citizen = signed_in(&app, &db, "buerger@musterstadt.example", &[Role::Citizen]).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let mut failures = Vec::new();
        for (method, route, path, expected) in rows() {
            for (who, cookie, want) in [
                ("anonymous", None, expected[0]),
                ("citizen", Some(&citizen), expected[1]),
                ("editor", Some(&editor), expected[2]),
                ("admin", Some(&admin), expected[3]),
            ] {
                let status = if method == "GET" {
                    let headers: Vec<(&str, &str)> = cookie
                        .map(|c| vec![("cookie", c.as_str())])
                        .unwrap_or_default();
                    get_with(&app, &path, &headers).await.status
                } else {
                    // Forms without their token (or with nothing filled in).
                    super::accounts::post(&app, &path, "", cookie.map(String::as_str))
                        .await
                        .status
                };
                if status.as_u16() != want {
                    failures.push(format!(
                        "{method} {route} as {who}: {status}, expected {want}"
                    ));
                }
            }
        }
        // The same state-changing routes with each person's valid token.
        let mut tokens = Vec::new();
        for cookie in [&citizen, &editor, &admin] {
            let page = get_with(&app, "/konto", &[("cookie", cookie.as_str())]).await;
            tokens.push(super::accounts::csrf_of(&page.body));
        }
        for (route, path, expected) in token_rows() {
            assert!(
                rows().iter().any(|r| r.0 == "POST" && r.1 == route),
                "token row {route} is not a POST route of the matrix"
            );
            for (i, (who, cookie)) in [
                ("anonymous", None),
                ("citizen", Some(&citizen)),
                ("editor", Some(&editor)),
                ("admin", Some(&admin)),
            ]
            .into_iter()
            .enumerate()
            {
                let body = if i == 0 {
                    "csrf=0".to_string()
                } else {
                    format!("csrf={}", tokens[i - 1])
                };
                let status = super::accounts::post(&app, &path, &body, cookie.map(String::as_str))
                    .await
                    .status;
                if status.as_u16() != expected[i] {
                    failures.push(format!(
                        "POST {route} with token as {who}: {status}, expected {}",
                        expected[i]
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);
