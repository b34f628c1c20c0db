//! Template structs and view models of the public radar pages.

use crate::i18n::Tr;
use crate::layout::*;
use askama::Template;
use domain::EditionMark;
use domain::Status;
use store::strategy::MeasureCard;

/// A GET form of filters; it applies on submit only (WCAG 3.2.2).
pub struct FilterForm {
    pub action: &'static str,
    pub q: String,
    pub selects: Vec<Select>,
    pub reset_href: String,
}

/// One measure in a table, list or chart.
pub struct MeasureView {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub status: &'static str,
    pub status_label: String,
    pub progress: i64,
    pub field_title: String,
    pub field_href: String,
    pub colour: String,
    pub target_year: String,
    pub mark: &'static str,
    pub mark_label: String,
    pub period: String,
}

impl MeasureView {
    /// `compare`: the strategy has a previous edition to compare with (else no marks).
    pub fn new(t: &Tr, m: &MeasureCard, compare: bool) -> MeasureView {
        let status = m.status();
        let mark = if compare {
            EditionMark::of(status, m.previous_status())
        } else {
            EditionMark::Unchanged
        };
        let period = match (m.planned_start, m.planned_end) {
            (Some(s), Some(e)) => format!(
                "{} – {}",
                domain::dates::german(s),
                domain::dates::german(e)
            ),
            (Some(s), None) => format!("{} –", domain::dates::german(s)),
            (None, Some(e)) => format!("– {}", domain::dates::german(e)),
            (None, None) => String::new(),
        };
        MeasureView {
            href: format!("/massnahmen/{}", m.slug),
            title: m.title.clone(),
            summary: m.summary.clone(),
            status: status.as_str(),
            status_label: t.status(status.as_str()),
            progress: m.progress,
            field_title: m.field_title.clone(),
            field_href: format!("/handlungsfelder/{}", m.field_slug),
            colour: m.colour.clone(),
            target_year: m.target_year.map(|y| y.to_string()).unwrap_or_default(),
            mark: mark.as_str(),
            mark_label: if compare {
                t.get(&format!("mark-{}", mark.as_str()))
            } else {
                String::new()
            },
            period,
        }
    }
}

pub struct StatusCount {
    pub status: &'static str,
    pub label: String,
    pub count: i64,
    pub href: String,
}

pub fn status_counts(t: &Tr, counts: [i64; 4], base: &str) -> Vec<StatusCount> {
    Status::ALL
        .into_iter()
        .zip(counts)
        .map(|(s, count)| StatusCount {
            status: s.as_str(),
            label: t.status(s.as_str()),
            count,
            href: format!("{base}status={}", s.as_str()),
        })
        .collect()
}

pub struct ReportView {
    pub measure_title: String,
    pub href: String,
    pub heading: String,
    pub date: String,
    pub results: String,
}

pub struct LegendItem {
    pub label: String,
    pub colour: String,
    pub href: String,
    pub count: i64,
}

pub struct Legend {
    pub core_areas: Vec<LegendItem>,
    pub fields: Vec<LegendItem>,
    pub rings: Vec<String>,
    /// Show the edition marks (only when there is a previous edition).
    pub marks: bool,
}

#[derive(Template)]
#[template(path = "radar/home.html")]
pub struct HomePage {
    pub c: Chrome,
    pub title: String,
    pub intro: String,
    pub vision_html: String,
    pub edition: String,
    pub svg: String,
    pub total: String,
    pub counts: Vec<StatusCount>,
    pub reports: Vec<ReportView>,
    pub legend: Legend,
}

#[derive(Template)]
#[template(path = "radar/radar.html")]
pub struct RadarPage {
    pub c: Chrome,
    pub title: String,
    pub intro: String,
    pub form: FilterForm,
    pub svg: String,
    pub legend: Legend,
    pub results: String,
    pub rows: Vec<MeasureView>,
}

#[derive(Template)]
#[template(path = "radar/list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub title: String,
    pub heading: String,
    pub form: FilterForm,
    pub results: String,
    pub items: Vec<MeasureView>,
    pub pagination: Option<Pagination>,
}

pub struct Fact {
    pub label: String,
    pub value: String,
    pub links: Vec<(String, String)>,
}

pub struct KpiView {
    pub name: String,
    pub current: String,
    pub target: String,
    pub as_of: String,
}

pub struct MilestoneView {
    pub date: String,
    pub title: String,
    pub state: String,
    pub reached: bool,
}

pub struct DecisionView {
    pub number: String,
    pub date: String,
    pub url: Option<String>,
}

#[derive(Template)]
#[template(path = "radar/measure.html")]
pub struct MeasurePage {
    pub c: Chrome,
    /// The measure's id, for its personal slot (the edit link).
    pub id: i64,
    pub title: String,
    pub m: MeasureView,
    pub external_id: String,
    pub description_html: String,
    pub goals: String,
    pub progress_note: String,
    pub facts: Vec<Fact>,
    pub parent: Option<MeasureView>,
    pub children: Vec<MeasureView>,
    pub milestones: Vec<MilestoneView>,
    pub kpis: Vec<KpiView>,
    pub reports: Vec<ReportBlock>,
    pub decisions: Vec<DecisionView>,
    pub related: Vec<MeasureView>,
    /// Public events linked to the measure: address, title, date.
    pub events: Vec<(String, String, String)>,
    /// The public offers linked to the measure: address and title.
    pub offers: Vec<(String, String)>,
    pub updated: String,
    pub history: Vec<HistoryView>,
    /// The follow button (`notifications::follow_box`), empty in a preview.
    pub follow_html: String,
    /// The rating section (`participation::rating_box`), empty in a preview.
    pub rating_html: String,
    pub comments_html: String,
    /// Link to the edit form, for editors.
    pub edit_href: Option<String>,
    /// Shown above a back-office preview of a measure the public does not see.
    pub preview: Option<String>,
}

pub struct HistoryView {
    pub date: String,
    pub by: String,
    pub text: String,
}

pub struct ReportBlock {
    pub heading: String,
    pub date: String,
    pub anchor: String,
    pub parts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "radar/field.html")]
pub struct FieldPage {
    pub c: Chrome,
    pub title: String,
    pub core_area: String,
    pub colour: String,
    pub description: String,
    pub goals: String,
    pub counts_text: String,
    pub counts: Vec<StatusCount>,
    /// Title, description, goals.
    pub focus_areas: Vec<(String, String, String)>,
    pub items: Vec<MeasureView>,
    pub pagination: Option<Pagination>,
    pub radar_href: String,
    /// The follow button (`notifications::follow_box`).
    pub follow_html: String,
}

#[derive(Template)]
#[template(path = "radar/timeline.html")]
pub struct TimelinePage {
    pub c: Chrome,
    pub title: String,
    pub form: FilterForm,
    pub results: String,
    pub svg: String,
    pub items: Vec<MeasureView>,
    pub pagination: Option<Pagination>,
}

pub struct StatRow {
    pub label: String,
    pub href: String,
    pub cells: Vec<i64>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "radar/stats.html")]
pub struct StatsPage {
    pub c: Chrome,
    pub title: String,
    pub overall: String,
    pub status_labels: Vec<String>,
    pub by_field_svg: String,
    pub by_field: Vec<StatRow>,
    pub progress_svg: String,
    pub progress_bands: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "radar/legal.html")]
pub struct LegalPage {
    pub c: Chrome,
    pub title: String,
    /// Sanitised HTML.
    pub html: String,
}
