//! Operations: security headers, request ids, health and readiness, assets.
use super::*;

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
