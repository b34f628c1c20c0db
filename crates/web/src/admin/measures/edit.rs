//! Creating, editing and previewing a measure.

use crate::AppState;
use crate::admin::measures::*;
use crate::admin::{Editor, PageResult};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path};
use crate::i18n::Arg;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use store::editing::{CreateOutcome, EditOutcome, MeasureEdit};

pub async fn new_measure_form(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
) -> PageResult {
    let tax = state.db.taxonomy().await?;
    let field_id = tax
        .fields
        .iter()
        .find(|f| editor.may_edit_field(f.id))
        .map(|f| f.id)
        .unwrap_or(0);
    let edit = MeasureEdit {
        title: String::new(),
        summary: String::new(),
        description: String::new(),
        goals: String::new(),
        status: "planned".into(),
        progress: None,
        state: "draft".into(),
        field_id,
        focus_area_id: None,
        parent_id: None,
        planned_start: None,
        planned_end: None,
        target_year: None,
        departments: vec![],
        target_groups: vec![],
        tags: vec![],
        decisions: vec![],
        kpis: vec![],
        milestones: vec![],
    };
    let target = Target {
        id: None,
        version: 0,
        external_id: String::new(),
    };
    edit_page(&state, &ctx, &editor, target, &edit, None, vec![], None).await
}

pub async fn create_measure(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<FormData>,
) -> PageResult {
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let (edit, mut errors) = parse_form(t, &form, &tax, &editor);
    let external_id = get(&form, "external_id");
    if !external_id.is_empty()
        && (external_id.chars().count() > 100 || external_id.chars().any(char::is_control))
    {
        errors.push(t.get("edit-external-id-invalid"));
    }
    // The editor's fields of action: the measure's field and its parent (`domain::scope`).
    errors.extend(check_scope(&state, &editor, t, None, &edit).await?);
    let target = Target {
        id: None,
        version: 0,
        external_id: external_id.clone(),
    };
    if !errors.is_empty() {
        let res = edit_page(
            &state,
            &ctx,
            &editor,
            target,
            &edit,
            Some(&form),
            errors,
            None,
        )
        .await?;
        return with_status(res, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match state
        .db
        .create_measure(editor.user_id, &external_id, &edit)
        .await?
    {
        CreateOutcome::Created { id } => {
            Ok(Redirect::to(&after_save(&state, id, &edit).await?).into_response())
        }
        CreateOutcome::ExternalIdTaken => {
            let errors = vec![t.s("edit-external-id-taken", "value", &external_id)];
            let res = edit_page(
                &state,
                &ctx,
                &editor,
                target,
                &edit,
                Some(&form),
                errors,
                None,
            )
            .await?;
            with_status(res, StatusCode::CONFLICT)
        }
    }
}

pub async fn edit_measure_form(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let (id, version, edit) = editable(&state, &editor, &id).await?;
    let target = Target {
        id: Some(id),
        version,
        external_id: external_id_of(&state, id).await?,
    };
    edit_page(&state, &ctx, &editor, target, &edit, None, vec![], None).await
}

pub async fn edit_measure(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FormData>,
) -> PageResult {
    // A restricted editor may neither change a measure of another field nor move one there
    // (the form's field is checked in `parse_form`).
    let (id, _, stored) = editable(&state, &editor, &id).await?;
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let (edit, mut errors) = parse_form(t, &form, &tax, &editor);
    let version: i64 = get(&form, "version")
        .parse()
        .map_err(|_| AppError::bad("version", "not a number"))?;
    if let Some(parent) = edit.parent_id
        && (parent == id || state.db.would_cycle(id, parent).await?)
    {
        errors.push(t.get("edit-parent-cycle"));
    }
    // The editor's fields of action: the measure, the new parent and the one it leaves.
    errors.extend(check_scope(&state, &editor, t, Some(&stored), &edit).await?);
    let target = Target {
        id: Some(id),
        version,
        external_id: external_id_of(&state, id).await?,
    };
    if !errors.is_empty() {
        let res = edit_page(
            &state,
            &ctx,
            &editor,
            target,
            &edit,
            Some(&form),
            errors,
            None,
        )
        .await?;
        return with_status(res, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let label = |from: &str, to: &str, p0: i64, p1: i64| {
        t.args(
            "edit-report",
            &[
                ("from", Arg::Str(t.status(from))),
                ("to", Arg::Str(t.status(to))),
                ("p0", Arg::Num(p0)),
                ("p1", Arg::Num(p1)),
            ],
        )
    };
    match state
        .db
        .update_measure(editor.user_id, id, version, &edit, &label)
        .await?
    {
        EditOutcome::NotFound => Err(AppError::NotFound),
        EditOutcome::Saved { .. } => {
            Ok(Redirect::to(&after_save(&state, id, &edit).await?).into_response())
        }
        EditOutcome::Conflict { version, stored } => {
            let target = Target { version, ..target };
            let res = edit_page(
                &state,
                &ctx,
                &editor,
                target,
                &edit,
                Some(&form),
                vec![t.get("edit-conflict")],
                Some(*stored),
            )
            .await?;
            with_status(res, StatusCode::CONFLICT)
        }
    }
}

/// The measure page as the public would see it once published, for any state.
pub async fn preview(
    State(state): State<AppState>,
    editor: Editor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let (id, _, edit) = editable(&state, &editor, &id).await?;
    let banner = ctx
        .t
        .s("preview-banner", "state", &state_label(&ctx.t, &edit.state));
    let mut res = crate::radar::measure_page(&state, &ctx, id, Some(banner)).await?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
