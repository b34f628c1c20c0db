//! An idea's page (`GET /ideen/{id}`) with its status, supports and discussion, and supporting
//! it (`POST /ideen/{id}/unterstuetzen`).

use super::views::{byline, staff_slot, status_label, support_slot};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, SignedIn};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::ideas::IdeaRefusal;

#[derive(Template)]
#[template(path = "ideas/idea.html")]
struct IdeaPage {
    c: Chrome,
    id: i64,
    title: String,
    byline: String,
    field_title: String,
    field_href: String,
    /// The moderation hid it: this notice instead of its texts and discussion.
    hidden: Option<String>,
    description_html: String,
    benefit: String,
    place: String,
    status: &'static str,
    status_label: String,
    status_date: String,
    status_reason: String,
    measure: Option<(String, String)>,
    supports: String,
    takes_support: bool,
    follow: String,
    support: String,
    staff: String,
    comments_html: String,
}

/// `GET /ideen/{id}`
pub async fn idea_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let t = ctx.t;
    let idea = state.db.idea(id).await?.ok_or(AppError::NotFound)?;
    let mut tags = vec![domain::tags::idea(id), domain::tags::SITE.to_string()];
    tags.extend(idea.author_id.map(domain::tags::person));
    let hidden = idea.hidden.then(|| match &idea.moderation_reason {
        Some(r) if !r.is_empty() => t.s("idea-hidden", "reason", r),
        _ => t.get("idea-hidden-reported"),
    });
    let comments_html = if hidden.is_none() {
        let target = crate::comments::idea_target_of(&idea);
        let s = crate::comments::section(
            &state,
            t,
            &target,
            domain::comments::Sort::Newest,
            None,
            ctx.user.as_ref(),
        )
        .await?;
        tags.extend(s.tags);
        s.html
    } else {
        String::new()
    };
    let c = crate::layout::chrome(&state, &ctx, "ideas").await?;
    // A page rendered with the reader's session (no page cache in front) fills its slots here.
    let (support, staff) = match &ctx.user {
        Some(user) => {
            let view = state
                .db
                .my_idea_views(user.user.id, &[id])
                .await?
                .remove(&id)
                .unwrap_or_default();
            (
                support_slot(t, id, &user.csrf_token, view)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                staff_slot(t, id, c.staff, c.moderator)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
        }
        None => (String::new(), String::new()),
    };
    let follow = if idea.hidden {
        String::new()
    } else {
        crate::notifications::follow_box(
            &state,
            t,
            domain::notifications::FollowKind::Idea,
            id,
            &id.to_string(),
            ctx.user.as_ref(),
        )
        .await?
    };
    html(IdeaPage {
        c,
        id,
        title: idea.title.clone(),
        byline: byline(&t, &idea),
        field_title: idea.field_title.clone(),
        field_href: format!("/ideen?field={}", idea.field_slug),
        hidden,
        description_html: idea.description_html.clone(),
        benefit: idea.benefit.clone(),
        place: idea.place.clone(),
        status: idea.status.as_str(),
        status_label: status_label(&t, idea.status),
        status_date: idea
            .status_at
            .map(|at| {
                t.s(
                    "idea-status-since",
                    "date",
                    &domain::dates::german(at.date()),
                )
            })
            .unwrap_or_default(),
        status_reason: idea.status_reason.clone(),
        measure: idea
            .measure
            .clone()
            .map(|(slug, title)| (format!("/massnahmen/{slug}"), title)),
        supports: t.n("idea-supports", "count", idea.supports),
        takes_support: idea.status.takes_support() && !idea.hidden,
        follow,
        support,
        staff,
        comments_html,
    })
    .map(|r| crate::cache::tagged(r, tags))
}

#[derive(Deserialize)]
pub struct SupportForm {
    /// `1` supports, `0` withdraws.
    #[serde(default)]
    support: String,
}

/// `POST /ideen/{id}/unterstuetzen`: supports the idea or withdraws the support; back to the
/// idea.
pub async fn support(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<SupportForm>,
) -> PageResult {
    let t = ctx.t;
    let on = match form.support.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::InvalidForm {
                field: "support".into(),
                reason: t.get("idea-bad-support"),
            });
        }
    };
    match state.db.support_idea(id, user.user.id, on).await? {
        Ok(_) => Ok(Redirect::to(&format!("/ideen/{id}#unterstuetzung")).into_response()),
        Err(r) => Err(refusal(&t, r)),
    }
}

/// The answer to a refused write on an idea.
pub(crate) fn refusal(t: &crate::i18n::Tr, r: IdeaRefusal) -> AppError {
    let (field, key) = match r {
        IdeaRefusal::NotFound => return AppError::NotFound,
        IdeaRefusal::RateLimited(until) => {
            let secs = (until - time::OffsetDateTime::now_utc())
                .whole_seconds()
                .max(1);
            return AppError::TooManyRequests(secs as u64);
        }
        IdeaRefusal::Closed => ("field", "idea-closed"),
        IdeaRefusal::Blocked => ("idea", "comment-blocked"),
        IdeaRefusal::Own => ("support", "idea-own-support"),
        IdeaRefusal::Decided => ("support", "idea-decided"),
        IdeaRefusal::NoSuchMeasure => ("measure", "idea-no-measure"),
    };
    AppError::InvalidForm {
        field: field.into(),
        reason: t.get(key),
    }
}
