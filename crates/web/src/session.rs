//! Who is asking: the session cookie, the page context extractor, CSRF checks and password
//! hashing. Sessions live in the database, so every instance behind a load balancer shares them;
//! the cookie holds a random token whose SHA-256 hash is the session's key.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use sha2::{Digest, Sha256};
use store::accounts::SessionUser;
use time::OffsetDateTime;

pub const SESSION_COOKIE: &str = "sr_session";
pub const SESSION_DAYS: i64 = 30;

/// 32 random bytes as 64 hex characters.
pub fn random_token() -> Result<String, AppError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub fn sha256_hex(v: &str) -> String {
    Sha256::digest(v.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: RFC 9106's second
/// recommendation), on a blocking thread so the server keeps answering meanwhile.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordVerifier;
        match argon2::PasswordHash::new(&hash) {
            Ok(parsed) => argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// The value of the session cookie, if the request carries one.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(SESSION_COOKIE)
                .and_then(|r| r.strip_prefix('='))
                .map(str::to_string)
        })
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let v = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_DAYS * 86400,
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&v).unwrap_or(HeaderValue::from_static("sr_session=; Path=/; Max-Age=0"))
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("sr_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

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
        let t = Tr::new(crate::locale::negotiate(parts.uri.query(), &parts.headers));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let a = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap());
    }

    #[test]
    fn cookie_is_read_and_written_safely() {
        let mut h = HeaderMap::new();
        let t = "a".repeat(64);
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("x=1; sr_session={t}; y=2")).unwrap(),
        );
        assert_eq!(session_token(&h), Some(t.clone()));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("sr_session=../../etc"),
        );
        assert_eq!(session_token(&h), None);
        let c = session_cookie(&t, true);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(
            !session_cookie(&t, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("radar.example"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://radar.example"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
    }

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("Grüne Ampel am Rathausplatz".into())
            .await
            .unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Grüne Ampel am Rathausplatz".into(), h.clone()).await);
        assert!(!verify_password("grüne ampel am rathausplatz".into(), h).await);
        assert!(!verify_password("x".into(), "kein hash".into()).await);
    }
}
