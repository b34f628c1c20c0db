//! Signing in and out, setting a password from a one-time link, the account page.

use crate::AppState;
use crate::error::AppError;
use crate::session::{
    ClientAddr, Ctx, clear_cookie, hash_password, random_token, session_cookie, sha256_hex,
    verify_password,
};
use crate::views::{
    AccountPage, ConfirmEmailChangePage, ConfirmPage, ForgotPage, LoginPage, NoticePage,
    RegisterPage, SetPasswordPage,
};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::accounts::{EmailChange, TokenProblem, TokenPurpose};
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
        Some("bestaetigt") => Some(ctx.t.get("login-confirmed")),
        Some("adresse") => Some(ctx.t.get("login-email-changed")),
        _ => None,
    };
    render(LoginPage {
        c: crate::branding::chrome(&state, &ctx, "login").await?,
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
    ClientAddr(peer): ClientAddr,
    Form(form): Form<LoginForm>,
) -> PageResult {
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
        (true, Some(u)) if !u.locked && u.email_confirmed_at.is_none() => {
            return login_failed(&state, &ctx, &email, "login-unconfirmed").await;
        }
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
        c: crate::branding::chrome(state, ctx, "login").await?,
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

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AccountQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("passwort") => Some(ctx.t.get("account-password-changed")),
        Some("adresse-gesendet") => Some(ctx.t.get("account-email-sent")),
        Some("adresse") => Some(ctx.t.get("account-email-changed")),
        _ => None,
    };
    account_page(&state, &ctx, None, notice).await
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<String>,
) -> PageResult {
    account_page_with(state, ctx, error, notice, String::new()).await
}

async fn account_page_with(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<String>,
    new_email: String,
) -> PageResult {
    let user = ctx.require_user()?;
    render(AccountPage {
        c: crate::branding::chrome(state, ctx, "account").await?,
        title: ctx.t.get("account-title"),
        name: user.user.display_name.clone(),
        email: user.user.email.clone(),
        roles: user
            .roles
            .iter()
            .map(|r| ctx.t.get(&format!("role-{}", r.as_str())))
            .collect(),
        csrf: user.csrf_token.clone(),
        error,
        notice,
        new_email,
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
        c: crate::branding::chrome(&state, &ctx, "login").await?,
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
            c: crate::branding::chrome(&state, &ctx, "login").await?,
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

/// Counts a hit in a bucket and refuses once `max` is passed within [`LOGIN_WINDOW`].
async fn limit(
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
async fn site_label(state: &AppState, t: &crate::i18n::Tr) -> Result<String, AppError> {
    let city = site(state).await?;
    Ok(format!("{} {city}", t.get("site-name")).trim().to_string())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn register_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/konto").into_response());
    }
    render(RegisterPage {
        c: crate::branding::chrome(&state, &ctx, "register").await?,
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
        20,
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
            c: crate::branding::chrome(&state, &ctx, "register").await?,
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
        5,
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

async fn notice(state: &AppState, ctx: &Ctx, title: &str, text: &str) -> PageResult {
    render(NoticePage {
        c: crate::branding::chrome(state, ctx, "").await?,
        title: ctx.t.get(title),
        text: ctx.t.get(text),
    })
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
    render(ConfirmPage {
        c: crate::branding::chrome(&state, &ctx, "login").await?,
        title: ctx.t.get("confirm-title"),
        email: user.email,
        token: q.token,
    })
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
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

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    render(ForgotPage {
        c: crate::branding::chrome(&state, &ctx, "login").await?,
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
            c: crate::branding::chrome(&state, &ctx, "login").await?,
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

/// Whether `password` is the signed-in person's current password.
async fn password_of(user: &store::accounts::SessionUser, password: String) -> bool {
    match user.user.password_hash.clone() {
        Some(h) => verify_password(password, h).await,
        None => false,
    }
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ChangePasswordForm>,
) -> PageResult {
    let user = ctx.check_csrf(&form.csrf)?;
    let now = OffsetDateTime::now_utc();
    limit(
        &state,
        &format!("password:account:{}", user.user.id),
        LOGIN_PER_ACCOUNT,
        now,
    )
    .await?;
    let current_ok = password_of(user, form.current.clone()).await;
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

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

pub async fn delete_account(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DeleteForm>,
) -> PageResult {
    let user = ctx.check_csrf(&form.csrf)?;
    let ok = password_of(user, form.password).await;
    if !ok {
        let mut res = account_page(
            &state,
            &ctx,
            Some(ctx.t.get("account-password-wrong")),
            None,
        )
        .await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    state.db.delete_account(user.user.id).await?;
    let anonymous = Ctx {
        t: ctx.t,
        uri: ctx.uri.clone(),
        user: None,
    };
    let mut res = notice(
        &state,
        &anonymous,
        "account-deleted-title",
        "account-deleted-text",
    )
    .await?;
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

/// Everything held about the signed-in person, as a JSON download.
pub async fn export(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let user = ctx.require_user()?;
    let fmt = |t: Option<OffsetDateTime>| {
        t.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    let body = serde_json::json!({
        "account": {
            "email": user.user.email,
            "display_name": user.user.display_name,
            "roles": user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "created_at": fmt(Some(user.user.created_at)),
            "email_confirmed_at": fmt(user.user.email_confirmed_at),
        },
        "exported_at": fmt(Some(OffsetDateTime::now_utc())),
        "site": state.base_url.as_ref(),
    });
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"meine-daten.json\""),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// Change requests allowed per account, and per new address, in one [`LOGIN_WINDOW`].
pub const EMAIL_CHANGE_LIMIT: i64 = 5;
/// How long a link to confirm a new address stays valid.
pub const EMAIL_CHANGE_VALID: Duration = Duration::hours(24);

#[derive(Deserialize)]
pub struct ChangeEmailForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
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
    ctx: Ctx,
    Form(form): Form<ChangeEmailForm>,
) -> PageResult {
    let user = ctx.check_csrf(&form.csrf)?;
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
        || !password_of(user, form.password).await
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

async fn email_change_page(
    state: &AppState,
    ctx: &Ctx,
    email: String,
    token: String,
    error: Option<String>,
) -> PageResult {
    let mut res = render(ConfirmEmailChangePage {
        c: crate::branding::chrome(state, ctx, "login").await?,
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
    token: String,
    #[serde(default)]
    password: String,
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
