//! The web layer: router, extractors, pages, API, feeds. Handlers are thin functions of
//! extractors; all SQL lives in `store`, all rules in `domain`.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod cache;
pub mod comments;
pub mod error;
pub mod events;
pub mod extract;
pub mod feeds;
pub mod i18n;
pub mod ideas;
pub mod layout;
pub mod mail;
pub mod mails;
pub mod map;
pub mod middleware;
pub mod newsletter;
pub mod notifications;
pub mod offers;
pub mod ops;
pub mod participation;
pub mod programme;
pub mod radar;
pub mod router;
pub mod routes;
pub mod search;
pub mod server;
pub mod session;
mod upload;

use std::sync::Arc;
use store::Db;

pub use router::router;

/// Shared state of every handler: one `Arc`, so the clones that every layer and extractor makes
/// cost one counter, not one per field (they showed in profiles of cached pages).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    pub db: Db,
    pub cache: Arc<cache::PageCache>,
    /// The event bus of this instance (followed topics, shutdown of live streams).
    pub bus: Arc<events::Bus>,
    /// The published measures in memory, kept current by the bus (`radar::cards`).
    pub cards: Arc<radar::cards::Cards>,
    pub base_url: Arc<str>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Secret mixed into hashed client addresses (rate limits), shared by all instances.
    pub pepper: Arc<str>,
    /// An Argon2id hash checked against when an address is unknown, for equal timing.
    pub dummy_hash: Arc<str>,
    /// Mark the session cookie `Secure` (the site is served over https).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (setting `trusted_proxies`).
    pub trusted_proxies: Arc<[domain::net::Cidr]>,
    /// How many comments an account and a client address may post (settings
    /// `comment_limit_*`).
    pub comment_limits: comments::PostLimits,
    /// The city's own tile server (setting `map_tiles`); no maps without it.
    pub map: Option<map::Tiles>,
}

impl AppState {
    /// State with the default page cache.
    pub async fn new(db: Db, base_url: &str) -> Result<AppState, store::StoreError> {
        AppState::with_cache(db, base_url, cache::DEFAULT_MB * 1024 * 1024).await
    }

    /// State with a page cache of `cache_bytes` (0: no page cache), connected to the event bus.
    pub async fn with_cache(
        db: Db,
        base_url: &str,
        cache_bytes: usize,
    ) -> Result<AppState, store::StoreError> {
        let fresh =
            session::random_token().map_err(|e| store::StoreError::Invalid(e.to_string()))?;
        let pepper = db.site_secret("client-address-pepper", &fresh).await?;
        let dummy = session::hash_password(fresh)
            .await
            .map_err(|e| store::StoreError::Invalid(e.to_string()))?;
        let state = AppState(Arc::new(Shared {
            db,
            cache: Arc::new(cache::PageCache::new(cache_bytes)),
            bus: Arc::default(),
            cards: Arc::default(),
            base_url: Arc::from(base_url.trim_end_matches('/')),
            metrics: None,
            pepper: Arc::from(pepper),
            dummy_hash: Arc::from(dummy),
            secure_cookies: base_url.starts_with("https://"),
            trusted_proxies: Arc::from(Vec::new()),
            comment_limits: comments::PostLimits::default(),
            map: None,
        }));
        events::connect_cache(&state).await?;
        Ok(state)
    }

    /// Changes the settings of a state that is not shared yet (before the router is built);
    /// `false` when it is.
    pub fn configure(&mut self, f: impl FnOnce(&mut Shared)) -> bool {
        match Arc::get_mut(&mut self.0) {
            Some(shared) => {
                f(shared);
                true
            }
            None => false,
        }
    }

    /// Absolute URL of a path on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
