//! Setting, resetting and changing a password.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, Query, SignedIn};
use crate::layout::*;
use crate::session::*;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::accounts::{TokenProblem, TokenPurpose};
use time::{Duration, OffsetDateTime};

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
        c: crate::layout::chrome(&state, &ctx, "login").await?,
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
    pub(crate) token: String,
    #[serde(default)]
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) password2: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SetPasswordForm>,
) -> PageResult {
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
            c: crate::layout::chrome(&state, &ctx, "login").await?,
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

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub(crate) email: String,
}

pub async fn forgot_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    render(ForgotPage {
        c: crate::layout::chrome(&state, &ctx, "login").await?,
        title: ctx.t.get("forgot-title"),
        error: None,
        email: String::new(),
    })
}

pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(peer): ClientAddr,
    Form(form): Form<ForgotForm>,
) -> PageResult {
    let now = OffsetDateTime::now_utc();
    let email = domain::accounts::normalise_email(&form.email);
    if !domain::mail::is_address(&email) {
        let mut res = render(ForgotPage {
            c: crate::layout::chrome(&state, &ctx, "login").await?,
            title: ctx.t.get("forgot-title"),
            error: Some(ctx.t.get("email-invalid")),
            email: form.email.chars().take(254).collect(),
        })?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    limit(
        &state,
        &format!("reset:client:{}", client_key(&state, peer)),
        LOGIN_PER_CLIENT,
        now,
    )
    .await?;
    limit(
        &state,
        &format!("reset:account:{}", sha256_hex(&email)),
        5,
        now,
    )
    .await?;
    if let Some(user) = state.db.user_by_email(&email).await?
        && !user.locked
    {
        let token = random_token()?;
        let mail = crate::mails::build(
            &ctx.t,
            crate::mails::Kind::ResetPassword,
            &site_label(&state, &ctx.t).await?,
            &email,
            &user.display_name,
            &state.url(&format!("/konto/passwort-setzen?token={token}")),
        );
        state
            .db
            .token_with_mail(
                user.id,
                TokenPurpose::ResetPassword,
                &sha256_hex(&token),
                now + Duration::hours(2),
                &mail,
            )
            .await?;
    }
    notice(&state, &ctx, "register-sent-title", "forgot-sent-text").await
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    pub(crate) current: String,
    #[serde(default)]
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) password2: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<ChangePasswordForm>,
) -> PageResult {
    let now = OffsetDateTime::now_utc();
    limit(
        &state,
        &format!("password:account:{}", user.user.id),
        LOGIN_PER_ACCOUNT,
        now,
    )
    .await?;
    let current_ok = password_of(&user, form.current.clone()).await;
    let problem = if !current_ok {
        Some("account-password-wrong")
    } else if form.password != form.password2 {
        Some("set-password-mismatch")
    } else {
        domain::accounts::check_password(&form.password, &user.user.email).err()
    };
    if let Some(key) = problem {
        let mut res = account_page(&state, &ctx, Some(ctx.t.get(key)), None).await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let hash = hash_password(form.password).await?;
    state
        .db
        .change_password(user.user.id, &hash, &user.session_hash)
        .await?;
    Ok(Redirect::to("/konto?hinweis=passwort").into_response())
}
