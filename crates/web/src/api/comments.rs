//! `/api/v1/measures/{id}/comments`: a measure's discussion, 20 threads a page by cursor, in
//! the orders of the pages. Display names only (never an address); hidden comments are left
//! out; a deleted one stays as `"state": "deleted"` without text, so that its replies keep
//! their place.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Path, Query};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::comments::{REPLIES_SHOWN, State as CommentState, Subject};
use serde::Deserialize;
use store::comments::Comment;

#[derive(Deserialize, Default)]
pub struct CommentsQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn comment_json(state: &AppState, c: &Comment) -> serde_json::Value {
    let shown = c.state.shows_text();
    serde_json::json!({
        "id": c.id,
        "parent_id": c.parent_id,
        "depth": c.depth,
        "author": c.author_name,
        "official": c.official,
        "state": c.state.as_str(),
        "body_html": shown.then_some(&c.body_html),
        "upvotes": c.upvotes,
        "created_at": rfc3339(c.created_at),
        "edited_at": c.edited_at.filter(|_| shown).map(rfc3339),
        "url": state.url(&format!("/kommentare/{}#kommentar-{}", c.id, c.id)),
    })
}

pub async fn comments(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(id): Path<String>,
    Query(q): Query<CommentsQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad("id", format!("{id:?} is not a measure id (a whole number)")))?;
    discussion(&state, &t, Subject::measure(id), &q).await
}

/// `/api/v1/ideas/{id}/comments`: an idea's discussion, as a measure's.
pub async fn idea_comments(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(id): Path<String>,
    Query(q): Query<CommentsQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad("id", format!("{id:?} is not an idea id (a whole number)")))?;
    discussion(&state, &t, Subject::idea(id), &q).await
}

/// `/api/v1/events/{slug}/sessions/{session}/comments`: a session's discussion, as a measure's.
pub async fn session_comments(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path((slug, session)): Path<(String, String)>,
    Query(q): Query<CommentsQuery>,
) -> Result<Response, AppError> {
    let target = crate::comments::session_target(&state, &slug, &session).await?;
    discussion(&state, &t, target.subject, &q).await
}

/// One page of the discussion of `subject`, with its cache tags.
async fn discussion(
    state: &AppState,
    t: &crate::i18n::Tr,
    subject: Subject,
    q: &CommentsQuery,
) -> Result<Response, AppError> {
    let (sort, after) = crate::comments::parse_list(t, q.sort.as_deref(), q.after.as_deref())?;
    let target = crate::comments::target_of(state, subject).await?;
    let id = subject.id;
    let page = state
        .db
        .comment_page(
            target.subject,
            sort,
            after,
            domain::comments::PAGE_SIZE,
            REPLIES_SHOWN,
        )
        .await?;
    let visible = |c: &&Comment| c.state != CommentState::Hidden && !c.author_blocked;
    let threads: Vec<serde_json::Value> = page
        .threads
        .iter()
        .filter(|th| visible(&&th.comment))
        .map(|th| {
            let mut top = comment_json(state, &th.comment);
            top["replies_total"] = th.comment.replies.into();
            top["replies"] = th
                .replies
                .iter()
                .filter(visible)
                .map(|r| comment_json(state, r))
                .collect::<Vec<_>>()
                .into();
            top
        })
        .collect();
    let (list, key) = match subject.kind {
        domain::comments::SubjectKind::Measure => (format!("/api/v1/measures/{id}"), "measure_id"),
        domain::comments::SubjectKind::Idea => (format!("/api/v1/ideas/{id}"), "idea_id"),
        domain::comments::SubjectKind::Session => {
            (format!("/api/v1/events/{}", target.slug), "session_id")
        }
    };
    let next = page.next.map(|c| c.encode(sort));
    let next_url = next
        .as_ref()
        .map(|n| state.url(&format!("{list}/comments?sort={}&after={n}", sort.as_str())));
    let mut body = serde_json::json!({
        "count": state.db.comment_count(target.subject).await?,
        "sort": sort.as_str(),
        "comments": threads,
        "next": next,
        "next_url": next_url,
    });
    body[key] = id.into();
    let mut tags = vec![domain::tags::comments(target.subject), target.subject_tag()];
    tags.extend(
        page.threads
            .iter()
            .flat_map(|th| std::iter::once(&th.comment).chain(th.replies.iter()))
            .filter_map(|c| c.author_id)
            .map(domain::tags::person),
    );
    Ok(crate::cache::tagged(Json(body).into_response(), tags))
}
