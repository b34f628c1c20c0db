//! Comments: the discussion under a measure, one component that ideas, event sessions and offers
//! reuse (`domain::comments::Subject`). Threads three levels deep, a sanitised Markdown subset,
//! editing for 15 minutes, tombstones, one upvote per person, three orders and cursor pages of
//! 20 threads, a permalink for every comment.
//!
//! The discussion is part of the cached page (tag `comments:<kind>:<id>`); what differs per
//! reader — the form and each comment's actions — sits in personal slots that the cache fills
//! (`<!--slot:comment-form:…-->`, `<!--slot:comment:<id>-->`) with one query for the page.

mod edit;
mod feed;
mod guest;
mod guest_blocks;
mod live;
mod moderation;
mod pages;
mod post;
mod views;

pub use edit::{delete, delete_form, edit, edit_form, vote};
pub use feed::{feed, idea_feed, session_feed};
pub(crate) use guest::address_hash;
pub use guest::{
    GUEST_PER_ADDRESS_HOUR, GUEST_PER_CLIENT_HOUR, PREMODERATION_KEY, confirm, confirm_form,
    confirmed, create_guest, create_guest_on_idea, create_guest_on_session, form_token,
    premoderation, reader_token, reply_guest,
};
pub use guest_blocks::{block_guest, unblock_guest};
pub use live::{idea_live, live, session_live};
pub use moderation::{
    FIRST_POST_KEY, REPORTS_PER_ACCOUNT_HOUR, REPORTS_PER_CLIENT_HOUR, ReportForm, THRESHOLD_KEY,
    WORDS_KEY, block, decide, first_post_review, queue, report, report_form, report_guest,
    report_threshold, word_list,
};
pub(crate) use moderation::{Reporter, checked_report, holds, reporter};
pub use pages::{comments_page, idea_comments_page, parse_list, permalink, session_comments_page};
pub use post::{
    PER_ACCOUNT_HOUR, PER_ACCOUNT_MINUTE, PER_CLIENT_MINUTE, PostLimits, create, create_on_idea,
    create_on_session, held, reply, reply_form,
};
pub use views::{
    Target, Voice, actions_html, form_slot, official_voice, parse_form_slot, rfc3339, section,
};

use crate::AppState;
use crate::error::AppError;
use domain::comments::Subject;

/// The discussion of the published measure at `slug`; 404 when there is none.
pub async fn measure_target(state: &AppState, slug: &str) -> Result<Target, AppError> {
    let (id, slug, title, field_id) = state
        .db
        .published_measure_head(Some(slug), 0)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(measure_target_of(id, slug, title, field_id))
}

/// The discussion of the published measure at `slug` for a post, which checks the measure again
/// in its own transaction: from the radar's model of the published measures, without a query
/// (see `radar::measure_to_write`); a measure the model does not know is asked of the database.
pub async fn measure_target_to_write(state: &AppState, slug: &str) -> Result<Target, AppError> {
    if let Ok(snapshot) = state.cards.snapshot(&state.db).await
        && let Some(card) = snapshot.by_slug(slug)
    {
        return Ok(measure_target_of(
            card.id,
            card.slug.clone(),
            card.title.clone(),
            card.field_id,
        ));
    }
    measure_target(state, slug).await
}

fn measure_target_of(id: i64, slug: String, title: String, field_id: i64) -> Target {
    Target {
        subject: Subject::measure(id),
        page: Subject::page(domain::comments::SubjectKind::Measure, &slug),
        slug,
        title,
        voice: Voice::Field(field_id),
        closed: None,
    }
}

/// The discussion a comment belongs to; 404 when its subject is not published.
pub async fn target_of(state: &AppState, subject: Subject) -> Result<Target, AppError> {
    match subject.kind {
        domain::comments::SubjectKind::Measure => {
            let (id, slug, title, field_id) = state
                .db
                .published_measure_head(None, subject.id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(measure_target_of(id, slug, title, field_id))
        }
        domain::comments::SubjectKind::Idea => idea_target(state, subject.id).await,
        domain::comments::SubjectKind::Session => {
            let head = state
                .db
                .session_head_by_id(subject.id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(session_target_of(&head))
        }
    }
}

/// The discussion of the session at `session` of the public event at `slug`; 404 when there is
/// none.
pub async fn session_target(
    state: &AppState,
    slug: &str,
    session: &str,
) -> Result<Target, AppError> {
    let head = state
        .db
        .session_head(slug, session)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(session_target_of(&head))
}

/// The discussion of a session as its page links it (answered for the city by the people who
/// run the event; closed while the event is cancelled or the session is).
pub fn session_target_of(head: &store::programme::people::SessionHead) -> Target {
    let key = format!("{}/sessions/{}", head.event_slug, head.slug);
    Target {
        subject: Subject::session(head.id),
        page: Subject::page(domain::comments::SubjectKind::Session, &key),
        slug: key,
        title: head.title.clone(),
        voice: Voice::Event(head.event_id),
        closed: (!head.open).then_some("comments-session-closed"),
    }
}

/// The discussion of idea `id`; 404 when there is none or the moderation hid it.
pub async fn idea_target(state: &AppState, id: i64) -> Result<Target, AppError> {
    let idea = state
        .db
        .idea(id)
        .await?
        .filter(|i| !i.hidden)
        .ok_or(AppError::NotFound)?;
    Ok(idea_target_of(&idea))
}

/// The discussion of an idea as its page links it.
pub fn idea_target_of(idea: &store::ideas::Idea) -> Target {
    let key = idea.id.to_string();
    Target {
        subject: Subject::idea(idea.id),
        page: Subject::page(domain::comments::SubjectKind::Idea, &key),
        slug: key,
        title: idea.title.clone(),
        voice: Voice::Field(idea.field_id),
        closed: None,
    }
}

/// The message of a refusal shown with the form again (one that `refusal` makes a form error).
pub(crate) fn refusal_reason(t: &crate::i18n::Tr, r: store::comments::Refusal) -> String {
    match refusal(t, r) {
        AppError::InvalidForm { reason, .. } => reason,
        _ => String::new(),
    }
}

/// The message of a refused write, for the form field `field`.
pub(crate) fn refusal(t: &crate::i18n::Tr, r: store::comments::Refusal) -> AppError {
    use store::comments::Refusal;
    let key = match r {
        Refusal::NotFound => return AppError::NotFound,
        Refusal::RateLimited(until) => {
            let secs = (until - time::OffsetDateTime::now_utc())
                .whole_seconds()
                .max(1);
            return AppError::TooManyRequests(secs as u64);
        }
        Refusal::ParentClosed => "comment-parent-closed",
        Refusal::TooDeep => "comment-too-deep",
        Refusal::NotAuthor => "comment-not-author",
        Refusal::EditWindowOver => "comment-edit-over",
        Refusal::OwnComment => "comment-own",
        Refusal::Gone => "comment-gone",
        Refusal::Closed => "comment-closed",
        Refusal::Blocked => "comment-blocked",
    };
    AppError::InvalidForm {
        field: "comment".into(),
        reason: t.get(key),
    }
}
