//! The radar's in-memory model of the published measures: what the radar, the start page, the
//! statistics and the filter forms read, so that rendering them without the page cache costs no
//! large query. The model follows the cache events of the bus (`events::connect_cache`): a measure
//! save marks the measures it touched (`measure:<id>` tags), and the next reader fetches just those
//! again; anything broader (`site`: structure, imports, branding) makes the next reader load the
//! whole list anew. Marks are set by the hub's hook before the write returns, so a reader after a
//! write sees it; refreshes are serialised, so a slower, older fetch never overwrites a newer one.
//!
//! The order is that of `Db::all_measures` — core area, field of action, sort key, id — with the
//! sort key compared byte-wise (as SQLite does, and PostgreSQL with the C collation).

use domain::tags;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use store::radar::ModelCard;
use store::strategy::{MeasureCard, MeasureFilter, Named};
use store::{Db, StoreError};

/// More marked measures than this are loaded as a whole list.
const MAX_PATCH: usize = 64;

/// One state of the model: the published measures in radar order and the facets of the filters.
pub struct Snapshot {
    pub cards: Arc<Vec<MeasureCard>>,
    /// Per card (same order): the slugs of its departments and target groups.
    memberships: Vec<(Vec<String>, Vec<String>)>,
    pub departments: Vec<Named>,
    pub target_groups: Vec<Named>,
    pub years: Vec<i64>,
    /// The position in `cards` of each slug.
    by_slug: HashMap<String, usize>,
}

impl Snapshot {
    /// The published measure with this address, if the model has it.
    pub fn by_slug(&self, slug: &str) -> Option<&MeasureCard> {
        self.by_slug.get(slug).and_then(|&i| self.cards.get(i))
    }
}

#[derive(Default)]
struct Marks {
    /// The whole list must be loaded again.
    stale: bool,
    /// Measures to fetch again before the next read.
    dirty: HashSet<i64>,
    current: Option<Arc<Snapshot>>,
}

/// The model; one per instance, in `AppState`.
#[derive(Default)]
pub struct Cards {
    marks: Mutex<Marks>,
    /// The loaded measures by id; held while refreshing, so refreshes run one at a time.
    entries: tokio::sync::Mutex<Option<HashMap<i64, ModelCard>>>,
}

impl Cards {
    /// Takes note of a cache event's tags (the hub's hook).
    pub fn note(&self, event_tags: &[String]) {
        let Ok(mut m) = self.marks.lock() else { return };
        let mut ids = Vec::new();
        let mut broad = false;
        for t in event_tags {
            match t.strip_prefix("measure:").map(str::parse::<i64>) {
                Some(Ok(id)) => ids.push(id),
                _ => broad |= t == tags::SITE,
            }
        }
        // A change of what lists show always names the measures it changed; `measures` alone
        // (nothing named) is a change of unknown extent.
        if event_tags.iter().any(|t| t == tags::MEASURES) && ids.is_empty() {
            broad = true;
        }
        if broad {
            m.stale = true;
        }
        m.dirty.extend(ids);
        if m.dirty.len() > MAX_PATCH {
            m.stale = true;
        }
    }

    /// Forgets everything (events were lost): the next reader loads the whole list.
    pub fn clear(&self) {
        if let Ok(mut m) = self.marks.lock() {
            m.stale = true;
        }
    }

    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let m = self.marks.lock().ok()?;
        if m.stale || !m.dirty.is_empty() {
            return None;
        }
        m.current.clone()
    }

    /// The current snapshot, brought up to date first if writes marked it.
    pub async fn snapshot(&self, db: &Db) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(s) = self.fresh() {
            return Ok(s);
        }
        let mut entries = self.entries.lock().await;
        // Another reader may have refreshed while this one waited.
        if let Some(s) = self.fresh() {
            return Ok(s);
        }
        let (stale, dirty) = match self.marks.lock() {
            Ok(mut m) => (std::mem::take(&mut m.stale), std::mem::take(&mut m.dirty)),
            Err(_) => (true, HashSet::new()),
        };
        let loaded = match entries.as_mut() {
            Some(map) if !stale => {
                for id in dirty {
                    match db.model_cards(Some(id)).await {
                        Ok(mut found) => match found.pop() {
                            Some(card) => {
                                map.insert(id, card);
                            }
                            None => {
                                map.remove(&id);
                            }
                        },
                        Err(e) => {
                            // Try again on the next read.
                            self.clear();
                            return Err(e);
                        }
                    }
                }
                map
            }
            _ => {
                let all = match db.model_cards(None).await {
                    Ok(all) => all,
                    Err(e) => {
                        self.clear();
                        return Err(e);
                    }
                };
                entries.insert(all.into_iter().map(|c| (c.card.id, c)).collect())
            }
        };
        let snapshot = Arc::new(build(loaded));
        if let Ok(mut m) = self.marks.lock() {
            m.current = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    /// The published measures matching `filter`, in radar order. A search (`q`) asks the
    /// database's full-text index.
    pub async fn measures(
        &self,
        db: &Db,
        filter: &MeasureFilter,
    ) -> Result<Arc<Vec<MeasureCard>>, StoreError> {
        // A search asks the full-text index, a rating filter the ratings' totals.
        if filter.search_terms().is_some() || filter.min_rating.is_some() {
            return Ok(Arc::new(db.all_measures(filter).await?));
        }
        let s = self.snapshot(db).await?;
        if filter.is_empty() {
            return Ok(s.cards.clone());
        }
        Ok(Arc::new(
            s.cards
                .iter()
                .zip(&s.memberships)
                .filter(|(c, (departments, groups))| matches(filter, c, departments, groups))
                .map(|(c, _)| c.clone())
                .collect(),
        ))
    }
}

/// The filter of `Db::all_measures` (without the search).
fn matches(f: &MeasureFilter, c: &MeasureCard, departments: &[String], groups: &[String]) -> bool {
    let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    let among = |want: &Option<String>, have: &[String]| {
        want.as_deref().is_none_or(|w| have.iter().any(|h| h == w))
    };
    is(&f.core_area, &c.core_area_slug)
        && is(&f.field, &c.field_slug)
        && f.status.is_none_or(|s| s.as_str() == c.status)
        && f.year.is_none_or(|y| c.target_year == Some(y))
        && among(&f.target_group, groups)
        && among(&f.department, departments)
}

fn build(entries: &HashMap<i64, ModelCard>) -> Snapshot {
    let mut list: Vec<&ModelCard> = entries.values().collect();
    list.sort_by(|a, b| {
        (
            a.core_position,
            a.field_position,
            a.sort_key.as_bytes(),
            a.card.id,
        )
            .cmp(&(
                b.core_position,
                b.field_position,
                b.sort_key.as_bytes(),
                b.card.id,
            ))
    });
    let facet = |pick: fn(&ModelCard) -> &Vec<Named>| {
        let mut by_slug: HashMap<&str, &str> = HashMap::new();
        for c in &list {
            for n in pick(c) {
                by_slug.insert(&n.slug, &n.name);
            }
        }
        let mut v: Vec<Named> = by_slug
            .into_iter()
            .map(|(slug, name)| Named {
                slug: slug.to_string(),
                name: name.to_string(),
            })
            .collect();
        v.sort_by(|a, b| (a.name.as_bytes(), &a.slug).cmp(&(b.name.as_bytes(), &b.slug)));
        v
    };
    let departments = facet(|c| &c.departments);
    let target_groups = facet(|c| &c.target_groups);
    let years: BTreeSet<i64> = list.iter().filter_map(|c| c.card.target_year).collect();
    let slugs = |v: &[Named]| v.iter().map(|n| n.slug.clone()).collect::<Vec<_>>();
    Snapshot {
        memberships: list
            .iter()
            .map(|c| (slugs(&c.departments), slugs(&c.target_groups)))
            .collect(),
        by_slug: list
            .iter()
            .enumerate()
            .map(|(i, c)| (c.card.slug.clone(), i))
            .collect(),
        cards: Arc::new(list.iter().map(|c| c.card.clone()).collect()),
        departments,
        target_groups,
        years: years.into_iter().collect(),
    }
}
