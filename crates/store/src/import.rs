//! Applying an import plan (all or nothing, in one transaction) and exporting the strategy as a
//! document that imports back to the same data.

use crate::{Db, Result, StoreError, on_db};
use domain::dates::iso;
use domain::import::{
    CoreAreaDoc, DecisionDoc, Document, EditionDoc, FieldDoc, FocusAreaDoc, Known, KpiDoc,
    MeasureDoc, MilestoneDoc, Plan, ReportDoc, StrategyDoc, ValidMeasure,
};
use domain::text::{markdown_to_safe_html, search_document, slugify, sort_key};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub core_areas_created: usize,
    pub fields_created: usize,
    pub dry_run: bool,
}

/// (measure id, name, unit, target, current, as of) of a KPI row.
type KpiRow = (i64, String, String, Option<f64>, Option<f64>, Option<Date>);

/// A stable 64-bit FNV-1a hash, hex: the same on every machine and Rust version.
fn fingerprint(m: &ValidMeasure) -> String {
    let text = format!("{m:?}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Writes a measure's lists — departments, target groups, tags (by name, created when new),
/// council decisions, and KPIs and milestones when given — inside the open transaction `$tx`.
/// A macro because the transaction's type differs per engine; shared by the import and the
/// back-office editor.
macro_rules! write_measure_lists {
    ($tx:ident, $id:expr, $name_ids:expr, $m:expr) => {{
        let id: i64 = $id;
        let m = $m;
        let name_ids: &mut HashMap<(&'static str, String), i64> = $name_ids;
        // Named lists: departments, target groups, tags.
        for (table, link, col, names) in [
            ("departments", "measure_departments", "department_id", &m.departments),
            ("target_groups", "measure_target_groups", "target_group_id", &m.target_groups),
            ("tags", "measure_tags", "tag_id", &m.tags),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {link} WHERE measure_id = $1"))).bind(id).execute(&mut *$tx).await?;
            for (pos, name) in names.iter().enumerate() {
                let key = (table, name.clone());
                let nid = match name_ids.get(&key) {
                    Some(n) => *n,
                    None => {
                        let mut found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM {table} WHERE name = $1")))
                            .bind(name).fetch_optional(&mut *$tx).await?;
                        let base = { let s = slugify(name); if s.is_empty() { "eintrag".to_string() } else { s } };
                        let mut n = 1;
                        while found.is_none() && n < 50 {
                            let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
                            found = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                                "INSERT INTO {table} (slug, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id")))
                                .bind(slug).bind(name).fetch_optional(&mut *$tx).await?;
                            n += 1;
                        }
                        let nid = found.ok_or_else(|| StoreError::Invalid(format!("no free slug for {name:?}")))?;
                        name_ids.insert(key, nid);
                        nid
                    }
                };
                sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {link} (measure_id, {col}, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")))
                    .bind(id).bind(nid).bind(pos as i64).execute(&mut *$tx).await?;
            }
        }
        sqlx::query("DELETE FROM measure_decisions WHERE measure_id = $1").bind(id).execute(&mut *$tx).await?;
        for (pos, d) in m.decisions.iter().enumerate() {
            let did: i64 = sqlx::query_scalar(
                "INSERT INTO council_decisions (number, decision_date, url) VALUES ($1, $2, $3) \
                 ON CONFLICT (number) DO UPDATE SET decision_date = COALESCE(excluded.decision_date, council_decisions.decision_date), \
                 url = COALESCE(excluded.url, council_decisions.url) RETURNING id")
                .bind(&d.number).bind(d.date).bind(&d.url).fetch_one(&mut *$tx).await?;
            sqlx::query("INSERT INTO measure_decisions (measure_id, decision_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id).bind(did).bind(pos as i64).execute(&mut *$tx).await?;
        }
        if let Some(kpis) = m.kpis.as_ref() {
            sqlx::query("DELETE FROM kpis WHERE measure_id = $1").bind(id).execute(&mut *$tx).await?;
            for (pos, k) in kpis.iter().enumerate() {
                sqlx::query("INSERT INTO kpis (measure_id, position, name, unit, target_value, current_value, as_of) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id).bind(pos as i64).bind(&k.name).bind(&k.unit).bind(k.target).bind(k.current).bind(k.as_of)
                    .execute(&mut *$tx).await?;
            }
        }
        if let Some(ms) = m.milestones.as_ref() {
            sqlx::query("DELETE FROM milestones WHERE measure_id = $1").bind(id).execute(&mut *$tx).await?;
            for (pos, s) in ms.iter().enumerate() {
                sqlx::query("INSERT INTO milestones (measure_id, position, due_date, title, reached) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id).bind(pos as i64).bind(s.date).bind(&s.title).bind(s.reached)
                    .execute(&mut *$tx).await?;
            }
        }
    }};
}
pub(crate) use write_measure_lists;

/// The rows the progress roll-up works on. Only published measures count towards their parent's
/// progress, so a draft or an archived sub-measure does not move a public figure.
pub(crate) const PROGRESS_ROWS: &str = "SELECT id, CASE WHEN state = 'published' THEN parent_id END AS parent_id, weight, progress_entered, progress FROM measures";

#[derive(sqlx::FromRow)]
pub(crate) struct ProgressRow {
    id: i64,
    parent_id: Option<i64>,
    weight: f64,
    progress_entered: Option<i64>,
    progress: i64,
}

/// Effective progress of every measure: entered, else the weighted average of its children's
/// effective progress, else 0. Returns the rows whose stored value differs.
pub(crate) fn roll_up(rows: &[ProgressRow]) -> Vec<(i64, i64)> {
    let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(i);
        }
    }
    let mut memo: HashMap<i64, i64> = HashMap::new();
    fn eff(
        i: usize,
        rows: &[ProgressRow],
        children: &HashMap<i64, Vec<usize>>,
        memo: &mut HashMap<i64, i64>,
        depth: usize,
    ) -> i64 {
        let r = &rows[i];
        if let Some(v) = memo.get(&r.id) {
            return *v;
        }
        let v = match (r.progress_entered, children.get(&r.id)) {
            (Some(p), _) => p,
            (None, Some(kids)) if depth < 64 => {
                let parts: Vec<(f64, i64)> = kids
                    .iter()
                    .map(|&k| (rows[k].weight, eff(k, rows, children, memo, depth + 1)))
                    .collect();
                domain::strategy::rolled_up_progress(&parts).unwrap_or(0)
            }
            _ => 0,
        };
        memo.insert(r.id, v);
        v
    }
    let mut changed = Vec::new();
    for i in 0..rows.len() {
        let v = eff(i, rows, &children, &mut memo, 0);
        if v != rows[i].progress {
            changed.push((rows[i].id, v));
        }
    }
    changed
}

impl Db {
    /// What validation needs to know about the database: nothing while the demo is active, since
    /// a real import replaces it (validation sees what the import will find).
    pub async fn known(&self) -> Result<Known> {
        if self.demo_active().await? {
            return Ok(Known::default());
        }
        let (fields, focus, cores, measures, parents, archived) = on_db!(self, p => {
            let f: Vec<(String, String)> = sqlx::query_as("SELECT slug, title FROM fields_of_action").fetch_all(p).await?;
            let fa: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT a.slug, f.slug, a.title FROM focus_areas a JOIN fields_of_action f ON f.id = a.field_id"
            ).fetch_all(p).await?;
            let c: Vec<(String, String)> = sqlx::query_as("SELECT slug, title FROM core_areas").fetch_all(p).await?;
            let m: Vec<(String, String)> = sqlx::query_as("SELECT external_id, slug FROM measures").fetch_all(p).await?;
            let pr: Vec<(String, String)> = sqlx::query_as(
                "SELECT m.external_id, p.external_id FROM measures m JOIN measures p ON p.id = m.parent_id"
            ).fetch_all(p).await?;
            let archived: Vec<String> = sqlx::query_scalar(
                "SELECT f.slug FROM fields_of_action f JOIN core_areas c ON c.id = f.core_area_id WHERE f.archived OR c.archived"
            ).fetch_all(p).await?;
            (f, fa, c, m, pr, archived)
        });
        Ok(Known {
            archived_fields: archived.into_iter().collect(),
            fields: fields.into_iter().collect(),
            focus_areas: focus
                .iter()
                .map(|(a, f, _)| (a.clone(), f.clone()))
                .collect(),
            focus_area_titles: focus.into_iter().map(|(a, _, t)| (a, t)).collect(),
            core_areas: cores.into_iter().collect(),
            measures: measures.into_iter().collect(),
            parents: parents.into_iter().collect(),
        })
    }

    /// Applies a validated plan in one transaction. With `dry_run` everything is done and then
    /// rolled back, so the summary is exact and nothing changes.
    /// A real import: when the database holds the demo (`store::demo`), the demo is removed
    /// first in the same transaction, so the city's strategy replaces it.
    pub async fn apply_import(&self, plan: &Plan, dry_run: bool) -> Result<ImportSummary> {
        self.apply_import_as(plan, dry_run, None, false)
            .await
            .map(|s| s.unwrap_or_default())
    }

    /// Applies `plan`; with `run` = (actor, upload id) the upload is claimed and the run audited
    /// in the same transaction, and `None` comes back when the upload was applied already. With
    /// `demo` the plan is demo content: it sets the demo flag, and `None` comes back (nothing
    /// written) when the database holds a real strategy. Without `demo` an active demo is
    /// removed first (audited as `demo.remove` by the import's actor).
    pub(crate) async fn apply_import_as(
        &self,
        plan: &Plan,
        dry_run: bool,
        run: Option<(i64, i64)>,
        demo: bool,
    ) -> Result<Option<ImportSummary>> {
        let now = OffsetDateTime::now_utc();
        let mut summary = ImportSummary {
            dry_run,
            ..Default::default()
        };
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            // Demo content goes only where there is no real strategy; a real import replaces it.
            let demo_active: bool = sqlx::query_scalar(crate::demo::LOCK_DEMO_FLAG)
                .fetch_optional(&mut *tx).await?.unwrap_or(false);
            if demo {
                let any: Option<i64> = sqlx::query_scalar("SELECT id FROM strategies LIMIT 1").fetch_optional(&mut *tx).await?;
                if any.is_some() && !demo_active {
                    tx.rollback().await?;
                    return Ok(None);
                }
                sqlx::query("UPDATE site_state SET demo = TRUE, demo_removed_at = NULL WHERE id = 1").execute(&mut *tx).await?;
            } else if demo_active {
                crate::demo::remove_demo_in!(tx, run.map(|r| r.0), now, "import");
            }
            // Strategy: update, insert, or make sure one exists.
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM strategies ORDER BY id LIMIT 1")
                .fetch_optional(&mut *tx).await?;
            let strategy_id: i64 = match (&plan.strategy, existing) {
                (Some(s), Some(id)) => {
                    sqlx::query("UPDATE strategies SET title = $1, city = $2, target_year = $3, vision_md = $4, vision_html = $5, updated_at = $6 WHERE id = $7")
                        .bind(&s.title).bind(&s.city).bind(s.target_year.map(i64::from)).bind(&s.vision)
                        .bind(markdown_to_safe_html(&s.vision)).bind(now).bind(id)
                        .execute(&mut *tx).await?;
                    id
                }
                (None, Some(id)) => id,
                (s, None) => {
                    let (title, city, year, vision) = match s {
                        Some(s) => (s.title.clone(), s.city.clone(), s.target_year.map(i64::from), s.vision.clone()),
                        None => ("Digitalisierungsstrategie".to_string(), String::new(), None, String::new()),
                    };
                    sqlx::query_scalar("INSERT INTO strategies (title, city, target_year, vision_md, vision_html, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
                        .bind(title).bind(city).bind(year).bind(&vision).bind(markdown_to_safe_html(&vision)).bind(now)
                        .fetch_one(&mut *tx).await?
                }
            };
            if !plan.editions.is_empty() {
                sqlx::query("DELETE FROM editions WHERE strategy_id = $1").bind(strategy_id).execute(&mut *tx).await?;
                for (i, e) in plan.editions.iter().enumerate() {
                    sqlx::query("INSERT INTO editions (strategy_id, position, title, edition_date, decision_number, decision_date, decision_url) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(strategy_id).bind(i as i64).bind(&e.title).bind(e.date)
                        .bind(e.decision.as_ref().map(|d| d.number.clone()))
                        .bind(e.decision.as_ref().and_then(|d| d.date))
                        .bind(e.decision.as_ref().and_then(|d| d.url.clone()))
                        .execute(&mut *tx).await?;
                }
            }
            // Taxonomy.
            let mut next_core: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM core_areas").fetch_one(&mut *tx).await?;
            let mut field_ids: HashMap<String, i64> = HashMap::new();
            let mut focus_ids: HashMap<String, i64> = HashMap::new();
            for (ci, ca) in plan.core_areas.iter().enumerate() {
                let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM core_areas WHERE slug = $1").bind(&ca.slug).fetch_optional(&mut *tx).await?;
                let core_id: i64 = match existing {
                    Some(id) => {
                        if ca.full {
                            sqlx::query("UPDATE core_areas SET title = $1, description = $2, goals = $3, colour = $4, position = $5 WHERE id = $6")
                                .bind(&ca.title).bind(&ca.description).bind(&ca.goals).bind(&ca.colour).bind(ci as i64).bind(id)
                                .execute(&mut *tx).await?;
                        }
                        id
                    }
                    None => {
                        summary.core_areas_created += 1;
                        let pos = if ca.full { ci as i64 } else { next_core += 1; next_core - 1 };
                        sqlx::query_scalar("INSERT INTO core_areas (strategy_id, slug, title, description, goals, colour, position) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                            .bind(strategy_id).bind(&ca.slug).bind(&ca.title).bind(&ca.description).bind(&ca.goals).bind(&ca.colour).bind(pos)
                            .fetch_one(&mut *tx).await?
                    }
                };
                let mut next_field: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM fields_of_action WHERE core_area_id = $1")
                    .bind(core_id).fetch_one(&mut *tx).await?;
                for (fi, f) in ca.fields.iter().enumerate() {
                    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM fields_of_action WHERE slug = $1").bind(&f.slug).fetch_optional(&mut *tx).await?;
                    let field_id: i64 = match existing {
                        Some(id) => {
                            if f.full {
                                sqlx::query("UPDATE fields_of_action SET core_area_id = $1, title = $2, description = $3, goals = $4, position = $5, colour = $7 WHERE id = $6")
                                    .bind(core_id).bind(&f.title).bind(&f.description).bind(&f.goals).bind(fi as i64).bind(id).bind(&f.colour)
                                    .execute(&mut *tx).await?;
                            }
                            id
                        }
                        None => {
                            summary.fields_created += 1;
                            let pos = if f.full { fi as i64 } else { next_field += 1; next_field - 1 };
                            sqlx::query_scalar("INSERT INTO fields_of_action (core_area_id, slug, title, description, goals, position, colour) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                                .bind(core_id).bind(&f.slug).bind(&f.title).bind(&f.description).bind(&f.goals).bind(pos).bind(&f.colour)
                                .fetch_one(&mut *tx).await?
                        }
                    };
                    field_ids.insert(f.slug.clone(), field_id);
                    for (ai, fa) in f.focus_areas.iter().enumerate() {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO focus_areas (field_id, slug, title, description, goals, colour, position) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (slug) DO UPDATE SET field_id = excluded.field_id, title = excluded.title, \
                             description = excluded.description, goals = excluded.goals, colour = excluded.colour, \
                             position = excluded.position RETURNING id")
                            .bind(field_id).bind(&fa.slug).bind(&fa.title).bind(&fa.description).bind(&fa.goals)
                            .bind(fa.colour.as_ref().map(|c| c.to_lowercase())).bind(ai as i64)
                            .fetch_one(&mut *tx).await?;
                        focus_ids.insert(fa.slug.clone(), id);
                    }
                }
            }
            for (field_slug, fa) in &plan.new_focus_areas {
                let field_id: Option<i64> = match field_ids.get(field_slug) {
                    Some(id) => Some(*id),
                    None => sqlx::query_scalar("SELECT id FROM fields_of_action WHERE slug = $1").bind(field_slug).fetch_optional(&mut *tx).await?,
                };
                let field_id = field_id.ok_or_else(|| StoreError::Invalid(format!("field of action {field_slug} vanished")))?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO focus_areas (field_id, slug, title, description, position) \
                     VALUES ($1, $2, $3, '', (SELECT COALESCE(MAX(position), -1) + 1 FROM focus_areas WHERE field_id = $1)) RETURNING id")
                    .bind(field_id).bind(&fa.slug).bind(&fa.title).fetch_one(&mut *tx).await?;
                focus_ids.insert(fa.slug.clone(), id);
            }
            // Measures.
            let existing: Vec<(String, i64, String)> = sqlx::query_as("SELECT external_id, id, fingerprint FROM measures").fetch_all(&mut *tx).await?;
            let existing: HashMap<String, (i64, String)> = existing.into_iter().map(|(e, i, f)| (e, (i, f))).collect();
            let mut name_ids: HashMap<(&'static str, String), i64> = HashMap::new();
            let mut changed_parents: Vec<(i64, Option<String>)> = Vec::new();
            for m in &plan.measures {
                let fp = fingerprint(m);
                let prior = existing.get(&m.external_id);
                if let Some((_, f)) = prior && *f == fp {
                    summary.unchanged += 1;
                    continue;
                }
                let field_id = match field_ids.get(&m.field) {
                    Some(id) => *id,
                    None => {
                        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM fields_of_action WHERE slug = $1").bind(&m.field).fetch_optional(&mut *tx).await?;
                        let id = id.ok_or_else(|| StoreError::Invalid(format!("field of action {} vanished", m.field)))?;
                        field_ids.insert(m.field.clone(), id);
                        id
                    }
                };
                let focus_id = match &m.focus_area {
                    Some(fa) => match focus_ids.get(fa) {
                        Some(id) => Some(*id),
                        None => {
                            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM focus_areas WHERE slug = $1").bind(fa).fetch_optional(&mut *tx).await?;
                            if let Some(id) = id { focus_ids.insert(fa.clone(), id); }
                            id
                        }
                    },
                    None => None,
                };
                let tags_text = m.tags.join(" ");
                let search = search_document(&[&m.title, &m.summary, &m.description, &tags_text]);
                let html = markdown_to_safe_html(&m.description);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO measures (external_id, slug, field_id, focus_area_id, weight, title, summary, description_md, \
                     description_html, goals, status, previous_status, progress_entered, progress, planned_start, planned_end, \
                     target_year, search_text, sort_key, fingerprint, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($13, 0), $14, $15, $16, $17, $18, $19, $20, $20) \
                     ON CONFLICT (external_id) DO UPDATE SET slug = excluded.slug, field_id = excluded.field_id, \
                     focus_area_id = excluded.focus_area_id, weight = excluded.weight, title = excluded.title, \
                     summary = excluded.summary, description_md = excluded.description_md, description_html = excluded.description_html, \
                     goals = excluded.goals, status = excluded.status, previous_status = excluded.previous_status, \
                     progress_entered = excluded.progress_entered, planned_start = excluded.planned_start, \
                     planned_end = excluded.planned_end, target_year = excluded.target_year, search_text = excluded.search_text, \
                     sort_key = excluded.sort_key, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at, version = measures.version + 1 \
                     RETURNING id")
                    .bind(&m.external_id).bind(&m.slug).bind(field_id).bind(focus_id).bind(m.weight).bind(&m.title)
                    .bind(&m.summary).bind(&m.description).bind(html).bind(&m.goals).bind(m.status.as_str())
                    .bind(m.previous_status.map(|s| s.as_str())).bind(m.progress).bind(m.start).bind(m.end)
                    .bind(m.target_year.map(i64::from)).bind(search).bind(sort_key(&m.title)).bind(&fp).bind(now)
                    .fetch_one(&mut *tx).await?;
                if prior.is_some() { summary.updated += 1 } else { summary.created += 1 }
                changed_parents.push((id, m.parent.clone()));
                write_measure_lists!(tx, id, &mut name_ids, m);
                if let Some(rs) = &m.reports {
                    sqlx::query("DELETE FROM progress_reports WHERE measure_id = $1").bind(id).execute(&mut *tx).await?;
                    for r in rs {
                        sqlx::query("INSERT INTO progress_reports (measure_id, year, published_on, results, outlook, highlights) VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(id).bind(i64::from(r.year)).bind(r.date).bind(&r.results).bind(&r.outlook).bind(&r.highlights)
                            .execute(&mut *tx).await?;
                    }
                }
            }
            // Parents, once every measure of the file exists.
            for (id, parent) in &changed_parents {
                sqlx::query("UPDATE measures SET parent_id = (SELECT id FROM measures WHERE external_id = $1) WHERE id = $2")
                    .bind(parent.as_deref()).bind(*id).execute(&mut *tx).await?;
            }
            // Progress roll-up over the whole tree.
            let rows: Vec<ProgressRow> = sqlx::query_as(PROGRESS_ROWS)
                .fetch_all(&mut *tx).await?;
            for (id, progress) in roll_up(&rows) {
                sqlx::query("UPDATE measures SET progress = $1 WHERE id = $2").bind(progress).bind(id).execute(&mut *tx).await?;
            }
            if let Some((actor, upload_id)) = run {
                let claimed = sqlx::query("UPDATE import_uploads SET applied_at = $2 WHERE id = $1 AND applied_at IS NULL")
                    .bind(upload_id).bind(now).execute(&mut *tx).await?.rows_affected();
                if claimed == 0 {
                    tx.rollback().await?;
                    return Ok(None);
                }
                let after = serde_json::json!({
                    "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged,
                    "core_areas_created": summary.core_areas_created, "fields_created": summary.fields_created,
                });
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("import.apply").bind("import")
                    .bind(upload_id).bind(None::<String>).bind(after.to_string()).execute(&mut *tx).await?;
            }
            if dry_run { tx.rollback().await?; } else { crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::SITE])]); }
        });
        Ok(Some(summary))
    }

    /// The whole strategy as a document (`stadtradar export`).
    pub async fn export_document(&self) -> Result<Document> {
        let strategy = self.strategy().await?;
        let editions = self.editions().await?;
        let tax = self.taxonomy().await?;
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            external_id: String,
            slug: String,
            title: String,
            summary: String,
            description_md: String,
            goals: String,
            field: String,
            focus_area: Option<String>,
            parent: Option<String>,
            weight: f64,
            status: String,
            previous_status: Option<String>,
            progress_entered: Option<i64>,
            planned_start: Option<Date>,
            planned_end: Option<Date>,
            target_year: Option<i64>,
        }
        let (rows, decisions, kpis, milestones, reports) = on_db!(self, p => {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT m.id, m.external_id, m.slug, m.title, m.summary, m.description_md, m.goals, f.slug AS field, \
                 a.slug AS focus_area, pm.external_id AS parent, m.weight, m.status, m.previous_status, m.progress_entered, \
                 m.planned_start, m.planned_end, m.target_year FROM measures m JOIN fields_of_action f ON f.id = m.field_id \
                 LEFT JOIN focus_areas a ON a.id = m.focus_area_id LEFT JOIN measures pm ON pm.id = m.parent_id AND pm.state = 'published' \
                 WHERE m.state = 'published' ORDER BY m.id"
            ).fetch_all(p).await?;
            let decisions: Vec<(i64, String, Option<Date>, Option<String>)> = sqlx::query_as(
                "SELECT x.measure_id, d.number, d.decision_date, d.url FROM measure_decisions x JOIN council_decisions d ON d.id = x.decision_id ORDER BY x.measure_id, x.position"
            ).fetch_all(p).await?;
            let kpis: Vec<KpiRow> = sqlx::query_as(
                "SELECT measure_id, name, unit, target_value, current_value, as_of FROM kpis ORDER BY measure_id, position"
            ).fetch_all(p).await?;
            let milestones: Vec<(i64, Option<Date>, String, bool)> = sqlx::query_as(
                "SELECT measure_id, due_date, title, reached FROM milestones ORDER BY measure_id, position"
            ).fetch_all(p).await?;
            let reports: Vec<(i64, i64, Date, String, String, String)> = sqlx::query_as(
                "SELECT measure_id, year, published_on, results, outlook, highlights FROM progress_reports ORDER BY measure_id, year, published_on, id"
            ).fetch_all(p).await?;
            (rows, decisions, kpis, milestones, reports)
        });
        // Ordered named lists, one query per list kind.
        let ordered = self.ordered_names().await?;
        let mut by_measure: HashMap<i64, MeasureDoc> = HashMap::new();
        let mut order = Vec::with_capacity(rows.len());
        for r in rows {
            order.push(r.id);
            by_measure.insert(
                r.id,
                MeasureDoc {
                    external_id: r.external_id,
                    slug: Some(r.slug),
                    title: r.title,
                    summary: r.summary,
                    description: r.description_md,
                    goals: r.goals,
                    field: r.field,
                    focus_area: r.focus_area,
                    parent: r.parent,
                    weight: r.weight,
                    status: r.status,
                    previous_status: r.previous_status,
                    progress: r.progress_entered,
                    start: r.planned_start.map(iso),
                    end: r.planned_end.map(iso),
                    target_year: r.target_year.and_then(|y| i32::try_from(y).ok()),
                    departments: vec![],
                    target_groups: vec![],
                    tags: vec![],
                    decisions: vec![],
                    kpis: Some(vec![]),
                    milestones: Some(vec![]),
                    reports: Some(vec![]),
                    line: None,
                    core_area_hint: None,
                },
            );
        }
        for (mid, kind, name) in ordered {
            if let Some(m) = by_measure.get_mut(&mid) {
                match kind {
                    'd' => m.departments.push(name),
                    'g' => m.target_groups.push(name),
                    _ => m.tags.push(name),
                }
            }
        }
        for (mid, number, date, url) in decisions {
            if let Some(m) = by_measure.get_mut(&mid) {
                m.decisions.push(DecisionDoc {
                    number,
                    date: date.map(iso),
                    url,
                });
            }
        }
        for (mid, name, unit, target, current, as_of) in kpis {
            if let Some(v) = by_measure.get_mut(&mid).and_then(|m| m.kpis.as_mut()) {
                v.push(KpiDoc {
                    name,
                    unit,
                    target,
                    current,
                    as_of: as_of.map(iso),
                });
            }
        }
        for (mid, date, title, reached) in milestones {
            if let Some(v) = by_measure.get_mut(&mid).and_then(|m| m.milestones.as_mut()) {
                v.push(MilestoneDoc {
                    date: date.map(iso),
                    title,
                    reached,
                });
            }
        }
        for (mid, year, date, results, outlook, highlights) in reports {
            if let Some(v) = by_measure.get_mut(&mid).and_then(|m| m.reports.as_mut()) {
                v.push(ReportDoc {
                    year: i32::try_from(year).unwrap_or(0),
                    date: iso(date),
                    results,
                    outlook,
                    highlights,
                });
            }
        }
        let measures = order
            .into_iter()
            .filter_map(|id| by_measure.remove(&id))
            .collect();
        Ok(Document {
            format: domain::import::FORMAT.into(),
            version: 1,
            strategy: strategy.map(|s| StrategyDoc {
                title: s.title,
                city: s.city,
                target_year: s.target_year.and_then(|y| i32::try_from(y).ok()),
                vision: s.vision_md,
            }),
            editions: editions
                .into_iter()
                .map(|e| EditionDoc {
                    title: e.title,
                    date: e.edition_date.map(iso),
                    decision: e.decision_number.map(|number| DecisionDoc {
                        number,
                        date: e.decision_date.map(iso),
                        url: e.decision_url,
                    }),
                })
                .collect(),
            core_areas: tax
                .core_areas
                .iter()
                .map(|c| CoreAreaDoc {
                    slug: c.slug.clone(),
                    title: c.title.clone(),
                    description: c.description.clone(),
                    goals: c.goals.clone(),
                    colour: Some(c.colour.clone()),
                    fields: tax
                        .fields_of(c.id)
                        .map(|f| FieldDoc {
                            slug: f.slug.clone(),
                            title: f.title.clone(),
                            colour: f.colour.clone(),
                            description: f.description.clone(),
                            goals: f.goals.clone(),
                            focus_areas: tax
                                .focus_areas_of(f.id)
                                .map(|a| FocusAreaDoc {
                                    slug: a.slug.clone(),
                                    title: a.title.clone(),
                                    description: a.description.clone(),
                                    goals: a.goals.clone(),
                                    colour: a.colour.clone(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            measures,
        })
    }

    /// (measure id, kind d/g/t, name) of every department, target group and tag link, in order.
    async fn ordered_names(&self) -> Result<Vec<(i64, char, String)>> {
        let rows: Vec<(i64, String, String, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT x.measure_id, 'd' AS kind, d.name, x.position FROM measure_departments x JOIN departments d ON d.id = x.department_id \
             UNION ALL SELECT x.measure_id, 'g' AS kind, t.name, x.position FROM measure_target_groups x JOIN target_groups t ON t.id = x.target_group_id \
             UNION ALL SELECT x.measure_id, 't' AS kind, t.name, x.position FROM measure_tags x JOIN tags t ON t.id = x.tag_id \
             ORDER BY 1, 2, 4"
        ).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(m, k, n, _)| (m, k.chars().next().unwrap_or('t'), n))
            .collect())
    }
}

/// What an import would do to one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

/// An uploaded import file waiting for its preview to be applied.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Upload {
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub applied_at: Option<OffsetDateTime>,
}

impl Db {
    /// For every measure of the plan, in file order: (external id, title, what would happen).
    /// While the demo is active every measure is new: the import replaces the demo.
    pub async fn classify(&self, plan: &Plan) -> Result<Vec<(String, String, Change)>> {
        let existing: Vec<(String, String)> = if self.demo_active().await? {
            Vec::new()
        } else {
            on_db!(self, p => sqlx::query_as("SELECT external_id, fingerprint FROM measures").fetch_all(p).await?)
        };
        let existing: HashMap<String, String> = existing.into_iter().collect();
        Ok(plan
            .measures
            .iter()
            .map(|m| {
                let change = match existing.get(&m.external_id) {
                    None => Change::New,
                    Some(f) if *f == fingerprint(m) => Change::Unchanged,
                    Some(_) => Change::Changed,
                };
                (m.external_id.clone(), m.title.clone(), change)
            })
            .collect())
    }

    /// Keeps an uploaded file for its preview; files older than a day are dropped on the way.
    pub async fn save_upload(&self, user_id: i64, file_name: &str, content: &[u8]) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let id = on_db!(self, p => {
            sqlx::query("DELETE FROM import_uploads WHERE created_at < $1").bind(now - time::Duration::days(1)).execute(p).await?;
            sqlx::query_scalar::<_, i64>("INSERT INTO import_uploads (user_id, file_name, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(user_id).bind(file_name).bind(content).bind(now).fetch_one(p).await?
        });
        Ok(id)
    }

    pub async fn upload(&self, id: i64) -> Result<Option<Upload>> {
        let u = on_db!(self, p => sqlx::query_as::<_, Upload>(
            "SELECT id, user_id, file_name, content, created_at, applied_at FROM import_uploads WHERE id = $1"
        ).bind(id).fetch_optional(p).await?);
        Ok(u)
    }

    /// Applies an uploaded file's plan once, claiming the upload and auditing the run in the
    /// import's transaction. `None`: it was applied already (a second click, another instance).
    pub async fn apply_upload(
        &self,
        actor: i64,
        upload_id: i64,
        plan: &Plan,
    ) -> Result<Option<ImportSummary>> {
        self.apply_import_as(plan, false, Some((actor, upload_id)), false)
            .await
    }
}
