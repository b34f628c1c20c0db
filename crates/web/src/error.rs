//! One error type for every handler. It becomes a friendly HTML page or an RFC 9457 problem
//! document (for `/api/…`), in the reader's language; internal details only go to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request value is invalid: which field and why.
    #[error("bad request: {field}: {reason}")]
    BadRequest { field: String, reason: String },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn bad(field: &str, reason: impl Into<String>) -> AppError {
        AppError::BadRequest {
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    /// Stable snake_case code that templates and problem documents translate.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::BadRequest { .. } => "bad_request",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<store::StoreError> for AppError {
    fn from(e: store::StoreError) -> Self {
        match &e {
            store::StoreError::Sqlx(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => AppError::Unavailable(e.to_string()),
            _ => AppError::Internal(e.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// What the error-rendering middleware needs to turn a bare error response into a page.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub field: Option<(String, String)>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(msg) | AppError::Unavailable(msg) => {
                tracing::error!(error = %msg, "request failed")
            }
            _ => {}
        }
        let field = match &self {
            AppError::BadRequest { field, reason } => Some((field.clone(), reason.clone())),
            _ => None,
        };
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            field,
        });
        res
    }
}
