//! The public offers as Open Referral HSDS 3.0 (Human Services Data Specification): services
//! (offers) and organizations (approved providers), as the HSDS API profile serves them —
//! `GET /api/hsds/services` and `/api/hsds/organizations` as paginated `Page` objects
//! (`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`, `empty`,
//! `contents`), `GET /api/hsds/services/{id}` and `/api/hsds/organizations/{id}` as full
//! objects. The shapes are those of the official schemas kept in `e2e/schemas/hsds`, which
//! `e2e/hsds_check.py` validates every answer against in CI; the mapping is in `hsds_map.rs`.
//!
//! HSDS ids are UUIDs. Ours are derived, not stored: a version-8 UUID (RFC 9562) whose first
//! 80 bits come from SHA-256 of the site's address and the kind of row, and whose last 48 bits
//! are the row's number. So they stay the same from one answer to the next, differ between
//! sites, and lead back to their row without a table of ids.

use super::hsds_map::{organization, organization_item, service, service_item};
use super::offers::{filter_of, page, per_page};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Path, Query};
use crate::offers::today;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The most services an organization lists (HSDS has no pages inside an object).
const ORGANIZATION_SERVICES: i64 = 500;

/// What an HSDS id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An offer (its id).
    Service,
    /// A provider (its id).
    Organization,
    /// An offer's place (offer id × 2) or its online room (× 2 + 1); also its
    /// service-at-location.
    Location,
    ServiceAtLocation,
    /// An offer's address (offer id).
    Address,
    /// An offer's schedule (offer id × 32 + position).
    Schedule,
    /// An offer's language (offer id × 16 + position).
    Language,
    /// An accessibility feature of a location (location number × 4 + feature).
    Accessibility,
    /// An offer's cost (offer id).
    CostOption,
    /// An offer's link to a taxonomy term (offer id × 256 + position).
    Attribute,
    /// A category of offers (its id).
    Category,
    /// A target group (its id).
    TargetGroup,
    /// A taxonomy: 1 the categories, 2 the target groups.
    Taxonomy,
    /// A provider's phone (provider id).
    Phone,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Organization => "organization",
            Kind::Location => "location",
            Kind::ServiceAtLocation => "service_at_location",
            Kind::Address => "address",
            Kind::Schedule => "schedule",
            Kind::Language => "language",
            Kind::Accessibility => "accessibility",
            Kind::CostOption => "cost_option",
            Kind::Attribute => "attribute",
            Kind::Category => "category",
            Kind::TargetGroup => "target_group",
            Kind::Taxonomy => "taxonomy",
            Kind::Phone => "phone",
        }
    }
}

/// The largest number an id holds (48 bits).
const NUMBER_MASK: u64 = 0xffff_ffff_ffff;

/// The stable UUID of row `n` of `kind` on the site at `base` (see the module comment).
pub(crate) fn uuid(base: &str, kind: Kind, n: u64) -> String {
    let h = crate::session::sha256_hex(&format!("stadtradar:hsds:{base}:{}", kind.as_str()));
    let mut hex: Vec<char> = h.chars().take(20).collect();
    hex.resize(20, '0');
    hex[12] = '8';
    hex[16] = match hex[16] {
        '0' | '4' | '8' | 'c' => '8',
        '1' | '5' | '9' | 'd' => '9',
        '2' | '6' | 'a' | 'e' => 'a',
        _ => 'b',
    };
    let p: String = hex.into_iter().collect();
    format!(
        "{}-{}-{}-{}-{:012x}",
        &p[0..8],
        &p[8..12],
        &p[12..16],
        &p[16..20],
        n & NUMBER_MASK
    )
}

/// The number of row `kind` that `id` names on the site at `base`: `Ok(None)` for a UUID that
/// is not one of this site's ids of that kind, `Err` for text that is not a UUID.
pub(crate) fn number(base: &str, kind: Kind, id: &str) -> Result<Option<u64>, AppError> {
    let id = id.trim().to_ascii_lowercase();
    let shaped = id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if !shaped {
        return Err(AppError::bad(
            "id",
            format!("{id:?} is not a UUID (8-4-4-4-12 hexadecimal digits)"),
        ));
    }
    let n = u64::from_str_radix(&id[24..], 16).unwrap_or(0);
    Ok((uuid(base, kind, n) == id).then_some(n))
}

/// An offer's or provider's id as a number of an HSDS id (ids are positive).
pub(crate) fn n(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// The `Page` object of the HSDS API profile around `contents`.
fn page_of(contents: Vec<Value>, page: i64, per_page: i64, total: i64) -> Value {
    let pages = (total + per_page - 1) / per_page;
    json!({
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

/// `GET /api/hsds`: what this API is (the HSDS API profile's root).
pub async fn root(State(state): State<AppState>) -> Response {
    crate::cache::tagged(
        Json(json!({
            "version": "3.0",
            "openapi_url": state.url("/api/openapi.json"),
        }))
        .into_response(),
        [domain::tags::SITE],
    )
}

/// `GET /api/hsds/services?page=&per_page=` (and the filters of `/angebote`): the public
/// offers as HSDS services with their one-to-one fields, in the list's order.
pub async fn services(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let per_page = per_page(&pairs)?;
    let (page, filter, _) = filter_of(&state, &t, &pairs).await?;
    let (found, total) = state
        .db
        .public_offers(today(), &filter, page, per_page)
        .await?;
    let base = state.url("");
    let contents = found
        .iter()
        .map(|f| service_item(&state, &base, &t, &f.offer))
        .collect();
    Ok(crate::cache::tagged(
        Json(page_of(contents, page, per_page, total)).into_response(),
        [
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
        ],
    ))
}

/// `GET /api/hsds/services/{id}`: a public offer as a full HSDS service.
pub async fn service_by_id(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let base = state.url("");
    let offer_id = number(&base, Kind::Service, &id)?
        .and_then(|n| i64::try_from(n).ok())
        .ok_or(AppError::NotFound)?;
    let o = state
        .db
        .offer_by_id(offer_id)
        .await?
        .filter(|o| o.is_public())
        .ok_or(AppError::NotFound)?;
    let provider = state
        .db
        .provider_by_id(o.provider_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let links = state.db.offer_links(o.id).await?;
    let city = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    let body = service(&state, &base, &t, &o, &provider, &links, &city, today());
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::offer(o.id),
            domain::tags::provider(o.provider_id),
            domain::tags::OFFERS.to_string(),
            domain::tags::OFFERS_DETAIL.to_string(),
            domain::tags::SITE.to_string(),
        ],
    ))
}

/// `GET /api/hsds/organizations?page=&per_page=`: the approved providers by name.
pub async fn organizations(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (page, per_page) = (page(&t, &pairs)?, per_page(&pairs)?);
    let (list, total) = state.db.public_providers(page, per_page).await?;
    let base = state.url("");
    let contents = list.iter().map(|p| organization_item(&base, p)).collect();
    // Each provider's tag too: a new logo (whose address is in its item) drops this page.
    let tags = list.iter().map(|p| domain::tags::provider(p.id)).chain([
        domain::tags::OFFERS.to_string(),
        domain::tags::OFFERS_DETAIL.to_string(),
    ]);
    Ok(crate::cache::tagged(
        Json(page_of(contents, page, per_page, total)).into_response(),
        tags,
    ))
}

/// `GET /api/hsds/organizations/{id}`: an approved provider with its phone and its services
/// (their one-to-one fields; at most [`ORGANIZATION_SERVICES`], by name).
pub async fn organization_by_id(
    State(state): State<AppState>,
    Locale(t): Locale,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let base = state.url("");
    let provider_id = number(&base, Kind::Organization, &id)?
        .and_then(|n| i64::try_from(n).ok())
        .ok_or(AppError::NotFound)?;
    let p = state
        .db
        .provider_by_id(provider_id)
        .await?
        .filter(|p| p.state == domain::offers::ProviderState::Approved)
        .ok_or(AppError::NotFound)?;
    let (offers, _) = state
        .db
        .provider_offers(p.id, false, 1, ORGANIZATION_SERVICES)
        .await?;
    let body = organization(&state, &base, &t, &p, &offers);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_8_uuids_that_lead_back_to_their_row() {
        let base = "https://radar.example";
        let id = uuid(base, Kind::Service, 42);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8", "version 8");
        assert!("89ab".contains(&id[19..20]), "RFC 9562 variant");
        assert!(id.ends_with("-00000000002a"));
        assert_eq!(id, uuid(base, Kind::Service, 42), "stable");
        assert_ne!(id, uuid(base, Kind::Organization, 42), "kinds differ");
        assert_ne!(id, uuid("https://other.example", Kind::Service, 42));
        assert_eq!(number(base, Kind::Service, &id).ok().flatten(), Some(42));
        assert_eq!(
            number(base, Kind::Service, &id.to_ascii_uppercase())
                .ok()
                .flatten(),
            Some(42)
        );
        assert_eq!(number(base, Kind::Organization, &id).ok().flatten(), None);
        assert!(number(base, Kind::Service, "42").is_err());
        assert!(number(base, Kind::Service, "0000000-00000-8000-8000-00000000002a").is_err());
    }
}
