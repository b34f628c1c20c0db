//! `GET /angebote/{slug}` (an offer: when, where, for whom, what it costs, how to take part),
//! `GET /anbieter` (the approved providers) and `GET /anbieter/{slug}` (a provider and its
//! offers).

use super::{Card, PER_PAGE, card, dated, hm, schedule_line, today};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path, Query};
use crate::i18n::Arg;
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::offers::Access;
use serde::Deserialize;

/// How many coming dates an offer's page lists.
const DATES_SHOWN: usize = 8;

#[derive(Template)]
#[template(path = "offers/offer.html")]
struct OfferPage {
    c: Chrome,
    title: String,
    provider: (String, String),
    /// The provider's logo beside its name.
    logo: Option<super::logo::Shown>,
    category: String,
    description_html: String,
    when: Vec<String>,
    except: Option<String>,
    dates: Vec<String>,
    place: String,
    address: Option<String>,
    /// `geo:` link for a phone's map app.
    geo: Option<String>,
    online_url: Option<String>,
    cost: String,
    cost_note: String,
    request: bool,
    /// The request form, for offers that take requests.
    request_href: String,
    capacity: Option<i64>,
    groups: Vec<String>,
    ages: Option<String>,
    languages: Vec<String>,
    features: Vec<String>,
    measures: Vec<(String, String)>,
    contact: Vec<(String, String, String)>,
    calendar_href: String,
    /// Where it is, when the city has a tile server.
    map: Option<crate::map::Map>,
}

/// `GET /angebote/{slug}`
pub async fn offer_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let t = ctx.t;
    let o = state
        .db
        .public_offer(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let links = state.db.offer_links(o.id).await?;
    let provider = state
        .db
        .provider_by_id(o.provider_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = today();
    let mut coming: Vec<(time::Date, time::Time, time::Time)> = o
        .schedules
        .iter()
        .flat_map(|s| {
            s.dates(
                day,
                day + time::Duration::days(super::HORIZON_DAYS),
                DATES_SHOWN,
            )
            .into_iter()
            .map(|d| (d, s.starts, s.ends))
        })
        .collect();
    coming.sort();
    coming.truncate(DATES_SHOWN);
    let except: Vec<String> = o
        .schedules
        .iter()
        .filter(|s| s.rule.is_some())
        .flat_map(|s| {
            s.except
                .iter()
                .filter(|d| **d >= day)
                .map(|d| domain::dates::german(*d))
        })
        .collect();
    let p = &o.input;
    let page = OfferPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: p.title.clone(),
        provider: (
            format!("/anbieter/{}", o.provider_slug),
            o.provider_name.clone(),
        ),
        logo: super::logo::public(&provider, domain::offers::logo::OFFER_BOX),
        category: o.category.name.clone(),
        description_html: o.description_html.clone(),
        when: o.schedules.iter().map(|s| schedule_line(&t, s)).collect(),
        except: (!except.is_empty()).then(|| t.s("offers-except", "dates", &except.join(", "))),
        dates: coming
            .iter()
            .map(|(d, from, to)| {
                t.args(
                    "offers-date-times",
                    &[
                        ("date", Arg::Str(dated(&t, *d))),
                        ("from", Arg::Str(hm(*from))),
                        ("to", Arg::Str(hm(*to))),
                    ],
                )
            })
            .collect(),
        place: super::place_label(&t, &o),
        address: (!p.street.is_empty() || !p.postcode.is_empty()).then(|| {
            format!("{}, {}", p.street, p.postcode)
                .trim_matches([',', ' '])
                .to_string()
        }),
        geo: p.point.map(|at| format!("geo:{:.5},{:.5}", at.lat, at.lon)),
        online_url: (!p.online_url.is_empty()).then(|| p.online_url.clone()),
        cost: super::cost_label(&t, p.cost_cents),
        cost_note: p.cost_note.clone(),
        request: p.access == Access::Request,
        request_href: format!("/angebote/{}/anfragen", o.slug),
        capacity: p.capacity,
        groups: links.groups.iter().map(|g| g.name.clone()).collect(),
        ages: super::ages_label(&t, p.age_min, p.age_max),
        languages: p
            .languages
            .iter()
            .map(|l| super::language_name(&t, l))
            .collect(),
        features: super::feature_labels(&t, p.accessibility),
        measures: links
            .measures
            .iter()
            .map(|(_, slug, title)| (format!("/massnahmen/{slug}"), title.clone()))
            .collect(),
        contact: super::contact(&t, &provider.input),
        calendar_href: format!("/angebote/{}/kalender.ics", o.slug),
        map: state.map.as_ref().and_then(|tiles| {
            p.point
                .and_then(|at| crate::map::draw(tiles, &[(at, String::new())], 512, 320))
        }),
    };
    let csp = page
        .map
        .as_ref()
        .and(state.map.as_ref())
        .map(crate::map::Tiles::csp);
    html(page).map(|r| crate::map::with_csp(r, csp)).map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::offer(o.id),
                domain::tags::provider(o.provider_id),
                domain::tags::OFFERS.to_string(),
                domain::tags::SITE.to_string(),
                domain::tags::MEASURES.to_string(),
            ],
        )
    })
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

fn page_number(t: &crate::i18n::Tr, q: &PageQuery) -> Result<i64, AppError> {
    match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page"))),
    }
}

#[derive(Template)]
#[template(path = "offers/providers.html")]
struct ProvidersPage {
    c: Chrome,
    title: String,
    providers: Vec<(String, String, String, i64)>,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /anbieter`: the approved providers by name.
pub async fn providers(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let page = page_number(&ctx.t, &q)?;
    let (list, total) = state.db.public_providers(page, PER_PAGE).await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    html(ProvidersPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: ctx.t.get("offers-providers"),
        providers: list
            .into_iter()
            .map(|p| {
                (
                    format!("/anbieter/{}", p.slug),
                    p.input.name,
                    p.district.unwrap_or_default(),
                    p.offers,
                )
            })
            .collect(),
        previous: (page > 1).then(|| format!("/anbieter?page={}", page - 1)),
        next: (page < pages).then(|| format!("/anbieter?page={}", page + 1)),
    })
    .map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::OFFERS.to_string(),
                domain::tags::SITE.to_string(),
            ],
        )
    })
}

#[derive(Template)]
#[template(path = "offers/provider.html")]
struct ProviderPage {
    c: Chrome,
    title: String,
    logo: Option<super::logo::Shown>,
    district: Option<String>,
    description_html: String,
    contact: Vec<(String, String, String)>,
    summary: String,
    cards: Vec<Card>,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /anbieter/{slug}`: an approved provider and its published offers.
pub async fn provider_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let t = ctx.t;
    let page = page_number(&t, &q)?;
    let p = state
        .db
        .public_provider(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let (offers, total) = state
        .db
        .provider_offers(p.id, false, page, PER_PAGE)
        .await?;
    let day = today();
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    html(ProviderPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: p.input.name.clone(),
        logo: super::logo::public(&p, domain::offers::logo::PAGE_BOX),
        district: p.district.clone(),
        description_html: p.description_html.clone(),
        contact: super::contact(&t, &p.input),
        summary: t.n("offers-count", "count", total),
        cards: offers.iter().map(|o| card(&t, day, o, None)).collect(),
        previous: (page > 1).then(|| format!("/anbieter/{slug}?page={}", page - 1)),
        next: (page < pages).then(|| format!("/anbieter/{slug}?page={}", page + 1)),
    })
    .map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::provider(p.id),
                domain::tags::OFFERS.to_string(),
                domain::tags::SITE.to_string(),
            ],
        )
    })
}
