//! The offers' dates: `GET /angebote/{slug}/kalender.ics` (an offer: each schedule one entry,
//! repeating by its rule with the dates left out), `GET /angebote/kalender.ics` (the same for
//! the offers of a filtered list) and `GET /angebote/kalender` (the coming dates of a filtered
//! list, two weeks a page, by day). `UID`s are stable (`offer-<id>-<n>@<host>`), so a calendar
//! that subscribed updates its entries.

use super::list::{choices, read};
use super::{dated, hm, today};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path, Query};
use crate::i18n::Arg;
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::ical::{Entry, calendar};
use domain::offers::recurrence::Schedule;
use store::offers::Offer;
use time::{Date, Duration};

/// The most offers a list's calendar (file or page) holds: a calendar of every offer of a large
/// city is no use to anybody; the page says when the filter should narrow it.
pub(crate) const CALENDAR_OFFERS: i64 = 300;
/// The days a page of the calendar view shows.
const DAYS_PER_PAGE: i64 = 14;

/// The instant of a German local date and time.
fn instant(d: Date, at: time::Time) -> time::OffsetDateTime {
    let local = d.with_time(at);
    let guess =
        local.assume_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap_or(time::UtcOffset::UTC));
    local.assume_offset(domain::notifications::german_offset(guess))
}

fn entries(state: &AppState, host: &str, o: &Offer) -> Vec<Entry> {
    o.schedules
        .iter()
        .enumerate()
        .map(|(i, s)| entry(state, host, o, i, s))
        .collect()
}

fn entry(state: &AppState, host: &str, o: &Offer, i: usize, s: &Schedule) -> Entry {
    let location = match (&o.input.place_name, &o.input.street) {
        (p, st) if st.is_empty() => p.clone(),
        (p, st) => format!("{p}, {st}, {}", o.input.postcode),
    };
    Entry {
        uid: format!("offer-{}-{}@{host}", o.id, i + 1),
        stamp: o.updated_at,
        starts_at: instant(s.first, s.starts),
        ends_at: instant(s.first, s.ends),
        summary: o.input.title.clone(),
        description: format!("{}\n\n{}", o.provider_name, o.input.description),
        location,
        url: state.url(&format!("/angebote/{}", o.slug)),
        cancelled: false,
        rule: s.rule.as_ref().map(domain::offers::ical_rule),
        except: if s.rule.is_some() {
            s.except.iter().map(|d| instant(*d, s.starts)).collect()
        } else {
            Vec::new()
        },
    }
}

fn ics(body: String, tags: Vec<String>) -> Response {
    let res = (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response();
    crate::cache::tagged(res, tags)
}

/// `GET /angebote/{slug}/kalender.ics`
pub async fn offer_calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let o = state
        .db
        .public_offer(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let host = crate::programme::calendar_host(&state);
    Ok(ics(
        calendar(&o.input.title, &entries(&state, &host, &o)),
        vec![
            domain::tags::offer(o.id),
            domain::tags::provider(o.provider_id),
            domain::tags::OFFERS.to_string(),
        ],
    ))
}

/// `GET /angebote/kalender.ics`: the offers of the list with the same query (at most
/// [`CALENDAR_OFFERS`]).
pub async fn list_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let choices = choices(&state).await?;
    let (_, filter) = read(&state, &t, &pairs, &choices)
        .await?
        .map_err(|b| AppError::bad(b.field, b.reason))?;
    let (found, _) = state
        .db
        .public_offers(today(), &filter, 1, CALENDAR_OFFERS)
        .await?;
    let host = crate::programme::calendar_host(&state);
    let all: Vec<Entry> = found
        .iter()
        .flat_map(|f| entries(&state, &host, &f.offer))
        .collect();
    Ok(ics(
        calendar(&t.get("offers-title"), &all),
        vec![
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
            domain::tags::MEASURES.to_string(),
        ],
    ))
}

/// One day of the calendar view.
struct Day {
    heading: String,
    items: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "offers/calendar.html")]
struct CalendarPage {
    c: Chrome,
    title: String,
    range: String,
    days: Vec<Day>,
    /// The list's calendar held only the first offers: the filter should narrow it.
    capped: bool,
    cap: i64,
    list_href: String,
    ics_href: String,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /angebote/kalender`: the coming dates of the list with the same query, by day, two
/// weeks a page (`from`, a date, picks the page).
pub async fn calendar_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t;
    let choices = choices(&state).await?;
    let (p, filter) = read(&state, &t, &pairs, &choices)
        .await?
        .map_err(|b| AppError::bad(b.field, b.reason))?;
    let day = today();
    let from = match pairs
        .iter()
        .find(|(k, _)| k == "from")
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
    {
        None => day,
        Some(v) => domain::dates::parse_date(v)
            .ok()
            .filter(|d| *d >= day && *d <= day + Duration::days(super::HORIZON_DAYS))
            .ok_or_else(|| AppError::bad("from", t.get("offers-calendar-from-bad")))?,
    };
    let to = from + Duration::days(DAYS_PER_PAGE - 1);
    let (found, total) = state
        .db
        .public_offers(day, &filter, 1, CALENDAR_OFFERS)
        .await?;
    let mut dates: Vec<(Date, time::Time, String, String, String, String)> = Vec::new();
    for f in &found {
        let o = &f.offer;
        for s in &o.schedules {
            for d in s.dates(from, to, DAYS_PER_PAGE as usize * 2) {
                dates.push((
                    d,
                    s.starts,
                    format!("{}–{}", hm(s.starts), hm(s.ends)),
                    format!("/angebote/{}", o.slug),
                    o.input.title.clone(),
                    super::place_label(&t, o),
                ));
            }
        }
    }
    dates.sort_by(|a, b| (a.0, a.1, &a.4).cmp(&(b.0, b.1, &b.4)));
    let mut days: Vec<Day> = Vec::new();
    let mut current = None;
    for (d, _, when, href, title, place) in dates {
        if current != Some(d) {
            days.push(Day {
                heading: dated(&t, d),
                items: Vec::new(),
            });
            current = Some(d);
        }
        if let Some(last) = days.last_mut() {
            last.items.push((when, href, title, place));
        }
    }
    let query = p.query();
    let with = |extra: String| {
        let q = [query.as_str(), extra.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        if q.is_empty() {
            String::new()
        } else {
            format!("?{q}")
        }
    };
    let limit = day + Duration::days(super::HORIZON_DAYS);
    html(CalendarPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: t.get("offers-calendar-title"),
        range: t.args(
            "offers-calendar-range",
            &[
                ("from", Arg::Str(dated(&t, from))),
                ("to", Arg::Str(dated(&t, to))),
            ],
        ),
        days,
        capped: total > CALENDAR_OFFERS,
        cap: CALENDAR_OFFERS,
        list_href: format!("/angebote{}", with(String::new())),
        ics_href: format!("/angebote/kalender.ics{}", with(String::new())),
        previous: (from > day).then(|| {
            let back = (from - Duration::days(DAYS_PER_PAGE)).max(day);
            format!(
                "/angebote/kalender{}",
                with(format!("from={}", domain::dates::iso(back)))
            )
        }),
        next: (to < limit).then(|| {
            format!(
                "/angebote/kalender{}",
                with(format!(
                    "from={}",
                    domain::dates::iso(to + Duration::days(1))
                ))
            )
        }),
    })
    .map(|r| crate::cache::tagged(r, super::list_tags(&filter)))
}
