//! The audit log: every change made by a person in the back office or on the command line, with
//! its before and after values. Entries are written in the transaction of the change.

use crate::{Db, Result, on_db};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    /// Display name of the actor ("gelöschtes Konto" after deletion); `None` for the command line.
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, before_value, after_value) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

impl Db {
    /// Newest first, filtered by action when given.
    pub async fn audit_entries(
        &self,
        action: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let (rows, total) = on_db!(self, p => {
            let rows: Vec<AuditEntry> = sqlx::query_as(
                "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.subject_type, a.subject_id, \
                 a.before_value, a.after_value FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
                 WHERE ($1 IS NULL OR a.action = $1) ORDER BY a.at DESC, a.id DESC LIMIT $2 OFFSET $3"
            ).bind(action).bind(limit).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE ($1 IS NULL OR action = $1)")
                .bind(action).fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }
}
