//! The organisers' side of events (`/veranstalten`): their events, and per event the
//! registrations — figures by place and state, the lists by state (paged by number), check-in at
//! the door, attendance and no-shows, and the participants as CSV. An organiser sees only the
//! events they own; admins see all.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, Query, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::accounts::Role;
use domain::programme::registration::{Attendance, RegState};
use serde::Deserialize;
use store::accounts::SessionUser;
use store::programme::Event;
use store::programme::registrations::Registration;
use time::OffsetDateTime;

/// Events on a page of the organiser's list, and registrations on a page of a list.
const PER_PAGE: i64 = 50;

/// The event `id` if `user` may run it (its owner, an organiser an admin added, or an admin):
/// 404 when there is none, 403 when it is someone else's.
pub(crate) async fn own_event(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<Event, AppError> {
    let event = state.db.event_by_id(id).await?.ok_or(AppError::NotFound)?;
    if user.roles.contains(&Role::Admin)
        || event.owner_id == Some(user.user.id)
        || state.db.runs_event(id, user.user.id).await?
    {
        Ok(event)
    } else {
        Err(AppError::Forbidden)
    }
}

struct EventRow {
    title: String,
    href: String,
    edit_href: String,
    state: String,
    when: String,
    registrations: String,
}

#[derive(Template)]
#[template(path = "programme/office_events.html")]
struct EventsPage {
    c: Chrome,
    title: String,
    rows: Vec<EventRow>,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /veranstalten`: the events the person runs (all, for admins), newest first.
pub async fn events(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Query(q): Query<super::ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let page = super::parse_page(&t, &q)?;
    let owner = (!user.roles.contains(&Role::Admin)).then_some(user.user.id);
    let (events, total) = state.db.organiser_events(owner, page, PER_PAGE).await?;
    let mut rows = Vec::with_capacity(events.len());
    for e in events {
        let figures = state.db.registration_figures(e.id).await?;
        let count = |s: RegState| -> i64 {
            figures
                .iter()
                .filter(|f| f.place.session_id.is_none() && f.state == s)
                .map(|f| f.count)
                .sum()
        };
        rows.push(EventRow {
            title: e.input.title.clone(),
            href: format!("/veranstalten/{}/anmeldungen", e.id),
            edit_href: format!("/veranstalten/{}/bearbeiten", e.id),
            state: t.get(&format!("office-state-{}", e.input.state.as_str())),
            when: super::span(&t, e.input.starts_at, e.input.ends_at),
            registrations: t.args(
                "office-registrations-short",
                &[
                    (
                        "confirmed",
                        crate::i18n::Arg::Num(count(RegState::Confirmed)),
                    ),
                    ("waiting", crate::i18n::Arg::Num(count(RegState::Waiting))),
                ],
            ),
        });
    }
    let link = |p: i64| format!("/veranstalten?page={p}");
    crate::accounts::render(EventsPage {
        c: crate::layout::chrome(&state, &ctx, "organise").await?,
        title: t.get("office-title"),
        rows,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page * PER_PAGE < total).then(|| link(page + 1)),
    })
}

/// One line of figures: a place (the event, or a session) and its registrations by state.
struct FigureRow {
    place: String,
    capacity: String,
    confirmed: i64,
    offered: i64,
    waiting: i64,
    unconfirmed: i64,
    cancelled: i64,
    checked_in: i64,
    no_shows: Option<i64>,
    rate: Option<i64>,
}

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    place: String,
    registered: String,
    checked_in: Option<String>,
}

#[derive(Template)]
#[template(path = "programme/office_registrations.html")]
struct RegistrationsPage {
    c: Chrome,
    title: String,
    event_title: String,
    event_href: String,
    over: bool,
    figures: Vec<FigureRow>,
    tabs: Vec<(String, String, bool)>,
    status: &'static str,
    rows: Vec<PersonRow>,
    csrf: String,
    action_base: String,
    csv_href: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

/// The states an organiser lists, in the order of the tabs.
const LISTED: [RegState; 5] = [
    RegState::Confirmed,
    RegState::Offered,
    RegState::Waiting,
    RegState::Unconfirmed,
    RegState::Cancelled,
];

/// `GET /veranstalten/{id}/anmeldungen?status=…&after=…`
pub async fn registrations(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let event = own_event(&state, &user, id).await?;
    let status = match q.status.as_deref() {
        None | Some("") => RegState::Confirmed,
        Some(s) => RegState::parse(s)
            .filter(|s| LISTED.contains(s))
            .ok_or_else(|| AppError::bad("status", "office-bad-status"))?,
    };
    let after: i64 = match q.after.as_deref() {
        None | Some("") => 0,
        Some(a) => a
            .parse()
            .ok()
            .filter(|a: &i64| *a >= 0)
            .ok_or_else(|| AppError::bad("after", "office-bad-after"))?,
    };
    let sessions = state.db.programme(event.id).await?;
    let session_title = |sid: Option<i64>| -> String {
        match sid {
            None => t.get("office-whole-event"),
            Some(s) => sessions
                .iter()
                .find(|x| x.id == s)
                .map(|x| x.input.title.clone())
                .unwrap_or_default(),
        }
    };
    let over = OffsetDateTime::now_utc() >= event.input.ends_at;
    let all = state.db.registration_figures(event.id).await?;
    let mut places: Vec<Option<i64>> = vec![None];
    places.extend(
        sessions
            .iter()
            .filter(|s| s.input.capacity.is_some())
            .map(|s| Some(s.id)),
    );
    let figures = places
        .into_iter()
        .map(|sid| {
            let of = |s: RegState| -> (i64, i64) {
                all.iter()
                    .filter(|f| f.place.session_id == sid && f.state == s)
                    .fold((0, 0), |(c, i), f| (c + f.count, i + f.checked_in))
            };
            let (confirmed, checked_in) = of(RegState::Confirmed);
            let a = Attendance {
                confirmed,
                checked_in,
            };
            let capacity = match sid {
                None => event.input.capacity,
                Some(s) => sessions
                    .iter()
                    .find(|x| x.id == s)
                    .and_then(|x| x.input.capacity),
            };
            FigureRow {
                place: session_title(sid),
                capacity: capacity.map_or_else(|| t.get("office-unlimited"), |c| c.to_string()),
                confirmed,
                offered: of(RegState::Offered).0,
                waiting: of(RegState::Waiting).0,
                unconfirmed: of(RegState::Unconfirmed).0,
                cancelled: of(RegState::Cancelled).0,
                checked_in,
                no_shows: over.then(|| a.no_shows()),
                rate: if over { a.rate_percent() } else { None },
            }
        })
        .collect();
    let rows = state
        .db
        .registrations_of_event_in(event.id, status, after, PER_PAGE + 1)
        .await?;
    let more = rows.len() as i64 > PER_PAGE;
    let rows: Vec<Registration> = rows.into_iter().take(PER_PAGE as usize).collect();
    let base = format!("/veranstalten/{}/anmeldungen", event.id);
    let next = more.then(|| {
        format!(
            "{base}?status={}&after={}",
            status.as_str(),
            rows.last().map_or(0, |r| r.id)
        )
    });
    crate::accounts::render(RegistrationsPage {
        c: crate::layout::chrome(&state, &ctx, "organise").await?,
        title: t.s("office-registrations-title", "event", &event.input.title),
        event_title: event.input.title.clone(),
        event_href: format!("/veranstaltungen/{}", event.slug),
        over,
        figures,
        tabs: LISTED
            .iter()
            .map(|s| {
                (
                    format!("{base}?status={}", s.as_str()),
                    t.get(&format!("office-tab-{}", s.as_str())),
                    *s == status,
                )
            })
            .collect(),
        status: status.as_str(),
        rows: rows
            .iter()
            .map(|r| PersonRow {
                id: r.id,
                name: r.name.clone(),
                email: r.email.clone(),
                place: session_title(r.place.session_id),
                registered: format!(
                    "{}, {}",
                    super::day(r.created_at),
                    super::clock(r.created_at)
                ),
                checked_in: r.checked_in_at.map(super::clock),
            })
            .collect(),
        csrf: user.csrf_token.clone(),
        action_base: base.clone(),
        csv_href: format!("/veranstalten/{}/anmeldungen.csv", event.id),
        next,
    })
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    status: String,
}

/// `POST /veranstalten/{id}/anmeldungen/{registration}/check-in`: `on=1` checks a confirmed
/// person in, `on=0` takes it back; back to the list.
pub async fn check_in(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path((id, registration)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<CheckInForm>,
) -> Result<Response, AppError> {
    let event = own_event(&state, &user, id).await?;
    let on = match form.on.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::InvalidForm {
                field: "on".into(),
                reason: ctx.t.get("office-bad-check-in"),
            });
        }
    };
    if !state
        .db
        .set_checked_in(user.user.id, event.id, registration, on)
        .await?
    {
        // Not a confirmed registration of this event, or already so: nothing to change.
        let r = state.db.registration(registration).await?;
        if r.is_none_or(|r| r.place.event_id != event.id || r.state != RegState::Confirmed) {
            return Err(AppError::NotFound);
        }
    }
    let status = RegState::parse(&form.status).unwrap_or(RegState::Confirmed);
    Ok(Redirect::to(&format!(
        "/veranstalten/{}/anmeldungen?status={}#anmeldung-{registration}",
        event.id,
        status.as_str()
    ))
    .into_response())
}

/// `GET /veranstalten/{id}/anmeldungen.csv`: every registration of the event (UTF-8 with BOM,
/// `;`, cells that a spreadsheet would run as formulas escaped).
pub async fn registrations_csv(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let event = own_event(&state, &user, id).await?;
    let sessions = state.db.programme(event.id).await?;
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .db
            .registrations_of_event(event.id, after, 1000)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in &page {
            rows.push(domain::programme::registration::ParticipantRow {
                number: r.id,
                name: r.name.clone(),
                email: r.email.clone(),
                session: r
                    .place
                    .session_id
                    .and_then(|s| sessions.iter().find(|x| x.id == s))
                    .map(|s| s.input.title.clone())
                    .unwrap_or_default(),
                state: r.state,
                registered_at: r.created_at,
                checked_in_at: r.checked_in_at,
            });
        }
    }
    let body = domain::programme::registration::participants_csv(&rows);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"anmeldungen-{}.csv\"", event.slug),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
