//! `GET /api/v1/search?q=…&kind=…&page=…`: the search of `/suche` as JSON, read and answered by
//! the same code (`crate::search`): the counts of every kind, and per kind shown its page of
//! results with the links to their pages and API answers (`null` for a volunteering role: the
//! API has none).

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Query};
use crate::search::{EXCERPT, Params, api_href, find, href};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::search::PER_PAGE;
use serde_json::{Map, Value, json};

/// The search as JSON: `counts` (every kind), `groups` (the chosen kind, or every kind with
/// results and its first page), each with `items` and the links of its pages.
pub async fn search(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let p = Params::read(&t, &pairs)?;
    let found = find(&state, &p).await?;
    let counts: Map<String, Value> = found
        .counts
        .iter()
        .map(|(k, n)| (k.as_str().to_string(), json!(n)))
        .collect();
    let page_link =
        |kind, page: i64| state.url(&format!("/api/v1/search?{}", p.query(Some(kind), page)));
    let groups: Vec<Value> = found
        .groups
        .iter()
        .map(|g| {
            let pages = g.pages();
            json!({
                "kind": g.kind.as_str(),
                "total": g.count,
                "page": p.page,
                "per_page": PER_PAGE,
                "items": g.hits.iter().map(|h| json!({
                    "id": h.id,
                    "title": h.title,
                    "excerpt": domain::search::excerpt(&h.text, EXCERPT),
                    "url": state.url(&href(g.kind, h)),
                    "api_url": api_href(g.kind, h).map(|a| state.url(&a)),
                })).collect::<Vec<_>>(),
                "links": {
                    "self": page_link(g.kind, p.page),
                    "prev": (p.page > 1).then(|| page_link(g.kind, (p.page - 1).min(pages))),
                    "next": (p.page < pages).then(|| page_link(g.kind, p.page + 1)),
                },
            })
        })
        .collect();
    let body = json!({
        "q": p.q,
        "kind": p.kind.map(domain::search::Kind::as_str),
        "total": found.total(),
        "counts": counts,
        "groups": groups,
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        crate::search::tags(),
    ))
}
