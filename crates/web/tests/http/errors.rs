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
