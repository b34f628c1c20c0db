//! The audit log: every change made by a person in the back office or on the command line, with
//! its before and after values. Entries are written in the transaction of the change.

use crate::{Db, Result, on_db};
use serde::Serialize;
use time::{Date, OffsetDateTime};

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

/// Whose changes to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActorFilter {
    #[default]
    Any,
    /// Changes made on the command line (no actor).
    Cli,
    User(i64),
}

/// The filters of the back office's audit log; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub subject_type: Option<String>,
    pub actor: ActorFilter,
    /// Entries on or after this day (UTC).
    pub from: Option<Date>,
    /// Entries on or before this day (UTC).
    pub to: Option<Date>,
}

/// The values that occur in the log, for the filter form's selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditChoices {
    pub actions: Vec<String>,
    pub subject_types: Vec<String>,
    /// People who changed something, by display name.
    pub actors: Vec<(i64, String)>,
    /// Some changes came from the command line.
    pub cli: bool,
}

/// One statement for both engines; every condition is switched off by a NULL (or 0) parameter.
const AUDIT_WHERE: &str = "WHERE ($1 IS NULL OR a.action = $1) AND ($2 IS NULL OR a.subject_type = $2) \
     AND ($3 = 0 OR ($3 = 1 AND a.actor_id IS NULL) OR ($3 = 2 AND a.actor_id = $4)) \
     AND ($5 IS NULL OR a.at >= $5) AND ($6 IS NULL OR a.at < $6)";

impl Db {
    /// Newest first, filtered by action when given.
    pub async fn audit_entries(
        &self,
        action: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let filter = AuditFilter {
            action: action.map(str::to_string),
            ..AuditFilter::default()
        };
        self.audit_log(&filter, limit, offset).await
    }

    /// One page of the log, newest first, and how many entries match: one query on the
    /// `audit_log_at`, `_action`, `_subject` or `_actor` index plus a count.
    pub async fn audit_log(
        &self,
        f: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let (mode, actor): (i64, Option<i64>) = match f.actor {
            ActorFilter::Any => (0, None),
            ActorFilter::Cli => (1, None),
            ActorFilter::User(id) => (2, Some(id)),
        };
        // Days are bound as dates: PostgreSQL compares them as midnight UTC (sqlx sets the
        // session's time zone to UTC); SQLite compares "YYYY-MM-DD" with the stored RFC 3339 text,
        // which sorts the same way whatever the fraction of a second.
        let until = f.to.and_then(|d| d.next_day());
        let rows_sql = format!(
            "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.subject_type, a.subject_id, \
             a.before_value, a.after_value FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             {AUDIT_WHERE} ORDER BY a.at DESC, a.id DESC LIMIT $7 OFFSET $8"
        );
        let count_sql = format!("SELECT COUNT(*) FROM audit_log a {AUDIT_WHERE}");
        let (rows, total) = on_db!(self, p => {
            let rows: Vec<AuditEntry> = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
                .bind(&f.action).bind(&f.subject_type).bind(mode).bind(actor).bind(f.from).bind(until)
                .bind(limit).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&f.action).bind(&f.subject_type).bind(mode).bind(actor).bind(f.from).bind(until)
                .fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }

    /// The actions, subject types and actors that occur in the log (each from its index).
    pub async fn audit_choices(&self) -> Result<AuditChoices> {
        let (actions, subject_types, actors) = on_db!(self, p => {
            let actions: Vec<String> = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
                .fetch_all(p).await?;
            let subjects: Vec<String> = sqlx::query_scalar("SELECT DISTINCT subject_type FROM audit_log ORDER BY subject_type")
                .fetch_all(p).await?;
            let actors: Vec<(Option<i64>, Option<String>)> = sqlx::query_as(
                "SELECT a.actor_id, u.display_name FROM (SELECT DISTINCT actor_id FROM audit_log) a \
                 LEFT JOIN users u ON u.id = a.actor_id ORDER BY u.display_name, a.actor_id"
            ).fetch_all(p).await?;
            (actions, subjects, actors)
        });
        Ok(AuditChoices {
            actions,
            subject_types,
            cli: actors.iter().any(|(id, _)| id.is_none()),
            actors: actors
                .into_iter()
                .filter_map(|(id, name)| id.map(|id| (id, name.unwrap_or_default())))
                .collect(),
        })
    }
}
