//! The frab-compatible schedule of an event, as existing programme apps (Giggity,
//! EventFahrplan) read it: `GET /veranstaltungen/{slug}/schedule.json`, valid against the c3voc
//! schedule JSON schema, and `GET /veranstaltungen/{slug}/schedule.xml`, valid against its XSD
//! (both kept in `e2e/schemas/`, checked in CI by `e2e/schedule_check.py`). Days follow German
//! time; each day lists its rooms with their sessions; GUIDs are derived from the site's host
//! and the row's number, so they stay the same from one export to the next.

use super::{clock, local};
use crate::AppState;
use crate::error::AppError;
use crate::extract::Path;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use store::programme::{Event, Session};
use time::OffsetDateTime;

/// A stable UUID (version 8, RFC 9562) for `what` (`session:7`) on `host`.
fn guid(host: &str, what: &str) -> String {
    let h = crate::session::sha256_hex(&format!("stadtradar:{host}:{what}"));
    let b = h.as_bytes();
    let mut hex: Vec<char> = b[..32].iter().map(|c| *c as char).collect();
    hex[12] = '8';
    hex[16] = match hex[16] {
        '0' | '4' | '8' | 'c' => '8',
        '1' | '5' | '9' | 'd' => '9',
        '2' | '6' | 'a' | 'e' => 'a',
        _ => 'b',
    };
    let s: String = hex.into_iter().collect();
    format!(
        "{}-{}-{}-{}-{}",
        &s[0..8],
        &s[8..12],
        &s[12..16],
        &s[16..20],
        &s[20..32]
    )
}

/// `2026-10-16T10:00:00+02:00`.
pub(super) fn rfc3339_local(at: OffsetDateTime) -> String {
    let l = local(at);
    let off = l.offset();
    format!(
        "{}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        domain::dates::iso(l.date()),
        l.hour(),
        l.minute(),
        l.second(),
        if off.is_negative() { '-' } else { '+' },
        off.whole_hours().abs(),
        off.minutes_past_hour().abs()
    )
}

/// `01:30`.
fn duration(from: OffsetDateTime, to: OffsetDateTime) -> String {
    let m = (to - from).whole_minutes().max(0);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The event's short name as the schema wants it: its address with underscores and its number.
fn acronym(e: &Event) -> String {
    format!("{}_{}", e.slug.replace('-', "_"), e.id)
}

/// The name of a session's room ("Online" or the event's place when it has none).
fn room_of(e: &Event, s: &Session) -> String {
    match &s.room {
        Some((name, _)) => name.clone(),
        None if e.input.place.trim().is_empty() => "Online".to_string(),
        None => e.input.place.clone(),
    }
}

/// One day of the event in German time: its number, date, start and end, and its sessions by
/// room (rooms in the order of their first session).
struct Day<'a> {
    index: usize,
    date: time::Date,
    start: OffsetDateTime,
    end: OffsetDateTime,
    rooms: Vec<(String, Vec<&'a Session>)>,
}

fn days<'a>(e: &Event, sessions: &'a [Session]) -> Vec<Day<'a>> {
    let first = local(e.input.starts_at).date();
    let last = local(e.input.ends_at).date();
    let mut out = Vec::new();
    let mut date = first;
    let mut index = 1;
    while date <= last {
        let midnight = |d: time::Date| {
            let naive = d.midnight();
            naive.assume_offset(domain::notifications::german_offset(naive.assume_utc()))
        };
        let start = midnight(date).max(e.input.starts_at);
        let end = date
            .next_day()
            .map(midnight)
            .unwrap_or(e.input.ends_at)
            .min(e.input.ends_at);
        let mut rooms: Vec<(String, Vec<&Session>)> = Vec::new();
        for s in sessions
            .iter()
            .filter(|s| local(s.input.starts_at).date() == date)
        {
            let name = room_of(e, s);
            match rooms.iter_mut().find(|(n, _)| *n == name) {
                Some((_, list)) => list.push(s),
                None => rooms.push((name, vec![s])),
            }
        }
        out.push(Day {
            index,
            date,
            start,
            end,
            rooms,
        });
        index += 1;
        match date.next_day() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

/// The schedule's version: when the event last changed.
fn version(e: &Event) -> String {
    rfc3339_local(e.updated_at)
}

async fn load(state: &AppState, slug: &str) -> Result<(Event, Vec<Session>), AppError> {
    let event = super::public_event(state, slug).await?;
    let sessions = state.db.programme(event.id).await?;
    Ok((event, sessions))
}

fn respond(body: String, content_type: &'static str, event_id: i64) -> Response {
    let res = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    crate::cache::tagged(res, [domain::tags::event(event_id)])
}

fn host(state: &AppState) -> String {
    super::calendar::host(state)
}

fn session_json(state: &AppState, host: &str, e: &Event, s: &Session) -> Value {
    let url = state.url(&format!("/veranstaltungen/{}/sessions/{}", e.slug, s.slug));
    let links: Vec<Value> = if s.recording_url.starts_with("http") {
        vec![json!({"type": "media", "url": s.recording_url, "title": "Aufzeichnung"})]
    } else {
        Vec::new()
    };
    json!({
        "guid": guid(host, &format!("session:{}", s.id)),
        "id": s.id,
        "date": rfc3339_local(s.input.starts_at),
        "start": clock(s.input.starts_at),
        "end": rfc3339_local(s.input.ends_at),
        "duration": duration(s.input.starts_at, s.input.ends_at),
        "room": room_of(e, s),
        "slug": format!("{}-{}-{}", acronym(e), s.id, s.slug),
        "url": url,
        "title": s.input.title,
        "subtitle": "",
        "track": if s.input.track.is_empty() { Value::Null } else { Value::String(s.input.track.clone()) },
        "type": s.format.as_ref().map_or("other".to_string(), |f| f.name.clone()),
        "language": s.input.language,
        "abstract": s.input.abstract_text,
        "description": s.summary,
        "do_not_record": s.input.do_not_record,
        "persons": s.input.people.iter().map(|p| json!({"name": p.name})).collect::<Vec<_>>(),
        "links": links,
    })
}

/// `GET /veranstaltungen/{slug}/schedule.json`
pub async fn schedule_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (e, sessions) = load(&state, &slug).await?;
    let host = host(&state);
    let days = days(&e, &sessions);
    let mut room_names: Vec<String> = Vec::new();
    for d in &days {
        for (name, _) in &d.rooms {
            if !room_names.contains(name) {
                room_names.push(name.clone());
            }
        }
    }
    let doc = json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "stadtradar", "version": env!("CARGO_PKG_VERSION")},
        "schedule": {
            "version": version(&e),
            "base_url": state.url("/"),
            "conference": {
                "acronym": acronym(&e),
                "title": e.input.title,
                "start": domain::dates::iso(local(e.input.starts_at).date()),
                "end": domain::dates::iso(local(e.input.ends_at).date()),
                "daysCount": days.len(),
                "timeslot_duration": "00:15",
                "time_zone_name": "Europe/Berlin",
                "url": state.url(&format!("/veranstaltungen/{}", e.slug)),
                "rooms": room_names.iter().map(|n| json!({"name": n, "guid": guid(&host, &format!("room:{}:{n}", e.id))})).collect::<Vec<_>>(),
                "days": days.iter().map(|d| {
                    let rooms: BTreeMap<&str, Vec<Value>> = d.rooms.iter()
                        .map(|(name, list)| (name.as_str(), list.iter().map(|s| session_json(&state, &host, &e, s)).collect()))
                        .collect();
                    json!({
                        "index": d.index,
                        "date": domain::dates::iso(d.date),
                        "day_start": rfc3339_local(d.start),
                        "day_end": rfc3339_local(d.end),
                        "rooms": rooms,
                    })
                }).collect::<Vec<_>>(),
            }
        }
    });
    Ok(respond(
        doc.to_string(),
        "application/json; charset=utf-8",
        e.id,
    ))
}

/// XML text: `&`, `<`, `>`, `"` escaped; characters XML 1.0 does not allow left out.
fn x(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// `GET /veranstaltungen/{slug}/schedule.xml`
pub async fn schedule_xml(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (e, sessions) = load(&state, &slug).await?;
    let host = host(&state);
    let days = days(&e, &sessions);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    let _ = writeln!(
        s,
        "<generator name=\"stadtradar\" version=\"{}\"/>\n<url>{}</url>\n<version>{}</version>",
        env!("CARGO_PKG_VERSION"),
        x(&state.url(&format!("/veranstaltungen/{}/schedule.xml", e.slug))),
        x(&version(&e))
    );
    let _ = writeln!(
        s,
        "<conference>\n<title>{}</title>\n<acronym>{}</acronym>\n<start>{}</start>\n<end>{}</end>\n<days>{}</days>\n<timeslot_duration>00:15</timeslot_duration>\n<base_url>{}</base_url>\n<url>{}</url>\n<time_zone_name>Europe/Berlin</time_zone_name>\n</conference>",
        x(&e.input.title),
        x(&acronym(&e)),
        domain::dates::iso(local(e.input.starts_at).date()),
        domain::dates::iso(local(e.input.ends_at).date()),
        days.len(),
        x(&state.url("/")),
        x(&state.url(&format!("/veranstaltungen/{}", e.slug))),
    );
    for d in &days {
        let _ = writeln!(
            s,
            "<day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">",
            d.index,
            domain::dates::iso(d.date),
            rfc3339_local(d.start),
            rfc3339_local(d.end)
        );
        for (room, list) in &d.rooms {
            let _ = writeln!(
                s,
                "<room name=\"{}\" guid=\"{}\">",
                x(room),
                guid(&host, &format!("room:{}:{room}", e.id))
            );
            for ses in list {
                let i = &ses.input;
                let _ = write!(
                    s,
                    "<event guid=\"{}\" id=\"{}\">\n<room>{}</room>\n<title>{}</title>\n<subtitle></subtitle>\n<type>{}</type>\n<date>{}</date>\n<start>{}</start>\n<duration>{}</duration>\n<abstract>{}</abstract>\n<slug>{}</slug>\n<track>{}</track>\n<persons>",
                    guid(&host, &format!("session:{}", ses.id)),
                    ses.id,
                    x(room),
                    x(&i.title),
                    x(&ses
                        .format
                        .as_ref()
                        .map_or("other".to_string(), |f| f.name.clone())),
                    rfc3339_local(i.starts_at),
                    clock(i.starts_at),
                    duration(i.starts_at, i.ends_at),
                    x(&i.abstract_text),
                    x(&format!("{}-{}-{}", acronym(&e), ses.id, ses.slug)),
                    x(&i.track),
                );
                for p in &i.people {
                    let _ = write!(s, "<person>{}</person>", x(&p.name));
                }
                let _ = write!(
                    s,
                    "</persons>\n<language>{}</language>\n<description>{}</description>\n<recording>\n<license></license>\n<optout>{}</optout>\n</recording>\n<links>",
                    x(&i.language),
                    x(&ses.summary),
                    i.do_not_record
                );
                if ses.recording_url.starts_with("http") {
                    let _ = write!(
                        s,
                        "<link href=\"{}\" type=\"media\">Aufzeichnung</link>",
                        x(&ses.recording_url)
                    );
                }
                let _ = writeln!(
                    s,
                    "</links>\n<url>{}</url>\n</event>",
                    x(&state.url(&format!(
                        "/veranstaltungen/{}/sessions/{}",
                        e.slug, ses.slug
                    )))
                );
            }
            s.push_str("</room>\n");
        }
        s.push_str("</day>\n");
    }
    s.push_str("</schedule>\n");
    Ok(respond(s, "application/xml; charset=utf-8", e.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_uuids_of_version_8() {
        let a = guid("radar.example", "session:7");
        assert_eq!(a, guid("radar.example", "session:7"));
        assert_ne!(a, guid("radar.example", "session:8"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn times_are_german_with_their_offset() {
        use time::macros::datetime;
        assert_eq!(
            rfc3339_local(datetime!(2026-10-16 08:00 UTC)),
            "2026-10-16T10:00:00+02:00"
        );
        assert_eq!(
            rfc3339_local(datetime!(2026-12-16 08:00 UTC)),
            "2026-12-16T09:00:00+01:00"
        );
        assert_eq!(
            duration(
                datetime!(2026-10-16 08:00 UTC),
                datetime!(2026-10-16 09:30 UTC)
            ),
            "01:30"
        );
        assert_eq!(x("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
    }
}
