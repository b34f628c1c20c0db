//! The live discussion: a server-sent event stream per discussion that says "changed" whenever
//! a write drops its pages (the cache events of its tag, of the participation windows and of
//! the whole site), on every instance, replaying from `Last-Event-ID`. The page's script
//! (`assets/live.js`) then fetches the threads again. Nothing but the fact of a change goes out.

use super::*;
use crate::extract::Path;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use std::sync::Arc;
use store::events::{CACHE_TOPIC, Event, tags_of};

/// `GET /massnahmen/{slug}/kommentare/live`
pub async fn live(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let target = measure_target(&state, &slug).await?;
    stream(&state, &target, &headers).await
}

/// `GET /ideen/{id}/kommentare/live`
pub async fn idea_live(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let target = idea_target(&state, id).await?;
    stream(&state, &target, &headers).await
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/kommentare/live`
pub async fn session_live(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let target = session_target(&state, &slug, &session).await?;
    stream(&state, &target, &headers).await
}

async fn stream(
    state: &AppState,
    target: &Target,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let tag = domain::tags::comments(target.subject);
    let pick = Arc::new(move |e: &Event| {
        tags_of(e)
            .iter()
            .any(|t| *t == tag || t == domain::tags::WINDOWS || t == domain::tags::SITE)
            .then(|| "{}".to_string())
    });
    let last = crate::events::last_event_id(headers);
    crate::events::sse_picking(state, CACHE_TOPIC, last, pick).await
}
