//! One error type for every handler. It becomes a friendly HTML page or an RFC 9457 problem
//! document (for `/api/…`), in the reader's language; internal details only go to the log.

use crate::i18n::Tr;
use crate::layout::*;
use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

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

#[derive(Template)]
#[template(path = "layout/error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub title: String,
    pub text: String,
    pub field: Option<String>,
}

/// Turns a bare error response (an [`ErrorInfo`] extension, empty body) into an HTML page or,
/// under `/api/`, an RFC 9457 problem document, in the reader's language.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let lang = crate::i18n::negotiate(req.uri().query(), req.headers());
    let path = req.uri().path().to_string();
    let api =
        path.starts_with("/api/") || path.starts_with("/feeds/") || path.starts_with("/export/");
    let res = next.run(req).await;
    let status = res.status();
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None if status.is_client_error() || status.is_server_error() => {
            if res.headers().contains_key(header::CONTENT_TYPE) {
                return res;
            }
            // Errors from layers (timeout, body limit, panic) carry no info: name them by status.
            let code = match status.as_u16() {
                404 => "not_found",
                400 | 405 | 413 | 415 | 422 => "bad_request",
                503 => "unavailable",
                403 => "forbidden",
                429 => "too_many_requests",
                _ => "internal",
            };
            ErrorInfo { code, field: None }
        }
        None => return res,
    };
    let t = Tr::new(lang);
    let title = t.get(&format!("error-title-{}", info.code));
    let detail = match &info.field {
        // A reason that is a translation key stands on its own (e.g. an expired link).
        Some((_, reason)) if t.get(reason) != *reason => t.get(reason),
        Some((field, reason)) => t.args(
            "error-field",
            &[
                ("field", crate::i18n::Arg::Str(field.clone())),
                ("reason", crate::i18n::Arg::Str(reason.clone())),
            ],
        ),
        None => t.get(&format!("error-text-{}", info.code)),
    };
    let mut out = if api {
        let mut body = serde_json::json!({
            "type": format!("about:blank#{}", info.code),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
            "code": info.code,
        });
        if let Some((field, reason)) = &info.field {
            body["errors"] = serde_json::json!([{ "field": field, "reason": reason }]);
        }
        let mut r = (status, axum::Json(body)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else {
        let page = ErrorPage {
            c: Chrome::plain(t, &path),
            title: title.clone(),
            text: t.get(&format!("error-text-{}", info.code)),
            field: info.field.as_ref().map(|_| detail.clone()),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    };
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if matches!(status.as_u16(), 405 | 429 | 503) {
        for (k, v) in res.headers() {
            if k == header::ALLOW || k == header::RETRY_AFTER {
                out.headers_mut().insert(k.clone(), v.clone());
            }
        }
    }
    out
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
