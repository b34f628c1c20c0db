//! The timeline of measures.

use crate::AppState;
use crate::extract::Ctx;
use crate::layout::*;
use crate::radar::params::Params;
use crate::radar::svg::*;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;
use store::strategy::Sort;

pub async fn timeline(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "timeline").await?;
    let tax = state.db.taxonomy().await?;
    let per_page = p.per_page.unwrap_or(50);
    let page = state
        .db
        .measures(&p.filter, Sort::Start, p.page, per_page)
        .await?;
    html(TimelinePage {
        title: t.get("timeline-title"),
        form: filter_form(&state, &t, &tax, &p, "/zeitleiste", false).await?,
        results: t.n("list-results", "count", page.total),
        svg: timeline_svg(
            &page.items,
            &t.n("timeline-svg-label", "count", page.items.len() as i64),
            time::OffsetDateTime::now_utc().date(),
            &t.get("timeline-today"),
        ),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new("/zeitleiste", &p, page.page, per_page, page.total),
        c,
    })
    .map(|r| crate::cache::tagged(r, crate::radar::list_tags(&p)))
}
