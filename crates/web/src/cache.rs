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

/// A personal part of a cached page, marked in the HTML as `<!--slot:NAME:ARG-->…<!--/slot-->`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub name: String,
    pub arg: String,
}

const SLOT_OPEN: &str = "<!--slot:";
const SLOT_CLOSE: &str = "<!--/slot-->";

/// One piece of a page: bytes that are the same for everyone, or a personal slot (with what an
/// anonymous reader sees in it). Each piece is deflated on its own with a full flush, so pieces
/// can be put together into one valid gzip stream without compressing the page again.
struct Piece {
    slot: Option<Slot>,
    raw: Bytes,
    deflated: Bytes,
    crc: flate2::Crc,
}

struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    etag: HeaderValue,
    /// The body gzip-compressed once, with its own ETag, for clients that accept it.
    gzip: Option<(Bytes, HeaderValue)>,
    /// The page cut at its slots, when it has any.
    pieces: Option<Vec<Piece>>,
    tags: Vec<String>,
    size: usize,
    last_used: AtomicU64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

#[derive(Default)]
struct TagEpochs {
    map: HashMap<String, u64>,
    /// Renders that started before this epoch are not stored (the map was emptied).
    floor: u64,
}

/// The page cache of one instance.
pub struct PageCache {
    max_bytes: usize,
    max_entry: usize,
    entries: RwLock<Entries>,
    /// Counts invalidations; a render remembers the value it started at.
    epoch: AtomicU64,
    tag_epochs: Mutex<TagEpochs>,
    tick: AtomicU64,
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(DEFAULT_MB * 1024 * 1024)
    }
}

impl PageCache {
    /// A cache of at most `max_bytes` (bodies, their gzip copies and keys); 0 turns it off.
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            max_bytes,
            // One entry may take a quarter of the cache, at most 16 MB.
            max_entry: (max_bytes / 4).min(16 * 1024 * 1024),
            entries: RwLock::new(Entries::default()),
            epoch: AtomicU64::new(1),
            tag_epochs: Mutex::new(TagEpochs::default()),
            tick: AtomicU64::new(0),
            inflight: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// The largest response that is kept.
    pub fn max_entry(&self) -> usize {
        self.max_entry
    }

    /// Drops every entry carrying one of `tags` (`site`: every entry).
    pub fn invalidate(&self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let epoch = self.epoch.fetch_add(1, Ordering::AcqRel) + 1;
        if let Ok(mut te) = self.tag_epochs.lock() {
            if te.map.len() + tags.len() > MAX_TAG_EPOCHS {
                te.map.clear();
                te.floor = epoch;
            }
            for t in tags {
                te.map.insert(t.clone(), epoch);
            }
        }
        let all = tags.iter().any(|t| t == domain::tags::SITE);
        if let Ok(mut e) = self.entries.write() {
            let mut freed = 0;
            e.map.retain(|key, entry| {
                let keep = !all && !entry.tags.iter().any(|t| tags.contains(t));
                if !keep {
                    freed += entry.size + key.len();
                }
                keep
            });
            e.bytes = e.bytes.saturating_sub(freed);
        }
        metrics::counter!("page_cache_invalidations_total").increment(1);
    }

    pub fn clear(&self) {
        self.invalidate(&[domain::tags::SITE.to_string()]);
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.entries.read().ok()?.map.get(key).cloned()?;
        entry
            .last_used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry)
    }

    /// Stores an entry rendered from `started` on, unless one of its tags was invalidated since.
    /// The check runs under the entries' lock: an invalidation either came before (its epochs
    /// are visible here) or sweeps the map after this insert.
    fn put(&self, key: String, entry: Arc<Entry>, started: u64) {
        let Ok(mut e) = self.entries.write() else {
            return;
        };
        if let Ok(te) = self.tag_epochs.lock()
            && (started < te.floor
                || entry
                    .tags
                    .iter()
                    .any(|t| te.map.get(t).is_some_and(|e| *e > started)))
        {
            return;
        }
        let size = entry.size + key.len();
        if e.map.len() >= MAX_ENTRIES || e.bytes + size > self.max_bytes {
            evict(
                &mut e,
                self.max_bytes.saturating_sub(size) * 9 / 10,
                MAX_ENTRIES * 9 / 10,
            );
        }
        entry
            .last_used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        e.bytes += size;
        let key_len = key.len();
        if let Some(old) = e.map.insert(key, entry) {
            e.bytes = e.bytes.saturating_sub(old.size + key_len);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held (bodies, gzip copies, keys).
    pub fn bytes(&self) -> usize {
        self.entries.read().map(|e| e.bytes).unwrap_or(0)
    }

    fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        match self.inflight.lock() {
            Ok(mut m) => m.entry(key.to_string()).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }

    fn release(&self, key: &str) {
        if let Ok(mut m) = self.inflight.lock() {
            // Only the leader's own gate goes; followers hold clones until they are done.
            if m.get(key).is_some_and(|g| Arc::strong_count(g) <= 1) {
                m.remove(key);
            }
        }
    }
}

/// Removes the least recently used entries until at most `bytes` and `count` remain.
fn evict(e: &mut Entries, bytes: usize, count: usize) {
    let mut by_age: Vec<(u64, String, usize)> = e
        .map
        .iter()
        .map(|(k, v)| {
            (
                v.last_used.load(Ordering::Relaxed),
                k.clone(),
                v.size + k.len(),
            )
        })
        .collect();
    by_age.sort_unstable_by_key(|(t, _, _)| *t);
    for (_, key, size) in by_age {
        if e.bytes <= bytes && e.map.len() <= count {
            break;
        }
        e.map.remove(&key);
        e.bytes = e.bytes.saturating_sub(size);
        metrics::counter!("page_cache_evictions_total").increment(1);
    }
}

fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/") || t.contains("json") || t.contains("xml"))
        && !headers.contains_key(header::CONTENT_ENCODING)
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// Raw deflate of `data` ending in a full flush: byte-aligned, no back-references into it, so
/// such pieces can be concatenated.
fn deflate_piece(data: &[u8]) -> Option<Bytes> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::new(6), false);
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let consumed = usize::try_from(c.total_in()).ok()?;
        c.compress_vec(&data[consumed..], &mut out, FlushCompress::Full)
            .ok()?;
        let consumed = usize::try_from(c.total_in()).ok()?;
        if consumed == data.len() && out.len() < out.capacity() {
            return Some(Bytes::from(out));
        }
        out.reserve(out.capacity().max(1024));
    }
}

const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty block with fixed codes: ends a deflate stream of flushed pieces.
const DEFLATE_END: [u8; 2] = [0x03, 0x00];

/// A piece of `raw`: shared bytes (a slice of the body, not a copy) with their deflate and CRC.
fn piece(slot: Option<Slot>, raw: Bytes) -> Option<Piece> {
    let mut crc = flate2::Crc::new();
    crc.update(&raw);
    Some(Piece {
        slot,
        deflated: deflate_piece(&raw)?,
        raw,
        crc,
    })
}

/// Cuts an HTML body at its slots. `None` when it has none (or they are malformed).
fn cut(body: &Bytes) -> Option<Vec<Piece>> {
    let text = std::str::from_utf8(body).ok()?;
    // Offsets of `rest` within the body, for slicing it without copies.
    let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    if !text.contains(SLOT_OPEN) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(SLOT_OPEN) {
        let after = &rest[start + SLOT_OPEN.len()..];
        let head_end = after.find("-->")?;
        let (name, arg) = after[..head_end]
            .split_once(':')
            .unwrap_or((&after[..head_end], ""));
        let inner = &after[head_end + 3..];
        let close = inner.find(SLOT_CLOSE)?;
        let open_len = SLOT_OPEN.len() + head_end + 3;
        let at = offset(rest);
        pieces.push(piece(None, body.slice(at..at + start + open_len))?);
        pieces.push(piece(
            Some(Slot {
                name: name.to_string(),
                arg: arg.to_string(),
            }),
            body.slice(offset(inner)..offset(inner) + close),
        )?);
        rest = &inner[close..];
    }
    pieces.push(piece(None, body.slice(offset(rest)..))?);
    Some(pieces)
}

/// One gzip stream of deflated pieces (`(deflated, crc)` each).
fn gzip_of<'a>(parts: impl Iterator<Item = (&'a [u8], &'a flate2::Crc)>) -> Bytes {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(&GZIP_HEADER);
    let mut crc = flate2::Crc::new();
    for (deflated, c) in parts {
        out.extend_from_slice(deflated);
        crc.combine(c);
    }
    out.extend_from_slice(&DEFLATE_END);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    Bytes::from(out)
}

/// Compresses a response that is not kept (no page cache, or too large for it) when the client
/// takes gzip, with a fast level: it is paid on every request, not once.
async fn compress_uncached(res: Response, wants_gzip: bool) -> Response {
    if !wants_gzip || !compressible(res.headers()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let body = match collect(body, UNCACHED_GZIP_LIMIT).await {
        Ok(b) => b,
        Err(whole) => return Response::from_parts(parts, whole),
    };
    if body.len() < MIN_GZIP {
        return Response::from_parts(parts, Body::from(body));
    }
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::fast(),
    );
    match enc.write_all(&body).and_then(|()| enc.finish()) {
        Ok(gz) => {
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            parts.headers.remove(header::CONTENT_LENGTH);
            parts
                .headers
                .insert(header::VARY, HeaderValue::from_static(VARY));
            Response::from_parts(parts, Body::from(gz))
        }
        Err(_) => Response::from_parts(parts, Body::from(body)),
    }
}

/// Uncached responses larger than this are streamed as they are.
const UNCACHED_GZIP_LIMIT: usize = 32 * 1024 * 1024;

fn gzip_whole(body: &Bytes) -> Option<Bytes> {
    let p = piece(None, body.clone())?;
    Some(gzip_of(std::iter::once((&p.deflated[..], &p.crc))))
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

/// The cached page with its slots filled for a signed-in reader: the shared pieces as they are
/// (already deflated when the client takes gzip), only the slots made anew.
fn personal(
    entry: &Entry,
    pieces: &[Piece],
    gzip: bool,
    fill: &dyn Fn(&Slot) -> String,
) -> Response {
    let filled: Vec<Option<Piece>> = pieces
        .iter()
        .map(|p| {
            p.slot
                .as_ref()
                .and_then(|s| piece(None, Bytes::from(fill(s))))
        })
        .collect();
    let use_gzip = gzip && entry.gzip.is_some();
    let body = if use_gzip {
        gzip_of(pieces.iter().zip(&filled).map(|(p, f)| match f {
            Some(f) => (&f.deflated[..], &f.crc),
            None => (&p.deflated[..], &p.crc),
        }))
    } else {
        let mut out = Vec::with_capacity(entry.body.len() + 256);
        for (p, f) in pieces.iter().zip(&filled) {
            out.extend_from_slice(f.as_ref().map_or(&p.raw[..], |f| &f.raw[..]));
        }
        Bytes::from(out)
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = entry.status;
    *res.headers_mut() = entry.headers.clone();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if use_gzip {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}

/// The cache key of a request and its URI with only the query parameters pages know, sorted:
/// unknown parameters (tracking codes, typos) neither reach the handler nor grow the key space.
fn canonical(uri: &Uri, lang: &str) -> (String, Option<Uri>) {
    let path = uri.path();
    let mut pairs: Vec<(&str, &str)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .filter(|(k, _)| crate::radar::params::KNOWN.contains(k) || *k == "lang")
        .collect();
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let query = query.join("&");
    let key = format!("{lang}|{path}?{query}");
    if uri.query().unwrap_or("") == query {
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
        return compress_uncached(next.run(req).await, wants_gzip).await;
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
            let now = time::OffsetDateTime::now_utc();
            match state
                .db
                .session_user(&crate::session::sha256_hex(&token), now)
                .await
            {
                Ok(Some(user)) => {
                    let t = crate::i18n::Tr::new(lang);
                    personal(&entry, pieces, wants_gzip, &|slot| {
                        crate::layout::fill_slot(&t, &user, slot)
                    })
                }
                Ok(None) => respond(&entry, if_none_match.as_ref(), wants_gzip),
                Err(e) => crate::error::AppError::from(e).into_response(),
            }
        }
    };

    if let Some(entry) = state.cache.get(&key) {
        metrics::counter!("page_cache_hits_total").increment(1);
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
                metrics::counter!("page_cache_hits_total").increment(1);
                drop(gate);
                state.cache.release(&key);
                return serve(entry).await;
            }
            gate.clone().lock_owned().await
        }
    };
    metrics::counter!("page_cache_misses_total").increment(1);
    let started = state.cache.epoch.load(Ordering::Acquire);
    let res = next.run(req).await;
    let out = store_response(&state, &key, res, started).await;
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
async fn store_response(state: &AppState, key: &str, res: Response, started: u64) -> Stored {
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
