//! `GET /veranstaltungen`: the public events, coming ones first, 20 a page, filtered on submit
//! by a field of action or a target group (their addresses); the same filter serves the API's
//! list.

use super::*;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Query};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::programme::EventState;
use serde::Deserialize;

/// Events per page of the list (and of the API's).
pub(crate) const PER_PAGE: i64 = 20;

/// The page number of a list query: 1 when not given, a 400 naming `page` when not 1 to 10000.
pub(crate) fn parse_page(t: &crate::i18n::Tr, q: &ListQuery) -> Result<i64, AppError> {
    match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page"))),
    }
}

/// An event as the list shows it.
struct Card {
    href: String,
    title: String,
    when: String,
    attendance: String,
    fee: String,
    organiser: String,
    cancelled: bool,
    sessions: i64,
}

#[derive(Template)]
#[template(path = "programme/list.html")]
struct ListPage {
    c: Chrome,
    title: String,
    cards: Vec<Card>,
    previous: Option<String>,
    next: Option<String>,
    /// The filter by field of action and target group (empty when there is nothing to choose).
    selects: Vec<super::filters::FilterSelect>,
    /// What the list is filtered to, said once (`role="status"`).
    filtered: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<String>,
    /// A field of action's address: only events linked to it.
    #[serde(default)]
    field: Option<String>,
    /// A target group's address: only events for it.
    #[serde(default)]
    target_group: Option<String>,
}

/// The topic of a filter given by its address: `None` when not given; a 400 naming `name` when
/// no topic has it.
fn chosen<'a>(
    t: &crate::i18n::Tr,
    name: &str,
    given: &Option<String>,
    topics: &'a [store::programme::topics::Topic],
) -> Result<Option<&'a store::programme::topics::Topic>, AppError> {
    match given.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => topics
            .iter()
            .find(|x| x.slug == v)
            .map(Some)
            .ok_or_else(|| AppError::bad(name, t.get("programme-filter-bad"))),
    }
}

/// The filter of a list query (the page's and the API's), with the chosen topics.
#[allow(clippy::type_complexity)]
pub(crate) fn list_filter<'a>(
    t: &crate::i18n::Tr,
    q: &ListQuery,
    topics: &'a store::programme::topics::Topics,
) -> Result<
    (
        store::programme::topics::EventFilter,
        Option<&'a store::programme::topics::Topic>,
        Option<&'a store::programme::topics::Topic>,
    ),
    AppError,
> {
    let field = chosen(t, "field", &q.field, &topics.fields)?;
    let group = chosen(t, "target_group", &q.target_group, &topics.groups)?;
    let filter = store::programme::topics::EventFilter {
        field: field.map(|f| f.id),
        group: group.map(|g| g.id),
    };
    Ok((filter, field, group))
}

/// One select of the list's filter: "all" and the topics, the chosen one selected.
fn topic_select(
    t: &crate::i18n::Tr,
    name: &'static str,
    label: &str,
    all: &str,
    topics: &[store::programme::topics::Topic],
    chosen: Option<&store::programme::topics::Topic>,
) -> super::filters::FilterSelect {
    let mut options = vec![(String::new(), t.get(all), chosen.is_none())];
    options.extend(topics.iter().map(|x| {
        let on = chosen.is_some_and(|c| c.id == x.id);
        (x.slug.clone(), x.name.clone(), on)
    }));
    super::filters::FilterSelect {
        name,
        label: t.get(label),
        options,
    }
}

/// `GET /veranstaltungen`: coming events by start, then past ones.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let page = parse_page(&t, &q)?;
    let now = time::OffsetDateTime::now_utc();
    let topics = state.db.topic_choices().await?;
    let (filter, field, group) = list_filter(&t, &q, &topics)?;
    let (events, total) = state.db.public_events(now, filter, page, PER_PAGE).await?;
    // The filter's part of the pager's addresses.
    let mut keep = String::new();
    if let Some(f) = field {
        keep.push_str(&format!("&field={}", crate::radar::params::encode(&f.slug)));
    }
    if let Some(g) = group {
        keep.push_str(&format!(
            "&target_group={}",
            crate::radar::params::encode(&g.slug)
        ));
    }
    let filtered = (field.is_some() || group.is_some()).then(|| {
        let names: Vec<&str> = field
            .iter()
            .chain(group.iter())
            .map(|x| x.name.as_str())
            .collect();
        t.args(
            "programme-list-filtered",
            &[
                ("count", crate::i18n::Arg::Num(total)),
                ("topics", crate::i18n::Arg::Str(names.join(", "))),
            ],
        )
    });
    let mut selects = Vec::new();
    if !topics.fields.is_empty() {
        selects.push(topic_select(
            &t,
            "field",
            "programme-list-field",
            "programme-list-all-fields",
            &topics.fields,
            field,
        ));
    }
    if !topics.groups.is_empty() {
        selects.push(topic_select(
            &t,
            "target_group",
            "programme-list-group",
            "programme-list-all-groups",
            &topics.groups,
            group,
        ));
    }
    let cards = events
        .iter()
        .map(|e| Card {
            href: format!("/veranstaltungen/{}", e.slug),
            title: e.input.title.clone(),
            when: span(&t, e.input.starts_at, e.input.ends_at),
            attendance: attendance_label(&t, e.input.attendance),
            fee: fee_label(&t, e.input.fee_cents),
            organiser: e.input.organiser.clone(),
            cancelled: e.input.state == EventState::Cancelled,
            sessions: e.sessions,
        })
        .collect();
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    html(ListPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: t.get("programme-title"),
        cards,
        previous: (page > 1).then(|| format!("/veranstaltungen?page={}{keep}", page - 1)),
        next: (page < pages).then(|| format!("/veranstaltungen?page={}{keep}", page + 1)),
        selects,
        filtered,
    })
    .map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::PROGRAMME.to_string(),
                domain::tags::SITE.to_string(),
                // The target groups to choose from come with the measures.
                domain::tags::MEASURES.to_string(),
            ],
        )
    })
}
