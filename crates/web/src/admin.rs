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
