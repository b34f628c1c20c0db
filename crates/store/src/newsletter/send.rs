//! Sending an issue: scheduled issues begin when their time comes, and each issue going out is
//! expanded into one queued mail per confirmed subscriber of its topics, a batch at a time.
//! Each recipient is a row of `newsletter_recipients` (primary key issue + subscriber) inserted
//! in the transaction that queues their mail, so a restart or a second instance never queues
//! anyone twice. Progress is read from the queue's states of those mails.

use crate::mail::Outgoing;
use crate::{Db, Result, StoreError, on_db};
use domain::tags::NEWSLETTER as TAG;
use time::OffsetDateTime;

/// An issue that is going out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    pub id: i64,
    /// When it began.
    pub sent_at: OffsetDateTime,
    /// Recipients queued so far.
    pub queued: i64,
}

/// Someone an issue is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub subscriber_id: i64,
    pub email: String,
    /// The subscription's language (`de`, `en`).
    pub lang: String,
}

/// What one round of expansion did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Mails queued in this round.
    pub queued: usize,
    /// Every recipient is queued now: the issue is sent.
    pub done: bool,
}

/// How far an issue's sending has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Mails the queue delivered …
    pub sent: i64,
    /// … gave up on …
    pub failed: i64,
    /// … still holds.
    pub queued: i64,
    /// Confirmed subscribers of its topics not queued yet (while it goes out).
    pub waiting: i64,
}

impl Progress {
    /// Mails not delivered nor given up yet.
    pub fn left(&self) -> i64 {
        self.queued + self.waiting
    }
}

/// The subscribers of an issue after `$after`, in id order: confirmed ones of its topics.
const CANDIDATES: &str = "FROM newsletter_subscribers s JOIN newsletter_issues i ON i.id = $1 \
     WHERE s.state = 'confirmed' AND s.id > $2 \
     AND ((s.topic_strategy AND i.topic_strategy) OR (s.topic_events AND i.topic_events) OR (s.topic_offers AND i.topic_offers))";

impl Db {
    /// Scheduled issues whose time came by `now` begin to go out (and enter the archive);
    /// returns their numbers.
    pub async fn start_due_newsletters(&self, now: OffsetDateTime) -> Result<Vec<i64>> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "UPDATE newsletter_issues SET state = 'sending', sent_at = $1, updated_at = $1 \
                 WHERE state = 'scheduled' AND scheduled_at <= $1 RETURNING id",
            ).bind(now).fetch_all(&mut *tx).await?;
            if ids.is_empty() {
                return Ok(ids);
            }
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG])]);
            Ok::<_, StoreError>(ids)
        })
    }

    /// The issues going out, with how many recipients each has queued.
    pub async fn sending_newsletters(&self) -> Result<Vec<Sending>> {
        let rows: Vec<(i64, Option<OffsetDateTime>, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT i.id, i.sent_at, (SELECT COUNT(*) FROM newsletter_recipients r WHERE r.issue_id = i.id) \
             FROM newsletter_issues i WHERE i.state = 'sending' ORDER BY i.id"
        ).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(id, sent_at, queued)| Sending {
                id,
                sent_at: sent_at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
                queued,
            })
            .collect())
    }

    /// Queues the mail of up to `limit` more recipients of issue `id` (built by `mail`), in one
    /// transaction, and marks the issue sent when none is left. A recipient whose row exists
    /// (queued by another round or instance) is skipped, so nobody is queued twice.
    pub async fn expand_newsletter(
        &self,
        id: i64,
        limit: i64,
        now: OffsetDateTime,
        mail: &(dyn Fn(&Recipient) -> Outgoing + Send + Sync),
    ) -> Result<Expanded> {
        let pick = format!("SELECT s.id, s.email, s.lang {CANDIDATES} ORDER BY s.id LIMIT $3");
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let state: Option<String> = sqlx::query_scalar("SELECT state FROM newsletter_issues WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            if state.as_deref() != Some("sending") {
                return Ok(Expanded { queued: 0, done: true });
            }
            let after: Option<i64> = sqlx::query_scalar("SELECT MAX(subscriber_id) FROM newsletter_recipients WHERE issue_id = $1")
                .bind(id).fetch_one(&mut *tx).await?;
            let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(pick))
                .bind(id).bind(after.unwrap_or(0)).bind(limit).fetch_all(&mut *tx).await?;
            let mut queued = 0;
            for (subscriber_id, email, lang) in &rows {
                let fresh = sqlx::query(
                    "INSERT INTO newsletter_recipients (issue_id, subscriber_id, queued_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (issue_id, subscriber_id) DO NOTHING",
                ).bind(id).bind(subscriber_id).bind(now).execute(&mut *tx).await?.rows_affected();
                if fresh == 0 {
                    continue;
                }
                let m = mail(&Recipient { subscriber_id: *subscriber_id, email: email.clone(), lang: lang.clone() });
                let mail_id: i64 = sqlx::query_scalar(
                    "INSERT INTO mail_queue (to_address, subject, body_text, body_html, next_attempt_at, created_at, secret, one_click_unsubscribe, calendar) \
                     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&m.to).bind(&m.subject).bind(&m.text).bind(&m.html).bind(now).bind(&m.secret)
                .bind(m.one_click_unsubscribe).bind(&m.calendar)
                .fetch_one(&mut *tx).await?;
                sqlx::query("UPDATE newsletter_recipients SET mail_id = $3 WHERE issue_id = $1 AND subscriber_id = $2")
                    .bind(id).bind(subscriber_id).bind(mail_id).execute(&mut *tx).await?;
                queued += 1;
            }
            let done = (rows.len() as i64) < limit;
            if done {
                sqlx::query("UPDATE newsletter_issues SET state = 'sent', finished_at = $2 WHERE id = $1 AND state = 'sending'")
                    .bind(id).bind(now).execute(&mut *tx).await?;
                crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG])]);
            } else {
                tx.commit().await?;
            }
            Ok::<_, StoreError>(Expanded { queued, done })
        })
    }

    /// The progress of issue `id`, from the queue's states of its mails.
    pub async fn newsletter_progress(&self, id: i64) -> Result<Progress> {
        let rows: Vec<(String, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT COALESCE(m.state, 'queued'), COUNT(*) FROM newsletter_recipients r \
             LEFT JOIN mail_queue m ON m.id = r.mail_id WHERE r.issue_id = $1 GROUP BY COALESCE(m.state, 'queued')"
        ).bind(id).fetch_all(p).await?);
        let mut progress = Progress::default();
        for (state, n) in rows {
            match state.as_str() {
                "sent" => progress.sent = n,
                "failed" => progress.failed = n,
                _ => progress.queued += n,
            }
        }
        let waiting_sql = format!(
            "SELECT COUNT(*) {CANDIDATES} AND i.state = 'sending' \
             AND s.id > COALESCE((SELECT MAX(subscriber_id) FROM newsletter_recipients WHERE issue_id = $1), 0)"
        );
        progress.waiting = on_db!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(waiting_sql))
            .bind(id).bind(0i64).fetch_one(p).await?);
        Ok(progress)
    }

    /// How many confirmed subscribers an issue of `topics` reaches (the back office's preview).
    pub async fn newsletter_audience(&self, topics: domain::newsletter::Topics) -> Result<i64> {
        let n: i64 = on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_subscribers WHERE state = 'confirmed' \
             AND ((topic_strategy AND $1) OR (topic_events AND $2) OR (topic_offers AND $3))"
        ).bind(topics.strategy).bind(topics.events).bind(topics.offers).fetch_one(p).await?);
        Ok(n)
    }

    /// Made-up confirmed subscribers of every topic (`nl-<n>@<domain>`, demo data, for the
    /// benchmark), `n` of them, in batches; returns how many were added.
    pub async fn generate_newsletter_subscribers(&self, n: usize, domain: &str) -> Result<usize> {
        let now = OffsetDateTime::now_utc();
        let mut added = 0;
        for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
            on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                for i in chunk {
                    added += sqlx::query(
                        "INSERT INTO newsletter_subscribers (email, state, topic_strategy, topic_events, topic_offers, demo, created_at, confirmed_at, updated_at) \
                         VALUES ($1, 'confirmed', TRUE, TRUE, TRUE, TRUE, $2, $2, $2) ON CONFLICT (email) DO NOTHING",
                    ).bind(format!("nl-{i}@{domain}")).bind(now).execute(&mut *tx).await?.rows_affected() as usize;
                }
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(added)
    }
}
