//! One search over everything: `/suche` (the page, `page.rs`) and `/api/v1/search`
//! (`api::search`) read the same parameters here and ask the store the same questions — one
//! grouped count, then one query per kind shown — so both give the same results in the same order.

mod page;

pub use page::search;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use domain::search::{Kind, MAX_PAGE, MAX_QUERY, PER_PAGE};
use store::search::{Hit, Terms};

/// The query parameters of the search (the page cache keeps them in its key, `cache::canonical`).
pub const KEYS: [&str; 3] = ["q", "kind", "page"];

/// The search's paths, whose cache keys keep [`KEYS`].
pub const PATHS: [&str; 2] = ["/suche", "/api/v1/search"];

/// The cache tags of every kind the search shows: a write to any of them drops its pages.
pub(crate) fn tags() -> [String; 8] {
    [
        domain::tags::MEASURES.to_string(),
        domain::tags::TEXTS.to_string(),
        domain::tags::IDEAS.to_string(),
        domain::tags::PROGRAMME.to_string(),
        domain::tags::OFFERS.to_string(),
        domain::tags::OFFERS_DETAIL.to_string(),
        domain::tags::VOLUNTEERING.to_string(),
        domain::tags::SITE.to_string(),
    ]
}

/// The search's parameters, read and checked.
pub(crate) struct Params {
    /// The query as typed (trimmed).
    pub q: String,
    /// Its stemmed words; `None` for an empty query: the form only.
    pub terms: Option<Terms>,
    /// One kind only (`kind=`), or all of them, each with its first page.
    pub kind: Option<Kind>,
    pub page: i64,
}

impl Params {
    /// `q`, `kind` and `page` of the query string; a bad one is a 400 naming it. A page other
    /// than the first needs a kind: the overview shows the first page of every kind.
    pub fn read(t: &Tr, pairs: &[(String, String)]) -> Result<Params, AppError> {
        let value = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let q = value("q").unwrap_or_default();
        if q.chars().count() > MAX_QUERY {
            return Err(AppError::bad("q", t.get("search-bad-q")));
        }
        let kind = match value("kind") {
            None => None,
            Some(v) => Some(
                Kind::parse(v).ok_or_else(|| AppError::bad("kind", t.get("search-bad-kind")))?,
            ),
        };
        let page = match value("page") {
            None => 1,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(|| AppError::bad("page", t.get("search-bad-page")))?,
        };
        if page > 1 && kind.is_none() {
            return Err(AppError::bad("page", t.get("search-page-needs-kind")));
        }
        Ok(Params {
            q: q.to_string(),
            terms: Terms::of(q),
            kind,
            page,
        })
    }

    /// The query string of this search for `kind` (`None`: all kinds) and `page`, without `?`.
    pub fn query(&self, kind: Option<Kind>, page: i64) -> String {
        let mut out = format!("q={}", encode(&self.q));
        if let Some(k) = kind {
            out.push_str("&kind=");
            out.push_str(k.as_str());
        }
        if page > 1 {
            out.push_str(&format!("&page={page}"));
        }
        out
    }
}

/// `application/x-www-form-urlencoded` for a query value.
fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// The results of one kind: how many there are in all, and the page shown.
pub(crate) struct Group {
    pub kind: Kind,
    pub count: i64,
    pub hits: Vec<Hit>,
}

impl Group {
    pub fn pages(&self) -> i64 {
        ((self.count + PER_PAGE - 1) / PER_PAGE).max(1)
    }
}

/// What a search found: the count of every kind (in [`Kind::ALL`]'s order) and the groups
/// shown — the chosen kind, or every kind with results. Nothing for an empty query.
pub(crate) struct Found {
    pub counts: Vec<(Kind, i64)>,
    pub groups: Vec<Group>,
}

impl Found {
    pub fn total(&self) -> i64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// Runs the search: one grouped count, then one query per kind shown that has results.
pub(crate) async fn find(state: &AppState, p: &Params) -> Result<Found, AppError> {
    let Some(terms) = &p.terms else {
        return Ok(Found {
            counts: Kind::ALL.iter().map(|k| (*k, 0)).collect(),
            groups: Vec::new(),
        });
    };
    let counts = state.db.search_counts(terms).await?;
    let mut groups = Vec::new();
    for (kind, count) in &counts {
        if p.kind.is_some_and(|k| k != *kind) || (p.kind.is_none() && *count == 0) {
            continue;
        }
        let hits = if *count > (p.page - 1) * PER_PAGE {
            state.db.search_page(*kind, terms, p.page, PER_PAGE).await?
        } else {
            Vec::new()
        };
        groups.push(Group {
            kind: *kind,
            count: *count,
            hits,
        });
    }
    Ok(Found { counts, groups })
}

/// The page of a thing found.
pub(crate) fn href(kind: Kind, h: &Hit) -> String {
    match kind {
        Kind::Measures => format!("/massnahmen/{}", h.slug),
        Kind::Ideas => format!("/ideen/{}", h.id),
        Kind::Events => format!("/veranstaltungen/{}", h.slug),
        Kind::Sessions => format!("/veranstaltungen/{}/sessions/{}", h.parent, h.slug),
        Kind::Offers => format!("/angebote/{}", h.slug),
        Kind::Roles => format!("/ehrenamt/{}", h.slug),
        Kind::Providers => format!("/anbieter/{}", h.slug),
    }
}

/// The API's answer of a thing found, where the API has one (a session is part of its
/// event's answer); `None` for a volunteering role: the API has no answer for roles, so the
/// search gives its page only.
pub(crate) fn api_href(kind: Kind, h: &Hit) -> Option<String> {
    Some(match kind {
        Kind::Measures => format!("/api/v1/measures/{}", h.id),
        Kind::Ideas => format!("/api/v1/ideas/{}", h.id),
        Kind::Events => format!("/api/v1/events/{}", h.slug),
        Kind::Sessions => format!("/api/v1/events/{}", h.parent),
        Kind::Offers => format!("/api/v1/offers/{}", h.slug),
        Kind::Roles => return None,
        Kind::Providers => format!("/api/v1/providers/{}", h.slug),
    })
}

/// The length of an excerpt, in characters.
pub(crate) const EXCERPT: usize = 180;
