//! Health, readiness and metrics for operators.

use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 while the database answers; otherwise the 503 error page (the cause goes to the log).
pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(format!("database not reachable: {e}")))?;
    Ok("ready")
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state
        .metrics
        .as_ref()
        .map(|h| h.render())
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
