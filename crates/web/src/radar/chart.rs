//! The radar page: the drawing with its table.

use crate::AppState;
use crate::extract::Ctx;
use crate::i18n::Arg;
use crate::layout::*;
use crate::radar::params::Params;
use crate::radar::svg::*;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;

pub async fn radar(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "radar").await?;
    let tax = state.db.taxonomy().await?;
    let measures = state.cards.measures(&state.db, &p.filter).await?;
    let rings = ring_mode(&p, &measures);
    let label = t.args(
        "radar-svg-label",
        &[
            ("count", Arg::Num(measures.len() as i64)),
            ("rings", Arg::Str(rings_word(&t, &p))),
        ],
    );
    html(RadarPage {
        title: t.get("radar-title"),
        intro: t.s("radar-intro", "rings", &rings_word(&t, &p)),
        form: filter_form(&state, &t, &tax, &p, "/radar", true).await?,
        svg: radar_svg(&t, &tax, &measures, &rings, &label, cmp),
        legend: legend(&t, &tax, &measures, &rings, cmp),
        results: t.n("list-results", "count", measures.len() as i64),
        rows: measures
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        c,
    })
    .map(|r| crate::cache::tagged(r, crate::radar::list_tags(&p)))
}
