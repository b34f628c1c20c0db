//! Measures in the back office: the list (every state), the editor for new and existing
//! measures (optimistic versions, a conflict page showing both versions), and the preview of
//! measures the public does not see.

use super::{Editor, PER_PAGE, PageResult, chrome, csrf_of, render, require_editor};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Tr};
use crate::session::Ctx;
use crate::views::{
    AdminMeasureItem, AdminMeasuresPage, DecisionRowView, EditMeasurePage, KpiRowView,
    MilestoneRowView, Opt, OptGroup, Pagination,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::import::{ValidDecision, ValidKpi, ValidMilestone};
use std::collections::HashMap;
use store::editing::{CreateOutcome, EditOutcome, MeasureEdit, STATES};
use store::strategy::Taxonomy;

type FormData = HashMap<String, String>;

/// Rows of each list the form offers beyond the stored ones (no script needed to add rows).
const SPARE_ROWS: usize = 2;
/// At most this many rows per list are read from a form.
const MAX_ROWS: usize = 100;

fn state_label(t: &Tr, s: &str) -> String {
    t.get(&format!("state-{s}"))
}

pub async fn measures(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let editor = require_editor(&state, &ctx).await?;
    let page: i64 = match q.get("page").map(String::as_str) {
        None | Some("") => 1,
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| AppError::bad("page", format!("{v:?} is not a page number")))?,
    };
    let wanted_state = match q.get("state").map(String::as_str) {
        None | Some("") => None,
        Some(s) if STATES.contains(&s) => Some(s.to_string()),
        Some(s) => return Err(AppError::bad("state", format!("{s:?} is not a state"))),
    };
    let tax = state.db.taxonomy_all().await?;
    let field = match q.get("field").map(String::as_str) {
        None | Some("") => None,
        Some(slug) => Some(
            tax.fields
                .iter()
                .find(|f| f.slug == slug)
                .map(|f| f.id)
                .ok_or_else(|| {
                    AppError::bad("field", format!("{slug:?} is not a field of action"))
                })?,
        ),
    };
    let search = q
        .get("q")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if search.as_ref().is_some_and(|v| v.chars().count() > 200) {
        return Err(AppError::bad("q", "at most 200 characters"));
    }
    let (rows, total) = state
        .db
        .admin_measures(
            wanted_state.as_deref(),
            field,
            search.as_deref(),
            PER_PAGE,
            (page - 1) * PER_PAGE,
        )
        .await?;
    let t = &ctx.t;
    let field_title = |id: i64| {
        tax.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.clone())
            .unwrap_or_default()
    };
    let mut query: Vec<(String, String)> = Vec::new();
    if let Some(v) = &search {
        query.push(("q".into(), v.clone()));
    }
    if let Some(s) = &wanted_state {
        query.push(("state".into(), s.clone()));
    }
    if let Some(f) = q.get("field").filter(|v| !v.is_empty()) {
        query.push(("field".into(), f.clone()));
    }
    render(AdminMeasuresPage {
        c: chrome(&state, &ctx).await?,
        title: t.get("admin-measures-title"),
        q: search.clone().unwrap_or_default(),
        states: std::iter::once(Opt {
            value: String::new(),
            label: t.get("filter-all"),
            selected: wanted_state.is_none(),
        })
        .chain(STATES.iter().map(|s| Opt {
            value: s.to_string(),
            label: state_label(t, s),
            selected: wanted_state.as_deref() == Some(s),
        }))
        .collect(),
        fields: std::iter::once(Opt {
            value: String::new(),
            label: t.get("filter-all"),
            selected: field.is_none(),
        })
        .chain(tax.fields.iter().map(|f| Opt {
            value: f.slug.clone(),
            label: f.title.clone(),
            selected: field == Some(f.id),
        }))
        .collect(),
        items: rows
            .iter()
            .map(|m| AdminMeasureItem {
                href: format!("/admin/massnahmen/{}", m.id),
                title: m.title.clone(),
                field: field_title(m.field_id),
                status: t.status(&m.status),
                progress: m.progress,
                state: state_label(t, &m.state),
                editable: editor.may_edit_field(m.field_id),
            })
            .collect(),
        total,
        pagination: Pagination::for_query("/admin/massnahmen", &query, page, PER_PAGE, total),
    })
}

/// The field-of-action menu: grouped by core area, only the fields this editor may use.
fn field_groups(tax: &Taxonomy, editor: &Editor, selected: i64) -> Vec<OptGroup> {
    tax.core_areas
        .iter()
        .map(|c| OptGroup {
            label: c.title.clone(),
            options: tax
                .fields_of(c.id)
                .filter(|f| editor.may_edit_field(f.id) && (!f.archived || f.id == selected))
                .map(|f| Opt {
                    value: f.id.to_string(),
                    label: f.title.clone(),
                    selected: f.id == selected,
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

struct Target {
    /// `None` for a new measure.
    id: Option<i64>,
    version: i64,
    external_id: String,
}

#[expect(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    editor: &Editor,
    target: Target,
    edit: &MeasureEdit,
    raw: Option<&FormData>,
    errors: Vec<String>,
    conflict: Option<MeasureEdit>,
) -> PageResult {
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let titles = state.db.measure_titles().await?;
    let date = |d: Option<time::Date>| d.map(domain::dates::iso).unwrap_or_default();
    let num = |v: Option<f64>| {
        v.map(|v| v.to_string().replace('.', ","))
            .unwrap_or_default()
    };
    // After a failed save the form shows what was typed, not what was understood.
    let typed = |key: &str, parsed: String| match raw {
        Some(f) => f.get(key).cloned().unwrap_or_default(),
        None => parsed,
    };
    let mut decisions: Vec<DecisionRowView> = edit
        .decisions
        .iter()
        .map(|d| DecisionRowView {
            number: d.number.clone(),
            date: date(d.date),
            url: d.url.clone().unwrap_or_default(),
        })
        .collect();
    let mut kpis: Vec<KpiRowView> = edit
        .kpis
        .iter()
        .map(|k| KpiRowView {
            name: k.name.clone(),
            unit: k.unit.clone(),
            target: num(k.target),
            current: num(k.current),
            as_of: date(k.as_of),
        })
        .collect();
    let mut milestones: Vec<MilestoneRowView> = edit
        .milestones
        .iter()
        .map(|m| MilestoneRowView {
            title: m.title.clone(),
            date: date(m.date),
            reached: m.reached,
        })
        .collect();
    if let Some(f) = raw {
        // Rebuild the rows from the form, so a bad value stays where the person typed it.
        decisions = rows_of(f, "decision_number")
            .map(|i| DecisionRowView {
                number: get(f, &format!("decision_number_{i}")),
                date: get(f, &format!("decision_date_{i}")),
                url: get(f, &format!("decision_url_{i}")),
            })
            .filter(|r| !(r.number.is_empty() && r.date.is_empty() && r.url.is_empty()))
            .collect();
        kpis = rows_of(f, "kpi_name")
            .map(|i| KpiRowView {
                name: get(f, &format!("kpi_name_{i}")),
                unit: get(f, &format!("kpi_unit_{i}")),
                target: get(f, &format!("kpi_target_{i}")),
                current: get(f, &format!("kpi_current_{i}")),
                as_of: get(f, &format!("kpi_as_of_{i}")),
            })
            .filter(|r| !(r.name.is_empty() && r.target.is_empty() && r.current.is_empty()))
            .collect();
        milestones = rows_of(f, "milestone_title")
            .map(|i| MilestoneRowView {
                title: get(f, &format!("milestone_title_{i}")),
                date: get(f, &format!("milestone_date_{i}")),
                reached: f.contains_key(&format!("milestone_reached_{i}")),
            })
            .filter(|r| !(r.title.is_empty() && r.date.is_empty()))
            .collect();
    }
    for _ in 0..SPARE_ROWS {
        decisions.push(DecisionRowView::default());
        kpis.push(KpiRowView::default());
        milestones.push(MilestoneRowView::default());
    }
    let (action, public_href, preview_href) = match target.id {
        Some(id) => (
            format!("/admin/massnahmen/{id}"),
            if edit.state == "published" {
                state
                    .db
                    .measure_keys(id)
                    .await?
                    .map(|(_, slug)| format!("/massnahmen/{slug}"))
            } else {
                None
            },
            Some(format!("/admin/massnahmen/{id}/vorschau")),
        ),
        None => ("/admin/massnahmen/neu".to_string(), None, None),
    };
    let heading = match target.id {
        Some(_) => format!("{}: {}", t.get("admin-edit-title"), edit.title),
        None => t.get("admin-new-measure"),
    };
    let list = |v: &[String]| v.join("\n");
    let mut res = render(EditMeasurePage {
        c: chrome(state, ctx).await?,
        title: heading,
        action,
        is_new: target.id.is_none(),
        public_href,
        preview_href,
        version: target.version,
        external_id: target.external_id,
        csrf: csrf_of(ctx)?,
        statuses: domain::Status::ALL
            .iter()
            .map(|s| Opt {
                value: s.as_str().to_string(),
                label: t.status(s.as_str()),
                selected: s.as_str() == edit.status,
            })
            .collect(),
        states: STATES
            .iter()
            .map(|s| Opt {
                value: s.to_string(),
                label: state_label(t, s),
                selected: *s == edit.state,
            })
            .collect(),
        fields: field_groups(&tax, editor, edit.field_id),
        focus_areas: std::iter::once(OptGroup {
            label: String::new(),
            options: vec![Opt {
                value: String::new(),
                label: t.get("edit-none"),
                selected: edit.focus_area_id.is_none(),
            }],
        })
        .chain(tax.fields.iter().filter_map(|f| {
            let options: Vec<Opt> = tax
                .focus_areas_of(f.id)
                .filter(|a| !a.archived || Some(a.id) == edit.focus_area_id)
                .map(|a| Opt {
                    value: a.id.to_string(),
                    label: a.title.clone(),
                    selected: Some(a.id) == edit.focus_area_id,
                })
                .collect();
            (!options.is_empty()).then(|| OptGroup {
                label: f.title.clone(),
                options,
            })
        }))
        .collect(),
        parents: std::iter::once(Opt {
            value: String::new(),
            label: t.get("edit-none"),
            selected: edit.parent_id.is_none(),
        })
        .chain(
            titles
                .iter()
                .filter(|(id, _)| Some(*id) != target.id)
                .map(|(id, title)| Opt {
                    value: id.to_string(),
                    label: title.clone(),
                    selected: Some(*id) == edit.parent_id,
                }),
        )
        .collect(),
        title_value: typed("title", edit.title.clone()),
        summary: typed("summary", edit.summary.clone()),
        description: typed("description", edit.description.clone()),
        goals: typed("goals", edit.goals.clone()),
        progress: typed(
            "progress",
            edit.progress.map(|p| p.to_string()).unwrap_or_default(),
        ),
        planned_start: typed("planned_start", date(edit.planned_start)),
        planned_end: typed("planned_end", date(edit.planned_end)),
        target_year: typed(
            "target_year",
            edit.target_year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        departments: typed("departments", list(&edit.departments)),
        target_groups: typed("target_groups", list(&edit.target_groups)),
        tags: typed("tags", list(&edit.tags)),
        decisions,
        kpis,
        milestones,
        errors,
        conflict: conflict.map(|s| crate::views::StoredVersion {
            status: t.status(&s.status),
            state: state_label(t, &s.state),
            progress: s.progress.map(|p| format!("{p} %")).unwrap_or_default(),
            title: s.title,
            summary: s.summary,
            description: s.description,
            goals: s.goals,
        }),
    })?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

fn get(f: &FormData, key: &str) -> String {
    f.get(key).map(|v| v.trim().to_string()).unwrap_or_default()
}

/// The row numbers a repeated group of the form uses (`{prefix}_0`, `{prefix}_1`, …).
fn rows_of<'a>(f: &'a FormData, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut idx: Vec<usize> = f
        .keys()
        .filter_map(|k| k.strip_prefix(prefix)?.strip_prefix('_')?.parse().ok())
        .filter(|i| *i < MAX_ROWS)
        .collect();
    idx.sort_unstable();
    idx.into_iter()
}

/// Reads and checks the editor form. Every problem becomes one German (or English) sentence.
fn parse_form(t: &Tr, f: &FormData, tax: &Taxonomy, editor: &Editor) -> (MeasureEdit, Vec<String>) {
    let mut errors = Vec::new();
    let err_arg = |key: &str, name: &str, value: &str| t.s(key, name, value);
    let title = get(f, "title");
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(t.get("edit-title-invalid"));
    }
    let status = get(f, "status");
    if !store::editing::valid_status(&status) {
        errors.push(t.get("edit-status-invalid"));
    }
    let state = get(f, "state");
    let state = if STATES.contains(&state.as_str()) {
        state
    } else {
        errors.push(t.get("edit-state-invalid"));
        "draft".to_string()
    };
    let progress = match get(f, "progress").trim_end_matches('%').trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => Some(n),
            _ => {
                errors.push(t.get("edit-progress-invalid"));
                None
            }
        },
    };
    let summary = get(f, "summary");
    let description = f
        .get("description")
        .cloned()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let goals = get(f, "goals");
    if summary.chars().count() > 1000
        || description.chars().count() > 50_000
        || goals.chars().count() > 5000
    {
        errors.push(t.get("edit-too-long"));
    }
    let field_id = get(f, "field").parse::<i64>().ok();
    // An archived field of action (or one in an archived core area) takes only archived measures.
    let archived_field = |id: i64| {
        tax.fields.iter().find(|x| x.id == id).is_some_and(|x| {
            x.archived || tax.core_area(x.core_area_id).is_some_and(|c| c.archived)
        })
    };
    let field_id = match field_id.filter(|id| tax.fields.iter().any(|x| x.id == *id)) {
        Some(id) if !editor.may_edit_field(id) => {
            errors.push(t.get("edit-field-not-yours"));
            0
        }
        Some(id) if archived_field(id) && state != "archived" => {
            errors.push(t.get("edit-field-archived"));
            id
        }
        Some(id) => id,
        None => {
            errors.push(t.get("edit-field-invalid"));
            0
        }
    };
    let focus_area_id = match get(f, "focus_area").as_str() {
        "" => None,
        v => match v
            .parse::<i64>()
            .ok()
            .and_then(|id| tax.focus_areas.iter().find(|a| a.id == id))
        {
            Some(a) if a.archived && state != "archived" => {
                errors.push(t.get("edit-focus-archived"));
                None
            }
            Some(a) if a.field_id == field_id => Some(a.id),
            Some(_) => {
                errors.push(t.get("edit-focus-other-field"));
                None
            }
            None => {
                errors.push(t.get("edit-focus-invalid"));
                None
            }
        },
    };
    let parent_id = match get(f, "parent").as_str() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(t.get("edit-parent-invalid"));
                None
            }
        },
    };
    let date = |key: &str, errors: &mut Vec<String>| match get(f, key).as_str() {
        "" => None,
        v => match domain::dates::parse_date(v) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(err_arg("edit-date-invalid", "value", v));
                None
            }
        },
    };
    let planned_start = date("planned_start", &mut errors);
    let planned_end = date("planned_end", &mut errors);
    if let (Some(s), Some(e)) = (planned_start, planned_end)
        && e < s
    {
        errors.push(t.get("edit-end-before-start"));
    }
    let target_year = match get(f, "target_year").as_str() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(err_arg("edit-year-invalid", "value", v));
                None
            }
        },
    };
    let names = |key: &str, errors: &mut Vec<String>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for line in f.get(key).map(String::as_str).unwrap_or("").lines() {
            let name = line.trim();
            if name.is_empty() || out.iter().any(|n| n == name) {
                continue;
            }
            if name.chars().count() > 200 {
                errors.push(t.get("edit-too-long"));
                break;
            }
            out.push(name.to_string());
        }
        if out.len() > MAX_ROWS {
            errors.push(t.get("edit-too-many"));
            out.truncate(MAX_ROWS);
        }
        out
    };
    let departments = names("departments", &mut errors);
    let target_groups = names("target_groups", &mut errors);
    let tags = names("tags", &mut errors);
    let mut decisions = Vec::new();
    for i in rows_of(f, "decision_number") {
        let number = get(f, &format!("decision_number_{i}"));
        let when = date(&format!("decision_date_{i}"), &mut errors);
        let url = get(f, &format!("decision_url_{i}"));
        if number.is_empty() {
            if when.is_some() || !url.is_empty() {
                errors.push(t.get("edit-decision-number-missing"));
            }
            continue;
        }
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            errors.push(err_arg("edit-url-invalid", "value", &url));
        }
        if number.chars().count() > 100 || url.chars().count() > 2000 {
            errors.push(t.get("edit-too-long"));
        }
        if decisions.iter().any(|d: &ValidDecision| d.number == number) {
            errors.push(err_arg("edit-decision-twice", "value", &number));
        }
        decisions.push(ValidDecision {
            number,
            date: when,
            url: (!url.is_empty()).then_some(url),
        });
    }
    let number = |v: String, errors: &mut Vec<String>| -> Option<f64> {
        if v.is_empty() {
            return None;
        }
        match v.replace('.', "").replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => match v.parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    errors.push(err_arg("edit-number-invalid", "value", &v));
                    None
                }
            },
        }
    };
    let mut kpis = Vec::new();
    for i in rows_of(f, "kpi_name") {
        let name = get(f, &format!("kpi_name_{i}"));
        let target = number(get(f, &format!("kpi_target_{i}")), &mut errors);
        let current = number(get(f, &format!("kpi_current_{i}")), &mut errors);
        let as_of = date(&format!("kpi_as_of_{i}"), &mut errors);
        if name.is_empty() {
            if target.is_some() || current.is_some() {
                errors.push(t.get("edit-kpi-name-missing"));
            }
            continue;
        }
        let unit = get(f, &format!("kpi_unit_{i}"));
        if name.chars().count() > 200 || unit.chars().count() > 50 {
            errors.push(t.get("edit-too-long"));
        }
        kpis.push(ValidKpi {
            name,
            unit,
            target,
            current,
            as_of,
        });
    }
    let mut milestones = Vec::new();
    for i in rows_of(f, "milestone_title") {
        let title = get(f, &format!("milestone_title_{i}"));
        let when = date(&format!("milestone_date_{i}"), &mut errors);
        if title.is_empty() {
            if when.is_some() {
                errors.push(t.get("edit-milestone-title-missing"));
            }
            continue;
        }
        if title.chars().count() > 300 {
            errors.push(t.get("edit-too-long"));
        }
        milestones.push(ValidMilestone {
            date: when,
            title,
            reached: f.contains_key(&format!("milestone_reached_{i}")),
        });
    }
    errors.dedup();
    (
        MeasureEdit {
            title,
            summary,
            description,
            goals,
            status,
            progress,
            state,
            field_id,
            focus_area_id,
            parent_id,
            planned_start,
            planned_end,
            target_year,
            departments,
            target_groups,
            tags,
            decisions,
            kpis,
            milestones,
        },
        errors,
    )
}

fn with_status(mut res: axum::response::Response, status: StatusCode) -> PageResult {
    *res.status_mut() = status;
    Ok(res)
}

pub async fn new_measure_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let editor = require_editor(&state, &ctx).await?;
    let tax = state.db.taxonomy().await?;
    let field_id = tax
        .fields
        .iter()
        .find(|f| editor.may_edit_field(f.id))
        .map(|f| f.id)
        .unwrap_or(0);
    let edit = MeasureEdit {
        title: String::new(),
        summary: String::new(),
        description: String::new(),
        goals: String::new(),
        status: "planned".into(),
        progress: None,
        state: "draft".into(),
        field_id,
        focus_area_id: None,
        parent_id: None,
        planned_start: None,
        planned_end: None,
        target_year: None,
        departments: vec![],
        target_groups: vec![],
        tags: vec![],
        decisions: vec![],
        kpis: vec![],
        milestones: vec![],
    };
    let target = Target {
        id: None,
        version: 0,
        external_id: String::new(),
    };
    edit_page(&state, &ctx, &editor, target, &edit, None, vec![], None).await
}

pub async fn create_measure(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormData>,
) -> PageResult {
    ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    let editor = require_editor(&state, &ctx).await?;
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let (edit, mut errors) = parse_form(t, &form, &tax, &editor);
    let external_id = get(&form, "external_id");
    if !external_id.is_empty()
        && (external_id.chars().count() > 100 || external_id.chars().any(char::is_control))
    {
        errors.push(t.get("edit-external-id-invalid"));
    }
    if let Some(parent) = edit.parent_id
        && state.db.measure_keys(parent).await?.is_none()
    {
        errors.push(t.get("edit-parent-invalid"));
    }
    let target = Target {
        id: None,
        version: 0,
        external_id: external_id.clone(),
    };
    if !errors.is_empty() {
        let res = edit_page(
            &state,
            &ctx,
            &editor,
            target,
            &edit,
            Some(&form),
            errors,
            None,
        )
        .await?;
        return with_status(res, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match state
        .db
        .create_measure(editor.user_id, &external_id, &edit)
        .await?
    {
        CreateOutcome::Created { id } => {
            state.cache.clear();
            Ok(Redirect::to(&after_save(&state, id, &edit).await?).into_response())
        }
        CreateOutcome::ExternalIdTaken => {
            let errors = vec![t.s("edit-external-id-taken", "value", &external_id)];
            let res = edit_page(
                &state,
                &ctx,
                &editor,
                target,
                &edit,
                Some(&form),
                errors,
                None,
            )
            .await?;
            with_status(res, StatusCode::CONFLICT)
        }
    }
}

/// Where a save leads: the public page of a published measure, else its preview.
async fn after_save(state: &AppState, id: i64, edit: &MeasureEdit) -> Result<String, AppError> {
    if edit.state == "published"
        && let Some((_, slug)) = state.db.measure_keys(id).await?
    {
        return Ok(format!("/massnahmen/{slug}"));
    }
    Ok(format!("/admin/massnahmen/{id}/vorschau"))
}

/// The measure `id` names, if this person may change it: (editor, id, version, stored fields).
async fn editable(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<(Editor, i64, i64, MeasureEdit), AppError> {
    let editor = require_editor(state, ctx).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (version, edit) = state
        .db
        .measure_version(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !editor.may_edit_field(edit.field_id) {
        return Err(AppError::Forbidden);
    }
    Ok((editor, id, version, edit))
}

async fn external_id_of(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(state
        .db
        .measure_keys(id)
        .await?
        .map(|(external_id, _)| external_id)
        .unwrap_or_default())
}

pub async fn edit_measure_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let (editor, id, version, edit) = editable(&state, &ctx, &id).await?;
    let target = Target {
        id: Some(id),
        version,
        external_id: external_id_of(&state, id).await?,
    };
    edit_page(&state, &ctx, &editor, target, &edit, None, vec![], None).await
}

pub async fn edit_measure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> PageResult {
    ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    // A restricted editor may neither change a measure of another field nor move one there
    // (the form's field is checked in `parse_form`).
    let (editor, id, _, _) = editable(&state, &ctx, &id).await?;
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let (edit, mut errors) = parse_form(t, &form, &tax, &editor);
    let version: i64 = get(&form, "version")
        .parse()
        .map_err(|_| AppError::bad("version", "not a number"))?;
    if let Some(parent) = edit.parent_id {
        if parent == id || state.db.would_cycle(id, parent).await? {
            errors.push(t.get("edit-parent-cycle"));
        } else if state.db.measure_keys(parent).await?.is_none() {
            errors.push(t.get("edit-parent-invalid"));
        }
    }
    let target = Target {
        id: Some(id),
        version,
        external_id: external_id_of(&state, id).await?,
    };
    if !errors.is_empty() {
        let res = edit_page(
            &state,
            &ctx,
            &editor,
            target,
            &edit,
            Some(&form),
            errors,
            None,
        )
        .await?;
        return with_status(res, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let label = |from: &str, to: &str, p0: i64, p1: i64| {
        t.args(
            "edit-report",
            &[
                ("from", Arg::Str(t.status(from))),
                ("to", Arg::Str(t.status(to))),
                ("p0", Arg::Num(p0)),
                ("p1", Arg::Num(p1)),
            ],
        )
    };
    match state
        .db
        .update_measure(editor.user_id, id, version, &edit, &label)
        .await?
    {
        EditOutcome::NotFound => Err(AppError::NotFound),
        EditOutcome::Saved { .. } => {
            // This instance shows the change at once; others within a second (generation watcher).
            state.cache.clear();
            Ok(Redirect::to(&after_save(&state, id, &edit).await?).into_response())
        }
        EditOutcome::Conflict { version, stored } => {
            let target = Target { version, ..target };
            let res = edit_page(
                &state,
                &ctx,
                &editor,
                target,
                &edit,
                Some(&form),
                vec![t.get("edit-conflict")],
                Some(*stored),
            )
            .await?;
            with_status(res, StatusCode::CONFLICT)
        }
    }
}

/// The measure page as the public would see it once published, for any state.
pub async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let (_, id, _, edit) = editable(&state, &ctx, &id).await?;
    let banner = ctx
        .t
        .s("preview-banner", "state", &state_label(&ctx.t, &edit.state));
    let mut res = crate::pages::measure_page(&state, &ctx, id, Some(banner)).await?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
