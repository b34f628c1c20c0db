//! Reporting an idea (`/ideen/{id}/melden`): a reason and an optional note for the moderation;
//! signed-in people once per account, guests once per client address. At the threshold of the
//! comments (setting, default 3) the idea is hidden until reviewed.

use crate::AppState;
use crate::comments::{
    REPORTS_PER_ACCOUNT_HOUR, REPORTS_PER_CLIENT_HOUR, form_token, report_threshold,
};
use crate::error::AppError;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, Path, SignedIn};
use crate::layout::{Chrome, PageResult};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use domain::comments::ReportReason;
use serde::Deserialize;
use store::comments::Limit;
use store::ideas::{Idea, IdeaRefusal, NewIdeaReport};

#[derive(Deserialize)]
pub struct IdeaReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "ideas/report.html")]
struct ReportPage {
    c: Chrome,
    title: String,
    id: i64,
    idea_title: String,
    errors: Vec<String>,
    action: String,
    token: String,
    reasons: Vec<(&'static str, String, bool)>,
    note: String,
}

/// An idea that can be reported: shown in the lists.
async fn reportable(state: &AppState, id: i64) -> Result<Idea, AppError> {
    state
        .db
        .idea(id)
        .await?
        .filter(|i| !i.hidden)
        .ok_or(AppError::NotFound)
}

/// The token of the guests' report form of idea `id`.
fn guest_token(state: &AppState, id: i64) -> String {
    form_token(state, &format!("idea-report:{id}"))
}

async fn report_page(
    state: &AppState,
    ctx: &Ctx,
    idea: &Idea,
    form: Option<&IdeaReportForm>,
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (action, token) = match &ctx.user {
        Some(u) => (format!("/ideen/{}/melden", idea.id), u.csrf_token.clone()),
        None => (
            format!("/ideen/{}/melden/gast", idea.id),
            guest_token(state, idea.id),
        ),
    };
    let chosen = form.map(|f| f.reason.as_str()).unwrap_or("");
    let mut res = crate::accounts::render(ReportPage {
        c: crate::layout::chrome(state, ctx, "ideas").await?,
        title: t.get("idea-report-title"),
        id: idea.id,
        idea_title: idea.title.clone(),
        errors,
        action,
        token,
        reasons: ReportReason::ALL
            .into_iter()
            .map(|r| {
                (
                    r.as_str(),
                    t.get(&format!("report-reason-{}", r.as_str())),
                    r.as_str() == chosen,
                )
            })
            .collect(),
        note: form
            .map(|f| f.note.chars().take(600).collect())
            .unwrap_or_default(),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /ideen/{id}/melden`: the report form (for guests with the guests' token).
pub async fn report_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ctx: Ctx,
) -> PageResult {
    let idea = reportable(&state, id).await?;
    report_page(&state, &ctx, &idea, None, vec![]).await
}

/// Checks and stores a report by `reporter`.
async fn submit(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    reporter: &str,
    user_id: Option<i64>,
    limits: Vec<Limit>,
    form: &IdeaReportForm,
) -> PageResult {
    let idea = reportable(state, id).await?;
    let t = ctx.t;
    let mut errors = Vec::new();
    let reason = ReportReason::parse(&form.reason);
    if reason.is_none() {
        errors.push(t.get("report-no-reason"));
    }
    let note = domain::comments::check_note(&form.note, false);
    if note.is_none() {
        errors.push(t.get("report-note-too-long"));
    }
    let (Some(reason), Some(note), true) = (reason, note, errors.is_empty()) else {
        return report_page(state, ctx, &idea, Some(form), errors).await;
    };
    let outcome = state
        .db
        .report_idea(&NewIdeaReport {
            idea_id: id,
            reporter,
            user_id,
            reason,
            note: &note,
            threshold: report_threshold(state).await?,
            limits: &limits,
        })
        .await?;
    match outcome {
        Ok(_) => {
            crate::accounts::notice(state, ctx, "report-sent-title", "idea-report-sent-text").await
        }
        Err(IdeaRefusal::Own) => {
            let errors = vec![t.get("idea-report-own")];
            report_page(state, ctx, &idea, Some(form), errors).await
        }
        Err(r) => Err(super::page::refusal(&t, r)),
    }
}

/// `POST /ideen/{id}/melden`: a signed-in person's report.
pub async fn report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<IdeaReportForm>,
) -> PageResult {
    let client = crate::accounts::client_key(&state, client);
    let limits = vec![
        Limit {
            bucket: format!("report:account:{}", user.user.id),
            max: REPORTS_PER_ACCOUNT_HOUR,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("report:client:{client}"),
            max: REPORTS_PER_CLIENT_HOUR,
            window: time::Duration::hours(1),
        },
    ];
    let reporter = format!("user:{}", user.user.id);
    submit(
        &state,
        &ctx,
        id,
        &reporter,
        Some(user.user.id),
        limits,
        &form,
    )
    .await
}

/// `POST /ideen/{id}/melden/gast`: a report without an account, one per client address.
pub async fn report_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<IdeaReportForm>,
) -> PageResult {
    if !same_secret(&guest_token(&state, id), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let client = crate::accounts::client_key(&state, client);
    let limits = vec![Limit {
        bucket: format!("report:client:{client}"),
        max: REPORTS_PER_CLIENT_HOUR,
        window: time::Duration::hours(1),
    }];
    let reporter = format!("client:{client}");
    submit(&state, &ctx, id, &reporter, None, limits, &form).await
}
