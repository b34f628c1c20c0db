//! The newsletter: subscribing with double opt-in (`/newsletter`, the confirmation by a POST
//! button), changing topics and unsubscribing by the link in every mail (one click, RFC 8058)
//! or in the account, the public archive with its Atom feed, the back office where editors
//! write, preview, test, send and schedule issues, and the task that sends them through the
//! mail queue at the configured pace.
//!
//! The link in a newsletter mail names the subscription by its number with an HMAC under the
//! site's secret (nothing stored, as for notification mail); the confirmation link carries a
//! random token of which the store keeps only the hash.

mod account;
mod archive;
mod manage;
mod office;
mod send;
mod subscribe;

pub use account::{account_page, save_account};
pub use archive::{archive, feed, issue_page};
pub use manage::{topics_form, topics_save, unsubscribe, unsubscribe_form};
pub use office::{create_issue, edit_issue, issues, new_issue, save_issue};
pub use send::{message, send_issue, send_round, spawn, test_issue};
pub use subscribe::{confirm, confirm_form, subscribe, subscribe_page};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::session::{hmac_hex, same_secret};
use domain::newsletter::{Topic, Topics};

/// What the subscription token is for (mixed into its HMAC, so it proves nothing else).
const PURPOSE: &str = "newsletter-subscription";

/// The token of subscription `id`: `<id>.<HMAC of id and purpose under the site's secret>`.
pub fn token(state: &AppState, id: i64) -> String {
    let mac = hmac_hex(state.pepper.as_bytes(), &format!("{PURPOSE}:{id}"));
    format!("{id}.{}", &mac[..32])
}

/// The subscription a token was made for, if it is one of this site's.
pub fn subscription_of(state: &AppState, token: &str) -> Option<i64> {
    let (id, _) = token.split_once('.')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    same_secret(&self::token(state, id), token).then_some(id)
}

/// The absolute one-click unsubscribe link of subscription `id` (its page also leads to the
/// topics).
pub fn unsubscribe_url(state: &AppState, id: i64) -> String {
    state.url(&format!(
        "/newsletter/abbestellen?token={}",
        token(state, id)
    ))
}

/// The translation key of a topic's name.
pub fn topic_key(topic: Topic) -> &'static str {
    match topic {
        Topic::Strategy => "newsletter-topic-strategy",
        Topic::Events => "newsletter-topic-events",
        Topic::Offers => "newsletter-topic-offers",
    }
}

/// The names of `topics`, joined.
pub fn topic_names(t: &Tr, topics: Topics) -> String {
    topics
        .list()
        .into_iter()
        .map(|x| t.get(topic_key(x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A checkbox of the topics' fieldset: value, label, checked.
pub struct TopicBox {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// The topics' checkboxes with `chosen` ticked.
pub fn topic_boxes(t: &Tr, chosen: Topics) -> Vec<TopicBox> {
    Topic::ALL
        .into_iter()
        .map(|x| TopicBox {
            value: x.as_str(),
            label: t.get(topic_key(x)),
            checked: chosen.has(x),
        })
        .collect()
}

/// The first value of `name` in a form read as pairs.
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The topics of a form's `topic` fields; an unknown one is refused with its field named.
pub(crate) fn topics_of(t: &Tr, pairs: &[(String, String)]) -> Result<Topics, AppError> {
    Topics::parse(
        pairs
            .iter()
            .filter(|(k, _)| k == "topic")
            .map(|(_, v)| v.as_str()),
    )
    .map_err(|_| AppError::InvalidForm {
        field: "topic".into(),
        reason: t.get("newsletter-topic-unknown"),
    })
}

/// The newsletter subscription of an address, for the person's data export (`null`: none).
pub async fn export(state: &AppState, email: &str) -> Result<serde_json::Value, AppError> {
    let Some(s) = state.db.newsletter_subscriber_by_email(email).await? else {
        return Ok(serde_json::Value::Null);
    };
    Ok(serde_json::json!({
        "state": s.state,
        "topics": s.topics.list().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "confirmed_at": s.confirmed_at.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339).ok()
        }),
    }))
}
