//! Signing in and out, setting a password from a one-time link, the account page.

use crate::AppState;
use crate::error::AppError;
use crate::session::{
    ClientAddr, Ctx, clear_cookie, hash_password, random_token, same_origin, session_cookie,
    sha256_hex, verify_password,
};
use crate::views::{AccountPage, LoginPage, SetPasswordPage};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::accounts::{TokenProblem, TokenPurpose};
use time::{Duration, OffsetDateTime};

/// Login attempts allowed per account and per client address in one window.
pub const LOGIN_PER_ACCOUNT: i64 = 10;
pub const LOGIN_PER_CLIENT: i64 = 50;
pub const LOGIN_WINDOW: Duration = Duration::minutes(15);

type PageResult = Result<Response, AppError>;

async fn site(state: &AppState) -> Result<String, AppError> {
    Ok(state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default())
}

fn render(t: impl Template) -> PageResult {
    let mut res = Html(t.render()?).into_response();
    // Pages with a person's data or a form token are never stored by browsers or proxies.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    hinweis: Option<String>,
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
        _ => None,
    };
    render(LoginPage {
        c: crate::views::Chrome::for_ctx(&ctx, &site(&state).await?, "login"),
        title: ctx.t.get("login-title"),
        email: String::new(),
        error: None,
        notice,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// A pseudonym for the client address: hashed with a secret, never stored in the clear.
fn client_key(state: &AppState, peer: Option<std::net::IpAddr>) -> String {
    let ip = peer
        .map(|p| p.to_string())
        .unwrap_or_else(|| "unknown".into());
    sha256_hex(&format!("{}|{ip}", state.pepper))
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ClientAddr(peer): ClientAddr,
    Form(form): Form<LoginForm>,
) -> PageResult {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden);
    }
    let email = domain::accounts::normalise_email(&form.email);
    let now = OffsetDateTime::now_utc();
    // Rate limits first, before any password work: by account and by client address.
    let (by_client, until_c) = state
        .db
        .hit_rate_limit(
            &format!("login:client:{}", client_key(&state, peer)),
            now,
            LOGIN_WINDOW,
        )
        .await?;
    let (by_account, until_a) = state
        .db
        .hit_rate_limit(
            &format!("login:account:{}", sha256_hex(&email)),
            now,
            LOGIN_WINDOW,
        )
        .await?;
    if by_client > LOGIN_PER_CLIENT || by_account > LOGIN_PER_ACCOUNT {
        let until = if by_account > LOGIN_PER_ACCOUNT {
            until_a
        } else {
            until_c
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
        (true, Some(u)) if !u.locked => u,
        (true, Some(_)) => return login_failed(&state, &ctx, &email, "login-locked").await,
        _ => return login_failed(&state, &ctx, &email, "login-failed").await,
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

async fn login_failed(state: &AppState, ctx: &Ctx, email: &str, key: &str) -> PageResult {
    let mut res = render(LoginPage {
        c: crate::views::Chrome::for_ctx(ctx, &site(state).await?, "login"),
        title: ctx.t.get("login-title"),
        email: email.to_string(),
        error: Some(ctx.t.get(key)),
        notice: None,
    })?;
    *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    Ok(res)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    let user = ctx.check_csrf(&form.csrf)?;
    state.db.delete_session(&user.session_hash).await?;
    let mut res = Redirect::to("/anmelden?hinweis=abgemeldet").into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

pub async fn logout_everywhere(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    let user = ctx.check_csrf(&form.csrf)?;
    state.db.delete_sessions_of(user.user.id).await?;
    let mut res = Redirect::to("/anmelden?hinweis=abgemeldet").into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

pub async fn account(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let user = ctx.require_user()?;
    render(AccountPage {
        c: crate::views::Chrome::for_ctx(&ctx, &site(&state).await?, "account"),
        title: ctx.t.get("account-title"),
        name: user.user.display_name.clone(),
        email: user.user.email.clone(),
        roles: user
            .roles
            .iter()
            .map(|r| ctx.t.get(&format!("role-{}", r.as_str())))
            .collect(),
        csrf: user.csrf_token.clone(),
    })
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

const PASSWORD_TOKENS: [TokenPurpose; 2] = [TokenPurpose::SetPassword, TokenPurpose::ResetPassword];

fn token_error(p: TokenProblem) -> AppError {
    let reason = match p {
        TokenProblem::Unknown => "token-unknown",
        TokenProblem::Used => "token-used",
        TokenProblem::Expired => "token-expired",
    };
    AppError::bad("token", reason)
}

pub async fn set_password_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let user = state
        .db
        .check_token(
            &sha256_hex(&q.token),
            &PASSWORD_TOKENS,
            OffsetDateTime::now_utc(),
        )
        .await?
        .map_err(token_error)?;
    let mut res = render(SetPasswordPage {
        c: crate::views::Chrome::for_ctx(&ctx, &site(&state).await?, "login"),
        title: ctx.t.get("set-password-title"),
        email: user.email,
        token: q.token,
        error: None,
    })?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct SetPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<SetPasswordForm>,
) -> PageResult {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden);
    }
    let now = OffsetDateTime::now_utc();
    let token_hash = sha256_hex(&form.token);
    let user = state
        .db
        .check_token(&token_hash, &PASSWORD_TOKENS, now)
        .await?
        .map_err(token_error)?;
    let problem = if form.password != form.password2 {
        Some("set-password-mismatch")
    } else {
        domain::accounts::check_password(&form.password, &user.email).err()
    };
    if let Some(key) = problem {
        let mut res = render(SetPasswordPage {
            c: crate::views::Chrome::for_ctx(&ctx, &site(&state).await?, "login"),
            title: ctx.t.get("set-password-title"),
            email: user.email,
            token: form.token,
            error: Some(ctx.t.get(key)),
        })?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let hash = hash_password(form.password).await?;
    if !state
        .db
        .set_password_with_token(&token_hash, &hash, now)
        .await?
    {
        return Err(token_error(TokenProblem::Used));
    }
    Ok(Redirect::to("/anmelden?hinweis=passwort").into_response())
}
