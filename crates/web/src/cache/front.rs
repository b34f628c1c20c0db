//! The front door of the router: a GET of a page that is in the cache, by a reader without a
//! session, is answered here, before routing and the layers around the routes. Those layers do
//! nothing for such a request that this does not: the cross-site check passes every GET, the
//! body limit and time-out have nothing to limit, a cached entry is a 200 that needs no error
//! page, and the request id, security headers and request metrics are added here the same way
//! (`middleware`). What it skips is the tracing span of the request, which logs at `debug` only.
//! Everything else — a miss, a reader with a session, a request too long, any other method —
//! goes through the router unchanged.

use super::*;
use crate::middleware::{self, HeaderScope};
use axum::Router;
use futures_util::future::{Either, Ready, ready};
use std::convert::Infallible;
use std::task::{Context, Poll};
use std::time::Instant;

/// The router behind its front door; `crate::router` serves it as the fallback of an empty
/// router, so the app stays an `axum::Router`.
#[derive(Clone)]
pub struct Front {
    inner: Router,
    state: AppState,
}

impl Front {
    pub fn new(inner: Router, state: AppState) -> Front {
        Front { inner, state }
    }
}

impl tower::Service<Request> for Front {
    type Response = Response;
    type Error = Infallible;
    type Future =
        Either<Ready<Result<Response, Infallible>>, <Router as tower::Service<Request>>::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        tower::Service::<Request>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match hit(&self.state, &req) {
            Some(res) => Either::Left(ready(Ok(res))),
            None => Either::Right(self.inner.call(req)),
        }
    }
}

/// The cached answer to `req` when it can be given without the router.
fn hit(state: &AppState, req: &Request) -> Option<Response> {
    if req.method() != Method::GET
        || !state.cache.enabled()
        || middleware::uri_too_long(req)
        || crate::session::session_token(req.headers()).is_some()
    {
        return None;
    }
    let start = Instant::now();
    let lang = crate::i18n::negotiate(req.uri().query(), req.headers());
    let (key, _) = canonical(req.uri(), lang.code());
    // An entry with personal slots is the same for every reader without a session.
    let entry = state.cache.get(&key)?;
    hits().increment(1);
    let res = respond(
        &entry,
        req.headers().get(header::IF_NONE_MATCH),
        accepts_gzip(req.headers()),
    );
    let mut res = HeaderScope::of(req).apply(res);
    // As the router's routes do (and hyper would on the wire): the length of the stored body.
    if let Some(n) = axum::body::HttpBody::size_hint(res.body()).exact() {
        res.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    }
    res.headers_mut()
        .insert(middleware::X_REQUEST_ID, middleware::request_id_of(req));
    middleware::record("GET", entry.route, res.status(), start);
    Some(res)
}

/// `page_cache_hits_total`, looked up once: every hit counts, and a lookup by name builds and
/// hashes its key each time.
pub(super) fn hits() -> &'static metrics::Counter {
    static HITS: std::sync::OnceLock<metrics::Counter> = std::sync::OnceLock::new();
    HITS.get_or_init(|| metrics::counter!("page_cache_hits_total"))
}
