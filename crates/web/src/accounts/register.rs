//! Registration and the confirmation of the address.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::extract::{ClientAddr, Ctx, Form, Query};
use crate::layout::*;
use crate::session::*;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::accounts::{TokenProblem, TokenPurpose};
use time::{Duration, OffsetDateTime};

/// Registration attempts from one client address in one window.
pub const REGISTER_PER_CLIENT: i64 = 20;

/// Registrations (and the mails they send) for one address in one window.
pub const REGISTER_PER_ADDRESS: i64 = 5;

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) password2: String,
}

pub async fn register_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/konto").into_response());
    }
    render(RegisterPage {
        c: crate::layout::chrome(&state, &ctx, "register").await?,
        title: ctx.t.get("register-title"),
        name: String::new(),
        email: String::new(),
        errors: vec![],
    })
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(peer): ClientAddr,
    Form(form): Form<RegisterForm>,
) -> PageResult {
    let now = OffsetDateTime::now_utc();
    limit(
        &state,
        &format!("register:client:{}", client_key(&state, peer)),
        REGISTER_PER_CLIENT,
        now,
    )
    .await?;
    let email = domain::accounts::normalise_email(&form.email);
    let mut errors = Vec::new();
    let name = match domain::accounts::check_display_name(&form.name) {
        Ok(n) => n,
        Err(k) => {
            errors.push(ctx.t.get(k));
            String::new()
        }
    };
    if !domain::mail::is_address(&email) {
        errors.push(ctx.t.get("email-invalid"));
    }
    if form.password != form.password2 {
        errors.push(ctx.t.get("set-password-mismatch"));
    } else if let Err(k) = domain::accounts::check_password(&form.password, &email) {
        errors.push(ctx.t.get(k));
    }
    if !errors.is_empty() {
        let mut res = render(RegisterPage {
            c: crate::layout::chrome(&state, &ctx, "register").await?,
            title: ctx.t.get("register-title"),
            name: form.name.chars().take(60).collect(),
            email: form.email.chars().take(254).collect(),
            errors,
        })?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    limit(
        &state,
        &format!("register:account:{}", sha256_hex(&email)),
        REGISTER_PER_ADDRESS,
        now,
    )
    .await?;
    let label = site_label(&state, &ctx.t).await?;
    let token = random_token()?;
    match state.db.user_by_email(&email).await? {
        // Same answer either way: whether an address has an account stays private. The owner
        // gets a note with a reset link instead.
        Some(existing) => {
            state
                .db
                .token_with_mail(
                    existing.id,
                    TokenPurpose::ResetPassword,
                    &sha256_hex(&token),
                    now + Duration::hours(2),
                    &crate::mails::build(
                        &ctx.t,
                        crate::mails::Kind::AlreadyRegistered,
                        &label,
                        &email,
                        &existing.display_name,
                        &state.url(&format!("/konto/passwort-setzen?token={token}")),
                    ),
                )
                .await?;
        }
        None => {
            let hash = hash_password(form.password).await?;
            let mail = crate::mails::build(
                &ctx.t,
                crate::mails::Kind::ConfirmEmail,
                &label,
                &email,
                &name,
                &state.url(&format!("/konto/bestaetigen?token={token}")),
            );
            state
                .db
                .register_user(
                    &email,
                    &name,
                    &hash,
                    &sha256_hex(&token),
                    now + Duration::hours(48),
                    &mail,
                )
                .await?;
        }
    }
    notice(&state, &ctx, "register-sent-title", "register-sent-text").await
}

pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let user = state
        .db
        .check_token(
            &sha256_hex(&q.token),
            &[TokenPurpose::ConfirmEmail],
            OffsetDateTime::now_utc(),
        )
        .await?
        .map_err(token_error)?;
    // Confirmation is a button (POST): mail scanners that follow links must not confirm.
    let mut res = render(ConfirmPage {
        c: crate::layout::chrome(&state, &ctx, "login").await?,
        title: ctx.t.get("confirm-title"),
        email: user.email,
        token: q.token,
    })?;
    // The token is in this page's URL: it must not go out in a `Referer`.
    res.headers_mut().insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

pub async fn confirm(State(state): State<AppState>, Form(form): Form<TokenForm>) -> PageResult {
    let now = OffsetDateTime::now_utc();
    let hash = sha256_hex(&form.token);
    match state.db.confirm_email(&hash, now).await? {
        Some(_) => Ok(Redirect::to("/anmelden?hinweis=bestaetigt").into_response()),
        None => Err(token_error(
            state
                .db
                .check_token(&hash, &[TokenPurpose::ConfirmEmail], now)
                .await?
                .err()
                .unwrap_or(TokenProblem::Used),
        )),
    }
}
