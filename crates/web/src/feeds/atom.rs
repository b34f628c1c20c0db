//! The Atom feed of progress reports.

use crate::AppState;
use crate::error::AppError;
use crate::extract::Locale;
use crate::i18n::Tr;
use crate::radar::svg::esc;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write as _;

/// The head of an Atom feed: what every feed of the site says about itself.
pub(crate) struct Head<'a> {
    pub t: &'a Tr,
    pub title: &'a str,
    /// The feed's own absolute address (also its id).
    pub self_href: &'a str,
    /// The page the feed belongs to.
    pub page: &'a str,
    /// RFC 3339; the epoch when the feed is empty.
    pub updated: Option<String>,
    pub author: &'a str,
}

/// A feed's text up to its first entry, with room for `entries` of about `entry_size` bytes.
pub(crate) fn start(h: &Head<'_>, entries: usize, entry_size: usize) -> String {
    let mut s = String::with_capacity(1000 + entries * entry_size);
    let _ = write!(
        s,
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
<title>{title}</title>
<id>{id}</id>
<link rel="self" href="{id}"/>
<link rel="alternate" type="text/html" href="{page}"/>
<updated>{updated}</updated>
<author><name>{author}</name></author>
"#,
        lang = h.t.lang.code(),
        title = esc(h.title),
        id = esc(h.self_href),
        page = esc(h.page),
        updated = h.updated.as_deref().unwrap_or("1970-01-01T00:00:00Z"),
        author = esc(h.author),
    );
    s
}

/// The finished feed `s` as a response, cached with `tags`.
pub(crate) fn finish<I, T>(mut s: String, tags: I) -> Response
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    s.push_str("</feed>\n");
    let res = (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        s,
    )
        .into_response();
    crate::cache::tagged(res, tags)
}

pub async fn atom(State(state): State<AppState>, Locale(t): Locale) -> Result<Response, AppError> {
    let strategy = state.db.strategy().await?;
    let reports = state.db.latest_reports(50).await?;
    let title = strategy
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| t.get("site-name"));
    let base = &state.base_url;
    let mut s = start(
        &Head {
            t: &t,
            title: &feed_title(&t, &title),
            self_href: &format!("{base}/feeds/updates.atom"),
            page: &format!("{base}/"),
            updated: reports
                .first()
                .map(|r| format!("{}T00:00:00Z", domain::dates::iso(r.published_on))),
            author: &strategy
                .as_ref()
                .map(|s| s.city.clone())
                .unwrap_or_default(),
        },
        reports.len(),
        600,
    );
    for r in &reports {
        let link = format!(
            "{}/massnahmen/{}#bericht-{}",
            state.base_url, r.measure_slug, r.id
        );
        let mut body = String::new();
        for (k, v) in [
            ("report-results", &r.results),
            ("report-outlook", &r.outlook),
            ("report-highlights", &r.highlights),
        ] {
            if !v.is_empty() {
                let _ = write!(body, "{}: {}\n\n", t.get(k), v);
            }
        }
        let _ = write!(
            s,
            "<entry>\n<title>{} – {}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}T00:00:00Z</updated>\n<summary>{}</summary>\n</entry>\n",
            esc(&r.measure_title),
            esc(&t.n("report-year", "year", r.year)),
            esc(&link),
            esc(&link),
            domain::dates::iso(r.published_on),
            esc(body.trim_end()),
        );
    }
    Ok(finish(s, [domain::tags::REPORTS, domain::tags::MEASURES]))
}

pub(crate) fn feed_title(t: &Tr, strategy: &str) -> String {
    t.s("feed-title", "strategy", strategy)
}
