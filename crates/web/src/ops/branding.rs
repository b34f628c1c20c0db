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

/// The type to serve a stored image with: one of the raster types, and SVG only where `svg` is
/// allowed (the city's own logo). `None` for anything else in the database.
pub(crate) fn image_mime(stored: &str, svg: bool) -> Option<&'static str> {
    match stored {
        "image/png" => Some("image/png"),
        "image/jpeg" => Some("image/jpeg"),
        "image/webp" => Some("image/webp"),
        "image/svg+xml" if svg => Some("image/svg+xml"),
        _ => None,
    }
}

/// An uploaded image as an answer: its type, version and caching, the logo's strict policy
/// (so a file opened on its own can do nothing but show itself) and an inline disposition.
pub(crate) fn serve_image(
    headers: &HeaderMap,
    mime: &'static str,
    etag: &str,
    body: Vec<u8>,
    cache: &'static str,
    disposition: &'static str,
) -> Response {
    let mut res = respond(headers, etag, mime, cache, body);
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(LOGO_CSP),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    res
}

/// The logo. Pages link it as `/logo?v=<etag>`, so it may be cached for a year; a new logo has a
/// new URL. Served with its own strict CSP and inline disposition (see `domain::branding`).
pub async fn logo(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let logo = state.db.logo().await?.ok_or(AppError::NotFound)?;
    let mime = image_mime(&logo.mime, true).ok_or(AppError::NotFound)?;
    Ok(serve_image(
        &headers,
        mime,
        &logo.etag,
        logo.body,
        "public, max-age=31536000, immutable",
        "inline; filename=\"logo\"",
    ))
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
