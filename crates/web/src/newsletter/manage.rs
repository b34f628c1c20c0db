//! The link in every newsletter mail (`/newsletter/abbestellen?token=…`): a mail programme's
//! one-click POST (RFC 8058: no cookie, no CSRF token; the token in the URL decides) ends the
//! subscription at once, a person following the link gets a page with a button and the way to
//! the topics (`/newsletter/themen?token=…`), which work without signing in. Unsubscribing
//! twice is no error.

use super::subscribe::no_referrer;
use super::{TopicBox, subscription_of, topic_boxes, topics_of};
use crate::AppState;
use crate::accounts::{TokenQuery, render};
use crate::error::AppError;
use crate::extract::{Ctx, Form, Query};
use crate::layout::{Chrome, PageResult, chrome};
use askama::Template;
use axum::extract::State;
use store::newsletter::Subscriber;
use time::OffsetDateTime;

async fn subscriber(state: &AppState, token: &str) -> Result<Subscriber, AppError> {
    let id = subscription_of(state, token)
        .ok_or_else(|| AppError::bad("token", "newsletter-bad-link"))?;
    state
        .db
        .newsletter_subscriber(id)
        .await?
        .ok_or_else(|| AppError::bad("token", "newsletter-bad-link"))
}

#[derive(Template)]
#[template(path = "newsletter/unsubscribe.html")]
struct UnsubscribePage {
    c: Chrome,
    title: String,
    token: String,
    done: bool,
}

/// `GET /newsletter/abbestellen?token=…`: the page with the button.
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    subscriber(&state, &q.token).await?;
    let mut res = render(UnsubscribePage {
        c: chrome(&state, &ctx, "").await?,
        title: ctx.t.get("newsletter-unsubscribe-title"),
        token: q.token,
        done: false,
    })?;
    no_referrer(&mut res);
    Ok(res)
}

/// `POST /newsletter/abbestellen?token=…`: no more newsletter for the subscription of the
/// token. The body (`List-Unsubscribe=One-Click`, or the page's button) is not needed.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let s = subscriber(&state, &q.token).await?;
    state
        .db
        .unsubscribe_newsletter(s.id, OffsetDateTime::now_utc())
        .await?;
    let mut res = render(UnsubscribePage {
        c: chrome(&state, &ctx, "").await?,
        title: ctx.t.get("newsletter-unsubscribe-title"),
        token: q.token,
        done: true,
    })?;
    no_referrer(&mut res);
    Ok(res)
}

#[derive(Template)]
#[template(path = "newsletter/topics.html")]
struct TopicsPage {
    c: Chrome,
    title: String,
    token: String,
    topics: Vec<TopicBox>,
    /// Whether the subscription is confirmed (otherwise it can only be started anew).
    active: bool,
    saved: bool,
    error: Option<String>,
}

async fn topics_page(
    state: &AppState,
    ctx: &Ctx,
    token: String,
    s: &Subscriber,
    saved: bool,
    error: Option<String>,
) -> PageResult {
    let failed = error.is_some();
    let mut res = render(TopicsPage {
        c: chrome(state, ctx, "").await?,
        title: ctx.t.get("newsletter-topics-title"),
        token,
        topics: topic_boxes(&ctx.t, s.topics),
        active: s.confirmed(),
        saved,
        error,
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    no_referrer(&mut res);
    Ok(res)
}

/// `GET /newsletter/themen?token=…`: the topics of the subscription.
pub async fn topics_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let s = subscriber(&state, &q.token).await?;
    topics_page(&state, &ctx, q.token, &s, false, None).await
}

/// `POST /newsletter/themen?token=…`: saves the topics (none: the subscription ends).
pub async fn topics_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let s = subscriber(&state, &q.token).await?;
    if !s.confirmed() {
        return Err(AppError::bad("token", "newsletter-not-subscribed"));
    }
    let topics = match topics_of(&ctx.t, &pairs) {
        Ok(t) => t,
        Err(_) => {
            let error = Some(ctx.t.get("newsletter-topic-unknown"));
            return topics_page(&state, &ctx, q.token, &s, false, error).await;
        }
    };
    state
        .db
        .set_newsletter_topics(s.id, topics, ctx.t.lang.code(), OffsetDateTime::now_utc())
        .await?;
    let s = subscriber(&state, &q.token).await?;
    topics_page(&state, &ctx, q.token, &s, true, None).await
}
