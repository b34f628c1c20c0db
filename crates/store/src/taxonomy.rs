//! Editing the strategy and its taxonomy in the back office: the strategy's own texts, core
//! areas, fields of action and focus areas (create, edit, reorder, archive), and which fields of
//! action a restricted editor may change. Every change is audited and publishes a cache invalidation.

use crate::{Db, Result, on_db};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

/// The three levels of the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxKind {
    CoreArea,
    Field,
    FocusArea,
}

impl TaxKind {
    pub const ALL: [TaxKind; 3] = [TaxKind::CoreArea, TaxKind::Field, TaxKind::FocusArea];

    fn table(self) -> &'static str {
        match self {
            TaxKind::CoreArea => "core_areas",
            TaxKind::Field => "fields_of_action",
            TaxKind::FocusArea => "focus_areas",
        }
    }

    /// The column naming the parent entry; core areas hang off the strategy.
    fn parent_column(self) -> &'static str {
        match self {
            TaxKind::CoreArea => "strategy_id",
            TaxKind::Field => "core_area_id",
            TaxKind::FocusArea => "field_id",
        }
    }

    /// The name in URLs and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            TaxKind::CoreArea => "core_area",
            TaxKind::Field => "field",
            TaxKind::FocusArea => "focus_area",
        }
    }

    pub fn parse(v: &str) -> Option<TaxKind> {
        TaxKind::ALL.into_iter().find(|k| k.as_str() == v)
    }
}

/// The editable fields of a taxonomy entry. `parent_id` is the core area of a field of action,
/// the field of action of a focus area, and ignored for core areas.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxEdit {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub goals: String,
    /// Required for core areas; fields and focus areas inherit their parent's when empty.
    pub colour: Option<String>,
    pub parent_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxOutcome {
    Saved {
        id: i64,
    },
    SlugTaken,
    /// The parent does not exist (or there is no strategy yet).
    NoParent,
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveOutcome {
    Done,
    /// Entries below (or measures in it) that are not archived yet: how many.
    StillInUse(i64),
    NotFound,
}

/// The strategy's own texts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StrategyEdit {
    pub title: String,
    pub city: String,
    pub target_year: Option<i64>,
    pub vision: String,
}

#[derive(sqlx::FromRow)]
struct TaxRow {
    title: String,
    slug: String,
    description: String,
    goals: String,
    colour: Option<String>,
    parent: i64,
    archived: bool,
}

fn tax_json(t: &TaxEdit) -> String {
    serde_json::json!({"title": t.title, "slug": t.slug, "description": t.description, "goals": t.goals,
        "colour": t.colour, "parent": t.parent_id})
    .to_string()
}

macro_rules! audit {
    ($events:ident, $tx:ident, $now:expr, $actor:expr, $action:expr, $kind:expr, $id:expr, $before:expr, $after:expr) => {
        sqlx::query(crate::audit::INSERT_AUDIT)
            .bind($now)
            .bind($actor)
            .bind($action)
            .bind($kind)
            .bind($id)
            .bind($before)
            .bind($after)
            .execute(&mut *$tx)
            .await?;
        $events.push(crate::events::cache_event([domain::tags::SITE]));
    };
}

impl Db {
    /// Creates the strategy when there is none yet, else changes it (an unchanged form writes
    /// nothing, so the audit log holds only real changes).
    pub async fn save_strategy(&self, actor: i64, s: &StrategyEdit) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let html = domain::text::markdown_to_safe_html(&s.vision);
        let after = serde_json::json!({"title": s.title, "city": s.city, "target_year": s.target_year, "vision": s.vision}).to_string();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let old: Option<(i64, String, String, Option<i64>, String)> = sqlx::query_as(
                "SELECT id, title, city, target_year, vision_md FROM strategies ORDER BY id LIMIT 1"
            ).fetch_optional(&mut *tx).await?;
            let unchanged = old.as_ref().is_some_and(|(_, title, city, year, vision)| {
                *title == s.title && *city == s.city && *year == s.target_year && *vision == s.vision
            });
            if unchanged {
                tx.rollback().await?;
                return Ok(());
            }
            let (id, before) = match old {
                Some((id, title, city, target_year, vision)) => {
                    sqlx::query("UPDATE strategies SET title = $2, city = $3, target_year = $4, vision_md = $5, vision_html = $6, updated_at = $7 WHERE id = $1")
                        .bind(id).bind(&s.title).bind(&s.city).bind(s.target_year).bind(&s.vision).bind(&html).bind(now)
                        .execute(&mut *tx).await?;
                    (id, Some(serde_json::json!({"title": title, "city": city, "target_year": target_year, "vision": vision}).to_string()))
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO strategies (title, city, target_year, vision_md, vision_html, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"
                    ).bind(&s.title).bind(&s.city).bind(s.target_year).bind(&s.vision).bind(&html).bind(now)
                        .fetch_one(&mut *tx).await?;
                    (id, None)
                }
            };
            audit!(events, tx, now, actor, "strategy.update", "strategy", id, before, after);
            crate::commit_with_events!(self, p, tx, events);
        });
        Ok(())
    }

    /// One entry with its parent and archive flag, for the edit form.
    pub async fn tax_entry(&self, kind: TaxKind, id: i64) -> Result<Option<(TaxEdit, bool)>> {
        let sql = format!(
            "SELECT title, slug, description, goals, colour, {} AS parent, archived FROM {} WHERE id = $1",
            kind.parent_column(),
            kind.table()
        );
        let row: Option<TaxRow> = on_db!(self, p => sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(p).await?);
        Ok(row.map(|r| {
            (
                TaxEdit {
                    title: r.title,
                    slug: r.slug,
                    description: r.description,
                    goals: r.goals,
                    colour: r.colour,
                    parent_id: r.parent,
                },
                r.archived,
            )
        }))
    }

    /// Creates (`id` = `None`) or changes an entry of the taxonomy.
    pub async fn save_tax(
        &self,
        actor: i64,
        kind: TaxKind,
        id: Option<i64>,
        edit: &TaxEdit,
    ) -> Result<TaxOutcome> {
        let now = OffsetDateTime::now_utc();
        let (table, parent_col) = (kind.table(), kind.parent_column());
        let parent_sql = match kind {
            TaxKind::CoreArea => "SELECT id FROM strategies ORDER BY id LIMIT 1",
            TaxKind::Field => "SELECT id FROM core_areas WHERE id = $1",
            TaxKind::FocusArea => "SELECT id FROM fields_of_action WHERE id = $1",
        };
        let slug_sql = format!("SELECT id FROM {table} WHERE slug = $1 AND id <> $2");
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let parent: Option<i64> = if kind == TaxKind::CoreArea {
                sqlx::query_scalar(parent_sql).fetch_optional(&mut *tx).await?
            } else {
                sqlx::query_scalar(parent_sql).bind(edit.parent_id).fetch_optional(&mut *tx).await?
            };
            let taken: Option<i64> = sqlx::query_scalar(AssertSqlSafe(slug_sql.as_str()))
                .bind(&edit.slug).bind(id.unwrap_or(-1)).fetch_optional(&mut *tx).await?;
            let mut edit = edit.clone();
            match (parent, taken, id) {
                (None, _, _) => TaxOutcome::NoParent,
                (_, Some(_), _) => TaxOutcome::SlugTaken,
                (Some(parent), None, None) => {
                    edit.parent_id = parent;
                    let sql = format!(
                        "INSERT INTO {table} ({parent_col}, slug, title, description, goals, colour, position) \
                         VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), -1) + 1 FROM {table} WHERE {parent_col} = $1)) RETURNING id");
                    let new_id: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).bind(parent).bind(&edit.slug).bind(&edit.title)
                        .bind(&edit.description).bind(&edit.goals).bind(&edit.colour).fetch_one(&mut *tx).await?;
                    audit!(events, tx, now, actor, format!("{}.create", kind.as_str()), kind.as_str(), new_id, None::<String>, tax_json(&edit));
                    crate::commit_with_events!(self, p, tx, events);
                    TaxOutcome::Saved { id: new_id }
                }
                (Some(parent), None, Some(id)) => {
                    let sql = format!("SELECT title, slug, description, goals, colour, {parent_col} AS parent, archived FROM {table} WHERE id = $1");
                    let old: Option<TaxRow> = sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *tx).await?;
                    match old {
                        None => TaxOutcome::NotFound,
                        Some(old) => {
                            edit.parent_id = parent;
                            // A new parent puts the entry at the end of its new siblings.
                            let sql = format!(
                                "UPDATE {table} SET {parent_col} = $2, slug = $3, title = $4, description = $5, goals = $6, colour = $7, \
                                 position = CASE WHEN {parent_col} = $2 THEN position ELSE (SELECT COALESCE(MAX(position), -1) + 1 FROM {table} WHERE {parent_col} = $2) END \
                                 WHERE id = $1");
                            sqlx::query(AssertSqlSafe(sql)).bind(id).bind(parent).bind(&edit.slug).bind(&edit.title)
                                .bind(&edit.description).bind(&edit.goals).bind(&edit.colour).execute(&mut *tx).await?;
                            let before = TaxEdit { title: old.title, slug: old.slug, description: old.description, goals: old.goals,
                                colour: old.colour, parent_id: old.parent };
                            if before != edit {
                                audit!(events, tx, now, actor, format!("{}.update", kind.as_str()), kind.as_str(), id, Some(tax_json(&before)), tax_json(&edit));
                            }
                            crate::commit_with_events!(self, p, tx, events);
                            TaxOutcome::Saved { id }
                        }
                    }
                }
            }
        });
        Ok(outcome)
    }

    /// Moves an entry one place up or down among its siblings. Returns `false` when it is not found.
    pub async fn move_tax(&self, actor: i64, kind: TaxKind, id: i64, up: bool) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let (table, parent_col) = (kind.table(), kind.parent_column());
        let found = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let parent: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!("SELECT {parent_col} FROM {table} WHERE id = $1")))
                .bind(id).fetch_optional(&mut *tx).await?;
            match parent {
                None => false,
                Some(parent) => {
                    let mut ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                        "SELECT id FROM {table} WHERE {parent_col} = $1 ORDER BY position, id")))
                        .bind(parent).fetch_all(&mut *tx).await?;
                    let before = ids.clone();
                    if let Some(i) = ids.iter().position(|x| *x == id) {
                        if up && i > 0 {
                            ids.swap(i, i - 1);
                        } else if !up && i + 1 < ids.len() {
                            ids.swap(i, i + 1);
                        }
                    }
                    if ids != before {
                        for (pos, eid) in ids.iter().enumerate() {
                            sqlx::query(AssertSqlSafe(format!("UPDATE {table} SET position = $1 WHERE id = $2")))
                                .bind(pos as i64).bind(*eid).execute(&mut *tx).await?;
                        }
                        let order = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                        audit!(events, tx, now, actor, format!("{}.move", kind.as_str()), kind.as_str(), id, Some(order(&before)), order(&ids));
                    }
                    crate::commit_with_events!(self, p, tx, events);
                    true
                }
            }
        });
        Ok(found)
    }

    /// Archives an entry (hidden from the public, kept for history) or restores it. An entry is
    /// archived only when nothing below it is still in use: no field of action of a core area,
    /// no focus area of a field and no measure in it that is not archived itself.
    pub async fn archive_tax(
        &self,
        actor: i64,
        kind: TaxKind,
        id: i64,
        archived: bool,
    ) -> Result<ArchiveOutcome> {
        let now = OffsetDateTime::now_utc();
        let table = kind.table();
        let in_use_sql = match kind {
            TaxKind::CoreArea => {
                "SELECT COUNT(*) FROM fields_of_action WHERE core_area_id = $1 AND archived = FALSE"
            }
            TaxKind::Field => {
                "SELECT (SELECT COUNT(*) FROM measures WHERE field_id = $1 AND state <> 'archived') \
                 + (SELECT COUNT(*) FROM focus_areas WHERE field_id = $1 AND archived = FALSE)"
            }
            TaxKind::FocusArea => {
                "SELECT COUNT(*) FROM measures WHERE focus_area_id = $1 AND state <> 'archived'"
            }
        };
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let current: Option<bool> = sqlx::query_scalar(AssertSqlSafe(format!("SELECT archived FROM {table} WHERE id = $1")))
                .bind(id).fetch_optional(&mut *tx).await?;
            match current {
                None => ArchiveOutcome::NotFound,
                Some(now_archived) => {
                    let in_use: i64 = if archived { sqlx::query_scalar(in_use_sql).bind(id).fetch_one(&mut *tx).await? } else { 0 };
                    if in_use > 0 {
                        ArchiveOutcome::StillInUse(in_use)
                    } else {
                        if now_archived != archived {
                            sqlx::query(AssertSqlSafe(format!("UPDATE {table} SET archived = $2 WHERE id = $1")))
                                .bind(id).bind(archived).execute(&mut *tx).await?;
                            let action = format!("{}.{}", kind.as_str(), if archived { "archive" } else { "restore" });
                            audit!(events, tx, now, actor, action, kind.as_str(), id, Some(now_archived.to_string()), archived.to_string());
                        }
                        crate::commit_with_events!(self, p, tx, events);
                        ArchiveOutcome::Done
                    }
                }
            }
        });
        Ok(outcome)
    }

    /// The fields of action an editor is restricted to; empty: every field.
    pub async fn editor_fields(&self, user_id: i64) -> Result<Vec<i64>> {
        let r = on_db!(self, p => sqlx::query_scalar("SELECT field_id FROM editor_fields WHERE user_id = $1 ORDER BY field_id")
            .bind(user_id).fetch_all(p).await?);
        Ok(r)
    }

    /// Restricts an editor to `fields` (empty: no restriction); audited.
    pub async fn set_editor_fields(&self, actor: i64, user_id: i64, fields: &[i64]) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut wanted = fields.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let before: Vec<i64> = sqlx::query_scalar("SELECT field_id FROM editor_fields WHERE user_id = $1 ORDER BY field_id")
                .bind(user_id).fetch_all(&mut *tx).await?;
            if before != wanted {
                sqlx::query("DELETE FROM editor_fields WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                for f in &wanted {
                    sqlx::query("INSERT INTO editor_fields (user_id, field_id) SELECT $1, id FROM fields_of_action WHERE id = $2")
                        .bind(user_id).bind(*f).execute(&mut *tx).await?;
                }
                audit!(events, tx, now, actor, "user.editor_fields", "user", user_id, Some(list(&before)), list(&wanted));
            }
            crate::commit_with_events!(self, p, tx, events);
        });
        Ok(())
    }
}
