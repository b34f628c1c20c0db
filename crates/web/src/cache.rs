//! Whole-response cache for read-mostly pages. Entries belong to a database generation; a write
//! bumps the generation (in the same transaction), and a watcher drops the cache when it sees a
//! new one, so every instance behind a load balancer serves fresh pages within a second.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::AppState;

const MAX_ENTRIES: usize = 4096;
/// Upper bound of the bytes held; past it the cache starts over.
const MAX_BYTES: usize = 256 * 1024 * 1024;
const MAX_BODY: usize = 8 * 1024 * 1024;

struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    etag: HeaderValue,
    /// The body gzip-compressed once, with its own ETag, for clients that accept it.
    gzip: Option<(Bytes, HeaderValue)>,
}

/// Bodies smaller than this are sent as they are.
const MIN_GZIP: usize = 1024;

fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/") || t.contains("json") || t.contains("xml"))
        && !headers.contains_key(header::CONTENT_ENCODING)
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 5),
        flate2::Compression::new(6),
    );
    enc.write_all(body).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// Does the client take gzip? (`Accept-Encoding: gzip`, not with `q=0`.)
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let q_zero = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !q_zero
        })
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

#[derive(Default)]
pub struct PageCache {
    generation: AtomicI64,
    entries: RwLock<Entries>,
}

impl PageCache {
    pub fn new(generation: i64) -> PageCache {
        PageCache {
            generation: AtomicI64::new(generation),
            entries: RwLock::new(Entries::default()),
        }
    }

    /// Drops everything when the database generation moved on.
    pub fn observe(&self, generation: i64) {
        if self.generation.swap(generation, Ordering::AcqRel) != generation {
            self.clear();
        }
    }

    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.write() {
            e.map.clear();
            e.bytes = 0;
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.read().ok()?.map.get(key).cloned()
    }

    fn put(&self, key: String, entry: Entry, generation: i64) {
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if let Ok(mut e) = self.entries.write() {
            let size = entry.body.len() + key.len();
            if e.map.len() >= MAX_ENTRIES || e.bytes + size > MAX_BYTES {
                e.map.clear();
                e.bytes = 0;
            }
            e.bytes += size;
            if let Some(old) = e.map.insert(key, Arc::new(entry)) {
                e.bytes = e.bytes.saturating_sub(old.body.len());
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Polls the generation counter; on PostgreSQL and SQLite alike this is one indexed row read.
pub fn spawn_watcher(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match state.db.generation().await {
                Ok(g) => state.cache.observe(g),
                Err(e) => tracing::warn!(error = %e, "cannot read the cache generation"),
            }
        }
    })
}

fn etag_of(body: &[u8], suffix: &str) -> HeaderValue {
    let mut h = DefaultHasher::new();
    h.write(body);
    HeaderValue::from_str(&format!("\"{:016x}-{}{suffix}\"", h.finish(), body.len()))
        .unwrap_or(HeaderValue::from_static("\"0\""))
}

fn matches_etag(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                t.trim() == "*" || t.trim().trim_start_matches("W/") == etag.to_str().unwrap_or("")
            })
        })
}

fn respond(entry: &Entry, if_none_match: Option<&HeaderValue>, gzip: bool) -> Response {
    let (body, etag) = match (&entry.gzip, gzip) {
        (Some((b, e)), true) => (b, e),
        _ => (&entry.body, &entry.etag),
    };
    if matches_etag(if_none_match, etag) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        res.headers_mut().insert(header::ETAG, etag.clone());
        res.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, accept-language"),
        );
        return res;
    }
    let mut res = Response::new(Body::from(body.clone()));
    *res.status_mut() = entry.status;
    *res.headers_mut() = entry.headers.clone();
    res.headers_mut().insert(header::ETAG, etag.clone());
    if gzip && entry.gzip.is_some() {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}

/// Serves GET requests from the cache, fills it on a miss, and answers `If-None-Match`.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Signed-in people get pages made for them; only anonymous responses are shared.
    if req.method() != Method::GET || crate::session::session_token(req.headers()).is_some() {
        return next.run(req).await;
    }
    let lang = crate::i18n::negotiate(req.uri().query(), req.headers());
    let key = format!("{}|{}", lang.code(), req.uri());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let wants_gzip = accepts_gzip(req.headers());
    if let Some(entry) = state.cache.get(&key) {
        return respond(&entry, if_none_match.as_ref(), wants_gzip);
    }
    let generation = state.cache.generation.load(Ordering::Acquire);
    let res = next.run(req).await;
    let status = res.status();
    let cacheable = status == StatusCode::OK || status == StatusCode::NOT_FOUND;
    if !cacheable || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let etag = etag_of(&body, "");
    let gz = if body.len() >= MIN_GZIP && compressible(&parts.headers) {
        gzip(&body).map(|g| {
            let e = etag_of(&body, "-gz");
            (g, e)
        })
    } else {
        None
    };
    parts.headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, accept-language"),
    );
    let entry = Entry {
        status: parts.status,
        headers: parts.headers,
        body,
        etag,
        gzip: gz,
    };
    let res = respond(&entry, if_none_match.as_ref(), wants_gzip);
    state.cache.put(key, entry, generation);
    res
}
