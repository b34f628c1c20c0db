//! Offers, storage side: providers and their offers with schedules, languages, target groups
//! and measures; what the city keeps for them (categories, districts, postcodes); the public
//! list with its filters and distances. Every write is audited and publishes `offers` (every
//! list), the offer's and its provider's tags and those of the measures it is (or was) linked
//! to, after its commit.

pub mod logos;
pub mod places;
pub mod providers;
pub mod requests;
pub mod search;
pub mod volunteering;

use crate::{Db, Result, StoreError, on_db};
use domain::offers::geo::Point;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::{
    Access, Accessibility, Attendance, OfferInput, OfferState, ProviderState, schedule_last,
    schedule_weekdays,
};
use domain::tags::{
    OFFERS as TAG, OFFERS_DETAIL, measure as measure_tag, offer as offer_tag,
    provider as provider_tag,
};
use time::{Date, OffsetDateTime, Time};

pub use crate::programme::topics::Topic;

/// Renews the search words of offer `$id` from its texts and the names it shows (its
/// provider, category and district), inside transaction `$tx`.
macro_rules! renew_search_text {
    ($tx:ident, $id:expr) => {{
        let id: i64 = $id;
        let texts: Option<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT o.title, o.description, o.place_name, v.name, c.name, d.name FROM offers o \
             JOIN providers v ON v.id = o.provider_id JOIN offer_categories c ON c.id = o.category_id \
             LEFT JOIN districts d ON d.id = o.district_id WHERE o.id = $1",
        ).bind(id).fetch_optional(&mut *$tx).await?;
        if let Some((title, description, place, provider, category, district)) = texts {
            let search = domain::text::search_document(&[
                &title, &description, &provider, &category, &place, district.as_deref().unwrap_or(""),
            ]);
            sqlx::query("UPDATE offers SET search_text = $2 WHERE id = $1").bind(id).bind(&search).execute(&mut *$tx).await?;
        }
    }};
}
pub(crate) use renew_search_text;

/// Writes an offer's fields and replaces its schedules, languages, target groups and measures,
/// inside transaction `$tx`.
macro_rules! write_offer {
    ($tx:ident, $id:expr, $o:expr, $parts:expr, $now:expr) => {{
        let (id, o, parts): (i64, &OfferInput, &OfferParts<'_>) = ($id, $o, $parts);
        sqlx::query(
            "UPDATE offers SET sort_key = $2, description = $3, description_html = $4, age_min = $5, age_max = $6, \
             place_name = $7, street = $8, postcode = $9, lat = $10, lon = $11, district_id = (SELECT id FROM districts WHERE id = $12), \
             online_url = $13, capacity = $14, cost_cents = $15, cost_note = $16, step_free = $17, hearing_loop = $18, \
             sign_language = $19, easy_language = $20, state = $21 WHERE id = $1",
        )
        .bind(id).bind(domain::text::sort_key(&o.title)).bind(o.description.trim()).bind(parts.description_html)
        .bind(o.age_min).bind(o.age_max).bind(o.place_name.trim()).bind(o.street.trim()).bind(o.postcode.trim())
        .bind(o.point.map(|p| p.lat)).bind(o.point.map(|p| p.lon)).bind(parts.district_id).bind(o.online_url.trim())
        .bind(o.capacity).bind(o.cost_cents).bind(o.cost_note.trim()).bind(o.accessibility.step_free)
        .bind(o.accessibility.hearing_loop).bind(o.accessibility.sign_language).bind(o.accessibility.easy_language)
        .bind(o.state.as_str())
        .execute(&mut *$tx).await?;
        renew_search_text!($tx, id);
        sqlx::query("DELETE FROM offer_schedules WHERE offer_id = $1").bind(id).execute(&mut *$tx).await?;
        for (i, s) in parts.schedules.iter().enumerate() {
            let except = s.except.iter().map(|d| domain::dates::iso(*d)).collect::<Vec<_>>().join(",");
            sqlx::query(
                "INSERT INTO offer_schedules (offer_id, position, first_on, starts, ends, rrule, except_dates, weekdays, start_minute, last_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id).bind(i as i64).bind(s.first).bind(clock_text(s.starts)).bind(clock_text(s.ends))
            .bind(s.rule.as_ref().map(Rule::to_rrule)).bind(except).bind(i64::from(schedule_weekdays(s)))
            .bind(i64::from(s.starts.hour()) * 60 + i64::from(s.starts.minute())).bind(schedule_last(s))
            .execute(&mut *$tx).await?;
        }
        sqlx::query("DELETE FROM offer_languages WHERE offer_id = $1").bind(id).execute(&mut *$tx).await?;
        for l in &o.languages {
            sqlx::query("INSERT INTO offer_languages (offer_id, lang) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id).bind(l).execute(&mut *$tx).await?;
        }
        sqlx::query("DELETE FROM offer_target_groups WHERE offer_id = $1").bind(id).execute(&mut *$tx).await?;
        for g in parts.groups {
            sqlx::query("INSERT INTO offer_target_groups (offer_id, target_group_id) SELECT $1, id FROM target_groups WHERE id = $2 \
                         ON CONFLICT DO NOTHING")
                .bind(id).bind(g).execute(&mut *$tx).await?;
        }
        sqlx::query("DELETE FROM offer_measures WHERE offer_id = $1").bind(id).execute(&mut *$tx).await?;
        for m in parts.measures {
            sqlx::query("INSERT INTO offer_measures (offer_id, measure_id) SELECT $1, id FROM measures WHERE id = $2 \
                         ON CONFLICT DO NOTHING")
                .bind(id).bind(m).execute(&mut *$tx).await?;
        }
        let _ = $now;
    }};
}

/// Offer `$id`'s "list face" in transaction `$tx`: everything a list shows of it on its card
/// (title, category, place and district, online, ages, cost, access, accessibility, dates) or
/// decides by where it is listed (the filters: target groups, languages, postcode, coordinates,
/// state). A save that leaves it alone cannot change a list without words, so it drops only the
/// offer's own pages and the word searches and open data (`domain::tags::OFFERS_DETAIL`).
macro_rules! list_face {
    ($tx:ident, $id:expr) => {{
        let id: i64 = $id;
        let mut face: Vec<String> = sqlx::query_scalar(
            "SELECT title || '|' || CAST(category_id AS TEXT) || '|' || COALESCE(CAST(age_min AS TEXT), '-') || '|' \
             || COALESCE(CAST(age_max AS TEXT), '-') || '|' || attendance || '|' || access || '|' || place_name || '|' \
             || postcode || '|' || COALESCE(CAST(lat AS TEXT), '-') || '|' || COALESCE(CAST(lon AS TEXT), '-') || '|' \
             || COALESCE(CAST(district_id AS TEXT), '-') || '|' || COALESCE(CAST(cost_cents AS TEXT), '-') || '|' \
             || CAST(step_free AS TEXT) || CAST(hearing_loop AS TEXT) || CAST(sign_language AS TEXT) \
             || CAST(easy_language AS TEXT) || '|' || state FROM offers WHERE id = $1",
        )
        .bind(id).fetch_all(&mut *$tx).await?;
        face.extend(sqlx::query_scalar::<_, String>(
            "SELECT CAST(first_on AS TEXT) || '|' || starts || '|' || ends || '|' || COALESCE(rrule, '-') || '|' \
             || except_dates || '|' || COALESCE(CAST(last_on AS TEXT), '-') FROM offer_schedules WHERE offer_id = $1 ORDER BY position",
        )
        .bind(id).fetch_all(&mut *$tx).await?);
        face.extend(sqlx::query_scalar::<_, String>(
            "SELECT 'lang:' || lang FROM offer_languages WHERE offer_id = $1 ORDER BY lang",
        )
        .bind(id).fetch_all(&mut *$tx).await?);
        face.extend(sqlx::query_scalar::<_, String>(
            "SELECT 'group:' || CAST(target_group_id AS TEXT) FROM offer_target_groups WHERE offer_id = $1 ORDER BY target_group_id",
        )
        .bind(id).fetch_all(&mut *$tx).await?);
        face
    }};
}

// After the macros above, which it uses.
pub mod bulk;

/// An offer as its page, the lists and the back office show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub id: i64,
    pub slug: String,
    pub provider_id: i64,
    pub provider_slug: String,
    pub provider_name: String,
    pub provider_state: ProviderState,
    pub input: OfferInput,
    pub description_html: String,
    pub category: places::Category,
    pub district: Option<String>,
    pub schedules: Vec<Schedule>,
    pub updated_at: OffsetDateTime,
}

impl Offer {
    /// Whether the public sees it: published, by an approved provider.
    pub fn is_public(&self) -> bool {
        self.input.state == OfferState::Published && self.provider_state == ProviderState::Approved
    }
}

/// What an offer is linked to beyond itself: the target groups it is for and the measures of
/// the strategy it serves (id, slug, title).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub groups: Vec<Topic>,
    pub measures: Vec<(i64, String, String)>,
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    slug: String,
    provider_id: i64,
    provider_slug: String,
    provider_name: String,
    provider_state: String,
    title: String,
    description: String,
    description_html: String,
    category_id: i64,
    category_slug: String,
    category_name: String,
    age_min: Option<i64>,
    age_max: Option<i64>,
    attendance: String,
    place_name: String,
    street: String,
    postcode: String,
    lat: Option<f64>,
    lon: Option<f64>,
    district: Option<String>,
    online_url: String,
    capacity: Option<i64>,
    cost_cents: Option<i64>,
    cost_note: String,
    access: String,
    step_free: bool,
    hearing_loop: bool,
    sign_language: bool,
    easy_language: bool,
    state: String,
    updated_at: OffsetDateTime,
}

pub(crate) const OFFER_COLUMNS: &str = "o.id, o.slug, o.provider_id, v.slug AS provider_slug, v.name AS provider_name, \
     v.state AS provider_state, o.title, o.description, o.description_html, o.category_id, c.slug AS category_slug, \
     c.name AS category_name, o.age_min, o.age_max, o.attendance, o.place_name, o.street, o.postcode, o.lat, o.lon, \
     d.name AS district, o.online_url, o.capacity, o.cost_cents, o.cost_note, o.access, o.step_free, o.hearing_loop, \
     o.sign_language, o.easy_language, o.state, o.updated_at";

pub(crate) const OFFER_FROM: &str = " FROM offers o JOIN providers v ON v.id = o.provider_id \
     JOIN offer_categories c ON c.id = o.category_id LEFT JOIN districts d ON d.id = o.district_id";

fn offer_of(r: OfferRow, languages: Vec<String>, schedules: Vec<Schedule>) -> Result<Offer> {
    let bad = |what: &str, v: &str| StoreError::Invalid(format!("offer {}: {what} {v:?}", r.id));
    let point = match (r.lat, r.lon) {
        (Some(lat), Some(lon)) => Some(Point::new(lat, lon).ok_or_else(|| bad("coordinates", ""))?),
        _ => None,
    };
    Ok(Offer {
        id: r.id,
        slug: r.slug.clone(),
        provider_id: r.provider_id,
        provider_slug: r.provider_slug.clone(),
        provider_name: r.provider_name.clone(),
        provider_state: ProviderState::parse(&r.provider_state)
            .ok_or_else(|| bad("provider state", &r.provider_state))?,
        input: OfferInput {
            title: r.title.clone(),
            description: r.description.clone(),
            category_id: r.category_id,
            age_min: r.age_min,
            age_max: r.age_max,
            attendance: Attendance::parse(&r.attendance)
                .ok_or_else(|| bad("attendance", &r.attendance))?,
            place_name: r.place_name.clone(),
            street: r.street.clone(),
            postcode: r.postcode.clone(),
            point,
            online_url: r.online_url.clone(),
            capacity: r.capacity,
            cost_cents: r.cost_cents,
            cost_note: r.cost_note.clone(),
            access: Access::parse(&r.access).ok_or_else(|| bad("access", &r.access))?,
            accessibility: Accessibility {
                step_free: r.step_free,
                hearing_loop: r.hearing_loop,
                sign_language: r.sign_language,
                easy_language: r.easy_language,
            },
            languages,
            state: OfferState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
        },
        description_html: r.description_html.clone(),
        category: places::Category {
            id: r.category_id,
            slug: r.category_slug.clone(),
            name: r.category_name.clone(),
        },
        district: r.district.clone(),
        schedules,
        updated_at: r.updated_at,
    })
}

#[derive(sqlx::FromRow)]
struct ScheduleRow {
    offer_id: i64,
    first_on: Date,
    starts: String,
    ends: String,
    rrule: Option<String>,
    except_dates: String,
}

fn schedule_of(r: &ScheduleRow) -> Result<Schedule> {
    let bad = |what: &str| StoreError::Invalid(format!("offer {}: schedule {what}", r.offer_id));
    let clock = |v: &str| domain::offers::recurrence::parse_clock(v).ok_or_else(|| bad("time"));
    Ok(Schedule {
        first: r.first_on,
        starts: clock(&r.starts)?,
        ends: clock(&r.ends)?,
        rule: r
            .rrule
            .as_deref()
            .map(Rule::parse)
            .transpose()
            .map_err(|_| bad("rule"))?,
        except: if r.except_dates.is_empty() {
            Vec::new()
        } else {
            domain::offers::recurrence::parse_exceptions(&r.except_dates)
                .map_err(|_| bad("exceptions"))?
        },
    })
}

fn clock_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// What an offer is saved with beside its own fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferParts<'a> {
    pub description_html: &'a str,
    pub schedules: &'a [Schedule],
    /// Target group ids (checked by the caller).
    pub groups: &'a [i64],
    /// Measure ids (checked by the caller).
    pub measures: &'a [i64],
    /// The district the place lies in (from its postcode).
    pub district_id: Option<i64>,
}

impl Db {
    /// Creates an offer of provider `provider_id` (checked by the caller with
    /// [`OfferInput::check`]); its id and slug. Audited as `offer.create` by `actor`.
    pub async fn create_offer(
        &self,
        actor: Option<i64>,
        provider_id: i64,
        o: &OfferInput,
        parts: &OfferParts<'_>,
        demo: bool,
    ) -> Result<(i64, String)> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM offers WHERE slug LIKE $1 ESCAPE '\\'")
                .bind(slug_pattern(&o.title)).fetch_all(&mut *tx).await?;
            // The addresses of the list's calendar are not an offer's.
            taken.extend(RESERVED.iter().map(|r| r.to_string()));
            let slug = free_slug(&o.title, "angebot", &taken);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO offers (slug, provider_id, title, category_id, attendance, access, demo, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(&slug).bind(provider_id).bind(o.title.trim()).bind(o.category_id).bind(o.attendance.as_str())
            .bind(o.access.as_str()).bind(demo).bind(actor).bind(now)
            .fetch_one(&mut *tx).await?;
            write_offer!(tx, id, o, parts, now);
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("offer.create").bind("offer").bind(id)
                .bind(None::<String>).bind(o.title.trim()).execute(&mut *tx).await?;
            let mut tags = vec![TAG.to_string(), OFFERS_DETAIL.to_string(), offer_tag(id), provider_tag(provider_id)];
            tags.extend(parts.measures.iter().map(|m| measure_tag(*m)));
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
            Ok::<_, StoreError>((id, slug))
        })
    }

    /// Saves offer `id` of provider `provider_id` (checked by the caller); `false` when that
    /// provider has no such offer. Audited as `offer.update` with the old and new title; the
    /// measures it was and is linked to show it or no longer.
    pub async fn update_offer(
        &self,
        actor: i64,
        provider_id: i64,
        id: i64,
        o: &OfferInput,
        parts: &OfferParts<'_>,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT title FROM offers WHERE id = $1 AND provider_id = $2")
                .bind(id).bind(provider_id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            let old_measures: Vec<i64> = sqlx::query_scalar("SELECT measure_id FROM offer_measures WHERE offer_id = $1")
                .bind(id).fetch_all(&mut *tx).await?;
            let face_before = list_face!(tx, id);
            sqlx::query("UPDATE offers SET title = $2, category_id = $3, attendance = $4, access = $5, version = version + 1, \
                         updated_at = $6 WHERE id = $1")
                .bind(id).bind(o.title.trim()).bind(o.category_id).bind(o.attendance.as_str()).bind(o.access.as_str()).bind(now)
                .execute(&mut *tx).await?;
            write_offer!(tx, id, o, parts, now);
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("offer.update").bind("offer").bind(id)
                .bind(Some(before)).bind(o.title.trim()).execute(&mut *tx).await?;
            let mut tags = vec![OFFERS_DETAIL.to_string(), offer_tag(id), provider_tag(provider_id)];
            if list_face!(tx, id) != face_before {
                tags.push(TAG.to_string());
            }
            tags.extend(parts.measures.iter().chain(&old_measures).map(|m| measure_tag(*m)));
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Offer `id`, whatever its state and its provider's (the back office; the caller checks
    /// who may see it).
    pub async fn offer_by_id(&self, id: i64) -> Result<Option<Offer>> {
        let sql = format!("SELECT {OFFER_COLUMNS}{OFFER_FROM} WHERE o.id = $1");
        let row: Option<OfferRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        let Some(row) = row else { return Ok(None) };
        Ok(self.complete(vec![row]).await?.pop())
    }

    /// The public offer with address `slug` (published, by an approved provider).
    pub async fn public_offer(&self, slug: &str) -> Result<Option<Offer>> {
        let sql = format!(
            "SELECT {OFFER_COLUMNS}{OFFER_FROM} WHERE o.slug = $1 AND o.state = 'published' AND v.state = 'approved'"
        );
        let row: Option<OfferRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slug).fetch_optional(p).await?);
        let Some(row) = row else { return Ok(None) };
        Ok(self.complete(vec![row]).await?.pop())
    }

    /// The offers of provider `provider_id`, drafts and archived ones included when `all`,
    /// by title; a page of `per_page` and the total.
    pub async fn provider_offers(
        &self,
        provider_id: i64,
        all: bool,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Offer>, i64)> {
        let sql = format!(
            "SELECT {OFFER_COLUMNS}{OFFER_FROM} WHERE o.provider_id = $1 AND ($2 OR o.state = 'published') \
             ORDER BY o.sort_key, o.id LIMIT $3 OFFSET $4"
        );
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total): (Vec<OfferRow>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(provider_id).bind(all).bind(per_page).bind(offset)
                .fetch_all(p).await?;
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM offers o WHERE o.provider_id = $1 AND ($2 OR o.state = 'published')")
                .bind(provider_id).bind(all).fetch_one(p).await?;
            (rows, total)
        });
        Ok((self.complete(rows).await?, total))
    }

    /// The target groups and measures of offer `id`, in one query.
    pub async fn offer_links(&self, id: i64) -> Result<Links> {
        let rows: Vec<(String, i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT 'g', g.id, g.slug, g.name FROM offer_target_groups x JOIN target_groups g ON g.id = x.target_group_id \
             WHERE x.offer_id = $1 \
             UNION ALL SELECT 'm', m.id, m.slug, m.title FROM offer_measures x JOIN measures m ON m.id = x.measure_id \
             WHERE x.offer_id = $1 AND m.state = 'published'"
        ).bind(id).fetch_all(p).await?);
        let mut links = Links::default();
        for (kind, id, slug, name) in rows {
            if kind == "g" {
                links.groups.push(Topic { id, slug, name });
            } else {
                links.measures.push((id, slug, name));
            }
        }
        links.groups.sort_by(|a, b| a.name.cmp(&b.name));
        links.measures.sort_by(|a, b| a.2.cmp(&b.2));
        Ok(links)
    }

    /// The target groups and measures of each of `ids`, in one query: a list's offers without
    /// a query per offer. Offers without links have none in the map.
    pub async fn offers_links(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Links>> {
        let mut out: std::collections::HashMap<i64, Links> = std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        // The ids are numbers, not input text.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT x.offer_id, 'g', g.id, g.slug, g.name FROM offer_target_groups x JOIN target_groups g ON g.id = x.target_group_id \
             WHERE x.offer_id IN ({list}) \
             UNION ALL SELECT x.offer_id, 'm', m.id, m.slug, m.title FROM offer_measures x JOIN measures m ON m.id = x.measure_id \
             WHERE x.offer_id IN ({list}) AND m.state = 'published'"
        );
        let rows: Vec<(i64, String, i64, String, String)> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(p).await?);
        for (offer, kind, id, slug, name) in rows {
            let links = out.entry(offer).or_default();
            if kind == "g" {
                links.groups.push(Topic { id, slug, name });
            } else {
                links.measures.push((id, slug, name));
            }
        }
        for links in out.values_mut() {
            links.groups.sort_by(|a, b| a.name.cmp(&b.name));
            links.measures.sort_by(|a, b| a.2.cmp(&b.2));
        }
        Ok(out)
    }

    /// The public offers linked to measure `measure_id` (its page lists them), by title, at
    /// most `limit`.
    pub async fn offers_of_measure(
        &self,
        measure_id: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        Ok(on_db!(self, p => sqlx::query_as(
            "SELECT o.slug, o.title FROM offer_measures x JOIN offers o ON o.id = x.offer_id \
             JOIN providers v ON v.id = o.provider_id \
             WHERE x.measure_id = $1 AND o.state = 'published' AND v.state = 'approved' ORDER BY o.sort_key, o.id LIMIT $2"
        ).bind(measure_id).bind(limit).fetch_all(p).await?))
    }

    /// Rows with their languages and schedules: two more queries for any number of offers.
    async fn complete(&self, rows: Vec<OfferRow>) -> Result<Vec<Offer>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        // The ids are numbers from the database, not input.
        let langs_sql = format!(
            "SELECT offer_id, lang FROM offer_languages WHERE offer_id IN ({list}) ORDER BY offer_id, lang"
        );
        let sched_sql = format!(
            "SELECT offer_id, first_on, starts, ends, rrule, except_dates FROM offer_schedules \
             WHERE offer_id IN ({list}) ORDER BY offer_id, position, id"
        );
        let (langs, scheds): (Vec<(i64, String)>, Vec<ScheduleRow>) = on_db!(self, p => (
            sqlx::query_as(sqlx::AssertSqlSafe(langs_sql)).fetch_all(p).await?,
            sqlx::query_as(sqlx::AssertSqlSafe(sched_sql)).fetch_all(p).await?,
        ));
        let mut by_lang: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for (id, lang) in langs {
            by_lang.entry(id).or_default().push(lang);
        }
        let mut by_sched: std::collections::HashMap<i64, Vec<Schedule>> =
            std::collections::HashMap::new();
        for s in &scheds {
            by_sched
                .entry(s.offer_id)
                .or_default()
                .push(schedule_of(s)?);
        }
        rows.into_iter()
            .map(|r| {
                let (l, s) = (
                    by_lang.remove(&r.id).unwrap_or_default(),
                    by_sched.remove(&r.id).unwrap_or_default(),
                );
                offer_of(r, l, s)
            })
            .collect()
    }
}

/// Addresses under `/angebote/` that pages of the list have.
const RESERVED: [&str; 2] = ["kalender", "kalender.ics"];

/// A slug from `title` that none of `taken` has.
pub(crate) fn free_slug(title: &str, fallback: &str, taken: &[String]) -> String {
    crate::programme::free_slug(title, fallback, taken)
}

/// `LIKE` pattern of the slugs that start with `slugify(title)` (escaped).
pub(crate) fn slug_pattern(title: &str) -> String {
    crate::programme::slug_pattern(title)
}
