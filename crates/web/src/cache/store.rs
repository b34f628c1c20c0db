//! The entries of the page cache: tags and their invalidation epochs, least-recently-used
//! eviction, and one render at a time per key.

use super::*;

pub(super) struct Entry {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    pub(super) etag: HeaderValue,
    /// The body gzip-compressed once, with its own ETag, for clients that accept it.
    pub(super) gzip: Option<(Bytes, HeaderValue)>,
    /// The page cut at its slots, when it has any.
    pub(super) pieces: Option<Vec<Piece>>,
    pub(super) tags: Vec<String>,
    pub(super) size: usize,
    /// The route's label in the request metrics (`middleware::route_of`).
    pub(super) route: &'static str,
    pub(super) last_used: AtomicU64,
}

#[derive(Default)]
pub(super) struct Entries {
    pub(super) map: HashMap<String, Arc<Entry>>,
    pub(super) bytes: usize,
}

#[derive(Default)]
pub(super) struct TagEpochs {
    pub(super) map: HashMap<String, u64>,
    /// Renders that started before this epoch are not stored (the map was emptied).
    pub(super) floor: u64,
}

/// The page cache of one instance.
pub struct PageCache {
    pub(super) max_bytes: usize,
    pub(super) max_entry: usize,
    pub(super) entries: RwLock<Entries>,
    /// Counts invalidations; a render remembers the value it started at.
    pub(super) epoch: AtomicU64,
    pub(super) tag_epochs: Mutex<TagEpochs>,
    pub(super) tick: AtomicU64,
    pub(super) inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Sessions for filling the personal slots of cached pages.
    pub sessions: super::sessions::Sessions,
    /// The site's settings as every post reads them (`settings`).
    pub settings: super::settings::Settings,
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
            sessions: super::sessions::Sessions::default(),
            settings: super::settings::Settings::default(),
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
        let hits = |e: &Entries| {
            all || e
                .map
                .values()
                .any(|entry| entry.tags.iter().any(|t| tags.contains(t)))
        };
        // Most events name pages nobody has in the cache (a discussion no one reads just now):
        // looking under the read lock keeps them from stopping every reader. An entry stored
        // after this look checks the epochs set above and is not kept if it is older.
        if !self.entries.read().map(|e| hits(&e)).unwrap_or(true) {
            metrics::counter!("page_cache_invalidations_total").increment(1);
            return;
        }
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
        self.settings.forget_all();
        self.invalidate(&[domain::tags::SITE.to_string()]);
    }

    pub(super) fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.entries.read().ok()?.map.get(key).cloned()?;
        entry
            .last_used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry)
    }

    /// Stores an entry rendered from `started` on, unless one of its tags was invalidated since.
    /// The check runs under the entries' lock: an invalidation either came before (its epochs
    /// are visible here) or sweeps the map after this insert.
    pub(super) fn put(&self, key: String, entry: Arc<Entry>, started: u64) {
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

    pub(super) fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        match self.inflight.lock() {
            Ok(mut m) => m.entry(key.to_string()).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }

    pub(super) fn release(&self, key: &str) {
        if let Ok(mut m) = self.inflight.lock() {
            // Only the leader's own gate goes; followers hold clones until they are done.
            if m.get(key).is_some_and(|g| Arc::strong_count(g) <= 1) {
                m.remove(key);
            }
        }
    }
}

/// Removes the least recently used entries until at most `bytes` and `count` remain.
pub(super) fn evict(e: &mut Entries, bytes: usize, count: usize) {
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
