//! The back office's participation windows (`/admin/beteiligung`): open or close the
//! discussions of the strategy, a field of action or a measure, with optional dates. Admins set
//! the strategy's window; editors those of the fields (and their measures) they may change.

use crate::AppState;
use crate::admin::{PageResult, chrome, render};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Query, RequireRole, role};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::accounts::Role;
use domain::participation::{Scope, Window, WindowState};
use serde::Deserialize;
use store::accounts::SessionUser;
use time::{Date, OffsetDateTime, Time};

struct Row {
    key: String,
    label: String,
    state: String,
    editable: bool,
    modes: Vec<(&'static str, String, bool)>,
    opens: String,
    closes: String,
}

#[derive(Template)]
#[template(path = "participation/windows.html")]
struct WindowsPage {
    c: crate::layout::Chrome,
    title: String,
    notice: Option<String>,
    error: Option<String>,
    csrf: String,
    rows: Vec<Row>,
    /// (scope key, title) of the measures the person may give a window.
    measures: Vec<(String, String)>,
}

/// The fields `user` may change (`None`: all of them).
async fn fields_of(state: &AppState, user: &SessionUser) -> Result<Option<Vec<i64>>, AppError> {
    if user.roles.contains(&Role::Admin) {
        return Ok(None);
    }
    let fields = state.db.editor_fields(user.user.id).await?;
    Ok((!fields.is_empty()).then_some(fields))
}

/// Whether `user` may set the window of `scope` (`field`: the scope's field of action).
fn may_set(user: &SessionUser, fields: Option<&[i64]>, scope: Scope, field: Option<i64>) -> bool {
    match scope {
        Scope::Strategy => user.roles.contains(&Role::Admin),
        Scope::Field | Scope::Measure => {
            field.is_some_and(|f| domain::scope::may_edit_field(fields, f))
        }
    }
}

fn date_value(at: Option<OffsetDateTime>, closing: bool) -> String {
    at.map(|t| {
        if closing {
            (t - time::Duration::seconds(1)).date().to_string()
        } else {
            t.date().to_string()
        }
    })
    .unwrap_or_default()
}

fn state_text(t: &crate::i18n::Tr, w: Option<&Window>) -> String {
    let Some(w) = w else {
        return t.get("windows-state-none");
    };
    let day = |at: OffsetDateTime| domain::dates::german(at.date());
    match w.state(OffsetDateTime::now_utc()) {
        WindowState::Open(None) => t.get("windows-state-open"),
        WindowState::Open(Some(c)) => t.s(
            "windows-state-open-until",
            "date",
            &day(c - time::Duration::seconds(1)),
        ),
        WindowState::NotYet(o) => t.s("windows-state-not-yet", "date", &day(o)),
        WindowState::Closed(at) => t.s("windows-state-closed", "date", &day(at)),
    }
}

fn row(
    t: &crate::i18n::Tr,
    key: String,
    label: String,
    window: Option<&Window>,
    editable: bool,
) -> Row {
    let mode = match window {
        None => "inherit",
        Some(w) if w.closed_at.is_some() => "closed",
        Some(_) => "open",
    };
    Row {
        key,
        label,
        state: state_text(t, window),
        editable,
        modes: ["inherit", "open", "closed"]
            .into_iter()
            .map(|m| (m, t.get(&format!("windows-mode-{m}")), m == mode))
            .collect(),
        opens: date_value(window.and_then(|w| w.opens_at), false),
        closes: date_value(window.and_then(|w| w.closes_at), true),
    }
}

#[derive(Deserialize, Default)]
pub struct WindowsQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let fields = fields_of(state, user).await?;
    let fields = fields.as_deref();
    let windows = state.db.windows().await?;
    let find = |scope: Scope, id: i64| {
        windows
            .iter()
            .find(|w| w.scope == scope && w.scope_id == id)
            .map(|w| &w.window)
    };
    let mut rows = Vec::new();
    if let Some(s) = state.db.strategy().await? {
        rows.push(row(
            &t,
            format!("strategy:{}", s.id),
            t.s("windows-strategy", "title", &s.title),
            find(Scope::Strategy, s.id),
            may_set(user, fields, Scope::Strategy, None),
        ));
    }
    let taxonomy = state.db.taxonomy().await?;
    for f in &taxonomy.fields {
        rows.push(row(
            &t,
            format!("field:{}", f.id),
            t.s("windows-field", "title", &f.title),
            find(Scope::Field, f.id),
            may_set(user, fields, Scope::Field, Some(f.id)),
        ));
    }
    let mut measures = Vec::new();
    for (id, title, field) in state.db.measure_titles_and_fields().await? {
        let editable = may_set(user, fields, Scope::Measure, Some(field));
        if let Some(w) = find(Scope::Measure, id) {
            rows.push(row(
                &t,
                format!("measure:{id}"),
                t.s("windows-measure-row", "title", &title),
                Some(w),
                editable,
            ));
        } else if editable {
            measures.push((format!("measure:{id}"), title));
        }
    }
    let c = chrome(state, ctx).await?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut res = render(WindowsPage {
        c,
        title: t.get("windows-title"),
        notice,
        error,
        csrf: user.csrf_token.clone(),
        rows,
        measures,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /admin/beteiligung`
pub async fn windows_page(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Editor>,
    Query(q): Query<WindowsQuery>,
) -> PageResult {
    let notice = (q.hinweis.as_deref() == Some("gespeichert")).then(|| ctx.t.get("windows-saved"));
    page(&state, &ctx, &user, notice, None).await
}

#[derive(Deserialize)]
pub struct WindowForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

/// A date of the form (`YYYY-MM-DD`, or empty).
fn parse_date(v: &str) -> Result<Option<Date>, ()> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(v, &format).map(Some).map_err(|_| ())
}

/// `POST /admin/beteiligung`: sets or removes one window.
pub async fn save_window(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Editor>,
    CsrfForm(form): CsrfForm<WindowForm>,
) -> PageResult {
    let t = ctx.t;
    let refuse = |key: &str| {
        let message = t.get(key);
        let (state, ctx, user) = (&state, &ctx, &user);
        async move { page(state, ctx, user, None, Some(message)).await }
    };
    let parsed = form.scope.split_once(':').and_then(|(s, id)| {
        Some((
            Scope::parse(s)?,
            id.parse::<i64>().ok().filter(|id| *id > 0)?,
        ))
    });
    let Some((scope, id)) = parsed else {
        return refuse("windows-bad-scope").await;
    };
    let field = match scope {
        Scope::Strategy => {
            if state.db.strategy().await?.is_none_or(|s| s.id != id) {
                return refuse("windows-bad-scope").await;
            }
            None
        }
        Scope::Field => {
            let taxonomy = state.db.taxonomy_all().await?;
            if !taxonomy.fields.iter().any(|f| f.id == id) {
                return refuse("windows-bad-scope").await;
            }
            Some(id)
        }
        Scope::Measure => match state.db.measure_field(id).await? {
            Some(f) => Some(f),
            None => return refuse("windows-bad-scope").await,
        },
    };
    let fields = fields_of(&state, &user).await?;
    if !may_set(&user, fields.as_deref(), scope, field) {
        let mut res = refuse("windows-not-yours").await?;
        *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
        return Ok(res);
    }
    let (Ok(opens), Ok(closes)) = (parse_date(&form.opens), parse_date(&form.closes)) else {
        return refuse("windows-bad-date").await;
    };
    let now = OffsetDateTime::now_utc();
    let window = Window {
        closed_at: None,
        opens_at: opens.map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
        // Open until the end of the day given.
        closes_at: closes
            .and_then(|d| d.next_day())
            .map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
    };
    let window = match form.mode.as_str() {
        "inherit" => None,
        "open" => Some(window),
        "closed" => Some(Window {
            closed_at: Some(now),
            ..window
        }),
        _ => return refuse("windows-bad-mode").await,
    };
    if window.is_some_and(|w| !w.is_valid()) {
        return refuse("windows-bad-order").await;
    }
    state.db.set_window(user.user.id, scope, id, window).await?;
    Ok(Redirect::to("/admin/beteiligung?hinweis=gespeichert").into_response())
}
