//! Posting: a new comment under a measure, a reply to a comment (its own page, so that it works
//! without script), with the rate limits per account and per client address.

use super::views::{FormHtml, comment_html, render};
use super::*;
use crate::extract::{ClientAddr, CsrfForm, Path, SignedIn};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::accounts::SessionUser;
use store::comments::{Limit, NewComment, Refusal};

/// Posts per account: a person writes at most this many comments a minute …
pub const PER_ACCOUNT_MINUTE: i64 = 6;
/// … and this many an hour.
pub const PER_ACCOUNT_HOUR: i64 = 60;
/// Posts per client address a minute (a library's or a school's shared address included).
pub const PER_CLIENT_MINUTE: i64 = 60;

/// The limits on posting (settings `comment_limit_per_minute`, `…_per_hour`,
/// `…_per_client_minute`; the constants above by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostLimits {
    pub per_minute: i64,
    pub per_hour: i64,
    pub per_client_minute: i64,
}

impl Default for PostLimits {
    fn default() -> Self {
        PostLimits {
            per_minute: PER_ACCOUNT_MINUTE,
            per_hour: PER_ACCOUNT_HOUR,
            per_client_minute: PER_CLIENT_MINUTE,
        }
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub(crate) body: String,
    #[serde(default)]
    pub(crate) official: Option<String>,
}

/// The form page of a reply, an edit, or a new comment that needs correcting.
#[derive(Template)]
#[template(path = "comments/form_page.html")]
pub(crate) struct FormPage {
    pub c: Chrome,
    pub title: String,
    pub hint: Option<String>,
    /// The comment answered or edited.
    pub context: Option<String>,
    pub errors: Vec<String>,
    pub form: String,
    pub back_href: String,
    pub back_label: String,
}

/// The limits a post of `user` from `client` counts against.
fn limits(state: &AppState, user: &SessionUser, client: Option<std::net::IpAddr>) -> Vec<Limit> {
    let client = crate::accounts::client_key(state, client);
    vec![
        Limit {
            bucket: format!("comment:account:{}:m", user.user.id),
            max: state.comment_limits.per_minute,
            window: time::Duration::minutes(1),
        },
        Limit {
            bucket: format!("comment:account:{}:h", user.user.id),
            max: state.comment_limits.per_hour,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("comment:client:{client}"),
            max: state.comment_limits.per_client_minute,
            window: time::Duration::minutes(1),
        },
    ]
}

/// A comment that was posted: shown at once, or held for the moderation.
pub(crate) struct Posted {
    pub id: i64,
    pub held: bool,
}

/// Where a held comment's author is sent.
pub(crate) const HELD_PAGE: &str = "/kommentare/in-pruefung";

/// What a failed post shows: the form again with the text and the reason.
pub(crate) struct Retry {
    pub reason: String,
}

/// Checks and posts a comment on `target` (a reply when `parent` is given); the id, or the
/// reason to show with the form again. Refusals that are not about the text are errors.
async fn submit(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &SessionUser,
    client: Option<std::net::IpAddr>,
    target: &Target,
    parent: Option<i64>,
    form: &CommentForm,
) -> Result<Result<Posted, Retry>, AppError> {
    let t = ctx.t;
    // A subject that takes no comments at all (a cancelled session) says so.
    if let Some(key) = target.closed {
        return Ok(Err(Retry { reason: t.get(key) }));
    }
    let body = match domain::comments::check_body(&form.body) {
        Ok(b) => b,
        Err(p) => {
            return Ok(Err(Retry {
                reason: t.get(p.key()),
            }));
        }
    };
    let official = form.official.is_some();
    if official && !official_voice(&state.db, user, target.voice).await? {
        return Ok(Err(Retry {
            reason: t.get("comment-not-official"),
        }));
    }
    let html = domain::comments::comment_html(&body);
    let limits = limits(state, user, client);
    let hold = super::moderation::holds(state, Some(user), &body).await?;
    let outcome = state
        .db
        .post_comment(&NewComment {
            subject: target.subject,
            parent_id: parent,
            author: store::comments::Author::Account(user.user.id),
            body: &body,
            body_html: &html,
            official,
            limits: &limits,
            posted_at: None,
            hold,
        })
        .await?;
    match outcome {
        Ok(id) => Ok(Ok(Posted { id, held: hold })),
        Err(
            r @ (Refusal::TooDeep | Refusal::ParentClosed | Refusal::Closed | Refusal::Blocked),
        ) => Ok(Err(Retry {
            reason: refusal_reason(&t, r),
        })),
        Err(r) => Err(refusal(&t, r)),
    }
}

/// The form of a comment, filled with `body`.
#[allow(clippy::too_many_arguments)]
fn form_html(
    t: crate::i18n::Tr,
    action: &str,
    user: &SessionUser,
    label: &str,
    submit: &str,
    body: &str,
    official_allowed: bool,
    official: bool,
) -> Result<String, AppError> {
    render(FormHtml {
        t,
        action,
        csrf: &user.csrf_token,
        field_id: "comment-body",
        label: t.get(label),
        body,
        official_allowed,
        official,
        submit: t.get(submit),
    })
}

/// Renders a form page; `errors` make it a 422.
pub(crate) fn form_page(page: FormPage) -> PageResult {
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(page)?;
    *res.status_mut() = status;
    Ok(res)
}

/// `POST /massnahmen/{slug}/kommentare`: a new comment under the measure.
pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> PageResult {
    let target = measure_target_to_write(&state, &slug).await?;
    create_on(&state, &ctx, &user, client, &target, &form).await
}

/// `POST /ideen/{id}/kommentare`: a new comment under the idea.
pub async fn create_on_idea(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> PageResult {
    let target = idea_target(&state, id).await?;
    create_on(&state, &ctx, &user, client, &target, &form).await
}

/// `POST /veranstaltungen/{slug}/sessions/{session}/kommentare`: a new comment on a session.
pub async fn create_on_session(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> PageResult {
    let target = session_target(&state, &slug, &session).await?;
    create_on(&state, &ctx, &user, client, &target, &form).await
}

async fn create_on(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &SessionUser,
    client: Option<std::net::IpAddr>,
    target: &Target,
    form: &CommentForm,
) -> PageResult {
    match submit(state, ctx, user, client, target, None, form).await? {
        // The newest comment opens the discussion on the measure page.
        Ok(Posted { held: true, .. }) => Ok(Redirect::to(HELD_PAGE).into_response()),
        Ok(Posted { id, .. }) => {
            Ok(Redirect::to(&format!("{}#kommentar-{id}", target.page)).into_response())
        }
        Err(retry) => {
            let t = ctx.t;
            let official_allowed = official_voice(&state.db, user, target.voice).await?;
            form_page(FormPage {
                c: crate::layout::chrome(state, ctx, target.nav()).await?,
                title: t.get("comments-new"),
                hint: None,
                context: None,
                errors: vec![retry.reason],
                form: form_html(
                    t,
                    &target.comments_path(),
                    user,
                    "comments-new",
                    "comments-submit",
                    &form.body,
                    official_allowed,
                    form.official.is_some(),
                )?,
                back_href: target.page.clone(),
                back_label: t.s("comments-back", "title", &target.title),
            })
        }
    }
}

/// The comment `id` with its discussion, for a reply: 404 unless it is shown.
async fn answered(
    state: &AppState,
    id: i64,
) -> Result<(store::comments::Comment, Target), AppError> {
    let c = state.db.comment(id).await?.ok_or(AppError::NotFound)?;
    if c.state == domain::comments::State::Pending {
        return Err(AppError::NotFound);
    }
    let target = target_of(state, c.subject).await?;
    Ok((c, target))
}

#[allow(clippy::too_many_arguments)]
async fn reply_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &SessionUser,
    parent: &store::comments::Comment,
    target: &Target,
    body: &str,
    official: bool,
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let official_allowed = official_voice(&state.db, user, target.voice).await?;
    form_page(FormPage {
        c: crate::layout::chrome(state, ctx, "measures").await?,
        title: t.get("comment-reply-title"),
        hint: None,
        context: Some(comment_html(t, parent, String::new())?),
        errors,
        form: form_html(
            t,
            &format!("/kommentare/{}/antworten", parent.id),
            user,
            "comment-reply-label",
            "comment-reply-submit",
            body,
            official_allowed,
            official,
        )?,
        back_href: format!("/kommentare/{}#kommentar-{}", parent.id, parent.id),
        back_label: t.s("comment-on", "title", &target.title),
    })
}

/// `GET /kommentare/{id}/antworten`: the form of a reply; for a guest the guest form.
pub async fn reply_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ctx: crate::extract::Ctx,
) -> PageResult {
    let (parent, target) = answered(&state, id).await?;
    let mut errors = Vec::new();
    if parent.state != domain::comments::State::Published {
        errors.push(ctx.t.get("comment-parent-closed"));
    } else if !domain::comments::may_reply_at(parent.depth) {
        errors.push(ctx.t.get("comment-too-deep"));
    }
    let mut page = match &ctx.user {
        Some(user) => reply_page(&state, &ctx, user, &parent, &target, "", false, errors).await?,
        None => {
            let form = super::guest::empty_form();
            super::guest::guest_page(&state, &ctx, &target, Some(&parent), &form, errors).await?
        }
    };
    // Opening the form is not an error, even where a reply would be refused.
    *page.status_mut() = StatusCode::OK;
    Ok(page)
}

/// `POST /kommentare/{id}/antworten`: posts a reply; back to the thread at the reply.
pub async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> PageResult {
    let (parent, target) = answered(&state, id).await?;
    match submit(&state, &ctx, &user, client, &target, Some(id), &form).await? {
        Ok(Posted { held: true, .. }) => Ok(Redirect::to(HELD_PAGE).into_response()),
        Ok(Posted { id: new, .. }) => {
            Ok(Redirect::to(&format!("/kommentare/{new}#kommentar-{new}")).into_response())
        }
        Err(retry) => {
            reply_page(
                &state,
                &ctx,
                &user,
                &parent,
                &target,
                &form.body,
                form.official.is_some(),
                vec![retry.reason],
            )
            .await
        }
    }
}

/// `GET /kommentare/in-pruefung`: a comment that waits for the moderation.
pub async fn held(State(state): State<AppState>, ctx: crate::extract::Ctx) -> PageResult {
    crate::accounts::notice(&state, &ctx, "comment-held-title", "comment-held-text").await
}
