//! Helpers of the measure editor: loading, scope checks, the redirect after a save.

use crate::AppState;
use crate::admin::{Editor, PageResult};
use crate::error::AppError;
use crate::i18n::Tr;
use axum::http::StatusCode;
use std::collections::HashMap;
use store::editing::MeasureEdit;

/// The measure editor's form: named fields plus numbered rows of its lists (`kpi_3_name`, …,
/// up to `MAX_ROWS` each), read by `parse_form`. Its CSRF token is checked by `CsrfForm`.
pub(crate) type FormData = HashMap<String, String>;

/// Rows of each list the form offers beyond the stored ones (no script needed to add rows).
pub(crate) const SPARE_ROWS: usize = 2;

/// At most this many rows per list are read from a form.
pub(crate) const MAX_ROWS: usize = 100;

pub(crate) fn state_label(t: &Tr, s: &str) -> String {
    t.get(&format!("state-{s}"))
}

pub(crate) fn get(f: &FormData, key: &str) -> String {
    f.get(key).map(|v| v.trim().to_string()).unwrap_or_default()
}

pub(crate) struct Target {
    /// `None` for a new measure.
    pub(crate) id: Option<i64>,
    pub(crate) version: i64,
    pub(crate) external_id: String,
}

pub(crate) fn with_status(mut res: axum::response::Response, status: StatusCode) -> PageResult {
    *res.status_mut() = status;
    Ok(res)
}

/// Where a save leads: the public page of a published measure, else its preview.
pub(crate) async fn after_save(
    state: &AppState,
    id: i64,
    edit: &MeasureEdit,
) -> Result<String, AppError> {
    if edit.state == "published"
        && let Some((_, slug)) = state.db.measure_keys(id).await?
    {
        return Ok(format!("/massnahmen/{slug}"));
    }
    Ok(format!("/admin/massnahmen/{id}/vorschau"))
}

/// The measure `id` names, if this editor may change it: (id, version, stored fields).
pub(crate) async fn editable(
    state: &AppState,
    editor: &Editor,
    id: &str,
) -> Result<(i64, i64, MeasureEdit), AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (version, edit) = state
        .db
        .measure_version(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !editor.may_edit_field(edit.field_id) {
        return Err(AppError::Forbidden);
    }
    Ok((id, version, edit))
}

pub(crate) async fn external_id_of(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(state
        .db
        .measure_keys(id)
        .await?
        .map(|(external_id, _)| external_id)
        .unwrap_or_default())
}

/// Checks a save against the editor's fields of action (`domain::scope`): the measure, and the
/// parents it is taken from and given to. Returns the messages for the form; a measure outside
/// the editor's fields is forbidden outright. Also refuses a parent that does not exist.
pub(crate) async fn check_scope(
    state: &AppState,
    editor: &Editor,
    t: &Tr,
    old: Option<&MeasureEdit>,
    edit: &MeasureEdit,
) -> Result<Vec<String>, AppError> {
    let with_field = |id: Option<i64>| async move {
        match id {
            None => Ok::<_, AppError>(Some(None)),
            Some(id) => Ok(state.db.measure_field(id).await?.map(|f| Some((id, f)))),
        }
    };
    let Some(new_parent) = with_field(edit.parent_id).await? else {
        return Ok(vec![t.get("edit-parent-invalid")]);
    };
    let old_parent = with_field(old.and_then(|o| o.parent_id)).await?.flatten();
    let write = domain::scope::MeasureWrite {
        old_field: old.map(|o| o.field_id),
        new_field: edit.field_id,
        old_parent,
        new_parent,
    };
    let key = match domain::scope::check_measure_write(editor.fields.as_deref(), &write) {
        Ok(()) => return Ok(vec![]),
        Err(domain::scope::OutOfScope::Measure) => return Err(AppError::Forbidden),
        // `parse_form` has said so already (and left the field empty).
        Err(domain::scope::OutOfScope::Field) => return Ok(vec![]),
        Err(domain::scope::OutOfScope::Parent) => "edit-parent-not-yours",
        Err(domain::scope::OutOfScope::OldParent) => "edit-old-parent-not-yours",
    };
    Ok(vec![t.args(
        "edit-field-error",
        &[
            ("field", crate::i18n::Arg::Str(t.get("edit-parent"))),
            ("reason", crate::i18n::Arg::Str(t.get(key))),
        ],
    )])
}
