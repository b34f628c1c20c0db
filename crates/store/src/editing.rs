//! Editing a measure in the back office: optimistic concurrency by version, a dated progress
//! report when status or progress change, the audit entry and the progress roll-up — in one
//! transaction.

use crate::import::{ProgressRow, roll_up};
use crate::{Db, Result, on_db};
use domain::Status;
use domain::text::{markdown_to_safe_html, search_document, sort_key};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The editable fields of a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureEdit {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub goals: String,
    pub status: String,
    /// `None`: rolled up from sub-measures (or 0).
    pub progress: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EditOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved in between: the version and fields now stored.
    Conflict {
        version: i64,
        stored: MeasureEdit,
    },
    NotFound,
}

/// A change of a measure as the public history shows it (no e-mail addresses).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    pub at: OffsetDateTime,
    pub actor_name: Option<String>,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Current {
    title: String,
    summary: String,
    description_md: String,
    goals: String,
    status: String,
    progress_entered: Option<i64>,
    progress: i64,
    version: i64,
}

impl Db {
    pub async fn measure_version(&self, id: i64) -> Result<Option<(i64, MeasureEdit)>> {
        let row: Option<Current> = on_db!(self, p => sqlx::query_as(
            "SELECT title, summary, description_md, goals, status, progress_entered, progress, version FROM measures WHERE id = $1"
        ).bind(id).fetch_optional(p).await?);
        Ok(row.map(|c| {
            (
                c.version,
                MeasureEdit {
                    title: c.title,
                    summary: c.summary,
                    description: c.description_md,
                    goals: c.goals,
                    status: c.status,
                    progress: c.progress_entered,
                },
            )
        }))
    }

    /// Saves `edit` if the measure is still at `expected_version`.
    pub async fn update_measure(
        &self,
        actor: i64,
        id: i64,
        expected_version: i64,
        edit: &MeasureEdit,
        report_label: &(dyn Fn(&str, &str, i64, i64) -> String + Sync),
    ) -> Result<EditOutcome> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let mut tx = p.begin().await?;
            let current: Option<Current> = sqlx::query_as(
                "SELECT title, summary, description_md, goals, status, progress_entered, progress, version FROM measures WHERE id = $1"
            ).bind(id).fetch_optional(&mut *tx).await?;
            match current {
                None => EditOutcome::NotFound,
                Some(c) if c.version != expected_version => EditOutcome::Conflict {
                    version: c.version,
                    stored: MeasureEdit {
                        title: c.title, summary: c.summary, description: c.description_md, goals: c.goals,
                        status: c.status, progress: c.progress_entered,
                    },
                },
                Some(c) => {
                    let tags: Vec<String> = sqlx::query_scalar(
                        "SELECT t.name FROM measure_tags x JOIN tags t ON t.id = x.tag_id WHERE x.measure_id = $1 ORDER BY x.position"
                    ).bind(id).fetch_all(&mut *tx).await?;
                    let tags = tags.join(" ");
                    let search = search_document(&[&edit.title, &edit.summary, &edit.description, &tags]);
                    let version: i64 = sqlx::query_scalar(
                        "UPDATE measures SET title = $2, summary = $3, description_md = $4, description_html = $5, goals = $6, \
                         status = $7, progress_entered = $8, search_text = $9, sort_key = $10, fingerprint = '', \
                         updated_at = $11, version = version + 1 WHERE id = $1 RETURNING version"
                    ).bind(id).bind(&edit.title).bind(&edit.summary).bind(&edit.description)
                        .bind(markdown_to_safe_html(&edit.description)).bind(&edit.goals).bind(&edit.status)
                        .bind(edit.progress).bind(search).bind(sort_key(&edit.title)).bind(now)
                        .fetch_one(&mut *tx).await?;
                    // Progress roll-up over the tree, then the report if status or progress moved.
                    let rows: Vec<ProgressRow> = sqlx::query_as("SELECT id, parent_id, weight, progress_entered, progress FROM measures")
                        .fetch_all(&mut *tx).await?;
                    for (mid, progress) in roll_up(&rows) {
                        sqlx::query("UPDATE measures SET progress = $1 WHERE id = $2").bind(progress).bind(mid).execute(&mut *tx).await?;
                    }
                    let new_progress: i64 = sqlx::query_scalar("SELECT progress FROM measures WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                    if c.status != edit.status || c.progress != new_progress {
                        sqlx::query("INSERT INTO progress_reports (measure_id, year, published_on, results, outlook, highlights) VALUES ($1, $2, $3, $4, '', '')")
                            .bind(id).bind(i64::from(now.year())).bind(now.date())
                            .bind(report_label(&c.status, &edit.status, c.progress, new_progress))
                            .execute(&mut *tx).await?;
                    }
                    let before = serde_json::json!({"title": c.title, "summary": c.summary, "goals": c.goals, "status": c.status, "progress": c.progress});
                    let after = serde_json::json!({"title": edit.title, "summary": edit.summary, "goals": edit.goals, "status": edit.status, "progress": new_progress, "description_changed": c.description_md != edit.description});
                    sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("measure.update").bind("measure").bind(id)
                        .bind(before.to_string()).bind(after.to_string()).execute(&mut *tx).await?;
                    sqlx::query("UPDATE site_state SET generation = generation + 1 WHERE id = 1").execute(&mut *tx).await?;
                    tx.commit().await?;
                    EditOutcome::Saved { version }
                }
            }
        });
        Ok(outcome)
    }

    /// The public change history of a measure, newest first.
    pub async fn measure_history(&self, id: i64, limit: i64) -> Result<Vec<HistoryEntry>> {
        let rows = on_db!(self, p => sqlx::query_as::<_, HistoryEntry>(
            "SELECT a.at, u.display_name AS actor_name, a.before_value, a.after_value FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id WHERE a.subject_type = 'measure' AND a.subject_id = $1 \
             ORDER BY a.at DESC, a.id DESC LIMIT $2"
        ).bind(id).bind(limit).fetch_all(p).await?);
        Ok(rows)
    }
}

/// Whether a status text is one of the four.
pub fn valid_status(s: &str) -> bool {
    Status::parse(s).is_some_and(|st| st.as_str() == s)
}
