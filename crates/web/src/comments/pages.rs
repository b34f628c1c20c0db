//! The pages of a discussion: all of it in three orders, 20 threads a page by cursor
//! (`/massnahmen/{slug}/kommentare?sort=…&after=…`), and the permalink of a comment, which shows
//! its whole thread (`/kommentare/{id}`, 100 replies a page).

use super::views::{Reader, page_href, section, threads_html};
use super::*;
use crate::extract::{Ctx, Path, Query};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::comments::{Cursor, Sort, State as CommentState};
use serde::Deserialize;
use store::comments::Thread;

/// Replies per page of a thread's permalink.
pub const THREAD_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

/// The order and cursor of a query; a bad value is a 400 naming the parameter.
pub fn parse_list(
    t: &crate::i18n::Tr,
    sort: Option<&str>,
    after: Option<&str>,
) -> Result<(Sort, Option<Cursor>), AppError> {
    let sort = match sort.filter(|s| !s.is_empty()) {
        None => Sort::default(),
        Some(s) => {
            Sort::parse(s).ok_or_else(|| AppError::bad("sort", t.get("comments-bad-sort")))?
        }
    };
    let after = match after.filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => Some(
            Cursor::parse(a, sort)
                .ok_or_else(|| AppError::bad("after", t.get("comments-bad-cursor")))?,
        ),
    };
    Ok((sort, after))
}

#[derive(Template)]
#[template(path = "comments/page.html")]
struct ListPage {
    c: Chrome,
    title: String,
    back_href: String,
    back_label: String,
    first: Option<String>,
    section: String,
}

/// `GET /massnahmen/{slug}/kommentare`: the discussion of a measure, one page.
pub async fn comments_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let (sort, after) = parse_list(&ctx.t, q.sort.as_deref(), q.after.as_deref())?;
    let target = measure_target(&state, &slug).await?;
    list_page(&state, &ctx, &target, sort, after).await
}

/// `GET /ideen/{id}/kommentare`: the discussion of an idea, one page.
pub async fn idea_comments_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let (sort, after) = parse_list(&ctx.t, q.sort.as_deref(), q.after.as_deref())?;
    let target = idea_target(&state, id).await?;
    list_page(&state, &ctx, &target, sort, after).await
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/kommentare`: a session's discussion, one
/// page.
pub async fn session_comments_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, session)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let (sort, after) = parse_list(&ctx.t, q.sort.as_deref(), q.after.as_deref())?;
    let target = session_target(&state, &slug, &session).await?;
    list_page(&state, &ctx, &target, sort, after).await
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    target: &Target,
    sort: Sort,
    after: Option<Cursor>,
) -> PageResult {
    let t = ctx.t;
    let s = section(state, t, target, sort, after, ctx.user.as_ref()).await?;
    let mut tags = s.tags;
    tags.push(target.subject_tag());
    html(ListPage {
        c: crate::layout::chrome(state, ctx, target.nav()).await?,
        title: t.s("comments-page-title", "title", &target.title),
        back_label: t.s("comments-back", "title", &target.title),
        back_href: target.page.clone(),
        first: after.map(|_| page_href(target, sort, None)),
        section: s.html,
    })
    .map(|r| crate::cache::tagged(r, tags))
}

#[derive(Deserialize, Default)]
pub struct ThreadQuery {
    #[serde(default)]
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "comments/thread_page.html")]
struct ThreadPage {
    c: Chrome,
    title: String,
    back_href: String,
    back_label: String,
    earlier: Option<String>,
    later: Option<String>,
    thread: String,
}

/// `GET /kommentare/{id}`: the thread of a comment, from its start or — for a reply further
/// down a long thread — from the reply it answers.
pub async fn permalink(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ThreadQuery>,
) -> PageResult {
    let t = ctx.t;
    let after = match q.after.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => Some(
            Cursor::parse(a, Sort::Oldest)
                .ok_or_else(|| AppError::bad("after", t.get("comments-bad-cursor")))?
                .id,
        ),
    };
    let db = &state.db;
    let c = db.comment(id).await?.ok_or(AppError::NotFound)?;
    if c.state == CommentState::Pending {
        return Err(AppError::NotFound);
    }
    let target = target_of(&state, c.subject).await?;
    let root = match c.root_id {
        Some(r) => db.comment(r).await?.ok_or(AppError::NotFound)?,
        None => c.clone(),
    };
    // A reply further down than the first page starts its page at the reply it belongs to.
    let after = match (after, c.root_id) {
        (Some(a), _) => Some(a),
        (None, Some(r)) if db.replies_before(r, id).await? >= THREAD_PAGE => {
            let start = if c.depth == 2 {
                c.parent_id.unwrap_or(id)
            } else {
                id
            };
            Some(start - 1)
        }
        _ => None,
    };
    let (replies, more) = db.thread_replies(root.id, after, THREAD_PAGE).await?;
    let mut tags = vec![
        domain::tags::comments(target.subject),
        domain::tags::measure(target.subject.id),
        domain::tags::WINDOWS.to_string(),
    ];
    tags.extend(
        std::iter::once(&root)
            .chain(replies.iter())
            .filter_map(|c| c.author_id)
            .map(domain::tags::person),
    );
    let reader = match ctx.user.as_ref() {
        Some(user) => {
            let ids: Vec<i64> = std::iter::once(root.id)
                .chain(replies.iter().map(|r| r.id))
                .collect();
            Some(Reader {
                user,
                views: db.my_comment_views(user.user.id, &ids).await?,
            })
        }
        None => None,
    };
    let later = more
        .then(|| {
            replies
                .last()
                .map(|r| format!("/kommentare/{}?after={}", root.id, r.id))
        })
        .flatten();
    let shown = replies.len() as i64;
    let thread = Thread {
        comment: root.clone(),
        replies,
    };
    // The page shows every reply it has; the "all replies" link is for lists only.
    let mut whole = thread.clone();
    whole.comment.replies = shown;
    let (open, _) = super::views::window_of(&state, t, target.subject).await?;
    let thread_html = threads_html(t, &[whole], reader.as_ref(), open)?;
    html(ThreadPage {
        c: crate::layout::chrome(&state, &ctx, "measures").await?,
        title: t.s(
            "comment-thread-title",
            "name",
            &super::views::author_of(&t, &thread.comment),
        ),
        back_href: format!("{}#diskussion", target.page),
        back_label: t.s("comment-on", "title", &target.title),
        earlier: after.map(|_| format!("/kommentare/{}", root.id)),
        later,
        thread: thread_html,
    })
    .map(|r| crate::cache::tagged(r, tags))
}
