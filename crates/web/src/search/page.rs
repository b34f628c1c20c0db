//! `GET /suche?q=…&kind=…&page=…`: the search page — the form, the kinds with their counts as
//! filter links, and per kind a heading with its count, the results with a short excerpt and
//! either a link to all of that kind (the overview) or a pager (one kind).

use super::{EXCERPT, Found, Params, find, href};
use crate::AppState;
use crate::extract::{Ctx, Query};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::search::Kind;

/// A kind as a filter link.
struct Filter {
    href: String,
    label: String,
    current: bool,
}

/// A thing found, as the page lists it.
struct Item {
    href: String,
    title: String,
    /// The provider of an offer or a volunteering role.
    context: Option<String>,
    excerpt: String,
}

/// The results of one kind.
struct GroupView {
    id: &'static str,
    heading: String,
    items: Vec<Item>,
    /// The overview's link to all results of this kind.
    more: Option<(String, String)>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    c: Chrome,
    title: String,
    q: String,
    kind: String,
    searched: bool,
    summary: String,
    filters: Vec<Filter>,
    groups: Vec<GroupView>,
}

/// `GET /suche`: an empty query shows the form only.
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let t = &ctx.t;
    let p = Params::read(t, &pairs)?;
    let found = find(&state, &p).await?;
    let lq = if t.lang == crate::i18n::Lang::En {
        "&lang=en"
    } else {
        ""
    };
    let link = |kind: Option<Kind>, page: i64| format!("/suche?{}{lq}", p.query(kind, page));
    let name = |k: Kind, n: i64| t.n(&format!("search-kind-{}", k.as_str()), "count", n);
    let filters = if p.terms.is_some() {
        std::iter::once(Filter {
            href: link(None, 1),
            label: t.n("search-kind-all", "count", found.total()),
            current: p.kind.is_none(),
        })
        .chain(found.counts.iter().map(|(k, n)| Filter {
            href: link(Some(*k), 1),
            label: name(*k, *n),
            current: p.kind == Some(*k),
        }))
        .collect()
    } else {
        Vec::new()
    };
    let groups = views(&found, &p, t, &link);
    let summary = if p.terms.is_some() {
        t.n("search-found", "count", found.total())
    } else {
        String::new()
    };
    html(SearchPage {
        c: crate::layout::chrome(&state, &ctx, "search").await?,
        title: t.get("search-title"),
        q: p.q.clone(),
        kind: p.kind.map(Kind::as_str).unwrap_or_default().to_string(),
        searched: p.terms.is_some(),
        summary,
        filters,
        groups,
    })
    .map(|r| crate::cache::tagged(r, super::tags()))
}

fn views(
    found: &Found,
    p: &Params,
    t: &crate::i18n::Tr,
    link: &dyn Fn(Option<Kind>, i64) -> String,
) -> Vec<GroupView> {
    found
        .groups
        .iter()
        .map(|g| {
            let pages = g.pages();
            let one_kind = p.kind.is_some();
            GroupView {
                id: g.kind.as_str(),
                heading: t.n(
                    &format!("search-kind-{}", g.kind.as_str()),
                    "count",
                    g.count,
                ),
                items: g
                    .hits
                    .iter()
                    .map(|h| Item {
                        href: href(g.kind, h),
                        title: h.title.clone(),
                        context: (matches!(g.kind, Kind::Offers | Kind::Roles)
                            && !h.parent.is_empty())
                        .then(|| h.parent.clone()),
                        excerpt: domain::search::excerpt(&h.text, EXCERPT),
                    })
                    .collect(),
                more: (!one_kind && pages > 1).then(|| {
                    (
                        link(Some(g.kind), 1),
                        t.n(&format!("search-all-{}", g.kind.as_str()), "count", g.count),
                    )
                }),
                previous: (one_kind && p.page > 1).then(|| link(Some(g.kind), p.page - 1)),
                next: (one_kind && p.page < pages).then(|| link(Some(g.kind), p.page + 1)),
            }
        })
        .collect()
}
