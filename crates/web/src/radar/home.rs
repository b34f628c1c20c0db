//! The start page: the strategy, a small radar, the latest reports.

use crate::AppState;
use crate::extract::Ctx;
use crate::i18n::Arg;
use crate::layout::*;
use crate::radar::params::Params;
use crate::radar::svg::*;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;
use domain::tags;
use store::strategy::MeasureFilter;

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "home").await?;
    let strategy = state.db.strategy().await?;
    let tax = state.db.taxonomy().await?;
    let measures = state
        .cards
        .measures(&state.db, &MeasureFilter::default())
        .await?;
    let editions = state.db.editions().await?;
    let reports = state.db.latest_reports(5).await?;
    let p = Params::default();
    let rings = ring_mode(&p, &measures);
    let label = t.args(
        "radar-svg-label",
        &[
            ("count", Arg::Num(measures.len() as i64)),
            ("rings", Arg::Str(rings_word(&t, &p))),
        ],
    );
    html(HomePage {
        title: strategy
            .as_ref()
            .map(|s| s.title.clone())
            .unwrap_or_else(|| t.get("site-name")),
        intro: if strategy.is_some() {
            t.get("home-intro")
        } else {
            t.get("empty-strategy")
        },
        vision_html: strategy.map(|s| s.vision_html).unwrap_or_default(),
        edition: editions.last().map(|e| e.title.clone()).unwrap_or_default(),
        svg: radar_svg(&t, &tax, &measures, &rings, &label, cmp),
        total: t.n("measures-total", "count", measures.len() as i64),
        counts: status_counts(&t, counts_of(&measures), "/massnahmen?"),
        reports: reports
            .into_iter()
            .map(|r| ReportView {
                href: format!("/massnahmen/{}#bericht-{}", r.measure_slug, r.id),
                measure_title: r.measure_title,
                heading: t.n("report-year", "year", r.year),
                date: domain::dates::german(r.published_on),
                results: r.results,
            })
            .collect(),
        legend: legend(&t, &tax, &measures, &rings, cmp),
        c,
    })
    .map(|r| crate::cache::tagged(r, [tags::MEASURES, tags::REPORTS]))
}
