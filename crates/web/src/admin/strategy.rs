//! The strategy and its taxonomy in the back office: the strategy's texts (title, city, target
//! year, vision), and core areas, fields of action and focus areas — create, edit, reorder,
//! archive. For admins and editors without a restriction to some fields of action.

use super::{PageResult, Strategist, chrome, csrf_of, render};
use crate::AppState;
use crate::admin::views::{StrategyPage, TaxFormPage, TaxNode};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path};
use crate::i18n::Tr;
use crate::layout::Opt;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::taxonomy::{ArchiveOutcome, StrategyEdit, TaxEdit, TaxKind, TaxOutcome};

/// The form of the strategy's texts.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StrategyForm {
    title: String,
    city: String,
    target_year: String,
    vision: String,
}

/// The form of a core area, field of action or focus area.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TaxForm {
    title: String,
    slug: String,
    description: String,
    goals: String,
    colour: String,
    parent: String,
}

/// The up and down buttons of an entry.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    direction: String,
}

/// The archive button of an entry.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArchiveForm {
    archived: String,
}

/// The German path segment of each level.
fn segment(kind: TaxKind) -> &'static str {
    match kind {
        TaxKind::CoreArea => "kernbereich",
        TaxKind::Field => "handlungsfeld",
        TaxKind::FocusArea => "schwerpunkt",
    }
}

fn kind_of(segment_: &str) -> Result<TaxKind, AppError> {
    TaxKind::ALL
        .into_iter()
        .find(|k| segment(*k) == segment_)
        .ok_or(AppError::NotFound)
}

fn kind_label(t: &Tr, kind: TaxKind) -> String {
    t.get(&format!("tax-kind-{}", kind.as_str()))
}

fn trimmed(v: &str) -> String {
    v.trim().to_string()
}

async fn strategy_page(
    state: &AppState,
    ctx: &Ctx,
    form: StrategyEdit,
    errors: Vec<String>,
    notice: Option<String>,
) -> PageResult {
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let node = |kind: TaxKind, id: i64, title: &str, archived: bool, children: Vec<TaxNode>| {
        let base = format!("/admin/strategie/{}/{id}", segment(kind));
        TaxNode {
            title: title.to_string(),
            kind: kind_label(t, kind),
            edit_href: base.clone(),
            move_action: format!("{base}/verschieben"),
            archive_action: format!("{base}/archivieren"),
            archived,
            children,
        }
    };
    let tree = tax
        .core_areas
        .iter()
        .map(|c| {
            let fields = tax
                .fields_of(c.id)
                .map(|f| {
                    let focus = tax
                        .focus_areas_of(f.id)
                        .map(|a| node(TaxKind::FocusArea, a.id, &a.title, a.archived, vec![]))
                        .collect();
                    node(TaxKind::Field, f.id, &f.title, f.archived, focus)
                })
                .collect();
            node(TaxKind::CoreArea, c.id, &c.title, c.archived, fields)
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(StrategyPage {
        c: chrome(state, ctx).await?,
        title: t.get("admin-strategy-title"),
        csrf: csrf_of(ctx)?,
        form_title: form.title,
        city: form.city,
        target_year: form.target_year.map(|y| y.to_string()).unwrap_or_default(),
        vision: form.vision,
        errors,
        notice,
        tree,
        has_core_areas: !tax.core_areas.is_empty(),
        has_fields: !tax.fields.is_empty(),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

async fn stored_strategy(state: &AppState) -> Result<StrategyEdit, AppError> {
    Ok(match state.db.strategy().await? {
        Some(s) => StrategyEdit {
            title: s.title,
            city: s.city,
            target_year: s.target_year,
            vision: s.vision_md,
        },
        None => StrategyEdit::default(),
    })
}

pub async fn strategy_form(State(state): State<AppState>, _: Strategist, ctx: Ctx) -> PageResult {
    let form = stored_strategy(&state).await?;
    strategy_page(&state, &ctx, form, vec![], None).await
}

pub async fn save_strategy(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<StrategyForm>,
) -> PageResult {
    let t = &ctx.t;
    let mut errors = Vec::new();
    let title = trimmed(&f.title);
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(t.get("strategy-title-invalid"));
    }
    let city = trimmed(&f.city);
    if city.is_empty() || city.chars().count() > 100 {
        errors.push(t.get("strategy-city-invalid"));
    }
    let year_text = trimmed(&f.target_year);
    let target_year = match year_text.as_str() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(t.s("edit-year-invalid", "value", v));
                None
            }
        },
    };
    let vision = f.vision.replace("\r\n", "\n");
    if vision.chars().count() > 50_000 {
        errors.push(t.get("strategy-vision-too-long"));
    }
    let form = StrategyEdit {
        title,
        city,
        target_year,
        vision,
    };
    if !errors.is_empty() {
        return strategy_page(&state, &ctx, form, errors, None).await;
    }
    state.db.save_strategy(editor.user_id, &form).await?;
    strategy_page(&state, &ctx, form, vec![], Some(t.get("strategy-saved"))).await
}

#[expect(clippy::too_many_arguments)]
async fn tax_page(
    state: &AppState,
    ctx: &Ctx,
    kind: TaxKind,
    id: Option<i64>,
    edit: &TaxEdit,
    archived: bool,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let t = &ctx.t;
    let tax = state.db.taxonomy_all().await?;
    let parents: Vec<Opt> = match kind {
        TaxKind::CoreArea => vec![],
        TaxKind::Field => tax
            .core_areas
            .iter()
            .filter(|c| !c.archived || c.id == edit.parent_id)
            .map(|c| Opt {
                value: c.id.to_string(),
                label: c.title.clone(),
                selected: c.id == edit.parent_id,
            })
            .collect(),
        TaxKind::FocusArea => tax
            .fields
            .iter()
            .filter(|f| !f.archived || f.id == edit.parent_id)
            .map(|f| Opt {
                value: f.id.to_string(),
                label: f.title.clone(),
                selected: f.id == edit.parent_id,
            })
            .collect(),
    };
    let label = kind_label(t, kind);
    let mut res = render(TaxFormPage {
        c: chrome(state, ctx).await?,
        title: match id {
            Some(_) => t.s("tax-edit-title", "kind", &label),
            None => t.s("tax-new-title", "kind", &label),
        },
        action: match id {
            Some(id) => format!("/admin/strategie/{}/{id}", segment(kind)),
            None => format!("/admin/strategie/{}/neu", segment(kind)),
        },
        csrf: csrf_of(ctx)?,
        parent_label: match kind {
            TaxKind::CoreArea => String::new(),
            TaxKind::Field => t.get("tax-kind-core_area"),
            TaxKind::FocusArea => t.get("tax-kind-field"),
        },
        parents,
        colour_required: kind == TaxKind::CoreArea,
        edit: edit.clone(),
        colour: edit.colour.clone().unwrap_or_default(),
        archived,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn new_tax_form(
    State(state): State<AppState>,
    _: Strategist,
    ctx: Ctx,
    Path(kind): Path<String>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let tax = state.db.taxonomy().await?;
    let parent_id = match kind {
        TaxKind::CoreArea => 0,
        TaxKind::Field => tax.core_areas.first().map(|c| c.id).unwrap_or(0),
        TaxKind::FocusArea => tax.fields.first().map(|f| f.id).unwrap_or(0),
    };
    let colour = (kind == TaxKind::CoreArea).then(|| {
        domain::import::PALETTE[tax.core_areas.len() % domain::import::PALETTE.len()].to_string()
    });
    let edit = TaxEdit {
        parent_id,
        colour,
        ..TaxEdit::default()
    };
    tax_page(
        &state,
        &ctx,
        kind,
        None,
        &edit,
        false,
        vec![],
        StatusCode::OK,
    )
    .await
}

pub async fn edit_tax_form(
    State(state): State<AppState>,
    _: Strategist,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (edit, archived) = state
        .db
        .tax_entry(kind, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tax_page(
        &state,
        &ctx,
        kind,
        Some(id),
        &edit,
        archived,
        vec![],
        StatusCode::OK,
    )
    .await
}

/// Reads and checks the form of a taxonomy entry.
fn parse_tax(t: &Tr, kind: TaxKind, f: &TaxForm) -> (TaxEdit, Vec<String>) {
    let mut errors = Vec::new();
    let title = trimmed(&f.title);
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(t.get("edit-title-invalid"));
    }
    let mut slug = trimmed(&f.slug);
    if slug.is_empty() {
        slug = domain::text::slugify(&title);
    }
    if !domain::text::is_slug(&slug) {
        errors.push(t.s("tax-slug-invalid", "value", &slug));
    }
    let description = trimmed(&f.description).replace("\r\n", "\n");
    let goals = trimmed(&f.goals).replace("\r\n", "\n");
    if description.chars().count() > 10_000 || goals.chars().count() > 10_000 {
        errors.push(t.get("tax-too-long"));
    }
    let colour_text = trimmed(&f.colour).to_ascii_lowercase();
    let colour = match colour_text.as_str() {
        "" if kind == TaxKind::CoreArea => {
            errors.push(t.get("tax-colour-required"));
            None
        }
        "" => None,
        v => match domain::colour::parse_hex(v) {
            // Dots and legend marks are graphics on white: at least 3:1 (WCAG 1.4.11).
            Some(rgb) if domain::colour::contrast_on_white(rgb) >= 3.0 => Some(v.to_string()),
            Some(rgb) => {
                let ratio =
                    format!("{:.1}", domain::colour::contrast_on_white(rgb)).replace('.', ",");
                errors.push(t.s("tax-colour-contrast", "ratio", &ratio));
                None
            }
            None => {
                errors.push(t.s("tax-colour-invalid", "value", v));
                None
            }
        },
    };
    let parent_id = if kind == TaxKind::CoreArea {
        0
    } else {
        match f.parent.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                errors.push(t.get("tax-parent-invalid"));
                0
            }
        }
    };
    (
        TaxEdit {
            title,
            slug,
            description,
            goals,
            colour,
            parent_id,
        },
        errors,
    )
}

async fn save(
    state: &AppState,
    editor: &super::Editor,
    ctx: &Ctx,
    kind: TaxKind,
    id: Option<i64>,
    f: &TaxForm,
) -> PageResult {
    let t = &ctx.t;
    let archived = match id {
        Some(id) => {
            state
                .db
                .tax_entry(kind, id)
                .await?
                .ok_or(AppError::NotFound)?
                .1
        }
        None => false,
    };
    let (edit, errors) = parse_tax(t, kind, f);
    if !errors.is_empty() {
        return tax_page(
            state,
            ctx,
            kind,
            id,
            &edit,
            archived,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let error = match state.db.save_tax(editor.user_id, kind, id, &edit).await? {
        TaxOutcome::Saved { .. } => {
            return Ok(Redirect::to("/admin/strategie").into_response());
        }
        TaxOutcome::NotFound => return Err(AppError::NotFound),
        TaxOutcome::SlugTaken => t.s("tax-slug-taken", "value", &edit.slug),
        TaxOutcome::NoParent => t.get(if kind == TaxKind::CoreArea {
            "tax-no-strategy"
        } else {
            "tax-parent-invalid"
        }),
    };
    tax_page(
        state,
        ctx,
        kind,
        id,
        &edit,
        archived,
        vec![error],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn create_tax(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    Path(kind): Path<String>,
    CsrfForm(f): CsrfForm<TaxForm>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    save(&state, &editor, &ctx, kind, None, &f).await
}

pub async fn update_tax(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<TaxForm>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    save(&state, &editor, &ctx, kind, Some(id), &f).await
}

/// The kind and id a button on an entry of the tree names.
fn entry_of(kind: &str, id: &str) -> Result<(TaxKind, i64), AppError> {
    let kind = kind_of(kind)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok((kind, id))
}

pub async fn move_tax(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    Path((kind, id)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<MoveForm>,
) -> PageResult {
    let (kind, id) = entry_of(&kind, &id)?;
    let up = match f.direction.trim() {
        "up" => true,
        "down" => false,
        other => {
            return Err(AppError::bad(
                "direction",
                format!("{other:?} is neither up nor down"),
            ));
        }
    };
    if !state.db.move_tax(editor.user_id, kind, id, up).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/strategie").into_response())
}

pub async fn archive_tax(
    State(state): State<AppState>,
    Strategist(editor): Strategist,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ArchiveForm>,
) -> PageResult {
    let (kind, id) = entry_of(&kind, &id)?;
    let archived = match f.archived.trim() {
        "true" => true,
        "false" => false,
        other => {
            return Err(AppError::bad(
                "archived",
                format!("{other:?} is neither true nor false"),
            ));
        }
    };
    match state
        .db
        .archive_tax(editor.user_id, kind, id, archived)
        .await?
    {
        ArchiveOutcome::Done => Ok(Redirect::to("/admin/strategie").into_response()),
        ArchiveOutcome::NotFound => Err(AppError::NotFound),
        ArchiveOutcome::StillInUse(n) => {
            let form = stored_strategy(&state).await?;
            let key = format!("tax-in-use-{}", kind.as_str());
            let mut res =
                strategy_page(&state, &ctx, form, vec![ctx.t.n(&key, "count", n)], None).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
    }
}
