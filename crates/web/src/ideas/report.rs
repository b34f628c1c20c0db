//! Reporting an idea (`/ideen/{id}/melden`): a reason and an optional note for the moderation;
//! signed-in people once per account, guests once per client address. At the threshold of the
//! comments (setting, default 3) the idea is hidden until reviewed.

use crate::AppState;
use crate::comments::{
    ReportForm, Reporter, checked_report, form_token, report_threshold, reporter,
};
use crate::error::AppError;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, Path, SignedIn};
use crate::layout::{Chrome, PageResult};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use domain::comments::ReportReason;
use store::ideas::{Idea, IdeaRefusal, NewIdeaReport};

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
    form: Option<&ReportForm>,
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

/// Checks and stores a report by `who`.
async fn submit(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    who: Reporter,
    form: &ReportForm,
) -> PageResult {
    let idea = reportable(state, id).await?;
    let t = ctx.t;
    let (reason, note) = match checked_report(&t, form) {
        Ok(checked) => checked,
        Err(errors) => return report_page(state, ctx, &idea, Some(form), errors).await,
    };
    let outcome = state
        .db
        .report_idea(&NewIdeaReport {
            idea_id: id,
            reporter: &who.key,
            user_id: who.user_id,
            reason,
            note: &note,
            threshold: report_threshold(state).await?,
            limits: &who.limits,
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
    CsrfForm(form): CsrfForm<ReportForm>,
) -> PageResult {
    let who = reporter(&state, Some(user.user.id), client);
    submit(&state, &ctx, id, who, &form).await
}

/// `POST /ideen/{id}/melden/gast`: a report without an account, one per client address.
pub async fn report_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<ReportForm>,
) -> PageResult {
    if !same_secret(&guest_token(&state, id), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    submit(&state, &ctx, id, reporter(&state, None, client), &form).await
}
