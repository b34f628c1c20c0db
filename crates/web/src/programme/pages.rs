//! `GET /veranstaltungen`, `GET /veranstaltungen/{slug}` and
//! `GET /veranstaltungen/{slug}/sessions/{session}`.

use super::*;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path, Query};
use crate::layout::{Chrome, PageResult, html};
use askama::Template;
use axum::extract::State;
use domain::programme::{EventState, SessionState, time_slots};
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
