//! Sessions and secrets: the session cookie, random tokens, hashes and Argon2id passwords.
//! Sessions live in the database, so every instance behind a load balancer shares them; the
//! cookie holds a random token whose SHA-256 hash is the session's key.

use crate::error::AppError;
use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

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

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`, as hex: tokens that the site can check
/// again without storing them (the unsubscribe link of notification mail).
pub fn hmac_hex(key: &[u8], message: &str) -> String {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message.as_bytes())
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::same_origin;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 2 and 6 of RFC 4231 (a short key, and a key longer than a block).
        assert_eq!(
            hmac_hex(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hmac_hex(
                &[0xaa; 131],
                "Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

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
        let base = "https://radar.example";
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("radar.example"));
        assert!(same_origin(&h, base, "http"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://radar.example"),
        );
        assert!(same_origin(&h, base, "http"));
        // Behind a proxy that rewrites Host, the configured origin still decides.
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h, base, "http"));
        for other in [
            "https://evil.example",
            "http://radar.example",
            "https://radar.example:8443",
            "null",
        ] {
            h.insert(header::ORIGIN, HeaderValue::from_static(other));
            assert!(!same_origin(&h, base, "http"), "{other}");
        }
        // Without a base URL: the Host header with the request's scheme.
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("localhost:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://localhost:8080"),
        );
        assert!(same_origin(&h, "", "http"));
        assert!(!same_origin(&h, "", "https"));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, base, "http"));
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
