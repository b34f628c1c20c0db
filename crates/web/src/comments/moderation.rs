//! Reports and the moderation: anyone reports a comment with a reason (signed-in people once per
//! account, guests once per client address); at the threshold (setting, default 3) it is hidden
//! until reviewed. The queue of the moderator role shows what waits, with the reports since the
//! last review; each decision (hide with a public reason, show or approve, keep) is audited.

use super::guest::form_token;
use super::views::{comment_html, render};
use super::*;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, Path, Query, RequireRole, SignedIn, role};
use crate::layout::{Chrome, PageResult};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::comments::{DEFAULT_REPORT_THRESHOLD, Decision, ReportReason};
use serde::Deserialize;
use store::comments::{Comment, Limit, Refusal};
use store::moderation::NewReport;

/// Reports per account in an hour …
pub const REPORTS_PER_ACCOUNT_HOUR: i64 = 20;
/// … and per client address (guests, and everyone behind a shared address).
pub const REPORTS_PER_CLIENT_HOUR: i64 = 60;
/// The setting of the report threshold.
pub const THRESHOLD_KEY: &str = "report_threshold";
/// The setting of the word list (one word or phrase a line).
pub const WORDS_KEY: &str = "moderation_words";
/// The setting that holds the first comment of an account for the moderation ("1": on).
pub const FIRST_POST_KEY: &str = "first_post_review";
/// Comments per page of the queue.
const QUEUE_PAGE: i64 = 25;

/// Reports at which a comment is hidden until reviewed (the setting, or 3).
pub async fn report_threshold(state: &AppState) -> Result<i64, AppError> {
    Ok(state
        .cache
        .settings
        .one(&state.db, THRESHOLD_KEY)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| (1..=100).contains(n))
        .unwrap_or(DEFAULT_REPORT_THRESHOLD))
}

/// The moderation's word list.
pub async fn word_list(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(domain::comments::word_list(
        &state
            .cache
            .settings
            .one(&state.db, WORDS_KEY)
            .await?
            .unwrap_or_default(),
    ))
}

/// Whether first comments of accounts wait for the moderation.
pub async fn first_post_review(state: &AppState) -> Result<bool, AppError> {
    Ok(state
        .cache
        .settings
        .one(&state.db, FIRST_POST_KEY)
        .await?
        .as_deref()
        == Some("1"))
}

/// Whether a post of `author` (`None`: a guest) with `body` waits for the moderation: a word of
/// the list, or an account's first comment when that setting is on. The city's staff are not
/// held.
pub(crate) async fn holds(
    state: &AppState,
    author: Option<&store::accounts::SessionUser>,
    body: &str,
) -> Result<bool, AppError> {
    use domain::accounts::Role;
    if let Some(u) = author
        && u.roles
            .iter()
            .any(|r| matches!(r, Role::Admin | Role::Editor | Role::Moderator))
    {
        return Ok(false);
    }
    // The word list and the first-post setting: every post reads them, from memory.
    let set = state
        .cache
        .settings
        .get(&state.db, &[WORDS_KEY, FIRST_POST_KEY])
        .await?;
    let words = domain::comments::word_list(set.get(WORDS_KEY).map_or("", |w| w.as_str()));
    if domain::comments::holds_for_words(body, &words) {
        return Ok(true);
    }
    let first_post_review = set.get(FIRST_POST_KEY).map(String::as_str) == Some("1");
    Ok(match author {
        Some(u) => first_post_review && !state.db.has_posted(u.user.id).await?,
        None => false,
    })
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) reason: String,
    #[serde(default)]
    pub(crate) note: String,
}

/// Who reports, and the limits their report counts against.
pub(crate) struct Reporter {
    /// `user:<id>`, or `client:<keyed hash>` for a guest: one report each.
    pub key: String,
    pub user_id: Option<i64>,
    pub limits: Vec<Limit>,
}

/// A signed-in person (`user`; limited per account and per client address) or a guest (limited
/// per client address), reporting from `client`. Comments and ideas share the buckets.
pub(crate) fn reporter(
    state: &AppState,
    user: Option<i64>,
    client: Option<std::net::IpAddr>,
) -> Reporter {
    let client = crate::accounts::client_key(state, client);
    let hour = time::Duration::hours(1);
    let mut limits = Vec::with_capacity(2);
    if let Some(id) = user {
        limits.push(Limit {
            bucket: format!("report:account:{id}"),
            max: REPORTS_PER_ACCOUNT_HOUR,
            window: hour,
        });
    }
    limits.push(Limit {
        bucket: format!("report:client:{client}"),
        max: REPORTS_PER_CLIENT_HOUR,
        window: hour,
    });
    Reporter {
        key: match user {
            Some(id) => format!("user:{id}"),
            None => format!("client:{client}"),
        },
        user_id: user,
        limits,
    }
}

/// The reason and note of a report form, or what is wrong with them.
pub(crate) fn checked_report(
    t: &crate::i18n::Tr,
    form: &ReportForm,
) -> Result<(ReportReason, String), Vec<String>> {
    let reason = ReportReason::parse(&form.reason);
    let note = domain::comments::check_note(&form.note, false);
    match (reason, note) {
        (Some(reason), Some(note)) => Ok((reason, note)),
        (reason, note) => {
            let mut errors = Vec::new();
            if reason.is_none() {
                errors.push(t.get("report-no-reason"));
            }
            if note.is_none() {
                errors.push(t.get("report-note-too-long"));
            }
            Err(errors)
        }
    }
}

#[derive(Template)]
#[template(path = "comments/report.html")]
struct ReportPage {
    c: Chrome,
    title: String,
    comment: String,
    errors: Vec<String>,
    action: String,
    token: String,
    reasons: Vec<(&'static str, String, bool)>,
    note: String,
    back_href: String,
    back_label: String,
}

/// A comment that can be reported (shown and not deleted), with its discussion.
async fn reportable(state: &AppState, id: i64) -> Result<(Comment, Target), AppError> {
    let c = state.db.comment(id).await?.ok_or(AppError::NotFound)?;
    if c.state == domain::comments::State::Pending {
        return Err(AppError::NotFound);
    }
    let target = target_of(state, c.subject).await?;
    Ok((c, target))
}

async fn report_page(
    state: &AppState,
    ctx: &Ctx,
    c: &Comment,
    target: &Target,
    form: Option<&ReportForm>,
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let (action, token) = match &ctx.user {
        Some(u) => (format!("/kommentare/{}/melden", c.id), u.csrf_token.clone()),
        None => (
            format!("/kommentare/{}/melden/gast", c.id),
            form_token(state, &format!("report:{}", c.id)),
        ),
    };
    let chosen = form.map(|f| f.reason.as_str()).unwrap_or("");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(ReportPage {
        c: crate::layout::chrome(state, ctx, "measures").await?,
        title: t.get("report-title"),
        comment: comment_html(t, c, String::new())?,
        errors,
        action,
        token,
        reasons: ReportReason::ALL
            .into_iter()
            .map(|r| {
                (
                    r.as_str(),
                    t.get(&format!("report-reason-{}", r.as_str())),
                    r.as_str() == chosen,
                )
            })
            .collect(),
        note: form
            .map(|f| f.note.chars().take(600).collect())
            .unwrap_or_default(),
        back_href: format!("/kommentare/{}#kommentar-{}", c.id, c.id),
        back_label: t.s("comment-on", "title", &target.title),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /kommentare/{id}/melden`: the report form.
pub async fn report_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ctx: Ctx,
) -> PageResult {
    let (c, target) = reportable(&state, id).await?;
    report_page(&state, &ctx, &c, &target, None, vec![]).await
}

/// Checks and stores a report by `who`.
async fn submit(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    who: Reporter,
    form: &ReportForm,
) -> PageResult {
    let (c, target) = reportable(state, id).await?;
    let t = ctx.t;
    let (reason, note) = match checked_report(&t, form) {
        Ok(checked) => checked,
        Err(errors) => return report_page(state, ctx, &c, &target, Some(form), errors).await,
    };
    let outcome = state
        .db
        .report_comment(&NewReport {
            comment_id: id,
            reporter: &who.key,
            user_id: who.user_id,
            reason,
            note: &note,
            threshold: report_threshold(state).await?,
            limits: &who.limits,
        })
        .await?;
    match outcome {
        Ok(_) => {
            let mut res =
                crate::accounts::notice(state, ctx, "report-sent-title", "report-sent-text")
                    .await?;
            *res.status_mut() = StatusCode::OK;
            Ok(res)
        }
        Err(Refusal::OwnComment) => {
            report_page(
                state,
                ctx,
                &c,
                &target,
                Some(form),
                vec![t.get("report-own")],
            )
            .await
        }
        Err(r) => Err(refusal(&t, r)),
    }
}

/// `POST /kommentare/{id}/melden`: a signed-in person's report.
pub async fn report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> PageResult {
    let who = reporter(&state, Some(user.user.id), client);
    submit(&state, &ctx, id, who, &form).await
}

/// `POST /kommentare/{id}/melden/gast`: a report without an account, one per client address.
pub async fn report_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<ReportForm>,
) -> PageResult {
    if !same_secret(&form_token(&state, &format!("report:{id}")), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    submit(&state, &ctx, id, reporter(&state, None, client), &form).await
}

struct QueueEntry {
    id: i64,
    /// The author's account, when it can be blocked (not a guest, not blocked yet).
    blockable: Option<i64>,
    /// A guest's comment whose address is not blocked yet.
    guest_blockable: bool,
    heading: String,
    href: String,
    where_label: String,
    held: bool,
    keepable: bool,
    reasons: Vec<(String, i64)>,
    notes: Vec<String>,
    comment: String,
}

#[derive(Template)]
#[template(path = "comments/queue.html")]
struct QueuePage {
    c: Chrome,
    title: String,
    notice: Option<String>,
    count: i64,
    items: Vec<QueueEntry>,
    csrf: String,
    next: Option<String>,
    /// Blocked people: id, name, since.
    blocked: Vec<(i64, String, String)>,
    /// Reported ideas waiting for a review.
    ideas: Vec<store::ideas::QueuedIdea>,
    /// Blocked guests: id of the block, name, since.
    blocked_guests: Vec<(i64, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    nach: Option<i64>,
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /moderation`: what waits for a review, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Moderator>,
    Query(q): Query<QueueQuery>,
) -> PageResult {
    let t = ctx.t;
    let (items, more) = state
        .db
        .moderation_queue(q.nach.unwrap_or(0).max(0), QUEUE_PAGE)
        .await?;
    let next = more
        .then(|| {
            items
                .last()
                .map(|i| format!("/moderation?nach={}", i.comment.id))
        })
        .flatten();
    // The subjects' titles in one query per kind; a comment on a withdrawn measure still shows.
    use domain::comments::SubjectKind;
    let of_kind = |kind: SubjectKind| -> Vec<i64> {
        items
            .iter()
            .filter(|i| i.comment.subject.kind == kind)
            .map(|i| i.comment.subject.id)
            .collect()
    };
    let measure_titles = state
        .db
        .measure_titles_of(&of_kind(SubjectKind::Measure))
        .await?;
    let idea_titles = state.db.idea_titles_of(&of_kind(SubjectKind::Idea)).await?;
    let session_titles = state
        .db
        .session_titles_of(&of_kind(SubjectKind::Session))
        .await?;
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let c = &item.comment;
        let titles = match c.subject.kind {
            SubjectKind::Measure => &measure_titles,
            SubjectKind::Idea => &idea_titles,
            SubjectKind::Session => &session_titles,
        };
        let where_label = titles
            .get(&c.subject.id)
            .map(|title| t.s("queue-on", "title", title))
            .unwrap_or_default();
        let shown = Comment {
            state: domain::comments::State::Published,
            ..c.clone()
        };
        entries.push(QueueEntry {
            id: c.id,
            blockable: c.author_id.filter(|_| !c.guest && !c.author_blocked),
            guest_blockable: c.guest && !c.author_blocked,
            heading: super::views::author_of(&t, c),
            href: format!("/kommentare/{}#kommentar-{}", c.id, c.id),
            where_label,
            held: item.held,
            keepable: c.state == domain::comments::State::Published,
            reasons: item
                .reasons
                .iter()
                .map(|(r, n)| (t.get(&format!("report-reason-{}", r.as_str())), *n))
                .collect(),
            notes: item.notes,
            comment: comment_html(t, &shown, String::new())?,
        });
    }
    render(QueuePage {
        c: crate::layout::chrome(&state, &ctx, "moderation").await?,
        title: t.get("queue-title"),
        notice: match q.hinweis.as_deref() {
            Some(
                h @ ("hide" | "show" | "keep" | "block" | "unblock" | "guest-block"
                | "guest-unblock"),
            ) => Some(t.get(&format!("queue-done-{h}"))),
            _ => None,
        },
        count: state.db.moderation_queue_len().await?,
        ideas: state.db.idea_queue(QUEUE_PAGE).await?,
        blocked_guests: state
            .db
            .blocked_guests()
            .await?
            .into_iter()
            .map(|(id, name, at)| (id, name, domain::dates::german(at.date())))
            .collect(),
        items: entries,
        csrf: user.csrf_token.clone(),
        next,
        blocked: state
            .db
            .blocked_people()
            .await?
            .into_iter()
            .map(|(id, name, at)| (id, name, domain::dates::german(at.date())))
            .collect(),
    })
    .map(|html| axum::response::Html(html).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /moderation/kommentare/{id}`: the moderation's decision; back to the queue.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Moderator>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> PageResult {
    let t = ctx.t;
    let decision = match form.decision.as_str() {
        "hide" => match domain::comments::check_note(&form.reason, true) {
            Some(reason) => Decision::Hide(reason),
            None => {
                return Err(AppError::InvalidForm {
                    field: "reason".into(),
                    reason: t.get("queue-reason-missing"),
                });
            }
        },
        "show" => Decision::Show,
        "keep" => Decision::Keep,
        _ => {
            return Err(AppError::InvalidForm {
                field: "decision".into(),
                reason: t.get("queue-decision-invalid"),
            });
        }
    };
    match state
        .db
        .moderate_comment(id, Some(user.user.id), &decision)
        .await?
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/moderation?hinweis={}", form.decision)).into_response())
        }
        Err(r) => Err(refusal(&t, r)),
    }
}

#[derive(Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    blocked: String,
}

/// `POST /moderation/personen/{id}`: blocks (`blocked=1`) or unblocks (`0`) a person. Only
/// citizens are blocked: the city's staff are the admins' to manage.
pub async fn block(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RequireRole { ctx, user, .. }: RequireRole<role::Moderator>,
    CsrfForm(form): CsrfForm<BlockForm>,
) -> PageResult {
    use domain::accounts::Role;
    let t = ctx.t;
    let blocked = match form.blocked.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::InvalidForm {
                field: "blocked".into(),
                reason: t.get("queue-block-value"),
            });
        }
    };
    if state.db.user_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let roles = state.db.roles_of(id).await?;
    if blocked && roles.iter().any(|r| *r != Role::Citizen) {
        return Err(AppError::InvalidForm {
            field: "blocked".into(),
            reason: t.get("queue-block-staff"),
        });
    }
    if !state.db.set_blocked(user.user.id, id, blocked).await? {
        return Err(AppError::NotFound);
    }
    let done = if blocked { "block" } else { "unblock" };
    Ok(Redirect::to(&format!("/moderation?hinweis={done}")).into_response())
}
