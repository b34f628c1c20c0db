//! People and their roles (admins only).

use super::{PER_PAGE, PageResult, chrome, render};
use crate::AppState;
use crate::admin::views::{AdminUserRow, AdminUsersPage};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, RequireRole, role};
use crate::layout::Pagination;
use crate::radar::params::Params;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::accounts::Role;
use serde::Deserialize;

pub async fn users(
    State(state): State<AppState>,
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    p: Params,
) -> PageResult {
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
        page: p.page,
    })
}

/// One row of the users table: a check box per role, and the lock.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    role_admin: Option<String>,
    role_editor: Option<String>,
    role_moderator: Option<String>,
    role_organiser: Option<String>,
    role_provider: Option<String>,
    role_citizen: Option<String>,
    locked: Option<String>,
    /// The page of the table the form was on: the answer goes back there.
    page: Option<String>,
}

impl UserForm {
    fn has(&self, role: Role) -> bool {
        match role {
            Role::Admin => &self.role_admin,
            Role::Editor => &self.role_editor,
            Role::Moderator => &self.role_moderator,
            Role::Organiser => &self.role_organiser,
            Role::Provider => &self.role_provider,
            Role::Citizen => &self.role_citizen,
        }
        .is_some()
    }
}

/// Saves one person's roles and lock state from the users table; both changes are audited.
pub async fn update_user(
    State(state): State<AppState>,
    RequireRole { user: me, .. }: RequireRole<role::Admin>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let current = state.db.roles_of(id).await?;
    if state.db.user_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let wanted: Vec<Role> = Role::ALL.into_iter().filter(|r| form.has(*r)).collect();
    let locked = form.locked.is_some();
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
    // New roles or a lock show in the header of cached pages at once on this instance.
    state.cache.sessions.forget_person(id);
    // Back to the page of the table the row was on, at the row.
    let back = match form.page.as_deref().and_then(|p| p.parse::<i64>().ok()) {
        Some(page) if (2..=100_000).contains(&page) => {
            format!("/admin/benutzer?page={page}#benutzer-{id}")
        }
        _ => format!("/admin/benutzer#benutzer-{id}"),
    };
    Ok(Redirect::to(&back).into_response())
}

/// One person: which fields of action they may edit as an editor (none ticked: all of them).
pub async fn user_fields_form(
    State(state): State<AppState>,
    RequireRole { ctx, .. }: RequireRole<role::Admin>,
    Path(id): Path<String>,
) -> PageResult {
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
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    Path(id): Path<String>,
    // The ticked fields of action: `field` once per box, so a list of pairs.
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
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
