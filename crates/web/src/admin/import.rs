//! Import from the browser: upload a CSV or JSON file, see what would change (new, changed,
//! unchanged, errors) and apply it — all or nothing, once. Plus the export downloads.
//! For admins and editors without a restriction to some fields of action.

use super::{Editor, PageResult, Strategist, chrome, csrf_of, render};
use crate::AppState;
use crate::admin::views::{ImportError, ImportPage, ImportPreviewPage, ImportRow};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, NoFields, Path};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use store::import::Change;

/// The largest file the browser import takes (a strategy of 10,000 measures fits easily).
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;

async fn import_page(
    state: &AppState,
    ctx: &Ctx,
    errors: Vec<ImportError>,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    let mut res = render(ImportPage {
        c: chrome(state, ctx).await?,
        title: ctx.t.get("admin-import-title"),
        csrf: csrf_of(ctx)?,
        max_mb: (MAX_UPLOAD / (1024 * 1024)) as i64,
        errors,
        message,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// Imports replace the whole strategy: for editors without a restriction (`Strategist`).
pub async fn import_form(State(state): State<AppState>, _: Strategist, ctx: Ctx) -> PageResult {
    import_page(&state, &ctx, vec![], None, StatusCode::OK).await
}

/// Reads a file and checks it against what the database holds now: the plan, or every problem.
async fn plan_of(
    state: &AppState,
    bytes: &[u8],
) -> Result<Result<domain::import::Plan, Vec<domain::import::ImportError>>, AppError> {
    Ok(match domain::import::parse(bytes) {
        Ok((_, doc)) => domain::import::validate(&doc, &state.db.known().await?),
        Err(e) => Err(e),
    })
}

fn errors_of(list: Vec<domain::import::ImportError>) -> Vec<ImportError> {
    list.into_iter()
        .map(|e| ImportError {
            line: e.line.map(|l| l.to_string()).unwrap_or_default(),
            column: e.column,
            message: e.message,
        })
        .collect()
}

/// What is wrong with an upload: the status and the message's key.
type UploadProblem = (StatusCode, &'static str);

/// Reads the multipart form: the CSRF token, and the file or what is wrong with it. A body that
/// cannot be read at all has no token either.
#[allow(clippy::type_complexity)]
async fn read_upload(
    mut multipart: Multipart,
) -> Result<(String, Result<(String, Vec<u8>), UploadProblem>), UploadProblem> {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((StatusCode::PAYLOAD_TOO_LARGE, "import-too-large"));
            }
            Err(_) => return Err((StatusCode::BAD_REQUEST, "import-unreadable")),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err((StatusCode::PAYLOAD_TOO_LARGE, "import-too-large"));
                    }
                    Err(_) => return Err((StatusCode::BAD_REQUEST, "import-unreadable")),
                }
            }
            _ => {}
        }
    }
    let file = match file {
        Some((_, bytes)) if bytes.len() > MAX_UPLOAD => {
            Err((StatusCode::PAYLOAD_TOO_LARGE, "import-too-large"))
        }
        Some((name, bytes)) if !bytes.is_empty() => Ok((name, bytes)),
        _ => Err((StatusCode::UNPROCESSABLE_ENTITY, "import-no-file")),
    };
    Ok((csrf, file))
}

pub async fn upload(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    // Who is asking comes first (the extractor); the token is inside the multipart body and
    // checked below, before anything is stored.
    let read = match multipart {
        Ok(m) => read_upload(m).await,
        Err(_) => Err((StatusCode::BAD_REQUEST, "import-unreadable")),
    };
    // A readable form must carry the token before anything about its file is answered.
    let read = match read {
        Ok((csrf, file)) => {
            ctx.check_csrf(&csrf)?;
            file
        }
        Err(problem) => Err(problem),
    };
    let (name, bytes) = match read {
        Ok(v) => v,
        Err((status, key)) => {
            let message = ctx.t.args(
                key,
                &[(
                    "mb",
                    crate::i18n::Arg::Num((MAX_UPLOAD / (1024 * 1024)) as i64),
                )],
            );
            return import_page(&state, &ctx, vec![], Some(message), status).await;
        }
    };
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if let Err(list) = plan_of(&state, &bytes).await? {
        let message = ctx.t.n("import-errors", "count", list.len() as i64);
        return import_page(
            &state,
            &ctx,
            errors_of(list),
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let id = state.db.save_upload(editor.user_id, &name, &bytes).await?;
    Ok(Redirect::to(&format!("/admin/import/{id}")).into_response())
}

async fn own_upload(
    state: &AppState,
    editor: &Editor,
    ctx: &Ctx,
    id: &str,
) -> Result<store::import::Upload, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let upload = state.db.upload(id).await?.ok_or(AppError::NotFound)?;
    let is_admin = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.roles.contains(&domain::accounts::Role::Admin));
    // Another editor's file is theirs to apply; admins may look at every upload.
    if upload.user_id != editor.user_id && !is_admin {
        return Err(AppError::NotFound);
    }
    Ok(upload)
}

async fn preview_page(
    state: &AppState,
    ctx: &Ctx,
    upload: &store::import::Upload,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    let t = &ctx.t;
    // Validated again against what the database holds now: it may have changed since upload.
    let plan = plan_of(state, &upload.content).await?;
    let (rows, errors, core_areas) = match &plan {
        Ok(plan) => (
            state.db.classify(plan).await?,
            vec![],
            plan.core_areas.iter().filter(|c| c.full).count(),
        ),
        Err(list) => (vec![], errors_of(list.clone()), 0),
    };
    let count = |c: Change| rows.iter().filter(|r| r.2 == c).count() as i64;
    let (new, changed, unchanged) = (
        count(Change::New),
        count(Change::Changed),
        count(Change::Unchanged),
    );
    let label = |c: Change| {
        t.get(match c {
            Change::New => "import-new",
            Change::Changed => "import-changed",
            Change::Unchanged => "import-unchanged",
        })
    };
    let mut res = render(ImportPreviewPage {
        c: chrome(state, ctx).await?,
        title: t.s("import-preview-title", "file", &upload.file_name),
        csrf: csrf_of(ctx)?,
        action: format!("/admin/import/{}", upload.id),
        applied: upload.applied_at.is_some(),
        summary: t.args(
            "import-summary",
            &[
                ("new", crate::i18n::Arg::Num(new)),
                ("changed", crate::i18n::Arg::Num(changed)),
                ("unchanged", crate::i18n::Arg::Num(unchanged)),
            ],
        ),
        core_areas: core_areas as i64,
        changes: rows
            .iter()
            .filter(|r| r.2 != Change::Unchanged)
            .map(|(external_id, title, c)| ImportRow {
                external_id: external_id.clone(),
                title: title.clone(),
                change: label(*c),
                class: if *c == Change::New {
                    "change-new"
                } else {
                    "change-changed"
                },
            })
            .collect(),
        unchanged: rows
            .iter()
            .filter(|r| r.2 == Change::Unchanged)
            .map(|(external_id, title, c)| ImportRow {
                external_id: external_id.clone(),
                title: title.clone(),
                change: label(*c),
                class: "",
            })
            .collect(),
        errors,
        message,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn preview(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let upload = own_upload(&state, &editor, &ctx, &id).await?;
    preview_page(&state, &ctx, &upload, None, StatusCode::OK).await
}

pub async fn apply(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    let upload = own_upload(&state, &editor, &ctx, &id).await?;
    let t = &ctx.t;
    if upload.applied_at.is_some() {
        let msg = t.get("import-already-applied");
        return preview_page(&state, &ctx, &upload, Some(msg), StatusCode::CONFLICT).await;
    }
    let Ok(plan) = plan_of(&state, &upload.content).await? else {
        let msg = t.get("import-now-invalid");
        return preview_page(
            &state,
            &ctx,
            &upload,
            Some(msg),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .db
        .apply_upload(editor.user_id, upload.id, &plan)
        .await?
    {
        None => {
            let msg = t.get("import-already-applied");
            let upload = state
                .db
                .upload(upload.id)
                .await?
                .ok_or(AppError::NotFound)?;
            preview_page(&state, &ctx, &upload, Some(msg), StatusCode::CONFLICT).await
        }
        Some(s) => {
            let msg = t.args(
                "import-applied",
                &[
                    ("created", crate::i18n::Arg::Num(s.created as i64)),
                    ("updated", crate::i18n::Arg::Num(s.updated as i64)),
                    ("unchanged", crate::i18n::Arg::Num(s.unchanged as i64)),
                ],
            );
            import_page(&state, &ctx, vec![], Some(msg), StatusCode::OK).await
        }
    }
}
