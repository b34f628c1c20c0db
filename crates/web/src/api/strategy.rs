//! `/api/v1/strategy` and the OpenAPI document.

use crate::AppState;
use crate::error::AppError;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::dates::iso;

pub async fn strategy(State(state): State<AppState>) -> Result<Response, AppError> {
    let strategy = state.db.strategy().await?;
    let editions = state.db.editions().await?;
    let tax = state.db.taxonomy().await?;
    let counts = state.db.status_counts().await?;
    let demo = state.db.demo_active().await?;
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
        "demo": demo,
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
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [domain::tags::MEASURES],
    ))
}

pub const OPENAPI: &str = include_str!("../../openapi.json");

pub async fn openapi() -> Response {
    crate::cache::tagged(
        ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response(),
        std::iter::empty::<String>(),
    )
}
