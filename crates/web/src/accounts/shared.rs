//! Helpers of the account flows: rendering, rate limits, notices, one-time tokens.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::error::AppError;
use crate::extract::Ctx;
use crate::layout::*;
use crate::session::*;
use askama::Template;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use store::accounts::{TokenProblem, TokenPurpose};
use time::OffsetDateTime;

pub(crate) async fn site(state: &AppState) -> Result<String, AppError> {
    Ok(state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default())
}

pub(crate) fn render(t: impl Template) -> PageResult {
    let mut res = Html(t.render()?).into_response();
    // Pages with a person's data or a form token are never stored by browsers or proxies.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub(crate) token: String,
}

pub(crate) const PASSWORD_TOKENS: [TokenPurpose; 2] =
    [TokenPurpose::SetPassword, TokenPurpose::ResetPassword];

pub(crate) fn token_error(p: TokenProblem) -> AppError {
    let reason = match p {
        TokenProblem::Unknown => "token-unknown",
        TokenProblem::Used => "token-used",
        TokenProblem::Expired => "token-expired",
    };
    AppError::bad("token", reason)
}

/// Counts a hit in a bucket and refuses once `max` is passed within [`LOGIN_WINDOW`].
pub(crate) async fn limit(
    state: &AppState,
    bucket: &str,
    max: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let (hits, until) = state.db.hit_rate_limit(bucket, now, LOGIN_WINDOW).await?;
    if hits > max {
        return Err(AppError::TooManyRequests(
            (until - now).whole_seconds().max(1) as u64,
        ));
    }
    Ok(())
}

/// "Digitalisierungsradar Musterstadt": how mails name the site.
pub(crate) async fn site_label(state: &AppState, t: &crate::i18n::Tr) -> Result<String, AppError> {
    let city = site(state).await?;
    Ok(format!("{} {city}", t.get("site-name")).trim().to_string())
}

pub(crate) async fn notice(state: &AppState, ctx: &Ctx, title: &str, text: &str) -> PageResult {
    render(NoticePage {
        c: crate::layout::chrome(state, ctx, "").await?,
        title: ctx.t.get(title),
        text: ctx.t.get(text),
    })
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub(crate) token: String,
}

/// Whether `password` is the signed-in person's current password.
pub(crate) async fn password_of(user: &store::accounts::SessionUser, password: String) -> bool {
    match user.user.password_hash.clone() {
        Some(h) => verify_password(password, h).await,
        None => false,
    }
}
