//! How ideas look: a card of the list, the status, and the two personal parts of an idea's page
//! (the support button, the links of staff), which the page cache fills per reader.

use crate::i18n::Tr;
use askama::Template;
use domain::ideas::IdeaStatus;
use store::ideas::{Idea, MyIdeaView};

/// The label of a status ("eingereicht", "in Prüfung", …).
pub fn status_label(t: &Tr, s: IdeaStatus) -> String {
    t.get(&format!("idea-status-{}", s.as_str()))
}

/// An idea as the list shows it.
pub struct Card {
    pub href: String,
    pub title: String,
    pub field_title: String,
    pub status: &'static str,
    pub status_label: String,
    pub supports: String,
    pub comments: String,
    pub byline: String,
}

/// "Max Muster, 03.12.2026" or "gelöschtes Konto, …".
pub fn byline(t: &Tr, idea: &Idea) -> String {
    let author = idea
        .author_name
        .clone()
        .unwrap_or_else(|| t.get("comment-deleted-account"));
    t.args(
        "idea-byline",
        &[
            ("name", crate::i18n::Arg::Str(author)),
            (
                "date",
                crate::i18n::Arg::Str(domain::dates::german(idea.created_at.date())),
            ),
        ],
    )
}

pub fn card(t: &Tr, idea: &Idea) -> Card {
    Card {
        href: format!("/ideen/{}", idea.id),
        title: idea.title.clone(),
        field_title: idea.field_title.clone(),
        status: idea.status.as_str(),
        status_label: status_label(t, idea.status),
        supports: t.n("idea-supports", "count", idea.supports),
        comments: t.n("idea-comments", "count", idea.comments),
        byline: byline(t, idea),
    }
}

#[derive(Template)]
#[template(path = "ideas/support.html")]
struct SupportHtml<'a> {
    t: Tr,
    id: i64,
    csrf: &'a str,
    view: MyIdeaView,
}

/// The support part of idea `id` for a signed-in reader: the button in their state, or for
/// their own idea a note.
pub fn support_slot(t: Tr, id: i64, csrf: &str, view: MyIdeaView) -> Result<String, askama::Error> {
    SupportHtml { t, id, csrf, view }.render()
}

#[derive(Template)]
#[template(path = "ideas/staff.html")]
struct StaffHtml {
    t: Tr,
    id: i64,
    staff: bool,
    moderator: bool,
}

/// The links of staff on idea `id`'s page: the status for editors and admins (the status page
/// checks the field), hiding for moderators.
pub fn staff_slot(t: Tr, id: i64, staff: bool, moderator: bool) -> Result<String, askama::Error> {
    StaffHtml {
        t,
        id,
        staff,
        moderator,
    }
    .render()
}
