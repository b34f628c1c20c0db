//! The JSON shapes of the API.

use crate::AppState;
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
    pub(crate) fn new(state: &AppState, m: &MeasureCard, compare: bool) -> MeasureJson {
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
