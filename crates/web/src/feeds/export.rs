//! CSV and JSON exports of the published strategy.

use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub(crate) fn attachment(mime: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    crate::cache::tagged(
        attachment_untagged(mime, name, body),
        [
            domain::tags::MEASURES,
            domain::tags::TEXTS,
            domain::tags::REPORTS,
        ],
    )
}

fn attachment_untagged(mime: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

pub async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let doc = state.db.export_document().await?;
    let csv = domain::import::to_csv(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"strategie.csv\"",
        csv,
    ))
}

pub async fn export_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let doc = state.db.export_document().await?;
    let json = serde_json::to_vec_pretty(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/json",
        "attachment; filename=\"strategie.json\"",
        json,
    ))
}
