//! Error answers: an HTML page in the reader's language, or under `/api/` an RFC 9457 problem
//! document.
use super::*;

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

/// One request through `app`: method, URI, headers and body.
async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    res_of(
        app.clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap(),
    )
    .await
}

/// Headers of a form sent from this site's own page.
const FROM_HERE: [(&str, &str); 3] = [
    ("content-type", "application/x-www-form-urlencoded"),
    ("host", accounts::HOST),
    ("origin", "https://radar.example"),
];

/// The headers every answer carries, errors included.
fn assert_secured(r: &Res) {
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(r.headers.contains_key(header::REFERRER_POLICY));
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
}

/// The HTML error page: `status`, a German (or English) heading `title`, the security headers.
fn assert_page(r: &Res, status: StatusCode, lang: &str, title: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(
        r.body.contains(&format!("<html lang=\"{lang}\">")),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("<h1>{title}</h1>")), "{}", r.body);
    assert_secured(r);
}

/// The RFC 9457 problem document: `status`, `code`, a type naming it, title and detail in the
/// reader's language, open CORS, the security headers. Returns the document.
fn assert_problem(r: &Res, status: StatusCode, code: &str, title: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_secured(r);
    let v = json(r);
    assert_eq!(v["status"], status.as_u16());
    assert_eq!(v["code"], code);
    assert_eq!(v["type"], format!("about:blank#{code}"));
    assert_eq!(v["title"], title);
    assert!(!v["detail"].as_str().unwrap().is_empty(), "{v}");
    v
}

const EN: [(&str, &str); 1] = [("accept-language", "en")];

db_test!(
    a_body_over_the_limit_gets_the_413_page_or_problem,
    |db| async move {
        let app = app(&db).await;
        let big = format!("email=a%40b.de&password={}", "x".repeat(70 * 1024));
        // With a Content-Length the body limit layer answers before the handler runs…
        let len = big.len().to_string();
        let mut headers = FROM_HERE.to_vec();
        headers.push(("content-length", &len));
        let r = send(&app, "POST", "/anmelden", &headers, big.clone()).await;
        assert_page(&r, StatusCode::PAYLOAD_TOO_LARGE, "de", "Anfrage zu groß");
        assert!(!r.headers.contains_key(header::SET_COOKIE), "not logged in");
        headers.extend(EN);
        let r = send(&app, "POST", "/anmelden", &headers, big.clone()).await;
        assert_page(&r, StatusCode::PAYLOAD_TOO_LARGE, "en", "Request too large");
        // …without one the form extractor stops reading at the limit.
        let r = send(&app, "POST", "/anmelden", &FROM_HERE, big.clone()).await;
        assert_page(&r, StatusCode::PAYLOAD_TOO_LARGE, "de", "Anfrage zu groß");
        let r = send(
            &app,
            "POST",
            "/api/v1/measures",
            &[("content-length", &len)],
            big,
        )
        .await;
        assert_problem(
            &r,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Anfrage zu groß",
        );
    }
);

db_test!(a_form_sent_as_json_gets_the_415_page, |db| async move {
    let app = app(&db).await;
    let headers = [
        ("content-type", "application/json"),
        ("host", accounts::HOST),
        ("origin", "https://radar.example"),
    ];
    let body = r#"{"email":"a@b.de","password":"x"}"#;
    let r = send(&app, "POST", "/anmelden", &headers, body).await;
    assert_page(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "de",
        "Format nicht unterstützt",
    );
    assert!(!r.headers.contains_key(header::SET_COOKIE));
    let r = send(
        &app,
        "POST",
        "/anmelden",
        &[&headers[..], &EN].concat(),
        body,
    )
    .await;
    assert_page(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "en",
        "Format not supported",
    );
});

db_test!(
    a_form_that_does_not_fit_gets_422_naming_the_field,
    |db| async move {
        let app = app(&db).await;
        let body = "email=a%40b.de&email=c%40d.de&password=x";
        let r = send(&app, "POST", "/anmelden", &FROM_HERE, body).await;
        assert_page(
            &r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "de",
            "Ungültige Formulardaten",
        );
        assert!(
            r.body.contains("Feld „email“ kommt mehrfach vor."),
            "{}",
            r.body
        );
        assert!(!r.headers.contains_key(header::SET_COOKIE));
        let r = send(
            &app,
            "POST",
            "/anmelden",
            &[&FROM_HERE[..], &EN].concat(),
            body,
        )
        .await;
        assert_page(
            &r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
            "Invalid form data",
        );
        assert!(r.body.contains("Field “email” is given more than once."));
        // The same in a query string is a bad request naming the parameter.
        let r = get(&app, "/konto/passwort-setzen?token=a&token=b").await;
        assert_page(&r, StatusCode::BAD_REQUEST, "de", "Ungültige Anfrage");
        assert!(r.body.contains("Feld „token“ kommt mehrfach vor."));
    }
);

db_test!(
    path_bytes_that_are_not_utf8_get_400_naming_the_field,
    |db| async move {
        let app = app(&db).await;
        let r = get(&app, "/massnahmen/%FF%FE").await;
        assert_page(&r, StatusCode::BAD_REQUEST, "de", "Ungültige Anfrage");
        assert!(
            r.body
                .contains("Feld „slug“ ist kein gültiger Text (UTF-8)."),
            "{}",
            r.body
        );
        let r = get_with(&app, "/massnahmen/%FF%FE", &EN).await;
        assert_page(&r, StatusCode::BAD_REQUEST, "en", "Invalid request");
        assert!(r.body.contains("Field “slug” is not valid text (UTF-8)."));
        let r = get_with(&app, "/api/v1/measures/%FF", &EN).await;
        let v = assert_problem(
            &r,
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Invalid request",
        );
        assert_eq!(v["errors"][0]["field"], "id");
        assert_eq!(v["detail"], "Field “id” is not valid text (UTF-8).");
    }
);

db_test!(
    a_uri_over_8_kib_gets_the_414_page_or_problem,
    |db| async move {
        let app = app(&db).await;
        let long = "x".repeat(web::middleware::MAX_URI_BYTES);
        let r = get(&app, &format!("/massnahmen?q={long}")).await;
        assert_page(&r, StatusCode::URI_TOO_LONG, "de", "Adresse zu lang");
        assert!(!r.body.contains(&long), "the page does not repeat the URI");
        let r = get_with(&app, &format!("/massnahmen?q={long}"), &EN).await;
        assert_page(&r, StatusCode::URI_TOO_LONG, "en", "Address too long");
        let r = get(&app, &format!("/api/v1/measures?q={long}")).await;
        assert_problem(
            &r,
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "Adresse zu lang",
        );
        // Just under the limit the request is served (and refused for its search length).
        let under = "x".repeat(web::middleware::MAX_URI_BYTES - "/massnahmen?q=".len());
        let r = get(&app, &format!("/massnahmen?q={under}")).await;
        assert_page(&r, StatusCode::BAD_REQUEST, "de", "Ungültige Anfrage");
    }
);

db_test!(
    a_method_a_route_does_not_take_gets_405_with_allow,
    |db| async move {
        let app = app(&db).await;
        let r = send(&app, "POST", "/radar", &[], Body::empty()).await;
        assert_page(
            &r,
            StatusCode::METHOD_NOT_ALLOWED,
            "de",
            "Methode nicht erlaubt",
        );
        assert_eq!(r.headers[header::ALLOW], "GET,HEAD");
        let r = send(&app, "DELETE", "/radar", &EN, Body::empty()).await;
        assert_page(
            &r,
            StatusCode::METHOD_NOT_ALLOWED,
            "en",
            "Method not allowed",
        );
        let r = send(&app, "POST", "/api/v1/measures", &[], Body::empty()).await;
        assert_problem(
            &r,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Methode nicht erlaubt",
        );
        assert_eq!(r.headers[header::ALLOW], "GET,HEAD");
    }
);

db_test!(api_errors_carry_the_cors_header, |db| async move {
    let app = app(&db).await;
    let origin = [("origin", "https://other.example")];
    for uri in [
        "/api/v1/measures/999999",
        "/api/v1/gibt-es-nicht",
        "/api/v1/measures?status=fertig",
    ] {
        let r = get_with(&app, uri, &origin).await;
        assert!(r.status.is_client_error(), "{uri}");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{uri}");
        assert_secured(&r);
    }
});

/// Routes only tests have, in the app's own layer stack with a timeout of 100 ms: handlers that
/// panic or outlast the timeout, and forms under `/api/` (the API itself only reads).
async fn test_stack(db: &Db) -> axum::Router {
    use axum::routing::{get, post};
    #[derive(serde::Deserialize)]
    struct Count {
        n: i64,
    }
    async fn panics() -> &'static str {
        panic!("geheimer Zustand 42")
    }
    async fn slow() -> &'static str {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        "zu spät"
    }
    async fn count(web::extract::Form(c): web::extract::Form<Count>) -> String {
        c.n.to_string()
    }
    // axum's own extractor, whose rejections are plain text: rendered all the same.
    async fn raw(axum::Form(c): axum::Form<Count>) -> String {
        c.n.to_string()
    }
    let routes = axum::Router::new()
        .route("/kaputt", get(panics))
        .route("/api/kaputt", get(panics))
        .route("/langsam", get(slow))
        .route("/api/langsam", get(slow))
        .route("/api/zaehlen", post(count))
        .route("/api/roh", post(raw))
        .layer(web::middleware::timeout(std::time::Duration::from_millis(
            100,
        )));
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    web::middleware::stack(routes, state)
}

db_test!(
    a_panicking_handler_gets_the_500_page_or_problem,
    |db| async move {
        let app = test_stack(&db).await;
        let r = get(&app, "/kaputt").await;
        assert_page(
            &r,
            StatusCode::INTERNAL_SERVER_ERROR,
            "de",
            "Ein Fehler ist aufgetreten",
        );
        assert!(
            !r.body.contains("geheimer Zustand"),
            "the panic stays in the log"
        );
        assert!(r.headers.contains_key("x-request-id"));
        let r = get_with(&app, "/kaputt", &EN).await;
        assert_page(
            &r,
            StatusCode::INTERNAL_SERVER_ERROR,
            "en",
            "Something went wrong",
        );
        let r = get(&app, "/api/kaputt").await;
        assert_problem(
            &r,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Ein Fehler ist aufgetreten",
        );
        assert!(!r.body.contains("geheimer Zustand"));
    }
);

db_test!(
    a_request_over_the_timeout_gets_the_503_page_or_problem,
    |db| async move {
        let app = test_stack(&db).await;
        let started = std::time::Instant::now();
        let r = get(&app, "/langsam").await;
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_page(
            &r,
            StatusCode::SERVICE_UNAVAILABLE,
            "de",
            "Zeitüberschreitung",
        );
        let r = get_with(&app, "/api/langsam", &EN).await;
        assert_problem(
            &r,
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "Request timed out",
        );
    }
);

db_test!(
    api_forms_of_the_wrong_type_or_shape_are_problems,
    |db| async move {
        let app = test_stack(&db).await;
        let form = [("content-type", "application/x-www-form-urlencoded")];
        assert_eq!(
            send(&app, "POST", "/api/zaehlen", &form, "n=3").await.body,
            "3"
        );
        let json_body = [("content-type", "application/json")];
        let r = send(&app, "POST", "/api/zaehlen", &json_body, r#"{"n":3}"#).await;
        assert_problem(
            &r,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Format nicht unterstützt",
        );
        let r = send(&app, "POST", "/api/zaehlen", &form, "n=drei").await;
        let v = assert_problem(
            &r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_form",
            "Ungültige Formulardaten",
        );
        assert_eq!(v["errors"][0]["field"], "n");
        assert_eq!(v["detail"], "Feld „n“ hat einen ungültigen Wert.");
        let r = send(
            &app,
            "POST",
            "/api/zaehlen",
            &[&form[..], &EN].concat(),
            "m=3",
        )
        .await;
        let v = assert_problem(
            &r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_form",
            "Invalid form data",
        );
        assert_eq!(v["detail"], "Field “n” is missing.");
        // An extractor used directly: no field known, the same kind of answer.
        let r = send(&app, "POST", "/api/roh", &form, "n=drei").await;
        let v = assert_problem(
            &r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_form",
            "Ungültige Formulardaten",
        );
        assert!(v.get("errors").is_none(), "{v}");
        assert!(!r.body.contains("Failed to deserialize"), "{}", r.body);
    }
);

db_test!(
    readiness_without_a_database_gets_the_503_page,
    |db| async move {
        let app = app(&db).await;
        assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
        db.close().await;
        let r = get(&app, "/readyz").await;
        assert_page(
            &r,
            StatusCode::SERVICE_UNAVAILABLE,
            "de",
            "Vorübergehend nicht erreichbar",
        );
    }
);

db_test!(
    over_the_wire_long_uris_get_the_app_s_414_and_huge_heads_hyper_s_431,
    |db| async move {
        use tokio::io::AsyncWriteExt;
        let server = super::server::start(app(&db).await).await;
        let answer = |raw: String| async move {
            let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
            s.write_all(raw.as_bytes()).await.unwrap();
            super::server::until_closed(&mut s).await.0
        };
        // Between the app's limit and hyper's: the app's page, with its headers.
        let long = "x".repeat(60 * 1024);
        let a = answer(format!(
            "GET /massnahmen?q={long} HTTP/1.1\r\nHost: radar.example\r\nConnection: close\r\n\r\n"
        ))
        .await;
        assert!(a.starts_with("HTTP/1.1 414 "), "{}", &a[..a.len().min(200)]);
        let lower = a.to_ascii_lowercase();
        assert!(lower.contains("\r\ncontent-security-policy: default-src 'none'"));
        assert!(lower.contains("\r\ncontent-type: text/html; charset=utf-8"));
        assert!(a.contains("<h1>Adresse zu lang</h1>"));
        // A head over MAX_HEAD_BYTES never reaches the app: hyper's bare 431.
        let pad = "y".repeat(web::server::MAX_HEAD_BYTES);
        let a = answer(format!(
            "GET / HTTP/1.1\r\nHost: radar.example\r\nX-Pad: {pad}\r\nConnection: close\r\n\r\n"
        ))
        .await;
        assert!(a.starts_with("HTTP/1.1 431 "), "{}", &a[..a.len().min(200)]);
        server.stop.send(()).unwrap();
        server.done.await.unwrap();
    }
);
