//! Statistics of the strategy.

use crate::AppState;
use crate::extract::Ctx;
use crate::layout::*;
use crate::radar::svg::*;
use crate::radar::views::*;
use axum::extract::State;
use domain::Status;
use domain::tags;
use store::strategy::MeasureFilter;

pub async fn statistics(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "stats").await?;
    let tax = state.db.taxonomy().await?;
    let counts = state.db.status_counts().await?;
    let measures = state
        .cards
        .measures(&state.db, &MeasureFilter::default())
        .await?;
    let by_field: Vec<StatRow> = tax
        .fields
        .iter()
        .map(|f| {
            let mut cells = vec![0i64; 4];
            for (fid, status, n) in &counts {
                if *fid == f.id
                    && let Some(i) = Status::ALL.iter().position(|s| s.as_str() == status)
                {
                    cells[i] = *n;
                }
            }
            StatRow {
                label: f.title.clone(),
                href: format!("/handlungsfelder/{}", f.slug),
                total: cells.iter().sum(),
                cells,
            }
        })
        .collect();
    let mut bands = [0i64; 11];
    let (mut sum, mut n) = (0i64, 0i64);
    for m in measures.iter() {
        bands[(m.progress / 10).clamp(0, 10) as usize] += 1;
        if matches!(m.status(), Status::InProgress | Status::Done) {
            sum += m.progress;
            n += 1;
        }
    }
    let progress_bands: Vec<(String, i64)> = bands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                if i == 10 {
                    "100 %".to_string()
                } else {
                    format!("{}–{} %", i * 10, i * 10 + 9)
                },
                *c,
            )
        })
        .collect();
    let bars: Vec<(String, [i64; 4])> = by_field
        .iter()
        .map(|r| {
            (
                r.label.clone(),
                [r.cells[0], r.cells[1], r.cells[2], r.cells[3]],
            )
        })
        .collect();
    html(StatsPage {
        title: t.get("stats-title"),
        overall: t.n(
            "stats-overall",
            "percent",
            if n > 0 {
                (sum as f64 / n as f64).round() as i64
            } else {
                0
            },
        ),
        status_labels: Status::ALL.iter().map(|s| t.status(s.as_str())).collect(),
        by_field_svg: stacked_bars_svg(&bars, &t.get("stats-status-by-field-label")),
        by_field,
        progress_svg: histogram_svg(&progress_bands, &t.get("stats-progress-label")),
        progress_bands,
        c,
    })
    .map(|r| crate::cache::tagged(r, [tags::MEASURES]))
}
