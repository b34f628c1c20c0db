//! The back office: people and their roles, and the audit log (admins only).

use crate::AppState;
use crate::error::AppError;
use crate::filters::Params;
use crate::session::Ctx;
use crate::views::{AdminUserRow, AdminUsersPage, AuditPage, AuditRow, Chrome, Pagination};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::accounts::Role;
use std::collections::HashMap;

type PageResult = Result<Response, AppError>;

const PER_PAGE: i64 = 50;

fn render(t: impl Template) -> PageResult {
    let mut res = Html(t.render()?).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

async fn chrome(state: &AppState, ctx: &Ctx) -> Result<Chrome, AppError> {
    let site = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    Ok(Chrome::for_ctx(ctx, &site, "admin"))
}

pub async fn users(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let me = ctx.require_role(Role::Admin)?;
    let rows = state.db.users(PER_PAGE, (p.page - 1) * PER_PAGE).await?;
    let total = state.db.count_users().await?;
    render(AdminUsersPage {
        c: chrome(&state, &ctx).await?,
        title: ctx.t.get("admin-users-title"),
        csrf: me.csrf_token.clone(),
        role_names: Role::ALL
            .iter()
            .map(|r| (r.as_str(), ctx.t.get(&format!("role-{}", r.as_str()))))
            .collect(),
        rows: rows
            .into_iter()
            .map(|(u, roles)| AdminUserRow {
                id: u.id,
                name: u.display_name,
                email: u.email,
                roles: roles.iter().map(|r| r.as_str()).collect(),
                locked: u.locked,
                confirmed: u.email_confirmed_at.is_some(),
            })
            .collect(),
        pagination: Pagination::new("/admin/benutzer", &p, p.page, PER_PAGE, total),
        notice: None,
    })
}

/// Saves one person's roles and lock state from the users table; both changes are audited.
pub async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let me = ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    if !me.roles.contains(&Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let current = state.db.roles_of(id).await?;
    if state.db.user_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let wanted: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| form.contains_key(&format!("role_{}", r.as_str())))
        .collect();
    let locked = form.contains_key("locked");
    if id == me.user.id && (!wanted.contains(&Role::Admin) || locked) {
        return Err(AppError::bad("roles", "admin-self"));
    }
    let add: Vec<Role> = wanted
        .iter()
        .copied()
        .filter(|r| !current.contains(r))
        .collect();
    let remove: Vec<Role> = current
        .iter()
        .copied()
        .filter(|r| !wanted.contains(r))
        .collect();
    state
        .db
        .set_roles(Some(me.user.id), id, &add, &remove)
        .await?;
    state.db.set_locked(Some(me.user.id), id, locked).await?;
    Ok(Redirect::to("/admin/benutzer").into_response())
}

pub async fn audit(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    ctx.require_role(Role::Admin)?;
    let (entries, total) = state
        .db
        .audit_entries(None, PER_PAGE, (p.page - 1) * PER_PAGE)
        .await?;
    let cli = ctx.t.get("audit-actor-cli");
    render(AuditPage {
        c: chrome(&state, &ctx).await?,
        title: ctx.t.get("admin-audit-title"),
        rows: entries
            .into_iter()
            .map(|e| AuditRow {
                at: e
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                actor: e.actor_name.unwrap_or_else(|| cli.clone()),
                action: ctx.t.get(&format!("audit-{}", e.action.replace('.', "-"))),
                subject: format!(
                    "{} {}",
                    e.subject_type,
                    e.subject_id.map(|i| i.to_string()).unwrap_or_default()
                ),
                before: e.before_value.unwrap_or_default(),
                after: e.after_value.unwrap_or_default(),
            })
            .collect(),
        pagination: Pagination::new("/admin/protokoll", &p, p.page, PER_PAGE, total),
    })
}

/// Editors and admins may change measures.
fn require_editor(ctx: &Ctx) -> Result<&store::accounts::SessionUser, AppError> {
    let user = ctx.require_user()?;
    if user
        .roles
        .iter()
        .any(|r| matches!(r, Role::Editor | Role::Admin))
    {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

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

pub async fn settings_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    ctx.require_role(Role::Admin)?;
    settings_page(&state, &ctx, None).await
}

async fn settings_page(state: &AppState, ctx: &Ctx, notice: Option<String>) -> PageResult {
    let me = ctx.require_user()?;
    let mut values = Vec::new();
    for key in store::settings::KEYS {
        values.push((
            key,
            ctx.t.get(&format!("settings-{key}")),
            state.db.setting(key).await?.unwrap_or_default(),
        ));
    }
    render(crate::views::SettingsPage {
        c: chrome(state, ctx).await?,
        title: ctx.t.get("settings-title"),
        csrf: me.csrf_token.clone(),
        values,
        notice,
    })
}

pub async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let me = ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    if !me.roles.contains(&Role::Admin) {
        return Err(AppError::Forbidden);
    }
    if store::settings::KEYS
        .iter()
        .any(|k| form.get(*k).is_some_and(|v| v.chars().count() > 50_000))
    {
        return Err(AppError::bad("settings", "settings-too-long"));
    }
    for key in store::settings::KEYS {
        if let Some(v) = form.get(key) {
            state
                .db
                .set_setting(me.user.id, key, &v.replace("\r\n", "\n"))
                .await?;
        }
    }
    state.cache.clear();
    settings_page(&state, &ctx, Some(ctx.t.get("settings-saved"))).await
}
