//! The public archive of issues that went out (`/newsletter/archiv`, each issue's page) and its
//! Atom feed, cached with the tag `newsletter`, which an issue beginning to go out publishes.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Locale, Path, Query};
use crate::feeds::atom::{Head, finish, start};
use crate::layout::{Chrome, PageResult, chrome, html};
use crate::radar::svg::esc;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use domain::tags::{NEWSLETTER, SITE};
use std::fmt::Write as _;
use store::newsletter::issues::Issue;
use time::OffsetDateTime;

const PER_PAGE: i64 = 20;

/// The German date of a moment.
pub(crate) fn local_date(at: OffsetDateTime) -> String {
    let local = at.to_offset(domain::notifications::german_offset(at));
    domain::dates::german(local.date())
}

/// An issue in the list.
struct Row {
    href: String,
    subject: String,
    date: String,
    topics: String,
}

#[derive(Template)]
#[template(path = "newsletter/archive.html")]
struct ArchivePage {
    c: Chrome,
    title: String,
    issues: Vec<Row>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

/// `GET /newsletter/archiv`.
pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let page = match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .ok_or_else(|| AppError::bad("page", ctx.t.get("programme-bad-page")))?,
    };
    let (list, total) = state.db.newsletter_archive(page, PER_PAGE).await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    html(ArchivePage {
        c: chrome(&state, &ctx, "").await?,
        title: ctx.t.get("newsletter-archive-title"),
        issues: list
            .into_iter()
            .map(|i| Row {
                href: format!("/newsletter/archiv/{}", i.id),
                date: i.sent_at.map(local_date).unwrap_or_default(),
                topics: super::topic_names(&ctx.t, i.topics),
                subject: i.subject,
            })
            .collect(),
        previous: (page > 1).then(|| format!("/newsletter/archiv?page={}", page - 1)),
        next: (page < pages).then(|| format!("/newsletter/archiv?page={}", page + 1)),
    })
    .map(|r| crate::cache::tagged(r, [NEWSLETTER, SITE]))
}

#[derive(Template)]
#[template(path = "newsletter/issue.html")]
struct IssuePage {
    c: Chrome,
    title: String,
    subject: String,
    date: String,
    topics: String,
    body_html: String,
}

/// `GET /newsletter/archiv/{id}`: an issue that went out (404 for drafts and scheduled ones).
pub async fn issue_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> PageResult {
    let issue = public_issue(&state, id).await?;
    html(IssuePage {
        c: chrome(&state, &ctx, "").await?,
        title: issue.subject.clone(),
        date: issue.sent_at.map(local_date).unwrap_or_default(),
        topics: super::topic_names(&ctx.t, issue.topics),
        subject: issue.subject,
        body_html: issue.body_html,
    })
    .map(|r| crate::cache::tagged(r, [NEWSLETTER, SITE]))
}

async fn public_issue(state: &AppState, id: i64) -> Result<Issue, AppError> {
    state
        .db
        .newsletter_issue(id)
        .await?
        .filter(Issue::public)
        .ok_or(AppError::NotFound)
}

/// `GET /newsletter/archiv.atom`: the latest 20 issues that went out.
pub async fn feed(State(state): State<AppState>, Locale(t): Locale) -> Result<Response, AppError> {
    let (list, _) = state.db.newsletter_archive(1, PER_PAGE).await?;
    let city = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    let base = &state.base_url;
    let rfc = |at: Option<OffsetDateTime>| {
        at.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    let mut s = start(
        &Head {
            t: &t,
            title: &t.s("newsletter-feed-title", "site", &city),
            self_href: &format!("{base}/newsletter/archiv.atom"),
            page: &format!("{base}/newsletter/archiv"),
            updated: list.first().and_then(|i| rfc(i.sent_at)),
            author: &city,
        },
        list.len(),
        2000,
    );
    for i in &list {
        let link = format!("{base}/newsletter/archiv/{}", i.id);
        let _ = write!(
            s,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n<content type=\"html\">{}</content>\n</entry>\n",
            esc(&i.subject),
            esc(&link),
            esc(&link),
            rfc(i.sent_at).unwrap_or_default(),
            esc(&i.body_html),
        );
    }
    Ok(finish(s, [NEWSLETTER, SITE]))
}
