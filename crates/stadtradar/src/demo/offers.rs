//! The demo's offers: Musterstadt's districts with their postcodes, twelve providers (approved)
//! and their offers, dated relative to today, at places in the districts and linked to the
//! strategy's target groups and measures. Removed with the demo.

use domain::offers::geo::Point;
use domain::offers::recurrence::{Freq, Rule, Schedule, parse_clock};
use domain::offers::{Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput};
use std::collections::HashMap;
use time::Date;

const OFFERS: &str = include_str!("../../demo/offers.json");

/// The file; its `newsletter` is read by the newsletter's demo.
#[derive(serde::Deserialize)]
struct DemoOffers {
    districts: Vec<DemoDistrict>,
    providers: Vec<DemoProvider>,
    offers: Vec<DemoOffer>,
    roles: Vec<DemoRole>,
}

/// A volunteering role: what, when, how many, what it takes.
#[derive(serde::Deserialize)]
struct DemoRole {
    provider: String,
    title: String,
    description: String,
    when: String,
    needed: i64,
    requirements: String,
    /// The slug of its district in the file.
    district: String,
}

#[derive(serde::Deserialize)]
struct DemoDistrict {
    /// How providers name it in the file.
    slug: String,
    name: String,
    lat: f64,
    lon: f64,
    postcodes: Vec<DemoPostcode>,
}

#[derive(serde::Deserialize)]
struct DemoPostcode {
    code: String,
    lat: f64,
    lon: f64,
}

#[derive(serde::Deserialize)]
struct DemoProvider {
    /// How offers name it in the file.
    slug: String,
    name: String,
    description: String,
    email: String,
    phone: String,
    website: String,
    /// The slug of its district in the file.
    district: String,
}

#[derive(serde::Deserialize)]
struct DemoOffer {
    /// The slug of its provider in the file.
    provider: String,
    title: String,
    description: String,
    /// The category's address.
    category: String,
    /// Target groups of the strategy, by name.
    target_groups: Vec<String>,
    age_min: Option<i64>,
    age_max: Option<i64>,
    attendance: String,
    /// `None` for an offer online only.
    place: Option<DemoPlace>,
    online_url: String,
    capacity: Option<i64>,
    cost_cents: Option<i64>,
    cost_note: String,
    access: String,
    /// Keys of [`Accessibility::KEYS`].
    accessibility: Vec<String>,
    languages: Vec<String>,
    /// Measures of the strategy, by external id.
    measures: Vec<String>,
    schedules: Vec<DemoSchedule>,
}

#[derive(serde::Deserialize)]
struct DemoPlace {
    name: String,
    street: String,
    /// One of the demo's postcodes: it gives the offer its district.
    postcode: String,
    lat: f64,
    lon: f64,
}

#[derive(serde::Deserialize)]
struct DemoSchedule {
    /// Days from today (German local date); for a rule, the first date on or after it that
    /// the rule matches.
    first_in_days: i64,
    starts: String,
    ends: String,
    rule: Option<String>,
    except_in_days: Vec<i64>,
}

/// What [`offers`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OffersSummary {
    pub districts: usize,
    pub postcodes: usize,
    pub providers: usize,
    pub offers: usize,
    pub roles: usize,
}

/// Gives the demo its offers: the districts and postcodes of Musterstadt (districts and
/// postcodes the city keeps already are left as they are), its providers, approved, and their
/// offers, published. Every offer and schedule passes the rules a provider's must pass. Does
/// nothing when the demo's first provider is there already (a demo loaded again).
pub async fn offers(db: &store::Db) -> anyhow::Result<OffersSummary> {
    let demo: DemoOffers = serde_json::from_str(OFFERS)?;
    let mut summary = OffersSummary::default();
    match demo.providers.first() {
        Some(first) if !provider_exists(db, &first.name).await? => {}
        _ => return Ok(summary),
    }
    let now = time::OffsetDateTime::now_utc();
    let today = now
        .to_offset(domain::notifications::german_offset(now))
        .date();

    // Districts and postcodes, by their names in the file.
    let mut districts: HashMap<&str, i64> = HashMap::new();
    let known: HashMap<String, i64> = db
        .districts()
        .await?
        .into_iter()
        .map(|d| (d.name, d.id))
        .collect();
    for d in &demo.districts {
        let id = match known.get(d.name.trim()) {
            Some(id) => *id,
            None => {
                summary.districts += 1;
                db.save_district(None, &d.name, point(d.lat, d.lon)?, true)
                    .await?
            }
        };
        districts.insert(&d.slug, id);
        for p in &d.postcodes {
            anyhow::ensure!(
                domain::offers::geo::parse_postcode(&p.code).as_deref() == Some(p.code.as_str()),
                "demo postcode {:?} invalid",
                p.code
            );
            if db.postcode(&p.code).await?.is_none() {
                db.save_postcode(None, &p.code, Some(id), point(p.lat, p.lon)?, true)
                    .await?;
                summary.postcodes += 1;
            }
        }
    }

    let mut providers: HashMap<&str, i64> = HashMap::new();
    for p in &demo.providers {
        let district = districts.get(p.district.as_str()).copied().ok_or_else(|| {
            anyhow::anyhow!("demo provider {:?}: no district {:?}", p.name, p.district)
        })?;
        let input = ProviderInput {
            name: p.name.clone(),
            description: p.description.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            website: p.website.clone(),
            district_id: Some(district),
        };
        input
            .check()
            .map_err(|e| anyhow::anyhow!("demo provider {:?} invalid: {e:?}", p.name))?;
        let html = domain::text::markdown_to_safe_html(&input.description);
        let (id, _) = db.create_provider(None, &input, &html, true, true).await?;
        providers.insert(&p.slug, id);
        summary.providers += 1;
    }

    let categories = db.offer_categories().await?;
    let groups = db.topic_choices().await?.groups;
    for o in &demo.offers {
        let bad = |what: String| anyhow::anyhow!("demo offer {:?}: {what}", o.title);
        let provider = providers
            .get(o.provider.as_str())
            .copied()
            .ok_or_else(|| bad(format!("no provider {:?}", o.provider)))?;
        let category = categories
            .iter()
            .find(|c| c.slug == o.category)
            .ok_or_else(|| bad(format!("no category {:?}", o.category)))?;
        let mut accessibility = Accessibility::default();
        for key in &o.accessibility {
            if !accessibility.set(key) {
                return Err(bad(format!("accessibility {key:?}")));
            }
        }
        let (mut district_id, mut place) = (None, None);
        if let Some(at) = &o.place {
            let code = db
                .postcode(&at.postcode)
                .await?
                .ok_or_else(|| bad(format!("no postcode {:?}", at.postcode)))?;
            district_id = code.district_id;
            place = Some((at, point(at.lat, at.lon)?));
        }
        let input = OfferInput {
            title: o.title.clone(),
            description: o.description.clone(),
            category_id: category.id,
            age_min: o.age_min,
            age_max: o.age_max,
            attendance: Attendance::parse(&o.attendance)
                .ok_or_else(|| bad(format!("attendance {:?}", o.attendance)))?,
            place_name: place.map(|(p, _)| p.name.clone()).unwrap_or_default(),
            street: place.map(|(p, _)| p.street.clone()).unwrap_or_default(),
            postcode: place.map(|(p, _)| p.postcode.clone()).unwrap_or_default(),
            point: place.map(|(_, at)| at),
            online_url: o.online_url.clone(),
            capacity: o.capacity,
            cost_cents: o.cost_cents,
            cost_note: o.cost_note.clone(),
            access: Access::parse(&o.access)
                .ok_or_else(|| bad(format!("access {:?}", o.access)))?,
            accessibility,
            languages: o.languages.clone(),
            state: OfferState::Published,
        };
        input.check().map_err(|e| bad(format!("invalid: {e:?}")))?;
        let schedules = o
            .schedules
            .iter()
            .map(|s| schedule(today, s))
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(|e| bad(e.to_string()))?;
        anyhow::ensure!(
            !schedules.is_empty() && schedules.len() <= domain::offers::SCHEDULES_MAX,
            "demo offer {:?}: {} schedules",
            o.title,
            schedules.len()
        );
        // Lenient like the events: a strategy without some groups (the benchmark's generated
        // one) gets the links it can take.
        let group_ids: Vec<i64> = groups
            .iter()
            .filter(|g| o.target_groups.contains(&g.name))
            .map(|g| g.id)
            .collect();
        let measures = db.measure_ids_by_external(&o.measures).await?;
        let html = domain::text::markdown_to_safe_html(&input.description);
        let parts = store::offers::OfferParts {
            description_html: &html,
            schedules: &schedules,
            groups: &group_ids,
            measures: &measures,
            district_id,
        };
        db.create_offer(None, provider, &input, &parts, true)
            .await?;
        summary.offers += 1;
    }

    for r in &demo.roles {
        let bad = |what: String| anyhow::anyhow!("demo role {:?}: {what}", r.title);
        let provider = providers
            .get(r.provider.as_str())
            .copied()
            .ok_or_else(|| bad(format!("no provider {:?}", r.provider)))?;
        let input = domain::offers::volunteering::RoleInput {
            title: r.title.clone(),
            description: r.description.clone(),
            when: r.when.clone(),
            needed: r.needed,
            requirements: r.requirements.clone(),
            district_id: districts.get(r.district.as_str()).copied(),
            state: domain::offers::volunteering::RoleState::Open,
        };
        input.check().map_err(|e| bad(format!("invalid: {e:?}")))?;
        let html = domain::text::markdown_to_safe_html(&input.description);
        db.create_role(None, provider, &input, &html, true).await?;
        summary.roles += 1;
    }
    Ok(summary)
}

/// Whether a provider named `name` exists, in whatever state.
async fn provider_exists(db: &store::Db, name: &str) -> anyhow::Result<bool> {
    const PAGE: i64 = 200;
    let mut page = 1;
    loop {
        let (list, total) = db.providers_in(None, page, PAGE).await?;
        if list.iter().any(|p| p.input.name == name) {
            return Ok(true);
        }
        if list.is_empty() || page * PAGE >= total {
            return Ok(false);
        }
        page += 1;
    }
}

fn point(lat: f64, lon: f64) -> anyhow::Result<Point> {
    Point::new(lat, lon).ok_or_else(|| anyhow::anyhow!("demo coordinates {lat}, {lon} invalid"))
}

fn in_days(today: Date, days: i64) -> anyhow::Result<Date> {
    today
        .checked_add(time::Duration::days(days))
        .ok_or_else(|| anyhow::anyhow!("{days} days from {today}"))
}

/// A schedule of the file as of `today`, checked.
fn schedule(today: Date, s: &DemoSchedule) -> anyhow::Result<Schedule> {
    let clock = |v: &str| parse_clock(v).ok_or_else(|| anyhow::anyhow!("time {v:?}"));
    let rule = s
        .rule
        .as_deref()
        .map(Rule::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("rule {:?}: {e}", s.rule))?;
    let day = in_days(today, s.first_in_days)?;
    let first = match &rule {
        Some(rule) => first_match(rule, day)?,
        None => day,
    };
    let schedule = Schedule {
        first,
        starts: clock(&s.starts)?,
        ends: clock(&s.ends)?,
        rule,
        except: s
            .except_in_days
            .iter()
            .map(|d| in_days(today, *d))
            .collect::<anyhow::Result<_>>()?,
    };
    schedule
        .check()
        .map_err(|p| anyhow::anyhow!("schedule invalid: {p:?}"))?;
    Ok(schedule)
}

/// The first date on or after `day` that `rule` matches. RFC 5545 counts the first date as an
/// occurrence even when it does not match (see `domain::offers::recurrence`), so a rule that
/// names its days (weekdays, the n-th weekday or a day of the month) starts on one of them. A
/// rule that takes its day from the first date starts on `day`.
pub(super) fn first_match(rule: &Rule, day: Date) -> anyhow::Result<Date> {
    let names_its_days = match rule.freq {
        Freq::Daily => false,
        Freq::Weekly => !rule.by_day.is_empty(),
        Freq::Monthly => rule.nth.is_some() || rule.month_day.is_some(),
    };
    if !names_its_days {
        return Ok(day);
    }
    // Every matching date after the day before: the same days, every week or month, open-ended.
    let probe = Schedule {
        first: day
            .previous_day()
            .ok_or_else(|| anyhow::anyhow!("no day before {day}"))?,
        starts: time::Time::MIDNIGHT,
        ends: time::Time::MIDNIGHT,
        rule: Some(Rule {
            interval: 1,
            until: None,
            count: None,
            ..rule.clone()
        }),
        except: Vec::new(),
    };
    probe
        .dates(day, in_days(day, 400)?, 1)
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no date of {} after {day}", rule.to_rrule()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::offers::search::OfferFilter;

    #[test]
    fn a_rule_naming_its_days_starts_on_one_of_them() {
        use time::macros::date;
        // A Wednesday.
        let day = date!(2026 - 11 - 25);
        let rule = |r: &str| Rule::parse(r).unwrap();
        assert_eq!(
            first_match(&rule("FREQ=WEEKLY;BYDAY=WE"), day).unwrap(),
            day
        );
        assert_eq!(
            first_match(&rule("FREQ=WEEKLY;BYDAY=MO"), day).unwrap(),
            date!(2026 - 11 - 30)
        );
        assert_eq!(
            first_match(&rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,FR"), day).unwrap(),
            date!(2026 - 11 - 26)
        );
        assert_eq!(
            first_match(&rule("FREQ=MONTHLY;BYDAY=1SA"), day).unwrap(),
            date!(2026 - 12 - 05)
        );
        assert_eq!(
            first_match(&rule("FREQ=MONTHLY;BYDAY=-1SA"), day).unwrap(),
            date!(2026 - 11 - 28)
        );
        assert_eq!(
            first_match(&rule("FREQ=MONTHLY;BYMONTHDAY=3"), day).unwrap(),
            date!(2026 - 12 - 03)
        );
        assert_eq!(first_match(&rule("FREQ=DAILY"), day).unwrap(), day);
        assert_eq!(first_match(&rule("FREQ=WEEKLY"), day).unwrap(), day);
    }

    #[tokio::test]
    async fn the_demo_offers_load_once_and_go_with_the_demo() {
        let db = store::testing::sqlite().await;
        let (_, doc) = domain::import::parse(crate::demo::MUSTERSTADT.as_bytes()).unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap().unwrap();
        let file: DemoOffers = serde_json::from_str(OFFERS).unwrap();
        let loaded = offers(&db).await.unwrap();
        assert_eq!(
            loaded,
            OffersSummary {
                districts: 8,
                postcodes: 18,
                providers: 12,
                offers: 43,
                roles: 6
            }
        );
        assert_eq!(offers(&db).await.unwrap(), OffersSummary::default());
        let now = time::OffsetDateTime::now_utc();
        let today = now
            .to_offset(domain::notifications::german_offset(now))
            .date();
        let (list, total) = db
            .public_offers(today, &OfferFilter::default(), 1, 100)
            .await
            .unwrap();
        assert_eq!(total, 43);
        let providers: std::collections::BTreeSet<i64> =
            list.iter().map(|f| f.offer.provider_id).collect();
        assert_eq!(providers.len(), 12);
        assert_eq!(db.public_providers(1, 100).await.unwrap().1, 12);
        let horizon = today + time::Duration::days(90);
        for f in &list {
            let o = &f.offer;
            // Each has a date to come, and each recurring schedule starts on a date it matches.
            let coming: usize = o
                .schedules
                .iter()
                .map(|s| s.dates(today, horizon, 1).len())
                .sum();
            assert!(coming > 0, "{} has no date to come", o.input.title);
            for s in &o.schedules {
                let Some(rule) = &s.rule else { continue };
                let weekday = domain::offers::weekday_bit(s.first.weekday());
                let nth_fits = match rule.nth {
                    Some(-1) => s.first.day() + 7 > s.first.month().length(s.first.year()),
                    Some(n) => (s.first.day() - 1) / 7 + 1 == n as u8,
                    None => true,
                };
                assert!(
                    domain::offers::schedule_weekdays(s) & weekday != 0 && nth_fits,
                    "{}: {} is no date of {}",
                    o.input.title,
                    s.first,
                    rule.to_rrule()
                );
            }
            // On-site offers lie in a district; each is linked to every measure and target
            // group the file names for it.
            assert_eq!(
                o.district.is_some(),
                o.input.point.is_some(),
                "{}",
                o.input.title
            );
            let links = db.offer_links(o.id).await.unwrap();
            let named = file
                .offers
                .iter()
                .find(|d| d.title == o.input.title)
                .unwrap();
            assert_eq!(
                (links.measures.len(), links.groups.len()),
                (named.measures.len(), named.target_groups.len()),
                "{}",
                o.input.title
            );
        }
        assert_eq!(db.districts().await.unwrap().len(), 8);
        db.remove_demo(None).await.unwrap().unwrap();
        assert_eq!(
            db.public_offers(today, &OfferFilter::default(), 1, 100)
                .await
                .unwrap()
                .1,
            0,
            "the demo's offers went with it"
        );
        assert_eq!(db.providers_in(None, 1, 10).await.unwrap().1, 0);
        assert!(db.districts().await.unwrap().is_empty());
        assert!(db.postcodes().await.unwrap().is_empty());
    }
}
