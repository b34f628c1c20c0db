//! Reads for the radar's in-memory model of published measures (`web::radar::cards`): each
//! published measure's card, where it sorts, and the departments and target groups it belongs to
//! — all of them at once, or one measure after a write.

use crate::strategy::{MeasureCard, Named};
use crate::{Db, Result, on_db};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// A published measure as the radar's model keeps it.
#[derive(Debug, Clone)]
pub struct ModelCard {
    pub card: MeasureCard,
    /// The order of `all_measures`: core area, field of action, sort key, id.
    pub core_position: i64,
    pub field_position: i64,
    pub sort_key: String,
    pub departments: Vec<Named>,
    pub target_groups: Vec<Named>,
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    card: MeasureCard,
    core_position: i64,
    field_position: i64,
    sort_key: String,
}

#[derive(sqlx::FromRow)]
struct Membership {
    measure_id: i64,
    slug: String,
    name: String,
}

/// `$1`: one measure's id, or NULL for every published measure.
const CARDS: &str = "SELECT m.id, m.external_id, m.slug, m.title, m.summary, m.status, m.previous_status, m.progress, \
     m.planned_start, m.planned_end, m.target_year, m.field_id, f.slug AS field_slug, f.title AS field_title, \
     c.slug AS core_area_slug, c.title AS core_area_title, COALESCE(f.colour, c.colour) AS colour, m.updated_at, \
     c.position AS core_position, f.position AS field_position, m.sort_key \
     FROM measures m JOIN fields_of_action f ON f.id = m.field_id JOIN core_areas c ON c.id = f.core_area_id \
     WHERE m.state = 'published' AND ($1 IS NULL OR m.id = $1)";

const DEPARTMENTS: &str = "SELECT x.measure_id, d.slug, d.name FROM measure_departments x \
     JOIN departments d ON d.id = x.department_id JOIN measures m ON m.id = x.measure_id \
     WHERE m.state = 'published' AND ($1 IS NULL OR m.id = $1) ORDER BY x.measure_id, d.name";

const TARGET_GROUPS: &str = "SELECT x.measure_id, t.slug, t.name FROM measure_target_groups x \
     JOIN target_groups t ON t.id = x.target_group_id JOIN measures m ON m.id = x.measure_id \
     WHERE m.state = 'published' AND ($1 IS NULL OR m.id = $1) ORDER BY x.measure_id, t.name";

impl Db {
    /// Every published measure (`None`), or the one with `id` if it is published, for the
    /// radar's model; unordered. Three queries, whatever the number of measures.
    pub async fn model_cards(&self, id: Option<i64>) -> Result<Vec<ModelCard>> {
        let (rows, departments, groups) = on_db!(self, p => {
            let rows = sqlx::query_as::<_, Row>(AssertSqlSafe(CARDS)).bind(id).fetch_all(p).await?;
            let d = sqlx::query_as::<_, Membership>(AssertSqlSafe(DEPARTMENTS)).bind(id).fetch_all(p).await?;
            let t = sqlx::query_as::<_, Membership>(AssertSqlSafe(TARGET_GROUPS)).bind(id).fetch_all(p).await?;
            (rows, d, t)
        });
        let by_measure = |list: Vec<Membership>| {
            let mut map: HashMap<i64, Vec<Named>> = HashMap::new();
            for m in list {
                map.entry(m.measure_id).or_default().push(Named {
                    slug: m.slug,
                    name: m.name,
                });
            }
            map
        };
        let mut departments = by_measure(departments);
        let mut groups = by_measure(groups);
        Ok(rows
            .into_iter()
            .map(|r| ModelCard {
                departments: departments.remove(&r.card.id).unwrap_or_default(),
                target_groups: groups.remove(&r.card.id).unwrap_or_default(),
                core_position: r.core_position,
                field_position: r.field_position,
                sort_key: r.sort_key,
                card: r.card,
            })
            .collect())
    }
}
