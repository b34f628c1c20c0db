//! The views of the notification pages, and how a notification reads (in the list and in mail).

use crate::i18n::{Arg, Tr};
use crate::layout::Chrome;
use askama::Template;
use domain::notifications::Kind;
use store::notifications::Notification;

/// A notification as one sentence (the heading) and the text snapshot below it.
pub struct Described {
    pub heading: String,
    pub text: String,
}

/// What a notification says, in the reader's language.
pub fn describe(t: &Tr, n: &Notification) -> Described {
    let title = Arg::Str(n.title.clone());
    let actor = Arg::Str(
        n.actor_name
            .clone()
            .unwrap_or_else(|| t.get("notification-someone")),
    );
    let heading = match n.kind {
        Kind::Progress => t.args("notification-progress", &[("title", title)]),
        Kind::Reply => t.args("notification-reply", &[("title", title), ("actor", actor)]),
        Kind::Official => t.args("notification-official", &[("title", title)]),
        Kind::IdeaStatus => {
            let key = format!("idea-status-{}", n.detail);
            let status = if t.has(&key) {
                t.get(&key)
            } else {
                n.detail.clone()
            };
            t.args(
                "notification-idea-status",
                &[("title", title), ("status", Arg::Str(status))],
            )
        }
        Kind::Moderation => {
            let key = match n.detail.as_str() {
                "hidden" => "notification-moderation-hidden",
                "approved" => "notification-moderation-approved",
                _ => "notification-moderation-shown",
            };
            t.args(key, &[("title", title)])
        }
    };
    let text = match (n.kind, n.body.is_empty()) {
        (_, true) => String::new(),
        (Kind::Moderation, false) => t.s("notification-reason", "reason", &n.body),
        _ => n.body.clone(),
    };
    Described { heading, text }
}

/// `06.12.2026, 07:00` in German local time.
pub fn local_time(at: time::OffsetDateTime) -> String {
    let local = at.to_offset(domain::notifications::german_offset(at));
    format!(
        "{}, {:02}:{:02}",
        domain::dates::german(local.date()),
        local.hour(),
        local.minute()
    )
}

/// One row of the list.
pub struct Item {
    pub id: i64,
    pub heading: String,
    pub text: String,
    pub link: String,
    pub date: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub items: Vec<Item>,
    pub unread: i64,
    pub next: Option<String>,
    pub first_page: bool,
}

/// One kind's choice on the settings page.
pub struct KindChoice {
    pub kind: &'static str,
    pub label: String,
    pub hint: String,
    /// Value, label, chosen.
    pub options: Vec<(&'static str, String, bool)>,
}

/// One followed thing on the settings page.
pub struct Followed {
    pub kind: &'static str,
    pub kind_label: String,
    pub id: i64,
    pub title: String,
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications/settings.html")]
pub struct SettingsPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub kinds: Vec<KindChoice>,
    pub auto_follow: bool,
    pub digest_time: String,
    pub follows: Vec<Followed>,
}

#[derive(Template)]
#[template(path = "notifications/unsubscribe.html")]
pub struct UnsubscribePage {
    pub c: Chrome,
    pub title: String,
    pub token: String,
    pub done: bool,
}
