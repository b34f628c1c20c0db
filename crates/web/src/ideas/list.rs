//! `GET /ideen`: the ideas, filtered by field of action and status, in three orders, 20 a page
//! by cursor.

use super::views::{Card, card};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Query};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::ideas::{IdeaCursor, IdeaSort, IdeaStatus};
use serde::Deserialize;
use store::ideas::IdeaFilter;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

/// A list query, checked: the filter, the order and the cursor, and the field's slug.
pub struct Parsed {
    pub filter: IdeaFilter,
    pub sort: IdeaSort,
    pub after: Option<IdeaCursor>,
    pub field_slug: Option<String>,
}

/// Checks a list query against the fields of action that take ideas; a bad value is a 400
/// naming the parameter.
pub fn parse_filter(
    t: &Tr,
    q: &ListQuery,
    fields: &[(i64, String, String)],
) -> Result<Parsed, AppError> {
    let given = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let field_slug = given(&q.field);
    let field_id = match &field_slug {
        None => None,
        Some(slug) => Some(
            fields
                .iter()
                .find(|f| &f.1 == slug)
                .map(|f| f.0)
                .ok_or_else(|| AppError::bad("field", t.get("ideas-bad-field")))?,
        ),
    };
    let status = match given(&q.status) {
        None => None,
        Some(s) => Some(
            IdeaStatus::parse(&s)
                .ok_or_else(|| AppError::bad("status", t.get("ideas-bad-status")))?,
        ),
    };
    let sort = match given(&q.sort) {
        None => IdeaSort::default(),
        Some(s) => {
            IdeaSort::parse(&s).ok_or_else(|| AppError::bad("sort", t.get("ideas-bad-sort")))?
        }
    };
    let after = match given(&q.after) {
        None => None,
        Some(a) => Some(
            IdeaCursor::parse(&a, sort)
                .ok_or_else(|| AppError::bad("after", t.get("comments-bad-cursor")))?,
        ),
    };
    Ok(Parsed {
        filter: IdeaFilter { field_id, status },
        sort,
        after,
        field_slug,
    })
}

/// The address of the list with `p`'s filters in `sort` order after `after`.
pub fn list_href(base: &str, p: &Parsed, sort: IdeaSort, after: Option<IdeaCursor>) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &p.field_slug {
        parts.push(format!("field={f}"));
    }
    if let Some(s) = p.filter.status {
        parts.push(format!("status={}", s.as_str()));
    }
    parts.push(format!("sort={}", sort.as_str()));
    if let Some(a) = after {
        parts.push(format!("after={}", a.encode(sort)));
    }
    format!("{base}?{}", parts.join("&"))
}

#[derive(Template)]
#[template(path = "ideas/list.html")]
struct ListPage {
    c: Chrome,
    title: String,
    heading: String,
    fields: Vec<(String, String, bool)>,
    statuses: Vec<(String, String, bool)>,
    sorts: Vec<(String, String, bool)>,
    cards: Vec<Card>,
    first: Option<String>,
    next: Option<String>,
}

/// `GET /ideen`
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let fields = state.db.idea_fields().await?;
    let p = parse_filter(&t, &q, &fields)?;
    let page = state
        .db
        .idea_page(p.filter, p.sort, p.after, domain::ideas::PAGE_SIZE)
        .await?;
    let count = state.db.idea_count(p.filter).await?;
    let mut tags = vec![
        domain::tags::IDEAS.to_string(),
        domain::tags::SITE.to_string(),
    ];
    tags.extend(
        page.ideas
            .iter()
            .filter_map(|i| i.author_id)
            .map(domain::tags::person),
    );
    html(ListPage {
        c: crate::layout::chrome(&state, &ctx, "ideas").await?,
        title: t.get("ideas-title"),
        heading: t.n("ideas-count", "count", count),
        fields: fields
            .iter()
            .map(|(id, slug, title)| (slug.clone(), title.clone(), Some(*id) == p.filter.field_id))
            .collect(),
        statuses: IdeaStatus::ALL
            .into_iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    super::status_label(&t, s),
                    Some(s) == p.filter.status,
                )
            })
            .collect(),
        sorts: IdeaSort::ALL
            .into_iter()
            .map(|s| {
                (
                    list_href("/ideen", &p, s, None),
                    t.get(&format!("ideas-sort-{}", s.as_str())),
                    s == p.sort,
                )
            })
            .collect(),
        cards: page.ideas.iter().map(|i| card(&t, i)).collect(),
        first: p.after.map(|_| list_href("/ideen", &p, p.sort, None)),
        next: page.next.map(|c| list_href("/ideen", &p, p.sort, Some(c))),
    })
    .map(|r| crate::cache::tagged(r, tags))
}
