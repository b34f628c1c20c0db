//! Who may do what with an event, and what a session's discussion needs: the organisers an admin
//! lets run an event beside its owner, and the head of a session (its addresses and title) for
//! the comments component.

use crate::{Db, Result, StoreError, on_db};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A public session as its discussion needs it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionHead {
    pub id: i64,
    pub event_id: i64,
    pub event_slug: String,
    pub slug: String,
    pub title: String,
    /// Whether it takes comments: its event is published and it is not cancelled.
    pub open: bool,
}

const HEAD: &str = "SELECT s.id, e.id AS event_id, e.slug AS event_slug, s.slug, s.title, \
     (e.state = 'published' AND s.state <> 'cancelled') AS open \
     FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id \
     WHERE e.state IN ('published', 'cancelled')";

impl Db {
    /// The session at `session_slug` of the public event at `event_slug`.
    pub async fn session_head(
        &self,
        event_slug: &str,
        session_slug: &str,
    ) -> Result<Option<SessionHead>> {
        let sql = format!("{HEAD} AND e.slug = $1 AND s.slug = $2");
        let row = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(event_slug).bind(session_slug).fetch_optional(p).await?);
        Ok(row)
    }

    /// Session `id`, if its event is public.
    pub async fn session_head_by_id(&self, id: i64) -> Result<Option<SessionHead>> {
        let sql = format!("{HEAD} AND s.id = $1");
        let row = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        Ok(row)
    }

    /// The titles of the sessions `ids` with their events' (the moderation queue), in one query.
    pub async fn session_titles_of(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT s.id, s.title, e.title FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id \
             WHERE s.id IN ({})",
            crate::comments::placeholders(1, ids.len())
        );
        let rows: Vec<(i64, String, String)> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, s, e)| (id, format!("{s} ({e})")))
            .collect())
    }

    /// The event of session `id`.
    pub async fn event_of_session(&self, id: i64) -> Result<Option<i64>> {
        let row = on_db!(self, p => sqlx::query_scalar("SELECT event_id FROM programme_sessions WHERE id = $1")
            .bind(id).fetch_optional(p).await?);
        Ok(row)
    }

    /// Whether `user` runs event `event_id`: its owner, or an organiser an admin added.
    pub async fn runs_event(&self, event_id: i64, user: i64) -> Result<bool> {
        let found: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM programme_events WHERE id = $1 AND owner_id = $2 \
             UNION ALL SELECT CAST(1 AS BIGINT) FROM event_organisers WHERE event_id = $1 AND user_id = $2 LIMIT 1"
        ).bind(event_id).bind(user).fetch_optional(p).await?);
        Ok(found.is_some())
    }

    /// The organisers an admin added to event `event_id` (id, name, address), by name.
    pub async fn event_organisers(&self, event_id: i64) -> Result<Vec<(i64, String, String)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM event_organisers o JOIN users u ON u.id = o.user_id \
             WHERE o.event_id = $1 ORDER BY u.display_name, u.id"
        ).bind(event_id).fetch_all(p).await?);
        Ok(rows)
    }

    /// Adds (`on`) or removes organiser `user` of event `event_id`; audited as
    /// `event.organiser.add` / `event.organiser.remove`. False when nothing changed.
    pub async fn set_event_organiser(
        &self,
        actor: i64,
        event_id: i64,
        user: i64,
        on: bool,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = if on {
                sqlx::query("INSERT INTO event_organisers (event_id, user_id) SELECT $1, $2 \
                             WHERE EXISTS (SELECT 1 FROM programme_events WHERE id = $1) ON CONFLICT DO NOTHING")
                    .bind(event_id).bind(user).execute(&mut *tx).await?.rows_affected()
            } else {
                sqlx::query("DELETE FROM event_organisers WHERE event_id = $1 AND user_id = $2")
                    .bind(event_id).bind(user).execute(&mut *tx).await?.rows_affected()
            };
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            let action = if on { "event.organiser.add" } else { "event.organiser.remove" };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind(action).bind("event").bind(event_id)
                .bind(None::<String>).bind(user.to_string()).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }
}
