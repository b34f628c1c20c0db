//! The list of measures with filters, search and pagination.

use crate::AppState;
use crate::extract::Ctx;
use crate::layout::*;
use crate::radar::params::Params;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;
use domain::tags;

pub(crate) const PER_PAGE: i64 = 25;

pub async fn measures(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "measures").await?;
    let tax = state.db.taxonomy().await?;
    let per_page = p.per_page.unwrap_or(PER_PAGE);
    let page = state
        .db
        .measures(&p.filter, p.sort, p.page, per_page)
        .await?;
    html(ListPage {
        title: t.get("list-title"),
        heading: p
            .filter
            .q
            .as_deref()
            .map(|q| t.s("list-search-results", "q", q))
            .unwrap_or_default(),
        form: filter_form(&state, &t, &tax, &p, "/massnahmen", true).await?,
        results: t.n("list-results", "count", page.total),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new("/massnahmen", &p, page.page, per_page, page.total),
        c,
    })
    .map(|r| crate::cache::tagged(r, list_tags(&p)))
}

/// A search reads the full texts; a plain list only what cards show.
pub(crate) fn list_tags(p: &Params) -> Vec<&'static str> {
    let mut shown = vec![tags::MEASURES];
    if p.filter.q.is_some() {
        shown.push(tags::TEXTS);
    }
    // Only a list in the order of the ratings, or filtered by them, changes with every rating.
    if p.sort == store::strategy::Sort::RatingDesc || p.filter.min_rating.is_some() {
        shown.push(tags::RATINGS);
    }
    shown
}
