//! Changing the e-mail address, confirmed on the new address.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Form, Query, SignedIn};
use crate::layout::*;
use crate::session::*;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::accounts::EmailChange;
use time::{Duration, OffsetDateTime};

/// Change requests allowed per account, and per new address, in one [`LOGIN_WINDOW`].
pub const EMAIL_CHANGE_LIMIT: i64 = 5;

/// How long a link to confirm a new address stays valid.
pub const EMAIL_CHANGE_VALID: Duration = Duration::hours(24);

#[derive(Deserialize)]
pub struct ChangeEmailForm {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) password: String,
}

/// Asks for a new address: a link goes to the new address, a notice to the old one.
///
/// Whether the new address already belongs to another account is not revealed here: the answer
/// and the mail to the old address are the same either way. A free address gets the link; an
/// address with an account gets a note instead ("nothing changed"), which only its owner reads.
/// Otherwise any signed-in person could probe which addresses have accounts, which registration
/// and password reset take care to hide. The one unavoidable disclosure is at confirmation: if
/// another account took the address after the link was sent, the person holding that mailbox
/// learns it — they control the address anyway.
pub async fn change_email(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<ChangeEmailForm>,
) -> PageResult {
    let now = OffsetDateTime::now_utc();
    // Before any password work, as for the password change.
    limit(
        &state,
        &format!("email:account:{}", user.user.id),
        EMAIL_CHANGE_LIMIT,
        now,
    )
    .await?;
    let email = domain::accounts::normalise_email(&form.email);
    let problem = if !domain::mail::is_address(&email) {
        Some("email-invalid")
    } else if email == user.user.email {
        Some("account-email-same")
    } else if form.password.chars().count() > domain::accounts::MAX_PASSWORD
        || !password_of(&user, form.password).await
    {
        Some("account-password-wrong")
    } else {
        None
    };
    if let Some(key) = problem {
        let mut res = account_page_with(
            &state,
            &ctx,
            Some(ctx.t.get(key)),
            None,
            form.email.chars().take(254).collect(),
        )
        .await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    // Nobody's mailbox is flooded through other people's accounts either.
    limit(
        &state,
        &format!("email:address:{}", sha256_hex(&email)),
        EMAIL_CHANGE_LIMIT,
        now,
    )
    .await?;
    let label = site_label(&state, &ctx.t).await?;
    let name = &user.user.display_name;
    let notice = crate::mails::build_with(
        &ctx.t,
        crate::mails::Kind::ChangeEmailNotice,
        &label,
        &user.user.email,
        name,
        &state.url("/passwort-vergessen"),
        &email,
    );
    let token = random_token()?;
    let (hash, to_new) = match state.db.user_by_email(&email).await? {
        Some(owner) => (
            None,
            crate::mails::build_with(
                &ctx.t,
                crate::mails::Kind::ChangeEmailTaken,
                &label,
                &email,
                &owner.display_name,
                &state.url("/anmelden"),
                &email,
            ),
        ),
        None => (
            Some(sha256_hex(&token)),
            crate::mails::build_with(
                &ctx.t,
                crate::mails::Kind::ChangeEmail,
                &label,
                &email,
                name,
                &state.url(&format!("/konto/adresse-bestaetigen?token={token}")),
                &email,
            ),
        ),
    };
    state
        .db
        .request_email_change(
            user.user.id,
            &email,
            hash.as_deref(),
            now + EMAIL_CHANGE_VALID,
            &[to_new, notice],
        )
        .await?;
    Ok(Redirect::to("/konto?hinweis=adresse-gesendet").into_response())
}

pub(crate) async fn email_change_page(
    state: &AppState,
    ctx: &Ctx,
    email: String,
    token: String,
    error: Option<String>,
) -> PageResult {
    let mut res = render(ConfirmEmailChangePage {
        c: crate::layout::chrome(state, ctx, "login").await?,
        title: ctx.t.get("email-change-title"),
        email,
        token,
        error,
    })?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// The page the link in the mail opens: the new address and a button (a POST, since mail
/// scanners follow links).
pub async fn confirm_email_change_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let (_, new) = state
        .db
        .check_email_change(&sha256_hex(&q.token), OffsetDateTime::now_utc())
        .await?
        .map_err(token_error)?;
    email_change_page(&state, &ctx, new, q.token, None).await
}

#[derive(Deserialize)]
pub struct ConfirmEmailChangeForm {
    #[serde(default)]
    pub(crate) token: String,
    #[serde(default)]
    pub(crate) password: String,
}

/// Swaps the address. The account's password is asked for as well: a link that reached a
/// mistyped address must not hand the account to whoever owns that mailbox.
pub async fn confirm_email_change(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ConfirmEmailChangeForm>,
) -> PageResult {
    let now = OffsetDateTime::now_utc();
    let hash = sha256_hex(&form.token);
    let (user, new) = state
        .db
        .check_email_change(&hash, now)
        .await?
        .map_err(token_error)?;
    limit(
        &state,
        &format!("email-confirm:account:{}", user.id),
        LOGIN_PER_ACCOUNT,
        now,
    )
    .await?;
    let ok = match user.password_hash.clone() {
        Some(h) if form.password.chars().count() <= domain::accounts::MAX_PASSWORD => {
            verify_password(form.password, h).await
        }
        _ => false,
    };
    if !ok || user.locked {
        let key = if user.locked {
            "login-locked"
        } else {
            "account-password-wrong"
        };
        let mut res =
            email_change_page(&state, &ctx, new, form.token, Some(ctx.t.get(key))).await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    // The session this is sent from stays when it is the person's own; every other one ends.
    let keep = ctx
        .user
        .as_ref()
        .filter(|u| u.user.id == user.id)
        .map(|u| u.session_hash.as_str());
    match state.db.confirm_email_change(&hash, keep, now).await? {
        EmailChange::Changed { .. } if keep.is_some() => {
            Ok(Redirect::to("/konto?hinweis=adresse").into_response())
        }
        EmailChange::Changed { .. } => {
            Ok(Redirect::to("/anmelden?hinweis=adresse").into_response())
        }
        EmailChange::Token(p) => Err(token_error(p)),
        EmailChange::Taken => Err(AppError::bad("email", "email-change-taken")),
    }
}
