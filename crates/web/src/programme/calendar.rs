//! iCalendar exports: `GET /veranstaltungen/{slug}/kalender.ics` (every session of an event, or
//! the event itself while it has none) and `GET /veranstaltungen/{slug}/sessions/{session}/kalender.ics`.
//! `UID`s are stable (`session-<id>@<host>`), so a calendar that subscribed updates its entries
//! instead of doubling them.

use crate::AppState;
use crate::error::AppError;
use crate::extract::Path;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::ical::{Entry, calendar};
use domain::programme::{EventState, SessionState};
use store::programme::{Event, Session};

/// The host part of `UID`s: the site's host name.
pub(crate) fn host(state: &AppState) -> String {
    let url = state.url("/");
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("stadtradar")
        .to_string()
}

fn session_entry(state: &AppState, host: &str, event: &Event, s: &Session) -> Entry {
    Entry {
        uid: format!("session-{}@{host}", s.id),
        stamp: event.updated_at,
        starts_at: s.input.starts_at,
        ends_at: s.input.ends_at,
        summary: s.input.title.clone(),
        description: s.input.abstract_text.clone(),
        location: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        url: state.url(&format!(
            "/veranstaltungen/{}/sessions/{}",
            event.slug, s.slug
        )),
        cancelled: s.input.state == SessionState::Cancelled
            || event.input.state == EventState::Cancelled,
        rule: None,
        except: Vec::new(),
    }
}

fn ics(body: String, event_id: i64) -> Response {
    let res = (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response();
    crate::cache::tagged(res, [domain::tags::event(event_id)])
}

/// `GET /veranstaltungen/{slug}/kalender.ics`
pub async fn event_calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = super::public_event(&state, &slug).await?;
    let sessions = state.db.programme(event.id).await?;
    Ok(ics(event_ics(&state, &event, &sessions), event.id))
}

/// The calendar of an event: every session, or the event itself while it has none.
pub(crate) fn event_ics(state: &AppState, event: &Event, sessions: &[Session]) -> String {
    if sessions.is_empty() {
        return whole_event_ics(state, event);
    }
    let host = host(state);
    let entries: Vec<Entry> = sessions
        .iter()
        .map(|s| session_entry(state, &host, event, s))
        .collect();
    calendar(&event.input.title, &entries)
}

/// The event as one entry from its start to its end (what a registration for the whole event
/// puts into a calendar; the sessions are in the programme's calendar).
pub(crate) fn whole_event_ics(state: &AppState, event: &Event) -> String {
    let host = host(state);
    calendar(
        &event.input.title,
        &[Entry {
            uid: format!("event-{}@{host}", event.id),
            stamp: event.updated_at,
            starts_at: event.input.starts_at,
            ends_at: event.input.ends_at,
            summary: event.input.title.clone(),
            description: event.input.description.clone(),
            location: event.input.place.clone(),
            url: state.url(&format!("/veranstaltungen/{}", event.slug)),
            cancelled: event.input.state == EventState::Cancelled,
            rule: None,
            except: Vec::new(),
        }],
    )
}

/// The calendar of one session.
pub(crate) fn session_ics(state: &AppState, event: &Event, s: &Session) -> String {
    calendar(
        &event.input.title,
        &[session_entry(state, &host(state), event, s)],
    )
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/kalender.ics`
pub async fn session_calendar(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let event = super::public_event(&state, &slug).await?;
    let s = state
        .db
        .session_by_slug(event.id, &session)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ics(session_ics(&state, &event, &s), event.id))
}

/// A calendar of sessions of several events (a personal programme).
pub(crate) fn sessions_ics(state: &AppState, name: &str, rows: &[(Event, Session)]) -> String {
    let host = host(state);
    let entries: Vec<Entry> = rows
        .iter()
        .map(|(e, s)| session_entry(state, &host, e, s))
        .collect();
    calendar(name, &entries)
}
