//! The formats the organisers keep (`/veranstalten/formate`): each with its name, default length
//! and colour. Every organiser adds formats; a format is changed by the organiser who made it or
//! by an admin (the presets by admins only), since a change shows on every event that uses it.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::programme::formats::FormatInput;
use serde::Deserialize;
use store::accounts::SessionUser;
use store::programme::formats::{FormatRefusal, KeptFormat};

/// One format's form (or, for a format the reader may not change, its row).
struct FormatRow {
    /// `neu`, or the format's id: the form's address and its fields' ids.
    key: String,
    action: String,
    name: String,
    minutes: String,
    colour: String,
    class: String,
    editable: bool,
    errors: Vec<(&'static str, String)>,
}

impl FormatRow {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "programme/office_formats.html")]
struct FormatsPage {
    c: Chrome,
    title: String,
    csrf: String,
    rows: Vec<FormatRow>,
    new: FormatRow,
    notice: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct FormatForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    colour: String,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

fn may_change(user: &SessionUser, f: &KeptFormat) -> bool {
    user.roles.contains(&domain::accounts::Role::Admin) || f.created_by == Some(user.user.id)
}

/// A form that failed: its key (`neu` or an id), what was typed, the problems.
type Failed<'a> = (&'a str, &'a FormatForm, Vec<(&'static str, String)>);

/// The page, with the typed values and problems of the form `failed` (`neu` or an id).
async fn page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &SessionUser,
    failed: Option<Failed<'_>>,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let typed = |key: &str| failed.as_ref().filter(|(k, _, _)| *k == key);
    let rows = state
        .db
        .kept_formats()
        .await?
        .into_iter()
        .map(|f| {
            let key = f.id.to_string();
            let editable = may_change(user, &f);
            let class = super::format_class(&f.colour);
            match typed(&key) {
                Some((_, form, errors)) => FormatRow {
                    action: format!("/veranstalten/formate/{key}"),
                    name: form.name.clone(),
                    minutes: form.minutes.clone(),
                    colour: form.colour.clone(),
                    class,
                    editable,
                    errors: errors.clone(),
                    key,
                },
                None => FormatRow {
                    action: format!("/veranstalten/formate/{key}"),
                    name: f.name,
                    minutes: f.default_minutes.to_string(),
                    colour: f.colour,
                    class,
                    editable,
                    errors: Vec::new(),
                    key,
                },
            }
        })
        .collect();
    let new = match typed("neu") {
        Some((_, form, errors)) => FormatRow {
            key: "neu".into(),
            action: "/veranstalten/formate".into(),
            name: form.name.clone(),
            minutes: form.minutes.clone(),
            colour: form.colour.clone(),
            class: String::new(),
            editable: true,
            errors: errors.clone(),
        },
        None => FormatRow {
            key: "neu".into(),
            action: "/veranstalten/formate".into(),
            name: String::new(),
            minutes: "60".into(),
            colour: String::new(),
            class: String::new(),
            editable: true,
            errors: Vec::new(),
        },
    };
    let failed_at_all = failed.is_some();
    let mut res = crate::accounts::render(FormatsPage {
        c: crate::layout::chrome(state, ctx, "organise").await?,
        title: t.get("formats-title"),
        csrf: user.csrf_token.clone(),
        rows,
        new,
        notice,
    })?;
    if failed_at_all {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /veranstalten/formate`
pub async fn formats(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    crate::extract::Query(q): crate::extract::Query<NoticeQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("angelegt") => Some(ctx.t.get("formats-created")),
        Some("gespeichert") => Some(ctx.t.get("formats-saved")),
        _ => None,
    };
    page(&state, &ctx, &user, None, notice).await
}

/// The format the form describes, or its problems as (field, message).
fn input(t: &crate::i18n::Tr, f: &FormatForm) -> Result<FormatInput, Vec<(&'static str, String)>> {
    FormatInput::parse(&f.name, &f.minutes, &f.colour)
        .map_err(|p| p.into_iter().map(|p| (p.field, t.get(p.key))).collect())
}

fn refused(t: &crate::i18n::Tr, r: FormatRefusal) -> Result<Vec<(&'static str, String)>, AppError> {
    match r {
        FormatRefusal::NotFound => Err(AppError::NotFound),
        FormatRefusal::NameTaken => Ok(vec![("name", t.get("format-name-taken"))]),
    }
}

/// `POST /veranstalten/formate`: a new format.
pub async fn add_format(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    CsrfForm(f): CsrfForm<FormatForm>,
) -> PageResult {
    let t = ctx.t;
    let errors = match input(&t, &f) {
        Err(e) => e,
        Ok(format) => match state.db.add_format(user.user.id, &format).await? {
            Ok(_) => {
                return Ok(Redirect::to("/veranstalten/formate?hinweis=angelegt").into_response());
            }
            Err(r) => refused(&t, r)?,
        },
    };
    page(&state, &ctx, &user, Some(("neu", &f, errors)), None).await
}

/// `POST /veranstalten/formate/{id}`: a format changed, by an admin or its maker.
pub async fn update_format(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<FormatForm>,
) -> PageResult {
    let t = ctx.t;
    let kept = state
        .db
        .kept_formats()
        .await?
        .into_iter()
        .find(|k| k.id == id)
        .ok_or(AppError::NotFound)?;
    if !may_change(&user, &kept) {
        return Err(AppError::Forbidden);
    }
    let errors = match input(&t, &f) {
        Err(e) => e,
        Ok(format) => match state.db.update_format(user.user.id, id, &format).await? {
            Ok(()) => {
                return Ok(
                    Redirect::to("/veranstalten/formate?hinweis=gespeichert").into_response()
                );
            }
            Err(r) => refused(&t, r)?,
        },
    };
    let key = id.to_string();
    page(&state, &ctx, &user, Some((&key, &f, errors)), None).await
}
