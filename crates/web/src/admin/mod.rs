//! The back office: one module per area. Shared here: rendering without caching, the page
//! chrome and the role checks.

mod audit;
mod demo;
mod import;
mod measures;
mod settings;
mod strategy;
mod users;
pub mod views;

pub use audit::audit;
pub use demo::remove_demo;
pub use import::{
    MAX_UPLOAD, apply as apply_import, import_form, preview as import_preview, upload,
};
pub use measures::{
    create_measure, edit_measure, edit_measure_form, measures, new_measure_form, preview,
};
pub use settings::{
    LOGO_BODY_LIMIT, remove_logo, save_accent, save_participation, save_settings, settings_form,
    upload_logo,
};
pub use strategy::{
    archive_tax, create_tax, edit_tax_form, move_tax, new_tax_form, save_strategy, strategy_form,
    update_tax,
};
pub use users::{save_user_fields, update_user, user_fields_form, users};

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, RequireRole, role};
use crate::layout::Chrome;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
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
    crate::layout::chrome(state, ctx, "admin").await
}

/// A person who may change the strategy: an admin, or an editor — possibly restricted to some
/// fields of action.
pub struct Editor {
    pub user_id: i64,
    /// `None`: every field of action.
    pub fields: Option<Vec<i64>>,
}

impl Editor {
    pub fn may_edit_field(&self, field_id: i64) -> bool {
        domain::scope::may_edit_field(self.fields.as_deref(), field_id)
    }

    /// Strategy, core areas and the taxonomy belong to unrestricted editors.
    pub fn unrestricted(&self) -> bool {
        self.fields.is_none()
    }
}

/// Editors and admins may change measures; an editor with assigned fields of action only those.
/// As an extractor: the route needs the role editor (`routes::Access::Role(Role::Editor)`).
impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let RequireRole { user, .. } =
            RequireRole::<role::Editor>::from_request_parts(parts, state).await?;
        if user.roles.contains(&Role::Admin) {
            return Ok(Editor {
                user_id: user.user.id,
                fields: None,
            });
        }
        let fields = state.db.editor_fields(user.user.id).await?;
        Ok(Editor {
            user_id: user.user.id,
            fields: (!fields.is_empty()).then_some(fields),
        })
    }
}

/// An editor without a restriction to some fields of action: the strategy, its taxonomy and
/// the import belong to them. Restricted editors get 403.
pub struct Strategist(pub(crate) Editor);

impl FromRequestParts<AppState> for Strategist {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let editor = Editor::from_request_parts(parts, state).await?;
        if editor.unrestricted() {
            Ok(Strategist(editor))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The signed-in person's CSRF token for the forms of a page.
pub(crate) fn csrf_of(ctx: &Ctx) -> Result<String, AppError> {
    Ok(ctx.require_user()?.csrf_token.clone())
}

/// What the start page says after an action (`?hinweis=`).
#[derive(serde::Deserialize, Default)]
pub struct HomeQuery {
    #[serde(default)]
    pub(crate) hinweis: Option<String>,
}

/// The back office's start page: the areas this person may use.
pub async fn home(
    axum::extract::State(state): axum::extract::State<AppState>,
    editor: Editor,
    ctx: Ctx,
    crate::extract::Query(q): crate::extract::Query<HomeQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("demo-entfernt") => Some(ctx.t.get("demo-admin-removed")),
        Some("keine-demo") => Some(ctx.t.get("demo-admin-none")),
        _ => None,
    };
    home_page(&state, &editor, &ctx, notice, None).await
}

/// The start page with a notice or an error (the caller sets the status of an error).
pub(crate) async fn home_page(
    state: &AppState,
    editor: &Editor,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let t = &ctx.t;
    let is_admin = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.roles.contains(&Role::Admin));
    let mut areas = vec![(
        "/admin/massnahmen",
        "admin-measures-title",
        "admin-home-measures",
    )];
    if editor.unrestricted() {
        areas.push((
            "/admin/strategie",
            "admin-strategy-title",
            "admin-home-strategy",
        ));
        areas.push(("/admin/import", "admin-import-title", "admin-home-import"));
    }
    if is_admin {
        areas.push(("/admin/benutzer", "admin-users-title", "admin-home-users"));
        areas.push(("/admin/protokoll", "admin-audit-title", "admin-home-audit"));
        areas.push((
            "/admin/einstellungen",
            "settings-title",
            "admin-home-settings",
        ));
    }
    let (_, drafts) = state
        .db
        .admin_measures(Some("draft"), None, None, 1, 0)
        .await?;
    let c = chrome(state, ctx).await?;
    render(crate::admin::views::AdminHomePage {
        title: t.get("admin-home-title"),
        areas: areas
            .into_iter()
            .map(|(href, title, text)| (href.to_string(), t.get(title), t.get(text)))
            .collect(),
        drafts,
        // Only admins remove the demo.
        remove_demo: is_admin && c.demo,
        csrf: csrf_of(ctx)?,
        notice,
        error,
        c,
    })
}
