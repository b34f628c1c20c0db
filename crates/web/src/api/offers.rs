//! `/api/v1/offers` and `/api/v1/providers`: the public offers (published, by approved
//! providers) with every filter of `/angebote`, read by the same code (`offers::read`), so the
//! API takes the same parameters, gives the same offers in the same order and names a bad
//! parameter in an RFC 9457 problem; one offer by its slug; the approved providers and one
//! provider with its offers, 100 a page.

use super::comments::rfc3339;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Path, Query};
use crate::i18n::Tr;
use crate::offers::{HORIZON_DAYS, schedule_line, today};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::dates::iso;
use domain::offers::Attendance;
use serde_json::{Value, json};
use store::offers::providers::Provider;
use store::offers::search::OfferFilter;
use store::offers::{Links, Offer};
use time::Date;

/// Offers or providers per page unless `per_page` says otherwise.
pub(crate) const PER_PAGE: i64 = 20;
/// The most `per_page` may ask for.
pub(crate) const PER_PAGE_MAX: i64 = 100;
/// How many coming dates each offer lists.
const NEXT_DATES: usize = 5;
/// A provider's offers per page of `/api/v1/providers/{slug}`.
const PROVIDER_OFFERS: i64 = 100;

/// `per_page` of the query: 1 to 100, [`PER_PAGE`] when absent.
pub(crate) fn per_page(pairs: &[(String, String)]) -> Result<i64, AppError> {
    match pairs
        .iter()
        .rev()
        .find(|(k, v)| k == "per_page" && !v.trim().is_empty())
    {
        None => Ok(PER_PAGE),
        Some((_, v)) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=PER_PAGE_MAX).contains(n))
            .ok_or_else(|| {
                AppError::bad(
                    "per_page",
                    format!("{v:?} is not a whole number from 1 to {PER_PAGE_MAX}"),
                )
            }),
    }
}

/// `page` of the query: 1 to 10000, 1 when absent (for lists that have no filter).
pub(crate) fn page(t: &Tr, pairs: &[(String, String)]) -> Result<i64, AppError> {
    match pairs
        .iter()
        .rev()
        .find(|(k, v)| k == "page" && !v.trim().is_empty())
    {
        None => Ok(1),
        Some((_, v)) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page"))),
    }
}

/// The list's query checked with the database: its page, the filter and the query string
/// that keeps the filter (without the page), or a 400 naming the bad parameter.
pub(crate) async fn filter_of(
    state: &AppState,
    t: &Tr,
    pairs: &[(String, String)],
) -> Result<(i64, OfferFilter, String), AppError> {
    let choices = crate::offers::choices(state).await?;
    match crate::offers::read(state, t, pairs, &choices).await? {
        Ok((p, filter)) => Ok((p.page, filter, p.query())),
        Err(bad) => Err(AppError::bad(bad.field, bad.reason)),
    }
}

/// The pages of a list: `self`, `first`, `prev`, `next` and `last` (`null` where there is none).
pub(crate) fn links(
    state: &AppState,
    path: &str,
    keep: &str,
    (page, per_page, total): (i64, i64, i64),
) -> Value {
    let pages = ((total + per_page - 1) / per_page).max(1);
    let at = |n: i64| {
        let mut q = format!("page={n}");
        if per_page != PER_PAGE {
            q.push_str(&format!("&per_page={per_page}"));
        }
        if !keep.is_empty() {
            q.push('&');
            q.push_str(keep);
        }
        state.url(&format!("{path}?{q}"))
    };
    json!({
        "self": at(page),
        "first": at(1),
        "prev": (page > 1).then(|| at((page - 1).min(pages))),
        "next": (page < pages).then(|| at(page + 1)),
        "last": at(pages),
    })
}

/// The next `limit` starts of an offer's dates from `day` on, as instants in German time
/// (`2026-12-08T14:00:00+01:00`).
pub(crate) fn next_dates(o: &Offer, day: Date, limit: usize) -> Vec<String> {
    let until = day + time::Duration::days(HORIZON_DAYS);
    let mut starts: Vec<time::OffsetDateTime> = o
        .schedules
        .iter()
        .flat_map(|s| s.occurrences(day, until, limit))
        .map(|(start, _)| start)
        .collect();
    starts.sort();
    starts.dedup();
    starts.truncate(limit);
    starts
        .into_iter()
        .map(|at| rfc3339(crate::programme::local(at)))
        .collect()
}

/// `14:00`.
fn clock(at: time::Time) -> String {
    crate::offers::hm(at)
}

/// An offer as the API shows it; `distance` is `Some` when the query gave a point (then the
/// offer's distance from it in metres, `null` for an offer without a place).
pub(crate) fn offer_json(
    state: &AppState,
    t: &Tr,
    o: &Offer,
    links: &Links,
    distance: Option<Option<f64>>,
    day: Date,
) -> Value {
    let p = &o.input;
    let text = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
    let place = (p.attendance != Attendance::Online
        && (!p.place_name.is_empty() || p.point.is_some()))
    .then(|| {
        json!({
            "name": p.place_name,
            "street": text(&p.street),
            "postcode": text(&p.postcode),
            "district": o.district,
            "lat": p.point.map(|at| at.lat),
            "lon": p.point.map(|at| at.lon),
        })
    });
    let mut body = json!({
        "id": o.id,
        "slug": o.slug,
        "url": state.url(&format!("/angebote/{}", o.slug)),
        "api_url": state.url(&format!("/api/v1/offers/{}", o.slug)),
        "calendar_url": state.url(&format!("/angebote/{}/kalender.ics", o.slug)),
        "title": p.title,
        "description": p.description,
        "description_html": o.description_html,
        "provider": {
            "slug": o.provider_slug,
            "name": o.provider_name,
            "url": state.url(&format!("/anbieter/{}", o.provider_slug)),
            "api_url": state.url(&format!("/api/v1/providers/{}", o.provider_slug)),
        },
        "category": { "slug": o.category.slug, "name": o.category.name },
        "target_groups": links.groups.iter().map(|g| json!({"slug": g.slug, "name": g.name})).collect::<Vec<_>>(),
        "age_min": p.age_min,
        "age_max": p.age_max,
        "attendance": p.attendance.as_str(),
        "place": place,
        "online_url": text(&p.online_url),
        "capacity": p.capacity,
        "cost": {
            "free": p.free(),
            "cents": p.cost_cents.filter(|c| *c > 0),
            "note": text(&p.cost_note),
        },
        "access": p.access.as_str(),
        "accessibility": {
            "step_free": p.accessibility.step_free,
            "hearing_loop": p.accessibility.hearing_loop,
            "sign_language": p.accessibility.sign_language,
            "easy_language": p.accessibility.easy_language,
        },
        "languages": p.languages,
        "schedules": o.schedules.iter().map(|s| json!({
            "first": iso(s.first),
            "starts": clock(s.starts),
            "ends": clock(s.ends),
            "rrule": s.rule.as_ref().map(|r| r.to_rrule()),
            "except": s.except.iter().map(|d| iso(*d)).collect::<Vec<_>>(),
            "description": schedule_line(t, s),
        })).collect::<Vec<_>>(),
        "next_dates": next_dates(o, day, NEXT_DATES),
        "measures": links.measures.iter().map(|(_, slug, title)| json!({
            "slug": slug,
            "title": title,
            "url": state.url(&format!("/massnahmen/{slug}")),
        })).collect::<Vec<_>>(),
        "updated_at": rfc3339(o.updated_at),
    });
    if let Some(d) = distance {
        body["distance_m"] = json!(d.map(|m| m.round() as i64));
    }
    body
}

/// The target groups and measures of each offer, in one query for the page.
async fn links_of(state: &AppState, offers: &[&Offer]) -> Result<Vec<Links>, AppError> {
    let ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
    let mut all = state.db.offers_links(&ids).await?;
    Ok(ids
        .iter()
        .map(|id| all.remove(id).unwrap_or_default())
        .collect())
}

/// `GET /api/v1/offers?q=&category=&…&page=&per_page=`
pub async fn offers(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let per_page = per_page(&pairs)?;
    let (page, filter, keep) = filter_of(&state, &t, &pairs).await?;
    let day = today();
    let (found, total) = state.db.public_offers(day, &filter, page, per_page).await?;
    let linked = links_of(&state, &found.iter().map(|f| &f.offer).collect::<Vec<_>>()).await?;
    let near = filter.near.is_some();
    let items: Vec<Value> = found
        .iter()
        .zip(&linked)
        .map(|(f, l)| offer_json(&state, &t, &f.offer, l, near.then_some(f.distance_m), day))
        .collect();
    let body = json!({
        "total": total,
        "page": page,
        "per_page": per_page,
        "items": items,
        "links": links(&state, "/api/v1/offers", &keep, (page, per_page, total)),
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
            domain::tags::MEASURES.to_string(),
        ],
    ))
}

/// `GET /api/v1/offers/{slug}`
pub async fn offer(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let o = state
        .db
        .public_offer(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let links = state.db.offer_links(o.id).await?;
    let body = offer_json(&state, &t, &o, &links, None, today());
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::offer(o.id),
            domain::tags::provider(o.provider_id),
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
            domain::tags::MEASURES.to_string(),
        ],
    ))
}

fn provider_json(state: &AppState, p: &Provider) -> Value {
    let text = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
    json!({
        "id": p.id,
        "slug": p.slug,
        "name": p.input.name,
        "district": p.district,
        "email": text(&p.input.email),
        "phone": text(&p.input.phone),
        "website": text(&p.input.website),
        "offers": p.offers,
        "url": state.url(&format!("/anbieter/{}", p.slug)),
        "api_url": state.url(&format!("/api/v1/providers/{}", p.slug)),
    })
}

/// `GET /api/v1/providers?page=&per_page=`: the approved providers by name.
pub async fn providers(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (page, per_page) = (page(&t, &pairs)?, per_page(&pairs)?);
    let (list, total) = state.db.public_providers(page, per_page).await?;
    let body = json!({
        "total": total,
        "page": page,
        "per_page": per_page,
        "items": list.iter().map(|p| provider_json(&state, p)).collect::<Vec<_>>(),
        "links": links(&state, "/api/v1/providers", "", (page, per_page, total)),
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
        ],
    ))
}

/// `GET /api/v1/providers/{slug}?page=`: an approved provider with its description and its
/// published offers (slug, title, links), [`PROVIDER_OFFERS`] a page.
pub async fn provider(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(slug): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let page = page(&t, &pairs)?;
    let p = state
        .db
        .public_provider(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let (offers, total) = state
        .db
        .provider_offers(p.id, false, page, PROVIDER_OFFERS)
        .await?;
    let mut body = provider_json(&state, &p);
    body["description"] = json!(p.input.description);
    body["description_html"] = json!(p.description_html);
    body["offers_page"] = json!({
        "total": total,
        "page": page,
        "per_page": PROVIDER_OFFERS,
        "items": offers.iter().map(|o| json!({
            "slug": o.slug,
            "title": o.input.title,
            "url": state.url(&format!("/angebote/{}", o.slug)),
            "api_url": state.url(&format!("/api/v1/offers/{}", o.slug)),
        })).collect::<Vec<_>>(),
        "next": (page * PROVIDER_OFFERS < total)
            .then(|| state.url(&format!("/api/v1/providers/{}?page={}", p.slug, page + 1))),
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::provider(p.id),
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
        ],
    ))
}
