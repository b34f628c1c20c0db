//! Personal programmes: the sessions a person stars, kept by the programme's number (reached by
//! a private link that the web layer derives from it) or by the account. Nothing here is
//! public, so no page cache is touched.

use crate::{Db, Result, StoreError, on_db};
use time::OffsetDateTime;

/// Whose programme a star goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The signed-in person's (created with the first star).
    Account(i64),
    /// The programme of a private link.
    Link(i64),
    /// A new programme (the first star without a link or an account).
    New,
}

impl Db {
    /// Stars (`on`) or unstars session `session_id` in the programme of `owner`; the
    /// programme's number, or `None` when the session is not public (or the link's programme
    /// is gone). Starring twice changes nothing.
    pub async fn star(&self, owner: Owner, session_id: i64, on: bool) -> Result<Option<i64>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let public: Option<i64> = sqlx::query_scalar(
                "SELECT s.id FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id \
                 WHERE s.id = $1 AND e.state IN ('published', 'cancelled')",
            )
            .bind(session_id).fetch_optional(&mut *tx).await?;
            if public.is_none() {
                tx.rollback().await?;
                return Ok(None);
            }
            let programme: Option<i64> = match owner {
                Owner::Account(user) => {
                    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM personal_programmes WHERE user_id = $1")
                        .bind(user).fetch_optional(&mut *tx).await?;
                    match found {
                        Some(id) => Some(id),
                        None => Some(sqlx::query_scalar(
                            "INSERT INTO personal_programmes (user_id, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id",
                        ).bind(user).bind(now).fetch_one(&mut *tx).await?),
                    }
                }
                Owner::Link(id) => sqlx::query_scalar("SELECT id FROM personal_programmes WHERE id = $1 AND user_id IS NULL")
                    .bind(id).fetch_optional(&mut *tx).await?,
                Owner::New => Some(sqlx::query_scalar(
                    "INSERT INTO personal_programmes (user_id, created_at, updated_at) VALUES (NULL, $1, $1) RETURNING id",
                ).bind(now).fetch_one(&mut *tx).await?),
            };
            let Some(programme) = programme else {
                tx.rollback().await?;
                return Ok(None);
            };
            if on {
                sqlx::query(
                    "INSERT INTO personal_sessions (programme_id, session_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(programme).bind(session_id).bind(now).execute(&mut *tx).await?;
            } else {
                sqlx::query("DELETE FROM personal_sessions WHERE programme_id = $1 AND session_id = $2")
                    .bind(programme).bind(session_id).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE personal_programmes SET updated_at = $2 WHERE id = $1")
                .bind(programme).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(Some(programme))
        })
    }

    /// The programme of a private link (`None`: there is none, or it belongs to an account),
    /// or of an account.
    pub async fn personal_programme(&self, owner: Owner) -> Result<Option<i64>> {
        let id: Option<i64> = match owner {
            Owner::Link(id) => {
                on_db!(self, p => sqlx::query_scalar("SELECT id FROM personal_programmes WHERE id = $1")
                .bind(id).fetch_optional(p).await?)
            }
            Owner::Account(user) => {
                on_db!(self, p => sqlx::query_scalar("SELECT id FROM personal_programmes WHERE user_id = $1")
                .bind(user).fetch_optional(p).await?)
            }
            Owner::New => None,
        };
        Ok(id)
    }

    /// The starred sessions of a programme: (event id, session id), by the session's start.
    pub async fn starred(&self, programme: i64) -> Result<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT s.event_id, s.id FROM personal_sessions ps JOIN programme_sessions s ON s.id = ps.session_id \
             JOIN programme_events e ON e.id = s.event_id \
             WHERE ps.programme_id = $1 AND e.state IN ('published', 'cancelled') ORDER BY s.starts_at, s.id"
        ).bind(programme).fetch_all(p).await?);
        Ok(rows)
    }

    /// Removes programmes without an account whose every starred session's event ended before
    /// `before`, and those left empty since then. The number removed.
    pub async fn prune_personal_programmes(&self, before: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query(
                "DELETE FROM personal_programmes WHERE user_id IS NULL AND updated_at < $1 AND NOT EXISTS ( \
                 SELECT 1 FROM personal_sessions ps JOIN programme_sessions s ON s.id = ps.session_id \
                 JOIN programme_events e ON e.id = s.event_id WHERE ps.programme_id = personal_programmes.id AND e.ends_at >= $1)",
            )
            .bind(before).execute(p).await?.rows_affected()
        });
        Ok(n)
    }
}
