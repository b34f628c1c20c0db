//! The moderation of a session's Q&A (`/veranstalten/{id}/sessions/{session}/fragen`), for the
//! event's organisers (and admins): the queue first, then every question with its steps — show,
//! reject with a public reason, mark answered, archive, pin the one that is up now (or unpin);
//! questions received by e-mail added with their source shown; the session's settings (whether
//! questions wait for the moderation, whether it takes questions at all). The page follows the
//! questions live like the public list.

use super::office::own_event;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::programme::questions::{Moderation, QuestionSource, REASON_MAX, check_question};
use serde::Deserialize;
use store::programme::questions::QuestionRefusal;
use store::programme::{Event, Session};
use time::OffsetDateTime;

struct Row {
    id: i64,
    body: String,
    asker: String,
    by_mail: bool,
    state: &'static str,
    state_label: String,
    reason: String,
    votes: i64,
    pinned: bool,
}

#[derive(Template)]
#[template(path = "programme/office_questions.html")]
struct ModerationPage {
    c: Chrome,
    title: String,
    base: String,
    public: String,
    csrf: String,
    open: bool,
    moderated: bool,
    takes: bool,
    rows: Vec<Row>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    csrf: &str,
    event: &Event,
    session: &Session,
    error: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let qa = state.db.qa_settings(session.id).await?;
    let questions = state.db.all_questions(session.id, 500).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = crate::accounts::render(ModerationPage {
        c: crate::layout::chrome(state, ctx, "organise").await?,
        title: t.s("office-questions-title", "session", &session.input.title),
        base: format!("/veranstalten/{}/sessions/{}/fragen", event.id, session.id),
        public: format!(
            "/veranstaltungen/{}/sessions/{}/fragen",
            event.slug, session.slug
        ),
        csrf: csrf.to_string(),
        open: qa.is_none_or(|q| q.open),
        moderated: qa.is_none_or(|q| q.moderated),
        takes: qa.is_some_and(|q| q.takes_questions(OffsetDateTime::now_utc())),
        rows: questions
            .iter()
            .map(|q| Row {
                id: q.id,
                body: q.body.clone(),
                asker: q.asker.clone(),
                by_mail: q.source == QuestionSource::Mail,
                state: q.state.as_str(),
                state_label: t.get(&format!("office-question-{}", q.state.as_str())),
                reason: q.reason.clone(),
                votes: q.votes,
                pinned: q.pinned,
            })
            .collect(),
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstalten/{id}/sessions/{session}/fragen`
pub async fn moderation(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, sid)): Path<(i64, i64)>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let session = super::office_sessions::session_of_event(&state, &event, sid).await?;
    page(&state, &ctx, &user.csrf_token, &event, &session, None).await
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

/// `POST /veranstalten/{id}/sessions/{session}/fragen/{question}`: a step of the moderation.
pub async fn moderate(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, sid, qid)): Path<(i64, i64, i64)>,
    CsrfForm(f): CsrfForm<StepForm>,
) -> PageResult {
    let t = ctx.t;
    let event = own_event(&state, &user, id).await?;
    let session = super::office_sessions::session_of_event(&state, &event, sid).await?;
    let step = match f.step.as_str() {
        "show" => Moderation::Show,
        "answer" => Moderation::Answer,
        "archive" => Moderation::Archive,
        "pin" => Moderation::Pin,
        "unpin" => Moderation::Unpin,
        "reject" => {
            let reason = f.reason.trim();
            if reason.is_empty() || reason.chars().count() > REASON_MAX {
                let e = t.get("office-question-reason-missing");
                return page(&state, &ctx, &user.csrf_token, &event, &session, Some(e)).await;
            }
            Moderation::Reject(reason.to_string())
        }
        _ => {
            return Err(AppError::InvalidForm {
                field: "step".into(),
                reason: t.get("office-choose"),
            });
        }
    };
    match state
        .db
        .moderate_question(user.user.id, session.id, qid, &step)
        .await?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/veranstalten/{id}/sessions/{sid}/fragen#frage-{qid}"
        ))
        .into_response()),
        Err(QuestionRefusal::NotAllowed) => {
            let e = t.get("office-question-step-not-allowed");
            page(&state, &ctx, &user.csrf_token, &event, &session, Some(e)).await
        }
        Err(r) => Err(super::questions::refused(r)),
    }
}

#[derive(Deserialize)]
pub struct MailForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    name: String,
}

/// `POST /veranstalten/{id}/sessions/{session}/fragen/per-mail`: a question received by mail,
/// visible at once and marked "per E-Mail".
pub async fn add_mailed(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<MailForm>,
) -> PageResult {
    let t = ctx.t;
    let event = own_event(&state, &user, id).await?;
    let session = super::office_sessions::session_of_event(&state, &event, sid).await?;
    if let Err(problems) = check_question(&f.body, &f.name) {
        let e = problems
            .iter()
            .map(|p| t.get(p.key))
            .collect::<Vec<_>>()
            .join(" ");
        return page(&state, &ctx, &user.csrf_token, &event, &session, Some(e)).await;
    }
    match state
        .db
        .ask(
            session.id,
            &f.body,
            &f.name,
            None,
            QuestionSource::Mail,
            &[],
        )
        .await?
    {
        Ok(q) => Ok(Redirect::to(&format!(
            "/veranstalten/{id}/sessions/{sid}/fragen#frage-{}",
            q.id
        ))
        .into_response()),
        Err(QuestionRefusal::Closed) => {
            let e = t.get("question-closed");
            page(&state, &ctx, &user.csrf_token, &event, &session, Some(e)).await
        }
        Err(r) => Err(super::questions::refused(r)),
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    open: String,
    #[serde(default)]
    moderated: String,
}

/// `POST /veranstalten/{id}/sessions/{session}/fragen/einstellungen`
pub async fn settings(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Organiser>,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Result<axum::response::Response, AppError> {
    let event = own_event(&state, &user, id).await?;
    let session = super::office_sessions::session_of_event(&state, &event, sid).await?;
    state
        .db
        .set_qa(
            Some(user.user.id),
            session.id,
            f.open == "1",
            f.moderated == "1",
        )
        .await?;
    Ok(Redirect::to(&format!("/veranstalten/{id}/sessions/{sid}/fragen")).into_response())
}
