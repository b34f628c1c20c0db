//! Issues of the newsletter: written in the back office (drafts), sent now or scheduled
//! (audited), and the public archive of those that went out. What an editor can pull into an
//! issue (the latest reports, coming events, new offers) is read here too.

use crate::{Db, Result, StoreError, on_db};
use domain::newsletter::Topics;
use domain::tags::NEWSLETTER as TAG;
use time::OffsetDateTime;

/// An issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: i64,
    pub subject: String,
    /// Markdown, as written.
    pub body: String,
    /// The sanitised HTML of `body`.
    pub body_html: String,
    pub topics: Topics,
    /// `draft`, `scheduled`, `sending` or `sent`.
    pub state: String,
    pub scheduled_at: Option<OffsetDateTime>,
    /// When it began to go out.
    pub sent_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

impl Issue {
    /// Whether it may still be changed (it has not begun to go out).
    pub fn editable(&self) -> bool {
        matches!(self.state.as_str(), "draft" | "scheduled")
    }

    /// Whether it is public (in the archive).
    pub fn public(&self) -> bool {
        matches!(self.state.as_str(), "sending" | "sent")
    }
}

/// What an editor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueInput<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub topics: Topics,
}

const ISSUE_COLUMNS: &str = "id, subject, body, body_html, topic_strategy, topic_events, topic_offers, state, scheduled_at, sent_at, finished_at, updated_at";

type IssueRow = (
    i64,
    String,
    String,
    String,
    bool,
    bool,
    bool,
    String,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    OffsetDateTime,
);

fn issue_of(r: IssueRow) -> Issue {
    Issue {
        id: r.0,
        subject: r.1,
        body: r.2,
        body_html: r.3,
        topics: Topics {
            strategy: r.4,
            events: r.5,
            offers: r.6,
        },
        state: r.7,
        scheduled_at: r.8,
        sent_at: r.9,
        finished_at: r.10,
        updated_at: r.11,
    }
}

/// A coming event, for pulling into an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    pub slug: String,
    pub title: String,
    pub starts_at: OffsetDateTime,
}

/// A new offer, for pulling into an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferLine {
    pub slug: String,
    pub title: String,
    pub provider: String,
}

impl Db {
    /// Creates a draft by `actor` (audited as `newsletter.create`); returns its number.
    pub async fn create_newsletter_issue(&self, actor: i64, v: &IssueInput<'_>) -> Result<i64> {
        self.insert_newsletter_issue(Some(actor), v, None, false)
            .await
    }

    /// Inserts an issue: a draft, or (`sent_at`) one that went out then, without recipients —
    /// the demo's archive.
    pub async fn insert_newsletter_issue(
        &self,
        actor: Option<i64>,
        v: &IssueInput<'_>,
        sent_at: Option<OffsetDateTime>,
        demo: bool,
    ) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let state = if sent_at.is_some() { "sent" } else { "draft" };
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO newsletter_issues (subject, body, body_html, topic_strategy, topic_events, topic_offers, state, \
                 sent_at, finished_at, created_by, demo, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(v.subject.trim()).bind(v.body).bind(v.body_html).bind(v.topics.strategy).bind(v.topics.events)
            .bind(v.topics.offers).bind(state).bind(sent_at).bind(actor).bind(demo).bind(now)
            .fetch_one(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("newsletter.create").bind("newsletter_issue").bind(id)
                .bind(None::<String>).bind(v.subject.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG])]);
            Ok::<_, StoreError>(id)
        })
    }

    /// Saves issue `id` while it has not begun to go out; `false` otherwise (or when there is
    /// none). Audited as `newsletter.update`.
    pub async fn update_newsletter_issue(
        &self,
        actor: i64,
        id: i64,
        v: &IssueInput<'_>,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let n = sqlx::query(
                "UPDATE newsletter_issues SET subject = $2, body = $3, body_html = $4, topic_strategy = $5, topic_events = $6, \
                 topic_offers = $7, updated_at = $8 WHERE id = $1 AND state IN ('draft', 'scheduled')",
            )
            .bind(id).bind(v.subject.trim()).bind(v.body).bind(v.body_html).bind(v.topics.strategy)
            .bind(v.topics.events).bind(v.topics.offers).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("newsletter.update").bind("newsletter_issue").bind(id)
                    .bind(None::<String>).bind(v.subject.trim()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(n == 1)
        })
    }

    /// Sends issue `id` now (`at` is `None`: it begins to go out and enters the archive) or
    /// schedules it for `at`, while it has not begun to go out; `false` otherwise. Audited as
    /// `newsletter.send` or `newsletter.schedule` (with the time).
    pub async fn send_newsletter_issue(
        &self,
        actor: i64,
        id: i64,
        at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<bool> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let n = match at {
                None => sqlx::query(
                    "UPDATE newsletter_issues SET state = 'sending', sent_at = $2, scheduled_at = NULL, updated_at = $2 \
                     WHERE id = $1 AND state IN ('draft', 'scheduled')",
                ).bind(id).bind(now).execute(&mut *tx).await?.rows_affected(),
                Some(at) => sqlx::query(
                    "UPDATE newsletter_issues SET state = 'scheduled', scheduled_at = $2, updated_at = $3 \
                     WHERE id = $1 AND state IN ('draft', 'scheduled')",
                ).bind(id).bind(at).bind(now).execute(&mut *tx).await?.rows_affected(),
            };
            if n != 1 {
                return Ok(false);
            }
            let (action, after) = match at {
                None => ("newsletter.send", None),
                Some(at) => ("newsletter.schedule", at.format(&time::format_description::well_known::Rfc3339).ok()),
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind(action).bind("newsletter_issue").bind(id)
                .bind(None::<String>).bind(after).execute(&mut *tx).await?;
            if at.is_none() {
                crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG])]);
            } else {
                tx.commit().await?;
            }
            Ok::<_, StoreError>(true)
        })
    }

    /// An issue by its number.
    pub async fn newsletter_issue(&self, id: i64) -> Result<Option<Issue>> {
        let sql = format!("SELECT {ISSUE_COLUMNS} FROM newsletter_issues WHERE id = $1");
        let row: Option<IssueRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        Ok(row.map(issue_of))
    }

    /// Every issue for the back office, newest first: a page of `per_page` and the total.
    pub async fn newsletter_issues(&self, page: i64, per_page: i64) -> Result<(Vec<Issue>, i64)> {
        self.issue_list("1 = 1", page, per_page).await
    }

    /// The archive: issues that went out, newest first; a page of `per_page` and the total.
    pub async fn newsletter_archive(&self, page: i64, per_page: i64) -> Result<(Vec<Issue>, i64)> {
        self.issue_list("state IN ('sending', 'sent')", page, per_page)
            .await
    }

    async fn issue_list(
        &self,
        filter: &'static str,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Issue>, i64)> {
        let sql = format!(
            "SELECT {ISSUE_COLUMNS} FROM newsletter_issues WHERE {filter} \
             ORDER BY COALESCE(sent_at, scheduled_at, created_at) DESC, id DESC LIMIT $1 OFFSET $2"
        );
        let count = format!("SELECT COUNT(*) FROM newsletter_issues WHERE {filter}");
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total): (Vec<IssueRow>, i64) = on_db!(self, p => (
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(per_page).bind(offset).fetch_all(p).await?,
            sqlx::query_scalar(sqlx::AssertSqlSafe(count)).fetch_one(p).await?,
        ));
        Ok((rows.into_iter().map(issue_of).collect(), total))
    }

    /// Published events that are not over at `now`, soonest first (at most `limit`).
    pub async fn newsletter_events(
        &self,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<EventLine>> {
        let rows: Vec<(String, String, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(
            "SELECT slug, title, starts_at FROM programme_events WHERE state = 'published' AND ends_at > $1 \
             ORDER BY starts_at, id LIMIT $2"
        ).bind(now).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(slug, title, starts_at)| EventLine {
                slug,
                title,
                starts_at,
            })
            .collect())
    }

    /// The newest public offers (published by an approved provider), at most `limit`.
    pub async fn newsletter_offers(&self, limit: i64) -> Result<Vec<OfferLine>> {
        let rows: Vec<(String, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT o.slug, o.title, v.name FROM offers o JOIN providers v ON v.id = o.provider_id \
             WHERE o.state = 'published' AND v.state = 'approved' ORDER BY o.created_at DESC, o.id DESC LIMIT $1"
        ).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(slug, title, provider)| OfferLine {
                slug,
                title,
                provider,
            })
            .collect())
    }
}
