//! The organisers' event form: a new event (`/veranstalten/neu`, owned by whoever creates it)
//! and an event's changes (`/veranstalten/{id}/bearbeiten`). Dates are typed in German local
//! time. A failed save shows the form again with what was typed and every problem named; a
//! capacity that goes up offers the new places to the waiting list.

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
    Attendance, EventInput, EventState, fee_text, format_local, parse_fee, parse_local,
};
use serde::Deserialize;
use store::programme::registrations::Place;

/// The form's fields as typed.
#[derive(Deserialize, Default, Clone)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    attendance: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    fee: String,
    #[serde(default)]
    fee_note: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    registration_opens_at: String,
    #[serde(default)]
    registration_closes_at: String,
    #[serde(default)]
    state: String,
    /// `1` when registered people are reminded a day (an hour) before.
    #[serde(default)]
    remind_day: String,
    #[serde(default)]
    remind_hour: String,
    /// The person who runs the event (admins only choose it).
    #[serde(default)]
    owner: String,
    /// The addresses (slugs) of the measures the event belongs to, separated by commas or
    /// spaces.
    #[serde(default)]
    measures: String,
    /// The ticked fields of action and target groups (read apart: `office_parts::read_form`).
    #[serde(skip)]
    pub(super) fields: Vec<i64>,
    #[serde(skip)]
    pub(super) groups: Vec<i64>,
}

/// The most measures an event names.
const MEASURES_MAX: usize = 20;

/// The event, its measures and its topics, or every problem of them.
#[allow(clippy::type_complexity)]
fn both(
    input: Result<EventInput, Vec<(&'static str, String)>>,
    measures: Result<Vec<i64>, (&'static str, String)>,
    topics: super::office_parts::Ticked,
) -> Result<(EventInput, Vec<i64>, (Vec<i64>, Vec<i64>)), Vec<(&'static str, String)>> {
    match (input, measures, topics) {
        (Ok(input), Ok(ids), Ok(topics)) => Ok((input, ids, topics)),
        (input, measures, topics) => {
            let mut errors = input.err().unwrap_or_default();
            errors.extend(measures.err());
            errors.extend(topics.err());
            Err(errors)
        }
    }
}

/// The published measures a form names (their addresses), or the problem.
async fn measures_of(
    state: &AppState,
    t: &Tr,
    f: &EventForm,
) -> Result<Result<Vec<i64>, (&'static str, String)>, AppError> {
    measure_ids(state, t, &f.measures).await
}

/// The published measures that `text` names (their addresses or links, separated by commas,
/// spaces or lines), or the problem at the field `measures`.
pub(crate) async fn measure_ids(
    state: &AppState,
    t: &Tr,
    text: &str,
) -> Result<Result<Vec<i64>, (&'static str, String)>, AppError> {
    let slugs: Vec<&str> = text
        .split([',', ' ', '\n', '\r', ';'])
        .map(|s| s.trim().trim_start_matches("/massnahmen/"))
        .filter(|s| !s.is_empty())
        .collect();
    if slugs.len() > MEASURES_MAX {
        return Ok(Err(("measures", t.get("office-measures-too-many"))));
    }
    let mut ids = Vec::new();
    for slug in slugs {
        match state.db.published_measure_head(Some(slug), 0).await? {
            Some((id, _, _, _)) => ids.push(id),
            None => {
                return Ok(Err((
                    "measures",
                    t.s("office-measure-unknown", "measure", slug),
                )));
            }
        }
    }
    Ok(Ok(ids))
}

impl EventForm {
    fn of(event: &store::programme::Event) -> EventForm {
        let e = &event.input;
        let flag = |b: bool| if b { "1" } else { "" }.to_string();
        EventForm {
            measures: String::new(),
            fields: Vec::new(),
            groups: Vec::new(),
            owner: event.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            remind_day: flag(event.remind_day),
            remind_hour: flag(event.remind_hour),
            title: e.title.clone(),
            description: e.description.clone(),
            organiser: e.organiser.clone(),
            starts_at: format_local(e.starts_at),
            ends_at: format_local(e.ends_at),
            attendance: e.attendance.as_str().into(),
            place: e.place.clone(),
            fee: e.fee_cents.map(fee_text).unwrap_or_default(),
            fee_note: e.fee_note.clone(),
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            registration_opens_at: e
                .registration_opens_at
                .map(format_local)
                .unwrap_or_default(),
            registration_closes_at: e
                .registration_closes_at
                .map(format_local)
                .unwrap_or_default(),
            state: e.state.as_str().into(),
        }
    }

    /// The event the form describes, or every problem as (field, message).
    fn input(&self, t: &Tr) -> Result<EventInput, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut time = |field: &'static str, v: &str, required: bool| match v.trim() {
            "" if !required => None,
            "" => {
                problems.push((field, t.get("office-time-missing")));
                None
            }
            v => {
                let at = parse_local(v);
                if at.is_none() {
                    problems.push((field, t.get("office-time-invalid")));
                }
                at
            }
        };
        let starts = time("starts_at", &self.starts_at, true);
        let ends = time("ends_at", &self.ends_at, true);
        let opens = time("registration_opens_at", &self.registration_opens_at, false);
        let closes = time(
            "registration_closes_at",
            &self.registration_closes_at,
            false,
        );
        let attendance = Attendance::parse(&self.attendance);
        if attendance.is_none() {
            problems.push(("attendance", t.get("office-choose")));
        }
        let state = EventState::parse(&self.state);
        if state.is_none() {
            problems.push(("state", t.get("office-choose")));
        }
        let fee = match self.fee.trim() {
            "" | "0" => None,
            v => {
                let f = parse_fee(v);
                if f.is_none() {
                    problems.push(("fee", t.get("programme-fee-invalid")));
                }
                f
            }
        };
        let capacity = match self.capacity.trim() {
            "" => None,
            v => {
                let c = v.parse::<i64>().ok();
                if c.is_none() {
                    problems.push(("capacity", t.get("programme-capacity-invalid")));
                }
                c
            }
        };
        let (Some(starts_at), Some(ends_at), Some(attendance), Some(state)) =
            (starts, ends, attendance, state)
        else {
            return Err(problems);
        };
        let input = EventInput {
            title: self.title.clone(),
            description: self.description.clone(),
            organiser: self.organiser.clone(),
            starts_at,
            ends_at,
            attendance,
            place: self.place.clone(),
            fee_cents: fee,
            fee_note: self.fee_note.clone(),
            capacity,
            registration_opens_at: opens,
            registration_closes_at: closes,
            image_alt: String::new(),
            state,
        };
        if let Err(more) = input.check() {
            problems.extend(more.into_iter().map(|p| (p.field, t.get(p.key))));
        }
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }
}

#[derive(Template)]
#[template(path = "programme/office_event_form.html")]
struct FormPage {
    c: Chrome,
    title: String,
    action: String,
    csrf: String,
    f: EventForm,
    errors: Vec<(&'static str, String)>,
    attendances: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    /// The event's pages, when it exists.
    links: Option<(String, String, String)>,
    /// What the last save did.
    notice: Option<String>,
    /// For admins: whom the event may be given to (id, name and address).
    owners: Vec<(String, String)>,
    /// The boxes of the fields of action and the target groups.
    field_boxes: Vec<super::office_parts::TopicBox>,
    group_boxes: Vec<super::office_parts::TopicBox>,
    /// On an existing event: its image, and for admins the further organisers.
    image: Option<super::office_parts::ImageSection>,
    organisers: Option<super::office_parts::OrganiserSection>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    csrf: &str,
    action: String,
    title: String,
    f: EventForm,
    errors: Vec<(&'static str, String)>,
    event: Option<&store::programme::Event>,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let links = event.map(links);
    // Admins give an existing event to another organiser.
    let admin = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.roles.contains(&domain::accounts::Role::Admin));
    let (field_boxes, group_boxes) =
        super::office_parts::boxes(&state.db.topic_choices().await?, &f);
    let (image, organisers) = match event {
        Some(e) => {
            let (image, organisers) = super::office_parts::sections(state, e, admin).await?;
            (Some(image), organisers)
        }
        None => (None, None),
    };
    let owners = if admin && links.is_some() {
        state
            .db
            .organisers()
            .await?
            .into_iter()
            .map(|(id, name, email)| (id.to_string(), format!("{name} ({email})")))
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(FormPage {
        c: crate::layout::chrome(state, ctx, "organise").await?,
        title,
        action,
        csrf: csrf.to_string(),
        f,
        errors,
        attendances: Attendance::ALL
            .iter()
            .map(|a| (a.as_str(), super::attendance_label(&t, *a)))
            .collect(),
        states: EventState::ALL
            .iter()
            .map(|s| (s.as_str(), t.get(&format!("office-state-{}", s.as_str()))))
            .collect(),
        links,
        notice,
        owners,
        field_boxes,
        group_boxes,
        image,
        organisers,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstalten/neu`
pub async fn new_event_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
) -> PageResult {
    let f = EventForm {
        attendance: Attendance::Online.as_str().into(),
        state: EventState::Draft.as_str().into(),
        organiser: String::new(),
        remind_day: "1".into(),
        remind_hour: "1".into(),
        ..EventForm::default()
    };
    form_page(
        &state,
        &ctx,
        &user.csrf_token,
        "/veranstalten/neu".into(),
        ctx.t.get("office-new-title"),
        f,
        Vec::new(),
        None,
        None,
    )
    .await
}

/// `POST /veranstalten/neu`: the event is created, owned by its creator; to its registrations.
pub async fn create_event(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    // The boxes of fields of action and target groups come once per tick: pairs.
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t;
    let (f, topics) = super::office_parts::read_form(&state, &t, pairs).await?;
    let measures = measures_of(&state, &t, &f).await?;
    let checked = both(f.input(&t), measures, topics);
    match checked {
        Err(errors) => {
            form_page(
                &state,
                &ctx,
                &user.csrf_token,
                "/veranstalten/neu".into(),
                t.get("office-new-title"),
                f,
                errors,
                None,
                None,
            )
            .await
        }
        Ok((input, measure_ids, (fields, groups))) => {
            let html = domain::comments::comment_html(&input.description);
            let (id, _) = state
                .db
                .create_event(Some(user.user.id), Some(user.user.id), &input, &html, false)
                .await?;
            state
                .db
                .set_reminders(id, f.remind_day == "1", f.remind_hour == "1")
                .await?;
            if !measure_ids.is_empty() {
                state.db.link_event_measures(id, &measure_ids).await?;
            }
            if !fields.is_empty() || !groups.is_empty() {
                state.db.set_event_topics(id, &fields, &groups).await?;
            }
            Ok(
                Redirect::to(&format!("/veranstalten/{id}/bearbeiten?hinweis=angelegt"))
                    .into_response(),
            )
        }
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /veranstalten/{id}/bearbeiten`
pub async fn edit_event_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    crate::extract::Query(q): crate::extract::Query<NoticeQuery>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let notice = match q.hinweis.as_deref() {
        Some("angelegt") => Some(ctx.t.get("office-created")),
        Some("gespeichert") => Some(ctx.t.get("office-saved")),
        Some("bild") => Some(ctx.t.get("office-image-saved")),
        Some("bild-entfernt") => Some(ctx.t.get("office-image-removed")),
        Some("organisation") => Some(ctx.t.get("office-organiser-added")),
        Some("organisation-entfernt") => Some(ctx.t.get("office-organiser-removed")),
        _ => None,
    };
    edit_page(&state, &ctx, &user, &event, notice, Vec::new()).await
}

/// The edit page of `event` as saved, with a notice or the problems of a part saved apart
/// (its image, its organisers).
pub(super) async fn edit_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &store::accounts::SessionUser,
    event: &store::programme::Event,
    notice: Option<String>,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let mut form = EventForm::of(event);
    form.measures = state
        .db
        .measures_of_event(event.id)
        .await?
        .into_iter()
        .map(|(_, slug, _)| slug)
        .collect::<Vec<_>>()
        .join(", ");
    let topics = state.db.event_topics(event.id).await?;
    form.fields = topics.fields.iter().map(|x| x.id).collect();
    form.groups = topics.groups.iter().map(|x| x.id).collect();
    form_page(
        state,
        ctx,
        &user.csrf_token,
        format!("/veranstalten/{}/bearbeiten", event.id),
        ctx.t.s("office-edit-title", "event", &event.input.title),
        form,
        errors,
        Some(event),
        notice,
    )
    .await
}

fn links(event: &store::programme::Event) -> (String, String, String) {
    (
        format!("/veranstaltungen/{}", event.slug),
        format!("/veranstalten/{}/anmeldungen", event.id),
        format!("/veranstalten/{}/programm", event.id),
    )
}

/// `POST /veranstalten/{id}/bearbeiten`: saved; new places go to the waiting list.
pub async fn update_event(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t;
    let event = own_event(&state, &user, id).await?;
    let (f, topics) = super::office_parts::read_form(&state, &t, pairs).await?;
    let measures = measures_of(&state, &t, &f).await?;
    let checked = both(f.input(&t), measures, topics);
    let (mut input, measure_ids, (fields, groups)) = match checked {
        Ok(both) => both,
        Err(errors) => {
            return form_page(
                &state,
                &ctx,
                &user.csrf_token,
                format!("/veranstalten/{id}/bearbeiten"),
                t.s("office-edit-title", "event", &event.input.title),
                f,
                errors,
                Some(&event),
                None,
            )
            .await;
        }
    };
    // The image's text is saved with the image (`office_parts::upload_image`).
    input.image_alt.clone_from(&event.input.image_alt);
    // An admin may give the event to another organiser (one of those who may run events);
    // checked before anything is saved.
    let mut new_owner = None;
    if user.roles.contains(&domain::accounts::Role::Admin)
        && let Ok(owner) = f.owner.trim().parse::<i64>()
        && Some(owner) != event.owner_id
    {
        if !state
            .db
            .organisers()
            .await?
            .iter()
            .any(|(o, _, _)| *o == owner)
        {
            return Err(AppError::InvalidForm {
                field: "owner".into(),
                reason: t.get("office-choose"),
            });
        }
        new_owner = Some(owner);
    }
    let html = domain::comments::comment_html(&input.description);
    if !state
        .db
        .update_event(user.user.id, id, &input, &html)
        .await?
    {
        return Err(AppError::NotFound);
    }
    state
        .db
        .set_reminders(id, f.remind_day == "1", f.remind_hour == "1")
        .await?;
    if let Some(owner) = new_owner {
        state.db.set_event_owner(user.user.id, id, owner).await?;
    }
    let linked: Vec<i64> = state
        .db
        .measures_of_event(id)
        .await?
        .into_iter()
        .map(|(m, _, _)| m)
        .collect();
    if linked != measure_ids {
        state.db.link_event_measures(id, &measure_ids).await?;
    }
    let topics = state.db.event_topics(id).await?;
    let ids = |x: &[store::programme::topics::Topic]| {
        let mut v: Vec<i64> = x.iter().map(|t| t.id).collect();
        v.sort_unstable();
        v
    };
    if ids(&topics.fields) != fields || ids(&topics.groups) != groups {
        state.db.set_event_topics(id, &fields, &groups).await?;
    }
    // More places than before (or no limit now): the waiting list moves up.
    let more = match (event.input.capacity, input.capacity) {
        (Some(_), None) => true,
        (Some(old), Some(new)) => new > old,
        _ => false,
    };
    if more {
        let mails = super::mails::Mails::new(&state, None, None).await?;
        state
            .db
            .offer_free_places(
                Place {
                    event_id: id,
                    session_id: None,
                },
                &|r, n| mails.mail(r, n),
            )
            .await?;
    }
    Ok(Redirect::to(&format!(
        "/veranstalten/{id}/bearbeiten?hinweis=gespeichert"
    ))
    .into_response())
}
