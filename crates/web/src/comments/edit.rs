//! The author's changes to a comment (editing within 15 minutes, deleting to a tombstone) and
//! everyone's upvote.

use super::post::{CommentForm, FormPage, form_page};
use super::views::{FormHtml, comment_html, render};
use super::*;
use crate::extract::{CsrfForm, NoFields, Path, SignedIn};
use crate::layout::PageResult;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::comments::State as CommentState;
use serde::Deserialize;
use store::comments::{Comment, Refusal};

/// The comment `id` of the signed-in person, or the refusal to show.
async fn own(
    state: &AppState,
    t: &crate::i18n::Tr,
    id: i64,
    user_id: i64,
) -> Result<(Comment, Target), AppError> {
    let c = state.db.comment(id).await?.ok_or(AppError::NotFound)?;
    if c.author_id != Some(user_id) {
        return Err(refusal(t, Refusal::NotAuthor));
    }
    let target = target_of(state, c.subject).await?;
    Ok((c, target))
}

fn back(c: &Comment) -> String {
    format!("/kommentare/{}#kommentar-{}", c.id, c.id)
}

async fn edit_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &store::accounts::SessionUser,
    c: &Comment,
    target: &Target,
    body: &str,
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    form_page(FormPage {
        c: crate::layout::chrome(state, ctx, "measures").await?,
        title: t.get("comment-edit-title"),
        hint: Some(t.get("comment-edit-hint")),
        context: None,
        errors,
        form: render(FormHtml {
            t,
            action: &format!("/kommentare/{}/bearbeiten", c.id),
            csrf: &user.csrf_token,
            field_id: "comment-body",
            label: t.get("comments-new"),
            body,
            official_allowed: false,
            official: false,
            submit: t.get("comment-edit-submit"),
        })?,
        back_href: back(c),
        back_label: t.s("comment-on", "title", &target.title),
    })
}

/// `GET /kommentare/{id}/bearbeiten`: the author's form, within the edit window.
pub async fn edit_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
) -> PageResult {
    let (c, target) = own(&state, &ctx.t, id, user.user.id).await?;
    if c.state != CommentState::Published {
        return Err(refusal(&ctx.t, Refusal::Gone));
    }
    if !domain::comments::may_edit(c.created_at, time::OffsetDateTime::now_utc()) {
        return Err(refusal(&ctx.t, Refusal::EditWindowOver));
    }
    edit_page(&state, &ctx, &user, &c, &target, &c.body, Vec::new()).await
}

/// `POST /kommentare/{id}/bearbeiten`: replaces the text ("bearbeitet").
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> PageResult {
    let (c, target) = own(&state, &ctx.t, id, user.user.id).await?;
    let body = match domain::comments::check_body(&form.body) {
        Ok(b) => b,
        Err(p) => {
            return edit_page(
                &state,
                &ctx,
                &user,
                &c,
                &target,
                &form.body,
                vec![ctx.t.get(p.key())],
            )
            .await;
        }
    };
    let html = domain::comments::comment_html(&body);
    state
        .db
        .edit_comment(id, user.user.id, &body, &html)
        .await?
        .map_err(|r| refusal(&ctx.t, r))?;
    Ok(Redirect::to(&back(&c)).into_response())
}

/// `GET /kommentare/{id}/loeschen`: asks before deleting.
pub async fn delete_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
) -> PageResult {
    let (c, target) = own(&state, &ctx.t, id, user.user.id).await?;
    if c.state == CommentState::Deleted {
        return Err(refusal(&ctx.t, Refusal::Gone));
    }
    let t = ctx.t;
    form_page(FormPage {
        c: crate::layout::chrome(&state, &ctx, "measures").await?,
        title: t.get("comment-delete-title"),
        hint: Some(t.get("comment-delete-text")),
        context: Some(comment_html(t, &c, String::new())?),
        errors: Vec::new(),
        form: render(DeleteHtml {
            t,
            action: format!("/kommentare/{id}/loeschen"),
            csrf: user.csrf_token.clone(),
        })?,
        back_href: back(&c),
        back_label: t.s("comment-on", "title", &target.title),
    })
}

#[derive(askama::Template)]
#[template(path = "comments/delete.html")]
struct DeleteHtml {
    t: crate::i18n::Tr,
    action: String,
    csrf: String,
}

/// `POST /kommentare/{id}/loeschen`: deletes the author's comment to a tombstone.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    state
        .db
        .delete_comment(id, user.user.id)
        .await?
        .map_err(|r| refusal(&ctx.t, r))?;
    Ok(Redirect::to(&format!("/kommentare/{id}#kommentar-{id}")).into_response())
}

#[derive(Deserialize)]
pub struct VoteForm {
    /// `1` to upvote, `0` to take the upvote back.
    #[serde(default)]
    up: String,
}

/// `POST /kommentare/{id}/unterstuetzen`: upvotes a comment or takes the upvote back.
pub async fn vote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> PageResult {
    let up = match form.up.trim() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::InvalidForm {
                field: "up".into(),
                reason: ctx.t.get("comment-vote-value"),
            });
        }
    };
    state
        .db
        .vote_comment(id, user.user.id, up)
        .await?
        .map_err(|r| refusal(&ctx.t, r))?;
    Ok(Redirect::to(&format!("/kommentare/{id}#kommentar-{id}")).into_response())
}
