//! The mail queue. Messages are claimed with a lease, so with several instances on PostgreSQL
//! (`FOR UPDATE SKIP LOCKED`) or one SQLite writer each message goes out once; a failed attempt is
//! scheduled again with back-off until `domain::mail::MAX_ATTEMPTS`.
//!
//! A claim names its lease (`lease_id`, random per batch). The worker renews the lease of what is
//! left of its batch before each message (`renew_mail_lease`), so a slow batch stays leased, and
//! sends only messages it still holds; `mail_sent` and `mail_failed` change a message only for
//! the holder of its lease. A message's one-time link is stored apart from its body (`secret`;
//! the body holds [`SECRET_PLACEHOLDER`]), put in only when it is sent, and cleared once the
//! message is sent or given up, so the queue keeps no usable link.
//!
//! A crash while a message is with the SMTP server leaves it unknown whether the server took it.
//! The worker marks the message (`handed_at`) in the write that renews its lease, just before it
//! goes out; when that lease has run out the message is settled by the next claim: list mail
//! (newsletter, notification digests: the mails with one-click unsubscribe) is given up as
//! failed, so nobody gets it twice; personal mail (confirmation and password links) is sent
//! again, so nobody is left without it. Only the one message in flight per worker is affected.

use crate::{Db, Engine, Result, on_db};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

/// Where a message's one-time link stands in its stored text and HTML.
pub const SECRET_PLACEHOLDER: &str = "[[stadtradar-one-time-link]]";

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    /// With [`SECRET_PLACEHOLDER`] where the one-time link goes, if it has one.
    pub text: String,
    pub html: Option<String>,
    /// The one-time link, kept only until the message is sent.
    pub secret: Option<String>,
    /// The `secret` is the message's unsubscribe link: it also goes into `List-Unsubscribe`,
    /// with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    pub one_click_unsubscribe: bool,
    /// An iCalendar file sent along (`text/calendar`), such as a registration's event.
    pub calendar: Option<String>,
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
    /// The claim that holds the message.
    pub lease_id: String,
    pub secret: Option<String>,
    /// See [`Outgoing::one_click_unsubscribe`].
    pub one_click_unsubscribe: bool,
    /// See [`Outgoing::calendar`].
    pub calendar: Option<String>,
}

impl QueuedMail {
    /// The text and HTML as sent: the one-time link in place of its placeholder (escaped for
    /// HTML by `escape`).
    pub fn bodies(&self, escape: impl Fn(&str) -> String) -> (String, Option<String>) {
        let secret = self.secret.as_deref().unwrap_or("");
        (
            self.body_text.replace(SECRET_PLACEHOLDER, secret),
            self.body_html
                .as_ref()
                .map(|h| h.replace(SECRET_PLACEHOLDER, &escape(secret))),
        )
    }
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
            "UPDATE mail_queue SET locked_until = $2, lease_id = $4, attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= $1 \
              AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $3) \
             RETURNING id, to_address, subject, body_text, body_html, attempts, lease_id, secret, one_click_unsubscribe, calendar"
        }
        // Several instances: rows another instance is claiming right now are skipped.
        Engine::Postgres => {
            "UPDATE mail_queue SET locked_until = $2, lease_id = $4, attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= $1 \
              AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, to_address, subject, body_text, body_html, attempts, lease_id, secret, one_click_unsubscribe, calendar"
        }
    }
}

const RENEW_SQL: &str = "UPDATE mail_queue SET locked_until = $2, handed_at = CASE WHEN id = $3 THEN $4 ELSE handed_at END \
     WHERE lease_id = $1 AND state = 'queued' RETURNING id";
const SENT_SQL: &str = "UPDATE mail_queue SET state = 'sent', sent_at = $2, locked_until = NULL, lease_id = NULL, \
     last_error = NULL, secret = NULL WHERE id = $1 AND lease_id = $3 AND state = 'queued'";

/// On PostgreSQL the two writes of every message (the mark before it goes out, "sent" after)
/// commit without waiting for the WAL to reach the disk. A crash of stadtradar loses nothing
/// (PostgreSQL has the commit; its WAL writer flushes it within a fraction of a second); only a
/// crash of the database server itself can lose the marks of the last moment, and their messages
/// would be settled as if the worker had died while sending them. Waiting for the disk twice per
/// message held PostgreSQL to about 65 mails a second on the benchmark's disk.
const NO_FLUSH: &str = "SET LOCAL synchronous_commit = off";

/// Runs `$body` with `$e` the executor: SQLite's pool, or on PostgreSQL a transaction of its own
/// with [`NO_FLUSH`].
macro_rules! unflushed {
    ($db:expr, $e:ident => $body:expr) => {
        match $db {
            Db::Sqlite(p, ..) => {
                let $e = p;
                $body
            }
            Db::Pg(p, ..) => {
                let mut tx = p.begin().await?;
                sqlx::query(NO_FLUSH).execute(&mut *tx).await?;
                let $e = &mut *tx;
                let r = $body;
                tx.commit().await?;
                r
            }
        }
    };
}

/// The `last_error` of a message whose worker died while handing it to the server.
pub const INTERRUPTED: &str =
    "interrupted while being handed to the mail server: whether it arrived is unknown";

/// Queues the message `$mail` (an [`Outgoing`]) in transaction `$tx` at `$now`, so that it is
/// sent only if the write it belongs to commits.
macro_rules! enqueue_in {
    ($tx:ident, $mail:expr, $now:expr) => {{
        let m: &$crate::mail::Outgoing = &$mail;
        sqlx::query(
            "INSERT INTO mail_queue (to_address, subject, body_text, body_html, next_attempt_at, created_at, secret, one_click_unsubscribe, calendar) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        )
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.text)
        .bind(&m.html)
        .bind($now)
        .bind(&m.secret)
        .bind(m.one_click_unsubscribe)
        .bind(&m.calendar)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use enqueue_in;

impl Db {
    /// Queues a message; it is sent by the worker.
    pub async fn enqueue_mail(&self, m: &Outgoing) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let id = on_db!(self, p => sqlx::query_scalar(
            "INSERT INTO mail_queue (to_address, subject, body_text, body_html, secret, next_attempt_at, created_at, one_click_unsubscribe, calendar) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id"
        ).bind(&m.to).bind(&m.subject).bind(&m.text).bind(&m.html).bind(&m.secret).bind(now).bind(m.one_click_unsubscribe).bind(&m.calendar).fetch_one(p).await?);
        Ok(id)
    }

    /// Takes up to `limit` messages that are due at `now`, leasing them to `lease_id` until
    /// `lease_until`. First, messages whose worker died while handing them to the server (see
    /// [`Db::renew_mail_lease`]) are settled: list mail is given up, personal mail is due again.
    pub async fn claim_mail(
        &self,
        lease_id: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<QueuedMail>> {
        let settled = on_db!(self, p => sqlx::query(
            "UPDATE mail_queue SET state = CASE WHEN one_click_unsubscribe THEN 'failed' ELSE 'queued' END, \
             last_error = $2, handed_at = NULL, lease_id = NULL, locked_until = NULL, \
             secret = CASE WHEN one_click_unsubscribe THEN NULL ELSE secret END \
             WHERE state = 'queued' AND handed_at IS NOT NULL AND locked_until <= $1"
        ).bind(now).bind(INTERRUPTED).execute(p).await?.rows_affected());
        if settled > 0 {
            tracing::warn!(
                messages = settled,
                "mail interrupted mid-delivery by a worker that died: list mail given up, personal mail due again"
            );
        }
        let sql = claim_sql(self.engine());
        let mut rows: Vec<QueuedMail> = on_db!(self, p => sqlx::query_as(AssertSqlSafe(sql))
            .bind(now).bind(lease_until).bind(limit).bind(lease_id).fetch_all(p).await?);
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Extends the lease of the messages `lease_id` still holds and that are not done; returns
    /// their ids. A message missing from the answer was taken over (its lease had run out).
    ///
    /// `handing`: the message about to go to the server, marked in the same write (`handed_at`
    /// = `now`). Should the worker die before it records the outcome, the message is settled
    /// when its lease has run out (see [`Db::claim_mail`]) instead of silently sent again.
    pub async fn renew_mail_lease(
        &self,
        lease_id: &str,
        lease_until: OffsetDateTime,
        handing: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = unflushed!(self, e => sqlx::query_scalar(RENEW_SQL)
            .bind(lease_id).bind(lease_until).bind(handing.unwrap_or(0)).bind(now)
            .fetch_all(e).await?);
        ids.sort_unstable();
        Ok(ids)
    }

    /// Marks a message sent and forgets its one-time link, if `lease_id` holds it; returns
    /// whether it did.
    pub async fn mail_sent(&self, id: i64, lease_id: &str, now: OffsetDateTime) -> Result<bool> {
        let n = unflushed!(self, e => sqlx::query(SENT_SQL)
            .bind(id).bind(now).bind(lease_id).execute(e).await?.rows_affected());
        Ok(n == 1)
    }

    /// Records a failed attempt by the holder of the lease: retried at `retry_at`, or marked
    /// failed after the last attempt (and its one-time link forgotten). Returns whether it did.
    pub async fn mail_failed(
        &self,
        id: i64,
        lease_id: &str,
        error: &str,
        attempts: i64,
        retry_at: OffsetDateTime,
    ) -> Result<bool> {
        let state = if attempts >= domain::mail::MAX_ATTEMPTS {
            "failed"
        } else {
            "queued"
        };
        let error: String = error.chars().take(1000).collect();
        let n = on_db!(self, p => sqlx::query(
            "UPDATE mail_queue SET state = $2, last_error = $3, next_attempt_at = $4, locked_until = NULL, lease_id = NULL, handed_at = NULL, \
             secret = CASE WHEN $2 = 'failed' THEN NULL ELSE secret END WHERE id = $1 AND lease_id = $5 AND state = 'queued'"
        ).bind(id).bind(state).bind(error).bind(retry_at).bind(lease_id).execute(p).await?.rows_affected());
        Ok(n == 1)
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
