//! Template structs and the small view models they show. Everything a template prints is
//! prepared here or in the handlers; templates only lay it out.

use crate::filters::Params;
use crate::i18n::Tr;
use askama::Template;
use domain::{EditionMark, Status};
use store::strategy::MeasureCard;

/// The frame of every page: language, site name, current navigation item, language switch.
pub struct Chrome {
    pub t: Tr,
    pub site: String,
    pub nav: &'static str,
    pub lang_href: String,
    /// `?lang=xx` when the reader chose a language on the URL, for the navigation links.
    pub lq: String,
    /// Display name of the signed-in person.
    pub user: Option<String>,
    /// The signed-in person is an admin (users, audit log, settings).
    pub admin: bool,
    /// The signed-in person may use the back office (editors and admins).
    pub staff: bool,
    /// The URL of the city's logo, if one is uploaded.
    pub logo: Option<String>,
}

impl Chrome {
    pub fn new(t: Tr, site: &str, nav: &'static str, path: &str, query: Option<&str>) -> Chrome {
        let mut kept: Vec<&str> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let explicit = query
            .unwrap_or("")
            .split('&')
            .any(|p| p.starts_with("lang="));
        let other = format!("lang={}", t.lang.other().code());
        kept.push(&other);
        Chrome {
            t,
            site: site.to_string(),
            nav,
            lang_href: format!("{path}?{}", kept.join("&")),
            lq: if explicit {
                format!("?lang={}", t.lang.code())
            } else {
                String::new()
            },
            user: None,
            admin: false,
            staff: false,
            logo: None,
        }
    }

    pub fn for_ctx(ctx: &crate::session::Ctx, site: &str, nav: &'static str) -> Chrome {
        let mut c = Chrome::new(ctx.t, site, nav, ctx.uri.path(), ctx.uri.query());
        c.user = ctx.user.as_ref().map(|u| u.user.display_name.clone());
        c.admin = ctx
            .user
            .as_ref()
            .is_some_and(|u| u.roles.contains(&domain::accounts::Role::Admin));
        c.staff = ctx.user.as_ref().is_some_and(|u| {
            u.roles.iter().any(|r| {
                matches!(
                    r,
                    domain::accounts::Role::Admin | domain::accounts::Role::Editor
                )
            })
        });
        c
    }

    pub fn plain(t: Tr, path: &str) -> Chrome {
        Chrome::new(t, "", "", path, None)
    }
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options of a select under a heading (`<optgroup>`); an empty label means no group.
pub struct OptGroup {
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct Select {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<Opt>,
}

/// A GET form of filters; it applies on submit only (WCAG 3.2.2).
pub struct FilterForm {
    pub action: &'static str,
    pub q: String,
    pub selects: Vec<Select>,
    pub reset_href: String,
}

pub struct PageLink {
    pub n: i64,
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

pub struct Pagination {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    pub fn new(
        path: &str,
        params: &Params,
        page: i64,
        per_page: i64,
        total: i64,
    ) -> Option<Pagination> {
        Pagination::with_links(page, per_page, total, |n| {
            format!("{path}{}", params.query_string(Some(n)))
        })
    }

    /// Pagination for a page whose query is the given pairs (plus `page`).
    pub fn for_query(
        path: &str,
        pairs: &[(String, String)],
        page: i64,
        per_page: i64,
        total: i64,
    ) -> Option<Pagination> {
        Pagination::with_links(page, per_page, total, |n| {
            let mut all: Vec<(String, String)> = pairs.to_vec();
            if n > 1 {
                all.push(("page".into(), n.to_string()));
            }
            match serde_urlencoded::to_string(&all) {
                Ok(q) if !q.is_empty() => format!("{path}?{q}"),
                _ => path.to_string(),
            }
        })
    }

    /// Page links made by `href` (page number → URL), for lists with parameters of their own.
    pub fn with_links(
        page: i64,
        per_page: i64,
        total: i64,
        href: impl Fn(i64) -> String,
    ) -> Option<Pagination> {
        let last = ((total + per_page - 1) / per_page).max(1);
        if last <= 1 && page <= 1 {
            return None;
        }
        let mut pages = Vec::new();
        let mut prev_shown = 0;
        for n in 1..=last {
            if n == 1 || n == last || (n - page).abs() <= 2 {
                if prev_shown != 0 && n - prev_shown > 1 {
                    pages.push(PageLink {
                        n: 0,
                        href: String::new(),
                        current: false,
                        gap: true,
                    });
                }
                pages.push(PageLink {
                    n,
                    href: href(n),
                    current: n == page,
                    gap: false,
                });
                prev_shown = n;
            }
        }
        Some(Pagination {
            prev: (page > 1).then(|| href((page - 1).min(last))),
            next: (page < last).then(|| href(page + 1)),
            pages,
        })
    }
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
#[template(path = "home.html")]
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
#[template(path = "radar.html")]
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
#[template(path = "list.html")]
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
#[template(path = "measure.html")]
pub struct MeasurePage {
    pub c: Chrome,
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
    pub updated: String,
    pub history: Vec<HistoryView>,
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
#[template(path = "field.html")]
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
}

#[derive(Template)]
#[template(path = "timeline.html")]
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
#[template(path = "stats.html")]
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
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub title: String,
    pub text: String,
    pub field: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub c: Chrome,
    pub title: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub csrf: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The new address typed into the change form (kept when it is refused).
    pub new_email: String,
}

#[derive(Template)]
#[template(path = "confirm_email_change.html")]
pub struct ConfirmEmailChangePage {
    pub c: Chrome,
    pub title: String,
    /// The new address.
    pub email: String,
    pub token: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub c: Chrome,
    pub title: String,
    pub name: String,
    pub email: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub token: String,
}

#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub c: Chrome,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "set_password.html")]
pub struct SetPasswordPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub token: String,
    pub error: Option<String>,
}

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
#[template(path = "admin_users.html")]
pub struct AdminUsersPage {
    pub c: Chrome,
    pub title: String,
    pub csrf: String,
    pub role_names: Vec<(&'static str, String)>,
    pub rows: Vec<AdminUserRow>,
    pub pagination: Option<Pagination>,
    pub notice: Option<String>,
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
#[template(path = "admin_audit.html")]
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
#[template(path = "admin_measures.html")]
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
#[template(path = "admin_edit_measure.html")]
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
#[template(path = "legal.html")]
pub struct LegalPage {
    pub c: Chrome,
    pub title: String,
    /// Sanitised HTML.
    pub html: String,
}

#[derive(Template)]
#[template(path = "admin_settings.html")]
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
}

#[derive(Template)]
#[template(path = "admin_strategy.html")]
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
#[template(path = "admin_tax.html")]
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
#[template(path = "admin_import.html")]
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
#[template(path = "admin_import_preview.html")]
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
#[template(path = "admin_user_fields.html")]
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
#[template(path = "admin_home.html")]
pub struct AdminHomePage {
    pub c: Chrome,
    pub title: String,
    /// (href, title, description) of each area this person may use.
    pub areas: Vec<(String, String, String)>,
    pub drafts: i64,
}
