//! Cross-cutting layers: security headers, metrics, and rendering errors as pages or problems.

use crate::error::ErrorInfo;
use crate::i18n::Tr;
use crate::views::{Chrome, ErrorPage};
use askama::Template;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::time::Instant;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
    connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let https = req
        .headers()
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes() == b"https")
        || req.uri().scheme_str() == Some("https");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler may set a stricter policy of its own (the logo does).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Refuses every state-changing request that the browser marks as sent from another site
/// (Origin / `Sec-Fetch-Site`). Forms of signed-in people also carry a CSRF token of their session.
pub async fn reject_cross_site(req: Request, next: Next) -> Response {
    let safe = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if !safe && !crate::session::same_origin(req.headers()) {
        return crate::error::AppError::Forbidden.into_response();
    }
    next.run(req).await
}

pub async fn record_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Turns a bare error response (an [`ErrorInfo`] extension, empty body) into an HTML page or,
/// under `/api/`, an RFC 9457 problem document, in the reader's language.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let lang = crate::locale::negotiate(req.uri().query(), req.headers());
    let path = req.uri().path().to_string();
    let api =
        path.starts_with("/api/") || path.starts_with("/feeds/") || path.starts_with("/export/");
    let res = next.run(req).await;
    let status = res.status();
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None if status.is_client_error() || status.is_server_error() => {
            if res.headers().contains_key(header::CONTENT_TYPE) {
                return res;
            }
            // Errors from layers (timeout, body limit, panic) carry no info: name them by status.
            let code = match status.as_u16() {
                404 => "not_found",
                400 | 405 | 413 | 415 | 422 => "bad_request",
                503 => "unavailable",
                403 => "forbidden",
                429 => "too_many_requests",
                _ => "internal",
            };
            ErrorInfo { code, field: None }
        }
        None => return res,
    };
    let t = Tr::new(lang);
    let title = t.get(&format!("error-title-{}", info.code));
    let detail = match &info.field {
        // A reason that is a translation key stands on its own (e.g. an expired link).
        Some((_, reason)) if t.get(reason) != *reason => t.get(reason),
        Some((field, reason)) => t.args(
            "error-field",
            &[
                ("field", crate::i18n::Arg::Str(field.clone())),
                ("reason", crate::i18n::Arg::Str(reason.clone())),
            ],
        ),
        None => t.get(&format!("error-text-{}", info.code)),
    };
    let mut out = if api {
        let mut body = serde_json::json!({
            "type": format!("about:blank#{}", info.code),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
            "code": info.code,
        });
        if let Some((field, reason)) = &info.field {
            body["errors"] = serde_json::json!([{ "field": field, "reason": reason }]);
        }
        let mut r = (status, axum::Json(body)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else {
        let page = ErrorPage {
            c: Chrome::plain(t, &path),
            title: title.clone(),
            text: t.get(&format!("error-text-{}", info.code)),
            field: info.field.as_ref().map(|_| detail.clone()),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    };
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if matches!(status.as_u16(), 405 | 429 | 503) {
        for (k, v) in res.headers() {
            if k == header::ALLOW || k == header::RETRY_AFTER {
                out.headers_mut().insert(k.clone(), v.clone());
            }
        }
    }
    out
}
