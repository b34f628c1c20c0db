//! Cross-cutting layers: the stack every route sits in, security headers, metrics, the URI
//! length limit and the cross-site check.

use crate::AppState;
use crate::error::{self, AppError};
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
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
/// the cross-site check, the URI limit, a panicking handler, a handler's time-out — is answered
/// inside [`around`], which turns errors into pages or problem documents and adds the security
/// headers. The time-out sits on the routes themselves ([`timeout`], see `router.rs`): inside the
/// page cache, so a cached page costs no timer. Public for tests, which put their own routes in
/// the same stack.
pub fn stack(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(CatchPanicLayer::custom(error::panicked))
        .layer(from_fn_with_state(state.clone(), around))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::shared()))
        .with_state(state)
}

/// The time-out of a handler: after `limit` it is answered with 503 (the `timeout` error page).
pub fn timeout(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, limit)
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

    /// The process's generator, shared by the layer stack and the cache's front door.
    pub fn shared() -> RequestIds {
        shared_ids().clone()
    }

    /// The next id.
    fn next_id(&self) -> Option<HeaderValue> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Written by hand: `format!` and a copy into the header value were a tenth of a cached
        // hit's own work.
        let mut id = String::with_capacity(self.prefix.len() + 17);
        id.push_str(&self.prefix);
        id.push('-');
        let digits = (64 - n.leading_zeros()).div_ceil(4).max(1);
        for i in (0..digits).rev() {
            let d = ((n >> (4 * i)) & 0xf) as u8;
            id.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
        }
        HeaderValue::from_maybe_shared(axum::body::Bytes::from(id)).ok()
    }
}

fn shared_ids() -> &'static RequestIds {
    static IDS: std::sync::OnceLock<RequestIds> = std::sync::OnceLock::new();
    IDS.get_or_init(RequestIds::new)
}

/// The request id header, as the request-id layers name it.
pub(crate) const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of a request answered without the layers: the one it brought (from a proxy), else a
/// new one, as `SetRequestIdLayer` does.
pub(crate) fn request_id_of(req: &Request) -> HeaderValue {
    if let Some(id) = req.headers().get(X_REQUEST_ID) {
        return id.clone();
    }
    shared_ids()
        .next_id()
        .unwrap_or(HeaderValue::from_static("-"))
}

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds::new()
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        self.next_id().map(RequestId::new)
    }
}

pub(crate) fn uri_too_long(req: &Request) -> bool {
    let uri = req.uri();
    let len = uri.path_and_query().map_or(0, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len());
    len > MAX_URI_BYTES
}

pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
    connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What the security headers depend on in the request.
pub struct HeaderScope {
    token_in_url: bool,
    https: bool,
}

impl HeaderScope {
    pub fn of(req: &Request) -> HeaderScope {
        HeaderScope {
            // A URL with a one-time token (set password, confirm an address) must never leave
            // in a `Referer`, not even to this site's own assets or from its error page.
            token_in_url: req
                .uri()
                .query()
                .is_some_and(|q| q.split('&').any(|p| p.split('=').next() == Some("token"))),
            https: req
                .headers()
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes() == b"https")
                || req.uri().scheme_str() == Some("https"),
        }
    }

    pub fn apply(self, res: Response) -> Response {
        security_headers_of(res, self.token_in_url, self.https)
    }
}

fn security_headers_of(mut res: Response, token_in_url: bool, https: bool) -> Response {
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
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(self), interest-cohort=()",
        ),
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

/// Whether a state-changing request comes from another site.
fn cross_site(state: &AppState, req: &Request) -> bool {
    let safe = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let scheme = req.uri().scheme_str().unwrap_or("http");
    !safe && !crate::extract::same_origin(req.headers(), &state.base_url, scheme)
}

/// The per-request work around every route in one layer (one boxed future instead of five):
/// metrics, security headers, error pages, the URI limit and the cross-site check, in the order
/// the separate middlewares had, outermost first. Panics and time-outs (the layers inside) come
/// back as bare statuses and are turned into the error page here.
pub async fn around(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let route = route_of(&req);
    let method = method_label(req.method());
    let headers = HeaderScope::of(&req);
    let errors = error::ErrorScope::of(&req);
    let res = if uri_too_long(&req) {
        AppError::UriTooLong.into_response()
    } else if cross_site(&state, &req) {
        AppError::Forbidden.into_response()
    } else {
        next.run(req).await
    };
    let res = headers.apply(errors.finish(res));
    record(method, route, res.status(), start);
    res
}

/// The route's label in the request metrics: the path of the route table it matched.
pub(crate) fn route_of(req: &Request) -> &'static str {
    req.extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| route_label(p.as_str()))
}

/// The metric handles of one method, route and status.
type Handles = (metrics::Counter, metrics::Histogram);

thread_local! {
    /// Each worker thread keeps the handles it has used: looking a metric up by its labels
    /// builds and hashes a key each time, a cost on every cached page. The recorder is
    /// installed before the server starts, so a handle taken here stays the recorder's.
    static HANDLES: std::cell::RefCell<
        std::collections::HashMap<(&'static str, &'static str, &'static str), Handles>,
    > = Default::default();
}

pub(crate) fn record(
    method: &'static str,
    route: &'static str,
    status: StatusCode,
    start: Instant,
) {
    let status = status_label(status);
    let seconds = start.elapsed().as_secs_f64();
    HANDLES.with_borrow_mut(|handles| {
        let (requests, duration) = handles.entry((method, route, status)).or_insert_with(|| {
            (
                metrics::counter!("http_requests_total", "method" => method, "route" => route, "status" => status),
                metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route),
            )
        });
        requests.increment(1);
        duration.record(seconds);
    });
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
