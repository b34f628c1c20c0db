//! The read API under `/api/v1`: JSON, paginated, every record with the URL of its public page.
//! Errors are RFC 9457 problem documents (rendered by the error middleware).

use crate::AppState;
use crate::error::AppError;
use crate::filters::Params;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::EditionMark;
use domain::dates::iso;
use serde::Serialize;
use store::strategy::MeasureCard;
use time::format_description::well_known::Rfc3339;

#[derive(Serialize)]
pub struct Ref {
    pub slug: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct MeasureJson {
    pub id: i64,
    pub external_id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub previous_status: Option<String>,
    /// `null` when the strategy has no previous edition to compare with.
    pub edition_mark: Option<&'static str>,
    pub progress: i64,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub target_year: Option<i64>,
    pub field: Ref,
    pub core_area: Ref,
    pub updated_at: String,
    pub url: String,
    pub api_url: String,
}

impl MeasureJson {
    fn new(state: &AppState, m: &MeasureCard, compare: bool) -> MeasureJson {
        MeasureJson {
            id: m.id,
            external_id: m.external_id.clone(),
            slug: m.slug.clone(),
            title: m.title.clone(),
            summary: m.summary.clone(),
            status: m.status.clone(),
            previous_status: m.previous_status.clone(),
            edition_mark: compare
                .then(|| EditionMark::of(m.status(), m.previous_status()).as_str()),
            progress: m.progress,
            planned_start: m.planned_start.map(iso),
            planned_end: m.planned_end.map(iso),
            target_year: m.target_year,
            field: Ref {
                slug: m.field_slug.clone(),
                title: m.field_title.clone(),
                url: state.url(&format!("/handlungsfelder/{}", m.field_slug)),
            },
            core_area: Ref {
                slug: m.core_area_slug.clone(),
                title: m.core_area_title.clone(),
                url: state.url(&format!("/radar?core_area={}", m.core_area_slug)),
            },
            updated_at: m.updated_at.format(&Rfc3339).unwrap_or_default(),
            url: state.url(&format!("/massnahmen/{}", m.slug)),
            api_url: state.url(&format!("/api/v1/measures/{}", m.id)),
        }
    }
}

#[derive(Serialize)]
pub struct MeasurePage {
    pub items: Vec<MeasureJson>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub async fn measures(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<MeasurePage>, AppError> {
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
    }))
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
    });
    Ok(Json(body).into_response())
}

pub async fn strategy(State(state): State<AppState>) -> Result<Response, AppError> {
    let strategy = state.db.strategy().await?;
    let editions = state.db.editions().await?;
    let tax = state.db.taxonomy().await?;
    let counts = state.db.status_counts().await?;
    let count = |field_id: i64| {
        let mut m = serde_json::Map::new();
        let mut total = 0;
        for s in domain::Status::ALL {
            let n: i64 = counts
                .iter()
                .filter(|c| c.0 == field_id && c.1 == s.as_str())
                .map(|c| c.2)
                .sum();
            total += n;
            m.insert(s.as_str().into(), n.into());
        }
        m.insert("total".into(), total.into());
        serde_json::Value::Object(m)
    };
    let body = serde_json::json!({
        "strategy": strategy.as_ref().map(|s| serde_json::json!({
            "title": s.title, "city": s.city, "target_year": s.target_year, "vision_html": s.vision_html,
            "url": state.url("/") })),
        "editions": editions.iter().map(|e| serde_json::json!({
            "title": e.title, "date": e.edition_date.map(iso),
            "council_decision": e.decision_number.as_ref().map(|n| serde_json::json!({
                "number": n, "date": e.decision_date.map(iso), "url": e.decision_url })) })).collect::<Vec<_>>(),
        "core_areas": tax.core_areas.iter().map(|c| serde_json::json!({
            "slug": c.slug, "title": c.title, "description": c.description, "goals": c.goals, "colour": c.colour,
            "url": state.url(&format!("/radar?core_area={}", c.slug)),
            "fields": tax.fields_of(c.id).map(|f| serde_json::json!({
                "slug": f.slug, "title": f.title, "description": f.description, "goals": f.goals,
                "colour": tax.colour_of(f),
                "url": state.url(&format!("/handlungsfelder/{}", f.slug)),
                "measures_url": state.url(&format!("/api/v1/measures?field={}", f.slug)),
                "counts": count(f.id),
                "focus_areas": tax.focus_areas_of(f.id).map(|a| serde_json::json!({
                    "slug": a.slug, "title": a.title, "description": a.description, "goals": a.goals,
                    "colour": a.colour })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    Ok(Json(body).into_response())
}

pub const OPENAPI: &str = include_str!("../openapi.json");

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
