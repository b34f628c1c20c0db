//! `GET /angebote`: the public offers, 20 a page, found by words, filtered on submit (category,
//! target group, age, days, time of day, free of charge, online, accessibility, language) and
//! sorted by distance from a district, a postcode or, with script, the browser's location. A
//! bad parameter shows the form again with the reason at its field (400), not an error page.

use super::params::{Bad, Choices, DAYS, Origin, Params, RADII};
use super::{Card, PER_PAGE, card, today};
use crate::AppState;
use crate::extract::{Ctx, Query};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use domain::offers::{Accessibility, DayTime, LANGUAGES, weekday_bit};

/// One option of a select: value, label, selected.
pub(crate) type Opt = (String, String, bool);

/// A checkbox: name, value, label, checked.
pub(crate) type Check = (&'static str, String, String, bool);

#[derive(Template)]
#[template(path = "offers/list.html")]
struct ListPage {
    c: Chrome,
    title: String,
    q: String,
    categories: Vec<Opt>,
    groups: Vec<Opt>,
    districts: Vec<Opt>,
    postcode: String,
    radii: Vec<Opt>,
    age: String,
    languages: Vec<Opt>,
    times: Vec<Opt>,
    days: Vec<Check>,
    checks: Vec<Check>,
    /// The browser's location, kept while the person uses it.
    here: Option<(String, String)>,
    /// The parameter that was wrong and why.
    error: Option<Bad>,
    /// "12 Angebote", said once (`role="status"`).
    summary: String,
    cards: Vec<Card>,
    previous: Option<String>,
    next: Option<String>,
    narrowed: bool,
    calendar_href: String,
    ics_href: String,
    /// The offers of the page with a place, numbered as listed, when the city has a tile server.
    map: Option<crate::map::Map>,
}

/// What the city keeps that the filter chooses from, in three queries.
pub(crate) async fn choices(state: &AppState) -> Result<Choices, crate::error::AppError> {
    Ok(Choices {
        categories: state.db.offer_categories().await?,
        groups: state.db.topic_choices().await?.groups,
        districts: state.db.districts().await?,
    })
}

/// Reads the list's query: the checked parameters and the filter, or what was wrong.
pub(crate) async fn read(
    state: &AppState,
    t: &Tr,
    pairs: &[(String, String)],
    choices: &Choices,
) -> Result<Result<(Params, store::offers::search::OfferFilter), Bad>, crate::error::AppError> {
    // The postcode's centroid is looked up before the pure parse.
    let code = pairs
        .iter()
        .find(|(k, _)| k == "postcode")
        .and_then(|(_, v)| domain::offers::geo::parse_postcode(v));
    let centre = match &code {
        Some(c) => state.db.postcode(c).await?.map(|p| p.centre),
        None => None,
    };
    Ok(Params::parse(t, pairs, choices, |c| {
        if Some(c) == code.as_deref() {
            centre
        } else {
            None
        }
    }))
}

fn select(
    all: String,
    items: impl Iterator<Item = (String, String)>,
    chosen: Option<&str>,
) -> Vec<Opt> {
    let mut v = vec![(String::new(), all, chosen.is_none())];
    v.extend(items.map(|(value, label)| {
        let on = chosen == Some(value.as_str());
        (value, label, on)
    }));
    v
}

/// The form's fields for `p` (what the person chose stays chosen).
fn form(c: Chrome, t: &Tr, p: &Params, choices: &Choices) -> ListPage {
    let district = match &p.origin {
        Some(Origin::District(d)) => Some(d.slug.as_str()),
        _ => None,
    };
    let mut checks: Vec<Check> = vec![
        ("free", "1".into(), t.get("offers-filter-free"), p.free),
        (
            "online",
            "1".into(),
            t.get("offers-filter-online"),
            p.online,
        ),
    ];
    checks.extend(Accessibility::KEYS.iter().map(|k| {
        (
            "access",
            k.to_string(),
            t.get(&format!("offers-feature-{k}")),
            p.accessibility.has(k),
        )
    }));
    ListPage {
        c,
        title: t.get("offers-title"),
        q: p.q.clone(),
        categories: select(
            t.get("offers-filter-all-categories"),
            choices
                .categories
                .iter()
                .map(|c| (c.slug.clone(), c.name.clone())),
            p.category.as_ref().map(|c| c.slug.as_str()),
        ),
        groups: select(
            t.get("offers-filter-all-groups"),
            choices
                .groups
                .iter()
                .map(|g| (g.slug.clone(), g.name.clone())),
            p.group.as_ref().map(|g| g.slug.as_str()),
        ),
        districts: select(
            t.get("offers-filter-no-district"),
            choices
                .districts
                .iter()
                .map(|d| (d.slug.clone(), d.name.clone())),
            district,
        ),
        postcode: match &p.origin {
            Some(Origin::Postcode(c)) => c.clone(),
            _ => String::new(),
        },
        radii: select(
            t.get("offers-filter-any-distance"),
            RADII
                .iter()
                .map(|r| (r.to_string(), t.n("offers-filter-radius-km", "km", *r))),
            p.radius_km.map(|r| r.to_string()).as_deref(),
        ),
        age: p.age.map(|a| a.to_string()).unwrap_or_default(),
        languages: select(
            t.get("offers-filter-any-language"),
            LANGUAGES
                .iter()
                .map(|l| (l.to_string(), super::language_name(t, l))),
            p.language.as_deref(),
        ),
        times: select(
            t.get("offers-filter-any-time"),
            DayTime::ALL.iter().map(|d| {
                (
                    d.as_str().to_string(),
                    t.get(&format!("offers-time-{}", d.as_str())),
                )
            }),
            p.time.map(DayTime::as_str),
        ),
        days: DAYS
            .iter()
            .map(|(k, d)| {
                (
                    "day",
                    k.to_string(),
                    t.get(&format!("offers-day-long-{k}")),
                    p.days & weekday_bit(*d) != 0,
                )
            })
            .collect(),
        checks,
        here: match &p.origin {
            Some(Origin::Here(at)) => Some((format!("{:.5}", at.lat), format!("{:.5}", at.lon))),
            _ => None,
        },
        error: None,
        summary: String::new(),
        cards: Vec::new(),
        previous: None,
        next: None,
        narrowed: p.narrowed(),
        calendar_href: "/angebote/kalender".into(),
        ics_href: "/angebote/kalender.ics".into(),
        map: None,
    }
}

/// `GET /angebote`
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t;
    let choices = choices(&state).await?;
    let chrome = crate::layout::chrome(&state, &ctx, "offers").await?;
    let (p, filter) = match read(&state, &t, &pairs, &choices).await? {
        Ok(v) => v,
        Err(bad) => {
            // The form again, with what the person gave where it can be kept.
            let mut page = form(
                chrome,
                &t,
                &Params {
                    page: 1,
                    ..Params::default()
                },
                &choices,
            );
            for (k, v) in &pairs {
                match k.as_str() {
                    "q" => page.q = v.chars().take(200).collect(),
                    "postcode" => page.postcode = v.chars().take(10).collect(),
                    "age" => page.age = v.chars().take(5).collect(),
                    _ => {}
                }
            }
            page.summary = t.get("offers-filter-error");
            page.error = Some(bad);
            let mut res = html(page)?;
            *res.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(res);
        }
    };
    let (found, total) = state
        .db
        .public_offers(today(), &filter, p.page, PER_PAGE)
        .await?;
    let day = today();
    let mut page = form(chrome, &t, &p, &choices);
    page.cards = found
        .iter()
        .map(|f| card(&t, day, &f.offer, f.distance_m))
        .collect();
    page.summary = if p.narrowed() {
        t.n("offers-found", "count", total)
    } else {
        t.n("offers-count", "count", total)
    };
    let query = p.query();
    let keep = if query.is_empty() {
        String::new()
    } else {
        format!("&{query}")
    };
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    page.previous = (p.page > 1).then(|| format!("/angebote?page={}{keep}", p.page - 1));
    page.next = (p.page < pages).then(|| format!("/angebote?page={}{keep}", p.page + 1));
    if !query.is_empty() {
        page.calendar_href = format!("/angebote/kalender?{query}");
        page.ics_href = format!("/angebote/kalender.ics?{query}");
    }
    let places: Vec<_> = found
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.offer.input.point.map(|at| (at, (i + 1).to_string())))
        .collect();
    page.map = state
        .map
        .as_ref()
        .and_then(|tiles| crate::map::draw(tiles, &places, 640, 400));
    let csp = page
        .map
        .as_ref()
        .and(state.map.as_ref())
        .map(crate::map::Tiles::csp);
    html(page)
        .map(|r| crate::map::with_csp(r, csp))
        .map(|r| crate::cache::tagged(r, super::list_tags(&filter)))
}
