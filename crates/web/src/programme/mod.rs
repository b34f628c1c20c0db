//! Events and their programme, public side: the list of events (`/veranstaltungen`), an event's
//! page with its programme grouped by time slot (the default view: 14 parallel sessions do not
//! fit a room grid on a phone), and a session's page. Drafts are not public; a cancelled event
//! or session stays readable and says so.

mod calendar;
mod filters;
mod jsonld;
mod list;
mod mails;
mod manage;
mod office;
mod office_formats;
mod office_forms;
mod office_parts;
mod office_questions;
mod office_rooms;
mod office_session_values;
mod office_sessions;
mod pages;
mod personal;
mod questions;
mod register;
mod schedule;

pub(crate) use calendar::host as calendar_host;
pub use calendar::{event_calendar, session_calendar};
pub use filters::now;
pub use list::{ListQuery, list};
pub(crate) use list::{PER_PAGE, list_filter, parse_page};
pub(crate) use manage::housekeeping;
pub use manage::{
    accept_offer, cancel_registration, confirm_registration, registration_calendar,
    registration_page,
};
pub use office::{
    check_in, events as office_events, registrations as office_registrations, registrations_csv,
};
pub use office_formats::{add_format, formats, update_format};
pub(crate) use office_forms::measure_ids;
pub use office_forms::{create_event, edit_event_form, new_event_form, update_event};
pub(crate) use office_parts::image_href;
pub use office_parts::{
    IMAGE_BODY_LIMIT, add_organiser, event_image, own_image, remove_image, remove_organiser,
    upload_image,
};
pub use office_questions::{add_mailed, moderate, moderation, settings as qa_settings};
pub use office_rooms::{add_room, programme as office_programme, update_room};
pub use office_sessions::{create_session, edit_session_form, new_session_form, update_session};
pub use pages::{event_page, grid_page, session_page};
pub use personal::{account_programme, personal, personal_calendar, personal_event, star};
pub use questions::{ask, live as questions_live, projector, questions, vote};
pub use register::{
    register, register_form, register_guest, register_session, register_session_form,
    register_session_guest,
};
pub use schedule::{schedule_json, schedule_xml};

/// The query parameters of the programme's filters (kept in the page cache's key on the
/// events' pages).
pub const FILTER_KEYS: [&str; 6] = [
    "format",
    "track",
    "language",
    "recorded",
    "access",
    "target_group",
];

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use domain::programme::{Attendance, PersonRole, SessionState};
use time::OffsetDateTime;

/// The class that gives a format its colour (`format-1f5f99`, from `/veranstaltungen/formate.css`);
/// empty for a colour that is not `#rrggbb`.
pub(crate) fn format_class(colour: &str) -> String {
    match colour.strip_prefix('#') {
        Some(hex) if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
            format!("format-{}", hex.to_ascii_lowercase())
        }
        _ => String::new(),
    }
}

/// `GET /veranstaltungen/formate.css`: the formats' colours as classes (the CSP allows no inline
/// styles), a bar beside the format's name; the name says it too, the colour only helps.
pub async fn formats_css(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let mut css = String::from("/* The colours of the session formats. */\n");
    for f in state.db.session_formats().await? {
        let class = format_class(&f.colour);
        if !class.is_empty() {
            css.push_str(&format!(
                ".{class} {{ border-left: .4rem solid {}; padding-left: .35rem; }}\n",
                f.colour.to_ascii_lowercase()
            ));
        }
    }
    let res = (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        css,
    )
        .into_response();
    Ok(crate::cache::tagged(
        res,
        [
            domain::tags::PROGRAMME.to_string(),
            domain::tags::SITE.to_string(),
        ],
    ))
}

/// The instant in German local time.
pub(crate) fn local(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(domain::notifications::german_offset(at))
}

/// `10:00` (German time).
pub(crate) fn clock(at: OffsetDateTime) -> String {
    let l = local(at);
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// `16.10.2026` (German time).
pub(crate) fn day(at: OffsetDateTime) -> String {
    domain::dates::german(local(at).date())
}

/// When something takes place: `16.10.2026, 10:00–19:00 Uhr`, or from one day to another.
pub(crate) fn span(t: &Tr, from: OffsetDateTime, to: OffsetDateTime) -> String {
    if local(from).date() == local(to).date() {
        t.args(
            "programme-span-day",
            &[
                ("day", crate::i18n::Arg::Str(day(from))),
                ("from", crate::i18n::Arg::Str(clock(from))),
                ("to", crate::i18n::Arg::Str(clock(to))),
            ],
        )
    } else {
        t.args(
            "programme-span-days",
            &[
                ("from_day", crate::i18n::Arg::Str(day(from))),
                ("from", crate::i18n::Arg::Str(clock(from))),
                ("to_day", crate::i18n::Arg::Str(day(to))),
                ("to", crate::i18n::Arg::Str(clock(to))),
            ],
        )
    }
}

pub(crate) fn attendance_label(t: &Tr, a: Attendance) -> String {
    t.get(&format!("programme-attendance-{}", a.as_str()))
}

pub(crate) fn role_label(t: &Tr, r: PersonRole) -> String {
    t.get(&format!("programme-role-{}", r.as_str()))
}

pub(crate) fn session_state_label(t: &Tr, s: SessionState) -> String {
    t.get(&format!("programme-session-{}", s.as_str()))
}

/// The fee as pages show it: `kostenlos`, or `40,00 €`.
pub(crate) fn fee_label(t: &Tr, cents: Option<i64>) -> String {
    match cents {
        None | Some(0) => t.get("programme-free"),
        Some(c) => domain::programme::fee_text(c),
    }
}

/// The public (published or cancelled) event at address `slug`, or 404.
pub(crate) async fn public_event(
    state: &AppState,
    slug: &str,
) -> Result<store::programme::Event, AppError> {
    state
        .db
        .event_by_slug(slug, false)
        .await?
        .ok_or(AppError::NotFound)
}
