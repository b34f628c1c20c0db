//! How a discussion looks: the section under a measure, its threads, one comment, and the two
//! personal parts of it (a comment's actions, the form), which the page cache fills per reader
//! through the slots `<!--slot:comment:<id>-->` and `<!--slot:comment-form:<target>-->`.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use askama::Template;
use domain::comments::{Cursor, REPLIES_SHOWN, Sort, State, Subject};
use std::collections::HashMap;
use store::accounts::SessionUser;
use store::comments::{Comment, MyView, Thread};
use time::OffsetDateTime;

/// Who answers a discussion for the city: the editors of a field of action, or the people who
/// run an event (for its sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Field(i64),
    Event(i64),
}

/// The discussion of a subject as the pages link it: its page, title and official voice.
#[derive(Debug, Clone)]
pub struct Target {
    pub subject: Subject,
    /// The page of the subject (`/massnahmen/<slug>`).
    pub page: String,
    pub slug: String,
    pub title: String,
    /// Who may answer as the city.
    pub voice: Voice,
    /// The subject takes no comments whatever the windows say (a cancelled session): the
    /// translation key of the notice.
    pub closed: Option<&'static str>,
}

impl Target {
    /// Where the discussion's own pages are (`/massnahmen/<slug>/kommentare`).
    pub fn comments_path(&self) -> String {
        format!("{}/kommentare", self.page)
    }

    /// The item of the header's navigation that the discussion's pages belong to.
    pub fn nav(&self) -> &'static str {
        match self.subject.kind {
            domain::comments::SubjectKind::Measure => "measures",
            domain::comments::SubjectKind::Idea => "ideas",
            domain::comments::SubjectKind::Session => "events",
        }
    }

    /// The cache tag of the subject itself (its title, its state; a session's are its event's).
    pub fn subject_tag(&self) -> String {
        match (self.subject.kind, self.voice) {
            (domain::comments::SubjectKind::Session, Voice::Event(e)) => domain::tags::event(e),
            (domain::comments::SubjectKind::Idea, _) => domain::tags::idea(self.subject.id),
            _ => domain::tags::measure(self.subject.id),
        }
    }

    /// The argument of the form slot: `measure-<id>-<slug>`.
    pub fn slot_arg(&self) -> String {
        format!(
            "{}-{}-{}",
            self.subject.kind.as_str(),
            self.subject.id,
            self.slug
        )
    }
}

/// The subject and slug of a form slot's argument.
pub fn parse_form_slot(arg: &str) -> Option<(Subject, &str)> {
    let (kind, rest) = arg.split_once('-')?;
    let (id, slug) = rest.split_once('-')?;
    Some((
        Subject {
            kind: domain::comments::SubjectKind::parse(kind)?,
            id: id.parse().ok()?,
        },
        slug,
    ))
}

pub(crate) fn render<T: Template>(t: T) -> Result<String, AppError> {
    t.render().map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Template)]
#[template(path = "comments/comment.html")]
struct CommentHtml<'a> {
    t: Tr,
    id: i64,
    author: String,
    official: bool,
    date: String,
    datetime: String,
    edited: bool,
    guest: bool,
    body_html: Option<&'a str>,
    notice: String,
    upvotes: i64,
    /// The slot of the actions: `comment`, or `comment-closed` in a closed discussion.
    slot: &'static str,
    actions: String,
}

/// "03.12.2026, 14:05" in the city's time (UTC until time zones are a setting).
fn when(at: OffsetDateTime) -> (String, String) {
    let date = format!(
        "{}, {:02}:{:02}",
        domain::dates::german(at.date()),
        at.hour(),
        at.minute()
    );
    (date, rfc3339(at))
}

/// RFC 3339 in whole seconds (HTML's `datetime` takes at most three digits of a fraction; the
/// feed's dates need none).
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The author as shown: the display name, or "gelöschtes Konto".
pub fn author_of(t: &Tr, c: &Comment) -> String {
    c.author_name
        .clone()
        .unwrap_or_else(|| t.get("comment-deleted-account"))
}

/// One comment's HTML with `actions` in its slot.
pub fn comment_html(t: Tr, c: &Comment, actions: String) -> Result<String, AppError> {
    comment_in(t, c, actions, true)
}

/// [`comment_html`] in a discussion that is `open` or closed (its slot says which).
fn comment_in(t: Tr, c: &Comment, actions: String, open: bool) -> Result<String, AppError> {
    let (date, datetime) = when(c.created_at);
    render(CommentHtml {
        t,
        id: c.id,
        author: author_of(&t, c),
        official: c.official,
        date,
        datetime,
        edited: c.edited_at.is_some() && c.state.shows_text(),
        guest: c.guest,
        body_html: (c.state.shows_text() && !c.author_blocked).then_some(c.body_html.as_str()),
        notice: match (c.state, &c.moderation_reason) {
            (State::Published, _) if c.author_blocked => t.get("comment-author-blocked"),
            (State::Hidden, Some(reason)) => t.s("comment-hidden", "reason", reason),
            (State::Hidden, None) => t.get("comment-hidden-reported"),
            _ => t.get("comment-deleted"),
        },
        upvotes: c.upvotes,
        slot: if open { "comment" } else { "comment-closed" },
        actions,
    })
}

#[derive(Template)]
#[template(path = "comments/actions.html")]
struct ActionsHtml<'a> {
    t: Tr,
    id: i64,
    csrf: &'a str,
    upvoted: bool,
    can_vote: bool,
    can_reply: bool,
    can_edit: bool,
    can_delete: bool,
    can_report: bool,
}

/// What a comment is, as its actions need it.
pub fn view_of(c: &Comment) -> MyView {
    MyView {
        mine: false,
        upvoted: false,
        depth: c.depth,
        state: c.state,
        created_at: c.created_at,
    }
}

/// The actions under comment `id`: for a signed-in reader (`csrf` given, `view` theirs) upvote,
/// reply, and on their own comment edit (within the window) and delete; for anyone else the
/// reply link, which leads to the login.
pub fn actions_html(
    t: Tr,
    id: i64,
    view: &MyView,
    csrf: Option<&str>,
    discussion_open: bool,
) -> Result<String, askama::Error> {
    let shown = view.state == State::Published;
    let open = shown && discussion_open;
    ActionsHtml {
        t,
        id,
        csrf: csrf.unwrap_or(""),
        upvoted: view.upvoted,
        can_vote: csrf.is_some() && open && !view.mine,
        can_reply: open && domain::comments::may_reply_at(view.depth),
        can_edit: csrf.is_some()
            && open
            && view.mine
            && domain::comments::may_edit(view.created_at, OffsetDateTime::now_utc()),
        can_delete: csrf.is_some() && view.mine && view.state != State::Deleted,
        can_report: shown && !view.mine,
    }
    .render()
}

#[derive(Template)]
#[template(path = "comments/form.html")]
pub(crate) struct FormHtml<'a> {
    pub t: Tr,
    pub action: &'a str,
    pub csrf: &'a str,
    pub field_id: &'a str,
    pub label: String,
    pub body: &'a str,
    pub official_allowed: bool,
    pub official: bool,
    pub submit: String,
}

/// The form for a new comment on the subject of slot `arg` (the content of the form slot):
/// for a signed-in reader the form, with the city's voice when `official_allowed`; for anyone
/// else the guest form with its token `guest_token` and the way to the login.
pub fn form_slot(
    t: Tr,
    arg: &str,
    reader: Option<(&SessionUser, bool)>,
    guest_token: &str,
) -> Result<String, askama::Error> {
    let Some((subject, slug)) = parse_form_slot(arg) else {
        return Ok(String::new());
    };
    let page = Subject::page(subject.kind, slug);
    match reader {
        None => super::guest::guest_form_html(
            t,
            &format!("{page}/kommentare/gast"),
            guest_token,
            false,
            ("", "", ""),
        ),
        Some((user, official_allowed)) => FormHtml {
            t,
            action: &format!("{page}/kommentare"),
            csrf: &user.csrf_token,
            field_id: "comment-body",
            label: t.get("comments-new"),
            body: "",
            official_allowed,
            official: false,
            submit: t.get("comments-submit"),
        }
        .render(),
    }
}

/// Whether `user` may answer as the city with `voice`: in a field of action as its editor, for
/// an event as one who runs it (admins always).
pub async fn official_voice(
    db: &store::Db,
    user: &SessionUser,
    voice: Voice,
) -> Result<bool, store::StoreError> {
    use domain::accounts::Role;
    if user.roles.contains(&Role::Admin) {
        return Ok(true);
    }
    let field_id = match voice {
        Voice::Field(f) => f,
        Voice::Event(e) => {
            return Ok(
                user.roles.contains(&Role::Organiser) && db.runs_event(e, user.user.id).await?
            );
        }
    };
    if !user.roles.contains(&Role::Editor) {
        return Ok(false);
    }
    let fields = db.editor_fields(user.user.id).await?;
    let fields = (!fields.is_empty()).then_some(fields.as_slice());
    Ok(domain::comments::may_answer_officially(
        &user.roles,
        fields,
        field_id,
    ))
}

struct ReplyHtml {
    html: String,
    children: Vec<String>,
}

struct ThreadHtml {
    top: String,
    replies: Vec<ReplyHtml>,
    more: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "comments/threads.html")]
struct ThreadsHtml {
    threads: Vec<ThreadHtml>,
}

/// The reader of a page rendered with their session (no page cache in front): their views of
/// the comments shown, so that the actions are theirs.
pub struct Reader<'a> {
    pub user: &'a SessionUser,
    pub views: HashMap<i64, MyView>,
}

/// The HTML of comment `c` with the actions for `reader` (or the anonymous ones), in a
/// discussion that is `open` or closed.
fn with_actions(
    t: Tr,
    c: &Comment,
    reader: Option<&Reader<'_>>,
    open: bool,
) -> Result<String, AppError> {
    let html = match reader.and_then(|r| r.views.get(&c.id).map(|v| (r, v))) {
        Some((r, v)) => actions_html(t, c.id, v, Some(&r.user.csrf_token), open),
        None => actions_html(t, c.id, &view_of(c), None, open),
    };
    comment_in(
        t,
        c,
        html.map_err(|e| AppError::Internal(e.to_string()))?,
        open,
    )
}

/// A reply list in thread order: each reply at depth 1 with its own replies below it; the
/// answers of the city first among their siblings. A reply whose parent is not shown goes
/// directly under the thread.
fn nest(
    t: Tr,
    replies: &[Comment],
    reader: Option<&Reader<'_>>,
    open: bool,
) -> Result<Vec<ReplyHtml>, AppError> {
    let mut firsts: Vec<&Comment> = replies.iter().filter(|r| r.depth == 1).collect();
    let shown: std::collections::HashSet<i64> = firsts.iter().map(|r| r.id).collect();
    let orphans: Vec<&Comment> = replies
        .iter()
        .filter(|r| r.depth > 1 && !r.parent_id.is_some_and(|p| shown.contains(&p)))
        .collect();
    firsts.extend(orphans);
    firsts.sort_by_key(|r| (!r.official, r.id));
    firsts
        .into_iter()
        .map(|r| {
            let mut children: Vec<&Comment> = replies
                .iter()
                .filter(|c| r.depth == 1 && c.depth == 2 && c.parent_id == Some(r.id))
                .collect();
            children.sort_by_key(|c| (!c.official, c.id));
            Ok(ReplyHtml {
                html: with_actions(t, r, reader, open)?,
                children: children
                    .into_iter()
                    .map(|c| with_actions(t, c, reader, open))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

/// The threads of a page as an `<ol>`; a thread with more replies than shown links to its
/// permalink.
pub fn threads_html(
    t: Tr,
    threads: &[Thread],
    reader: Option<&Reader<'_>>,
    open: bool,
) -> Result<String, AppError> {
    let threads = threads
        .iter()
        .map(|th| {
            let c = &th.comment;
            Ok(ThreadHtml {
                top: with_actions(t, c, reader, open)?,
                replies: nest(t, &th.replies, reader, open)?,
                more: (c.replies > th.replies.len() as i64).then(|| {
                    (
                        format!("/kommentare/{}", c.id),
                        t.n("comment-all-replies", "count", c.replies),
                    )
                }),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    render(ThreadsHtml { threads })
}

/// Whether the discussion of `subject` takes posts now, and what it says about its window:
/// since when it is closed, when it opens, or until when it is open.
pub async fn window_of(
    state: &AppState,
    t: Tr,
    subject: Subject,
) -> Result<(bool, Option<String>), AppError> {
    use domain::participation::WindowState;
    let w = state.db.discussion_window(subject).await?;
    let day = |at: OffsetDateTime| domain::dates::german(at.date());
    Ok(match w.state(OffsetDateTime::now_utc()) {
        WindowState::Open(None) => (true, None),
        // Closes at midnight: the last day is the day before.
        WindowState::Open(Some(c)) => (
            true,
            Some(t.s(
                "comments-open-until",
                "date",
                &day(c - time::Duration::seconds(1)),
            )),
        ),
        WindowState::NotYet(o) => (false, Some(t.s("comments-not-yet", "date", &day(o)))),
        WindowState::Closed(at) => (false, Some(t.s("comments-closed", "date", &day(at)))),
    })
}

#[derive(Template)]
#[template(path = "comments/section.html")]
struct SectionHtml {
    t: Tr,
    /// The discussion's event stream.
    live: String,
    /// The discussion's Atom feed.
    feed: String,
    count: i64,
    any: bool,
    open: bool,
    window: Option<String>,
    form_slot: String,
    form: String,
    sorts: Vec<(String, String, bool)>,
    threads: String,
    next: Option<String>,
}

/// The link of a discussion page in `sort` order after `after`.
pub fn page_href(target: &Target, sort: Sort, after: Option<Cursor>) -> String {
    let mut href = format!("{}?sort={}", target.comments_path(), sort.as_str());
    if let Some(c) = after {
        href.push_str("&after=");
        href.push_str(&c.encode(sort));
    }
    href
}

/// A discussion section: its HTML and the cache tags of what it shows.
pub struct Section {
    pub html: String,
    pub tags: Vec<String>,
}

/// The discussion of `target`, one page in `sort` order after `after`, for `reader` when the
/// page is rendered with a session (otherwise the anonymous parts, which the cache fills).
pub async fn section(
    state: &AppState,
    t: Tr,
    target: &Target,
    sort: Sort,
    after: Option<Cursor>,
    user: Option<&SessionUser>,
) -> Result<Section, AppError> {
    let db = &state.db;
    let page = db
        .comment_page(
            target.subject,
            sort,
            after,
            domain::comments::PAGE_SIZE,
            REPLIES_SHOWN,
        )
        .await?;
    let count = db.comment_count(target.subject).await?;
    let all: Vec<&Comment> = page
        .threads
        .iter()
        .flat_map(|th| std::iter::once(&th.comment).chain(th.replies.iter()))
        .collect();
    let reader = match user {
        Some(user) => {
            let ids: Vec<i64> = all.iter().map(|c| c.id).collect();
            Some(Reader {
                user,
                views: db.my_comment_views(user.user.id, &ids).await?,
            })
        }
        None => None,
    };
    let form_reader = match user {
        Some(u) => Some((u, official_voice(db, u, target.voice).await?)),
        None => None,
    };
    let (open, window) = match target.closed {
        Some(key) => (false, Some(t.get(key))),
        None => window_of(state, t, target.subject).await?,
    };
    let slot = target.slot_arg();
    let token = super::guest::guest_token(state, target);
    let form =
        form_slot(t, &slot, form_reader, &token).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tags = vec![
        domain::tags::comments(target.subject),
        domain::tags::WINDOWS.to_string(),
    ];
    tags.extend(
        all.iter()
            .filter_map(|c| c.author_id)
            .map(domain::tags::person),
    );
    let html = render(SectionHtml {
        t,
        live: format!("{}/live", target.comments_path()),
        feed: format!("{}.atom", target.comments_path()),
        count,
        any: !page.threads.is_empty(),
        open,
        window,
        form_slot: slot,
        form,
        sorts: Sort::ALL
            .into_iter()
            .map(|s| {
                (
                    page_href(target, s, None),
                    t.get(&format!("comments-sort-{}", s.as_str())),
                    s == sort,
                )
            })
            .collect(),
        threads: threads_html(t, &page.threads, reader.as_ref(), open)?,
        next: page.next.map(|c| page_href(target, sort, Some(c))),
    })?;
    Ok(Section { html, tags })
}
