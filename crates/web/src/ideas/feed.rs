//! `GET /ideen.atom`: the newest 50 ideas shown in the list, with their authors' display names
//! (never an address), status and description.

use crate::AppState;
use crate::comments::rfc3339;
use crate::error::AppError;
use crate::extract::Locale;
use crate::radar::svg::esc;
use axum::extract::State;
use axum::response::Response;
use domain::ideas::IdeaSort;
use std::fmt::Write as _;
use store::ideas::IdeaFilter;

/// Entries in the feed of new ideas.
const FEED_SIZE: i64 = 50;

pub async fn feed(State(state): State<AppState>, Locale(t): Locale) -> Result<Response, AppError> {
    let page = state
        .db
        .idea_page(IdeaFilter::default(), IdeaSort::Newest, None, FEED_SIZE)
        .await?;
    let base = &state.base_url;
    let mut s = crate::feeds::atom::start(
        &crate::feeds::atom::Head {
            t: &t,
            title: &t.get("ideas-feed-title"),
            self_href: &format!("{base}/ideen.atom"),
            page: &format!("{base}/ideen"),
            updated: page.ideas.iter().map(|i| i.created_at).max().map(rfc3339),
            author: &crate::accounts::site_label(&state, &t).await?,
        },
        page.ideas.len(),
        1200,
    );
    let mut tags = vec![
        domain::tags::IDEAS.to_string(),
        domain::tags::SITE.to_string(),
    ];
    for i in &page.ideas {
        let link = format!("{base}/ideen/{}", i.id);
        let author = i
            .author_name
            .clone()
            .unwrap_or_else(|| t.get("comment-deleted-account"));
        let summary = format!("{} · {}", super::status_label(&t, i.status), i.field_title);
        let _ = write!(
            s,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<category term=\"{}\" label=\"{}\"/>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            esc(&i.title),
            esc(&link),
            esc(&link),
            rfc3339(i.created_at),
            rfc3339(i.status_at.unwrap_or(i.created_at)),
            esc(&author),
            esc(i.status.as_str()),
            esc(&super::status_label(&t, i.status)),
            esc(&summary),
            esc(&i.description_html),
        );
        tags.extend(i.author_id.map(domain::tags::person));
    }
    Ok(crate::feeds::atom::finish(s, tags))
}
