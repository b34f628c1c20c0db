//! The audit log (admins only).

use super::{PER_PAGE, PageResult, chrome, render};
use crate::AppState;
use crate::filters::Params;
use crate::session::Ctx;
use crate::views::{AuditPage, AuditRow, Pagination};
use axum::extract::State;
use domain::accounts::Role;

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
