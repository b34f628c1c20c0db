//! The mail queue. Messages are claimed with a lease, so with several instances on PostgreSQL
//! (`FOR UPDATE SKIP LOCKED`) or one SQLite writer each message goes out once; a failed attempt is
//! scheduled again with back-off until `domain::mail::MAX_ATTEMPTS`.

use crate::{Db, Engine, Result, on_db};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// A message taken from the queue for one attempt.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attempts: i64,
}

/// Counts of the queue by state, for operators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailStats {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

fn claim_sql(engine: Engine) -> &'static str {
    match engine {
        // One writer at a time: the UPDATE takes the rows atomically.
        Engine::Sqlite => {
            "UPDATE mail_queue SET locked_until = $2, attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= $1 \
              AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $3) \
             RETURNING id, to_address, subject, body_text, body_html, attempts"
        }
        // Several instances: rows another instance is claiming right now are skipped.
        Engine::Postgres => {
            "UPDATE mail_queue SET locked_until = $2, attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= $1 \
              AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, to_address, subject, body_text, body_html, attempts"
        }
    }
}

impl Db {
    /// Queues a message; it is sent by the worker.
    pub async fn enqueue_mail(&self, m: &Outgoing) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let id = on_db!(self, p => sqlx::query_scalar(
            "INSERT INTO mail_queue (to_address, subject, body_text, body_html, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id"
        ).bind(&m.to).bind(&m.subject).bind(&m.text).bind(&m.html).bind(now).fetch_one(p).await?);
        Ok(id)
    }

    /// Takes up to `limit` messages that are due at `now`, leasing them until `lease_until`.
    pub async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<QueuedMail>> {
        let sql = claim_sql(self.engine());
        let mut rows: Vec<QueuedMail> = on_db!(self, p => sqlx::query_as(AssertSqlSafe(sql))
            .bind(now).bind(lease_until).bind(limit).fetch_all(p).await?);
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    pub async fn mail_sent(&self, id: i64, now: OffsetDateTime) -> Result<()> {
        on_db!(self, p => {
            sqlx::query("UPDATE mail_queue SET state = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1")
                .bind(id).bind(now).execute(p).await?;
        });
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or marked failed after the last attempt.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        attempts: i64,
        retry_at: OffsetDateTime,
    ) -> Result<()> {
        let state = if attempts >= domain::mail::MAX_ATTEMPTS {
            "failed"
        } else {
            "queued"
        };
        let error: String = error.chars().take(1000).collect();
        on_db!(self, p => {
            sqlx::query("UPDATE mail_queue SET state = $2, last_error = $3, next_attempt_at = $4, locked_until = NULL WHERE id = $1")
                .bind(id).bind(state).bind(error).bind(retry_at).execute(p).await?;
        });
        Ok(())
    }

    pub async fn mail_stats(&self) -> Result<MailStats> {
        let rows: Vec<(String, i64)> = on_db!(self, p => sqlx::query_as("SELECT state, COUNT(*) FROM mail_queue GROUP BY state").fetch_all(p).await?);
        let mut s = MailStats::default();
        for (state, n) in rows {
            match state.as_str() {
                "queued" => s.queued = n,
                "sent" => s.sent = n,
                _ => s.failed = n,
            }
        }
        Ok(s)
    }
}
