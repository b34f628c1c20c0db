//! `/api/v1/measures` and `/api/v1/measures/{id}`.

use crate::AppState;
use crate::api::*;
use crate::error::AppError;
use crate::extract::Path;
use crate::radar::params::Params;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::dates::iso;

pub async fn measures(State(state): State<AppState>, p: Params) -> Result<Response, AppError> {
    let per_page = p.per_page.unwrap_or(20);
    let compare = state.db.editions().await?.len() >= 2;
    let page = state
        .db
        .measures(&p.filter, p.sort, p.page, per_page)
        .await?;
    Ok(Json(MeasurePage {
        items: page
            .items
            .iter()
            .map(|m| MeasureJson::new(&state, m, compare))
            .collect(),
        total: page.total,
        page: page.page,
        per_page,
    })
    .into_response())
    .map(|r| crate::cache::tagged(r, crate::radar::list_tags(&p)))
}

pub async fn measure(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad("id", format!("{id:?} is not a measure id (a whole number)")))?;
    let d = state
        .db
        .measure_detail(id)
        .await?
        .filter(|d| d.measure.state == "published")
        .ok_or(AppError::NotFound)?;
    let compare = state.db.editions().await?.len() >= 2;
    let names = |v: &[store::strategy::Named]| v.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
    let rating = rating_json(&state.db.rating_totals(id).await?);
    let body = serde_json::json!({
        "measure": MeasureJson::new(&state, &d.card, compare),
        "description_html": d.measure.description_html,
        "description_markdown": d.measure.description_md,
        "goals": d.measure.goals,
        "weight": d.measure.weight,
        "progress_entered": d.measure.progress_entered,
        "focus_area": d.focus_area.as_ref().map(|f| serde_json::json!({"slug": f.slug, "title": f.title})),
        "departments": names(&d.departments),
        "target_groups": names(&d.target_groups),
        "tags": names(&d.tags),
        "council_decisions": d.decisions.iter().map(|x| serde_json::json!({
            "number": x.number, "date": x.decision_date.map(iso), "url": x.url })).collect::<Vec<_>>(),
        "kpis": d.kpis.iter().map(|k| serde_json::json!({
            "name": k.name, "unit": k.unit, "target": k.target_value, "current": k.current_value, "as_of": k.as_of.map(iso) })).collect::<Vec<_>>(),
        "milestones": d.milestones.iter().map(|m| serde_json::json!({
            "date": m.due_date.map(iso), "title": m.title, "reached": m.reached })).collect::<Vec<_>>(),
        "reports": d.reports.iter().map(|r| serde_json::json!({
            "year": r.year, "date": iso(r.published_on), "results": r.results, "outlook": r.outlook, "highlights": r.highlights,
            "url": state.url(&format!("/massnahmen/{}#bericht-{}", d.card.slug, r.id)) })).collect::<Vec<_>>(),
        "parent": d.parent.as_ref().map(|p| MeasureJson::new(&state, p, compare)),
        "children": d.children.iter().map(|c| MeasureJson::new(&state, c, compare)).collect::<Vec<_>>(),
        "rating": rating,
    });
    let mut shown = vec![domain::tags::measure(id), domain::tags::rating(id)];
    shown.extend(d.parent.iter().map(|p| domain::tags::measure(p.id)));
    shown.extend(d.children.iter().map(|c| domain::tags::measure(c.id)));
    Ok(crate::cache::tagged(Json(body).into_response(), shown))
}

/// A measure's rating totals in the API: count, mean (one decimal, `null` without ratings) and
/// how many gave each value.
fn rating_json(t: &domain::participation::RatingTotals) -> serde_json::Value {
    use domain::participation::Rating;
    let distribution: serde_json::Map<String, serde_json::Value> = Rating::scale()
        .map(|r| (r.value().to_string(), serde_json::Value::from(t.of(r))))
        .collect();
    serde_json::json!({
        "count": t.count,
        "mean": t.mean_tenths().map(|m| m as f64 / 10.0),
        "distribution": distribution,
    })
}
