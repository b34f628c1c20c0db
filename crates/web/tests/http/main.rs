//! HTTP tests through the real router, on SQLite and (with STADTRADAR_TEST_PG_URL) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: a failed set-up is a failed test

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Db, db_test};
use tower::ServiceExt;

const DEMO: &str = include_str!("../../../stadtradar/demo/musterstadt.json");

async fn app(db: &Db) -> axum::Router {
    let (_, doc) = domain::import::parse(DEMO.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
    web::router(
        web::AppState::new(db.clone(), "https://radar.example")
            .await
            .unwrap(),
    )
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

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

db_test!(every_page_renders_in_german, |db| async move {
    let app = app(&db).await;
    for uri in [
        "/",
        "/radar",
        "/radar?rings=year",
        "/massnahmen",
        "/zeitleiste",
        "/statistik",
        "/handlungsfelder/bildung",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.body.contains("<html lang=\"de\">"), "{uri}");
        assert!(r.body.contains("Zum Inhalt springen"), "{uri}");
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{uri}"
        );
        assert!(
            !r.headers.contains_key(header::SET_COOKIE),
            "{uri} sets a cookie"
        );
        assert!(
            !r.body.contains("style=\""),
            "{uri} has an inline style the CSP would block"
        );
        assert!(!r.body.contains("<script"), "{uri} has a script");
    }
});

db_test!(radar_draws_one_linked_dot_per_measure, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar").await;
    let total = db.count_measures(&Default::default()).await.unwrap() as usize;
    assert_eq!(count(&r.body, "<a class=\"dot\""), total);
    assert_eq!(count(&r.body, "<tr><th scope=\"row\">"), total);
    assert!(
        r.body
            .contains("aria-label=\"PC-Treffs für Seniorinnen und Senioren – ")
    );
    // Nine fields of action, nine numbered sectors in the legend.
    assert_eq!(count(&r.body, "href=\"/handlungsfelder/"), 9);
    let done = get(&app, "/radar?status=done").await;
    let n_done = db
        .count_measures(&store::strategy::MeasureFilter {
            status: Some(domain::Status::Done),
            ..Default::default()
        })
        .await
        .unwrap() as usize;
    assert!(n_done > 0 && n_done < total);
    assert_eq!(count(&done.body, "<a class=\"dot\""), n_done);
    assert!(done.body.contains("<option value=\"done\" selected>"));
});

db_test!(filters_apply_on_submit_only, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar").await;
    assert!(
        r.body
            .contains("<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/radar\">")
    );
    assert!(
        r.body
            .contains("<button type=\"submit\">Filter anwenden</button>")
    );
    assert!(!r.body.contains("onchange"));
});

db_test!(list_paginates_and_searches_in_german, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/massnahmen").await;
    assert_eq!(count(&r.body, "class=\"measure-card\""), 25);
    assert!(r.body.contains("<nav class=\"pagination\""));
    assert!(r.body.contains("href=\"/massnahmen?page=2\" rel=\"next\""));
    let p3 = get(&app, "/massnahmen?page=3").await;
    assert_eq!(count(&p3.body, "class=\"measure-card\""), 70 - 50);
    let s = get(&app, "/massnahmen?q=Kitas").await;
    assert!(s.body.contains("Bildungsportal für Kitas"));
    assert!(s.body.contains("Ergebnisse für „Kitas“"));
    let none = get(&app, "/massnahmen?q=Quantencomputer").await;
    assert!(none.body.contains("Keine Maßnahme gefunden."));
});

db_test!(measure_page_shows_everything, |db| async move {
    let app = app(&db).await;
    let slug = db
        .measures(&Default::default(), store::strategy::Sort::Title, 1, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|m| m.external_id == "DG-01")
        .unwrap()
        .slug;
    let r = get(&app, &format!("/massnahmen/{slug}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<progress max=\"100\" value=\""));
    assert!(r.body.contains("Teilmaßnahmen"));
    assert!(r.body.contains("aus den Teilmaßnahmen berechnet"));
    assert!(r.body.contains("Eckdaten"));
    let with_reports = db.latest_reports(1).await.unwrap().remove(0);
    let r = get(&app, &format!("/massnahmen/{}", with_reports.measure_slug)).await;
    assert!(
        r.body
            .contains(&format!("id=\"bericht-{}\"", with_reports.id))
    );
});

db_test!(field_page_counts_measures_by_status, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/handlungsfelder/bildung").await;
    let re = r
        .body
        .split("<p class=\"lead\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap()
        .to_string();
    assert!(
        re.contains(" geplant, ")
            && re.contains(" in Umsetzung, ")
            && re.contains(" eingestellt von 9"),
        "{re}"
    );
    assert_eq!(
        get(&app, "/handlungsfelder/gibt-es-nicht").await.status,
        StatusCode::NOT_FOUND
    );
});

db_test!(english_through_the_i18n_layer, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar?lang=en").await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Apply filters"));
    assert!(r.body.contains("href=\"/massnahmen?lang=en\""));
    let r = get_with(&app, "/statistik", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(r.body.contains("Statistics"));
    let r = get_with(&app, "/statistik", &[("accept-language", "de-DE")]).await;
    assert!(r.body.contains("Statistik"));
});

db_test!(bad_input_gets_a_clear_answer, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/massnahmen/gibt-es-nicht").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<h1>Seite nicht gefunden</h1>"));
    let r = get(&app, "/radar?status=fertig").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Ungültige Anfrage"));
    assert!(r.body.contains("Feld „status“"));
    let r = get(&app, "/massnahmen?page=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Bytes that are not UTF-8 are refused with the field named, not searched as replacement
    // characters.
    let r = get(&app, "/massnahmen?q=%FF%FE").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Feld „q“"), "{}", r.body);
    let long = "x".repeat(300);
    let r = get(&app, &format!("/massnahmen?q={long}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get(&app, "/gibt/es/nicht").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Seite nicht gefunden"));
    let req = Request::post("/radar").body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
});

db_test!(api_lists_filters_and_paginates, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/api/v1/measures?per_page=10&page=2&sort=title").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = json(&r);
    assert_eq!(v["total"], 70);
    assert_eq!(v["page"], 2);
    assert_eq!(v["items"].as_array().unwrap().len(), 10);
    let first = &v["items"][0];
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("https://radar.example/massnahmen/")
    );
    assert!(
        first["api_url"]
            .as_str()
            .unwrap()
            .starts_with("https://radar.example/api/v1/measures/")
    );
    let v = json(&get(&app, "/api/v1/measures?q=Schulen&per_page=100").await);
    assert!(v["total"].as_i64().unwrap() >= 1);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !m["title"].as_str().unwrap().is_empty())
    );
    let v = json(&get(&app, "/api/v1/measures?status=dropped&field=bildung").await);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["status"] == "dropped" && m["field"]["slug"] == "bildung")
    );
});

db_test!(api_errors_are_problem_documents, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/api/v1/measures?status=fertig").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
    let v = json(&r);
    assert_eq!(v["status"], 400);
    assert_eq!(v["errors"][0]["field"], "status");
    assert!(
        v["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("fertig")
    );
    let r = get(&app, "/api/v1/measures?per_page=1000").await;
    assert_eq!(json(&r)["errors"][0]["field"], "per_page");
    let r = get(&app, "/api/v1/measures/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&r)["errors"][0]["field"], "id");
    let r = get(&app, "/api/v1/measures/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(json(&r)["code"], "not_found");
});

db_test!(api_detail_and_strategy_tree, |db| async move {
    let app = app(&db).await;
    let list = json(&get(&app, "/api/v1/measures?per_page=1").await);
    let id = list["items"][0]["id"].as_i64().unwrap();
    let v = json(&get(&app, &format!("/api/v1/measures/{id}")).await);
    assert_eq!(v["measure"]["id"], id);
    assert!(v["departments"].is_array());
    let s = json(&get(&app, "/api/v1/strategy").await);
    assert_eq!(s["strategy"]["city"], "Musterstadt");
    assert_eq!(s["core_areas"].as_array().unwrap().len(), 3);
    let fields: usize = s["core_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fields"].as_array().unwrap().len())
        .sum();
    assert_eq!(fields, 9);
    let total: i64 = s["core_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["counts"]["total"].as_i64().unwrap())
        })
        .sum();
    assert_eq!(total, 70);
});

db_test!(
    etags_answer_not_modified_and_cors_is_open_for_get,
    |db| async move {
        let app = app(&db).await;
        let r = get_with(
            &app,
            "/api/v1/measures",
            &[("origin", "https://other.example")],
        )
        .await;
        let etag = r.headers[header::ETAG].to_str().unwrap().to_string();
        assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let again = get_with(&app, "/api/v1/measures", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.body.is_empty());
        let page = get(&app, "/radar").await;
        let etag = page.headers[header::ETAG].to_str().unwrap().to_string();
        assert_eq!(
            get_with(&app, "/radar", &[("if-none-match", &etag)])
                .await
                .status,
            StatusCode::NOT_MODIFIED
        );
    }
);

db_test!(a_write_invalidates_cached_pages, |db| async move {
    let (_, doc) = domain::import::parse(DEMO.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    let app = web::router(state.clone());
    let before = get(&app, "/massnahmen?q=Zeppelin").await;
    assert!(before.body.contains("Keine Maßnahme gefunden."));
    assert!(!state.cache.is_empty());
    let csv = "external_id;title;field;status\nZ-1;Zeppelin-Landeplatz;bildung;Geplant\n";
    let (_, doc) = domain::import::parse(csv.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
    // The import's cache event reached this instance's hub before the import returned.
    let after = get(&app, "/massnahmen?q=Zeppelin").await;
    assert!(after.body.contains("Zeppelin-Landeplatz"));
});

db_test!(feed_and_exports, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/feeds/updates.atom").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
    );
    assert!(count(&r.body, "<entry>") > 5);
    assert!(r.body.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://radar.example/massnahmen/"
    ));
    let csv = get(&app, "/export/strategie.csv").await;
    assert!(csv.body.starts_with("\u{feff}external_id;slug;title"));
    let (_, parsed) = domain::import::parse(csv.body.as_bytes()).unwrap();
    assert_eq!(parsed.measures.len(), 70);
    let json_export = json(&get(&app, "/export/strategie.json").await);
    assert_eq!(json_export["measures"].as_array().unwrap().len(), 70);
});

db_test!(security_headers_and_operations, |db| async move {
    let app = app(&db).await;
    let r = get_with(&app, "/", &[("x-forwarded-proto", "https")]).await;
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    assert!(r.headers.contains_key("x-request-id"));
    assert!(
        !get(&app, "/")
            .await
            .headers
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    assert_eq!(get(&app, "/healthz").await.body, "ok");
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/assets/style.css").await.status, StatusCode::OK);
    assert_eq!(
        get(&app, "/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
});

db_test!(
    no_edition_marks_without_a_previous_edition,
    |db| async move {
        let csv = "external_id;title;core_area;field;status\nX-1;Neue Maßnahme;Verwaltung;Digitales;Geplant\n";
        let (_, doc) = domain::import::parse(csv.as_bytes()).unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.apply_import(&plan, false).await.unwrap();
        let app = web::router(
            web::AppState::new(db.clone(), "https://radar.example")
                .await
                .unwrap(),
        );
        let r = get(&app, "/radar").await;
        assert!(r.body.contains("class=\"m-unchanged\""));
        assert!(!r.body.contains("m-new"));
        assert!(!r.body.contains("Gegenüber Vorversion"));
        let v = json(&get(&app, "/api/v1/measures").await);
        assert!(v["items"][0]["edition_mark"].is_null());
        // With the demo strategy's two editions the marks are there.
        let demo = self::app(&db).await;
        assert!(get(&demo, "/radar").await.body.contains("m-new"));
    }
);

db_test!(
    pages_are_served_gzipped_to_clients_that_accept_it,
    |db| async move {
        use std::io::Read;
        let app = app(&db).await;
        let plain = get(&app, "/radar").await;
        assert!(!plain.headers.contains_key(header::CONTENT_ENCODING));
        let req = Request::get("/radar")
            .header("accept-encoding", "gzip, deflate, br")
            .body(Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert!(
            res.headers()[header::VARY]
                .to_str()
                .unwrap()
                .contains("accept-encoding")
        );
        let gz_etag = res.headers()[header::ETAG].clone();
        assert_ne!(gz_etag, plain.headers[header::ETAG]);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            bytes.len() * 4 < plain.body.len(),
            "gzip should shrink the radar page a lot"
        );
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, plain.body);
        let refused = get_with(&app, "/radar", &[("accept-encoding", "gzip;q=0, identity")]).await;
        assert!(!refused.headers.contains_key(header::CONTENT_ENCODING));
        let again = get_with(
            &app,
            "/radar",
            &[
                ("accept-encoding", "gzip"),
                ("if-none-match", gz_etag.to_str().unwrap()),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    }
);

/// A minimal SMTP server for tests: accepts every message and keeps its text.
mod smtp_sink {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    pub type Inbox = Arc<Mutex<Vec<String>>>;

    pub async fn start(port: u16) -> (Inbox, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let inbox: Inbox = Arc::default();
        let keep = inbox.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    break;
                };
                let inbox = keep.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let cmd = line.to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if cmd.starts_with("DATA") {
                            let _ = w.write_all(b"354 go on\r\n").await;
                            let mut body = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                body.push_str(&l);
                                body.push('\n');
                            }
                            inbox.lock().unwrap().push(body);
                            b"250 queued\r\n"
                        } else if cmd.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (inbox, task)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ten_messages() -> Vec<store::mail::Outgoing> {
    (0..10)
        .map(|i| store::mail::Outgoing {
            to: format!("buerger{i}@musterstadt.example"),
            subject: format!("Bestätigung {i}"),
            text: format!("Hallo {i}, Ihre Anmeldung ist eingegangen."),
            html: Some(format!("<p>Hallo {i}, Ihre Anmeldung ist eingegangen.</p>")),
        })
        .collect()
}

db_test!(
    mail_survives_an_smtp_outage_and_arrives_once,
    |db| async move {
        use time::{Duration, OffsetDateTime};
        let port = free_port();
        let mailer = web::mail::Mailer::smtp(
            "127.0.0.1",
            port,
            web::mail::Security::None,
            None,
            "Radar <radar@musterstadt.example>",
        )
        .unwrap();
        for m in ten_messages() {
            db.enqueue_mail(&m).await.unwrap();
        }
        let now = OffsetDateTime::now_utc();
        // The SMTP server is down: every attempt fails and nothing is lost.
        assert_eq!(
            web::mail::run_once(&db, &mailer, now).await.unwrap(),
            (0, 10)
        );
        assert_eq!(db.mail_stats().await.unwrap().queued, 10);
        let (inbox, sink) = smtp_sink::start(port).await;
        // Not due again before the back-off has passed.
        assert_eq!(
            web::mail::run_once(&db, &mailer, now).await.unwrap(),
            (0, 0)
        );
        assert_eq!(
            web::mail::run_once(&db, &mailer, now + Duration::seconds(31))
                .await
                .unwrap(),
            (10, 0)
        );
        assert_eq!(
            web::mail::run_once(&db, &mailer, now + Duration::hours(1))
                .await
                .unwrap(),
            (0, 0)
        );
        let received = inbox.lock().unwrap().clone();
        assert_eq!(received.len(), 10);
        for i in 0..10 {
            let n = received
                .iter()
                .filter(|m| m.contains(&format!("buerger{i}@musterstadt.example")))
                .count();
            assert_eq!(n, 1, "message {i} arrived {n} times");
        }
        assert!(received[0].contains("From: Radar <radar@musterstadt.example>"));
        assert!(received[0].contains("multipart/alternative"));
        let stats = db.mail_stats().await.unwrap();
        assert_eq!((stats.queued, stats.sent, stats.failed), (0, 10, 0));
        sink.abort();
    }
);

db_test!(
    without_smtp_mail_lands_in_the_outbox_folder,
    |db| async move {
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-outbox-{}-{}",
            std::process::id(),
            free_port()
        ));
        let mailer = web::mail::Mailer::outbox(&dir, "Radar <radar@musterstadt.example>").unwrap();
        for m in ten_messages() {
            db.enqueue_mail(&m).await.unwrap();
        }
        let sent = web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        assert_eq!(sent, (10, 0));
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 10);
        let one =
            std::fs::read_to_string(files.iter().find(|p| p.ends_with("00000001.eml")).unwrap())
                .unwrap();
        assert!(one.contains("To: buerger0@musterstadt.example"));
        assert!(
            one.contains("Subject: =?utf-8?") || one.contains("Subject: Best"),
            "{one}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
);

db_test!(
    a_bad_recipient_is_retried_and_reported_not_crashed,
    |db| async move {
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-outbox-bad-{}-{}",
            std::process::id(),
            free_port()
        ));
        let mailer = web::mail::Mailer::outbox(&dir, "radar@musterstadt.example").unwrap();
        db.enqueue_mail(&store::mail::Outgoing {
            to: "kein empfänger".into(),
            subject: "x".into(),
            text: "x".into(),
            html: None,
        })
        .await
        .unwrap();
        assert_eq!(
            web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc())
                .await
                .unwrap(),
            (0, 1)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
);

mod accounts {
    use super::*;
    use domain::accounts::Role;
    use store::accounts::TokenPurpose;
    use time::{Duration, OffsetDateTime};

    pub const HOST: &str = "radar.example";

    pub async fn post(app: &axum::Router, uri: &str, body: &str, cookie: Option<&str>) -> Res {
        let mut req = Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", HOST)
            .header("origin", format!("https://{HOST}"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let res = app
            .clone()
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        res_of(res).await
    }

    pub async fn link(db: &Db, email: &str, roles: &[Role], valid: Duration) -> String {
        let id = db.create_user(email, "Amtsleitung", roles).await.unwrap();
        let token = web::session::random_token().unwrap();
        db.create_token(
            id,
            TokenPurpose::SetPassword,
            &web::session::sha256_hex(&token),
            OffsetDateTime::now_utc() + valid,
        )
        .await
        .unwrap();
        token
    }

    pub fn cookie_of(r: &Res) -> String {
        let c = r.headers[header::SET_COOKIE].to_str().unwrap();
        c.split(';').next().unwrap().to_string()
    }

    pub fn csrf_of(page: &str) -> String {
        page.split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    }

    pub const PW: &str = "Gruene+Ampel+am+Rathausplatz";

    pub async fn log_in(app: &axum::Router) -> String {
        let r = post(
            app,
            "/anmelden",
            &format!("email=admin%40musterstadt.example&password={PW}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        cookie_of(&r)
    }

    db_test!(
        first_admin_sets_a_password_and_logs_in_and_out,
        |db| async move {
            let app = app(&db).await;
            let token = link(
                &db,
                "admin@musterstadt.example",
                &[Role::Admin],
                Duration::hours(72),
            )
            .await;
            let form = get(&app, &format!("/konto/passwort-setzen?token={token}")).await;
            assert_eq!(form.status, StatusCode::OK);
            assert!(form.body.contains("admin@musterstadt.example"));
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password={PW}&password2=anders1234567"),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                r.body
                    .contains("Die beiden Passwörter stimmen nicht überein.")
            );
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password=kurz&password2=kurz"),
                None,
            )
            .await;
            assert!(r.body.contains("Das Passwort ist zu kurz"));
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password=Passwort123&password2=Passwort123"),
                None,
            )
            .await;
            assert!(r.body.contains("zu leicht zu erraten"));
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password={PW}&password2={PW}"),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(r.headers[header::LOCATION], "/anmelden?hinweis=passwort");
            let again = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password={PW}&password2={PW}"),
                None,
            )
            .await;
            assert_eq!(again.status, StatusCode::BAD_REQUEST);
            assert!(again.body.contains("Dieser Link wurde bereits benutzt."));
            // Wrong password: a clear message, no session.
            let r = post(
                &app,
                "/anmelden",
                "email=admin%40musterstadt.example&password=falsch-falsch",
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.body.contains("E-Mail-Adresse oder Passwort ist falsch."));
            assert!(!r.headers.contains_key(header::SET_COOKIE));
            let r = post(
                &app,
                "/anmelden",
                "email=niemand%40musterstadt.example&password=falsch-falsch",
                None,
            )
            .await;
            assert!(
                r.body.contains("E-Mail-Adresse oder Passwort ist falsch."),
                "unknown addresses get the same answer"
            );
            // Right password: a session cookie as the issue asks for it.
            let r = post(
                &app,
                "/anmelden",
                &format!("email=Admin%40Musterstadt.example&password={PW}"),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            let set = r.headers[header::SET_COOKIE].to_str().unwrap();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
                "{set}"
            );
            let cookie = cookie_of(&r);
            let account = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
            assert_eq!(account.status, StatusCode::OK);
            assert!(account.body.contains("Administration"));
            assert!(account.body.contains("Konto: Amtsleitung"));
            assert_eq!(account.headers[header::CACHE_CONTROL], "no-store");
            // Shared pages stay anonymous in the cache.
            assert!(
                get_with(&app, "/", &[("cookie", &cookie)])
                    .await
                    .body
                    .contains("Konto: Amtsleitung")
            );
            assert!(get(&app, "/").await.body.contains(">Anmelden</a>"));
            // Logging out needs the form's CSRF token.
            assert_eq!(
                post(&app, "/abmelden", "", Some(&cookie)).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                post(&app, "/abmelden", "csrf=falsch", Some(&cookie))
                    .await
                    .status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                get_with(&app, "/konto", &[("cookie", &cookie)])
                    .await
                    .status,
                StatusCode::OK,
                "nothing changed"
            );
            let csrf = csrf_of(&account.body);
            let out = post(&app, "/abmelden", &format!("csrf={csrf}"), Some(&cookie)).await;
            assert_eq!(out.status, StatusCode::SEE_OTHER);
            assert!(
                out.headers[header::SET_COOKIE]
                    .to_str()
                    .unwrap()
                    .contains("Max-Age=0")
            );
            let after = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
            assert_eq!(after.status, StatusCode::SEE_OTHER);
            assert_eq!(after.headers[header::LOCATION], "/anmelden");
        }
    );

    db_test!(
        bad_links_and_cross_site_forms_change_nothing,
        |db| async move {
            let app = app(&db).await;
            let expired = link(&db, "alt@musterstadt.example", &[], Duration::hours(-1)).await;
            let r = get(&app, &format!("/konto/passwort-setzen?token={expired}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains("Dieser Link ist abgelaufen."));
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={expired}&password={PW}&password2={PW}"),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(
                db.user_by_email("alt@musterstadt.example")
                    .await
                    .unwrap()
                    .unwrap()
                    .password_hash
                    .is_none()
            );
            assert!(
                get(&app, "/konto/passwort-setzen?token=unsinn")
                    .await
                    .body
                    .contains("Dieser Link ist ungültig.")
            );
            let token = link(
                &db,
                "admin@musterstadt.example",
                &[Role::Admin],
                Duration::hours(1),
            )
            .await;
            let req = Request::post("/konto/passwort-setzen")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", HOST)
                .header("origin", "https://evil.example")
                .body(Body::from(format!(
                    "token={token}&password={PW}&password2={PW}"
                )))
                .unwrap();
            assert_eq!(
                app.clone().oneshot(req).await.unwrap().status(),
                StatusCode::FORBIDDEN
            );
            assert!(
                db.user_by_email("admin@musterstadt.example")
                    .await
                    .unwrap()
                    .unwrap()
                    .password_hash
                    .is_none()
            );
            let req = Request::post("/anmelden")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("email=a%40b.de&password=x"))
                .unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN);
            assert_eq!(
                get(&app, "/konto").await.status,
                StatusCode::SEE_OTHER,
                "the account page needs a login"
            );
        }
    );

    db_test!(login_is_rate_limited_per_account, |db| async move {
        let app = app(&db).await;
        for _ in 0..web::accounts::LOGIN_PER_ACCOUNT {
            let r = post(
                &app,
                "/anmelden",
                "email=ziel%40musterstadt.example&password=rate-rate-rate",
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = post(
            &app,
            "/anmelden",
            "email=ziel%40musterstadt.example&password=rate-rate-rate",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = r.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait > 0 && wait <= 15 * 60);
        assert!(r.body.contains("Zu viele Versuche"));
    });

    db_test!(logging_out_everywhere_ends_every_session, |db| async move {
        let app = app(&db).await;
        let token = link(
            &db,
            "admin@musterstadt.example",
            &[Role::Editor],
            Duration::hours(1),
        )
        .await;
        post(
            &app,
            "/konto/passwort-setzen",
            &format!("token={token}&password={PW}&password2={PW}"),
            None,
        )
        .await;
        let phone = log_in(&app).await;
        let laptop = log_in(&app).await;
        assert_ne!(phone, laptop);
        let page = get_with(&app, "/konto", &[("cookie", &phone)]).await;
        let r = post(
            &app,
            "/konto/ueberall-abmelden",
            &format!("csrf={}", csrf_of(&page.body)),
            Some(&phone),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for c in [&phone, &laptop] {
            assert_eq!(
                get_with(&app, "/konto", &[("cookie", c)]).await.status,
                StatusCode::SEE_OTHER
            );
        }
    });
}

mod registration {
    use super::accounts::{PW, cookie_of, csrf_of, link, post};
    use super::*;

    /// The link in the newest queued mail to `to`, as a path.
    async fn link_in_mail(db: &Db, to: &str) -> (String, String) {
        let now = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
        let mails = db
            .claim_mail(now, now + time::Duration::minutes(5), 100)
            .await
            .unwrap();
        let m = mails
            .into_iter()
            .rev()
            .find(|m| m.to_address == to)
            .expect("a mail to this address");
        let url = m
            .body_text
            .lines()
            .find(|l| l.starts_with("https://radar.example/"))
            .unwrap()
            .to_string();
        (
            url.trim_start_matches("https://radar.example").to_string(),
            m.subject,
        )
    }

    db_test!(a_citizen_registers_confirms_and_logs_in, |db| async move {
        let app = app(&db).await;
        let form = "name=Anna+M.&email=anna%40musterstadt.example&password=Gruene+Ampel+am+Rathaus&password2=Gruene+Ampel+am+Rathaus";
        let r = post(&app, "/registrieren", form, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Bitte prüfen Sie Ihr Postfach"));
        let login = "email=anna%40musterstadt.example&password=Gruene+Ampel+am+Rathaus";
        let early = post(&app, "/anmelden", login, None).await;
        assert!(
            early
                .body
                .contains("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse")
        );
        let (link, subject) = link_in_mail(&db, "anna@musterstadt.example").await;
        assert!(subject.starts_with(
            "Bitte bestätigen Sie Ihre E-Mail-Adresse – Digitalisierungsradar Musterstadt"
        ));
        let page = get(&app, &link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Adresse bestätigen"),
            "a button, not a confirming GET"
        );
        let token = link.split("token=").nth(1).unwrap();
        let r = post(&app, "/konto/bestaetigen", &format!("token={token}"), None).await;
        assert_eq!(r.headers[header::LOCATION], "/anmelden?hinweis=bestaetigt");
        assert_eq!(
            post(&app, "/konto/bestaetigen", &format!("token={token}"), None)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let ok = post(&app, "/anmelden", login, None).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let cookie = cookie_of(&ok);
        let account = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
        assert!(account.body.contains("Bürgerin/Bürger"));
        let data = get_with(&app, "/konto/daten.json", &[("cookie", &cookie)]).await;
        assert!(data.body.contains("\"email\":\"anna@musterstadt.example\""));
        // A second registration with the same address: same answer, a note to the owner.
        let again = post(&app, "/registrieren", form, None).await;
        assert!(again.body.contains("Bitte prüfen Sie Ihr Postfach"));
        let (_, subject) = link_in_mail(&db, "anna@musterstadt.example").await;
        assert!(subject.starts_with("Anmeldung beim"));
    });

    db_test!(
        bad_registrations_name_every_problem_and_create_nothing,
        |db| async move {
            let app = app(&db).await;
            let r = post(
                &app,
                "/registrieren",
                "name=A&email=keine-adresse&password=kurz&password2=kurz",
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            for m in [
                "Der Name ist zu kurz",
                "gültige E-Mail-Adresse",
                "Das Passwort ist zu kurz",
            ] {
                assert!(r.body.contains(m), "{m}");
            }
            let long = "n".repeat(100);
            let r = post(
                &app,
                "/registrieren",
                &format!("name={long}&email=b%40musterstadt.example&password=x&password2=y"),
                None,
            )
            .await;
            assert!(
                r.body.contains("Der Name ist zu lang") && r.body.contains("stimmen nicht überein")
            );
            assert!(
                db.user_by_email("b@musterstadt.example")
                    .await
                    .unwrap()
                    .is_none()
            );
            assert_eq!(db.mail_stats().await.unwrap().queued, 0);
        }
    );

    db_test!(
        password_reset_change_and_account_deletion,
        |db| async move {
            let app = app(&db).await;
            let token = link(
                &db,
                "admin@musterstadt.example",
                &[domain::accounts::Role::Editor],
                time::Duration::hours(1),
            )
            .await;
            post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={token}&password={PW}&password2={PW}"),
                None,
            )
            .await;
            // Forgotten password: a link by mail, the same answer for unknown addresses.
            let r = post(
                &app,
                "/passwort-vergessen",
                "email=niemand%40musterstadt.example",
                None,
            )
            .await;
            assert!(r.body.contains("Wenn es ein Konto mit dieser Adresse gibt"));
            let r = post(
                &app,
                "/passwort-vergessen",
                "email=admin%40musterstadt.example",
                None,
            )
            .await;
            assert!(r.body.contains("Wenn es ein Konto mit dieser Adresse gibt"));
            let (reset, subject) = link_in_mail(&db, "admin@musterstadt.example").await;
            assert!(subject.starts_with("Neues Passwort festlegen"));
            let t = reset.split("token=").nth(1).unwrap();
            let new = "Neue+Ampel+am+Marktplatz";
            let r = post(
                &app,
                "/konto/passwort-setzen",
                &format!("token={t}&password={new}&password2={new}"),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(
                post(
                    &app,
                    "/anmelden",
                    &format!("email=admin%40musterstadt.example&password={PW}"),
                    None
                )
                .await
                .status,
                StatusCode::UNAUTHORIZED
            );
            let r = post(
                &app,
                "/anmelden",
                &format!("email=admin%40musterstadt.example&password={new}"),
                None,
            )
            .await;
            let cookie = cookie_of(&r);
            let other = cookie_of(
                &post(
                    &app,
                    "/anmelden",
                    &format!("email=admin%40musterstadt.example&password={new}"),
                    None,
                )
                .await,
            );
            let page = get_with(&app, "/konto", &[("cookie", &cookie)]).await;
            let csrf = csrf_of(&page.body);
            // Change password: the current one is checked; other devices are logged out.
            let wrong = post(
                &app,
                "/konto/passwort",
                &format!("csrf={csrf}&current=falsch&password={PW}&password2={PW}"),
                Some(&cookie),
            )
            .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(wrong.body.contains("Das bisherige Passwort stimmt nicht."));
            let r = post(
                &app,
                "/konto/passwort",
                &format!("csrf={csrf}&current={new}&password={PW}&password2={PW}"),
                Some(&cookie),
            )
            .await;
            assert_eq!(r.headers[header::LOCATION], "/konto?hinweis=passwort");
            assert_eq!(
                get_with(&app, "/konto", &[("cookie", &cookie)])
                    .await
                    .status,
                StatusCode::OK
            );
            assert_eq!(
                get_with(&app, "/konto", &[("cookie", &other)]).await.status,
                StatusCode::SEE_OTHER
            );
            // Delete: needs the password; afterwards the address and name are gone.
            let wrong = post(
                &app,
                "/konto/loeschen",
                &format!("csrf={csrf}&password=falsch"),
                Some(&cookie),
            )
            .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
            let r = post(
                &app,
                "/konto/loeschen",
                &format!("csrf={csrf}&password={PW}"),
                Some(&cookie),
            )
            .await;
            assert!(r.body.contains("Ihr Konto ist gelöscht"));
            assert!(
                db.user_by_email("admin@musterstadt.example")
                    .await
                    .unwrap()
                    .is_none()
            );
            let rows = db.users(10, 0).await.unwrap();
            assert_eq!(rows[0].0.display_name, "gelöschtes Konto");
            assert!(rows[0].1.is_empty());
            assert_eq!(
                get_with(&app, "/konto", &[("cookie", &cookie)])
                    .await
                    .status,
                StatusCode::SEE_OTHER
            );
        }
    );
}

mod back_office {
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
}

mod forms;
/// Every route × anonymous, citizen, editor and admin, with the expected status. A route added to
/// the router without a row here makes this test fail.
mod live;
mod radar_model;
mod route_matrix;
mod strategy_office;

mod email_change;

mod audit_filters;

mod branding;

mod referrer;

mod origin;

mod editor_scope;

mod client_addr;

mod server;

mod measure_editing {
    use super::accounts::post;
    use super::back_office::signed_in;
    use super::*;
    use domain::accounts::Role;

    /// The edit form as the browser sends it, with status, progress and title changed.
    fn form(page: &str, id: i64, status: &str, progress: &str, title: &str) -> String {
        with_fields(
            &form_of(page, &format!("/admin/massnahmen/{id}")),
            &[
                ("status", status),
                ("progress", progress),
                ("title", title),
                ("summary", "Kurz"),
                ("description", "Neu"),
                ("goals", "Ziel"),
            ],
        )
    }

    db_test!(
        an_editor_changes_a_status_and_the_public_page_shows_it,
        |db| async move {
            let app = app(&db).await;
            let editor =
                signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
            let id = db
                .measure_id_by_slug("digitaltag-musterstadt")
                .await
                .unwrap()
                .unwrap();
            let before = get(&app, "/massnahmen/digitaltag-musterstadt").await;
            assert!(before.body.contains("In Umsetzung"));
            let page = get_with(
                &app,
                &format!("/admin/massnahmen/{id}"),
                &[("cookie", &editor)],
            )
            .await;
            assert_eq!(page.status, StatusCode::OK);
            // Bad input: every problem named, nothing saved.
            let bad = post(
                &app,
                &format!("/admin/massnahmen/{id}"),
                &form(&page.body, id, "fertig", "140", ""),
                Some(&editor),
            )
            .await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
            for m in [
                "Der Titel darf nicht leer",
                "Bitte wählen Sie einen Status",
                "ganze Zahl von 0 bis 100",
            ] {
                assert!(bad.body.contains(m), "{m}");
            }
            let ok = post(
                &app,
                &format!("/admin/massnahmen/{id}"),
                &form(&page.body, id, "done", "100", "Digitaltag Musterstadt"),
                Some(&editor),
            )
            .await;
            assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
            assert_eq!(
                ok.headers[header::LOCATION],
                "/massnahmen/digitaltag-musterstadt"
            );
            // The public (cached) page shows the new status, a dated report and the change history.
            let after = get(&app, "/massnahmen/digitaltag-musterstadt").await;
            assert!(
                after
                    .body
                    .contains("<span class=\"status s-done\">Abgeschlossen</span>")
            );
            assert!(
                after
                    .body
                    .contains("Status: In Umsetzung → Abgeschlossen; Fortschritt:")
            );
            assert!(after.body.contains("Änderungsverlauf"));
            assert!(
                after.body.contains("(von Amtsleitung)"),
                "the editor's display name, never the address"
            );
            assert!(!after.body.contains("redaktion@musterstadt.example"));
            // A second editor who started from the old version gets a conflict, not an overwrite.
            let late = post(
                &app,
                &format!("/admin/massnahmen/{id}"),
                &form(&page.body, id, "dropped", "10", "Digitaltag alt"),
                Some(&editor),
            )
            .await;
            assert_eq!(late.status, StatusCode::CONFLICT);
            assert!(
                late.body.contains("Gespeicherte Fassung") && late.body.contains("Ihre Fassung")
            );
            assert!(
                late.body.contains("Digitaltag alt"),
                "their text is kept in the form"
            );
            assert_eq!(
                db.measure_version(id).await.unwrap().unwrap().1.status,
                "done"
            );
            let (log, _) = db
                .audit_entries(Some("measure.update"), 10, 0)
                .await
                .unwrap();
            assert_eq!(log.len(), 1);
        }
    );
}

mod site_texts {
    use super::accounts::{csrf_of, post};
    use super::back_office::signed_in;
    use super::*;
    use domain::accounts::Role;

    db_test!(
        an_admin_publishes_imprint_and_privacy_notice,
        |db| async move {
            let app = app(&db).await;
            let missing = get(&app, "/impressum").await;
            assert!(missing.body.contains("noch kein Impressum hinterlegt"));
            let privacy = get(&app, "/datenschutz").await;
            assert!(
                privacy.body.contains("keine Cookies"),
                "the shipped privacy notice until the city enters its own"
            );
            let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
            let page = get_with(&app, "/admin/einstellungen", &[("cookie", &admin)]).await;
            let csrf = csrf_of(&page.body);
            let body = format!(
                "csrf={csrf}&imprint={}&privacy=&contact={}",
                web::radar::params::encode(
                    "**Stadt Musterstadt**, Rathausplatz 1 <script>alert(1)</script>"
                ),
                web::radar::params::encode("Telefon 0123 456")
            );
            let r = post(&app, "/admin/einstellungen", &body, Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(r.body.contains("Die Einstellungen sind gespeichert."));
            let imprint = get(&app, "/impressum").await;
            assert!(
                imprint
                    .body
                    .contains("<strong>Stadt Musterstadt</strong>, Rathausplatz 1")
            );
            assert!(!imprint.body.contains("<script>alert"), "sanitised");
            assert!(imprint.body.contains("Telefon 0123 456"));
            assert!(
                get(&app, "/datenschutz")
                    .await
                    .body
                    .contains("keine Cookies"),
                "empty privacy text keeps the default"
            );
            let (log, _) = db
                .audit_entries(Some("setting.update"), 10, 0)
                .await
                .unwrap();
            assert_eq!(
                log.len(),
                2,
                "imprint and contact changed, privacy stayed empty"
            );
            let too_long = format!("csrf={csrf}&imprint={}", "x".repeat(50_001));
            assert_eq!(
                post(&app, "/admin/einstellungen", &too_long, Some(&admin))
                    .await
                    .status,
                StatusCode::BAD_REQUEST
            );
        }
    );
}
