//! Applying for a role: `GET /ehrenamt/{slug}/bewerben` (the form: a message, for guests name
//! and address), `POST` (files it; a guest's goes to the provider once the address is
//! confirmed), and the application's own page by the link in its mails (`/bewerbung?token=…`),
//! where a guest confirms the address and anyone withdraws.

use super::{Mails, application_token, by_token};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{ClientAddr, Ctx, Form, Path, Query};
use crate::layout::{Chrome, PageResult};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use domain::offers::volunteering::ApplicationInput;
use serde::Deserialize;
use store::offers::requests::Refusal;
use store::offers::volunteering::Role;
use store::offers::volunteering::applications::{Application, NewApplication};

/// Applications per hour: per address (guests), per account, per client address.
const PER_ADDRESS_HOUR: i64 = 5;
const PER_ACCOUNT_HOUR: i64 = 10;
const PER_CLIENT_HOUR: i64 = 20;

#[derive(Template)]
#[template(path = "offers/role_apply.html")]
struct FormPage {
    c: Chrome,
    title: String,
    role_title: String,
    role_href: String,
    action: String,
    csrf: String,
    person: Option<String>,
    f: ApplyForm,
    errors: Vec<(&'static str, String)>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    message: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

/// The form's token (see `comments::reader_token`).
fn token(state: &AppState, ctx: &Ctx, role_id: i64) -> String {
    crate::comments::reader_token(state, ctx, &format!("volunteer-application:{role_id}"))
}

async fn public(state: &AppState, slug: &str) -> Result<Role, AppError> {
    state.db.public_role(slug).await?.ok_or(AppError::NotFound)
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    r: &Role,
    f: ApplyForm,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let t = ctx.t;
    let bad = !errors.is_empty();
    let mut res = crate::accounts::render(FormPage {
        c: crate::layout::chrome(state, ctx, "offers").await?,
        title: t.get("volunteer-apply-title"),
        role_title: r.input.title.clone(),
        role_href: format!("/ehrenamt/{}", r.slug),
        action: format!("/ehrenamt/{}/bewerben", r.slug),
        csrf: token(state, ctx, r.id),
        person: ctx
            .user
            .as_ref()
            .map(|u| format!("{}, {}", u.user.display_name, u.user.email)),
        f,
        errors,
    })?;
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /ehrenamt/{slug}/bewerben`
pub async fn apply_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let r = public(&state, &slug).await?;
    page(&state, &ctx, &r, ApplyForm::default(), Vec::new()).await
}

/// `POST /ehrenamt/{slug}/bewerben`
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    Form(f): Form<ApplyForm>,
) -> PageResult {
    let t = ctx.t;
    let r = public(&state, &slug).await?;
    if !same_secret(&token(&state, &ctx, r.id), &f.csrf) {
        return Err(AppError::Forbidden);
    }
    if !f.website.is_empty() {
        tracing::info!("application with the hidden field filled in: dropped");
        return crate::accounts::notice(
            &state,
            &ctx,
            "volunteer-confirm-title",
            "volunteer-confirm-text",
        )
        .await;
    }
    let (name, email) = match &ctx.user {
        Some(u) => (u.user.display_name.clone(), u.user.email.clone()),
        None => (f.name.clone(), domain::accounts::normalise_email(&f.email)),
    };
    let input = ApplicationInput {
        name,
        email,
        phone: f.phone.trim().to_string(),
        message: f.message.trim().to_string(),
    };
    if let Err(problems) = input.check() {
        let errors = problems.iter().map(|p| (p.field, t.get(p.key))).collect();
        return page(&state, &ctx, &r, f, errors).await;
    }
    let limits = crate::offers::requests::hourly_limits(
        &state,
        "volunteer-application",
        client,
        ctx.user.as_ref(),
        &input.email,
        (PER_CLIENT_HOUR, PER_ACCOUNT_HOUR, PER_ADDRESS_HOUR),
    );
    let mails = Mails::new(&state, r.provider_id).await?;
    let outcome = state
        .db
        .apply(
            &NewApplication {
                role_id: r.id,
                user_id: ctx.user.as_ref().map(|u| u.user.id),
                input: &input,
                address_confirmed: ctx.user.is_some(),
                lang: t.lang.code(),
                limits: &limits,
            },
            &|a, n| mails.mail(a, n),
        )
        .await?;
    match outcome {
        Ok(a) if ctx.user.is_some() => Ok(Redirect::to(&format!(
            "/bewerbung?token={}&hinweis=gesendet",
            application_token(&state, a.id, &a.email)
        ))
        .into_response()),
        Ok(_) => {
            crate::accounts::notice(
                &state,
                &ctx,
                "volunteer-confirm-title",
                "volunteer-confirm-text",
            )
            .await
        }
        Err(Refusal::Twice) => {
            page(
                &state,
                &ctx,
                &r,
                f,
                vec![("message", t.get("volunteer-twice"))],
            )
            .await
        }
        Err(other) => Err(super::super::requests::refused(&t, other, "message")),
    }
}

#[derive(Template)]
#[template(path = "offers/role_application.html")]
struct AppPage {
    c: Chrome,
    title: String,
    notice: Option<String>,
    role_title: String,
    role_href: String,
    provider: String,
    message: String,
    state: &'static str,
    text: String,
    note: String,
    token: String,
    can_withdraw: bool,
}

#[derive(Deserialize)]
pub struct AppQuery {
    #[serde(default)]
    token: String,
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /bewerbung?token=…`
pub async fn application_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AppQuery>,
) -> PageResult {
    let a = by_token(&state, &q.token).await?;
    let t = ctx.t;
    let notice = match q.hinweis.as_deref() {
        Some("gesendet") => Some(t.get("volunteer-notice-sent")),
        Some("bestaetigt") => Some(t.get("volunteer-notice-confirmed")),
        Some("zurueckgezogen") => Some(t.get("volunteer-notice-withdrawn")),
        _ => None,
    };
    let mut res = crate::accounts::render(AppPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: t.get("volunteer-application-title"),
        notice,
        role_href: format!("/ehrenamt/{}", a.role_slug),
        state: a.state.as_str(),
        text: t.get(&format!("volunteer-state-{}", a.state.as_str())),
        token: q.token.clone(),
        can_withdraw: matches!(
            a.state,
            domain::offers::requests::RequestState::Unconfirmed
                | domain::offers::requests::RequestState::Open
                | domain::offers::requests::RequestState::Accepted
        ),
        role_title: a.role_title,
        provider: a.provider_name,
        message: a.message,
        note: a.note,
    })?;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

fn back(state: &AppState, a: &Application, notice: &str) -> axum::response::Response {
    Redirect::to(&format!(
        "/bewerbung?token={}&hinweis={notice}",
        application_token(state, a.id, &a.email)
    ))
    .into_response()
}

/// `POST /bewerbung/bestaetigen`
pub async fn confirm_application(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let a = by_token(&state, &f.token).await?;
    let mails = Mails::new(&state, a.provider_id).await?;
    match state
        .db
        .confirm_application(a.id, &|a, n| mails.mail(a, n))
        .await?
    {
        Ok(a) => Ok(back(&state, &a, "bestaetigt")),
        Err(e) => Err(super::super::requests::refused(&ctx.t, e, "token")),
    }
}

/// `POST /bewerbung/zurueckziehen`
pub async fn withdraw_application(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let a = by_token(&state, &f.token).await?;
    let mails = Mails::new(&state, a.provider_id).await?;
    match state
        .db
        .withdraw_application(a.id, &|a, n| mails.mail(a, n))
        .await?
    {
        Ok(a) => Ok(back(&state, &a, "zurueckgezogen")),
        Err(e) => Err(super::super::requests::refused(&ctx.t, e, "token")),
    }
}
