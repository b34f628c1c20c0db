//! What the organisers' session form holds and how it is read: the values of a session, the
//! rows of people, the ticked target groups, and the session, recording and summary the typed
//! values describe (with every problem by field).

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use domain::programme::{
    PersonRole, SessionInput, SessionPerson, SessionState, format_local, parse_local,
};
use std::collections::HashMap;
use store::programme::{Event, Session};

/// Empty rows for more people below the filled ones.
const SPARE_PEOPLE: usize = 2;
/// One row of people in the form.
pub(super) struct PersonField {
    pub index: usize,
    pub name: String,
    pub role: String,
}

/// The form's values of an existing session.
pub(super) fn values_of(s: &Session) -> HashMap<String, String> {
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
pub(super) const GROUPS: &str = "target_groups";

fn ids_text(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// The form's fields as values: every field's last value, the ticked target groups together.
pub(super) fn values(pairs: Vec<(String, String)>) -> HashMap<String, String> {
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
pub(super) fn people_rows(v: &HashMap<String, String>) -> Vec<PersonField> {
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

/// What a saved session form holds: the session, its recording and summary, its target groups.
pub(super) type Read = (SessionInput, String, String, Vec<i64>);

/// Reads the session form of `event`: the session (lasting its format's usual length without an
/// end), its target groups, and a room and format that belong to the event and exist — or every
/// problem by field. The formats are read once, for both.
pub(super) async fn read_session(
    state: &AppState,
    t: &Tr,
    v: &HashMap<String, String>,
    event: &Event,
) -> Result<Result<Read, Vec<(&'static str, String)>>, AppError> {
    let groups = groups_of(state, t, v).await?;
    let formats = state.db.session_formats().await?;
    let ((input, recording, summary), groups) = match (session_of(t, v, event, &formats), groups) {
        (Ok(s), Ok(g)) => (s, g),
        (Ok(_), Err(p)) => return Ok(Err(vec![p])),
        (Err(mut e), g) => {
            e.extend(g.err());
            return Ok(Err(e));
        }
    };
    let mut problems = Vec::new();
    if let Some(room) = input.room_id
        && !state
            .db
            .event_rooms(event.id)
            .await?
            .iter()
            .any(|r| r.id == room)
    {
        problems.push(("room", t.get("office-choose")));
    }
    if let Some(format) = input.format_id
        && !formats.iter().any(|f| f.id == format)
    {
        problems.push(("format", t.get("office-choose")));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok((input, recording, summary, groups)))
}
