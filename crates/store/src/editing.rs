//! Editing measures in the back office: create, change, publish, archive. Optimistic concurrency
//! by version, a dated progress report when status or progress change, the audit entry and the
//! progress roll-up — in one transaction.

use crate::import::write_measure_lists;
use crate::{Db, Result, StoreError, on_db};
use domain::Status;
use domain::import::{ValidDecision, ValidKpi, ValidMilestone};
use domain::text::{markdown_to_safe_html, search_document, slugify, sort_key};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// The publication state of a measure.
pub const STATES: [&str; 3] = ["draft", "published", "archived"];

/// Everything the back office edits about a measure.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureEdit {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub goals: String,
    pub status: String,
    /// `None`: rolled up from sub-measures (or 0).
    pub progress: Option<i64>,
    /// `draft`, `published` or `archived`.
    pub state: String,
    pub field_id: i64,
    pub focus_area_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub target_year: Option<i64>,
    pub departments: Vec<String>,
    pub target_groups: Vec<String>,
    pub tags: Vec<String>,
    pub decisions: Vec<ValidDecision>,
    pub kpis: Vec<ValidKpi>,
    pub milestones: Vec<ValidMilestone>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EditOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved in between: the version and fields now stored.
    Conflict {
        version: i64,
        stored: Box<MeasureEdit>,
    },
    NotFound,
}

/// Why a new measure could not be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    Created {
        id: i64,
    },
    /// The external id is already taken by another measure.
    ExternalIdTaken,
}

/// A change of a measure as the public history shows it (no e-mail addresses).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
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
    state: String,
    field_id: i64,
    focus_area_id: Option<i64>,
    parent_id: Option<i64>,
    planned_start: Option<Date>,
    planned_end: Option<Date>,
    target_year: Option<i64>,
}

const CURRENT: &str = "SELECT title, summary, description_md, goals, status, progress_entered, progress, version, state, \
     field_id, focus_area_id, parent_id, planned_start, planned_end, target_year FROM measures WHERE id = $1";

/// (kind, name) of the named lists; (number, date, url) of decisions; KPI and milestone rows.
type NamedRow = (String, String, i64);
type DecisionRow = (String, Option<Date>, Option<String>);
type KpiRow = (String, String, Option<f64>, Option<f64>, Option<Date>);
type MilestoneRow = (Option<Date>, String, bool);

/// The lists of `MeasureEdit` in the shape `write_measure_lists!` reads.
struct Lists<'a> {
    departments: &'a Vec<String>,
    target_groups: &'a Vec<String>,
    tags: &'a Vec<String>,
    decisions: &'a Vec<ValidDecision>,
    kpis: Option<&'a Vec<ValidKpi>>,
    milestones: Option<&'a Vec<ValidMilestone>>,
}

impl MeasureEdit {
    fn lists(&self) -> Lists<'_> {
        Lists {
            departments: &self.departments,
            target_groups: &self.target_groups,
            tags: &self.tags,
            decisions: &self.decisions,
            kpis: Some(&self.kpis),
            milestones: Some(&self.milestones),
        }
    }

    /// The audit record of the scalar fields, plus which of the others differ from `other`.
    fn audit_value(&self, progress: i64, other: &MeasureEdit) -> serde_json::Value {
        let mut changed = Vec::new();
        for (key, differs) in [
            ("field", self.field_id != other.field_id),
            ("focus_area", self.focus_area_id != other.focus_area_id),
            ("parent", self.parent_id != other.parent_id),
            (
                "dates",
                (self.planned_start, self.planned_end, self.target_year)
                    != (other.planned_start, other.planned_end, other.target_year),
            ),
            ("departments", self.departments != other.departments),
            ("target_groups", self.target_groups != other.target_groups),
            ("tags", self.tags != other.tags),
            ("decisions", self.decisions != other.decisions),
            ("kpis", self.kpis != other.kpis),
            ("milestones", self.milestones != other.milestones),
        ] {
            if differs {
                changed.push(key);
            }
        }
        serde_json::json!({
            "title": self.title, "summary": self.summary, "goals": self.goals, "status": self.status,
            "progress": progress, "state": self.state,
            "description_changed": self.description != other.description, "changed": changed,
        })
    }
}

fn edit_of(
    c: Current,
    named: Vec<NamedRow>,
    decisions: Vec<DecisionRow>,
    kpis: Vec<KpiRow>,
    milestones: Vec<MilestoneRow>,
) -> MeasureEdit {
    let of = |kind: &str| -> Vec<String> {
        named
            .iter()
            .filter(|(k, _, _)| k == kind)
            .map(|(_, n, _)| n.clone())
            .collect()
    };
    MeasureEdit {
        title: c.title,
        summary: c.summary,
        description: c.description_md,
        goals: c.goals,
        status: c.status,
        progress: c.progress_entered,
        state: c.state,
        field_id: c.field_id,
        focus_area_id: c.focus_area_id,
        parent_id: c.parent_id,
        planned_start: c.planned_start,
        planned_end: c.planned_end,
        target_year: c.target_year,
        departments: of("d"),
        target_groups: of("g"),
        tags: of("t"),
        decisions: decisions
            .into_iter()
            .map(|(number, date, url)| ValidDecision { number, date, url })
            .collect(),
        kpis: kpis
            .into_iter()
            .map(|(name, unit, target, current, as_of)| ValidKpi {
                name,
                unit,
                target,
                current,
                as_of,
            })
            .collect(),
        milestones: milestones
            .into_iter()
            .map(|(date, title, reached)| ValidMilestone {
                date,
                title,
                reached,
            })
            .collect(),
    }
}

/// Departments, target groups and tags in one round trip, each in its order.
const NAMED: &str = "SELECT 'd' AS kind, d.name, x.position FROM measure_departments x JOIN departments d ON d.id = x.department_id WHERE x.measure_id = $1 \
     UNION ALL SELECT 'g' AS kind, t.name, x.position FROM measure_target_groups x JOIN target_groups t ON t.id = x.target_group_id WHERE x.measure_id = $1 \
     UNION ALL SELECT 't' AS kind, t.name, x.position FROM measure_tags x JOIN tags t ON t.id = x.tag_id WHERE x.measure_id = $1 \
     ORDER BY 1, 3";
const DECISIONS: &str = "SELECT d.number, d.decision_date, d.url FROM measure_decisions x JOIN council_decisions d ON d.id = x.decision_id \
     WHERE x.measure_id = $1 ORDER BY x.position";
const KPIS: &str = "SELECT name, unit, target_value, current_value, as_of FROM kpis WHERE measure_id = $1 ORDER BY position";
const MILESTONES: &str =
    "SELECT due_date, title, reached FROM milestones WHERE measure_id = $1 ORDER BY position";

/// Loads the editable state of measure `$id` inside `$tx` (a pool or a transaction).
macro_rules! load_edit {
    ($ex:expr, $id:expr) => {{
        let id: i64 = $id;
        let current: Option<Current> = sqlx::query_as(CURRENT)
            .bind(id)
            .fetch_optional(&mut *$ex)
            .await?;
        match current {
            None => None,
            Some(c) => {
                let named: Vec<NamedRow> =
                    sqlx::query_as(NAMED).bind(id).fetch_all(&mut *$ex).await?;
                let decisions: Vec<DecisionRow> = sqlx::query_as(DECISIONS)
                    .bind(id)
                    .fetch_all(&mut *$ex)
                    .await?;
                let kpis: Vec<KpiRow> = sqlx::query_as(KPIS).bind(id).fetch_all(&mut *$ex).await?;
                let milestones: Vec<MilestoneRow> = sqlx::query_as(MILESTONES)
                    .bind(id)
                    .fetch_all(&mut *$ex)
                    .await?;
                let (version, progress) = (c.version, c.progress);
                Some((
                    version,
                    progress,
                    edit_of(c, named, decisions, kpis, milestones),
                ))
            }
        }
    }};
}

/// A slug for `title` not used by another measure (`-2`, `-3` … appended).
macro_rules! free_slug {
    ($tx:ident, $title:expr, $except:expr) => {{
        let base = {
            let s = slugify($title);
            if s.is_empty() {
                "massnahme".to_string()
            } else {
                s
            }
        };
        let mut slug = base.clone();
        let mut n = 2;
        loop {
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM measures WHERE slug = $1 AND id <> $2")
                    .bind(&slug)
                    .bind($except)
                    .fetch_optional(&mut *$tx)
                    .await?;
            if taken.is_none() {
                break slug;
            }
            if n > 500 {
                return Err(StoreError::Invalid(format!("no free slug for {base:?}")));
            }
            slug = format!("{base}-{n}");
            n += 1;
        }
    }};
}

/// Recomputes the effective progress of `$start` and then of its ancestors for as long as a
/// value changes (a child counts for its parent only when published), pushing the ids whose
/// stored progress changed onto `$changed`. A save touches one chain of the tree, not all of it:
/// the other measures' stored values are already their effective ones.
macro_rules! roll_up_from {
    ($tx:ident, $start:expr, $changed:expr) => {{
        let mut current: Option<i64> = $start;
        let mut first = true;
        let mut depth = 0;
        while let Some(id) = current {
            depth += 1;
            if depth > 64 {
                break;
            }
            let row: Option<(Option<i64>, i64, Option<i64>, String)> = sqlx::query_as(
                "SELECT progress_entered, progress, parent_id, state FROM measures WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
            let Some((entered, stored, parent, state)) = row else { break };
            let value = match entered {
                Some(p) => p,
                None => {
                    let children: Vec<(f64, i64)> = sqlx::query_as(
                        "SELECT weight, progress FROM measures WHERE parent_id = $1 AND state = 'published'",
                    )
                    .bind(id)
                    .fetch_all(&mut *$tx)
                    .await?;
                    domain::strategy::rolled_up_progress(&children).unwrap_or(0)
                }
            };
            if value != stored {
                sqlx::query("UPDATE measures SET progress = $1 WHERE id = $2")
                    .bind(value)
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
                $changed.push(id);
            } else if !first {
                break;
            }
            first = false;
            current = if state == "published" { parent } else { None };
        }
    }};
}

/// The cache tags a save of measure `id` touches: its own page always; lists and the radar when
/// something they show changed (including a progress rolled up into an ancestor); full-text
/// pages when a text changed; the feed when a report was written. A measure that is neither
/// published before nor after the save touches no public list.
fn save_tags(
    id: i64,
    old: Option<&MeasureEdit>,
    new: &MeasureEdit,
    progress_moved: &[i64],
    report: bool,
) -> Vec<String> {
    use domain::tags;
    let mut t = vec![tags::measure(id)];
    let public = new.state == "published" || old.is_some_and(|o| o.state == "published");
    if !public {
        return t;
    }
    let card = match old {
        None => true,
        Some(o) => {
            o.title != new.title
                || o.summary != new.summary
                || o.status != new.status
                || o.progress != new.progress
                || o.state != new.state
                || o.field_id != new.field_id
                || o.focus_area_id != new.focus_area_id
                || o.parent_id != new.parent_id
                || o.planned_start != new.planned_start
                || o.planned_end != new.planned_end
                || o.target_year != new.target_year
                || o.departments != new.departments
                || o.target_groups != new.target_groups
                || o.tags != new.tags
        }
    };
    let text = match old {
        None => true,
        Some(o) => {
            o.description != new.description
                || o.goals != new.goals
                || o.decisions != new.decisions
                || o.kpis != new.kpis
                || o.milestones != new.milestones
                || o.title != new.title
                || o.summary != new.summary
                || o.tags != new.tags
        }
    };
    if card || !progress_moved.is_empty() {
        t.push(tags::MEASURES.to_string());
        // The parent's page lists its children; a new parent gains one.
        for p in [old.and_then(|o| o.parent_id), new.parent_id]
            .into_iter()
            .flatten()
        {
            t.push(tags::measure(p));
        }
    }
    for m in progress_moved {
        t.push(tags::measure(*m));
    }
    if text {
        t.push(tags::TEXTS.to_string());
    }
    if report {
        t.push(tags::REPORTS.to_string());
    }
    t.sort();
    t.dedup();
    t
}

impl Db {
    /// The version and the editable fields of a measure.
    pub async fn measure_version(&self, id: i64) -> Result<Option<(i64, MeasureEdit)>> {
        let r = on_db!(self, p => {
            let mut conn = p.acquire().await?;
            load_edit!(conn, id)
        });
        Ok(r.map(|(v, _, e)| (v, e)))
    }

    /// Creates a measure (any state) and returns its id. `external_id` empty: the slug is used.
    pub async fn create_measure(
        &self,
        actor: i64,
        external_id: &str,
        edit: &MeasureEdit,
    ) -> Result<CreateOutcome> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let slug = free_slug!(tx, &edit.title, -1_i64);
            let external_id = if external_id.is_empty() { slug.clone() } else { external_id.to_string() };
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM measures WHERE external_id = $1")
                .bind(&external_id).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                CreateOutcome::ExternalIdTaken
            } else {
                let search = search_document(&[&edit.title, &edit.summary, &edit.description, &edit.tags.join(" ")]);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO measures (external_id, slug, field_id, focus_area_id, parent_id, title, summary, description_md, \
                     description_html, goals, status, progress_entered, progress, planned_start, planned_end, target_year, \
                     search_text, sort_key, state, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($12, 0), $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id"
                ).bind(&external_id).bind(&slug).bind(edit.field_id).bind(edit.focus_area_id).bind(edit.parent_id)
                    .bind(&edit.title).bind(&edit.summary).bind(&edit.description).bind(markdown_to_safe_html(&edit.description))
                    .bind(&edit.goals).bind(&edit.status).bind(edit.progress).bind(edit.planned_start).bind(edit.planned_end)
                    .bind(edit.target_year).bind(search).bind(sort_key(&edit.title)).bind(&edit.state).bind(now)
                    .fetch_one(&mut *tx).await?;
                let mut name_ids = HashMap::new();
                write_measure_lists!(tx, id, &mut name_ids, &edit.lists());
                let mut moved: Vec<i64> = Vec::new();
                roll_up_from!(tx, Some(id), moved);
                roll_up_from!(tx, edit.parent_id, moved);
                let progress: i64 = sqlx::query_scalar("SELECT progress FROM measures WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                let after = edit.audit_value(progress, edit);
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("measure.create").bind("measure").bind(id)
                    .bind(None::<String>).bind(after.to_string()).execute(&mut *tx).await?;
                let tags = save_tags(id, None, edit, &moved, false);
                crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
                CreateOutcome::Created { id }
            }
        });
        Ok(outcome)
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
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            match load_edit!(tx, id) {
                None => EditOutcome::NotFound,
                Some((version, _, stored)) if version != expected_version => EditOutcome::Conflict {
                    version,
                    stored: Box::new(stored),
                },
                Some((version, _, old)) if old == *edit => {
                    // Nothing to save: no new version, no report, no empty history entry.
                    tx.rollback().await?;
                    EditOutcome::Saved { version }
                }
                Some((_, old_progress, old)) => {
                    let search = search_document(&[&edit.title, &edit.summary, &edit.description, &edit.tags.join(" ")]);
                    let slug: String = if old.title == edit.title {
                        sqlx::query_scalar("SELECT slug FROM measures WHERE id = $1").bind(id).fetch_one(&mut *tx).await?
                    } else if old.state == "draft" {
                        // A draft has never been public: its address may still follow its title.
                        free_slug!(tx, &edit.title, id)
                    } else {
                        // Published addresses stay stable (links, bookmarks, the council's documents).
                        sqlx::query_scalar("SELECT slug FROM measures WHERE id = $1").bind(id).fetch_one(&mut *tx).await?
                    };
                    let version: Option<i64> = sqlx::query_scalar(
                        "UPDATE measures SET title = $2, summary = $3, description_md = $4, description_html = $5, goals = $6, \
                         status = $7, progress_entered = $8, search_text = $9, sort_key = $10, fingerprint = '', \
                         updated_at = $11, version = version + 1, state = $12, field_id = $13, focus_area_id = $14, \
                         parent_id = $15, planned_start = $16, planned_end = $17, target_year = $18, slug = $19 \
                         WHERE id = $1 AND version = $20 RETURNING version"
                    ).bind(id).bind(&edit.title).bind(&edit.summary).bind(&edit.description)
                        .bind(markdown_to_safe_html(&edit.description)).bind(&edit.goals).bind(&edit.status)
                        .bind(edit.progress).bind(search).bind(sort_key(&edit.title)).bind(now).bind(&edit.state)
                        .bind(edit.field_id).bind(edit.focus_area_id).bind(edit.parent_id).bind(edit.planned_start)
                        .bind(edit.planned_end).bind(edit.target_year).bind(&slug).bind(expected_version)
                        .fetch_optional(&mut *tx).await?;
                    // The version in the WHERE clause: on PostgreSQL a concurrent save may have
                    // committed between our read and this update (READ COMMITTED).
                    let link = format!("/massnahmen/{slug}");
                    let Some(version) = version else {
                        tx.rollback().await?;
                        let mut conn = p.acquire().await?;
                        return Ok(match load_edit!(conn, id) {
                            Some((version, _, stored)) => EditOutcome::Conflict { version, stored: Box::new(stored) },
                            None => EditOutcome::NotFound,
                        });
                    };
                    let mut name_ids = HashMap::new();
                    write_measure_lists!(tx, id, &mut name_ids, &edit.lists());
                    // Progress roll-up along the chains the save touches (its own, the old and
                    // the new parent's), then the report if status or progress moved.
                    let mut moved: Vec<i64> = Vec::new();
                    roll_up_from!(tx, Some(id), moved);
                    if old.parent_id != edit.parent_id || old.state != edit.state {
                        roll_up_from!(tx, old.parent_id, moved);
                    }
                    roll_up_from!(tx, edit.parent_id, moved);
                    let new_progress: i64 = sqlx::query_scalar("SELECT progress FROM measures WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                    let report = old.status != edit.status || old_progress != new_progress;
                    if report {
                        let label = report_label(&old.status, &edit.status, old_progress, new_progress);
                        sqlx::query("INSERT INTO progress_reports (measure_id, year, published_on, results, outlook, highlights) VALUES ($1, $2, $3, $4, '', '')")
                            .bind(id).bind(i64::from(now.year())).bind(now.date())
                            .bind(&label)
                            .execute(&mut *tx).await?;
                        // Followers of the measure and of its field of action hear of it, once
                        // it is public.
                        if edit.state == "published" {
                            crate::notifications::progress_reported(&mut *tx, id, edit.field_id, actor, &edit.title, &label, &link, now).await?;
                        }
                    }
                    let before = old.audit_value(old_progress, &old);
                    let after = edit.audit_value(new_progress, &old);
                    sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("measure.update").bind("measure").bind(id)
                        .bind(before.to_string()).bind(after.to_string()).execute(&mut *tx).await?;
                    moved.retain(|m| *m != id);
                    if old_progress != new_progress {
                        moved.push(id);
                    }
                    let tags = save_tags(id, Some(&old), edit, &moved, report);
                    crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
                    EditOutcome::Saved { version }
                }
            }
        });
        Ok(outcome)
    }

    /// The public change history of a measure, newest first.
    pub async fn measure_history(&self, id: i64, limit: i64) -> Result<Vec<HistoryEntry>> {
        let rows = on_db!(self, p => sqlx::query_as::<_, HistoryEntry>(
            "SELECT a.at, a.actor_id, u.display_name AS actor_name, a.before_value, a.after_value FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id WHERE a.subject_type = 'measure' AND a.subject_id = $1 \
             ORDER BY a.at DESC, a.id DESC LIMIT $2"
        ).bind(id).bind(limit).fetch_all(p).await?);
        Ok(rows)
    }

    /// Measures for the back office list: every state, filtered by state, field of action and
    /// search text (the same stemmed full-text index as the public search, best match first),
    /// else by title. Returns one page and the total.
    pub async fn admin_measures(
        &self,
        state: Option<&str>,
        field_id: Option<i64>,
        q: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AdminMeasureRow>, i64)> {
        let engine = self.engine();
        let terms = q.map(domain::text::search_terms).filter(|t| !t.is_empty());
        let query = terms
            .as_ref()
            .map(|t| crate::strategy::search_query(engine, &t.join(" ")))
            .unwrap_or_default();
        // `$5` is the search; without one it is referenced but always true, so the numbering of
        // the parameters stays the same on PostgreSQL.
        let (join, extra, order) = match terms {
            Some(_) => (
                crate::strategy::search_join(engine).replace("$7", "$5"),
                "",
                "h.rank, m.sort_key, m.id",
            ),
            None => (
                String::new(),
                " AND ($5 IS NULL OR $5 = '')",
                "m.sort_key, m.id",
            ),
        };
        let filter = format!(
            " FROM measures m{join} WHERE ($1 IS NULL OR m.state = $1) AND ($2 IS NULL OR m.field_id = $2){extra}"
        );
        let rows_sql = format!(
            "SELECT m.id, m.title, m.status, m.progress, m.state, m.field_id, COUNT(*) OVER () AS total{filter} \
             ORDER BY {order} LIMIT $3 OFFSET $4"
        );
        let count_sql = format!("SELECT COUNT(*){} AND $3 >= 0 AND $4 >= 0", filter);
        let r = on_db!(self, p => {
            let rows: Vec<AdminMeasureRow> = sqlx::query_as(AssertSqlSafe(rows_sql.as_str()))
                .bind(state).bind(field_id).bind(limit).bind(offset).bind(&query).fetch_all(p).await?;
            let total = match rows.first() {
                Some(r) => r.total,
                None => sqlx::query_scalar(AssertSqlSafe(count_sql.as_str()))
                    .bind(state).bind(field_id).bind(limit).bind(offset).bind(&query).fetch_one(p).await?,
            };
            (rows, total)
        });
        Ok(r)
    }

    /// The external id and the address (slug) of a measure, in one small query.
    pub async fn measure_keys(&self, id: i64) -> Result<Option<(String, String)>> {
        let r = on_db!(self, p => sqlx::query_as("SELECT external_id, slug FROM measures WHERE id = $1")
            .bind(id).fetch_optional(p).await?);
        Ok(r)
    }

    /// The field of action of a measure (`None`: no such measure).
    pub async fn measure_field(&self, id: i64) -> Result<Option<i64>> {
        let r = on_db!(self, p => sqlx::query_scalar("SELECT field_id FROM measures WHERE id = $1")
            .bind(id).fetch_optional(p).await?);
        Ok(r)
    }

    /// (id, title, field of action) of every measure, in the list's order (one query).
    pub async fn measure_titles_and_fields(&self) -> Result<Vec<(i64, String, i64)>> {
        let r = on_db!(self, p => sqlx::query_as("SELECT id, title, field_id FROM measures ORDER BY sort_key, id").fetch_all(p).await?);
        Ok(r)
    }

    /// The titles of the measures `ids` (one query); missing ones are left out.
    pub async fn measure_titles_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let sql = format!(
            "SELECT id, title FROM measures WHERE id IN ({})",
            crate::comments::placeholders(1, ids.len())
        );
        let rows: Vec<(i64, String)> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
    }

    /// (id, title) of every measure, for the parent menu of the editor.
    pub async fn measure_titles(&self) -> Result<Vec<(i64, String)>> {
        let r = on_db!(self, p => sqlx::query_as("SELECT id, title FROM measures ORDER BY sort_key, id").fetch_all(p).await?);
        Ok(r)
    }

    /// Whether making `parent` the parent of `id` would close a cycle.
    pub async fn would_cycle(&self, id: i64, parent: i64) -> Result<bool> {
        let mut current = Some(parent);
        let mut steps = 0;
        while let Some(c) = current {
            if c == id {
                return Ok(true);
            }
            steps += 1;
            if steps > 64 {
                return Ok(true);
            }
            current = on_db!(self, p => sqlx::query_scalar::<_, Option<i64>>("SELECT parent_id FROM measures WHERE id = $1")
                .bind(c).fetch_optional(p).await?).flatten();
        }
        Ok(false)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdminMeasureRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub progress: i64,
    pub state: String,
    pub field_id: i64,
    pub total: i64,
}

/// Whether a status text is one of the four.
pub fn valid_status(s: &str) -> bool {
    Status::parse(s).is_some_and(|st| st.as_str() == s)
}
