//! A person's follows, notifications and settings: the list by cursor, the unread count,
//! marking read, following and unfollowing, the settings per kind.

use crate::{Db, Result, StoreError, on_db};
use domain::notifications::{Delivery, FollowKind, Kind};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One notification as the list and the digest show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub subject_kind: String,
    pub subject_id: i64,
    /// Who caused it, while their account exists.
    pub actor_name: Option<String>,
    pub title: String,
    pub body: String,
    pub detail: String,
    pub link: String,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
    pub mailed_at: Option<OffsetDateTime>,
}

type Row = (
    i64,
    String,
    String,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
);

pub(crate) const COLUMNS: &str = "n.id, n.kind, n.subject_kind, n.subject_id, \
     CASE WHEN a.deleted_at IS NULL THEN a.display_name END, n.title, n.body, n.detail, n.link, \
     n.created_at, n.read_at, n.mailed_at";

pub(crate) const FROM: &str = "FROM notifications n LEFT JOIN users a ON a.id = n.actor_id";

pub(crate) fn notification_of(r: Row) -> Result<Notification> {
    let kind = Kind::parse(&r.1)
        .ok_or_else(|| StoreError::Invalid(format!("notification kind {}", r.1)))?;
    Ok(Notification {
        id: r.0,
        kind,
        subject_kind: r.2,
        subject_id: r.3,
        actor_name: r.4,
        title: r.5,
        body: r.6,
        detail: r.7,
        link: r.8,
        created_at: r.9,
        read_at: r.10,
        mailed_at: r.11,
    })
}

/// Something a person follows, with its title and page where the subject is known here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub kind: FollowKind,
    pub id: i64,
    /// `None` when the subject is gone or its kind has no table on this site yet.
    pub title: Option<String>,
    pub link: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A person's notification settings: the delivery of each kind and whether writing on
/// something follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub delivery: HashMap<Kind, Delivery>,
    pub auto_follow: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            delivery: Kind::ALL
                .iter()
                .map(|k| (*k, Delivery::default()))
                .collect(),
            auto_follow: true,
        }
    }
}

impl Prefs {
    pub fn of(&self, kind: Kind) -> Delivery {
        self.delivery.get(&kind).copied().unwrap_or_default()
    }
}

impl Db {
    /// Follows (`true`) or unfollows a subject; returns whether anything changed.
    pub async fn set_follow(
        &self,
        user_id: i64,
        kind: FollowKind,
        subject_id: i64,
        on: bool,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            if on {
                sqlx::query("INSERT INTO follows (user_id, subject_kind, subject_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                    .bind(user_id).bind(kind.as_str()).bind(subject_id).bind(now).execute(p).await?.rows_affected()
            } else {
                sqlx::query("DELETE FROM follows WHERE user_id = $1 AND subject_kind = $2 AND subject_id = $3")
                    .bind(user_id).bind(kind.as_str()).bind(subject_id).execute(p).await?.rows_affected()
            }
        });
        Ok(n > 0)
    }

    /// Whether `user_id` follows the subject.
    pub async fn follows(&self, user_id: i64, kind: FollowKind, subject_id: i64) -> Result<bool> {
        let n: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT subject_id FROM follows WHERE user_id = $1 AND subject_kind = $2 AND subject_id = $3"
        ).bind(user_id).bind(kind.as_str()).bind(subject_id).fetch_optional(p).await?);
        Ok(n.is_some())
    }

    /// Everything `user_id` follows, newest first, with the titles of measures, fields of action
    /// and ideas (one query).
    pub async fn follows_of_user(&self, user_id: i64) -> Result<Vec<Follow>> {
        type FollowRow = (String, i64, Option<String>, Option<String>, OffsetDateTime);
        let rows: Vec<FollowRow> = on_db!(self, p => sqlx::query_as(
            "SELECT f.subject_kind, f.subject_id, COALESCE(m.title, fa.title, i.title), \
             CASE WHEN m.slug IS NOT NULL THEN '/massnahmen/' || m.slug WHEN fa.slug IS NOT NULL THEN '/handlungsfelder/' || fa.slug \
             WHEN i.id IS NOT NULL THEN '/ideen/' || CAST(i.id AS TEXT) END, \
             f.created_at FROM follows f \
             LEFT JOIN measures m ON f.subject_kind = 'measure' AND m.id = f.subject_id AND m.state = 'published' \
             LEFT JOIN fields_of_action fa ON f.subject_kind = 'field' AND fa.id = f.subject_id \
             LEFT JOIN ideas i ON f.subject_kind = 'idea' AND i.id = f.subject_id AND NOT i.hidden \
             WHERE f.user_id = $1 ORDER BY f.created_at DESC, f.subject_kind, f.subject_id"
        ).bind(user_id).fetch_all(p).await?);
        rows.into_iter()
            .map(|(kind, id, title, link, created_at)| {
                let kind = FollowKind::parse(&kind)
                    .ok_or_else(|| StoreError::Invalid(format!("follow kind {kind}")))?;
                Ok(Follow {
                    kind,
                    id,
                    title,
                    link,
                    created_at,
                })
            })
            .collect()
    }

    /// A page of `user_id`'s notifications, newest first, before id `before` (the cursor; `None`:
    /// the newest); and whether there are more.
    pub async fn notification_page(
        &self,
        user_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<Notification>, bool)> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE n.recipient_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id).bind(before.unwrap_or(i64::MAX)).bind(limit + 1).fetch_all(p).await?);
        let mut list = rows
            .into_iter()
            .map(notification_of)
            .collect::<Result<Vec<_>>>()?;
        let more = list.len() as i64 > limit;
        list.truncate(usize::try_from(limit).unwrap_or(0));
        Ok((list, more))
    }

    /// Every notification of `user_id`, newest first (the data export).
    pub async fn notifications_of_user(&self, user_id: i64) -> Result<Vec<Notification>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE n.recipient_id = $1 ORDER BY n.id DESC");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(p).await?);
        rows.into_iter().map(notification_of).collect()
    }

    /// How many of `user_id`'s notifications are unread.
    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64> {
        let n: i64 = on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL"
        ).bind(user_id).fetch_one(p).await?);
        Ok(n)
    }

    /// Marks one notification of `user_id` read (`Some(id)`) or all of them; returns how many
    /// changed. Someone else's notification is left alone.
    pub async fn mark_notifications_read(&self, user_id: i64, id: Option<i64>) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            match id {
                Some(id) => sqlx::query("UPDATE notifications SET read_at = $3 WHERE recipient_id = $1 AND id = $2 AND read_at IS NULL")
                    .bind(user_id).bind(id).bind(now).execute(p).await?.rows_affected(),
                None => sqlx::query("UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL")
                    .bind(user_id).bind(now).execute(p).await?.rows_affected(),
            }
        });
        Ok(n)
    }

    /// Removes the notifications read before `now - KEEP_READ` and every one written before
    /// `now - KEEP_ANY` (`domain::notifications`); returns how many. Run by every instance's
    /// maintenance; removing twice removes nothing more.
    pub async fn prune_notifications(&self, now: OffsetDateTime) -> Result<u64> {
        let read_before = now - domain::notifications::KEEP_READ;
        let written_before = now - domain::notifications::KEEP_ANY;
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query("DELETE FROM notifications WHERE read_at < $1 OR created_at < $2")
                .bind(read_before).bind(written_before).execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// `user_id`'s settings (the defaults where they chose nothing).
    pub async fn notification_prefs(&self, user_id: i64) -> Result<Prefs> {
        let (rows, auto): (Vec<(String, String)>, Option<bool>) = on_db!(self, p => {
            let rows = sqlx::query_as("SELECT kind, delivery FROM notification_prefs WHERE user_id = $1")
                .bind(user_id).fetch_all(p).await?;
            let auto = sqlx::query_scalar("SELECT auto_follow FROM notification_settings WHERE user_id = $1")
                .bind(user_id).fetch_optional(p).await?;
            (rows, auto)
        });
        let mut prefs = Prefs {
            auto_follow: auto.unwrap_or(true),
            ..Prefs::default()
        };
        for (kind, delivery) in rows {
            if let (Some(k), Some(d)) = (Kind::parse(&kind), Delivery::parse(&delivery)) {
                prefs.delivery.insert(k, d);
            }
        }
        Ok(prefs)
    }

    /// Saves `user_id`'s settings in one transaction. Notifications not mailed yet follow the
    /// new choice: a kind without mail takes them out of the next mail.
    pub async fn save_notification_prefs(&self, user_id: i64, prefs: &Prefs) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            for kind in Kind::ALL {
                let d = prefs.of(kind);
                sqlx::query("INSERT INTO notification_prefs (user_id, kind, delivery) VALUES ($1, $2, $3) \
                             ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery")
                    .bind(user_id).bind(kind.as_str()).bind(d.as_str()).execute(&mut *tx).await?;
                let by_mail = if d.mails() { d.as_str() } else { "no" };
                sqlx::query("UPDATE notifications SET by_mail = $3 WHERE recipient_id = $1 AND kind = $2 AND mailed_at IS NULL")
                    .bind(user_id).bind(kind.as_str()).bind(by_mail).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO notification_settings (user_id, auto_follow, updated_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (user_id) DO UPDATE SET auto_follow = excluded.auto_follow, updated_at = excluded.updated_at")
                .bind(user_id).bind(prefs.auto_follow).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The one-click unsubscribe: no more notification mail for `user_id` (every kind that
    /// mailed stays in the list only; what was waiting for the digest is not sent). Returns
    /// whether the person exists.
    pub async fn unsubscribe_notification_mail(&self, user_id: i64) -> Result<bool> {
        let mut prefs = self.notification_prefs(user_id).await?;
        let exists: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL"
        ).bind(user_id).fetch_optional(p).await?);
        if exists.is_none() {
            return Ok(false);
        }
        for d in prefs.delivery.values_mut() {
            *d = d.without_mail();
        }
        self.save_notification_prefs(user_id, &prefs).await?;
        Ok(true)
    }
}
