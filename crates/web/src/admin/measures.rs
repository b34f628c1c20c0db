//! Measures in the back office: list and editor, with optimistic versions.

use super::require_editor;
use super::{PER_PAGE, PageResult, chrome, render};
use crate::AppState;
use crate::error::AppError;
use crate::filters::Params;
use crate::session::Ctx;
use crate::views::Pagination;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use domain::accounts::Role;
use std::collections::HashMap;

pub async fn measures(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    require_editor(&ctx)?;
    let page = state
        .db
        .measures(&p.filter, store::strategy::Sort::Title, p.page, PER_PAGE)
        .await?;
    render(crate::views::AdminMeasuresPage {
        c: chrome(&state, &ctx).await?,
        title: ctx.t.get("admin-measures-title"),
        items: page
            .items
            .iter()
            .map(|m| {
                (
                    format!("/admin/massnahmen/{}", m.id),
                    m.title.clone(),
                    ctx.t.status(&m.status),
                    m.progress,
                )
            })
            .collect(),
        pagination: Pagination::new("/admin/massnahmen", &p, page.page, PER_PAGE, page.total),
    })
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    version: i64,
    edit: &store::editing::MeasureEdit,
    errors: Vec<String>,
    conflict: Option<store::editing::MeasureEdit>,
) -> PageResult {
    let csrf = ctx.require_user()?.csrf_token.clone();
    render(crate::views::EditMeasurePage {
        c: chrome(state, ctx).await?,
        title: ctx.t.get("admin-edit-title"),
        action: format!("/admin/massnahmen/{id}"),
        public_href: String::new(),
        version,
        csrf,
        statuses: domain::Status::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    ctx.t.status(s.as_str()),
                    s.as_str() == edit.status,
                )
            })
            .collect(),
        edit: edit.clone(),
        progress: edit.progress.map(|p| p.to_string()).unwrap_or_default(),
        errors,
        conflict: conflict.map(|s| {
            let status = ctx.t.status(&s.status);
            (s, status)
        }),
    })
}

pub async fn edit_measure_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    require_editor(&ctx)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (version, edit) = state
        .db
        .measure_version(id)
        .await?
        .ok_or(AppError::NotFound)?;
    edit_page(&state, &ctx, id, version, &edit, vec![], None).await
}

pub async fn edit_measure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let user = ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    if !user
        .roles
        .iter()
        .any(|r| matches!(r, Role::Editor | Role::Admin))
    {
        return Err(AppError::Forbidden);
    }
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let field = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let t = &ctx.t;
    let mut errors = Vec::new();
    let title = field("title");
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(t.get("edit-title-invalid"));
    }
    let status = field("status");
    if !store::editing::valid_status(&status) {
        errors.push(t.get("edit-status-invalid"));
    }
    let progress = match field("progress").as_str() {
        "" => None,
        p => match p.trim_end_matches('%').trim().parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => Some(n),
            _ => {
                errors.push(t.get("edit-progress-invalid"));
                None
            }
        },
    };
    let summary = field("summary");
    let description = form
        .get("description")
        .cloned()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if summary.chars().count() > 1000 || description.chars().count() > 50_000 {
        errors.push(t.get("edit-too-long"));
    }
    let edit = store::editing::MeasureEdit {
        title,
        summary,
        description,
        goals: field("goals"),
        status,
        progress,
    };
    let version: i64 = field("version")
        .parse()
        .map_err(|_| AppError::bad("version", "not a number"))?;
    if !errors.is_empty() {
        let mut res = edit_page(&state, &ctx, id, version, &edit, errors, None).await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let label = |from: &str, to: &str, p0: i64, p1: i64| {
        t.args(
            "edit-report",
            &[
                ("from", crate::i18n::Arg::Str(t.status(from))),
                ("to", crate::i18n::Arg::Str(t.status(to))),
                ("p0", crate::i18n::Arg::Num(p0)),
                ("p1", crate::i18n::Arg::Num(p1)),
            ],
        )
    };
    match state
        .db
        .update_measure(user.user.id, id, version, &edit, &label)
        .await?
    {
        store::editing::EditOutcome::NotFound => Err(AppError::NotFound),
        store::editing::EditOutcome::Saved { .. } => {
            // This instance shows the change at once; others within a second (generation watcher).
            state.cache.clear();
            let slug = state
                .db
                .measure_detail(id)
                .await?
                .map(|d| d.card.slug)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/massnahmen/{slug}")).into_response())
        }
        store::editing::EditOutcome::Conflict { version, stored } => {
            let mut res = edit_page(
                &state,
                &ctx,
                id,
                version,
                &edit,
                vec![t.get("edit-conflict")],
                Some(stored),
            )
            .await?;
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
    }
}
