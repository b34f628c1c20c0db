//! Sending: the back office's test mail and its "send now" / "schedule" buttons (audited by the
//! store), and the task that every second starts scheduled issues and queues the mails of those
//! going out, at most `newsletter_rate` a minute counted from each issue's start (so the pace
//! holds across restarts and instances). The queue's recipient rows make it idempotent.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::i18n::{Lang, Tr};
use crate::layout::PageResult;
use crate::radar::svg::esc;
use axum::response::{IntoResponse, Redirect};
use domain::newsletter::allowed_by;
use store::mail::{Outgoing, SECRET_PLACEHOLDER};
use store::newsletter::issues::Issue;
use store::newsletter::send::Recipient;
use time::OffsetDateTime;

/// Recipients queued per transaction …
const BATCH: i64 = 500;
/// … and at most this many transactions per issue and round.
const ROUNDS: usize = 10;

/// The newsletter mail of `issue` to `to`: the issue (text: its Markdown; HTML: its sanitised
/// HTML), the link to its page in the archive, and the link that changes the topics or
/// unsubscribes (`secret`: stored apart, put in when sent, and in `List-Unsubscribe`).
pub fn message(
    state: &AppState,
    t: &Tr,
    site: &str,
    issue: &Issue,
    to: &str,
    secret: Option<String>,
) -> Outgoing {
    let web = state.url(&format!("/newsletter/archiv/{}", issue.id));
    let why = t.s("newsletter-mail-why", "site", site);
    let web_label = t.get("newsletter-mail-web");
    let manage = t.get("newsletter-mail-manage");
    let text = format!(
        "{}\n\n-- \n{why}\n{web_label}: {web}\n{manage}: {SECRET_PLACEHOLDER}\n",
        issue.body.trim_end()
    );
    let html = format!(
        "<!doctype html><html lang=\"{}\"><body><h1>{}</h1>{}<hr><p>{}</p><p><a href=\"{}\">{}</a></p><p><a href=\"{SECRET_PLACEHOLDER}\">{}</a></p></body></html>",
        t.lang.code(),
        esc(&issue.subject),
        issue.body_html,
        esc(&why),
        esc(&web),
        esc(&web_label),
        esc(&manage),
    );
    let one_click = secret.is_some();
    Outgoing {
        to: to.to_string(),
        subject: issue.subject.clone(),
        text,
        html: Some(html),
        secret: Some(secret.unwrap_or_else(|| state.url("/newsletter"))),
        one_click_unsubscribe: one_click,
        calendar: None,
    }
}

type Editor = RequireRole<role::Editor>;

/// `POST /admin/newsletter/{id}/test`: the issue as it stands, to the editor's own address
/// (marked as a test, without an unsubscribe link).
pub async fn test_issue(
    axum::extract::State(state): axum::extract::State<AppState>,
    r: Editor,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::extract::NoFields>,
) -> PageResult {
    let issue = state
        .db
        .newsletter_issue(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = r.ctx.t;
    let site = crate::accounts::site_label(&state, &t).await?;
    let mut m = message(&state, &t, &site, &issue, &r.user.user.email, None);
    m.subject = t.s("newsletter-test-subject", "subject", &issue.subject);
    state.db.enqueue_mail(&m).await?;
    Ok(Redirect::to(&format!("/admin/newsletter/{id}?hinweis=test")).into_response())
}

#[derive(serde::Deserialize)]
pub struct SendForm {
    /// Empty: now; otherwise a German local time (`2026-12-24T09:00`).
    #[serde(default)]
    when: String,
}

/// `POST /admin/newsletter/{id}/senden`: sends the issue now or schedules it.
pub async fn send_issue(
    axum::extract::State(state): axum::extract::State<AppState>,
    r: Editor,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SendForm>,
) -> PageResult {
    let issue = state
        .db
        .newsletter_issue(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    let at = match f.when.trim() {
        "" => None,
        v => match domain::programme::parse_local(v) {
            Some(at) if at > now => Some(at),
            _ => {
                return Err(AppError::InvalidForm {
                    field: "when".into(),
                    reason: r.ctx.t.get("newsletter-when-invalid"),
                });
            }
        },
    };
    if !state
        .db
        .send_newsletter_issue(r.user.user.id, issue.id, at, now)
        .await?
    {
        return Err(AppError::InvalidForm {
            field: "issue".into(),
            reason: r.ctx.t.get("newsletter-issue-not-editable"),
        });
    }
    let notice = if at.is_some() { "geplant" } else { "gesendet" };
    Ok(Redirect::to(&format!("/admin/newsletter/{id}?hinweis={notice}")).into_response())
}

/// One round of the task at `now`: scheduled issues that are due begin, and each issue going
/// out queues what its pace allows (`rate` mails a minute, 0: no limit). Returns the mails
/// queued.
pub async fn send_round(
    state: &AppState,
    rate: u32,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    state.db.start_due_newsletters(now).await?;
    let sending = state.db.sending_newsletters().await?;
    if sending.is_empty() {
        return Ok(0);
    }
    // Each recipient's frame in the language of their subscription.
    let (de, en) = (Tr::new(Lang::De), Tr::new(Lang::En));
    let sites = (
        crate::accounts::site_label(state, &de).await?,
        crate::accounts::site_label(state, &en).await?,
    );
    let mut total = 0;
    for s in sending {
        let Some(issue) = state.db.newsletter_issue(s.id).await? else {
            continue;
        };
        let mut budget = allowed_by(rate, now - s.sent_at)
            .map(|allowed| allowed - s.queued)
            .unwrap_or(BATCH * ROUNDS as i64);
        let build = |r: &Recipient| {
            let (t, site) = match Lang::parse(&r.lang) {
                Some(Lang::En) => (&en, &sites.1),
                _ => (&de, &sites.0),
            };
            message(
                state,
                t,
                site,
                &issue,
                &r.email,
                Some(super::unsubscribe_url(state, r.subscriber_id)),
            )
        };
        for _ in 0..ROUNDS {
            if budget <= 0 {
                break;
            }
            let e = state
                .db
                .expand_newsletter(s.id, budget.min(BATCH), now, &build)
                .await?;
            total += e.queued;
            budget -= e.queued as i64;
            if e.done {
                tracing::info!(issue = s.id, "newsletter issue queued for every recipient");
                break;
            }
        }
    }
    Ok(total)
}

/// The task of `serve`: a round every second; unconfirmed subscriptions whose link ran out
/// are removed every ten minutes.
pub fn spawn(state: AppState, rate: u32) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            let now = OffsetDateTime::now_utc();
            if let Err(e) = send_round(&state, rate, now).await {
                tracing::warn!(error = %e, "newsletter round failed");
            }
            n += 1;
            if n % 600 == 1
                && let Err(e) = state.db.purge_unconfirmed_newsletter(now).await
            {
                tracing::warn!(error = %e, "could not remove unconfirmed newsletter subscriptions");
            }
        }
    })
}
