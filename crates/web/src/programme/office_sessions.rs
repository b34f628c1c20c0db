//! The organisers' sessions of an event (the programme page and its rooms are in
//! `office_rooms`): a new one
//! (`…/sessions/neu`) or a change (`…/sessions/{session}`) with format, topic, room, time,
//! people in their roles, language, accessibility services, places, recording and summary. A
//! session that moves or is cancelled is told by mail to everyone registered for it or for the
//! whole event; more places offer the new ones to its waiting list.

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
use domain::programme::{
    PersonRole, SessionInput, SessionPerson, SessionState, format_local, parse_local,
};
use std::collections::HashMap;
use store::programme::registrations::Place;
use store::programme::{Event, Session};

/// Empty rows for more people below the filled ones.
const SPARE_PEOPLE: usize = 2;
/// One row of people in the form.
struct PersonField {
    index: usize,
    name: String,
    role: String,
}

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

/// The form's values of an existing session.
fn values_of(s: &Session) -> HashMap<String, String> {
    let i = &s.input;
    let flag = |b: bool| if b { "1" } else { "" }.to_string();
    let mut v: HashMap<String, String> = [
        ("title", i.title.clone()),
        ("abstract", i.abstract_text.clone()),
        (
            "format",
            i.format_id.map(|f| f.to_string()).unwrap_or_default(),
        ),
        ("track", i.track.clone()),
        ("room", i.room_id.map(|r| r.to_string()).unwrap_or_default()),
        ("starts_at", format_local(i.starts_at)),
        ("ends_at", format_local(i.ends_at)),
        ("language", i.language.clone()),
        ("sign_language", flag(i.sign_language)),
        ("live_captions", flag(i.live_captions)),
        ("easy_language", flag(i.easy_language)),
        (
            "capacity",
            i.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("do_not_record", flag(i.do_not_record)),
        ("state", i.state.as_str().to_string()),
        ("recording_url", s.recording_url.clone()),
        ("summary", s.summary.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (n, p) in i.people.iter().enumerate() {
        v.insert(format!("person_name_{n}"), p.name.clone());
        v.insert(format!("person_role_{n}"), p.role.as_str().to_string());
    }
    v.insert(GROUPS.into(), ids_text(s.groups.iter().map(|g| g.id)));
    v
}

/// The form's values' key of the ticked target groups (their ids, comma-separated): the form
/// sends `target_group` once per ticked box.
const GROUPS: &str = "target_groups";

fn ids_text(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// The form's fields as values: every field's last value, the ticked target groups together.
fn values(pairs: Vec<(String, String)>) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut groups = Vec::new();
    for (k, val) in pairs {
        if k == "target_group" {
            groups.push(val);
        } else {
            v.insert(k, val);
        }
    }
    v.insert(GROUPS.into(), groups.join(","));
    v
}

/// The ticked target groups, each one that may be chosen, or the problem.
async fn groups_of(
    state: &AppState,
    t: &Tr,
    v: &HashMap<String, String>,
) -> Result<Result<Vec<i64>, (&'static str, String)>, AppError> {
    let choices = state.db.topic_choices().await?.groups;
    let mut ids = Vec::new();
    for given in v.get(GROUPS).map(String::as_str).unwrap_or("").split(',') {
        if given.trim().is_empty() {
            continue;
        }
        match given.trim().parse::<i64>() {
            Ok(id) if choices.iter().any(|g| g.id == id) => ids.push(id),
            _ => return Ok(Err(("groups", t.get("office-topic-unknown")))),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Ok(ids))
}

/// The people rows of the form: those typed (or stored) and two empty ones.
fn people_rows(v: &HashMap<String, String>) -> Vec<PersonField> {
    let filled = (0..20)
        .filter(|n| {
            v.get(&format!("person_name_{n}"))
                .is_some_and(|s| !s.trim().is_empty())
        })
        .max()
        .map_or(0, |n| n + 1);
    (0..(filled + SPARE_PEOPLE).min(20))
        .map(|index| PersonField {
            index,
            name: v
                .get(&format!("person_name_{index}"))
                .cloned()
                .unwrap_or_default(),
            role: v
                .get(&format!("person_role_{index}"))
                .cloned()
                .unwrap_or_else(|| PersonRole::Speaker.as_str().to_string()),
        })
        .collect()
}

/// The session, recording and summary the form describes, or every problem. Without an end,
/// the session lasts its format's usual length.
#[allow(clippy::type_complexity)]
fn session_of(
    t: &Tr,
    v: &HashMap<String, String>,
    event: &Event,
    formats: &[store::programme::Format],
) -> Result<(SessionInput, String, String), Vec<(&'static str, String)>> {
    let get = |k: &str| {
        v.get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let mut time = |field: &'static str| match get(field).as_str() {
        "" => {
            problems.push((field, t.get("office-time-missing")));
            None
        }
        s => {
            let at = parse_local(s);
            if at.is_none() {
                problems.push((field, t.get("office-time-invalid")));
            }
            at
        }
    };
    let starts = time("starts_at");
    let usual = get("format")
        .parse::<i64>()
        .ok()
        .and_then(|id| formats.iter().find(|f| f.id == id))
        .map(|f| time::Duration::minutes(f.default_minutes));
    let ends = match (get("ends_at").as_str(), usual) {
        ("", Some(length)) => starts.map(|s| s + length),
        _ => time("ends_at"),
    };
    let id = |k: &'static str, problems: &mut Vec<(&'static str, String)>| match get(k).as_str() {
        "" => None,
        s => {
            let n = s.parse::<i64>().ok();
            if n.is_none() {
                problems.push((k, t.get("office-choose")));
            }
            n
        }
    };
    let format_id = id("format", &mut problems);
    let room_id = id("room", &mut problems);
    let capacity = match get("capacity").as_str() {
        "" => None,
        s => {
            let c = s.parse::<i64>().ok();
            if c.is_none() {
                problems.push(("capacity", t.get("programme-capacity-invalid")));
            }
            c
        }
    };
    let state = SessionState::parse(&get("state"));
    if state.is_none() {
        problems.push(("state", t.get("office-choose")));
    }
    let mut people = Vec::new();
    for n in 0..20 {
        let name = get(&format!("person_name_{n}"));
        if name.is_empty() {
            continue;
        }
        match PersonRole::parse(&get(&format!("person_role_{n}"))) {
            Some(role) => people.push(SessionPerson { name, role }),
            None => problems.push(("people", t.get("office-choose"))),
        }
    }
    let recording = get("recording_url");
    if !recording.is_empty() && !super::office_rooms::is_link(&recording) {
        problems.push(("recording_url", t.get("office-link-invalid")));
    }
    let summary = get("summary");
    if summary.chars().count() > domain::programme::TEXT_MAX {
        problems.push(("summary", t.get("programme-too-long")));
    }
    let (Some(starts_at), Some(ends_at), Some(state)) = (starts, ends, state) else {
        return Err(problems);
    };
    let flag = |k: &str| get(k) == "1";
    let input = SessionInput {
        title: get("title"),
        abstract_text: get("abstract"),
        format_id,
        track: get("track"),
        room_id,
        starts_at,
        ends_at,
        language: match get("language") {
            l if l.is_empty() => "de".into(),
            l => l,
        },
        sign_language: flag("sign_language"),
        live_captions: flag("live_captions"),
        easy_language: flag("easy_language"),
        capacity,
        do_not_record: flag("do_not_record"),
        state,
        people,
    };
    if let Err(more) = input.check(event.input.starts_at, event.input.ends_at) {
        problems.extend(more.into_iter().map(|p| (p.field, t.get(p.key))));
    }
    if problems.is_empty() {
        Ok((input, recording, summary))
    } else {
        Err(problems)
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
    let groups = groups_of(&state, &t, &v).await?;
    let formats = state.db.session_formats().await?;
    let checked = match (session_of(&t, &v, &event, &formats), groups) {
        (Ok(s), Ok(g)) => rooms_of_event(&state, &t, &event, s).await.map(|s| (s, g)),
        (Ok(_), Err(p)) => Err(vec![p]),
        (Err(mut e), g) => {
            e.extend(g.err());
            Err(e)
        }
    };
    let ((input, recording, summary), groups) = match checked {
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

/// Checks that the chosen room and format belong to the event and exist.
async fn rooms_of_event(
    state: &AppState,
    t: &Tr,
    event: &Event,
    s: (SessionInput, String, String),
) -> Result<(SessionInput, String, String), Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    if let Some(room) = s.0.room_id {
        let rooms = state.db.event_rooms(event.id).await.unwrap_or_default();
        if !rooms.iter().any(|r| r.id == room) {
            problems.push(("room", t.get("office-choose")));
        }
    }
    if let Some(format) = s.0.format_id {
        let formats = state.db.session_formats().await.unwrap_or_default();
        if !formats.iter().any(|f| f.id == format) {
            problems.push(("format", t.get("office-choose")));
        }
    }
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(problems)
    }
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
    let groups = groups_of(&state, &t, &v).await?;
    let formats = state.db.session_formats().await?;
    let checked = match (session_of(&t, &v, &event, &formats), groups) {
        (Ok(s), Ok(g)) => rooms_of_event(&state, &t, &event, s).await.map(|s| (s, g)),
        (Ok(_), Err(p)) => Err(vec![p]),
        (Err(mut e), g) => {
            e.extend(g.err());
            Err(e)
        }
    };
    let ((input, recording, summary), groups) = match checked {
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
