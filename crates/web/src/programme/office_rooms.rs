//! The organisers' programme of an event (`/veranstalten/{id}/programm`): its rooms (physical,
//! or virtual with the join link only registered people see), added and changed, and the list
//! of its sessions, which `office_sessions` creates and changes.

use super::office::own_event;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::programme::RoomKind;
use serde::Deserialize;
use store::programme::{Event, NewRoom};

/// The longest link of a recording or a virtual room.
const URL_MAX: usize = 500;

pub(super) fn is_link(v: &str) -> bool {
    let v = v.trim();
    v.len() <= URL_MAX
        && (v.starts_with("https://") || v.starts_with("http://"))
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
}

struct RoomRow {
    id: i64,
    name: String,
    virtual_room: bool,
    join_url: String,
    capacity: String,
}

struct SessionRow {
    title: String,
    href: String,
    when: String,
    room: String,
    state: String,
}

#[derive(Template)]
#[template(path = "programme/office_programme.html")]
struct ProgrammePage {
    c: Chrome,
    title: String,
    id: i64,
    csrf: String,
    rooms: Vec<RoomRow>,
    sessions: Vec<SessionRow>,
    error: Option<String>,
}

async fn programme_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    csrf: &str,
    event: &Event,
    error: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let rooms = state.db.event_rooms(event.id).await?;
    let sessions = state.db.programme(event.id).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = crate::accounts::render(ProgrammePage {
        c: crate::layout::chrome(state, ctx, "organise").await?,
        title: t.s("office-programme-title", "event", &event.input.title),
        id: event.id,
        csrf: csrf.to_string(),
        rooms: rooms
            .into_iter()
            .map(|r| RoomRow {
                id: r.id,
                name: r.name,
                virtual_room: r.kind == RoomKind::Virtual,
                join_url: r.join_url,
                capacity: r.capacity.map(|c| c.to_string()).unwrap_or_default(),
            })
            .collect(),
        sessions: sessions
            .iter()
            .map(|s| SessionRow {
                title: s.input.title.clone(),
                href: format!("/veranstalten/{}/sessions/{}", event.id, s.id),
                when: super::span(&t, s.input.starts_at, s.input.ends_at),
                room: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                state: super::session_state_label(&t, s.input.state),
            })
            .collect(),
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstalten/{id}/programm`
pub async fn programme(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    programme_page(&state, &ctx, &user.csrf_token, &event, None).await
}

#[derive(Deserialize)]
pub struct RoomForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    join_url: String,
    #[serde(default)]
    capacity: String,
}

/// The room a form describes, or what is wrong with it.
fn room_of<'a>(t: &Tr, f: &'a RoomForm) -> Result<NewRoom<'a>, String> {
    let name = f.name.trim();
    if !(1..=80).contains(&name.chars().count()) {
        return Err(t.get("office-room-name-invalid"));
    }
    let kind = RoomKind::parse(&f.kind).ok_or_else(|| t.get("office-choose"))?;
    let join_url = f.join_url.trim();
    if !join_url.is_empty() && !is_link(join_url) {
        return Err(t.get("office-link-invalid"));
    }
    let capacity = match f.capacity.trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .ok()
                .filter(|c| (1..=domain::programme::CAPACITY_MAX).contains(c))
                .ok_or_else(|| t.get("programme-capacity-invalid"))?,
        ),
    };
    Ok(NewRoom {
        name,
        kind,
        join_url,
        capacity,
    })
}

/// `POST /veranstalten/{id}/raeume`: a new room.
pub async fn add_room(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RoomForm>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let room = match room_of(&ctx.t, &f) {
        Ok(room) => room,
        Err(e) => return programme_page(&state, &ctx, &user.csrf_token, &event, Some(e)).await,
    };
    if state
        .db
        .event_rooms(id)
        .await?
        .iter()
        .any(|r| r.name == room.name)
    {
        let e = ctx.t.get("office-room-name-taken");
        return programme_page(&state, &ctx, &user.csrf_token, &event, Some(e)).await;
    }
    state.db.add_room(id, &room).await?;
    Ok(Redirect::to(&format!("/veranstalten/{id}/programm#raeume")).into_response())
}

/// `POST /veranstalten/{id}/raeume/{room}`: a room changed (its join link, say).
pub async fn update_room(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, room_id)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<RoomForm>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let room = match room_of(&ctx.t, &f) {
        Ok(room) => room,
        Err(e) => return programme_page(&state, &ctx, &user.csrf_token, &event, Some(e)).await,
    };
    let rooms = state.db.event_rooms(id).await?;
    if rooms.iter().any(|r| r.name == room.name && r.id != room_id) {
        let e = ctx.t.get("office-room-name-taken");
        return programme_page(&state, &ctx, &user.csrf_token, &event, Some(e)).await;
    }
    if !state.db.update_room(id, room_id, &room).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/veranstalten/{id}/programm#raeume")).into_response())
}
