//! The list of every measure in the back office.

use crate::AppState;
use crate::admin::measures::*;
use crate::admin::views::*;
use crate::admin::{Editor, PER_PAGE, PageResult, chrome, render};
use crate::error::AppError;
use crate::extract::{Ctx, Query};
use crate::layout::*;
use axum::extract::State;
use std::collections::HashMap;
use store::editing::STATES;
use store::strategy::Taxonomy;

pub async fn measures(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
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
pub(crate) fn field_groups(tax: &Taxonomy, editor: &Editor, selected: i64) -> Vec<OptGroup> {
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
