//! The back office: one module per area. Shared here: rendering without caching, the page
//! chrome and the role checks.

mod audit;
mod measures;
mod settings;
mod users;

pub use audit::audit;
pub use measures::{edit_measure, edit_measure_form, measures};
pub use settings::{
    LOGO_BODY_LIMIT, remove_logo, save_accent, save_settings, settings_form, upload_logo,
};
pub use users::{update_user, users};

use crate::AppState;
use crate::error::AppError;
use crate::session::Ctx;
use crate::views::Chrome;
use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use domain::accounts::Role;

pub(crate) type PageResult = Result<Response, AppError>;

pub(crate) const PER_PAGE: i64 = 50;

pub(crate) fn render(t: impl Template) -> PageResult {
    let mut res = Html(t.render()?).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub(crate) async fn chrome(state: &AppState, ctx: &Ctx) -> Result<Chrome, AppError> {
    crate::branding::chrome(state, ctx, "admin").await
}

/// Editors and admins may change measures.
pub(crate) fn require_editor(ctx: &Ctx) -> Result<&store::accounts::SessionUser, AppError> {
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
