//! Follows and notifications: the follow button on measure and field pages (a personal slot of
//! the cached page), the list (`/benachrichtigungen`), the settings (`/konto/benachrichtigungen`),
//! the one-click unsubscribe of notification mail (`/benachrichtigungen/abbestellen`, RFC 8058)
//! and the mail itself (the daily digest, or at once), sent by the minute task.
//!
//! The notifications are written by the store, in the transaction of what causes them
//! (`store::notifications`).

mod digest;
mod follow;
mod list;
mod settings;
mod unsubscribe;
mod views;

pub use digest::{DIGEST_TIME_KEY, digest_time, send_due};
pub use follow::{
    FollowBox, follow_box, follow_field, follow_idea, follow_measure, follow_slot, parse_slot,
};
pub use list::{list, mark_read};
pub use settings::{save_settings, settings_page, unfollow};
pub use unsubscribe::{unsubscribe, unsubscribe_form};

use crate::AppState;
use crate::session::{hmac_hex, same_secret};

/// What the unsubscribe token is for (mixed into its HMAC, so it proves nothing else).
const UNSUBSCRIBE_PURPOSE: &str = "unsubscribe-notification-mail";

/// The unsubscribe token of person `user_id`: `<id>.<HMAC of id and purpose under the site's
/// secret>`. Nothing is stored: the site checks it by computing it again. It names the person by
/// their number, never by their address.
pub fn unsubscribe_token(state: &AppState, user_id: i64) -> String {
    let mac = hmac_hex(
        state.pepper.as_bytes(),
        &format!("{UNSUBSCRIBE_PURPOSE}:{user_id}"),
    );
    format!("{user_id}.{}", &mac[..32])
}

/// The person an unsubscribe token was made for, if it is one of this site's.
pub fn unsubscribe_person(state: &AppState, token: &str) -> Option<i64> {
    let (id, _) = token.split_once('.')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    same_secret(&unsubscribe_token(state, id), token).then_some(id)
}

/// The absolute unsubscribe link of person `user_id`.
pub fn unsubscribe_url(state: &AppState, user_id: i64) -> String {
    state.url(&format!(
        "/benachrichtigungen/abbestellen?token={}",
        unsubscribe_token(state, user_id)
    ))
}

/// A person's follows, notifications and notification settings, for their data export.
pub async fn export(
    state: &AppState,
    user_id: i64,
) -> Result<(serde_json::Value, serde_json::Value, serde_json::Value), crate::error::AppError> {
    let fmt = |t: Option<time::OffsetDateTime>| {
        t.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    let follows: Vec<serde_json::Value> = state
        .db
        .follows_of_user(user_id)
        .await?
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "kind": f.kind.as_str(),
                "id": f.id,
                "title": f.title,
                "since": fmt(Some(f.created_at)),
            })
        })
        .collect();
    let notifications: Vec<serde_json::Value> = state
        .db
        .notifications_of_user(user_id)
        .await?
        .into_iter()
        .map(|n| {
            serde_json::json!({
                "id": n.id,
                "kind": n.kind.as_str(),
                "about": { "kind": n.subject_kind, "id": n.subject_id, "title": n.title },
                "by": n.actor_name,
                "text": n.body,
                "detail": n.detail,
                "link": n.link,
                "created_at": fmt(Some(n.created_at)),
                "read_at": fmt(n.read_at),
                "mailed_at": fmt(n.mailed_at),
            })
        })
        .collect();
    let prefs = state.db.notification_prefs(user_id).await?;
    let mut delivery = serde_json::Map::new();
    for kind in domain::notifications::Kind::ALL {
        delivery.insert(
            kind.as_str().to_string(),
            serde_json::Value::from(prefs.of(kind).as_str()),
        );
    }
    let settings = serde_json::json!({
        "delivery": delivery,
        "follow_what_i_write_on": prefs.auto_follow,
    });
    Ok((
        serde_json::Value::from(follows),
        serde_json::Value::from(notifications),
        settings,
    ))
}
