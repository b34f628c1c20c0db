//! The web layer: router, extractors, pages, API, feeds. Handlers are thin functions of
//! extractors; all SQL lives in `store`, all rules in `domain`.

pub mod api;
pub mod cache;
pub mod error;
pub mod feed;
pub mod filters;
pub mod i18n;
pub mod locale;
pub mod mail;
pub mod middleware;
pub mod ops;
pub mod pages;
pub mod radar;
pub mod router;
pub mod views;

use std::sync::Arc;
use store::Db;

pub use router::router;

/// Shared state of every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cache: Arc<cache::PageCache>,
    pub base_url: Arc<str>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl AppState {
    pub async fn new(db: Db, base_url: &str) -> Result<AppState, store::StoreError> {
        let generation = db.generation().await?;
        Ok(AppState {
            db,
            cache: Arc::new(cache::PageCache::new(generation)),
            base_url: Arc::from(base_url.trim_end_matches('/')),
            metrics: None,
        })
    }

    /// Absolute URL of a path on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
