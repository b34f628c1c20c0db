//! Removing the demo data from the back office (admins only): a POST with the CSRF token and a
//! ticked confirmation; `store::demo` removes the whole strategy, audits it and drops the banner
//! from every cached page.

use super::{Editor, PageResult, home_page};
use crate::AppState;
use crate::extract::{CsrfForm, RequireRole, role};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RemoveDemoForm {
    /// `ja` when the person ticked the confirmation.
    #[serde(default)]
    pub(crate) confirm: Option<String>,
}

pub async fn remove_demo(
    State(state): State<AppState>,
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    CsrfForm(form): CsrfForm<RemoveDemoForm>,
) -> PageResult {
    if form.confirm.as_deref() != Some("ja") {
        let error = Some(ctx.t.get("demo-admin-confirm-missing"));
        // An admin edits everything.
        let editor = Editor {
            user_id: me.user.id,
            fields: None,
        };
        let mut res = home_page(&state, &editor, &ctx, None, error).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let to = match state.db.remove_demo(Some(me.user.id)).await? {
        Some(removed) => {
            tracing::info!(
                actor = me.user.id,
                measures = removed.measures,
                "demo data removed"
            );
            "/admin?hinweis=demo-entfernt"
        }
        None => "/admin?hinweis=keine-demo",
    };
    Ok(Redirect::to(to).into_response())
}
