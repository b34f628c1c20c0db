//! `GET /ehrenamt` (the open roles of approved providers, newest first) and
//! `GET /ehrenamt/{slug}` (a role: what, when, how many are still needed, what it takes, who
//! asks; the way to apply).

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path, Query};
use crate::layout::{Chrome, PageResult, html};
use crate::offers::PER_PAGE;
use askama::Template;
use axum::extract::State;
use serde::Deserialize;

/// A role as the list shows it.
struct Card {
    href: String,
    title: String,
    provider: String,
    when: String,
    district: Option<String>,
    open: String,
}

#[derive(Template)]
#[template(path = "offers/roles.html")]
struct ListPage {
    c: Chrome,
    title: String,
    summary: String,
    cards: Vec<Card>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<String>,
}

fn open_text(t: &crate::i18n::Tr, r: &store::offers::volunteering::Role) -> String {
    match r.open_places() {
        0 => t.get("volunteer-filled"),
        n => t.n("volunteer-needed-count", "count", n),
    }
}

/// `GET /ehrenamt`
pub async fn roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let page = match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page")))?,
    };
    let (list, total) = state.db.public_roles(None, page, PER_PAGE).await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    html(ListPage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: t.get("volunteer-title"),
        summary: t.n("volunteer-count", "count", total),
        cards: list
            .iter()
            .map(|r| Card {
                href: format!("/ehrenamt/{}", r.slug),
                title: r.input.title.clone(),
                provider: r.provider_name.clone(),
                when: r.input.when.clone(),
                district: r.district.clone(),
                open: open_text(&t, r),
            })
            .collect(),
        previous: (page > 1).then(|| format!("/ehrenamt?page={}", page - 1)),
        next: (page < pages).then(|| format!("/ehrenamt?page={}", page + 1)),
    })
    .map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::VOLUNTEERING.to_string(),
                domain::tags::SITE.to_string(),
            ],
        )
    })
}

#[derive(Template)]
#[template(path = "offers/role.html")]
struct RolePage {
    c: Chrome,
    title: String,
    provider: (String, String),
    when: String,
    district: Option<String>,
    open: String,
    filled: bool,
    description_html: String,
    requirements: String,
    apply_href: String,
}

/// `GET /ehrenamt/{slug}`
pub async fn role_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let t = ctx.t;
    let r = state
        .db
        .public_role(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    html(RolePage {
        c: crate::layout::chrome(&state, &ctx, "offers").await?,
        title: r.input.title.clone(),
        provider: (
            format!("/anbieter/{}", r.provider_slug),
            r.provider_name.clone(),
        ),
        when: r.input.when.clone(),
        district: r.district.clone(),
        open: open_text(&t, &r),
        filled: r.open_places() == 0,
        description_html: r.description_html.clone(),
        requirements: r.input.requirements.clone(),
        apply_href: format!("/ehrenamt/{}/bewerben", r.slug),
    })
    .map(|res| {
        crate::cache::tagged(
            res,
            [
                domain::tags::role(r.id),
                domain::tags::provider(r.provider_id),
                domain::tags::VOLUNTEERING.to_string(),
                domain::tags::SITE.to_string(),
            ],
        )
    })
}
