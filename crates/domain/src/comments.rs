//! Comments: the discussion under a measure (and, through the same component, under ideas,
//! event sessions and offers). Threads, the Markdown subset, the edit window, sorts, cursors.

use time::{Duration, OffsetDateTime};

/// What a comment is on. The store keeps the kind as text; ids are those of the kind's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Measure,
    Idea,
    /// A session of an event (the discussion after it, or about it).
    Session,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Measure => "measure",
            SubjectKind::Idea => "idea",
            SubjectKind::Session => "session",
        }
    }

    pub fn parse(v: &str) -> Option<SubjectKind> {
        match v {
            "measure" => Some(SubjectKind::Measure),
            "idea" => Some(SubjectKind::Idea),
            "session" => Some(SubjectKind::Session),
            _ => None,
        }
    }
}

/// The thing a discussion belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
}

impl Subject {
    pub fn measure(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Measure,
            id,
        }
    }

    pub fn idea(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Idea,
            id,
        }
    }

    pub fn session(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Session,
            id,
        }
    }

    /// The public page of the subject whose address part is `key` (a measure's slug, an idea's
    /// id, `<event>/sessions/<session>` for a session): the discussion's pages hang below it.
    pub fn page(kind: SubjectKind, key: &str) -> String {
        match kind {
            SubjectKind::Measure => format!("/massnahmen/{key}"),
            SubjectKind::Idea => format!("/ideen/{key}"),
            SubjectKind::Session => format!("/veranstaltungen/{key}"),
        }
    }
}

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Written by a guest who has not yet confirmed their address, or held for review.
    Pending,
    Published,
    /// Hidden by the moderation; its thread shows that it was.
    Hidden,
    /// Deleted by its author: a tombstone that keeps the replies readable.
    Deleted,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Published => "published",
            State::Hidden => "hidden",
            State::Deleted => "deleted",
        }
    }

    pub fn parse(v: &str) -> Option<State> {
        [
            State::Pending,
            State::Published,
            State::Hidden,
            State::Deleted,
        ]
        .into_iter()
        .find(|s| s.as_str() == v)
    }

    /// Whether the text is shown (a deleted or hidden comment shows a notice instead).
    pub fn shows_text(self) -> bool {
        self == State::Published
    }
}

/// The longest comment, in characters.
pub const MAX_BODY: usize = 5000;
/// Threads go three levels deep: a comment (depth 0), a reply (1) and a reply to that (2).
pub const MAX_DEPTH: i64 = 2;
/// How long after posting an author may still edit a comment.
pub const EDIT_WINDOW: Duration = Duration::minutes(15);
/// Top-level comments per page.
pub const PAGE_SIZE: i64 = 20;
/// Replies shown under a top-level comment in a list; the permalink shows all of them.
pub const REPLIES_SHOWN: i64 = 10;

/// Why a comment text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    Empty,
    TooLong,
}

impl BodyProblem {
    /// The message key of the reason.
    pub fn key(self) -> &'static str {
        match self {
            BodyProblem::Empty => "comment-empty",
            BodyProblem::TooLong => "comment-too-long",
        }
    }
}

/// The text of a comment as it will be stored: trimmed, line endings `\n`, not empty, at most
/// [`MAX_BODY`] characters.
pub fn check_body(text: &str) -> Result<String, BodyProblem> {
    let body = text.replace("\r\n", "\n").replace('\r', "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(BodyProblem::Empty);
    }
    if body.chars().count() > MAX_BODY {
        return Err(BodyProblem::TooLong);
    }
    Ok(body.to_string())
}

/// A comment's Markdown as safe HTML. The subset: paragraphs, line breaks, emphasis, strong,
/// struck text, inline code, quotes and lists, and links (`rel="nofollow ugc noopener
/// noreferrer"`, http, https and mailto only). Anything else (headings, images, tables, raw
/// HTML) keeps its text and loses its markup.
pub fn comment_html(body: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    // Raw HTML in a comment is text, not markup; headings and images become plain text.
    let events = Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH).filter_map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Heading { .. }) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::Heading(_)) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        e => Some(e),
    });
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::empty()
        .add_tags([
            "p",
            "br",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
        ])
        .add_tag_attributes("a", ["href"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow ugc noopener noreferrer"))
        .clean(&html)
        .to_string()
}

/// The longest display name of a guest, in characters.
pub const GUEST_NAME_MAX: usize = 60;
/// How long a guest's confirmation link works; an unconfirmed comment is removed after it.
pub const GUEST_CONFIRM_VALID: Duration = Duration::hours(48);
/// Reports after which a comment is hidden until the moderation reviews it (the setting's
/// default).
pub const DEFAULT_REPORT_THRESHOLD: i64 = 3;
/// The longest note of a report and the longest public reason of a moderation decision.
pub const MAX_NOTE: usize = 500;

/// A guest's display name as stored: trimmed, one line, 2 to [`GUEST_NAME_MAX`] characters,
/// without characters that look like markup or control. `None` when it is not one.
pub fn check_guest_name(name: &str) -> Option<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = name.chars().count();
    ((2..=GUEST_NAME_MAX).contains(&n)
        && !name
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '@')))
    .then_some(name)
}

/// Why someone reports a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportReason {
    Spam,
    /// "beleidigend"
    Abusive,
    /// "nicht zum Thema"
    OffTopic,
    /// "personenbezogene Daten"
    PersonalData,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Spam,
        ReportReason::Abusive,
        ReportReason::OffTopic,
        ReportReason::PersonalData,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abusive => "abusive",
            ReportReason::OffTopic => "off_topic",
            ReportReason::PersonalData => "personal_data",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(v: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.as_str() == v)
    }
}

/// What the moderation decides about a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Hidden with a public reason ("von der Moderation ausgeblendet: …").
    Hide(String),
    /// Shown again (a hidden comment) or published (one held for review).
    Show,
    /// Reviewed and left as it is: its reports are settled.
    Keep,
}

impl Decision {
    /// The action in the audit log.
    pub fn audit_action(&self) -> &'static str {
        match self {
            Decision::Hide(_) => "comment.hide",
            Decision::Show => "comment.show",
            Decision::Keep => "comment.keep",
        }
    }
}

/// A public reason or a note as stored: trimmed, not empty (when `required`), at most
/// [`MAX_NOTE`] characters. `None` when it is not one.
pub fn check_note(v: &str, required: bool) -> Option<String> {
    let v = v.trim();
    let n = v.chars().count();
    (n <= MAX_NOTE && (n > 0 || !required) && !v.chars().any(|c| c.is_control() && c != '\n'))
        .then(|| v.to_string())
}

/// The words of the moderation's word list (one per line, trimmed, lower case, empty lines and
/// lines starting with `#` left out).
pub fn word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Whether `text` contains one of `words` as a whole word (or phrase), ignoring case: such a
/// post waits for the moderation.
pub fn holds_for_words(text: &str, words: &[String]) -> bool {
    if words.is_empty() {
        return false;
    }
    let lower = text.to_lowercase();
    words.iter().any(|w| {
        lower.match_indices(w.as_str()).any(|(i, m)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + m.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether the author may still edit a comment posted at `created_at`.
pub fn may_edit(created_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - created_at <= EDIT_WINDOW
}

/// How a list of comments is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// Most upvotes first; equal ones newest first.
    Supported,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::Oldest, Sort::Supported];

    /// The value in URLs (`?sortierung=…` on pages, `?sort=…` in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Supported => "supported",
        }
    }

    pub fn parse(v: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// Where the next page of a list starts: after the comment `id`, which had `upvotes` (used by
/// [`Sort::Supported`] only). Written in URLs as `id` or `upvotes.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub upvotes: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self, sort: Sort) -> String {
        match sort {
            Sort::Supported => format!("{}.{}", self.upvotes, self.id),
            _ => self.id.to_string(),
        }
    }

    /// The cursor of a URL for `sort`; `None` when it is not one.
    pub fn parse(v: &str, sort: Sort) -> Option<Cursor> {
        let num = |s: &str| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && s.bytes().all(|b| b.is_ascii_digit()))
        };
        match sort {
            Sort::Supported => {
                let (u, id) = v.split_once('.')?;
                Some(Cursor {
                    upvotes: num(u)?,
                    id: num(id)?,
                })
            }
            _ => Some(Cursor {
                upvotes: 0,
                id: num(v)?,
            }),
        }
    }
}

/// Whether a reply may go under a comment at `parent_depth`.
pub fn may_reply_at(parent_depth: i64) -> bool {
    parent_depth < MAX_DEPTH
}

/// Whether a person may answer as the city ("Antwort der Stadt") in a discussion on the field of
/// action `field_id`: admins everywhere, editors in the fields they may change
/// (`fields`: `None` for every field).
pub fn may_answer_officially(
    roles: &[crate::accounts::Role],
    fields: crate::scope::Fields<'_>,
    field_id: i64,
) -> bool {
    use crate::accounts::Role;
    roles.contains(&Role::Admin)
        || (roles.contains(&Role::Editor) && crate::scope::may_edit_field(fields, field_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(check_body("  Hallo\r\nWelt  "), Ok("Hallo\nWelt".into()));
        assert_eq!(check_body(" \n\t "), Err(BodyProblem::Empty));
        assert_eq!(
            check_body(&"ä".repeat(MAX_BODY)).map(|b| b.len()),
            Ok(MAX_BODY * 2)
        );
        assert_eq!(
            check_body(&"a".repeat(MAX_BODY + 1)),
            Err(BodyProblem::TooLong)
        );
    }

    #[test]
    fn markdown_subset_keeps_text_and_drops_markup() {
        assert_eq!(
            comment_html("**fett** und _kursiv_"),
            "<p><strong>fett</strong> und <em>kursiv</em></p>\n"
        );
        let script = comment_html("<script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!script.contains("<script"), "{script}");
        assert!(!script.contains("<img"), "{script}");
        assert!(script.contains("&lt;script&gt;"), "{script}");
        let link = comment_html("[Seite](https://example.org) [böse](javascript:alert(1))");
        assert!(
            link.contains(
                "<a href=\"https://example.org\" rel=\"nofollow ugc noopener noreferrer\">Seite</a>"
            ),
            "{link}"
        );
        assert!(!link.contains("javascript"), "{link}");
        let heading = comment_html("# Überschrift\n\n![Bild](https://example.org/x.png)");
        assert_eq!(heading, "<p>Überschrift</p>\n<p>Bild</p>\n");
        assert_eq!(
            comment_html("- eins\n- zwei"),
            "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n"
        );
    }

    #[test]
    fn the_edit_window_is_fifteen_minutes() {
        let t = OffsetDateTime::UNIX_EPOCH;
        assert!(may_edit(t, t + Duration::minutes(15)));
        assert!(!may_edit(
            t,
            t + Duration::minutes(15) + Duration::seconds(1)
        ));
    }

    #[test]
    fn threads_are_three_levels_deep() {
        assert!(may_reply_at(0));
        assert!(may_reply_at(1));
        assert!(!may_reply_at(2));
    }

    #[test]
    fn the_city_answers_through_its_editors() {
        use crate::accounts::Role;
        assert!(may_answer_officially(&[Role::Admin], Some(&[]), 3));
        assert!(may_answer_officially(&[Role::Editor], None, 3));
        assert!(may_answer_officially(&[Role::Editor], Some(&[3, 4]), 3));
        assert!(!may_answer_officially(&[Role::Editor], Some(&[4]), 3));
        assert!(!may_answer_officially(
            &[Role::Citizen, Role::Moderator],
            None,
            3
        ));
    }

    #[test]
    fn guest_names_and_notes_are_checked() {
        assert_eq!(check_guest_name("  Anna   M. "), Some("Anna M.".into()));
        assert_eq!(check_guest_name("A"), None);
        assert_eq!(check_guest_name(&"a".repeat(GUEST_NAME_MAX + 1)), None);
        assert_eq!(check_guest_name("<b>Anna</b>"), None);
        assert_eq!(check_guest_name("anna@example.org"), None);
        assert_eq!(
            check_note("  Beleidigung ", true),
            Some("Beleidigung".into())
        );
        assert_eq!(check_note(" ", true), None);
        assert_eq!(check_note("", false), Some(String::new()));
        assert_eq!(check_note(&"x".repeat(MAX_NOTE + 1), false), None);
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(ReportReason::parse("boring"), None);
    }

    #[test]
    fn the_word_list_holds_whole_words() {
        let words = word_list("Idiot\n\n# Kommentar\n  dumme Sau ");
        assert_eq!(words, vec!["idiot".to_string(), "dumme sau".to_string()]);
        assert!(holds_for_words("Du IDIOT!", &words));
        assert!(holds_for_words("so eine dumme Sau.", &words));
        assert!(!holds_for_words("Idiotensicher soll es sein", &words));
        assert!(!holds_for_words("Alles gut", &[]));
    }

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let c = Cursor { upvotes: 7, id: 42 };
        assert_eq!(c.encode(Sort::Supported), "7.42");
        assert_eq!(Cursor::parse("7.42", Sort::Supported), Some(c));
        assert_eq!(
            Cursor::parse("42", Sort::Newest),
            Some(Cursor { upvotes: 0, id: 42 })
        );
        for junk in ["", "-1", "+4", "4.2", "x", "1e3"] {
            assert_eq!(Cursor::parse(junk, Sort::Newest), None, "{junk}");
        }
        for junk in ["42", "a.b", "1.-2", "."] {
            assert_eq!(Cursor::parse(junk, Sort::Supported), None, "{junk}");
        }
        assert_eq!(Sort::parse("supported"), Some(Sort::Supported));
        assert_eq!(Sort::parse("best"), None);
    }
}
