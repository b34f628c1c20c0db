//! The page of one field of action.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path};
use crate::i18n::Arg;
use crate::layout::*;
use crate::radar::params::Params;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;
use domain::Status;
use domain::tags;
use store::strategy::{MeasureFilter, Sort};

pub async fn field(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    p: Params,
) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let tax = state.db.taxonomy().await?;
    let f = tax.field_by_slug(&slug).ok_or(AppError::NotFound)?;
    let c = chrome(&state, &ctx, "radar").await?;
    let ca = tax.core_area(f.core_area_id);
    let mut counts = [0i64; 4];
    for (field_id, status, n) in state.db.status_counts().await? {
        if field_id == f.id
            && let Some(i) = Status::ALL.iter().position(|s| s.as_str() == status)
        {
            counts[i] = n;
        }
    }
    let total: i64 = counts.iter().sum();
    let filter = MeasureFilter {
        field: Some(slug.clone()),
        ..Default::default()
    };
    let page = state.db.measures(&filter, Sort::Title, p.page, 50).await?;
    let pp = Params {
        filter: MeasureFilter::default(),
        lang: p.lang.clone(),
        ..Default::default()
    };
    html(FieldPage {
        title: f.title.clone(),
        core_area: ca.map(|c| c.title.clone()).unwrap_or_default(),
        colour: tax.colour_of(f).to_string(),
        description: f.description.clone(),
        goals: f.goals.clone(),
        counts_text: t.args(
            "field-counts",
            &[
                ("planned", Arg::Num(counts[0])),
                ("in_progress", Arg::Num(counts[1])),
                ("done", Arg::Num(counts[2])),
                ("dropped", Arg::Num(counts[3])),
                ("total", Arg::Num(total)),
            ],
        ),
        counts: status_counts(&t, counts, &format!("/massnahmen?field={slug}&")),
        focus_areas: tax
            .focus_areas_of(f.id)
            .map(|a| (a.title.clone(), a.description.clone(), a.goals.clone()))
            .collect(),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new(
            &format!("/handlungsfelder/{slug}"),
            &pp,
            page.page,
            50,
            page.total,
        ),
        radar_href: format!("/radar?field={slug}"),
        follow_html: crate::notifications::follow_box(
            &state,
            t,
            domain::notifications::FollowKind::Field,
            f.id,
            &f.slug,
            ctx.user.as_ref(),
        )
        .await?,
        c,
    })
    .map(|r| crate::cache::tagged(r, [tags::MEASURES]))
}
