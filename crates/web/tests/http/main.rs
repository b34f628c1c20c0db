//! HTTP tests through the real router, on SQLite and (with STADTRADAR_TEST_PG_URL) PostgreSQL.
//!
//! This file holds the shared harness only: the demo app, requests and their answers, and form
//! helpers. The tests live in one file per feature or topic (the `mod` list at the end); the
//! sign-in helpers are in `accounts` (`post`, `link`, `csrf_of`, …) and `back_office`
//! (`signed_in`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: a failed set-up is a failed test

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Db, db_test};
use tower::ServiceExt;

const DEMO: &str = include_str!("../../../stadtradar/demo/musterstadt.json");

/// Imports the demo strategy (Musterstadt, 70 measures in two editions) into `db`.
async fn load_demo(db: &Db) {
    let (_, doc) = domain::import::parse(DEMO.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
}

/// The app state on the demo strategy, for tests that look at the cache or the event bus.
async fn demo_state(db: &Db) -> web::AppState {
    load_demo(db).await;
    web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap()
}

/// The whole app on the demo strategy.
async fn app(db: &Db) -> axum::Router {
    web::router(demo_state(db).await)
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get_with(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> Res {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    res_of(res).await
}

/// Status, headers and body (as text) of a response.
async fn res_of(res: axum::response::Response) -> Res {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Res {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Sends a multipart form from this site: the `csrf` field and one file field.
async fn post_file(
    app: &axum::Router,
    uri: &str,
    cookie: &str,
    csrf: &str,
    (field, name, mime): (&str, &str, &str),
    file: &[u8],
) -> Res {
    let boundary = "----stadtradar-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
         Content-Type: {mime}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len().to_string())
        .header("host", accounts::HOST)
        .header("origin", format!("https://{}", accounts::HOST))
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    res_of(app.clone().oneshot(req).await.unwrap()).await
}

async fn get(app: &axum::Router, uri: &str) -> Res {
    get_with(app, uri, &[]).await
}

fn json(r: &Res) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

/// The fields a browser would send from the form with `action` on `page`, as name/value pairs:
/// inputs (checkboxes only when checked), textareas and the selected option of each select.
fn form_of(page: &str, action: &str) -> Vec<(String, String)> {
    let start = page
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form for {action}"));
    let form = &page[start..];
    let form = &form[..form.find("</form>").unwrap()];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(unescape(&tag[i..i + tag[i..].find('"')?]))
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = attr(tag, "name")
                && (kind != "checkbox" || tag.contains(" checked"))
            {
                let value = attr(tag, "value").unwrap_or_else(|| "on".into());
                out.push((name, value));
            }
        } else if tag.starts_with("<textarea") {
            let body = &rest[end + 1..];
            let text = &body[..body.find("</textarea>").unwrap()];
            out.push((attr(tag, "name").unwrap(), unescape(text)));
        } else if tag.starts_with("<select") {
            let body = &rest[end + 1..];
            let body = &body[..body.find("</select>").unwrap()];
            let options: Vec<&str> = body.split("<option").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| o[..o.find('>').unwrap()].contains(" selected"))
                .or(options.first());
            if let Some(o) = chosen {
                out.push((
                    attr(tag, "name").unwrap(),
                    attr(o, "value").unwrap_or_default(),
                ));
            }
        }
        rest = &rest[end..];
    }
    out
}

fn unescape(v: &str) -> String {
    v.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `pairs` with the given fields replaced (or added), URL-encoded as a form body.
fn with_fields(pairs: &[(String, String)], changes: &[(&str, &str)]) -> String {
    let mut all: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    all.extend(changes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    serde_urlencoded::to_string(&all).unwrap()
}

/// The answer sends the reader to the login page.
fn assert_to_login(r: &Res) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/anmelden")
    );
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Today's date in Germany.
fn today_in_germany() -> time::Date {
    let now = time::OffsetDateTime::now_utc();
    now.to_offset(domain::notifications::german_offset(now))
        .date()
}

mod accounts;
mod api;
mod audit_filters;
mod back_office;
mod branding;
mod cache;
mod client_addr;
mod comments;
mod demo;
mod editor_scope;
mod email_change;
mod errors;
mod event_office;
mod event_parts;
mod event_registration;
mod feeds;
mod forms;
mod guest_ratings;
mod guests;
mod ideas;
mod live;
mod mail;
mod measure_editing;
mod moderation;
mod newsletter;
mod notifications;
mod offer_requests;
mod offers;
mod offers_admin;
mod offers_api;
mod offers_office;
mod ops;
mod origin;
mod participation;
mod programme;
mod provider_logo;
mod questions;
mod radar_model;
mod radar_pages;
mod referrer;
mod registration;
mod route_matrix;
mod search;
mod server;
mod site_texts;
mod strategy_office;
mod volunteering;
mod windows;
