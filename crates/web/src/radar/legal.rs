//! Imprint and privacy notice.

use crate::AppState;
use crate::extract::Ctx;
use crate::layout::*;
use crate::radar::views::*;
use axum::extract::State;
use domain::tags;

/// The privacy notice shipped with stadtradar, used until the city enters its own.
pub(crate) const DEFAULT_PRIVACY: &str = include_str!("../../content/datenschutz.md");

pub async fn imprint(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "imprint").await?;
    let imprint = state
        .db
        .setting("imprint")
        .await?
        .filter(|v| !v.trim().is_empty());
    let contact = state
        .db
        .setting("contact")
        .await?
        .filter(|v| !v.trim().is_empty());
    let mut html = match imprint {
        Some(md) => domain::text::markdown_to_safe_html(&md),
        None => format!(
            "<p>{}</p>",
            crate::radar::svg::esc(&t.get("imprint-missing"))
        ),
    };
    if let Some(md) = contact {
        html.push_str(&format!(
            "<h2>{}</h2>",
            crate::radar::svg::esc(&t.get("contact-title"))
        ));
        html.push_str(&domain::text::markdown_to_safe_html(&md));
    }
    self::html(LegalPage {
        c,
        title: t.get("imprint-title"),
        html,
    })
    .map(|r| crate::cache::tagged(r, [tags::LEGAL]))
}

pub async fn privacy(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "privacy").await?;
    let md = state
        .db
        .setting("privacy")
        .await?
        .filter(|v| !v.trim().is_empty());
    let html = domain::text::markdown_to_safe_html(md.as_deref().unwrap_or(DEFAULT_PRIVACY));
    self::html(LegalPage {
        c,
        title: t.get("privacy-title"),
        html,
    })
    .map(|r| crate::cache::tagged(r, [tags::LEGAL]))
}
