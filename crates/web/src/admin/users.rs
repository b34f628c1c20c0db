//! People and their roles (admins only).

use super::{PER_PAGE, PageResult, chrome, render};
use crate::AppState;
use crate::admin::views::{AdminUserRow, AdminUsersPage};
use crate::error::AppError;
use crate::extract::{Ctx, Form, Path};
use crate::layout::Pagination;
use crate::radar::params::Params;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::accounts::Role;
use std::collections::HashMap;

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
                is_editor: roles.contains(&Role::Editor),
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

/// One person: which fields of action they may edit as an editor (none ticked: all of them).
pub async fn user_fields_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    ctx.require_role(Role::Admin)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    fields_page(&state, &ctx, id, None).await
}

async fn fields_page(state: &AppState, ctx: &Ctx, id: i64, notice: Option<String>) -> PageResult {
    let person = state.db.user_by_id(id).await?.ok_or(AppError::NotFound)?;
    let roles = state.db.roles_of(id).await?;
    let chosen = state.db.editor_fields(id).await?;
    let tax = state.db.taxonomy().await?;
    render(crate::admin::views::UserFieldsPage {
        c: chrome(state, ctx).await?,
        title: ctx.t.s("user-fields-title", "name", &person.display_name),
        csrf: super::csrf_of(ctx)?,
        action: format!("/admin/benutzer/{id}/handlungsfelder"),
        is_editor: roles.contains(&Role::Editor),
        groups: tax
            .core_areas
            .iter()
            .map(|c| crate::layout::OptGroup {
                label: c.title.clone(),
                options: tax
                    .fields_of(c.id)
                    .map(|f| crate::layout::Opt {
                        value: f.id.to_string(),
                        label: f.title.clone(),
                        selected: chosen.contains(&f.id),
                    })
                    .collect(),
            })
            .collect(),
        notice,
    })
}

pub async fn save_user_fields(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let me = ctx.check_csrf(csrf)?;
    if !me.roles.contains(&Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if state.db.user_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let known = state.db.taxonomy().await?;
    let mut fields = Vec::new();
    for (_, v) in form.iter().filter(|(k, _)| k == "field") {
        match v.parse::<i64>() {
            Ok(f) if known.fields.iter().any(|x| x.id == f) => fields.push(f),
            _ => {
                return Err(AppError::bad(
                    "field",
                    format!("{v:?} is not a field of action"),
                ));
            }
        }
    }
    state.db.set_editor_fields(me.user.id, id, &fields).await?;
    fields_page(&state, &ctx, id, Some(ctx.t.get("user-fields-saved"))).await
}
