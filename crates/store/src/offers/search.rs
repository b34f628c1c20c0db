//! The public list of offers: full text (the German search words), filters (category, target
//! group, age, day of the week, time of day, free of charge, online, accessibility, language,
//! provider) and distance from a point, nearest first. The statement is put together from fixed
//! pieces with numbered placeholders (no input in its text), so each filter that is not used
//! costs nothing and the place filter can use its index; ordering by distance is arithmetic
//! only (an equirectangular projection), which both engines compute the same.

use super::{OFFER_COLUMNS, OFFER_FROM, Offer, OfferRow};
use crate::{Db, Engine, Result, on_db};
use domain::offers::geo::{self, Point};
use domain::offers::{Accessibility, DayTime};
use time::Date;

/// Metres in a degree of latitude (mean Earth radius).
const METRES_PER_DEGREE: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Where a person is and how far they would go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub origin: Point,
    /// `None`: any distance (offers are still sorted by it).
    pub radius_m: Option<f64>,
}

/// What the list of public offers is narrowed to; the default is every offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferFilter {
    /// Stemmed search words, all of which must occur.
    pub terms: Vec<String>,
    pub category: Option<i64>,
    pub group: Option<i64>,
    /// Offers for a person of this age.
    pub age: Option<i64>,
    /// Weekdays (bit 0 Monday … bit 6 Sunday, see `domain::offers::weekday_bit`) on one of
    /// which a coming date falls; 0: any.
    pub days: u8,
    pub time: Option<DayTime>,
    pub free: bool,
    /// Only offers one can take part in online.
    pub online: bool,
    /// Every feature set here is required.
    pub accessibility: Accessibility,
    pub language: Option<String>,
    pub provider: Option<i64>,
    pub near: Option<Near>,
}

/// An offer found, with its distance from the filter's point.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub offer: Offer,
    pub distance_m: Option<f64>,
}

/// Above this many matches a list sorted by distance is looked for in circles first.
const RINGS_FROM: i64 = 200;
/// The circles' radii, in metres: a neighbourhood, a district, the city, the region.
const RINGS_M: [f64; 4] = [1_000.0, 3_000.0, 10_000.0, 30_000.0];

/// A value for a placeholder.
enum Arg {
    Int(i64),
    Float(f64),
    Text(String),
    Day(Date),
}

/// A statement being put together with its placeholders' values.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    /// Adds a value; its placeholder.
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_str()),
                Arg::Day(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// The FROM of the list when search words are given, in placeholder `q`, giving `h.rank`
/// (lower is better); the WHERE links `h.hid` to `o.id`.
///
/// On SQLite the FTS5 match drives the statement (`CROSS JOIN` keeps it the outer loop): left
/// to the planner, the match ran once per offer, seconds over 50,000 offers. On PostgreSQL the
/// stored `search_vector` is matched through its GIN index and ranked without being rebuilt.
fn search_from(engine: Engine, q: &str, from: &str) -> String {
    let offers = from.replacen(" FROM", "", 1);
    match engine {
        Engine::Sqlite => format!(
            " FROM (SELECT rowid AS hid, bm25(offers_fts) AS rank FROM offers_fts WHERE offers_fts MATCH {q}) h \
                 CROSS JOIN{offers}"
        ),
        Engine::Postgres => format!(
            " FROM (SELECT id AS hid, -ts_rank(search_vector, plainto_tsquery('simple', {q})) AS rank \
                 FROM offers WHERE search_vector @@ plainto_tsquery('simple', {q})) h CROSS JOIN{offers}",
        ),
    }
}

/// The FROM of statements that read every match for its key: a count, and the nearest-first
/// order. It joins the offer and its provider (whose approval every filter needs), not the
/// category (never missing: `category_id` is `NOT NULL` and a foreign key) or the district (a
/// `LEFT JOIN`), which only the columns of a row read. That halves the count of a large list.
const KEYS_FROM: &str = " FROM offers o JOIN providers v ON v.id = o.provider_id";

/// The FROM and WHERE of the list for `f` on `today` (`from`: [`OFFER_FROM`] for rows,
/// [`KEYS_FROM`] for keys); the squared distance in degrees when a point is given and it is
/// needed (`sorting`, or a radius to keep to).
fn matching(
    engine: Engine,
    today: Date,
    f: &OfferFilter,
    sql: &mut Sql,
    (from, sorting): (&str, bool),
) -> Option<String> {
    let linked = if f.terms.is_empty() {
        sql.text.push_str(from);
        ""
    } else {
        let q = sql.arg(Arg::Text(crate::strategy::search_query(
            engine,
            &f.terms.join(" "),
        )));
        sql.text.push_str(&search_from(engine, &q, from));
        " AND o.id = h.hid"
    };
    sql.text
        .push_str(" WHERE o.state = 'published' AND v.state = 'approved'");
    sql.text.push_str(linked);
    // The offers with a target group, language or date: a row of the list probes for its own
    // (the page stops after a few); a statement over every match asks the index for the whole
    // set once instead of probing each public offer (a count of a language was 45 ms over
    // 50,000 offers).
    // The opening of such a condition on rows `x` of `table`; the caller closes it.
    let some: fn(&str) -> String = if from == KEYS_FROM {
        |table| format!(" AND o.id IN (SELECT x.offer_id FROM {table} x WHERE")
    } else {
        |table| format!(" AND EXISTS (SELECT 1 FROM {table} x WHERE x.offer_id = o.id AND")
    };
    if let Some(c) = f.category {
        let c = sql.arg(Arg::Int(c));
        sql.text.push_str(&format!(" AND o.category_id = {c}"));
    }
    if let Some(g) = f.group {
        let g = sql.arg(Arg::Int(g));
        let some = some("offer_target_groups");
        sql.text
            .push_str(&format!("{some} x.target_group_id = {g})"));
    }
    if let Some(a) = f.age {
        let a = sql.arg(Arg::Int(a));
        sql.text.push_str(&format!(
            " AND (o.age_min IS NULL OR o.age_min <= {a}) AND (o.age_max IS NULL OR o.age_max >= {a})"
        ));
    }
    if f.days != 0 || f.time.is_some() {
        let t = sql.arg(Arg::Day(today));
        let some = some("offer_schedules");
        sql.text
            .push_str(&format!("{some} (x.last_on IS NULL OR x.last_on >= {t})"));
        if f.days != 0 {
            let d = sql.arg(Arg::Int(i64::from(f.days)));
            sql.text.push_str(&format!(" AND (x.weekdays & {d}) <> 0"));
        }
        if let Some(time) = f.time {
            let (from, to) = time.minutes();
            let (from, to) = (sql.arg(Arg::Int(from)), sql.arg(Arg::Int(to)));
            sql.text.push_str(&format!(
                " AND x.start_minute >= {from} AND x.start_minute < {to}"
            ));
        }
        sql.text.push(')');
    }
    if f.free {
        sql.text
            .push_str(" AND (o.cost_cents IS NULL OR o.cost_cents = 0)");
    }
    if f.online {
        sql.text
            .push_str(" AND o.attendance IN ('online', 'mixed')");
    }
    for key in f.accessibility.keys() {
        // The keys are the four column names (`Accessibility::KEYS`), not input.
        sql.text.push_str(&format!(" AND o.{key}"));
    }
    if let Some(l) = &f.language {
        let l = sql.arg(Arg::Text(l.clone()));
        let some = some("offer_languages");
        sql.text.push_str(&format!("{some} x.lang = {l})"));
    }
    if let Some(p) = f.provider {
        let p = sql.arg(Arg::Int(p));
        sql.text.push_str(&format!(" AND o.provider_id = {p}"));
    }
    let near = f.near.filter(|n| sorting || n.radius_m.is_some())?;
    let (lat, lon) = (
        sql.arg(Arg::Float(near.origin.lat)),
        sql.arg(Arg::Float(near.origin.lon)),
    );
    let k = sql.arg(Arg::Float(geo::lon_scale(near.origin.lat)));
    let dist = format!(
        "((o.lat - {lat}) * (o.lat - {lat}) + (o.lon - {lon}) * {k} * (o.lon - {lon}) * {k})"
    );
    if let Some(r) = near.radius_m {
        let (min_lat, max_lat, min_lon, max_lon) = geo::bounding_box(near.origin, r);
        let b: Vec<String> = [min_lat, max_lat, min_lon, max_lon]
            .into_iter()
            .map(|v| sql.arg(Arg::Float(v)))
            .collect();
        let r2 = sql.arg(Arg::Float((r / METRES_PER_DEGREE).powi(2)));
        sql.text.push_str(&format!(
            " AND o.lat BETWEEN {} AND {} AND o.lon BETWEEN {} AND {} AND {dist} <= {r2}",
            b[0], b[1], b[2], b[3]
        ));
    }
    Some(dist)
}

impl Db {
    /// Public offers (published, by approved providers) that pass `f` on `today`: nearest first
    /// when a point is given (offers without a place last), else the best matches of the
    /// search words, else by title; a page of `per_page` and the total.
    pub async fn public_offers(
        &self,
        today: Date,
        f: &OfferFilter,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Found>, i64)> {
        let engine = self.engine();
        // The count first: it reads no distances and decides how the page is found.
        let mut count = Sql {
            text: "SELECT COUNT(*)".to_string(),
            args: Vec::new(),
        };
        matching(engine, today, f, &mut count, (KEYS_FROM, false));
        let total: i64 = on_db!(self, p => bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count.text.clone())), &count.args).fetch_one(p).await?);
        let skip = (page.max(1) - 1) * per_page;
        let rows = match f.near {
            _ if total <= skip => Vec::new(),
            // Nearest first among many: the page is looked for in growing circles around the
            // point, each a range of the place index, so the distance is worked out and sorted
            // only for the offers nearby. A circle that holds a full page holds the nearest ones:
            // everything outside it is farther away. Only when none does, every match is sorted.
            Some(near) if near.radius_m.is_none() && f.terms.is_empty() && total > RINGS_FROM => {
                let mut found = None;
                for r in RINGS_M {
                    let ringed = OfferFilter {
                        near: Some(Near {
                            radius_m: Some(r),
                            ..near
                        }),
                        ..f.clone()
                    };
                    let rows = self.page_rows(today, &ringed, skip, per_page).await?;
                    if rows.len() as i64 == per_page {
                        found = Some(rows);
                        break;
                    }
                }
                match found {
                    Some(rows) => rows,
                    None => self.page_rows(today, f, skip, per_page).await?,
                }
            }
            _ => self.page_rows(today, f, skip, per_page).await?,
        };
        let offers = self.complete(rows).await?;
        let found = offers
            .into_iter()
            .map(|offer| {
                let distance_m = match (f.near, offer.input.point) {
                    (Some(n), Some(at)) => Some(geo::distance_m(n.origin, at)),
                    _ => None,
                };
                Found { offer, distance_m }
            })
            .collect();
        Ok((found, total))
    }

    /// The rows of the list for `f`, in its order, `per_page` after the first `skip`.
    async fn page_rows(
        &self,
        today: Date,
        f: &OfferFilter,
        skip: i64,
        per_page: i64,
    ) -> Result<Vec<OfferRow>> {
        let engine = self.engine();
        if f.near.is_some() {
            return self.nearest_rows(today, f, skip, per_page).await;
        }
        let mut list = Sql {
            text: format!("SELECT {OFFER_COLUMNS}"),
            args: Vec::new(),
        };
        matching(engine, today, f, &mut list, (OFFER_FROM, true));
        list.text.push_str(if f.terms.is_empty() {
            " ORDER BY o.sort_key, o.id"
        } else {
            " ORDER BY h.rank, o.sort_key, o.id"
        });
        let (limit, offset) = (list.arg(Arg::Int(per_page)), list.arg(Arg::Int(skip)));
        list.text
            .push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
        let rows = on_db!(self, p => bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list.text.clone())), &list.args).fetch_all(p).await?);
        Ok(rows)
    }

    /// The rows of the list for `f` nearest first (offers without a place last), `per_page`
    /// after the first `skip`: the matches are sorted by their keys alone (the id, distance and
    /// title key, from the place index and the offer), and only the page's offers are read
    /// whole. Sorting whole rows was half the time of a postcode's first page over 50,000
    /// offers.
    async fn nearest_rows(
        &self,
        today: Date,
        f: &OfferFilter,
        skip: i64,
        per_page: i64,
    ) -> Result<Vec<OfferRow>> {
        let mut rest = Sql::default();
        // A point is given, so the distance is always there; without one nothing is near.
        let Some(d) = matching(self.engine(), today, f, &mut rest, (KEYS_FROM, true)) else {
            return Ok(Vec::new());
        };
        let (limit, offset) = (rest.arg(Arg::Int(per_page)), rest.arg(Arg::Int(skip)));
        let joins = OFFER_FROM.replacen(" FROM offers o", "", 1);
        let text = format!(
            "SELECT {OFFER_COLUMNS} FROM (SELECT o.id AS pid, CASE WHEN o.lat IS NULL THEN 1 ELSE 0 END AS nl, \
             {d} AS dd, o.sort_key AS sk{} ORDER BY nl, dd, sk, pid LIMIT {limit} OFFSET {offset}) p \
             JOIN offers o ON o.id = p.pid{joins} ORDER BY p.nl, p.dd, p.sk, p.pid",
            rest.text
        );
        let rows = on_db!(self, p => bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(text.clone())), &rest.args).fetch_all(p).await?);
        Ok(rows)
    }

    /// Public offers that pass `f` on `today`, by id, the first `limit` after offer `after`
    /// (0: from the start): the export reads the whole list in chunks, each found by the primary
    /// key where the last one ended, without `OFFSET` (which reads and throws away every row
    /// before the chunk) and without counting.
    pub async fn public_offers_after(
        &self,
        today: Date,
        f: &OfferFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Offer>> {
        let mut list = Sql {
            text: format!("SELECT {OFFER_COLUMNS}"),
            args: Vec::new(),
        };
        matching(self.engine(), today, f, &mut list, (OFFER_FROM, false));
        let (after, limit) = (list.arg(Arg::Int(after)), list.arg(Arg::Int(limit)));
        list.text
            .push_str(&format!(" AND o.id > {after} ORDER BY o.id LIMIT {limit}"));
        let rows: Vec<OfferRow> = on_db!(self, p => bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list.text.clone())), &list.args).fetch_all(p).await?);
        self.complete(rows).await
    }
}
