//! The editor form: built from a measure or from what was typed, and parsed back.

use crate::AppState;
use crate::admin::measures::*;
use crate::admin::views::*;
use crate::admin::{Editor, PageResult, chrome, csrf_of, render};
use crate::extract::Ctx;
use crate::i18n::Tr;
use crate::layout::*;
use domain::import::{ValidDecision, ValidKpi, ValidMilestone};
use store::editing::{MeasureEdit, STATES};
use store::strategy::Taxonomy;

#[expect(clippy::too_many_arguments)]
pub(crate) async fn edit_page(
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
        conflict: conflict.map(|s| crate::admin::views::StoredVersion {
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

/// The row numbers a repeated group of the form uses (`{prefix}_0`, `{prefix}_1`, …).
pub(crate) fn rows_of<'a>(f: &'a FormData, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut idx: Vec<usize> = f
        .keys()
        .filter_map(|k| k.strip_prefix(prefix)?.strip_prefix('_')?.parse().ok())
        .filter(|i| *i < MAX_ROWS)
        .collect();
    idx.sort_unstable();
    idx.into_iter()
}

/// Reads and checks the editor form. Every problem becomes one German (or English) sentence.
pub(crate) fn parse_form(
    t: &Tr,
    f: &FormData,
    tax: &Taxonomy,
    editor: &Editor,
) -> (MeasureEdit, Vec<String>) {
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
