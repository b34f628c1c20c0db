//! Reads of the strategy radar: strategy, editions, taxonomy, measures and their details.

use crate::{Db, Engine, Result, on_db};
use domain::Status;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Strategy {
    pub id: i64,
    pub title: String,
    pub city: String,
    pub target_year: Option<i64>,
    pub vision_md: String,
    pub vision_html: String,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Edition {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub edition_date: Option<Date>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub decision_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CoreArea {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub colour: String,
    pub position: i64,
    /// Hidden from the public; kept for history and the back office.
    #[serde(skip)]
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Field {
    pub id: i64,
    pub core_area_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goals: String,
    /// Own colour on the radar; the core area's when `None`.
    pub colour: Option<String>,
    pub position: i64,
    /// Hidden from the public; kept for history and the back office.
    #[serde(skip)]
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FocusArea {
    pub id: i64,
    pub field_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub colour: Option<String>,
    pub position: i64,
    /// Hidden from the public; kept for history and the back office.
    #[serde(skip)]
    pub archived: bool,
}

/// The whole taxonomy, ordered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Taxonomy {
    pub core_areas: Vec<CoreArea>,
    pub fields: Vec<Field>,
    pub focus_areas: Vec<FocusArea>,
}

impl Taxonomy {
    pub fn fields_of(&self, core_area_id: i64) -> impl Iterator<Item = &Field> {
        self.fields
            .iter()
            .filter(move |f| f.core_area_id == core_area_id)
    }
    pub fn focus_areas_of(&self, field_id: i64) -> impl Iterator<Item = &FocusArea> {
        self.focus_areas
            .iter()
            .filter(move |f| f.field_id == field_id)
    }
    pub fn core_area(&self, id: i64) -> Option<&CoreArea> {
        self.core_areas.iter().find(|c| c.id == id)
    }
    /// The colour a field of action is drawn in: its own, else its core area's.
    pub fn colour_of<'a>(&'a self, f: &'a Field) -> &'a str {
        f.colour
            .as_deref()
            .or_else(|| self.core_area(f.core_area_id).map(|c| c.colour.as_str()))
            .unwrap_or("#555555")
    }
    pub fn field_by_slug(&self, slug: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.slug == slug)
    }
}

/// A named item a measure refers to (department, target group, tag).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// A measure as lists, the radar and the API show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MeasureCard {
    pub id: i64,
    pub external_id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub previous_status: Option<String>,
    pub progress: i64,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub target_year: Option<i64>,
    pub field_id: i64,
    pub field_slug: String,
    pub field_title: String,
    pub core_area_slug: String,
    pub core_area_title: String,
    pub colour: String,
    pub updated_at: OffsetDateTime,
}

impl MeasureCard {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Planned)
    }
    pub fn previous_status(&self) -> Option<Status> {
        self.previous_status.as_deref().and_then(Status::parse)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MeasureRow {
    pub id: i64,
    pub external_id: String,
    pub slug: String,
    pub field_id: i64,
    pub focus_area_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub weight: f64,
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub description_html: String,
    pub goals: String,
    pub status: String,
    pub previous_status: Option<String>,
    pub progress_entered: Option<i64>,
    pub progress: i64,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub target_year: Option<i64>,
    /// `draft`, `published` or `archived`; the public sees only published measures.
    pub state: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Decision {
    pub number: String,
    pub decision_date: Option<Date>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Kpi {
    pub name: String,
    pub unit: String,
    pub target_value: Option<f64>,
    pub current_value: Option<f64>,
    pub as_of: Option<Date>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub due_date: Option<Date>,
    pub title: String,
    pub reached: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub year: i64,
    pub published_on: Date,
    pub results: String,
    pub outlook: String,
    pub highlights: String,
}

/// A progress report with the measure it belongs to (home page, feed).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportWithMeasure {
    pub id: i64,
    pub year: i64,
    pub published_on: Date,
    pub results: String,
    pub outlook: String,
    pub highlights: String,
    pub measure_slug: String,
    pub measure_title: String,
    pub measure_id: i64,
}

/// Everything the measure page shows.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureDetail {
    pub measure: MeasureRow,
    pub card: MeasureCard,
    pub focus_area: Option<FocusArea>,
    pub parent: Option<MeasureCard>,
    pub children: Vec<MeasureCard>,
    pub related: Vec<MeasureCard>,
    pub departments: Vec<Named>,
    pub target_groups: Vec<Named>,
    pub tags: Vec<Named>,
    pub decisions: Vec<Decision>,
    pub kpis: Vec<Kpi>,
    pub milestones: Vec<Milestone>,
    pub reports: Vec<Report>,
}

/// Filters shared by the radar, the list and the API. Slugs name taxonomy entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MeasureFilter {
    pub core_area: Option<String>,
    pub field: Option<String>,
    pub status: Option<Status>,
    pub target_group: Option<String>,
    pub department: Option<String>,
    pub year: Option<i64>,
    pub q: Option<String>,
    /// Only measures whose average rating is at least this (1 to 5); unrated ones are left out.
    pub min_rating: Option<i64>,
}

impl MeasureFilter {
    /// The stemmed search terms of `q`, space-separated; `None` when there are none.
    pub fn search_terms(&self) -> Option<String> {
        let q = self.q.as_deref()?;
        let terms = domain::text::search_terms(q);
        if terms.is_empty() {
            None
        } else {
            Some(terms.join(" "))
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == MeasureFilter::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// Best match first when searching, else by title.
    #[default]
    Relevance,
    Title,
    ProgressDesc,
    Start,
    End,
    Updated,
    /// Highest average rating first; more ratings first among equal averages; unrated last.
    RatingDesc,
}

impl Sort {
    pub const ALL: [Sort; 7] = [
        Sort::Relevance,
        Sort::Title,
        Sort::ProgressDesc,
        Sort::Start,
        Sort::End,
        Sort::Updated,
        Sort::RatingDesc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::ProgressDesc => "progress",
            Sort::Start => "start",
            Sort::End => "end",
            Sort::Updated => "updated",
            Sort::RatingDesc => "rating",
        }
    }

    pub fn parse(v: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == v)
    }

    fn order_by(self, searching: bool) -> &'static str {
        match self {
            Sort::Relevance if searching => "h.rank, m.sort_key, m.id",
            Sort::Relevance | Sort::Title => "m.sort_key, m.id",
            Sort::ProgressDesc => "m.progress DESC, m.sort_key, m.id",
            Sort::Start => "m.planned_start IS NULL, m.planned_start, m.sort_key, m.id",
            Sort::End => "m.planned_end IS NULL, m.planned_end, m.sort_key, m.id",
            Sort::Updated => "m.updated_at DESC, m.id DESC",
            Sort::RatingDesc => {
                "rt.count IS NULL OR rt.count = 0, (rt.total * 1.0) / NULLIF(rt.count, 0) DESC, rt.count DESC, m.sort_key, m.id"
            }
        }
    }
}

const CARD_COLUMNS: &str = "m.id, m.external_id, m.slug, m.title, m.summary, m.status, m.previous_status, m.progress, \
     m.planned_start, m.planned_end, m.target_year, m.field_id, f.slug AS field_slug, f.title AS field_title, \
     c.slug AS core_area_slug, c.title AS core_area_title, COALESCE(f.colour, c.colour) AS colour, m.updated_at";

/// The rating totals are joined for the sort by rating (one row per measure, by primary key).
const CARD_FROM: &str = " FROM measures m JOIN fields_of_action f ON f.id = m.field_id JOIN core_areas c ON c.id = f.core_area_id \
     LEFT JOIN rating_totals rt ON rt.measure_id = m.id";

/// Published measures only. `$1` core area, `$2` field, `$3` status, `$4` year, `$5` target group, `$6` department.
const FILTER_WHERE: &str = " WHERE m.state = 'published' AND ($1 IS NULL OR c.slug = $1) AND ($2 IS NULL OR f.slug = $2) \
     AND ($3 IS NULL OR m.status = $3) AND ($4 IS NULL OR m.target_year = $4) \
     AND ($5 IS NULL OR EXISTS (SELECT 1 FROM measure_target_groups x JOIN target_groups t ON t.id = x.target_group_id WHERE x.measure_id = m.id AND t.slug = $5)) \
     AND ($6 IS NULL OR EXISTS (SELECT 1 FROM measure_departments y JOIN departments d ON d.id = y.department_id WHERE y.measure_id = m.id AND d.slug = $6))";

/// The condition of a minimum average rating (`rt` is the measure's `rating_totals`): one fixed
/// text per value, so no number is written into SQL.
fn rating_where(min: Option<i64>) -> &'static str {
    match min {
        None => "",
        Some(..=1) => " AND rt.count > 0 AND rt.total >= rt.count",
        Some(2) => " AND rt.count > 0 AND rt.total >= 2 * rt.count",
        Some(3) => " AND rt.count > 0 AND rt.total >= 3 * rt.count",
        Some(4) => " AND rt.count > 0 AND rt.total >= 4 * rt.count",
        Some(_) => " AND rt.count > 0 AND rt.total >= 5 * rt.count",
    }
}

/// The engine-specific part of full-text search: a derived table `h(hid, rank)` of the measures
/// matching the stemmed terms in `$7`, lower rank = better match.
pub(crate) fn search_join(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => {
            " JOIN (SELECT rowid AS hid, bm25(measures_fts) AS rank FROM measures_fts WHERE measures_fts MATCH $7) h ON h.hid = m.id"
        }
        Engine::Postgres => {
            " JOIN (SELECT id AS hid, -ts_rank(to_tsvector('simple', search_text), plainto_tsquery('simple', $7)) AS rank \
               FROM measures WHERE to_tsvector('simple', search_text) @@ plainto_tsquery('simple', $7)) h ON h.hid = m.id"
        }
    }
}

/// Turns stemmed terms into the engine's query syntax (FTS5: each term quoted, implicitly ANDed;
/// PostgreSQL's plainto_tsquery ANDs plain words itself).
pub(crate) fn search_query(engine: Engine, terms: &str) -> String {
    match engine {
        Engine::Sqlite => terms
            .split(' ')
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" "),
        Engine::Postgres => terms.to_string(),
    }
}

fn select_cards(engine: Engine, searching: bool, rating: Option<i64>, tail: &str) -> String {
    select_cards_with(
        engine,
        searching,
        rating,
        tail,
        ", COUNT(*) OVER () AS total",
    )
}

/// The card query with `extra` columns (the window count for pages; none for whole lists,
/// where the count is the length and the window would double SQLite's work).
fn select_cards_with(
    engine: Engine,
    searching: bool,
    rating: Option<i64>,
    tail: &str,
    extra: &str,
) -> String {
    let mut sql = String::with_capacity(1200);
    sql.push_str("SELECT ");
    sql.push_str(CARD_COLUMNS);
    sql.push_str(extra);
    sql.push_str(CARD_FROM);
    if searching {
        sql.push_str(search_join(engine));
    }
    sql.push_str(FILTER_WHERE);
    sql.push_str(rating_where(rating));
    sql.push_str(tail);
    sql
}

#[derive(sqlx::FromRow)]
struct CardWithTotal {
    #[sqlx(flatten)]
    card: MeasureCard,
    total: i64,
}

/// A page of results and the number of all matches.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl Db {
    pub async fn strategy(&self) -> Result<Option<Strategy>> {
        let s = on_db!(self, p => sqlx::query_as::<_, Strategy>(
            "SELECT id, title, city, target_year, vision_md, vision_html, updated_at FROM strategies ORDER BY id LIMIT 1"
        ).fetch_optional(p).await?);
        Ok(s)
    }

    pub async fn editions(&self) -> Result<Vec<Edition>> {
        let e = on_db!(self, p => sqlx::query_as::<_, Edition>(
            "SELECT id, position, title, edition_date, decision_number, decision_date, decision_url FROM editions ORDER BY position"
        ).fetch_all(p).await?);
        Ok(e)
    }

    /// The public taxonomy: archived entries left out.
    pub async fn taxonomy(&self) -> Result<Taxonomy> {
        self.taxonomy_with(false).await
    }

    /// Every entry, archived ones too (the back office).
    pub async fn taxonomy_all(&self) -> Result<Taxonomy> {
        self.taxonomy_with(true).await
    }

    async fn taxonomy_with(&self, archived: bool) -> Result<Taxonomy> {
        let (core_areas, fields, focus_areas) = on_db!(self, p => {
            let c = sqlx::query_as::<_, CoreArea>(
                "SELECT id, slug, title, description, goals, colour, position, archived FROM core_areas WHERE archived = FALSE OR $1 ORDER BY position, id"
            ).bind(archived).fetch_all(p).await?;
            let f = sqlx::query_as::<_, Field>(
                "SELECT f.id, f.core_area_id, f.slug, f.title, f.description, f.goals, f.colour, f.position, f.archived \
                 FROM fields_of_action f JOIN core_areas c ON c.id = f.core_area_id WHERE (f.archived = FALSE AND c.archived = FALSE) OR $1 ORDER BY c.position, c.id, f.position, f.id"
            ).bind(archived).fetch_all(p).await?;
            let a = sqlx::query_as::<_, FocusArea>(
                "SELECT a.id, a.field_id, a.slug, a.title, a.description, a.goals, a.colour, a.position, a.archived FROM focus_areas a \
                 JOIN fields_of_action f ON f.id = a.field_id WHERE (a.archived = FALSE AND f.archived = FALSE) OR $1 ORDER BY a.position, a.id"
            ).bind(archived).fetch_all(p).await?;
            (c, f, a)
        });
        Ok(Taxonomy {
            core_areas,
            fields,
            focus_areas,
        })
    }

    /// Departments and target groups that have measures, for filter menus.
    pub async fn facets(&self) -> Result<(Vec<Named>, Vec<Named>, Vec<i64>)> {
        let r = on_db!(self, p => {
            let d = sqlx::query_as::<_, Named>(
                "SELECT slug, name FROM departments WHERE id IN (SELECT x.department_id FROM measure_departments x JOIN measures m ON m.id = x.measure_id WHERE m.state = 'published') ORDER BY name"
            ).fetch_all(p).await?;
            let t = sqlx::query_as::<_, Named>(
                "SELECT slug, name FROM target_groups WHERE id IN (SELECT x.target_group_id FROM measure_target_groups x JOIN measures m ON m.id = x.measure_id WHERE m.state = 'published') ORDER BY name"
            ).fetch_all(p).await?;
            let y: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT target_year FROM measures WHERE state = 'published' AND target_year IS NOT NULL ORDER BY target_year"
            ).fetch_all(p).await?;
            (d, t, y)
        });
        Ok(r)
    }

    /// One page of measures matching `filter`, sorted. `page` counts from 1.
    pub async fn measures(
        &self,
        filter: &MeasureFilter,
        sort: Sort,
        page: i64,
        per_page: i64,
    ) -> Result<Page<MeasureCard>> {
        let terms = filter.search_terms();
        let searching = terms.is_some();
        let engine = self.engine();
        let tail = format!(" ORDER BY {} LIMIT $8 OFFSET $9", sort.order_by(searching));
        let sql = select_cards(engine, searching, filter.min_rating, &tail);
        let q = terms.map(|t| search_query(engine, &t)).unwrap_or_default();
        let offset = (page.max(1) - 1) * per_page;
        let rows: Vec<CardWithTotal> = on_db!(self, p => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(filter.core_area.as_deref())
            .bind(filter.field.as_deref())
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.year)
            .bind(filter.target_group.as_deref())
            .bind(filter.department.as_deref())
            .bind(&q)
            .bind(per_page)
            .bind(offset)
            .fetch_all(p).await?);
        let total = match rows.first() {
            Some(r) => r.total,
            None if offset > 0 => self.count_measures(filter).await?,
            None => 0,
        };
        Ok(Page {
            items: rows.into_iter().map(|r| r.card).collect(),
            total,
            page: page.max(1),
            per_page,
        })
    }

    pub async fn count_measures(&self, filter: &MeasureFilter) -> Result<i64> {
        let terms = filter.search_terms();
        let engine = self.engine();
        let mut sql = String::from("SELECT COUNT(*)");
        sql.push_str(CARD_FROM);
        if terms.is_some() {
            sql.push_str(search_join(engine));
        }
        sql.push_str(FILTER_WHERE);
        sql.push_str(rating_where(filter.min_rating));
        if terms.is_none() {
            sql.push_str(" AND ($7 IS NULL OR $7 = '')");
        }
        let q = terms.map(|t| search_query(engine, &t)).unwrap_or_default();
        let n: i64 = on_db!(self, p => sqlx::query_scalar(AssertSqlSafe(sql.as_str()))
            .bind(filter.core_area.as_deref())
            .bind(filter.field.as_deref())
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.year)
            .bind(filter.target_group.as_deref())
            .bind(filter.department.as_deref())
            .bind(&q)
            .fetch_one(p).await?);
        Ok(n)
    }

    /// Every measure matching `filter` (the radar, the timeline): the drawing shows them all.
    pub async fn all_measures(&self, filter: &MeasureFilter) -> Result<Vec<MeasureCard>> {
        let terms = filter.search_terms();
        let searching = terms.is_some();
        let engine = self.engine();
        let mut sql = select_cards_with(
            engine,
            searching,
            filter.min_rating,
            " ORDER BY c.position, f.position, m.sort_key, m.id",
            "",
        );
        if !searching {
            // Keep the parameter numbering identical: $7 is unused but must be referenced on PostgreSQL.
            sql = sql.replace(" ORDER BY", " AND ($7 IS NULL OR $7 = '') ORDER BY");
        }
        let q = terms.map(|t| search_query(engine, &t)).unwrap_or_default();
        let rows: Vec<MeasureCard> = on_db!(self, p => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(filter.core_area.as_deref())
            .bind(filter.field.as_deref())
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.year)
            .bind(filter.target_group.as_deref())
            .bind(filter.department.as_deref())
            .bind(&q)
            .fetch_all(p).await?);
        Ok(rows)
    }

    async fn cards_where(&self, condition: &str, id: i64, limit: i64) -> Result<Vec<MeasureCard>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS}{CARD_FROM} WHERE {condition} ORDER BY m.sort_key, m.id LIMIT $2"
        );
        let rows = on_db!(self, p => sqlx::query_as::<_, MeasureCard>(AssertSqlSafe(sql.as_str())).bind(id).bind(limit).fetch_all(p).await?);
        Ok(rows)
    }

    pub async fn measure_id_by_slug(&self, slug: &str) -> Result<Option<i64>> {
        let id = on_db!(self, p => sqlx::query_scalar::<_, i64>("SELECT id FROM measures WHERE slug = $1 AND state = 'published'").bind(slug).fetch_optional(p).await?);
        Ok(id)
    }

    /// The ids of the published measures with these external ids (as the strategy's file
    /// names them), in the order given; unknown, unpublished and repeated ones are left out.
    pub async fn measure_ids_by_external(&self, ids: &[String]) -> Result<Vec<i64>> {
        let mut found = Vec::with_capacity(ids.len());
        for external in ids {
            let id: Option<i64> = on_db!(self, p => sqlx::query_scalar(
                "SELECT id FROM measures WHERE external_id = $1 AND state = 'published'"
            ).bind(external).fetch_optional(p).await?);
            if let Some(id) = id.filter(|id| !found.contains(id)) {
                found.push(id);
            }
        }
        Ok(found)
    }

    /// The id, slug, title and field of action of a published measure: what its discussion
    /// needs. By `slug`, or by `id` when `slug` is `None`.
    pub async fn published_measure_head(
        &self,
        slug: Option<&str>,
        id: i64,
    ) -> Result<Option<(i64, String, String, i64)>> {
        let row = match slug {
            Some(slug) => on_db!(self, p => sqlx::query_as(
                "SELECT id, slug, title, field_id FROM measures WHERE slug = $1 AND state = 'published'"
            ).bind(slug).fetch_optional(p).await?),
            None => on_db!(self, p => sqlx::query_as(
                "SELECT id, slug, title, field_id FROM measures WHERE id = $1 AND state = 'published'"
            ).bind(id).fetch_optional(p).await?),
        };
        Ok(row)
    }

    /// A measure with everything its page shows; a fixed number of queries, whatever its size.
    pub async fn measure_detail(&self, id: i64) -> Result<Option<MeasureDetail>> {
        let measure = on_db!(self, p => sqlx::query_as::<_, MeasureRow>(
            "SELECT id, external_id, slug, field_id, focus_area_id, parent_id, weight, title, summary, description_md, \
             description_html, goals, status, previous_status, progress_entered, progress, planned_start, planned_end, \
             target_year, state, created_at, updated_at FROM measures WHERE id = $1"
        ).bind(id).fetch_optional(p).await?);
        let Some(measure) = measure else {
            return Ok(None);
        };
        let card = self
            .cards_where("m.id = $1", id, 1)
            .await?
            .into_iter()
            .next();
        let Some(card) = card else { return Ok(None) };
        let parent = match measure.parent_id {
            Some(pid) => self
                .cards_where("m.id = $1 AND m.state = 'published'", pid, 1)
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        let children = self
            .cards_where("m.parent_id = $1 AND m.state = 'published'", id, 500)
            .await?;
        let related = self
            .cards_where(
                "m.state = 'published' AND m.field_id = (SELECT field_id FROM measures WHERE id = $1) AND m.id <> $1 \
                 AND (m.parent_id IS NULL OR m.parent_id <> $1)",
                id,
                6,
            )
            .await?;
        let (focus_area, named, decisions, kpis, milestones, reports) = on_db!(self, p => {
            let fa = sqlx::query_as::<_, FocusArea>(
                "SELECT id, field_id, slug, title, description, goals, colour, position, archived FROM focus_areas WHERE id = $1"
            ).bind(measure.focus_area_id.unwrap_or(-1)).fetch_optional(p).await?;
            // Departments, target groups and tags in one round trip.
            let named: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT 'd' AS kind, d.slug, d.name, x.position FROM measure_departments x JOIN departments d ON d.id = x.department_id WHERE x.measure_id = $1 \
                 UNION ALL SELECT 'g' AS kind, t.slug, t.name, x.position FROM measure_target_groups x JOIN target_groups t ON t.id = x.target_group_id WHERE x.measure_id = $1 \
                 UNION ALL SELECT 't' AS kind, t.slug, t.name, x.position FROM measure_tags x JOIN tags t ON t.id = x.tag_id WHERE x.measure_id = $1 \
                 ORDER BY 1, 4"
            ).bind(id).fetch_all(p).await?;
            let c = sqlx::query_as::<_, Decision>(
                "SELECT d.number, d.decision_date, d.url FROM measure_decisions x JOIN council_decisions d ON d.id = x.decision_id WHERE x.measure_id = $1 ORDER BY x.position"
            ).bind(id).fetch_all(p).await?;
            let k = sqlx::query_as::<_, Kpi>(
                "SELECT name, unit, target_value, current_value, as_of FROM kpis WHERE measure_id = $1 ORDER BY position"
            ).bind(id).fetch_all(p).await?;
            let ms = sqlx::query_as::<_, Milestone>(
                "SELECT due_date, title, reached FROM milestones WHERE measure_id = $1 ORDER BY position"
            ).bind(id).fetch_all(p).await?;
            let r = sqlx::query_as::<_, Report>(
                "SELECT id, year, published_on, results, outlook, highlights FROM progress_reports WHERE measure_id = $1 ORDER BY year DESC, published_on DESC, id DESC LIMIT 50"
            ).bind(id).fetch_all(p).await?;
            (fa, named, c, k, ms, r)
        });
        let of_kind = |kind: &str| -> Vec<Named> {
            named
                .iter()
                .filter(|(k, _, _, _)| k == kind)
                .map(|(_, slug, name, _)| Named {
                    slug: slug.clone(),
                    name: name.clone(),
                })
                .collect()
        };
        let (departments, target_groups, tags) = (of_kind("d"), of_kind("g"), of_kind("t"));
        Ok(Some(MeasureDetail {
            measure,
            card,
            focus_area,
            parent,
            children,
            related,
            departments,
            target_groups,
            tags,
            decisions,
            kpis,
            milestones,
            reports,
        }))
    }

    /// The newest progress reports across all measures.
    pub async fn latest_reports(&self, limit: i64) -> Result<Vec<ReportWithMeasure>> {
        let r = on_db!(self, p => sqlx::query_as::<_, ReportWithMeasure>(
            "SELECT r.id, r.year, r.published_on, r.results, r.outlook, r.highlights, m.slug AS measure_slug, \
             m.title AS measure_title, m.id AS measure_id FROM progress_reports r JOIN measures m ON m.id = r.measure_id \
             WHERE m.state = 'published' ORDER BY r.published_on DESC, r.id DESC LIMIT $1"
        ).bind(limit).fetch_all(p).await?);
        Ok(r)
    }

    /// Number of measures per (field id, status).
    pub async fn status_counts(&self) -> Result<Vec<(i64, String, i64)>> {
        let r = on_db!(self, p => sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT field_id, status, COUNT(*) FROM measures WHERE state = 'published' GROUP BY field_id, status"
        ).fetch_all(p).await?);
        Ok(r)
    }
}
