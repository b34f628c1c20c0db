//! The newsletter in the account (`/konto/newsletter`): a signed-in person whose address is
//! confirmed subscribes, changes topics or unsubscribes without a mail round.

use super::{TopicBox, field, topic_boxes, topics_of};
use crate::AppState;
use crate::accounts::render;
use crate::error::AppError;
use crate::extract::{CsrfForm, SignedIn};
use crate::layout::{Chrome, PageResult, chrome};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::newsletter::Topics;
use time::OffsetDateTime;

#[derive(Template)]
#[template(path = "newsletter/account.html")]
struct AccountPage {
    c: Chrome,
    title: String,
    csrf: String,
    subscribed: bool,
    /// The address is not confirmed yet: subscribing waits for it.
    unconfirmed: bool,
    topics: Vec<TopicBox>,
    saved: bool,
}

#[derive(serde::Deserialize)]
pub struct Saved {
    #[serde(default)]
    gespeichert: Option<String>,
}

/// `GET /konto/newsletter`.
pub async fn account_page(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    crate::extract::Query(q): crate::extract::Query<Saved>,
) -> PageResult {
    let s = state
        .db
        .newsletter_subscriber_by_email(&user.user.email)
        .await?
        .filter(|s| s.confirmed());
    render(AccountPage {
        c: chrome(&state, &ctx, "").await?,
        title: ctx.t.get("newsletter-account-title"),
        csrf: user.csrf_token.clone(),
        subscribed: s.is_some(),
        unconfirmed: user.user.email_confirmed_at.is_none(),
        topics: topic_boxes(&ctx.t, s.map(|s| s.topics).unwrap_or(Topics::ALL)),
        saved: q.gespeichert.is_some(),
    })
}

/// `POST /konto/newsletter`: `action=subscribe` with the ticked topics (none: unsubscribe),
/// or `action=unsubscribe`. Without an action nothing changes (422).
pub async fn save_account(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let topics = match field(&pairs, "action") {
        "subscribe" => topics_of(&ctx.t, &pairs)?,
        "unsubscribe" => Topics::default(),
        _ => {
            return Err(AppError::InvalidForm {
                field: "action".into(),
                reason: ctx.t.get("newsletter-action-missing"),
            });
        }
    };
    if !topics.is_empty() && user.user.email_confirmed_at.is_none() {
        return Err(AppError::InvalidForm {
            field: "email".into(),
            reason: ctx.t.get("newsletter-account-unconfirmed"),
        });
    }
    state
        .db
        .subscribe_account(
            user.user.id,
            (&user.user.email, ctx.t.lang.code()),
            topics,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Redirect::to("/konto/newsletter?gespeichert=1").into_response())
}
