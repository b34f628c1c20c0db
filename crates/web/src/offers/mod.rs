//! Offers, public side: the directory of what providers offer (`/angebote`) with full text,
//! filters and distance, its calendar of coming dates and iCalendar files, an offer's page, and
//! the providers (`/anbieter`). Only published offers of approved providers are public.

mod admin;
mod admin_places;
mod calendar;
mod list;
pub(crate) mod logo;
mod office;
mod office_offer;
mod office_offer_check;
mod office_schedules;
mod page;
pub mod params;
pub(crate) mod requests;
mod volunteering;

pub use admin::{add_provider_member, admin_providers, decide_provider};
pub use admin_places::{
    add_category, admin_places, remove_district, remove_postcode, rename_category, save_district,
    save_postcode,
};
pub use calendar::{calendar_page, list_calendar, offer_calendar};
pub use list::list;
/// The list's query read with the database, for the API and the CSV export.
pub(crate) use list::{choices, read};
pub use logo::{own_provider_logo, provider_logo, remove_provider_logo, upload_provider_logo};
pub use office::{edit_provider_form, office, provider_office, sign_up, update_provider};
pub use office_offer::{create_offer, edit_offer_form, new_offer_form, update_offer};
pub use page::{offer_page, provider_page, providers};
pub use params::FILTER_KEYS;
pub use requests::{
    answer_request, confirm_request, create_request, decide_request, my_requests, office_request,
    office_requests, request_form, request_page,
};
pub use volunteering::{
    application_page, apply, apply_form, confirm_application, create_role, decide_application,
    edit_role_form, new_role_form, office_roles, role_page, roles, update_role,
    withdraw_application,
};

use crate::i18n::{Arg, Lang, Tr};
use domain::offers::recurrence::Schedule;
use domain::offers::{Access, Accessibility, Attendance};
use store::offers::Offer;
use time::{Date, Time, Weekday};

/// Offers per page of the list.
pub(crate) const PER_PAGE: i64 = 20;

/// How far ahead pages look for an offer's dates.
pub(crate) const HORIZON_DAYS: i64 = 366;

/// The cache tags of a list of offers found with `filter`. A word search also follows every saved
/// text ([`domain::tags::OFFERS_DETAIL`]); the others only what changes a card or where an offer
/// is listed ([`domain::tags::OFFERS`]).
pub(crate) fn list_tags(filter: &store::offers::search::OfferFilter) -> Vec<String> {
    let mut tags = vec![
        domain::tags::OFFERS.to_string(),
        domain::tags::SITE.to_string(),
        domain::tags::MEASURES.to_string(),
    ];
    if !filter.terms.is_empty() {
        tags.push(domain::tags::OFFERS_DETAIL.to_string());
    }
    tags
}

/// An offer as lists show it.
pub(crate) struct Card {
    pub href: String,
    pub title: String,
    pub provider: String,
    pub category: String,
    /// "Stadtteilzentrum Nord, Nordstadt", or "online".
    pub place: String,
    pub distance: Option<String>,
    pub when: Vec<String>,
    pub next: Option<String>,
    pub cost: String,
    pub request: bool,
    pub access: String,
    pub features: Vec<String>,
    pub ages: Option<String>,
}

pub(crate) fn english(t: &Tr) -> bool {
    t.lang == Lang::En
}

/// `14:00`.
pub(crate) fn hm(at: Time) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

fn day_key(d: Weekday) -> &'static str {
    params::DAYS
        .iter()
        .find(|(_, w)| *w == d)
        .map_or("mo", |(k, _)| k)
}

/// `Di., 08.12.2026`.
pub(crate) fn dated(t: &Tr, d: Date) -> String {
    t.args(
        "offers-date",
        &[
            (
                "weekday",
                Arg::Str(t.get(&format!("offers-day-{}", day_key(d.weekday())))),
            ),
            ("date", Arg::Str(domain::dates::german(d))),
        ],
    )
}

/// One schedule as a line: `jeden Dienstag, 14:00–16:00 Uhr`, or `Di., 08.12.2026, 14:00–16:00 Uhr`.
pub(crate) fn schedule_line(t: &Tr, s: &Schedule) -> String {
    let pattern = match &s.rule {
        Some(r) => r.describe(s.first, english(t)),
        None => dated(t, s.first),
    };
    t.args(
        "offers-schedule-line",
        &[
            ("pattern", Arg::Str(pattern)),
            ("from", Arg::Str(hm(s.starts))),
            ("to", Arg::Str(hm(s.ends))),
        ],
    )
}

/// The next date of an offer on or after `today`, with its times.
pub(crate) fn next_date(schedules: &[Schedule], today: Date) -> Option<(Date, Time, Time)> {
    let until = today + time::Duration::days(HORIZON_DAYS);
    schedules
        .iter()
        .filter_map(|s| {
            s.dates(today, until, 1)
                .first()
                .map(|d| (*d, s.starts, s.ends))
        })
        .min_by_key(|(d, from, _)| (*d, *from))
}

pub(crate) fn cost_label(t: &Tr, cents: Option<i64>) -> String {
    match cents {
        None | Some(0) => t.get("offers-free"),
        Some(c) => domain::programme::fee_text(c),
    }
}

pub(crate) fn access_label(t: &Tr, a: Access) -> String {
    t.get(&format!("offers-access-{}", a.as_str()))
}

pub(crate) fn feature_labels(t: &Tr, a: Accessibility) -> Vec<String> {
    a.keys()
        .into_iter()
        .map(|k| t.get(&format!("offers-feature-{k}")))
        .collect()
}

pub(crate) fn language_name(t: &Tr, code: &str) -> String {
    t.get(&format!("offers-lang-{code}"))
}

/// `für 4 bis 6 Jahre`, `ab 60 Jahren`, `bis 12 Jahre`; none without an age.
pub(crate) fn ages_label(t: &Tr, min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (None, None) => None,
        (Some(a), Some(b)) => Some(t.args(
            "offers-ages-range",
            &[("min", Arg::Num(a)), ("max", Arg::Num(b))],
        )),
        (Some(a), None) => Some(t.n("offers-ages-from", "min", a)),
        (None, Some(b)) => Some(t.n("offers-ages-to", "max", b)),
    }
}

/// Where: the place and its district, or online, or both.
pub(crate) fn place_label(t: &Tr, o: &Offer) -> String {
    let mut site = o.input.place_name.clone();
    if let Some(d) = &o.district {
        site = format!("{site}, {d}");
    }
    match o.input.attendance {
        Attendance::InPerson => site,
        Attendance::Online => t.get("offers-online"),
        Attendance::Mixed => t.s("offers-place-and-online", "place", &site),
    }
}

/// An offer as a card of a list, `distance_m` from the person when known.
pub(crate) fn card(t: &Tr, today: Date, o: &Offer, distance_m: Option<f64>) -> Card {
    Card {
        href: format!("/angebote/{}", o.slug),
        title: o.input.title.clone(),
        provider: o.provider_name.clone(),
        category: o.category.name.clone(),
        place: place_label(t, o),
        distance: distance_m.map(|m| domain::offers::geo::format_distance(m, english(t))),
        when: o.schedules.iter().map(|s| schedule_line(t, s)).collect(),
        next: next_date(&o.schedules, today).map(|(d, from, _)| {
            t.args(
                "offers-next",
                &[
                    ("date", Arg::Str(dated(t, d))),
                    ("time", Arg::Str(hm(from))),
                ],
            )
        }),
        cost: cost_label(t, o.input.cost_cents),
        request: o.input.access == Access::Request,
        access: access_label(t, o.input.access),
        features: feature_labels(t, o.input.accessibility),
        ages: ages_label(t, o.input.age_min, o.input.age_max),
    }
}

/// Today in Germany.
pub(crate) fn today() -> Date {
    crate::programme::local(time::OffsetDateTime::now_utc()).date()
}

/// How to reach a provider: (label, link, text) for its e-mail, phone and website.
pub(crate) fn contact(t: &Tr, p: &domain::offers::ProviderInput) -> Vec<(String, String, String)> {
    let mut v = Vec::new();
    if !p.email.is_empty() {
        v.push((
            t.get("offers-email"),
            format!("mailto:{}", p.email),
            p.email.clone(),
        ));
    }
    if !p.phone.is_empty() {
        let digits: String = p
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        v.push((
            t.get("offers-phone"),
            format!("tel:{digits}"),
            p.phone.clone(),
        ));
    }
    if !p.website.is_empty() {
        v.push((
            t.get("offers-website"),
            p.website.clone(),
            p.website.clone(),
        ));
    }
    v
}
