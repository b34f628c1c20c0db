//! Site settings and texts: imprint, contact, privacy notice (admins only).

use super::{PageResult, chrome, render};
use crate::AppState;
use crate::error::AppError;
use crate::session::Ctx;
use axum::Form;
use axum::extract::State;
use domain::accounts::Role;
use std::collections::HashMap;

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
