//! Cross-cutting layers: the stack every route sits in, security headers, metrics, the URI
//! length limit and the cross-site check.

use crate::AppState;
use crate::error::{self, AppError};
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How long a request may take before it is answered with 503 (the `timeout` error page).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest request target (path and query) the app serves; longer ones get the 414 page.
/// hyper refuses request heads over `server::MAX_HEAD_BYTES` itself, with a bare 431.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The layers around every route, innermost first. Everything that can answer with an error —
/// the cross-site check, the URI limit, the timeout, a panicking handler — sits inside
/// `render_errors` and `security_headers`, so every error is a page or a problem document with
/// the security headers. Public for tests, which put their own routes in the same stack.
pub fn stack(routes: Router<AppState>, state: AppState, request_timeout: Duration) -> Router {
    routes
        .layer(from_fn_with_state(state.clone(), reject_cross_site))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(CatchPanicLayer::custom(error::panicked))
        .layer(from_fn(limit_uri))
        .layer(from_fn(error::render_errors))
        .layer(from_fn(security_headers))
        .layer(from_fn(record_metrics))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()))
        .with_state(state)
}

/// Request ids: a random prefix per process and a counter, so no request pays for fresh random
/// bytes (a UUID per request was a `getrandom` system call on every hit of the page cache).
#[derive(Clone)]
pub struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    pub fn new() -> RequestIds {
        let prefix = crate::session::random_token()
            .map(|t| {
                t.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .take(12)
                    .collect::<String>()
            })
            .unwrap_or_else(|_| format!("{:x}", std::process::id()));
        RequestIds {
            prefix: prefix.into(),
            next: Default::default(),
        }
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds::new()
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Refuses request targets over [`MAX_URI_BYTES`] before any handler reads them.
pub async fn limit_uri(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let len = uri.path_and_query().map_or(0, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len());
    if len > MAX_URI_BYTES {
        return AppError::UriTooLong.into_response();
    }
    next.run(req).await
}

pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
    connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    // A URL with a one-time token (set password, confirm an address) must never leave in a
    // `Referer`, not even to this site's own assets or from its error page.
    let token_in_url = req
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|p| p.split('=').next() == Some("token")));
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
    // A handler's stricter policy wins (the pages opened from links with a token).
    if token_in_url {
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    } else if !h.contains_key(header::REFERRER_POLICY) {
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
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
pub async fn reject_cross_site(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let scheme = req.uri().scheme_str().unwrap_or("http");
    if !safe && !crate::extract::same_origin(req.headers(), &state.base_url, scheme) {
        return AppError::Forbidden.into_response();
    }
    next.run(req).await
}

pub async fn record_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    // Labels without allocation: the route table's own path, the method and status by name.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| route_label(p.as_str()));
    let method = method_label(req.method());
    let res = next.run(req).await;
    let status = status_label(res.status());
    metrics::counter!("http_requests_total", "method" => method, "route" => route, "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// The path of the route table that `matched` is; routes outside the table (the fallback) are
/// "other".
fn route_label(matched: &str) -> &'static str {
    static PATHS: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    PATHS
        .get_or_init(|| {
            crate::routes::ROUTES
                .iter()
                .map(|r| (r.path, r.path))
                .collect()
        })
        .get(matched)
        .copied()
        .unwrap_or("other")
}

fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// The status as a label; the rare codes by their class.
fn status_label(s: StatusCode) -> &'static str {
    match s.as_u16() {
        200 => "200",
        201 => "201",
        204 => "204",
        206 => "206",
        301 => "301",
        302 => "302",
        303 => "303",
        304 => "304",
        307 => "307",
        308 => "308",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        409 => "409",
        413 => "413",
        414 => "414",
        415 => "415",
        422 => "422",
        429 => "429",
        431 => "431",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        c if c < 200 => "1xx",
        c if c < 300 => "2xx",
        c if c < 400 => "3xx",
        c if c < 500 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod request_id_tests {
    use super::*;

    #[test]
    fn metric_labels_are_the_route_table_paths() {
        assert_eq!(route_label("/massnahmen/{slug}"), "/massnahmen/{slug}");
        assert_eq!(route_label("/nirgends"), "other");
        assert_eq!(status_label(StatusCode::NOT_FOUND), "404");
        assert_eq!(status_label(StatusCode::IM_A_TEAPOT), "4xx");
        assert_eq!(method_label(&axum::http::Method::POST), "POST");
    }

    #[test]
    fn request_ids_differ_and_share_the_process_prefix() {
        let mut ids = RequestIds::new();
        let req = axum::http::Request::new(());
        let a = ids.make_request_id(&req).map(|r| r.into_header_value());
        let b = ids
            .clone()
            .make_request_id(&req)
            .map(|r| r.into_header_value());
        let (Some(a), Some(b)) = (a, b) else {
            panic!("no request id made")
        };
        assert_ne!(a, b);
        let prefix = |v: &HeaderValue| {
            v.to_str()
                .ok()
                .and_then(|s| s.split('-').next())
                .map(str::to_string)
        };
        assert_eq!(prefix(&a), prefix(&b));
    }
}
