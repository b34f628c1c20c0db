//! Whole-response cache for the public pages. Each entry carries the tags of what it shows
//! (`domain::tags`); a write publishes the tags it touched on the event bus after its commit and
//! only entries with one of them are dropped, on every instance. A miss renders once however
//! many readers ask at the same moment. Signed-in readers get the same cached page with its
//! personal slots (the account links in the header, the edit link for staff) filled in for them,
//! without the page's own queries. Responses over the entry limit pass through uncached; the
//! least recently used entries make room for new ones.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use crate::AppState;

/// Default size of the cache (`page_cache_mb`).
pub const DEFAULT_MB: usize = 256;
/// At most this many entries, whatever their size.
const MAX_ENTRIES: usize = 8192;
/// Bodies smaller than this are sent as they are.
const MIN_GZIP: usize = 1024;
/// How many tags' invalidation times are remembered before the memory starts over.
const MAX_TAG_EPOCHS: usize = 100_000;

/// The tags of a response, set by its handler: `cache::tagged(response, [...])`.
#[derive(Debug, Clone, Default)]
pub struct CacheTags(pub Vec<String>);

/// Marks a response with the tags of what it shows; untagged responses are not cached.
pub fn tagged<I, S>(mut res: Response, tags: I) -> Response
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut t: Vec<String> = tags.into_iter().map(Into::into).collect();
    t.push(domain::tags::SITE.to_string());
    t.sort();
    t.dedup();
    res.extensions_mut().insert(CacheTags(t));
    res
}

mod front;
mod gzip;
mod sessions;
mod settings;
mod store;

pub use front::Front;
pub use gzip::Slot;
use gzip::*;
pub use sessions::{Sessions, TTL as SESSION_TTL};
pub use settings::Settings;
pub use store::PageCache;
use store::*;

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

const VARY: &str = "accept-encoding, accept-language, cookie";

fn respond(entry: &Entry, if_none_match: Option<&HeaderValue>, gzip: bool) -> Response {
    let (body, etag) = match (&entry.gzip, gzip) {
        (Some((b, e)), true) => (b, e),
        _ => (&entry.body, &entry.etag),
    };
    if matches_etag(if_none_match, etag) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        res.headers_mut().insert(header::ETAG, etag.clone());
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static(VARY));
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

/// The paths that take the offers' filters (`offers::FILTER_KEYS`).
const OFFER_LISTS: [&str; 4] = [
    "/angebote",
    "/api/v1/offers",
    "/api/hsds/services",
    "/export/angebote",
];

/// The cache key of a request (the query parameters pages know, sorted) and, when the request
/// carries others, its URI without them: unknown parameters (tracking codes, typos) neither
/// reach the handler nor grow the key space. A request with known parameters only keeps its URI
/// (the order does not matter to the handlers), so a hit builds no new one.
fn canonical(uri: &Uri, lang: &str) -> (String, Option<Uri>) {
    let path = uri.path();
    let mut given = 0;
    let mut pairs: Vec<(&str, &str)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .inspect(|_| given += 1)
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .filter(|(k, _)| {
            crate::radar::params::KNOWN.contains(k)
                || *k == "lang"
                // The programme's filters, on the events' pages only.
                || (path.starts_with("/veranstaltungen/")
                    && crate::programme::FILTER_KEYS.contains(k))
                // The offers' filters: the list, its calendars, the API, HSDS and the CSV.
                || (OFFER_LISTS.iter().any(|p| path.starts_with(p))
                    && crate::offers::FILTER_KEYS.contains(k))
                // The search's kind (its `q` and `page` are known to every page).
                || (crate::search::PATHS.contains(&path) && crate::search::KEYS.contains(k))
        })
        .collect();
    let dropped = pairs.len() < given;
    pairs.sort_unstable();
    let mut key =
        String::with_capacity(lang.len() + path.len() + uri.query().map_or(0, str::len) + 2);
    key.push_str(lang);
    key.push('|');
    key.push_str(path);
    key.push('?');
    let query_at = key.len();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            key.push('&');
        }
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    let query = &key[query_at..];
    if !dropped {
        return (key, None);
    }
    let pq = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    (key, pq.parse().ok())
}

/// Reads a body up to `limit` bytes; a longer one comes back whole as a body to pass on.
async fn collect(body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut stream = body.into_data_stream();
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut size = 0;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => {
                size += c.len();
                chunks.push(c);
                if size > limit {
                    let head =
                        futures_util::stream::iter(chunks.into_iter().map(Ok::<_, axum::Error>));
                    return Err(Body::from_stream(head.chain(stream)));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "response body failed");
                let head = futures_util::stream::iter(
                    chunks.into_iter().map(Ok).chain(std::iter::once(Err(e))),
                );
                return Err(Body::from_stream(head));
            }
        }
    }
    if chunks.len() == 1 {
        return Ok(chunks.pop().unwrap_or_default());
    }
    let mut all = Vec::with_capacity(size);
    for c in chunks {
        all.extend_from_slice(&c);
    }
    Ok(Bytes::from(all))
}

/// Serves GET requests from the cache, fills it on a miss, and answers `If-None-Match`.
pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    if !state.cache.enabled() {
        let wants_gzip = accepts_gzip(req.headers());
        // Rendered with the reader's session: personal (their name, a form's CSRF token).
        let personal = crate::session::session_token(req.headers()).is_some();
        let mut res = compress_uncached(next.run(req).await, wants_gzip).await;
        if personal && !res.headers().contains_key(header::CACHE_CONTROL) {
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
        }
        return res;
    }
    let lang = crate::i18n::negotiate(req.uri().query(), req.headers());
    let (key, rewritten) = canonical(req.uri(), lang.code());
    if let Some(uri) = rewritten {
        *req.uri_mut() = uri;
    }
    let session = crate::session::session_token(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let wants_gzip = accepts_gzip(req.headers());
    // The page is the same for everyone: it is rendered without the reader's session.
    req.headers_mut().remove(header::COOKIE);

    let serve = |entry: Arc<Entry>| {
        let state = state.clone();
        let session = session.clone();
        let if_none_match = if_none_match.clone();
        async move {
            let (Some(token), Some(pieces)) = (session, entry.pieces.as_ref()) else {
                return respond(&entry, if_none_match.as_ref(), wants_gzip);
            };
            let hash = crate::session::sha256_hex(&token);
            match state.cache.sessions.user(&state.db, &hash).await {
                Ok(Some(user)) => {
                    let t = crate::i18n::Tr::new(lang);
                    let slots = pieces.iter().filter_map(|p| p.slot.as_ref());
                    match crate::layout::SlotData::load(&state.db, &user, slots).await {
                        Ok(data) => personal(&entry, pieces, wants_gzip, &|slot| {
                            crate::layout::fill_slot(&t, &user, &data, slot)
                        }),
                        Err(e) => crate::error::AppError::from(e).into_response(),
                    }
                }
                Ok(None) => respond(&entry, if_none_match.as_ref(), wants_gzip),
                Err(e) => crate::error::AppError::from(e).into_response(),
            }
        }
    };

    if let Some(entry) = state.cache.get(&key) {
        front::hits().increment(1);
        return serve(entry).await;
    }
    // One render per key at a time: later readers wait for it and take the stored page.
    let gate = state.cache.gate(&key);
    let guard = match gate.clone().try_lock_owned() {
        Ok(g) => g,
        Err(_) => {
            let g = gate.clone().lock_owned().await;
            drop(g);
            if let Some(entry) = state.cache.get(&key) {
                front::hits().increment(1);
                drop(gate);
                state.cache.release(&key);
                return serve(entry).await;
            }
            gate.clone().lock_owned().await
        }
    };
    metrics::counter!("page_cache_misses_total").increment(1);
    let started = state.cache.epoch.load(Ordering::Acquire);
    let route = crate::middleware::route_of(&req);
    let res = next.run(req).await;
    let out = store_response(&state, &key, res, started, route).await;
    drop(guard);
    drop(gate);
    state.cache.release(&key);
    match out {
        Stored::Entry(entry) => serve(entry).await,
        Stored::Passed(res) => compress_uncached(res, wants_gzip).await,
    }
}

enum Stored {
    Entry(Arc<Entry>),
    Passed(Response),
}

/// Stores a fresh response when it may be shared: a 200 with tags, no cookie, within the limit.
async fn store_response(
    state: &AppState,
    key: &str,
    res: Response,
    started: u64,
    route: &'static str,
) -> Stored {
    let Some(CacheTags(tags)) = res.extensions().get::<CacheTags>().cloned() else {
        return Stored::Passed(res);
    };
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return Stored::Passed(res);
    }
    let (mut parts, body) = res.into_parts();
    let body = match collect(body, state.cache.max_entry()).await {
        Ok(b) => b,
        Err(whole) => {
            metrics::counter!("page_cache_too_large_total").increment(1);
            return Stored::Passed(Response::from_parts(parts, whole));
        }
    };
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static(VARY));
    let etag = etag_of(&body, "");
    let zip = body.len() >= MIN_GZIP && compressible(&parts.headers);
    let pieces = if zip && is_html(&parts.headers) {
        cut(&body)
    } else {
        None
    };
    let gzip = if !zip {
        None
    } else if let Some(p) = &pieces {
        Some(gzip_of(p.iter().map(|p| (&p.deflated[..], &p.crc))))
    } else {
        gzip_whole(&body)
    }
    .map(|g| (g, etag_of(&body, "-gz")));
    let size = body.len()
        + gzip.as_ref().map_or(0, |(g, _)| g.len())
        + pieces.as_ref().map_or(0, |p| {
            // The raw pieces are slices of the body: only their deflated copies add up.
            p.iter().map(|p| p.deflated.len()).sum()
        });
    let entry = Entry {
        status: parts.status,
        headers: parts.headers,
        body,
        etag,
        gzip,
        pieces,
        tags,
        size,
        route,
        last_used: AtomicU64::new(0),
    };
    let entry = Arc::new(entry);
    if size <= state.cache.max_entry() {
        state.cache.put(key.to_string(), entry.clone(), started);
    }
    // Served either way; kept only when it fits and was not invalidated while it was rendered.
    Stored::Entry(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn pieces_make_one_valid_gzip_stream() {
        let page = format!(
            "<html><head></head><body>{}<!--slot:nav:-->Anmelden<!--/slot-->{}<!--slot:edit:7--><!--/slot-->end</body></html>",
            "a".repeat(5000),
            "b".repeat(7000)
        );
        let pieces = cut(&Bytes::from(page.clone())).unwrap();
        assert_eq!(pieces.len(), 5);
        assert_eq!(
            pieces[1].slot,
            Some(Slot {
                name: "nav".into(),
                arg: String::new()
            })
        );
        assert_eq!(pieces[3].slot.as_ref().unwrap().arg, "7");
        let whole = gzip_of(pieces.iter().map(|p| (&p.deflated[..], &p.crc)));
        assert_eq!(gunzip(&whole), page.as_bytes());
        // A filled slot changes only its piece.
        let filled = piece(None, Bytes::from_static(b"Konto: Erika")).unwrap();
        let mixed = gzip_of(pieces.iter().enumerate().map(|(i, p)| {
            if i == 1 {
                (&filled.deflated[..], &filled.crc)
            } else {
                (&p.deflated[..], &p.crc)
            }
        }));
        assert_eq!(
            String::from_utf8(gunzip(&mixed)).unwrap(),
            page.replace("Anmelden", "Konto: Erika")
        );
    }

    #[test]
    fn pages_without_slots_are_not_cut() {
        assert!(cut(&Bytes::from_static(b"<p>nothing personal</p>")).is_none());
        // An unclosed slot is not trusted.
        assert!(cut(&Bytes::from_static(b"<!--slot:nav:--> open")).is_none());
    }

    #[test]
    fn unknown_parameters_leave_the_key_and_the_request() {
        let uri: Uri = "/massnahmen?utm_source=x&status=done&q=Kita"
            .parse()
            .unwrap();
        let (key, rewritten) = canonical(&uri, "de");
        assert_eq!(key, "de|/massnahmen?q=Kita&status=done");
        assert_eq!(rewritten.unwrap(), "/massnahmen?q=Kita&status=done");
        let (same, none) = canonical(&"/massnahmen?q=Kita&status=done".parse().unwrap(), "de");
        assert_eq!(same, key);
        assert!(none.is_none());
        // Known parameters in another order: the same key, the request left as it is.
        let (reordered, kept) = canonical(&"/massnahmen?status=done&q=Kita".parse().unwrap(), "de");
        assert_eq!(reordered, key);
        assert!(kept.is_none());
        // Only unknown parameters: the path alone.
        let (bare, path) = canonical(&"/massnahmen?fbclid=1".parse().unwrap(), "de");
        assert_eq!(bare, "de|/massnahmen?");
        assert_eq!(path.unwrap(), "/massnahmen");
    }

    fn entry(tags: &[&str], size: usize) -> Entry {
        Entry {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; size]),
            etag: HeaderValue::from_static("\"1\""),
            gzip: None,
            pieces: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            size,
            route: "other",
            last_used: AtomicU64::new(0),
        }
    }

    #[test]
    fn a_write_drops_only_its_tags() {
        let c = PageCache::new(1 << 20);
        let e = c.epoch.load(Ordering::Acquire);
        c.put(
            "radar".into(),
            Arc::new(entry(&["site", "measures"], 10)),
            e,
        );
        c.put("m1".into(), Arc::new(entry(&["site", "measure:1"], 10)), e);
        c.put("m2".into(), Arc::new(entry(&["site", "measure:2"], 10)), e);
        c.invalidate(&["measure:1".into()]);
        assert!(c.get("m1").is_none());
        assert!(c.get("m2").is_some() && c.get("radar").is_some());
        c.invalidate(&["site".into()]);
        assert!(c.is_empty());
        assert_eq!(c.bytes(), 0);
    }

    #[test]
    fn a_render_older_than_an_invalidation_is_not_stored() {
        let c = PageCache::new(1 << 20);
        let started = c.epoch.load(Ordering::Acquire);
        c.invalidate(&["measure:1".into()]);
        c.put(
            "m1".into(),
            Arc::new(entry(&["site", "measure:1"], 10)),
            started,
        );
        assert!(c.get("m1").is_none());
        // Other tags' renders from before are still good.
        c.put(
            "m2".into(),
            Arc::new(entry(&["site", "measure:2"], 10)),
            started,
        );
        assert!(c.get("m2").is_some());
    }

    #[test]
    fn eviction_drops_the_least_recently_used_not_everything() {
        let c = PageCache::new(1000);
        let e = c.epoch.load(Ordering::Acquire);
        for i in 0..4 {
            c.put(format!("k{i}"), Arc::new(entry(&["site"], 200)), e);
        }
        assert!(c.get("k0").is_some()); // k0 is now the most recently used
        c.put("k4".into(), Arc::new(entry(&["site"], 200)), e);
        assert!(c.get("k0").is_some());
        assert!(c.get("k1").is_none());
        assert!(c.get("k4").is_some());
        assert!(c.bytes() <= 1000);
        assert!(c.len() >= 3);
    }
}
