//! The reader's language: `?lang=en|de` on the URL, else `Accept-Language`, else German.
//! No cookie is set: anonymous readers get none.

use crate::i18n::{Lang, Tr};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;

pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("lang=")
                && let Some(l) = Lang::parse(v)
            {
                return l;
            }
        }
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or(Lang::De)
}

/// Extractor: the translator for this request.
#[derive(Debug, Clone, Copy)]
pub struct Locale(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Locale(Tr::new(negotiate(
            parts.uri.query(),
            &parts.headers,
        ))))
    }
}
