//! One error type for every handler. It becomes a friendly HTML page or an RFC 9457 problem
//! document (for `/api/…`), in the reader's language; internal details only go to the log.

use crate::i18n::Tr;
use crate::layout::*;
use askama::Template;
use axum::extract::Request;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
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
    /// A request body over the route's limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// A request target longer than [`crate::middleware::MAX_URI_BYTES`].
    #[error("URI too long")]
    UriTooLong,
    /// A body of a type the route does not read (a form route sent JSON, …).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A form body that does not fit the form: which field and why.
    #[error("invalid form: {field}: {reason}")]
    InvalidForm { field: String, reason: String },
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
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UriTooLong => "uri_too_long",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::InvalidForm { .. } => "invalid_form",
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
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UriTooLong => StatusCode::URI_TOO_LONG,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::InvalidForm { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<store::StoreError> for AppError {
    fn from(e: store::StoreError) -> Self {
        // A failed batch of the group-commit writer carries the error of the batch.
        let mut cause = &e;
        while let store::StoreError::Batch(inner) = cause {
            cause = inner;
        }
        match cause {
            store::StoreError::Sqlx(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            )
            | store::StoreError::WriterGone
            | store::StoreError::Conflict(_) => AppError::Unavailable(e.to_string()),
            _ => AppError::Internal(e.to_string()),
        }
    }
}

/// Rejections of the form, query and path extractors (see [`crate::extract::Form`]) become
/// errors naming the field; reasons are translation keys (`error-reason-*`), serde's own text
/// only goes to the debug log.
impl From<FormRejection> for AppError {
    fn from(e: FormRejection) -> Self {
        match e {
            FormRejection::InvalidFormContentType(_) => AppError::UnsupportedMediaType,
            FormRejection::FailedToDeserializeFormBody(e) => {
                let (field, reason) = serde_failure(&e, "form");
                AppError::InvalidForm { field, reason }
            }
            // A form read from the query string of a GET.
            FormRejection::FailedToDeserializeForm(e) => {
                let (field, reason) = serde_failure(&e, "query");
                AppError::BadRequest { field, reason }
            }
            FormRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            other => AppError::bad("form", other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(e: QueryRejection) -> Self {
        match e {
            QueryRejection::FailedToDeserializeQueryString(e) => {
                let (field, reason) = serde_failure(&e, "query");
                AppError::BadRequest { field, reason }
            }
            other => AppError::bad("query", other.body_text()),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(e: PathRejection) -> Self {
        use axum::extract::path::ErrorKind;
        let PathRejection::FailedToDeserializePathParams(e) = e else {
            return AppError::Internal(e.body_text());
        };
        tracing::debug!(error = %e.body_text(), "path parameter refused");
        match e.into_kind() {
            ErrorKind::InvalidUtf8InPathParam { key } => AppError::bad(&key, "error-reason-utf8"),
            ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::DeserializeError { key, .. } => {
                AppError::bad(&key, "error-reason-invalid")
            }
            ErrorKind::ParseError { .. } | ErrorKind::ParseErrorAtIndex { .. } => {
                AppError::bad("path", "error-reason-invalid")
            }
            // The route and the handler's parameter type do not fit: a bug, not bad input.
            other => AppError::Internal(format!("path parameters: {other}")),
        }
    }
}

/// The field and the reason (a translation key) of a form or query that serde could not read;
/// `part` names the whole when no field is known.
fn serde_failure(e: &(dyn std::error::Error + 'static), part: &str) -> (String, String) {
    // The rejection wraps an `axum::Error`, which wraps serde_path_to_error's error.
    let failure = e
        .source()
        .and_then(|axum_error| axum_error.source())
        .and_then(|inner| {
            inner.downcast_ref::<serde_path_to_error::Error<serde::de::value::Error>>()
        });
    let Some(failure) = failure else {
        tracing::debug!(error = %e, "{part} refused");
        return (part.to_string(), "error-reason-invalid".into());
    };
    path_failure(failure, part)
}

/// The field and the reason (a translation key) of serde_path_to_error's error.
pub(crate) fn path_failure(
    failure: &serde_path_to_error::Error<serde::de::value::Error>,
    part: &str,
) -> (String, String) {
    let message = failure.inner().to_string();
    tracing::debug!(error = %message, path = %failure.path(), "{part} refused");
    // serde's derive names missing and repeated fields in its messages, at the struct's path.
    for (prefix, reason) in [
        ("missing field `", "error-reason-missing"),
        ("duplicate field `", "error-reason-duplicate"),
    ] {
        if let Some(name) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
        {
            return (name.to_string(), reason.into());
        }
    }
    let path = failure.path().to_string();
    let field = if path == "." { part.to_string() } else { path };
    (field, "error-reason-invalid".into())
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
            AppError::BadRequest { field, reason } | AppError::InvalidForm { field, reason } => {
                Some((field.clone(), reason.clone()))
            }
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

/// The code of an error response without an [`ErrorInfo`] — the answers of layers (body limit,
/// timeout) and of axum itself (405, rejections of extractors used directly) — by its status.
fn code_of_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        422 => "invalid_form",
        429 => "too_many_requests",
        // Handlers say `unavailable` through `AppError`; a bare 503 is the request timeout.
        503 => "timeout",
        s if s < 500 => "bad_request",
        _ => "internal",
    }
}

/// Headers of the original error response that its rendered replacement keeps: what the client
/// may do next (`Allow`, `Retry-After`) and the API's CORS answer.
fn kept_header(name: &header::HeaderName) -> bool {
    name == header::ALLOW
        || name == header::RETRY_AFTER
        || name == header::VARY
        || name.as_str().starts_with("access-control-")
}

/// What the error rendering needs to know of a request, taken before it is handed on.
pub struct ErrorScope {
    lang: crate::i18n::Lang,
    uri: axum::http::Uri,
}

impl ErrorScope {
    pub fn of(req: &Request) -> ErrorScope {
        ErrorScope {
            lang: crate::i18n::negotiate(req.uri().query(), req.headers()),
            uri: req.uri().clone(),
        }
    }

    /// The response, or the error page or problem it stands for.
    pub fn finish(self, res: Response) -> Response {
        finish_error(self, res)
    }
}

fn finish_error(scope: ErrorScope, res: Response) -> Response {
    let lang = scope.lang;
    let path = scope.uri.path();
    let cors = path.starts_with("/api/");
    let api = cors || path.starts_with("/feeds/") || path.starts_with("/export/");
    let status = res.status();
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None if status.is_client_error() || status.is_server_error() => {
            let plain = res
                .headers()
                .get(header::CONTENT_TYPE)
                .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
            if !plain {
                return res;
            }
            ErrorInfo {
                code: code_of_status(status),
                field: None,
            }
        }
        None => return res,
    };
    let t = Tr::new(lang);
    let title = t.get(&format!("error-title-{}", info.code));
    let detail = match &info.field {
        // A reason that is a translation key stands on its own (e.g. an expired link); it may
        // name the field (`error-reason-*`).
        Some((field, reason)) if t.has(reason) => {
            t.args(reason, &[("field", crate::i18n::Arg::Str(field.clone()))])
        }
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
        // The language switch links to the same path, unless the path is what was too long.
        let here = if status == StatusCode::URI_TOO_LONG {
            "/"
        } else {
            path
        };
        let page = ErrorPage {
            c: Chrome::plain(t, here),
            title: title.clone(),
            text: t.get(&format!("error-text-{}", info.code)),
            field: info.field.as_ref().map(|_| detail.clone()),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    };
    let h = out.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for (k, v) in res.headers() {
        if kept_header(k) {
            h.append(k.clone(), v.clone());
        }
    }
    // Errors that never reached the API's routes (an unknown path, a body or URI over the
    // limit, a timeout) are as open to other origins as the API itself (its `CorsLayer`).
    if cors && !h.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    out
}

/// The answer to a handler that panicked (`CatchPanicLayer`): the 500 page or problem; the panic
/// message goes to the log only.
pub fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = err
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| err.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    AppError::Internal(format!("handler panicked: {message}")).into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_error_code_has_a_title_and_a_text_in_both_languages() {
        let mut codes: Vec<&str> = (400..600)
            .filter_map(|s| StatusCode::from_u16(s).ok())
            .map(code_of_status)
            .collect();
        codes.extend(
            [
                AppError::NotFound,
                AppError::bad("f", "r"),
                AppError::LoginRequired,
                AppError::Forbidden,
                AppError::TooManyRequests(1),
                AppError::PayloadTooLarge,
                AppError::UriTooLong,
                AppError::UnsupportedMediaType,
                AppError::InvalidForm {
                    field: "f".into(),
                    reason: "r".into(),
                },
                AppError::Unavailable(String::new()),
                AppError::Internal(String::new()),
            ]
            .iter()
            .map(AppError::code),
        );
        for lang in [Lang::De, Lang::En] {
            let t = Tr::new(lang);
            for code in &codes {
                for kind in ["title", "text"] {
                    let key = format!("error-{kind}-{code}");
                    assert!(t.has(&key), "{key} is missing in {}", lang.code());
                }
            }
        }
    }
}
