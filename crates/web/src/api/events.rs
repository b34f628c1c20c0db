//! `/api/v1/events`: the public events (published and cancelled; coming ones first), 20 a page,
//! and one event with its rooms and its programme. A virtual room's join link is never in them.

use super::comments::rfc3339;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Path, Query};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use store::programme::{Event, Session};

fn event_json(state: &AppState, e: &Event) -> Value {
    let base = format!("/veranstaltungen/{}", e.slug);
    json!({
        "slug": e.slug,
        "title": e.input.title,
        "state": e.input.state.as_str(),
        "starts_at": rfc3339(e.input.starts_at),
        "ends_at": rfc3339(e.input.ends_at),
        "attendance": e.input.attendance.as_str(),
        "place": (!e.input.place.is_empty()).then_some(&e.input.place),
        "organiser": e.input.organiser,
        "fee_cents": e.input.fee_cents,
        "fee_note": (!e.input.fee_note.is_empty()).then_some(&e.input.fee_note),
        "capacity": e.input.capacity,
        "sessions": e.sessions,
        "url": state.url(&base),
        "calendar_url": state.url(&format!("{base}/kalender.ics")),
        "schedule_url": state.url(&format!("{base}/schedule.json")),
    })
}

fn session_json(state: &AppState, e: &Event, s: &Session) -> Value {
    let i = &s.input;
    json!({
        "slug": s.slug,
        "title": i.title,
        "state": i.state.as_str(),
        "starts_at": rfc3339(i.starts_at),
        "ends_at": rfc3339(i.ends_at),
        "format": s.format.as_ref().map(|f| json!({"name": f.name, "colour": f.colour})),
        "room": s.room.as_ref().map(|r| json!({"name": r.0, "kind": r.1.as_str()})),
        "track": (!i.track.is_empty()).then_some(&i.track),
        "language": i.language,
        "sign_language": i.sign_language,
        "live_captions": i.live_captions,
        "easy_language": i.easy_language,
        "capacity": i.capacity,
        "do_not_record": i.do_not_record,
        "people": i.people.iter().map(|p| json!({"name": p.name, "role": p.role.as_str()})).collect::<Vec<_>>(),
        "target_groups": s.groups.iter().map(|g| json!({"slug": g.slug, "name": g.name})).collect::<Vec<_>>(),
        "abstract_html": s.abstract_html,
        "recording_url": (!s.recording_url.is_empty()).then_some(&s.recording_url),
        "summary": (!s.summary.is_empty()).then_some(&s.summary),
        "url": state.url(&format!("/veranstaltungen/{}/sessions/{}", e.slug, s.slug)),
    })
}

/// `GET /api/v1/events?page=`
pub async fn events(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(q): Query<crate::programme::ListQuery>,
) -> Result<Response, AppError> {
    let page = crate::programme::parse_page(&t, &q)?;
    let per_page = crate::programme::PER_PAGE;
    let topics = state.db.topic_choices().await?;
    let (filter, field, group) = crate::programme::list_filter(&t, &q, &topics)?;
    let (events, total) = state
        .db
        .public_events(time::OffsetDateTime::now_utc(), filter, page, per_page)
        .await?;
    let mut keep = String::new();
    for (key, topic) in [("field", field), ("target_group", group)] {
        if let Some(x) = topic {
            keep.push_str(&format!("&{key}={}", crate::radar::params::encode(&x.slug)));
        }
    }
    let next = (page * per_page < total)
        .then(|| state.url(&format!("/api/v1/events?page={}{keep}", page + 1)));
    let body = json!({
        "count": total,
        "page": page,
        "events": events.iter().map(|e| event_json(&state, e)).collect::<Vec<_>>(),
        "next_url": next,
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::PROGRAMME.to_string(),
            domain::tags::SITE.to_string(),
            domain::tags::MEASURES.to_string(),
        ],
    ))
}

/// `GET /api/v1/events/{slug}`
pub async fn event(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = crate::programme::public_event(&state, &slug).await?;
    let rooms = state.db.event_rooms(e.id).await?;
    let sessions = state.db.programme(e.id).await?;
    let topics = state.db.event_topics(e.id).await?;
    let image = state.db.event_image_head(e.id).await?;
    let mut body = event_json(&state, &e);
    body["description_html"] = json!(e.description_html);
    let named = |x: &[store::programme::topics::Topic]| {
        x.iter()
            .map(|t| json!({"slug": t.slug, "name": t.name}))
            .collect::<Vec<_>>()
    };
    body["fields_of_action"] = json!(named(&topics.fields));
    body["target_groups"] = json!(named(&topics.groups));
    body["image"] = json!(image.map(|i| json!({
        "url": state.url(&crate::programme::image_href(&e.slug, &i.etag)),
        "width": i.width,
        "height": i.height,
        "alt": i.alt,
    })));
    body["rooms"] = json!(
        rooms
            .iter()
            .map(|r| json!({"name": r.name, "kind": r.kind.as_str(), "capacity": r.capacity}))
            .collect::<Vec<_>>()
    );
    body["programme"] = json!(
        sessions
            .iter()
            .map(|s| session_json(&state, &e, s))
            .collect::<Vec<_>>()
    );
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [domain::tags::event(e.id), domain::tags::SITE.to_string()],
    ))
}

/// `GET /api/v1/events/{slug}/sessions/{session}/questions`: a session's public questions (the
/// pinned one first, then by upvotes), whether it takes questions, and where to ask.
pub async fn questions(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let e = crate::programme::public_event(&state, &slug).await?;
    let s = state
        .db
        .session_by_slug(e.id, &session)
        .await?
        .ok_or(AppError::NotFound)?;
    let qa = state
        .db
        .qa_settings(s.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = state
        .db
        .public_questions(s.id, store::programme::questions::QuestionOrder::Votes, 300)
        .await?;
    let page = format!("/veranstaltungen/{}/sessions/{}/fragen", e.slug, s.slug);
    let body = json!({
        "session": s.slug,
        "title": s.input.title,
        "open": qa.takes_questions(time::OffsetDateTime::now_utc()),
        "moderated": qa.moderated,
        "url": state.url(&page),
        "live_url": state.url(&format!("{page}/live")),
        "questions": list.iter().map(|q| json!({
            "id": q.id,
            "body": q.body,
            "asker": (!q.asker.is_empty()).then_some(&q.asker),
            "source": q.source.as_str(),
            "state": q.state.as_str(),
            "votes": q.votes,
            "pinned": q.pinned,
            "asked_at": q.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        })).collect::<Vec<_>>(),
    });
    Ok(crate::cache::tagged(
        Json(body).into_response(),
        [
            domain::tags::questions(s.id),
            domain::tags::event(e.id),
            domain::tags::SITE.to_string(),
        ],
    ))
}
