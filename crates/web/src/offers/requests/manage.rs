//! A request's own page, reached by the link in its mails (`/anfrage?token=…`): its state, the
//! provider's words, and the buttons that confirm a guest's address, accept a proposed day or
//! withdraw it; and the account's list of requests (`/konto/anfragen`).

use super::mails::Mails;
use super::{by_token, group, refused, request_path, state_name, state_text, when};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Form, Query, SignedIn};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::offers::requests::RequestState;
use serde::Deserialize;
use store::offers::requests::Request;
use store::offers::requests::changes::Answer;

#[derive(Template)]
#[template(path = "offers/request.html")]
struct Page {
    c: Chrome,
    title: String,
    notice: Option<String>,
    offer_title: String,
    offer_href: String,
    provider: String,
    when: String,
    group: String,
    institution: String,
    message: String,
    state: &'static str,
    text: String,
    note: String,
    token: String,
    can_withdraw: bool,
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    token: String,
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /anfrage?token=…`
pub async fn request_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let r = by_token(&state, &q.token).await?;
    let notice = match q.hinweis.as_deref() {
        Some("gesendet") => Some(ctx.t.get("request-notice-sent")),
        Some("bestaetigt") => Some(ctx.t.get("request-notice-confirmed")),
        Some("geaendert") => Some(ctx.t.get("request-notice-changed")),
        _ => None,
    };
    page(&state, &ctx, r, &q.token, notice).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    token: &str,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let mut res = crate::accounts::render(Page {
        c: crate::layout::chrome(state, ctx, "offers").await?,
        title: t.get("request-page-title"),
        notice,
        offer_href: format!("/angebote/{}", r.offer_slug),
        when: when(&t, &r),
        group: group(&t, &r),
        state: r.state.as_str(),
        text: state_text(&t, &r),
        token: token.to_string(),
        can_withdraw: r.state.can_withdraw(),
        offer_title: r.offer_title,
        provider: r.provider_name,
        institution: r.institution,
        message: r.message,
        note: r.note,
    })?;
    // The token is in the address: it must not travel on with a click.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

fn back(state: &AppState, r: &Request, notice: &str) -> Response {
    Redirect::to(&format!("{}&hinweis={notice}", request_path(state, r))).into_response()
}

/// `POST /anfrage/bestaetigen`: the guest's address is confirmed; the places are held and the
/// provider is told.
pub async fn confirm_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let r = by_token(&state, &f.token).await?;
    let mails = Mails::new(&state, r.provider_id).await?;
    match state
        .db
        .confirm_request(r.id, super::super::today(), &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(r) => Ok(back(&state, &r, "bestaetigt")),
        Err(e) => Err(refused(&ctx.t, e, "token")),
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    answer: String,
}

/// `POST /anfrage/antworten`: `answer=annehmen` accepts the proposed day, `answer=zurueckziehen`
/// withdraws the request.
pub async fn answer_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    let answer = match f.answer.as_str() {
        "annehmen" => Answer::AcceptProposal,
        "zurueckziehen" => Answer::Withdraw,
        _ => return Err(AppError::bad("answer", "error-reason-invalid")),
    };
    let r = by_token(&state, &f.token).await?;
    let mails = Mails::new(&state, r.provider_id).await?;
    match state
        .db
        .answer_request(r.id, answer, &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(r) => Ok(back(&state, &r, "geaendert")),
        Err(e) => Err(refused(&ctx.t, e, "answer")),
    }
}

/// A request as the account's list shows it.
struct Row {
    href: String,
    offer: String,
    when: String,
    state: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "offers/requests_mine.html")]
struct Mine {
    c: Chrome,
    title: String,
    rows: Vec<Row>,
    /// The account's applications to volunteering roles.
    applications: Vec<Row>,
}

/// `GET /konto/anfragen`
pub async fn my_requests(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
) -> PageResult {
    let t = ctx.t;
    let list = state.db.requests_of_user(user.user.id).await?;
    let applications = state.db.applications_of_user(user.user.id).await?;
    crate::accounts::render(Mine {
        c: crate::layout::chrome(&state, &ctx, "account").await?,
        title: t.get("request-mine-title"),
        rows: list
            .iter()
            .map(|r| Row {
                href: request_path(&state, r),
                offer: r.offer_title.clone(),
                when: when(&t, r),
                state: state_name(&t, r.state),
                open: matches!(r.state, RequestState::Proposed),
            })
            .collect(),
        applications: applications
            .iter()
            .map(|a| Row {
                href: format!(
                    "/bewerbung?token={}",
                    crate::offers::volunteering::application_token(&state, a.id, &a.email)
                ),
                offer: a.role_title.clone(),
                when: a.provider_name.clone(),
                state: crate::offers::volunteering::state_name(&t, a.state),
                open: false,
            })
            .collect(),
    })
}

/// The account's requests and applications for its data export (`/konto/daten.json`).
pub(crate) async fn export(
    state: &AppState,
    user_id: i64,
) -> Result<(Vec<serde_json::Value>, Vec<serde_json::Value>), AppError> {
    let at = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    };
    let requests = state
        .db
        .requests_of_user(user_id)
        .await?
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "offer": r.offer_title,
                "provider": r.provider_name,
                "day": r.day.to_string(),
                "starts": r.starts,
                "institution": r.institution,
                "group_size": r.group_size,
                "ages": r.ages,
                "phone": r.phone,
                "message": r.message,
                "state": r.state.as_str(),
                "note": r.note,
                "created_at": at(r.created_at),
            })
        })
        .collect();
    let applications = state
        .db
        .applications_of_user(user_id)
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "role": a.role_title,
                "provider": a.provider_name,
                "phone": a.phone,
                "message": a.message,
                "state": a.state.as_str(),
                "note": a.note,
                "created_at": at(a.created_at),
            })
        })
        .collect();
    Ok((requests, applications))
}
