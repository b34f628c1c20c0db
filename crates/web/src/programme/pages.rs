//! `GET /veranstaltungen/{slug}` (an event and its programme by time slot), its sessions and
//! the programme as a grid.

use super::*;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path, Query};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::programme::{EventState, SessionState, time_slots};

/// A session as the programme lists it.
struct Item {
    id: i64,
    /// Always false on the public page: stars are personal (see `personal`).
    starred: bool,
    href: String,
    title: String,
    time: String,
    format: Option<(String, String)>,
    room: String,
    track: String,
    people: String,
    language: Option<String>,
    services: Vec<String>,
    state: Option<String>,
}

/// One time slot of the programme.
struct Slot {
    id: String,
    heading: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "programme/event.html")]
struct EventPage {
    c: Chrome,
    title: String,
    cancelled: bool,
    when: String,
    organiser: String,
    attendance: String,
    place: String,
    fee: String,
    fee_note: String,
    capacity: Option<i64>,
    description_html: String,
    slots: Vec<Slot>,
    measures: Vec<(String, String)>,
    /// The fields of action (the field's page) and target groups (the list of events for them).
    fields: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    /// The event's image: address, width, height and alternative text.
    image: Option<(String, i64, i64, String)>,
    calendar_href: String,
    /// `/veranstaltungen/{slug}/schedule` (`.json`, `.xml`).
    schedule_base: String,
    /// schema.org `Event` (JSON-LD).
    json_ld: String,
    grid_href: String,
    /// The free places and the registration page (none for a cancelled event).
    registration: Option<(String, String)>,
    filter_action: String,
    selects: Vec<super::filters::FilterSelect>,
    /// "12 von 14 Sessions" when filtered.
    filtered: Option<String>,
    now_href: String,
    /// The star buttons' token; the page has no programme's token and goes back nowhere.
    star_token: String,
    token: String,
    back: String,
}

/// The accessibility services of a session, as labels.
fn services(t: &crate::i18n::Tr, s: &domain::programme::SessionInput) -> Vec<String> {
    let mut v = Vec::new();
    if s.sign_language {
        v.push(t.get("programme-sign-language"));
    }
    if s.live_captions {
        v.push(t.get("programme-live-captions"));
    }
    if s.easy_language {
        v.push(t.get("programme-easy-language"));
    }
    v
}

/// The people of a session: `Name (Rolle), …`.
fn people(t: &crate::i18n::Tr, s: &domain::programme::SessionInput) -> String {
    s.people
        .iter()
        .map(|p| format!("{} ({})", p.name, role_label(t, p.role)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The language of a session when it is not German, named in the reader's language.
fn language(t: &crate::i18n::Tr, code: &str) -> Option<String> {
    (code != "de").then(|| match code {
        "en" => t.get("programme-language-en"),
        other => other.to_string(),
    })
}

/// `GET /veranstaltungen/{slug}`: the event and its programme by time slot.
pub async fn event_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(fq): Query<super::filters::FilterQuery>,
) -> PageResult {
    let t = ctx.t;
    let event = super::public_event(&state, &slug).await?;
    let programme = state.db.programme(event.id).await?;
    let filters = super::filters::Filters::parse(&t, &fq, &programme)?;
    let selects = super::filters::selects(&t, &programme, &filters);
    let total = programme.len();
    let programme: Vec<_> = programme.into_iter().filter(|s| filters.keeps(s)).collect();
    let shown = programme.len();
    let slots = time_slots(programme)
        .into_iter()
        .map(|(at, sessions)| Slot {
            id: format!("slot-{}", at.unix_timestamp()),
            heading: t.s("programme-slot", "time", &clock(at)),
            items: sessions
                .iter()
                .map(|s| Item {
                    id: s.id,
                    starred: false,
                    href: format!("/veranstaltungen/{}/sessions/{}", event.slug, s.slug),
                    title: s.input.title.clone(),
                    time: t.args(
                        "programme-time-range",
                        &[
                            ("from", crate::i18n::Arg::Str(clock(s.input.starts_at))),
                            ("to", crate::i18n::Arg::Str(clock(s.input.ends_at))),
                        ],
                    ),
                    format: s
                        .format
                        .as_ref()
                        .map(|f| (f.name.clone(), super::format_class(&f.colour))),
                    room: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                    track: s.input.track.clone(),
                    people: people(&t, &s.input),
                    language: language(&t, &s.input.language),
                    services: services(&t, &s.input),
                    state: (s.input.state != SessionState::Confirmed)
                        .then(|| session_state_label(&t, s.input.state)),
                })
                .collect(),
        })
        .collect();
    let measures = state.db.measures_of_event(event.id).await?;
    let topics = state.db.event_topics(event.id).await?;
    let image = state.db.event_image_head(event.id).await?.map(|h| {
        (
            super::office_parts::image_href(&event.slug, &h.etag),
            h.width,
            h.height,
            h.alt,
        )
    });
    let registration = super::register::summary(&state, &t, &event, None).await?;
    let mut tags = vec![
        domain::tags::event(event.id),
        domain::tags::places(event.id),
        domain::tags::SITE.to_string(),
    ];
    tags.extend(measures.iter().map(|(id, _, _)| domain::tags::measure(*id)));
    html(EventPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: event.input.title.clone(),
        cancelled: event.input.state == EventState::Cancelled,
        when: span(&t, event.input.starts_at, event.input.ends_at),
        organiser: event.input.organiser.clone(),
        attendance: attendance_label(&t, event.input.attendance),
        place: event.input.place.clone(),
        fee: fee_label(&t, event.input.fee_cents),
        fee_note: event.input.fee_note.clone(),
        capacity: event.input.capacity,
        description_html: event.description_html.clone(),
        slots,
        measures: measures
            .into_iter()
            .map(|(_, slug, title)| (format!("/massnahmen/{slug}"), title))
            .collect(),
        calendar_href: format!("/veranstaltungen/{}/kalender.ics", event.slug),
        schedule_base: format!("/veranstaltungen/{}/schedule", event.slug),
        json_ld: super::jsonld::event(&state, &event, image.as_ref().map(|i| i.0.as_str())),
        fields: topics
            .fields
            .into_iter()
            .map(|x| (format!("/handlungsfelder/{}", x.slug), x.name))
            .collect(),
        groups: topics
            .groups
            .into_iter()
            .map(|x| {
                let q = crate::radar::params::encode(&x.slug);
                (format!("/veranstaltungen?target_group={q}"), x.name)
            })
            .collect(),
        image,
        grid_href: format!("/veranstaltungen/{}/raster", event.slug),
        registration,
        filter_action: format!("/veranstaltungen/{}", event.slug),
        selects,
        filtered: filters.any().then(|| {
            t.args(
                "programme-filter-count",
                &[
                    ("shown", crate::i18n::Arg::Num(shown as i64)),
                    ("total", crate::i18n::Arg::Num(total as i64)),
                ],
            )
        }),
        now_href: format!("/veranstaltungen/{}/jetzt", event.slug),
        star_token: super::personal::star_token(&state),
        token: String::new(),
        back: String::new(),
    })
    .map(|r| crate::cache::tagged(r, tags))
}

#[derive(Template)]
#[template(path = "programme/session.html")]
struct SessionPage {
    c: Chrome,
    title: String,
    event_title: String,
    event_href: String,
    when: String,
    state: Option<String>,
    format: Option<(String, String)>,
    room: String,
    track: String,
    people: Vec<(String, String)>,
    language: Option<String>,
    services: Vec<String>,
    abstract_html: String,
    do_not_record: bool,
    recording_url: String,
    summary: String,
    calendar_href: String,
    /// schema.org `Event` (JSON-LD).
    json_ld: String,
    /// The free places and the registration page, for a session with places of its own.
    /// The session's questions (live Q&A).
    questions_href: String,
    registration: Option<(String, String)>,
    /// The discussion of the session (the comments component).
    comments_html: String,
    /// The target groups, each linked to the programme filtered by it.
    groups: Vec<(String, String)>,
}

/// `GET /veranstaltungen/{slug}/sessions/{session}`
pub async fn session_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, session)): Path<(String, String)>,
) -> PageResult {
    let t = ctx.t;
    let event = super::public_event(&state, &slug).await?;
    let s = state
        .db
        .session_by_slug(event.id, &session)
        .await?
        .ok_or(AppError::NotFound)?;
    let registration = match s.input.capacity {
        Some(_) => super::register::summary(&state, &t, &event, Some(&s)).await?,
        None => None,
    };
    let head = store::programme::people::SessionHead {
        id: s.id,
        event_id: event.id,
        event_slug: event.slug.clone(),
        slug: s.slug.clone(),
        title: s.input.title.clone(),
        open: event.input.state == domain::programme::EventState::Published
            && s.input.state != SessionState::Cancelled,
    };
    let discussion = crate::comments::section(
        &state,
        t,
        &crate::comments::session_target_of(&head),
        domain::comments::Sort::Newest,
        None,
        ctx.user.as_ref(),
    )
    .await?;
    let mut tags = vec![
        domain::tags::event(event.id),
        domain::tags::places(event.id),
        domain::tags::SITE.to_string(),
    ];
    tags.extend(discussion.tags);
    html(SessionPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: s.input.title.clone(),
        event_title: event.input.title.clone(),
        event_href: format!("/veranstaltungen/{}", event.slug),
        when: span(&t, s.input.starts_at, s.input.ends_at),
        state: (s.input.state != SessionState::Confirmed)
            .then(|| session_state_label(&t, s.input.state)),
        format: s
            .format
            .as_ref()
            .map(|f| (f.name.clone(), super::format_class(&f.colour))),
        room: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        track: s.input.track.clone(),
        people: s
            .input
            .people
            .iter()
            .map(|p| (p.name.clone(), role_label(&t, p.role)))
            .collect(),
        language: language(&t, &s.input.language),
        services: services(&t, &s.input),
        abstract_html: s.abstract_html.clone(),
        do_not_record: s.input.do_not_record,
        recording_url: s.recording_url.clone(),
        summary: s.summary.clone(),
        calendar_href: format!(
            "/veranstaltungen/{}/sessions/{}/kalender.ics",
            event.slug, s.slug
        ),
        json_ld: super::jsonld::session(&state, &event, &s),
        questions_href: format!("/veranstaltungen/{}/sessions/{}/fragen", event.slug, s.slug),
        registration,
        comments_html: discussion.html,
        groups: s
            .groups
            .iter()
            .map(|g| {
                let q = crate::radar::params::encode(&g.slug);
                (
                    format!("/veranstaltungen/{}?target_group={q}", event.slug),
                    g.name.clone(),
                )
            })
            .collect(),
    })
    .map(|r| crate::cache::tagged(r, tags))
}

/// One row of the grid: a start time and, per room, the sessions that start then.
struct GridRow {
    time: String,
    cells: Vec<Vec<(String, String, Option<String>)>>,
}

#[derive(Template)]
#[template(path = "programme/grid.html")]
struct GridPage {
    c: Chrome,
    title: String,
    event_title: String,
    event_href: String,
    days: Vec<(String, Vec<String>, Vec<GridRow>)>,
}

/// `GET /veranstaltungen/{slug}/raster`: the programme as a table of rooms × start times, a day
/// each (the second view, for wide screens; the time-slot list is the default).
pub async fn grid_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let t = ctx.t;
    let event = super::public_event(&state, &slug).await?;
    let programme = state.db.programme(event.id).await?;
    let no_room = t.get("programme-no-room");
    let room_of =
        |s: &store::programme::Session| s.room.as_ref().map_or(no_room.clone(), |r| r.0.clone());
    // Days in German time, in order; rooms in the order of their first session.
    let mut days: Vec<(String, Vec<String>, Vec<GridRow>)> = Vec::new();
    for (at, sessions) in time_slots(programme) {
        let date = day(at);
        if days.last().is_none_or(|d| d.0 != date) {
            days.push((date.clone(), Vec::new(), Vec::new()));
        }
        let Some(d) = days.last_mut() else { continue };
        for s in &sessions {
            let r = room_of(s);
            if !d.1.contains(&r) {
                d.1.push(r);
            }
        }
        let mut cells: Vec<Vec<(String, String, Option<String>)>> = vec![Vec::new(); d.1.len()];
        for s in &sessions {
            let r = room_of(s);
            if let Some(i) = d.1.iter().position(|x| *x == r) {
                cells[i].push((
                    format!("/veranstaltungen/{}/sessions/{}", event.slug, s.slug),
                    s.input.title.clone(),
                    (s.input.state != SessionState::Confirmed)
                        .then(|| session_state_label(&t, s.input.state)),
                ));
            }
        }
        d.2.push(GridRow {
            time: t.s("programme-slot", "time", &clock(at)),
            cells,
        });
    }
    // Rows made before a room first appeared get its (empty) cell.
    for d in &mut days {
        let n = d.1.len();
        for row in &mut d.2 {
            row.cells.resize(n, Vec::new());
        }
    }
    html(GridPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: t.s("programme-grid-title", "event", &event.input.title),
        event_title: event.input.title.clone(),
        event_href: format!("/veranstaltungen/{}", event.slug),
        days,
    })
    .map(|r| {
        crate::cache::tagged(
            r,
            [
                domain::tags::event(event.id),
                domain::tags::SITE.to_string(),
            ],
        )
    })
}
