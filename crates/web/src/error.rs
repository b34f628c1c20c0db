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
    /// The page needs a signed-in person: the error layer redirects to the login page.
    #[error("login required")]
    LoginRequired,
    /// A form without a valid CSRF token, or sent from another site.
    #[error("forbidden")]
    Forbidden,
    #[error("too many requests, retry after {0} s")]
    TooManyRequests(u64),
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
            AppError::LoginRequired => "login_required",
            AppError::Forbidden => "forbidden",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::BadRequest { .. } => "bad_request",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::LoginRequired => StatusCode::SEE_OTHER,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
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
        if matches!(self, AppError::LoginRequired) {
            return axum::response::Redirect::to("/anmelden").into_response();
        }
        let mut res = self.status().into_response();
        if let AppError::TooManyRequests(secs) = &self
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            field,
        });
        res
    }
}
