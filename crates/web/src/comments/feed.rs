//! The Atom feed of a discussion: its newest 50 published comments, replies included, with the
//! display names of their authors (never an address) and their sanitised HTML.

use super::views::rfc3339;
use super::*;
use crate::extract::{Locale, Path};
use crate::radar::svg::esc;
use axum::extract::State;
use axum::response::Response;
use std::fmt::Write as _;

/// Entries in a discussion's feed.
const FEED_SIZE: i64 = 50;

/// `GET /massnahmen/{slug}/kommentare.atom`
pub async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Locale(t): Locale,
) -> Result<Response, AppError> {
    let target = measure_target(&state, &slug).await?;
    atom(&state, t, &target).await
}

/// `GET /ideen/{id}/kommentare.atom`
pub async fn idea_feed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Locale(t): Locale,
) -> Result<Response, AppError> {
    let target = idea_target(&state, id).await?;
    atom(&state, t, &target).await
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/kommentare.atom`
pub async fn session_feed(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    Locale(t): Locale,
) -> Result<Response, AppError> {
    let target = session_target(&state, &slug, &session).await?;
    atom(&state, t, &target).await
}

async fn atom(state: &AppState, t: crate::i18n::Tr, target: &Target) -> Result<Response, AppError> {
    let comments = state.db.recent_comments(target.subject, FEED_SIZE).await?;
    let base = &state.base_url;
    let mut s = crate::feeds::atom::start(
        &crate::feeds::atom::Head {
            t: &t,
            title: &t.s("comments-page-title", "title", &target.title),
            self_href: &format!("{base}{}.atom", target.comments_path()),
            page: &format!("{base}{}#diskussion", target.page),
            updated: comments
                .iter()
                .map(|c| c.edited_at.unwrap_or(c.created_at))
                .max()
                .map(rfc3339),
            author: &crate::accounts::site_label(state, &t).await?,
        },
        comments.len(),
        800,
    );
    let mut tags = vec![domain::tags::comments(target.subject)];
    for c in &comments {
        let link = format!("{base}/kommentare/{}#kommentar-{}", c.id, c.id);
        let author = super::views::author_of(&t, c);
        let title = if c.official {
            format!("{} ({})", author, t.get("comment-official"))
        } else {
            author.clone()
        };
        let _ = write!(
            s,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<content type=\"html\">{}</content>\n</entry>\n",
            esc(&title),
            esc(&link),
            esc(&link),
            rfc3339(c.created_at),
            rfc3339(c.edited_at.unwrap_or(c.created_at)),
            esc(&author),
            esc(&c.body_html),
        );
        tags.extend(c.author_id.map(domain::tags::person));
    }
    Ok(crate::feeds::atom::finish(s, tags))
}
