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

pub async fn atom(State(state): State<AppState>, Locale(t): Locale) -> Result<Response, AppError> {
    let strategy = state.db.strategy().await?;
    let reports = state.db.latest_reports(50).await?;
    let title = strategy
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| t.get("site-name"));
    let updated = reports
        .first()
        .map(|r| format!("{}T00:00:00Z", domain::dates::iso(r.published_on)))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut s = String::with_capacity(2000 + reports.len() * 600);
    let _ = write!(
        s,
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
<title>{title}</title>
<id>{base}/feeds/updates.atom</id>
<link rel="self" href="{base}/feeds/updates.atom"/>
<link rel="alternate" type="text/html" href="{base}/"/>
<updated>{updated}</updated>
<author><name>{author}</name></author>
"#,
        lang = t.lang.code(),
        title = esc(&feed_title(&t, &title)),
        base = esc(&state.base_url),
        author = esc(&strategy
            .as_ref()
            .map(|s| s.city.clone())
            .unwrap_or_default()),
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
    s.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        s,
    )
        .into_response())
    .map(|r| crate::cache::tagged(r, [domain::tags::REPORTS, domain::tags::MEASURES]))
}

pub(crate) fn feed_title(t: &Tr, strategy: &str) -> String {
    t.s("feed-title", "strategy", strategy)
}
