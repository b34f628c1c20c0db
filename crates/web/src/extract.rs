//! Extractors: who is asking (the page context with the signed-in person), the language, the
//! client address, forms, queries and path segments whose rejections are `AppError`s; and the
//! same-origin check for state-changing requests.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::negotiate;
use crate::session::*;
use axum::extract::{FromRequest, FromRequestParts};
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
        // Several extractors of one request ask for the person; the session is read once.
        let user = match parts.extensions.get::<Session>() {
            Some(Session(user)) => user.clone(),
            None => {
                let user = match session_token(&parts.headers) {
                    Some(token) => {
                        state
                            .db
                            .session_user(&sha256_hex(&token), OffsetDateTime::now_utc())
                            .await?
                    }
                    None => None,
                };
                parts.extensions.insert(Session(user.clone()));
                user
            }
        };
        Ok(Ctx { t, uri, user })
    }
}

/// The session of a request once it has been read (a request extension).
#[derive(Clone)]
struct Session(Option<SessionUser>);

impl Ctx {
    /// The signed-in person, or a redirect to the login page.
    pub fn require_user(&self) -> Result<&SessionUser, AppError> {
        self.user.as_ref().ok_or(AppError::LoginRequired)
    }

    /// Checks a CSRF token read from a multipart body (uploads) against the session's; url-encoded
    /// forms use `CsrfForm`.
    pub fn check_csrf(&self, token: &str) -> Result<&SessionUser, AppError> {
        let user = self.require_user()?;
        if same_secret(&user.csrf_token, token) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The roles as types, for `RequireRole<…>`.
pub mod role {
    use domain::accounts::Role;

    /// A role a route may require.
    pub trait Required: Send + Sync + 'static {
        const ROLE: Role;
    }

    macro_rules! roles {
        ($($name:ident),*) => {$(
            #[doc = concat!("The role `", stringify!($name), "`.")]
            pub struct $name;
            impl Required for $name {
                const ROLE: Role = Role::$name;
            }
        )*};
    }
    roles!(Admin, Editor, Moderator, Organiser, Provider, Citizen);
}

/// The request's context with a signed-in person who holds the role `R` (admins hold every
/// role). Anonymous people are sent to the login page, everyone else gets 403 — before the
/// handler runs.
pub struct RequireRole<R> {
    pub ctx: Ctx,
    pub user: SessionUser,
    _role: std::marker::PhantomData<R>,
}

impl<R: role::Required> FromRequestParts<AppState> for RequireRole<R> {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignedIn { ctx, user } = SignedIn::from_request_parts(parts, state).await?;
        if !crate::routes::Access::Role(R::ROLE).allows(Some(&user.roles)) {
            return Err(AppError::Forbidden);
        }
        Ok(RequireRole {
            ctx,
            user,
            _role: std::marker::PhantomData,
        })
    }
}

/// A signed-in person (any role), or a redirect to the login page.
pub struct SignedIn {
    pub ctx: Ctx,
    pub user: SessionUser,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let user = ctx.require_user()?.clone();
        Ok(SignedIn { ctx, user })
    }
}

/// A form of a signed-in person, parsed into `T` after its `csrf` field was checked against the
/// session's token. Without a session the answer is the login page; with a wrong or missing
/// token 403; a body that is not a form 415; a value that does not fit `T` 400 naming it.
/// Put it last among a handler's extractors (it reads the body); role checks come first.
pub struct CsrfForm<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;
    async fn from_request(
        req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let user = ctx.require_user()?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let req = axum::extract::Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| match e.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
                _ => AppError::bad("form", "error-reason-invalid"),
            })?;
        // An empty body (a form with no fields) needs no content type.
        if !is_form && !bytes.is_empty() {
            return Err(AppError::UnsupportedMediaType);
        }
        let text =
            std::str::from_utf8(&bytes).map_err(|_| AppError::bad("form", "error-reason-utf8"))?;
        if let Some(field) = non_utf8_param(text) {
            return Err(AppError::bad(&field, "error-reason-utf8"));
        }
        let token = form_value(text, "csrf").unwrap_or_default();
        if !same_secret(&user.csrf_token, &token) {
            return Err(AppError::Forbidden);
        }
        let form = serde_urlencoded::Deserializer::new(form_urlencoded::parse(text.as_bytes()));
        serde_path_to_error::deserialize(form)
            .map(CsrfForm)
            .map_err(|e| {
                let (field, reason) = crate::error::path_failure(&e, "form");
                AppError::InvalidForm { field, reason }
            })
    }
}

/// A form whose only field is its CSRF token.
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// The first value of `name` in a form body.
fn form_value(body: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Whether a state-changing request comes from this site (the CSRF defence for forms sent before
/// a session exists, such as the login form). A browser's `Sec-Fetch-Site` must say
/// `same-origin` (or `none`: typed by the person), and an `Origin` must equal this site's origin
/// — scheme, host and port — as configured in `base_url`, so a reverse proxy that rewrites
/// `Host` does not matter. Without a `base_url` (development) the `Host` header with the
/// request's scheme stands in for it. A request without `Origin` (old browsers, scripts)
/// passes; signed-in forms carry a CSRF token besides.
pub fn same_origin(headers: &HeaderMap, base_url: &str, request_scheme: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    // A page sent with `Referrer-Policy: no-referrer` (the token pages) makes the browser send
    // `Origin: null` with its forms; then the browser's own `Sec-Fetch-Site` vouches for it.
    if origin.as_bytes() == b"null" {
        return headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin");
    }
    let Some(origin) = origin.to_str().ok().and_then(domain::net::Origin::parse) else {
        return false;
    };
    let ours = if base_url.is_empty() {
        headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(|host| domain::net::Origin::parse(&format!("{request_scheme}://{host}")))
    } else {
        domain::net::Origin::parse(base_url)
    };
    ours.is_some_and(|o| o == origin)
}

/// The name of the first parameter of a query string or form body whose name or value is not
/// UTF-8 once percent-decoded. Form decoding would silently turn such bytes into replacement
/// characters; a request with them is refused instead, naming the parameter.
pub fn non_utf8_param(encoded: &str) -> Option<String> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    fn decode(part: &str) -> Vec<u8> {
        let b = part.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                c => out.push(c),
            }
            i += 1;
        }
        out
    }
    for pair in encoded.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name_bytes = decode(name);
        let name_ok = std::str::from_utf8(&name_bytes).is_ok();
        if !name_ok || std::str::from_utf8(&decode(value)).is_err() {
            return Some(if name_ok {
                String::from_utf8_lossy(&name_bytes).into_owned()
            } else {
                "query".to_string()
            });
        }
    }
    None
}

/// The client's address when the server knows it: the connection's peer, or — when the peer is
/// one of the `trusted_proxies` — the address it forwarded in `X-Forwarded-For`
/// (`domain::net::client_address`). Never stored as it is (rate limits hash it).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(peer.map(|peer| {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok());
            domain::net::client_address(peer, forwarded, &state.trusted_proxies)
        })))
    }
}

/// `axum::Form` with [`AppError`] rejections: 415 for another content type, 413 over the body
/// limit, 422 naming the field that does not fit. Handlers use this one, never axum's.
pub struct Form<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Form<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let axum::Form(value) = axum::Form::<T>::from_request(req, state).await?;
        Ok(Form(value))
    }
}

/// `axum::extract::Query` with [`AppError`] rejections: 400 naming the parameter.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// `axum::extract::Path` with [`AppError`] rejections: 400 naming the segment (not UTF-8 once
/// percent-decoded, or not of its type).
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
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

#[cfg(test)]
mod tests {
    use super::non_utf8_param;

    #[test]
    fn a_null_origin_passes_only_when_the_browser_says_same_origin() {
        use super::same_origin;
        use axum::http::{HeaderMap, HeaderValue, header};
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h, "http://127.0.0.1:8080", "http"));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, "http://127.0.0.1:8080", "http"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h, "http://127.0.0.1:8080", "http"));
    }

    #[test]
    fn non_utf8_parameters_are_named() {
        assert_eq!(non_utf8_param("q=%FF%FE"), Some("q".into()));
        assert_eq!(non_utf8_param("page=2&q=Kita%FF"), Some("q".into()));
        assert_eq!(non_utf8_param("%FF=1"), Some("query".into()));
        assert_eq!(non_utf8_param("q=M%C3%BCll+Abfuhr&x=%"), None);
        assert_eq!(non_utf8_param("q=%zz%4"), None);
        assert_eq!(non_utf8_param("q=Stra%C3%9Fe&lang=de"), None);
    }
}
