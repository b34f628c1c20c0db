//! The unsubscribe link of notification mail (`/benachrichtigungen/abbestellen?token=…`). A
//! mail programme's one-click POST (RFC 8058: body `List-Unsubscribe=One-Click`, no cookie, no
//! CSRF token) unsubscribes at once; a person following the link gets a page with a button (a
//! mail scanner that follows links unsubscribes nobody). The token is an HMAC of the person's
//! number: it proves the link came from this site and is good for nothing else.

use super::views::UnsubscribePage;
use crate::AppState;
use crate::accounts::TokenQuery;
use crate::error::AppError;
use crate::extract::{Ctx, Query};
use crate::layout::{PageResult, chrome};
use axum::extract::State;
use axum::http::{HeaderValue, header};

fn person(state: &AppState, token: &str) -> Result<i64, AppError> {
    super::unsubscribe_person(state, token)
        .ok_or_else(|| AppError::bad("token", "unsubscribe-bad-link"))
}

async fn render(state: &AppState, ctx: &Ctx, token: String, done: bool) -> PageResult {
    let mut res = crate::accounts::render(UnsubscribePage {
        c: chrome(state, ctx, "").await?,
        title: ctx.t.get("unsubscribe-title"),
        token,
        done,
    })?;
    // The token is in this page's URL: it must not go out in a `Referer`.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// `GET /benachrichtigungen/abbestellen?token=…`: the page with the button.
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    person(&state, &q.token)?;
    render(&state, &ctx, q.token, false).await
}

/// `POST /benachrichtigungen/abbestellen?token=…`: no more notification mail for the person of
/// the token (the list on the site stays). The body is the one-click form field
/// (`List-Unsubscribe=One-Click`) or the page's button; neither is needed, since the token in
/// the URL decides.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let id = person(&state, &q.token)?;
    if !state.db.unsubscribe_notification_mail(id).await? {
        return Err(AppError::bad("token", "unsubscribe-bad-link"));
    }
    render(&state, &ctx, String::new(), true).await
}
