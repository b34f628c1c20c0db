//! The newsletter, storage side: subscribers with double opt-in and topics (this file), issues
//! and the archive (`issues`), and the sending, one queued mail per recipient (`send`).
//!
//! An address receives nothing until it is confirmed: the confirmation mail is queued in the
//! transaction that records the subscription, with the hash of its token only, and every
//! sending reads `state = 'confirmed'`.

pub mod issues;
pub mod send;

use crate::mail::Outgoing;
use crate::{Db, Result, StoreError, on_db};
use domain::newsletter::Topics;
use time::OffsetDateTime;

/// The columns of a subscriber, in [`SubscriberRow`]'s order.
const SUBSCRIBER_COLUMNS: &str =
    "id, email, user_id, state, topic_strategy, topic_events, topic_offers, confirmed_at, lang";

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub user_id: Option<i64>,
    /// `pending`, `confirmed` or `unsubscribed`.
    pub state: String,
    pub topics: Topics,
    pub confirmed_at: Option<OffsetDateTime>,
    /// The language its mails are written in (`de`, `en`).
    pub lang: String,
}

impl Subscriber {
    pub fn confirmed(&self) -> bool {
        self.state == "confirmed"
    }
}

type SubscriberRow = (
    i64,
    String,
    Option<i64>,
    String,
    bool,
    bool,
    bool,
    Option<OffsetDateTime>,
    String,
);

fn subscriber_of(r: SubscriberRow) -> Subscriber {
    Subscriber {
        id: r.0,
        email: r.1,
        user_id: r.2,
        state: r.3,
        topics: Topics {
            strategy: r.4,
            events: r.5,
            offers: r.6,
        },
        confirmed_at: r.7,
        lang: r.8,
    }
}

/// How long the address of an ended subscription is kept (to answer "why did I get this?").
pub const KEEP_UNSUBSCRIBED: time::Duration = time::Duration::days(30);

/// What a subscription through the public form did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribed {
    /// A new or not yet confirmed address (or one that had unsubscribed): it waits for its
    /// confirmation, with the topics asked for.
    Pending(i64),
    /// The address is subscribed already; nothing changed (its topics change by its own link).
    AlreadyConfirmed(i64),
}

impl Subscribed {
    pub fn id(self) -> i64 {
        match self {
            Subscribed::Pending(id) | Subscribed::AlreadyConfirmed(id) => id,
        }
    }
}

impl Db {
    /// Records a subscription of `email` in language `lang` to `topics` that waits for the link
    /// with the token hashed as `confirm_hash` (valid until `expires_at`), and queues the mail
    /// `mail` builds for the outcome in the same transaction. A confirmed address keeps its
    /// topics and its state (the mail tells it so) and takes the language.
    pub async fn subscribe_newsletter(
        &self,
        (email, lang): (&str, &str),
        topics: Topics,
        (confirm_hash, expires_at): (&str, OffsetDateTime),
        now: OffsetDateTime,
        mail: &(dyn Fn(Subscribed) -> Outgoing + Send + Sync),
    ) -> Result<Subscribed> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let (id, state): (i64, String) = sqlx::query_as(
                "INSERT INTO newsletter_subscribers (email, state, topic_strategy, topic_events, topic_offers, confirm_hash, confirm_expires_at, created_at, updated_at, lang) \
                 VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $7, $8) \
                 ON CONFLICT (email) DO UPDATE SET lang = excluded.lang, \
                 topic_strategy = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN newsletter_subscribers.topic_strategy ELSE excluded.topic_strategy END, \
                 topic_events = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN newsletter_subscribers.topic_events ELSE excluded.topic_events END, \
                 topic_offers = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN newsletter_subscribers.topic_offers ELSE excluded.topic_offers END, \
                 confirm_hash = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN NULL ELSE excluded.confirm_hash END, \
                 confirm_expires_at = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN NULL ELSE excluded.confirm_expires_at END, \
                 state = CASE WHEN newsletter_subscribers.state = 'confirmed' THEN 'confirmed' ELSE 'pending' END, \
                 updated_at = excluded.updated_at \
                 RETURNING id, state",
            )
            .bind(email).bind(topics.strategy).bind(topics.events).bind(topics.offers)
            .bind(confirm_hash).bind(expires_at).bind(now).bind(lang)
            .fetch_one(&mut *tx).await?;
            let outcome = if state == "confirmed" {
                Subscribed::AlreadyConfirmed(id)
            } else {
                Subscribed::Pending(id)
            };
            crate::mail::enqueue_in!(tx, mail(outcome), now);
            tx.commit().await?;
            Ok::<_, StoreError>(outcome)
        })
    }

    /// The waiting subscription of a confirmation link's token hash, if the link still confirms
    /// at `now` (for the page with the button).
    pub async fn newsletter_pending(
        &self,
        confirm_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Subscriber>> {
        let sql = format!(
            "SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers WHERE confirm_hash = $1 AND confirm_expires_at > $2 AND state = 'pending'"
        );
        let row: Option<SubscriberRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(confirm_hash).bind(now).fetch_optional(p).await?);
        Ok(row.map(subscriber_of))
    }

    /// Confirms the subscription of a link's token hash (once: the hash is forgotten); `None`
    /// when the link is unknown, used or expired at `now`.
    pub async fn confirm_newsletter(
        &self,
        confirm_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        let id: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "UPDATE newsletter_subscribers SET state = 'confirmed', confirmed_at = $2, updated_at = $2, \
             confirm_hash = NULL, confirm_expires_at = NULL \
             WHERE confirm_hash = $1 AND confirm_expires_at > $2 AND state = 'pending' RETURNING id"
        ).bind(confirm_hash).bind(now).fetch_optional(p).await?);
        Ok(id)
    }

    /// A subscription by its number.
    pub async fn newsletter_subscriber(&self, id: i64) -> Result<Option<Subscriber>> {
        let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers WHERE id = $1");
        let row: Option<SubscriberRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        Ok(row.map(subscriber_of))
    }

    /// The subscription of an address.
    pub async fn newsletter_subscriber_by_email(&self, email: &str) -> Result<Option<Subscriber>> {
        let sql =
            format!("SELECT {SUBSCRIBER_COLUMNS} FROM newsletter_subscribers WHERE email = $1");
        let row: Option<SubscriberRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(email).fetch_optional(p).await?);
        Ok(row.map(subscriber_of))
    }

    /// Changes the topics of a confirmed subscription (no topic: it ends) and takes the language
    /// of the page it was changed on; `false` when there is no confirmed subscription `id`.
    pub async fn set_newsletter_topics(
        &self,
        id: i64,
        topics: Topics,
        lang: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        if topics.is_empty() {
            return self.unsubscribe_newsletter(id, now).await;
        }
        let n = on_db!(self, p => sqlx::query(
            "UPDATE newsletter_subscribers SET topic_strategy = $2, topic_events = $3, topic_offers = $4, updated_at = $5, lang = $6 \
             WHERE id = $1 AND state = 'confirmed'"
        ).bind(id).bind(topics.strategy).bind(topics.events).bind(topics.offers).bind(now).bind(lang)
            .execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    /// Ends subscription `id`: nothing more is sent to it (an issue going out skips it). Saying
    /// it twice is no error; `false` only when there is no subscription `id`.
    pub async fn unsubscribe_newsletter(&self, id: i64, now: OffsetDateTime) -> Result<bool> {
        let n = on_db!(self, p => sqlx::query(
            "UPDATE newsletter_subscribers SET state = 'unsubscribed', confirm_hash = NULL, confirm_expires_at = NULL, \
             updated_at = CASE WHEN state = 'unsubscribed' THEN updated_at ELSE $2 END WHERE id = $1"
        ).bind(id).bind(now).execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    /// Subscribes the confirmed address of account `user_id` to `topics` at once (the address
    /// was confirmed with the account), in language `lang`, or ends its subscription when
    /// `topics` is empty.
    pub async fn subscribe_account(
        &self,
        user_id: i64,
        (email, lang): (&str, &str),
        topics: Topics,
        now: OffsetDateTime,
    ) -> Result<()> {
        if topics.is_empty() {
            on_db!(self, p => sqlx::query(
                "UPDATE newsletter_subscribers SET state = 'unsubscribed', confirm_hash = NULL, confirm_expires_at = NULL, updated_at = $2 \
                 WHERE email = $1"
            ).bind(email).bind(now).execute(p).await?.rows_affected());
            return Ok(());
        }
        on_db!(self, p => sqlx::query(
            "INSERT INTO newsletter_subscribers (email, user_id, state, topic_strategy, topic_events, topic_offers, created_at, confirmed_at, updated_at, lang) \
             VALUES ($1, $2, 'confirmed', $3, $4, $5, $6, $6, $6, $7) \
             ON CONFLICT (email) DO UPDATE SET user_id = excluded.user_id, state = 'confirmed', lang = excluded.lang, \
             topic_strategy = excluded.topic_strategy, topic_events = excluded.topic_events, topic_offers = excluded.topic_offers, \
             confirm_hash = NULL, confirm_expires_at = NULL, \
             confirmed_at = COALESCE(newsletter_subscribers.confirmed_at, excluded.confirmed_at), updated_at = excluded.updated_at"
        ).bind(email).bind(user_id).bind(topics.strategy).bind(topics.events).bind(topics.offers).bind(now).bind(lang)
            .execute(p).await?.rows_affected());
        Ok(())
    }

    /// Removes the subscriptions that never were confirmed and whose link ran out before
    /// `now`, and forgets the address of subscriptions that ended [`KEEP_UNSUBSCRIBED`] before
    /// `now` (the row stays for the issues' figures; the address can subscribe anew); returns
    /// how many rows it changed.
    pub async fn purge_unconfirmed_newsletter(&self, now: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => sqlx::query(
            "DELETE FROM newsletter_subscribers WHERE state = 'pending' AND confirmed_at IS NULL AND confirm_expires_at <= $1 \
             AND id NOT IN (SELECT subscriber_id FROM newsletter_recipients)"
        ).bind(now).execute(p).await?.rows_affected());
        let forgotten = on_db!(self, p => sqlx::query(
            "UPDATE newsletter_subscribers SET email = 'removed-' || CAST(id AS TEXT) || '@invalid', user_id = NULL \
             WHERE state = 'unsubscribed' AND updated_at < $1 AND email NOT LIKE 'removed-%@invalid'"
        ).bind(now - KEEP_UNSUBSCRIBED).execute(p).await?.rows_affected());
        Ok(n + forgotten)
    }

    /// Counts of subscriptions: (confirmed, pending).
    pub async fn newsletter_counts(&self) -> Result<(i64, i64)> {
        let row: (i64, i64) = on_db!(self, p => sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN state = 'confirmed' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0) FROM newsletter_subscribers"
        ).fetch_one(p).await?);
        Ok(row)
    }
}
