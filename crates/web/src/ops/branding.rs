//! The city's logo and accent colour as public resources (`/logo`, `/theme.css`).

use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// What a served logo may do when opened on its own: nothing but show itself (SVG styles).
pub const LOGO_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// A strong ETag of some bytes (a prefix of their SHA-256).
pub fn etag_of(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                t.trim() == "*" || t.trim().trim_start_matches("W/").trim_matches('"') == etag
            })
        })
}

pub(crate) fn respond(
    headers: &HeaderMap,
    etag: &str,
    mime: &'static str,
    cache: &'static str,
    body: Vec<u8>,
) -> Response {
    let tag =
        HeaderValue::from_str(&format!("\"{etag}\"")).unwrap_or(HeaderValue::from_static("\"0\""));
    let mut res = if not_modified(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        r
    };
    res.headers_mut().insert(header::ETAG, tag);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// The logo. Pages link it as `/logo?v=<etag>`, so it may be cached for a year; a new logo has a
/// new URL. Served with its own strict CSP and inline disposition (see `domain::branding`).
pub async fn logo(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let logo = state.db.logo().await?.ok_or(AppError::NotFound)?;
    let mime = match logo.mime.as_str() {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/webp" => "image/webp",
        "image/svg+xml" => "image/svg+xml",
        _ => return Err(AppError::NotFound),
    };
    let mut res = respond(
        &headers,
        &logo.etag,
        mime,
        "public, max-age=31536000, immutable",
        logo.body,
    );
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(LOGO_CSP),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"logo\""),
    );
    Ok(res)
}

/// The accent colour as a stylesheet, linked from every page after `/assets/style.css` (the CSP
/// forbids inline styles). Browsers revalidate it with its ETag.
pub async fn theme_css(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let accent = state
        .db
        .branding()
        .await?
        .accent
        .filter(|a| domain::colour::parse_hex(a).is_some());
    let css = match accent {
        Some(a) => format!(":root {{ --accent: {a}; }}\n"),
        None => "/* The shipped accent colour. */\n".to_string(),
    };
    let etag = etag_of(css.as_bytes());
    Ok(respond(
        &headers,
        &etag,
        "text/css; charset=utf-8",
        "no-cache",
        css.into_bytes(),
    ))
}
