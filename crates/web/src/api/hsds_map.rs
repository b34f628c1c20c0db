//! Offers and providers as HSDS 3.0 objects (see `hsds.rs`). An offer is a `service` of its
//! provider's `organization`; its place is a physical `location` with its `address` and the
//! `accessibility` it has (HSDS keeps accessibility on the location), its online room a
//! virtual one, each joined to the service by a `service_at_location`. Each schedule becomes
//! an HSDS `schedule`: `freq`, `byday`, `bymonthday`, `interval`, `until`, `count` as far as
//! HSDS can say them (it knows WEEKLY and MONTHLY only: a daily rule is a weekly one on every
//! day, every second or third day has no `freq`), wall-clock `opens_at`/`closes_at` with the
//! offset of German time on the next date, and the whole rule as iCalendar lines in `notes`.
//! Ages are the service's `minimum_age`/`maximum_age`; the category and target groups are
//! taxonomy terms linked by `attributes`; the cost is a `cost_option` in euros. Fields without
//! a value are left out (HSDS allows no `null`).

use super::hsds::{Kind, n, uuid};
use crate::AppState;
use crate::i18n::Tr;
use crate::offers::{HORIZON_DAYS, ages_label, cost_label, language_name};
use domain::dates::iso;
use domain::offers::recurrence::{Freq, Schedule};
use domain::offers::{Accessibility, Attendance, schedule_last};
use serde_json::{Map, Value, json};
use store::offers::providers::Provider;
use store::offers::{Links, Offer};
use time::{Date, Time, UtcOffset, Weekday};

/// An object of the given fields, without those that have no value.
fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

fn some(v: impl Into<Value>) -> Option<Value> {
    Some(v.into())
}

/// A text, or nothing when it is empty.
fn text(v: &str) -> Option<Value> {
    let v = v.trim();
    (!v.is_empty()).then(|| Value::from(v))
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    super::comments::rfc3339(at)
}

/// What a service costs, in words: `15,00 € (Kursgebühr)`, `kostenlos`.
fn fees(t: &Tr, o: &Offer) -> String {
    let cost = cost_label(t, o.input.cost_cents);
    match o.input.cost_note.trim() {
        "" => cost,
        note => format!("{cost} ({note})"),
    }
}

/// The one-to-one fields of an offer as an HSDS service (the items of `/services`).
pub(crate) fn service_item(state: &AppState, base: &str, t: &Tr, o: &Offer) -> Value {
    let p = &o.input;
    object(vec![
        ("id", some(uuid(base, Kind::Service, n(o.id)))),
        (
            "organization_id",
            some(uuid(base, Kind::Organization, n(o.provider_id))),
        ),
        ("name", some(p.title.clone())),
        ("description", some(p.description.clone())),
        ("url", some(state.url(&format!("/angebote/{}", o.slug)))),
        ("status", some("active")),
        (
            "application_process",
            some(t.get(&format!("offers-access-{}-long", p.access.as_str()))),
        ),
        ("fees_description", some(fees(t, o))),
        (
            "eligibility_description",
            ages_label(t, p.age_min, p.age_max).map(Value::from),
        ),
        ("minimum_age", p.age_min.map(Value::from)),
        ("maximum_age", p.age_max.map(Value::from)),
        ("last_modified", some(rfc3339(o.updated_at))),
    ])
}

/// An offer as a full HSDS service: its organization, locations, schedules, languages, cost
/// and taxonomy terms. `city` is the city's name (the addresses' `city`).
#[expect(clippy::too_many_arguments)]
pub(crate) fn service(
    state: &AppState,
    base: &str,
    t: &Tr,
    o: &Offer,
    provider: &Provider,
    links: &Links,
    city: &str,
    day: Date,
) -> Value {
    let id = uuid(base, Kind::Service, n(o.id));
    let mut s = service_item(state, base, t, o);
    let extra = object(vec![
        ("email", text(&provider.input.email)),
        ("organization", some(organization_item(base, provider))),
        ("schedules", some(schedules(base, t, o, &id, day))),
        (
            "service_at_locations",
            some(service_at_locations(base, t, o, &id, city)),
        ),
        (
            "languages",
            some(
                o.input
                    .languages
                    .iter()
                    .enumerate()
                    .map(|(i, code)| {
                        json!({
                            "id": uuid(base, Kind::Language, n(o.id) * 16 + i as u64),
                            "service_id": id,
                            "name": language_name(t, code),
                            "code": code,
                        })
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        ("cost_options", some(vec![cost_option(base, t, o, &id)])),
        ("attributes", some(attributes(base, t, o, links, &id))),
    ]);
    if let (Value::Object(s), Value::Object(extra)) = (&mut s, extra) {
        s.extend(extra);
    }
    s
}

fn cost_option(base: &str, t: &Tr, o: &Offer, service_id: &str) -> Value {
    let cents = o.input.cost_cents.filter(|c| *c > 0).unwrap_or(0);
    object(vec![
        ("id", some(uuid(base, Kind::CostOption, n(o.id)))),
        ("service_id", some(service_id)),
        (
            "option",
            (cents == 0).then(|| Value::from(t.get("offers-free"))),
        ),
        ("currency", some("EUR")),
        ("amount", some(cents as f64 / 100.0)),
        ("amount_description", text(&o.input.cost_note)),
    ])
}

/// The category and the target groups as taxonomy terms linked to the service.
fn attributes(base: &str, t: &Tr, o: &Offer, links: &Links, service_id: &str) -> Vec<Value> {
    let term = |kind: Kind, taxonomy: u64, id: i64, slug: &str, name: &str| {
        let (key, term_id) = match kind {
            Kind::Category => ("offers-filter-category", uuid(base, kind, n(id))),
            _ => ("offers-filter-group", uuid(base, kind, n(id))),
        };
        let taxonomy_id = uuid(base, Kind::Taxonomy, taxonomy);
        json!({
            "id": term_id,
            "code": slug,
            "name": name,
            "description": name,
            "language": "de",
            "taxonomy_id": taxonomy_id,
            "taxonomy_detail": { "id": taxonomy_id, "name": t.get(key), "description": t.get(key) },
        })
    };
    let mut terms = vec![(
        "category",
        term(
            Kind::Category,
            1,
            o.category.id,
            &o.category.slug,
            &o.category.name,
        ),
    )];
    terms.extend(links.groups.iter().map(|g| {
        (
            "target_group",
            term(Kind::TargetGroup, 2, g.id, &g.slug, &g.name),
        )
    }));
    terms
        .into_iter()
        .take(256)
        .enumerate()
        .map(|(i, (link_type, term))| {
            json!({
                "id": uuid(base, Kind::Attribute, n(o.id) * 256 + i as u64),
                "link_id": service_id,
                "link_type": link_type,
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            })
        })
        .collect()
}

/// The offer's place (physical, with its address) and online room (virtual), each with the
/// accessibility features that belong there, joined to the service.
fn service_at_locations(base: &str, t: &Tr, o: &Offer, service_id: &str, city: &str) -> Vec<Value> {
    let p = &o.input;
    let org = uuid(base, Kind::Organization, n(o.provider_id));
    let features = |number: u64, keys: &[&str]| {
        Accessibility::KEYS
            .iter()
            .enumerate()
            .filter(|(_, k)| keys.contains(k) && p.accessibility.has(k))
            .map(|(i, k)| {
                json!({
                    "id": uuid(base, Kind::Accessibility, number * 4 + i as u64),
                    "location_id": uuid(base, Kind::Location, number),
                    "description": t.get(&format!("offers-feature-{k}")),
                    "details": k,
                })
            })
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    if p.attendance != Attendance::Online && (!p.place_name.is_empty() || p.point.is_some()) {
        let number = n(o.id) * 2;
        let location_id = uuid(base, Kind::Location, number);
        let address = (!p.street.is_empty() || !p.postcode.is_empty()).then(|| {
            let line = if p.street.is_empty() {
                &p.place_name
            } else {
                &p.street
            };
            vec![object(vec![
                ("id", some(uuid(base, Kind::Address, n(o.id)))),
                ("location_id", some(location_id.clone())),
                ("address_1", some(line.clone())),
                ("city", some(city)),
                ("region", o.district.as_deref().map(Value::from)),
                // Not kept: the city's federal state.
                ("state_province", some("")),
                ("postal_code", some(p.postcode.clone())),
                ("country", some("DE")),
                ("address_type", some("physical")),
            ])]
        });
        let location = object(vec![
            ("id", some(location_id.clone())),
            ("location_type", some("physical")),
            ("organization_id", some(org.clone())),
            ("name", text(&p.place_name)),
            ("latitude", p.point.map(|at| Value::from(at.lat))),
            ("longitude", p.point.map(|at| Value::from(at.lon))),
            ("addresses", address.map(Value::from)),
            (
                "accessibility",
                some(features(number, &Accessibility::KEYS)),
            ),
        ]);
        out.push((number, location_id, location));
    }
    if p.attendance != Attendance::InPerson && !p.online_url.is_empty() {
        let number = n(o.id) * 2 + 1;
        let location_id = uuid(base, Kind::Location, number);
        let location = json!({
            "id": location_id,
            "location_type": "virtual",
            "url": p.online_url,
            "organization_id": org,
            "name": t.get("offers-online"),
            "accessibility": features(number, &["sign_language", "easy_language"]),
        });
        out.push((number, location_id, location));
    }
    out.into_iter()
        .map(|(number, location_id, location)| {
            json!({
                "id": uuid(base, Kind::ServiceAtLocation, number),
                "service_id": service_id,
                "location_id": location_id,
                "location": location,
            })
        })
        .collect()
}

/// `MO`.
fn day_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// `20261208T140000`.
fn ical_local(d: Date, at: Time) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00",
        d.year(),
        u8::from(d.month()),
        d.day(),
        at.hour(),
        at.minute()
    )
}

/// An offset in hours: `1`, `5.5`.
fn hours(offset: UtcOffset) -> Value {
    let minutes = offset.whole_minutes();
    if minutes % 60 == 0 {
        Value::from(minutes / 60)
    } else {
        Value::from(f64::from(minutes) / 60.0)
    }
}

/// `14:00+01:00`.
fn clock_with(at: Time, offset: UtcOffset) -> String {
    let (h, m, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "{:02}:{:02}{sign}{:02}:{:02}",
        at.hour(),
        at.minute(),
        h.unsigned_abs(),
        m.unsigned_abs()
    )
}

/// The offer's schedules as HSDS schedules of the service.
fn schedules(base: &str, t: &Tr, o: &Offer, service_id: &str, day: Date) -> Vec<Value> {
    o.schedules
        .iter()
        .enumerate()
        .map(|(i, s)| schedule(base, t, s, service_id, n(o.id) * 32 + i as u64, day))
        .collect()
}

fn schedule(base: &str, t: &Tr, s: &Schedule, service_id: &str, number: u64, day: Date) -> Value {
    let until = day + time::Duration::days(HORIZON_DAYS);
    // German time's offset on the next date (or on the first, when none is to come).
    let next = s
        .occurrences(day, until, 1)
        .first()
        .map(|(start, _)| *start);
    let first = s
        .occurrences(s.first, s.first, 1)
        .first()
        .map(|(start, _)| *start);
    let offset = next
        .or(first)
        .map(|at| crate::programme::local(at).offset())
        .unwrap_or(UtcOffset::UTC);
    let mut notes = vec![format!(
        "DTSTART;TZID=Europe/Berlin:{}",
        ical_local(s.first, s.starts)
    )];
    let mut fields: Vec<(&str, Option<Value>)> = vec![
        ("id", some(uuid(base, Kind::Schedule, number))),
        ("service_id", some(service_id)),
        ("valid_from", some(iso(s.first))),
        ("valid_to", schedule_last(s).map(|d| Value::from(iso(d)))),
        ("dtstart", some(iso(s.first))),
        ("timezone", some(hours(offset))),
        ("opens_at", some(clock_with(s.starts, offset))),
        ("closes_at", some(clock_with(s.ends, offset))),
        ("description", some(crate::offers::schedule_line(t, s))),
    ];
    if let Some(r) = &s.rule {
        notes.push(format!("RRULE:{}", domain::offers::ical_rule(r)));
        let every_day = "MO,TU,WE,TH,FR,SA,SU".to_string();
        let (freq, interval, byday, bymonthday) = match r.freq {
            Freq::Daily if r.interval == 1 => (Some("WEEKLY"), 1, Some(every_day), None),
            Freq::Daily => (None, r.interval, None, None),
            Freq::Weekly => {
                let days: Vec<&str> = if r.by_day.is_empty() {
                    vec![day_code(s.first.weekday())]
                } else {
                    r.by_day.iter().map(|d| day_code(*d)).collect()
                };
                (Some("WEEKLY"), r.interval, Some(days.join(",")), None)
            }
            Freq::Monthly => match (r.nth, r.by_day.first()) {
                (Some(nth), Some(d)) => (
                    Some("MONTHLY"),
                    r.interval,
                    Some(format!("{nth}{}", day_code(*d))),
                    None,
                ),
                _ => (
                    Some("MONTHLY"),
                    r.interval,
                    None,
                    Some(r.month_day.unwrap_or(s.first.day()).to_string()),
                ),
            },
        };
        let known = freq.is_some();
        fields.extend([
            ("freq", freq.map(Value::from)),
            ("interval", known.then(|| Value::from(interval))),
            ("byday", byday.map(Value::from)),
            ("bymonthday", bymonthday.map(Value::from)),
            ("wkst", known.then(|| Value::from("MO"))),
            ("until", r.until.map(|d| Value::from(iso(d)))),
            ("count", r.count.map(Value::from)),
        ]);
        if !s.except.is_empty() {
            let dates: Vec<String> = s.except.iter().map(|d| ical_local(*d, s.starts)).collect();
            notes.push(format!("EXDATE;TZID=Europe/Berlin:{}", dates.join(",")));
        }
    }
    fields.push(("notes", some(notes.join("\n"))));
    object(fields)
}

/// The one-to-one fields of a provider as an HSDS organization (the items of
/// `/organizations`, and a service's organization). `logo` is HSDS's URL of an image shown
/// beside the name: the provider's logo at its versioned address on this site.
pub(crate) fn organization_item(base: &str, p: &Provider) -> Value {
    object(vec![
        ("id", some(uuid(base, Kind::Organization, n(p.id)))),
        ("name", some(p.input.name.clone())),
        ("description", some(p.input.description.clone())),
        ("email", text(&p.input.email)),
        ("website", text(&p.input.website)),
        (
            "logo",
            p.logo.as_ref().map(|l| {
                Value::from(format!(
                    "{base}{}",
                    crate::offers::logo::public_href(&p.slug, &l.etag)
                ))
            }),
        ),
    ])
}

/// A provider as a full HSDS organization: its phone and its services' one-to-one fields.
pub(crate) fn organization(
    state: &AppState,
    base: &str,
    t: &Tr,
    p: &Provider,
    offers: &[Offer],
) -> Value {
    let id = uuid(base, Kind::Organization, n(p.id));
    let mut org = organization_item(base, p);
    let phones = text(&p.input.phone).map(|number| {
        json!([{ "id": uuid(base, Kind::Phone, n(p.id)), "organization_id": id, "number": number }])
    });
    let extra = object(vec![
        ("phones", phones),
        (
            "services",
            some(
                offers
                    .iter()
                    .filter(|o| o.is_public())
                    .map(|o| service_item(state, base, t, o))
                    .collect::<Vec<_>>(),
            ),
        ),
    ]);
    if let (Value::Object(org), Value::Object(extra)) = (&mut org, extra) {
        org.extend(extra);
    }
    org
}
