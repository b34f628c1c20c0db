//! The city's answer to an idea (`/ideen/{id}/status`: editors in the idea's field of action and
//! admins) and the moderation's hiding of an idea (`/moderation/ideen/{id}`: moderators and
//! admins). Both are audited in their transaction.

use super::views::status_label;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::ideas::IdeaStatus;
use serde::Deserialize;
use store::accounts::SessionUser;
use store::ideas::{Idea, IdeaRefusal};

#[derive(Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    /// The address (slug) of the measure that takes an accepted idea up.
    #[serde(default)]
    measure: String,
}

#[derive(Template)]
#[template(path = "ideas/decide.html")]
struct DecidePage<'a> {
    c: Chrome,
    csrf: &'a str,
    id: i64,
    title: String,
    statuses: Vec<(&'static str, String, bool)>,
    form: &'a DecideForm,
    errors: Vec<(&'static str, String)>,
}

/// The idea `id`, when `user` may answer for the city in its field of action (the rule of the
/// city's answers in discussions); 403 otherwise.
async fn decidable(state: &AppState, user: &SessionUser, id: i64) -> Result<Idea, AppError> {
    let idea = state.db.idea(id).await?.ok_or(AppError::NotFound)?;
    if !crate::comments::official_voice(
        &state.db,
        user,
        crate::comments::Voice::Field(idea.field_id),
    )
    .await?
    {
        return Err(AppError::Forbidden);
    }
    Ok(idea)
}

async fn decide_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    idea: &Idea,
    form: &DecideForm,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let t = ctx.t;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(DecidePage {
        c: crate::layout::chrome(state, ctx, "ideas").await?,
        csrf: &user.csrf_token,
        id: idea.id,
        title: idea.title.clone(),
        statuses: IdeaStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), status_label(&t, s), s.as_str() == form.status))
            .collect(),
        form,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /ideen/{id}/status`
pub async fn decide_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Editor>,
) -> PageResult {
    let idea = decidable(&state, &user, id).await?;
    let form = DecideForm {
        status: idea.status.as_str().to_string(),
        reason: idea.status_reason.clone(),
        measure: idea.measure.clone().map(|m| m.0).unwrap_or_default(),
    };
    decide_page(&state, &ctx, &user, &idea, &form, Vec::new()).await
}

/// `POST /ideen/{id}/status`: the city's status; the author learns of it (notifications).
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Editor>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> PageResult {
    let t = ctx.t;
    let idea = decidable(&state, &user, id).await?;
    let Some(status) = IdeaStatus::parse(&form.status) else {
        let errors = vec![("status", t.get("ideas-bad-status"))];
        return decide_page(&state, &ctx, &user, &idea, &form, errors).await;
    };
    let slug = form.measure.trim();
    let measure_id = if status == IdeaStatus::Accepted && !slug.is_empty() {
        match state.db.measure_id_by_slug(slug).await? {
            Some(m) => Some(m),
            None => {
                let errors = vec![("measure", t.get("idea-no-measure"))];
                return decide_page(&state, &ctx, &user, &idea, &form, errors).await;
            }
        }
    } else {
        None
    };
    let decision = match domain::ideas::check_decision(status, &form.reason, measure_id) {
        Ok(d) => d,
        Err(p) => {
            let errors = vec![(p.field, t.get(p.key))];
            return decide_page(&state, &ctx, &user, &idea, &form, errors).await;
        }
    };
    match state
        .db
        .decide_idea(id, Some(user.user.id), &decision)
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!("/ideen/{id}")).into_response()),
        Err(IdeaRefusal::NoSuchMeasure) => {
            let errors = vec![("measure", t.get("idea-no-measure"))];
            decide_page(&state, &ctx, &user, &idea, &form, errors).await
        }
        Err(r) => Err(super::page::refusal(&t, r)),
    }
}

#[derive(Deserialize, Default)]
pub struct ModerateForm {
    /// `hide` or `show`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "ideas/moderate.html")]
struct ModeratePage<'a> {
    c: Chrome,
    csrf: &'a str,
    id: i64,
    title: String,
    hidden: bool,
    reason: String,
    errors: Vec<String>,
    /// The reports since the last review: reason, note, date.
    reports: Vec<(String, String, String)>,
    needs_review: bool,
}

async fn moderate_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    idea: &Idea,
    reason: &str,
    errors: Vec<String>,
) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let reports = state.db.idea_reports(idea.id).await?;
    let mut res = crate::accounts::render(ModeratePage {
        c: crate::layout::chrome(state, ctx, "ideas").await?,
        csrf: &user.csrf_token,
        id: idea.id,
        title: idea.title.clone(),
        hidden: idea.hidden,
        reason: reason.to_string(),
        errors,
        needs_review: !reports.is_empty(),
        reports: reports
            .into_iter()
            .map(|r| {
                (
                    ctx.t.get(&format!("report-reason-{}", r.reason.as_str())),
                    r.note,
                    domain::dates::german(r.created_at.date()),
                )
            })
            .collect(),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /moderation/ideen/{id}`
pub async fn moderate_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Moderator>,
) -> PageResult {
    let idea = state.db.idea(id).await?.ok_or(AppError::NotFound)?;
    let reason = idea.moderation_reason.clone().unwrap_or_default();
    moderate_page(&state, &ctx, &user, &idea, &reason, Vec::new()).await
}

/// `POST /moderation/ideen/{id}`: hides the idea with a public reason, or shows it again.
pub async fn moderate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Moderator>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> PageResult {
    let t = ctx.t;
    let idea = state.db.idea(id).await?.ok_or(AppError::NotFound)?;
    let reason = form.reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let hide = match form.action.as_str() {
        "hide" if reason.is_empty() => {
            let errors = vec![t.get("idea-hide-missing")];
            return moderate_page(&state, &ctx, &user, &idea, &reason, errors).await;
        }
        "hide" if reason.chars().count() > domain::comments::MAX_NOTE => {
            let errors = vec![t.get("idea-hide-long")];
            return moderate_page(&state, &ctx, &user, &idea, &reason, errors).await;
        }
        "hide" => Some(reason.as_str()),
        "show" => None,
        _ => {
            return Err(AppError::InvalidForm {
                field: "action".into(),
                reason: t.get("idea-bad-action"),
            });
        }
    };
    state.db.moderate_idea(id, Some(user.user.id), hide).await?;
    Ok(Redirect::to(&format!("/ideen/{id}")).into_response())
}
