//! The organisers' sessions of an event (the programme page and its rooms are in
//! `office_rooms`, reading the form in `office_session_values`): a new one
//! (`…/sessions/neu`) or a change (`…/sessions/{session}`) with format, topic, room, time,
//! people in their roles, language, accessibility services, places, recording and summary. A
//! session that moves or is cancelled is told by mail to everyone registered for it or for the
//! whole event; more places offer the new ones to its waiting list.

use super::office::own_event;
use super::office_session_values::{
    GROUPS, PersonField, people_rows, read_session, values, values_of,
};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::programme::{PersonRole, SessionState, format_local};
use std::collections::HashMap;
use store::programme::registrations::Place;
use store::programme::{Event, Session};

#[derive(Template)]
#[template(path = "programme/office_session_form.html")]
struct SessionFormPage {
    c: Chrome,
    title: String,
    back: String,
    action: String,
    csrf: String,
    v: HashMap<String, String>,
    people: Vec<PersonField>,
    formats: Vec<(String, String)>,
    rooms: Vec<(String, String)>,
    roles: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    /// The target groups to tick: id, name, ticked.
    groups: Vec<(String, String, bool)>,
    errors: Vec<(&'static str, String)>,
}

impl SessionFormPage {
    fn val(&self, k: &str) -> &str {
        self.v.get(k).map(String::as_str).unwrap_or("")
    }
    fn checked(&self, k: &str) -> bool {
        self.v.get(k).is_some_and(|v| v == "1")
    }
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[allow(clippy::too_many_arguments)]
async fn session_form(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    csrf: &str,
    event: &Event,
    action: String,
    title: String,
    v: HashMap<String, String>,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let t = ctx.t;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let ticked: Vec<&str> = v
        .get(GROUPS)
        .map(|g| g.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let groups = state
        .db
        .topic_choices()
        .await?
        .groups
        .into_iter()
        .map(|g| {
            let id = g.id.to_string();
            let on = ticked.contains(&id.as_str());
            (id, g.name, on)
        })
        .collect();
    let mut res = crate::accounts::render(SessionFormPage {
        c: crate::layout::chrome(state, ctx, "organise").await?,
        title,
        back: format!("/veranstalten/{}/programm", event.id),
        action,
        csrf: csrf.to_string(),
        people: people_rows(&v),
        v,
        formats: state
            .db
            .session_formats()
            .await?
            .into_iter()
            .map(|f| (f.id.to_string(), f.name))
            .collect(),
        rooms: state
            .db
            .event_rooms(event.id)
            .await?
            .into_iter()
            .map(|r| (r.id.to_string(), r.name))
            .collect(),
        roles: PersonRole::ALL
            .iter()
            .map(|r| (r.as_str(), super::role_label(&t, *r)))
            .collect(),
        states: SessionState::ALL
            .iter()
            .map(|s| (s.as_str(), super::session_state_label(&t, *s)))
            .collect(),
        groups,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstalten/{id}/sessions/neu`
pub async fn new_session_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    // No end: a session lasts its format's usual length unless the organiser types one.
    let v: HashMap<String, String> = [
        ("starts_at", format_local(event.input.starts_at)),
        ("language", "de".to_string()),
        ("state", SessionState::Confirmed.as_str().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    session_form(
        &state,
        &ctx,
        &user.csrf_token,
        &event,
        format!("/veranstalten/{id}/sessions/neu"),
        ctx.t.get("office-session-new-title"),
        v,
        Vec::new(),
    )
    .await
}

/// `POST /veranstalten/{id}/sessions/neu`
pub async fn create_session(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    // The boxes of target groups come once per tick: pairs.
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let t = ctx.t;
    let v = values(pairs);
    let (input, recording, summary, groups) = match read_session(&state, &t, &v, &event).await? {
        Ok(s) => s,
        Err(errors) => {
            return session_form(
                &state,
                &ctx,
                &user.csrf_token,
                &event,
                format!("/veranstalten/{id}/sessions/neu"),
                t.get("office-session-new-title"),
                v,
                errors,
            )
            .await;
        }
    };
    let html = domain::comments::comment_html(&input.abstract_text);
    let (sid, _) = state
        .db
        .add_session(Some(user.user.id), id, &input, &html)
        .await?;
    if !groups.is_empty() {
        state.db.set_session_groups(id, sid, &groups).await?;
    }
    if !recording.is_empty() || !summary.is_empty() {
        state
            .db
            .set_session_outcome(Some(user.user.id), sid, &recording, &summary)
            .await?;
    }
    Ok(Redirect::to(&format!("/veranstalten/{id}/programm#sessions")).into_response())
}

/// A session of an event by its number, or 404.
pub(super) async fn session_of_event(
    state: &AppState,
    event: &Event,
    sid: i64,
) -> Result<Session, AppError> {
    state
        .db
        .programme(event.id)
        .await?
        .into_iter()
        .find(|s| s.id == sid)
        .ok_or(AppError::NotFound)
}

/// `GET /veranstalten/{id}/sessions/{session}`
pub async fn edit_session_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, sid)): Path<(i64, i64)>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let s = session_of_event(&state, &event, sid).await?;
    session_form(
        &state,
        &ctx,
        &user.csrf_token,
        &event,
        format!("/veranstalten/{id}/sessions/{sid}"),
        ctx.t
            .s("office-session-edit-title", "session", &s.input.title),
        values_of(&s),
        Vec::new(),
    )
    .await
}

/// `POST /veranstalten/{id}/sessions/{session}`: saved; a move or a cancellation is told by
/// mail to everyone registered; more places go to the waiting list.
pub async fn update_session(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let before = session_of_event(&state, &event, sid).await?;
    let t = ctx.t;
    let v = values(pairs);
    let (input, recording, summary, groups) = match read_session(&state, &t, &v, &event).await? {
        Ok(s) => s,
        Err(errors) => {
            return session_form(
                &state,
                &ctx,
                &user.csrf_token,
                &event,
                format!("/veranstalten/{id}/sessions/{sid}"),
                t.s("office-session-edit-title", "session", &before.input.title),
                v,
                errors,
            )
            .await;
        }
    };
    // What changed, told to everyone registered in the language they registered in.
    let cancelled =
        input.state == SessionState::Cancelled && before.input.state != SessionState::Cancelled;
    let moved = input.state != SessionState::Cancelled
        && (input.starts_at != before.input.starts_at || input.ends_at != before.input.ends_at);
    let change = |t: &Tr| {
        let title = crate::i18n::Arg::Str(input.title.clone());
        if cancelled {
            let when = super::span(t, before.input.starts_at, before.input.ends_at);
            t.args(
                "registration-changed-cancelled",
                &[("session", title), ("when", crate::i18n::Arg::Str(when))],
            )
        } else {
            let when = super::span(t, input.starts_at, input.ends_at);
            t.args(
                "registration-changed-moved",
                &[("session", title), ("when", crate::i18n::Arg::Str(when))],
            )
        }
    };
    let mails = if cancelled || moved {
        Some(
            super::mails::Mails::new(&state, None, None)
                .await?
                .telling(change),
        )
    } else {
        None
    };
    let mailer = |r: &store::programme::registrations::Registration,
                  n: store::programme::registrations::Notice| {
        mails.as_ref().and_then(|m| m.mail(r, n))
    };
    let html = domain::comments::comment_html(&input.abstract_text);
    let notify: Option<store::programme::registrations::Mailer<'_>> =
        mails.is_some().then_some(&mailer);
    if !state
        .db
        .update_session(
            user.user.id,
            id,
            sid,
            &input,
            &html,
            (&recording, &summary),
            notify,
        )
        .await?
    {
        return Err(AppError::NotFound);
    }
    let mut had: Vec<i64> = before.groups.iter().map(|g| g.id).collect();
    had.sort_unstable();
    if had != groups {
        state.db.set_session_groups(id, sid, &groups).await?;
    }
    let more = match (before.input.capacity, input.capacity) {
        (Some(old), Some(new)) => new > old,
        _ => false,
    };
    if more {
        let offers = super::mails::Mails::new(&state, None, None).await?;
        state
            .db
            .offer_free_places(
                Place {
                    event_id: id,
                    session_id: Some(sid),
                },
                &|r, n| offers.mail(r, n),
            )
            .await?;
    }
    Ok(Redirect::to(&format!("/veranstalten/{id}/programm#sessions")).into_response())
}
