//! Extractors: who is asking (the page context with the signed-in person), the language, the
//! client address; and the same-origin check for state-changing requests.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::negotiate;
use crate::session::*;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use std::convert::Infallible;
use store::accounts::SessionUser;
use time::OffsetDateTime;

/// Everything a page handler needs to know about the request: language, URI, signed-in person.
pub struct Ctx {
    pub t: Tr,
    pub uri: Uri,
    pub user: Option<SessionUser>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let t = Tr::new(crate::i18n::negotiate(parts.uri.query(), &parts.headers));
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        let user = match session_token(&parts.headers) {
            Some(token) => {
                state
                    .db
                    .session_user(&sha256_hex(&token), OffsetDateTime::now_utc())
                    .await?
            }
            None => None,
        };
        Ok(Ctx { t, uri, user })
    }
}

impl Ctx {
    /// The signed-in person, or a redirect to the login page.
    pub fn require_user(&self) -> Result<&SessionUser, AppError> {
        self.user.as_ref().ok_or(AppError::LoginRequired)
    }

    /// The signed-in person if they hold `role`; anonymous people are sent to the login page,
    /// others get 403.
    pub fn require_role(&self, role: domain::accounts::Role) -> Result<&SessionUser, AppError> {
        let user = self.require_user()?;
        if user.roles.contains(&role) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks the CSRF token of a form against the session's.
    pub fn check_csrf(&self, token: &str) -> Result<&SessionUser, AppError> {
        let user = self.require_user()?;
        if same_secret(&user.csrf_token, token) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Rejects state-changing requests that a browser marks as coming from another site (the CSRF
/// defence for forms sent before a session exists, such as the login form).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin.split("://").nth(1).is_some_and(|o| o == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// The client's address when the server knows it (from the connection); never stored as it is.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
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
