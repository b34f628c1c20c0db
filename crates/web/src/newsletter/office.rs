//! The back office of the newsletter (editors and admins): the issues with their state, the
//! form to write one (subject, Markdown, topics) with a button that pulls in the latest
//! progress reports, coming events and new offers, the preview, and on an issue's page its
//! progress (sent / failed / left from the mail queue) and the buttons to test, send and
//! schedule (`send.rs`).

use super::{TopicBox, field, topic_boxes};
use crate::AppState;
use crate::accounts::render;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, Query, RequireRole, role};
use crate::layout::{Chrome, PageResult, chrome};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::newsletter::{Topics, check_issue};
use std::fmt::Write as _;
use store::newsletter::issues::{Issue, IssueInput};
use store::newsletter::send::Progress;
use time::OffsetDateTime;

type Editor = RequireRole<role::Editor>;

const PER_PAGE: i64 = 50;

struct Row {
    href: String,
    subject: String,
    state: String,
    date: String,
}

#[derive(Template)]
#[template(path = "newsletter/office_list.html")]
struct ListPage {
    c: Chrome,
    title: String,
    issues: Vec<Row>,
    /// How many subscriptions are confirmed and waiting.
    counts: String,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<i64>,
}

fn state_label(t: &crate::i18n::Tr, i: &Issue) -> String {
    t.get(&format!("newsletter-state-{}", i.state))
}

/// `GET /admin/newsletter`.
pub async fn issues(
    State(state): State<AppState>,
    RequireRole { ctx, .. }: Editor,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (list, total) = state.db.newsletter_issues(page, PER_PAGE).await?;
    let (confirmed, pending) = state.db.newsletter_counts().await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let c = chrome(&state, &ctx, "").await?;
    render(ListPage {
        issues: list
            .iter()
            .map(|i| Row {
                href: format!("/admin/newsletter/{}", i.id),
                subject: i.subject.clone(),
                state: state_label(&ctx.t, i),
                date: i
                    .sent_at
                    .or(i.scheduled_at)
                    .map(super::archive::local_date)
                    .unwrap_or_default(),
            })
            .collect(),
        counts: ctx.t.args(
            "newsletter-office-counts",
            &[
                ("confirmed", crate::i18n::Arg::Num(confirmed)),
                ("pending", crate::i18n::Arg::Num(pending)),
            ],
        ),
        c,
        title: ctx.t.get("newsletter-office-title"),
        previous: (page > 1).then(|| format!("/admin/newsletter?page={}", page - 1)),
        next: (page < pages).then(|| format!("/admin/newsletter?page={}", page + 1)),
    })
}

/// The issue page's form and everything around it.
#[derive(Template)]
#[template(path = "newsletter/office_form.html")]
pub(crate) struct FormPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    /// `None`: a new issue.
    pub id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub body: String,
    pub topics: Vec<TopicBox>,
    pub editable: bool,
    pub state: String,
    pub preview_html: String,
    /// How many confirmed subscribers its topics reach.
    pub audience: String,
    pub progress: Option<Progress>,
    pub errors: Vec<(&'static str, String)>,
    pub notice: Option<String>,
    pub email: String,
}

impl FormPage {
    fn error_of(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    }
}

/// What the form sent.
struct Values {
    subject: String,
    body: String,
    topics: Topics,
}

/// Renders the form page (422 when there are errors).
async fn form_page(
    state: &AppState,
    r: &Editor,
    issue: Option<&Issue>,
    v: &Values,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> PageResult {
    let t = r.ctx.t;
    let failed = !errors.is_empty();
    let progress = match issue {
        Some(i) if !i.editable() => Some(state.db.newsletter_progress(i.id).await?),
        _ => None,
    };
    let c = chrome(state, &r.ctx, "").await?;
    let mut res = render(FormPage {
        c,
        title: match issue {
            Some(i) => i.subject.clone(),
            None => t.get("newsletter-office-new"),
        },
        csrf: r.user.csrf_token.clone(),
        id: issue.map(|i| i.id),
        action: issue
            .map(|i| format!("/admin/newsletter/{}", i.id))
            .unwrap_or_else(|| "/admin/newsletter/neu".into()),
        subject: v.subject.clone(),
        body: v.body.clone(),
        topics: topic_boxes(&t, v.topics),
        editable: issue.is_none_or(Issue::editable),
        state: issue.map(|i| state_label(&t, i)).unwrap_or_default(),
        preview_html: domain::text::markdown_to_safe_html(&v.body),
        audience: t.n(
            "newsletter-audience",
            "count",
            state.db.newsletter_audience(v.topics).await?,
        ),
        progress,
        errors,
        notice,
        email: r.user.user.email.clone(),
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/newsletter/neu`.
pub async fn new_issue(State(state): State<AppState>, r: Editor) -> PageResult {
    let v = Values {
        subject: String::new(),
        body: String::new(),
        topics: Topics::ALL,
    };
    form_page(&state, &r, None, &v, Vec::new(), None).await
}

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /admin/newsletter/{id}`.
pub async fn edit_issue(
    State(state): State<AppState>,
    r: Editor,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let issue = state
        .db
        .newsletter_issue(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = match q.hinweis.as_deref() {
        Some(k @ ("test" | "gesendet" | "geplant" | "gespeichert")) => {
            Some(r.ctx.t.get(&format!("newsletter-notice-{k}")))
        }
        _ => None,
    };
    let v = Values {
        subject: issue.subject.clone(),
        body: issue.body.clone(),
        topics: issue.topics,
    };
    form_page(&state, &r, Some(&issue), &v, Vec::new(), notice).await
}

/// Reads the form: its values and its problems.
fn read(t: &crate::i18n::Tr, pairs: &[(String, String)]) -> (Values, Vec<(&'static str, String)>) {
    let mut errors = Vec::new();
    let topics = super::topics_of(t, pairs).unwrap_or_else(|e| {
        if let AppError::InvalidForm { reason, .. } = e {
            errors.push(("topics", reason));
        }
        Topics::default()
    });
    let v = Values {
        subject: field(pairs, "subject").trim().to_string(),
        body: field(pairs, "body").replace("\r\n", "\n"),
        topics,
    };
    if errors.is_empty() {
        for p in check_issue(&v.subject, &v.body, v.topics) {
            let (f, key) = p.field_and_key();
            errors.push((f, t.get(key)));
        }
    }
    (v, errors)
}

/// The Markdown pulled into an issue: the latest progress reports, the coming events and the
/// newest offers, each a list of links.
async fn pulled(state: &AppState, t: &crate::i18n::Tr) -> Result<String, AppError> {
    let mut md = String::new();
    let reports = state.db.latest_reports(5).await?;
    if !reports.is_empty() {
        let _ = writeln!(md, "**{}**\n", t.get("newsletter-pull-reports"));
        for r in &reports {
            let _ = writeln!(
                md,
                "- [{}]({}) ({})",
                escape_md(&r.measure_title),
                state.url(&format!("/massnahmen/{}#bericht-{}", r.measure_slug, r.id)),
                domain::dates::german(r.published_on)
            );
        }
        md.push('\n');
    }
    let events = state
        .db
        .newsletter_events(OffsetDateTime::now_utc(), 5)
        .await?;
    if !events.is_empty() {
        let _ = writeln!(md, "**{}**\n", t.get("newsletter-pull-events"));
        for e in &events {
            let _ = writeln!(
                md,
                "- [{}]({}) ({})",
                escape_md(&e.title),
                state.url(&format!("/veranstaltungen/{}", e.slug)),
                super::archive::local_date(e.starts_at)
            );
        }
        md.push('\n');
    }
    let offers = state.db.newsletter_offers(5).await?;
    if !offers.is_empty() {
        let _ = writeln!(md, "**{}**\n", t.get("newsletter-pull-offers"));
        for o in &offers {
            let _ = writeln!(
                md,
                "- [{}]({}) – {}",
                escape_md(&o.title),
                state.url(&format!("/angebote/{}", o.slug)),
                escape_md(&o.provider)
            );
        }
        md.push('\n');
    }
    Ok(md)
}

/// Text put into Markdown as it is.
fn escape_md(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Saves the form or, with `action=pull`, shows it again with the pulled Markdown added.
async fn submit(
    state: &AppState,
    r: &Editor,
    issue: Option<&Issue>,
    pairs: &[(String, String)],
) -> PageResult {
    let t = r.ctx.t;
    let (mut v, errors) = read(&t, pairs);
    if field(pairs, "action") == "pull" {
        let md = pulled(state, &t).await?;
        if !v.body.trim().is_empty() {
            v.body.push_str("\n\n");
        }
        v.body.push_str(&md);
        let notice = Some(t.get(if md.is_empty() {
            "newsletter-pull-nothing"
        } else {
            "newsletter-pull-done"
        }));
        return form_page(state, r, issue, &v, Vec::new(), notice).await;
    }
    if !errors.is_empty() {
        return form_page(state, r, issue, &v, errors, None).await;
    }
    let html = domain::text::markdown_to_safe_html(&v.body);
    let input = IssueInput {
        subject: &v.subject,
        body: &v.body,
        body_html: &html,
        topics: v.topics,
    };
    let id = match issue {
        None => {
            state
                .db
                .create_newsletter_issue(r.user.user.id, &input)
                .await?
        }
        Some(i) => {
            if !state
                .db
                .update_newsletter_issue(r.user.user.id, i.id, &input)
                .await?
            {
                let errors = vec![("subject", t.get("newsletter-issue-not-editable"))];
                return form_page(state, r, issue, &v, errors, None).await;
            }
            i.id
        }
    };
    Ok(Redirect::to(&format!("/admin/newsletter/{id}?hinweis=gespeichert")).into_response())
}

/// `POST /admin/newsletter/neu`.
pub async fn create_issue(
    State(state): State<AppState>,
    r: Editor,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    submit(&state, &r, None, &pairs).await
}

/// `POST /admin/newsletter/{id}`.
pub async fn save_issue(
    State(state): State<AppState>,
    r: Editor,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let issue = state
        .db
        .newsletter_issue(id)
        .await?
        .ok_or(AppError::NotFound)?;
    submit(&state, &r, Some(&issue), &pairs).await
}
