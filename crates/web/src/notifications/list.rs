//! `/benachrichtigungen`: a person's notifications, newest first, paged by cursor; marking one
//! or all read.

use super::views::{Item, ListPage, describe, local_time};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Query, SignedIn};
use crate::layout::{PageResult, chrome};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

/// Notifications a page shows.
pub const PER_PAGE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// The cursor: notifications older than this id.
    #[serde(default)]
    before: Option<i64>,
}

/// `GET /benachrichtigungen`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let (rows, more) = state
        .db
        .notification_page(user.user.id, q.before, PER_PAGE)
        .await?;
    let next = more
        .then(|| {
            rows.last()
                .map(|n| format!("/benachrichtigungen?before={}", n.id))
        })
        .flatten();
    let items = rows
        .iter()
        .map(|n| {
            let d = describe(&t, n);
            Item {
                id: n.id,
                heading: d.heading,
                text: d.text,
                link: n.link.clone(),
                date: local_time(n.created_at),
                unread: n.read_at.is_none(),
            }
        })
        .collect();
    let unread = state.db.unread_notifications(user.user.id).await?;
    crate::accounts::render(ListPage {
        c: chrome(&state, &ctx, "notifications").await?,
        title: t.get("notifications-title"),
        csrf: user.csrf_token.clone(),
        items,
        unread,
        next,
        first_page: q.before.is_none(),
    })
}

#[derive(Deserialize)]
pub struct MarkRead {
    /// One notification …
    #[serde(default)]
    id: Option<i64>,
    /// … or all of them (`all=1`).
    #[serde(default)]
    all: Option<String>,
}

/// `POST /benachrichtigungen/gelesen`: marks one notification (`id`) or all (`all=1`) read.
pub async fn mark_read(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<MarkRead>,
) -> PageResult {
    let which = match (form.id, form.all.as_deref()) {
        (Some(id), _) => Some(id),
        (None, Some("1")) => None,
        _ => {
            return Err(AppError::InvalidForm {
                field: "id".into(),
                reason: ctx.t.get("notifications-choose"),
            });
        }
    };
    state
        .db
        .mark_notifications_read(user.user.id, which)
        .await?;
    Ok(Redirect::to("/benachrichtigungen").into_response())
}
