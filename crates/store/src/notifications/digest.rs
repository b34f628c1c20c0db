//! The notification mail: who is due, and claiming a person's due notifications together with
//! queueing their mail, in one transaction.
//!
//! A notification is due for mail when it was written with `by_mail = 'immediate'`, or with
//! `'digest'` up to the last digest time (`due`). The claim is a conditional `UPDATE … SET
//! mailed_at … WHERE mailed_at IS NULL … RETURNING id`: on SQLite the single writer makes it
//! atomic, on PostgreSQL a second instance's identical statement waits for the first one's row
//! locks, re-checks `mailed_at IS NULL` and finds nothing — so each notification goes into one
//! mail, and a mail is queued only with the claim that fills it.

use super::Notification;
use super::read::{COLUMNS, FROM, notification_of};
use crate::comments::placeholders;
use crate::mail::Outgoing;
use crate::{Db, Result, on_db};
use time::OffsetDateTime;

/// The most notifications one mail holds; more go into the next one (a minute later).
pub const MAX_PER_MAIL: i64 = 200;

/// Whom a notification mail goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRecipient {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
}

/// Due for mail at `$2` (the last digest time); the first two terms are those of the partial
/// index `notifications_unmailed`, which SQLite uses only when they are spelled out.
const DUE: &str = "mailed_at IS NULL AND by_mail <> 'no' \
     AND (by_mail = 'immediate' OR (by_mail = 'digest' AND created_at <= $2))";

impl Db {
    /// Up to `limit` people after id `after` with notifications due for mail (see the module),
    /// by id.
    pub async fn notification_mail_due(
        &self,
        due: OffsetDateTime,
        after: i64,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT recipient_id FROM notifications WHERE recipient_id > $1 AND {DUE} ORDER BY recipient_id LIMIT $3"
        );
        let ids: Vec<i64> = on_db!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(after).bind(due).bind(limit).fetch_all(p).await?);
        Ok(ids)
    }

    /// Claims `user_id`'s notifications due for mail (at most [`MAX_PER_MAIL`]) and queues the
    /// mail `build` makes of them, in one transaction; returns whether a mail was queued. A
    /// second call (another instance, the next minute) finds them claimed and queues nothing.
    /// Accounts that cannot receive mail (deleted, locked, demo addresses) have theirs claimed
    /// without a mail, so they do not wait for ever.
    pub async fn mail_notifications(
        &self,
        user_id: i64,
        due: OffsetDateTime,
        now: OffsetDateTime,
        build: &(dyn Fn(&DigestRecipient, &[Notification]) -> Option<Outgoing> + Sync),
    ) -> Result<bool> {
        let claim = format!(
            "UPDATE notifications SET mailed_at = $3 WHERE id IN \
             (SELECT id FROM notifications WHERE recipient_id = $1 AND {DUE} ORDER BY id LIMIT $4) \
             AND recipient_id = $1 AND {DUE} RETURNING id"
        );
        let queued = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(claim))
                .bind(user_id).bind(due).bind(now).bind(MAX_PER_MAIL)
                .fetch_all(&mut *tx).await?;
            if ids.is_empty() {
                tx.rollback().await?;
                return Ok(false);
            }
            ids.sort_unstable();
            let recipient: Option<(i64, String, String)> = sqlx::query_as(
                "SELECT id, email, display_name FROM users WHERE id = $1 AND deleted_at IS NULL \
                 AND NOT locked AND email NOT LIKE '%.invalid'",
            )
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let mail = match recipient {
                Some((user_id, email, display_name)) => {
                    let sql = format!(
                        "SELECT {COLUMNS} {FROM} WHERE n.id IN ({}) ORDER BY n.id",
                        placeholders(1, ids.len())
                    );
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                    for id in &ids {
                        q = q.bind(*id);
                    }
                    let rows = q.fetch_all(&mut *tx).await?;
                    let list = rows.into_iter().map(notification_of).collect::<Result<Vec<_>>>()?;
                    build(&DigestRecipient { user_id, email, display_name }, &list)
                }
                None => None,
            };
            let queued = mail.is_some();
            if let Some(m) = mail {
                crate::mail::enqueue_in!(tx, m, now);
            }
            tx.commit().await?;
            queued
        });
        Ok(queued)
    }
}
