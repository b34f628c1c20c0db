//! Blocking guests: a moderator blocks the guest who wrote a comment in the queue (by the keyed
//! hash of their e-mail address): every comment of that address reads as hidden, and a comment
//! sent from it is refused before any mail goes out. The block is lifted from the queue's list.

use super::*;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::layout::PageResult;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

/// The (empty) form of a block: the token is all it carries.
#[derive(Deserialize)]
pub struct GuestBlockForm {}

/// `POST /moderation/kommentare/{id}/gast-sperren`: blocks the guest who wrote comment `id`.
pub async fn block_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { user, .. }: RequireRole<role::Moderator>,
    CsrfForm(_): CsrfForm<GuestBlockForm>,
) -> PageResult {
    if !state.db.block_guest_of(user.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/moderation?hinweis=guest-block").into_response())
}

/// `POST /moderation/gaeste/{id}/aufheben`: lifts the block `id` of a guest.
pub async fn unblock_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { user, .. }: RequireRole<role::Moderator>,
    CsrfForm(_): CsrfForm<GuestBlockForm>,
) -> PageResult {
    if !state.db.unblock_guest(user.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/moderation?hinweis=guest-unblock").into_response())
}
