//! `/api/v1/ideas`: the ideas shown in the list (filtered by field of action and status, in the
//! list's orders, 20 a page by cursor) and one idea with its status, supports and the measure
//! that takes it up. Authors by display name only; hidden ideas are left out.

use super::comments::rfc3339;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Path, Query};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use store::ideas::Idea;

fn idea_json(state: &AppState, i: &Idea) -> serde_json::Value {
    serde_json::json!({
        "id": i.id,
        "title": i.title,
        "field": { "slug": i.field_slug, "title": i.field_title },
        "author": i.author_name,
        "description_html": i.description_html,
        "benefit": i.benefit,
        "place": (!i.place.is_empty()).then_some(&i.place),
        "status": i.status.as_str(),
        "status_reason": (!i.status_reason.is_empty()).then_some(&i.status_reason),
        "status_at": i.status_at.map(rfc3339),
        "measure": i.measure.as_ref().map(|(slug, title)| serde_json::json!({
            "slug": slug,
            "title": title,
            "url": state.url(&format!("/massnahmen/{slug}")),
        })),
        "supports": i.supports,
        "comments": i.comments,
        "created_at": rfc3339(i.created_at),
        "url": state.url(&format!("/ideen/{}", i.id)),
    })
}

/// `GET /api/v1/ideas?field=&status=&sort=&after=`
pub async fn ideas(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(q): Query<crate::ideas::ListQuery>,
) -> Result<Response, AppError> {
    let fields = state.db.idea_fields().await?;
    let p = crate::ideas::parse_filter(&t, &q, &fields)?;
    let page = state
        .db
        .idea_page(p.filter, p.sort, p.after, domain::ideas::PAGE_SIZE)
        .await?;
    let next = page.next.map(|c| c.encode(p.sort));
    let next_url = page.next.map(|c| {
        state.url(&crate::ideas::list_href(
            "/api/v1/ideas",
            &p,
            p.sort,
            Some(c),
        ))
    });
    let body = serde_json::json!({
        "count": state.db.idea_count(p.filter).await?,
        "sort": p.sort.as_str(),
        "ideas": page.ideas.iter().map(|i| idea_json(&state, i)).collect::<Vec<_>>(),
        "next": next,
        "next_url": next_url,
    });
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
    Ok(crate::cache::tagged(Json(body).into_response(), tags))
}

/// `GET /api/v1/ideas/{id}`
pub async fn idea(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad("id", format!("{id:?} is not an idea id (a whole number)")))?;
    let i = state
        .db
        .idea(id)
        .await?
        .filter(|i| !i.hidden)
        .ok_or(AppError::NotFound)?;
    let mut tags = vec![domain::tags::idea(id), domain::tags::SITE.to_string()];
    tags.extend(i.author_id.map(domain::tags::person));
    Ok(crate::cache::tagged(
        Json(idea_json(&state, &i)).into_response(),
        tags,
    ))
}
