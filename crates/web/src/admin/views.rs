//! Template structs of the back office.

use crate::layout::*;
use askama::Template;

pub struct AdminUserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<&'static str>,
    pub is_editor: bool,
    pub locked: bool,
    pub confirmed: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct AdminUsersPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub role_names: Vec<(&'static str, String)>,
    pub rows: Vec<AdminUserRow>,
    pub pagination: Option<Pagination>,
    pub notice: Option<String>,
    /// The page of the table shown (its forms send it, so a save comes back to it).
    pub page: i64,
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// Readable lines of the value before and after (only what changed, for JSON objects).
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub c: Chrome,
    pub title: String,
    pub selects: Vec<Select>,
    pub from: String,
    pub to: String,
    pub total: i64,
    pub rows: Vec<AuditRow>,
    pub pagination: Option<Pagination>,
}

#[derive(Template)]
#[template(path = "admin/measures.html")]
pub struct AdminMeasuresPage {
    pub c: Chrome,
    pub title: String,
    /// The search text, if any.
    pub q: String,
    pub states: Vec<Opt>,
    pub fields: Vec<Opt>,
    pub items: Vec<AdminMeasureItem>,
    pub total: i64,
    pub pagination: Option<Pagination>,
}

pub struct AdminMeasureItem {
    pub href: String,
    pub title: String,
    pub field: String,
    pub status: String,
    pub progress: i64,
    pub state: String,
    /// A restricted editor sees every measure but may open only those of their fields.
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "admin/edit_measure.html")]
pub struct EditMeasurePage {
    pub c: Chrome,
    pub title: String,
    pub action: String,
    pub is_new: bool,
    pub public_href: Option<String>,
    pub preview_href: Option<String>,
    pub version: i64,
    pub external_id: String,
    pub csrf: String,
    pub statuses: Vec<Opt>,
    pub states: Vec<Opt>,
    pub fields: Vec<OptGroup>,
    pub focus_areas: Vec<OptGroup>,
    pub parents: Vec<Opt>,
    pub title_value: String,
    pub summary: String,
    pub description: String,
    pub goals: String,
    pub progress: String,
    pub planned_start: String,
    pub planned_end: String,
    pub target_year: String,
    /// One name per line.
    pub departments: String,
    pub target_groups: String,
    pub tags: String,
    pub decisions: Vec<DecisionRowView>,
    pub kpis: Vec<KpiRowView>,
    pub milestones: Vec<MilestoneRowView>,
    pub errors: Vec<String>,
    /// The version someone else saved meanwhile.
    pub conflict: Option<StoredVersion>,
}

#[derive(Default)]
pub struct DecisionRowView {
    pub number: String,
    pub date: String,
    pub url: String,
}

#[derive(Default)]
pub struct KpiRowView {
    pub name: String,
    pub unit: String,
    pub target: String,
    pub current: String,
    pub as_of: String,
}

#[derive(Default)]
pub struct MilestoneRowView {
    pub title: String,
    pub date: String,
    pub reached: bool,
}

pub struct StoredVersion {
    pub title: String,
    pub status: String,
    pub state: String,
    pub progress: String,
    pub summary: String,
    pub description: String,
    pub goals: String,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    /// Key, label, current value.
    pub values: Vec<(&'static str, String, String)>,
    pub notice: Option<String>,
    /// Why a branding change was refused.
    pub error: Option<String>,
    /// The URL of the current logo.
    pub logo: Option<String>,
    /// The accent colour in the form (`#rrggbb`, or empty for the shipped one).
    pub accent: String,
    /// Guest comments wait for the moderation after their confirmation.
    pub premoderation: bool,
    /// Reports at which a comment is hidden until reviewed.
    pub threshold: i64,
    /// First comments of accounts wait for the moderation.
    pub first_post_review: bool,
    /// The word list, as typed.
    pub words: String,
    /// The time of the daily digest of notifications (`hh:mm`).
    pub digest_time: String,
}

#[derive(Template)]
#[template(path = "admin/strategy.html")]
pub struct StrategyPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub form_title: String,
    pub city: String,
    pub target_year: String,
    pub vision: String,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    /// Core areas → fields of action → focus areas.
    pub tree: Vec<TaxNode>,
    pub has_core_areas: bool,
    pub has_fields: bool,
}

pub struct TaxNode {
    pub title: String,
    pub kind: String,
    pub edit_href: String,
    pub move_action: String,
    pub archive_action: String,
    pub archived: bool,
    pub children: Vec<TaxNode>,
}

#[derive(Template)]
#[template(path = "admin/tax.html")]
pub struct TaxFormPage {
    pub c: Chrome,
    pub title: String,
    pub action: String,
    pub csrf: String,
    /// Name of the parent level ("Kernbereich"); empty for core areas.
    pub parent_label: String,
    pub parents: Vec<Opt>,
    pub colour_required: bool,
    pub edit: store::taxonomy::TaxEdit,
    pub colour: String,
    pub archived: bool,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/import.html")]
pub struct ImportPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub max_mb: i64,
    pub errors: Vec<ImportError>,
    /// The outcome of the last step (errors found, file too large, import applied).
    pub message: Option<String>,
}

/// One problem of an import file, as the validator names it.
pub struct ImportError {
    pub line: String,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "admin/import_preview.html")]
pub struct ImportPreviewPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub action: String,
    pub applied: bool,
    pub summary: String,
    pub core_areas: i64,
    pub changes: Vec<ImportRow>,
    pub unchanged: Vec<ImportRow>,
    pub errors: Vec<ImportError>,
    pub message: Option<String>,
}

pub struct ImportRow {
    pub external_id: String,
    pub title: String,
    pub change: String,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "admin/user_fields.html")]
pub struct UserFieldsPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub action: String,
    pub is_editor: bool,
    /// Fields of action by core area; `selected` = assigned.
    pub groups: Vec<OptGroup>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/home.html")]
pub struct AdminHomePage {
    pub c: Chrome,
    pub title: String,
    /// (href, title, description) of each area this person may use.
    pub areas: Vec<(String, String, String)>,
    pub drafts: i64,
    /// The demo is loaded and this person is an admin: the form that removes it.
    pub remove_demo: bool,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
}
