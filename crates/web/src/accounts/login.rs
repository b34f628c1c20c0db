//! Login and logout.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::error::AppError;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, NoFields, Query, SignedIn};
use crate::layout::*;
use crate::session::*;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// Failed logins to one account from one client address in one window; then that client is
/// refused for that account (others are not).
pub const LOGIN_PER_ACCOUNT: i64 = 10;

/// Login attempts (any account, failed or not) from one client address in one window.
pub const LOGIN_PER_CLIENT: i64 = 50;

/// Failed logins to one account from all clients in one window above which every client that
/// has failed on it at least once is refused for it; clients that have not failed still get in.
pub const LOGIN_ACCOUNT_ALARM: i64 = 100;

pub const LOGIN_WINDOW: Duration = Duration::minutes(15);

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    pub(crate) hinweis: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> PageResult {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/konto").into_response());
    }
    let notice = match q.hinweis.as_deref() {
        Some("passwort") => Some(ctx.t.get("login-password-set")),
        Some("abgemeldet") => Some(ctx.t.get("account-logged-out")),
        Some("bestaetigt") => Some(ctx.t.get("login-confirmed")),
        Some("adresse") => Some(ctx.t.get("login-email-changed")),
        _ => None,
    };
    render(LoginPage {
        c: crate::layout::chrome(&state, &ctx, "login").await?,
        title: ctx.t.get("login-title"),
        email: String::new(),
        error: None,
        notice,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) password: String,
}

/// A pseudonym for the client address: hashed with a secret, never stored in the clear.
pub(crate) fn client_key(state: &AppState, peer: Option<std::net::IpAddr>) -> String {
    let ip = peer
        .map(|p| p.to_string())
        .unwrap_or_else(|| "unknown".into());
    sha256_hex(&format!("{}|{ip}", state.pepper))
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(peer): ClientAddr,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let email = domain::accounts::normalise_email(&form.email);
    let now = OffsetDateTime::now_utc();
    // Rate limits first, before any password work (see README, "Rate limits"). Every attempt
    // counts for the client; only failures count for the account, per client and in total, so
    // nobody can lock a person out of their account by guessing from elsewhere.
    let client = client_key(&state, peer);
    let account = sha256_hex(&email);
    limit(
        &state,
        &format!("login:client:{client}"),
        LOGIN_PER_CLIENT,
        now,
    )
    .await?;
    let pair_bucket = format!("login:failed:{account}:{client}");
    let account_bucket = format!("login:failed:{account}");
    let (pair, until_p) = state
        .db
        .rate_limit_hits(&pair_bucket, now, LOGIN_WINDOW)
        .await?;
    let (total, until_a) = state
        .db
        .rate_limit_hits(&account_bucket, now, LOGIN_WINDOW)
        .await?;
    if pair >= LOGIN_PER_ACCOUNT || (pair > 0 && total >= LOGIN_ACCOUNT_ALARM) {
        let until = if pair >= LOGIN_PER_ACCOUNT {
            until_p
        } else {
            until_p.min(until_a)
        };
        return Err(AppError::TooManyRequests(
            (until - now).whole_seconds().max(1) as u64,
        ));
    }
    let user = if form.password.chars().count() > domain::accounts::MAX_PASSWORD {
        None
    } else {
        state.db.user_by_email(&email).await?
    };
    let ok = match user.as_ref().and_then(|u| u.password_hash.clone()) {
        Some(hash) => verify_password(form.password.clone(), hash).await,
        None => {
            // Spend the same time as a real check so answers do not reveal which addresses exist.
            let _ = verify_password(form.password.clone(), state.dummy_hash.to_string()).await;
            false
        }
    };
    let user = match (ok, user) {
        (true, Some(u)) if !u.locked && u.email_confirmed_at.is_none() => {
            return login_failed(&state, &ctx, &email, "login-unconfirmed").await;
        }
        (true, Some(u)) if !u.locked => u,
        (true, Some(_)) => return login_failed(&state, &ctx, &email, "login-locked").await,
        _ => {
            for bucket in [&pair_bucket, &account_bucket] {
                state.db.hit_rate_limit(bucket, now, LOGIN_WINDOW).await?;
            }
            return login_failed(&state, &ctx, &email, "login-failed").await;
        }
    };
    // A new session id at every login (no fixation); the old one, if any, ends.
    if let Some(old) = &ctx.user {
        state.db.delete_session(&old.session_hash).await?;
    }
    let token = random_token()?;
    let csrf = random_token()?;
    state
        .db
        .create_session(
            user.id,
            &sha256_hex(&token),
            &csrf,
            now + Duration::days(crate::session::SESSION_DAYS),
        )
        .await?;
    let mut res = Redirect::to("/konto").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&token, state.secure_cookies),
    );
    Ok(res)
}

pub(crate) async fn login_failed(
    state: &AppState,
    ctx: &Ctx,
    email: &str,
    key: &str,
) -> PageResult {
    let mut res = render(LoginPage {
        c: crate::layout::chrome(state, ctx, "login").await?,
        title: ctx.t.get("login-title"),
        email: email.to_string(),
        error: Some(ctx.t.get(key)),
        notice: None,
    })?;
    *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    Ok(res)
}

pub async fn logout(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    state.db.delete_session(&user.session_hash).await?;
    state.cache.sessions.forget(&user.session_hash);
    let mut res = Redirect::to("/anmelden?hinweis=abgemeldet").into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

pub async fn logout_everywhere(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    state.db.delete_sessions_of(user.user.id).await?;
    state.cache.sessions.forget_person(user.user.id);
    let mut res = Redirect::to("/anmelden?hinweis=abgemeldet").into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}
