//! schema.org `Event` descriptions (JSON-LD) of an event's and a session's page, so search
//! engines and calendars find dates, attendance mode, place or virtual location, the organiser
//! and the fee. The virtual room's join link is never in them (it is for registered people).

use crate::AppState;
use domain::programme::{Attendance, EventState, SessionState};
use serde_json::{Value, json};
use store::programme::{Event, Session};

/// JSON text safe inside `<script type="application/ld+json">`: no `<` that could end it.
fn embed(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

fn status(cancelled: bool) -> &'static str {
    if cancelled {
        "https://schema.org/EventCancelled"
    } else {
        "https://schema.org/EventScheduled"
    }
}

fn location(e: &Event, url: &str) -> Value {
    let online = json!({"@type": "VirtualLocation", "url": url});
    let place = json!({"@type": "Place", "name": e.input.place, "address": e.input.place});
    match e.input.attendance {
        Attendance::Online => online,
        Attendance::InPerson => place,
        Attendance::Mixed => json!([place, online]),
    }
}

/// The event's description (with the address of its image, if it has one).
pub fn event(state: &AppState, e: &Event, image: Option<&str>) -> String {
    let url = state.url(&format!("/veranstaltungen/{}", e.slug));
    let price = e.input.fee_cents.unwrap_or(0);
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.input.title,
        "description": e.input.description,
        "url": url,
        "startDate": super::schedule::rfc3339_local(e.input.starts_at),
        "endDate": super::schedule::rfc3339_local(e.input.ends_at),
        "eventStatus": status(e.input.state == EventState::Cancelled),
        "eventAttendanceMode": e.input.attendance.schema_org(),
        "location": location(e, &url),
        "organizer": {"@type": "Organization", "name": e.input.organiser},
        "offers": {
            "@type": "Offer",
            "price": format!("{}.{:02}", price / 100, price % 100),
            "priceCurrency": "EUR",
            "url": url,
        },
    });
    if let Some(i) = image {
        v["image"] = state.url(i).into();
    }
    embed(&v)
}

/// A session's description, part of its event.
pub fn session(state: &AppState, e: &Event, s: &Session) -> String {
    let event_url = state.url(&format!("/veranstaltungen/{}", e.slug));
    let url = state.url(&format!("/veranstaltungen/{}/sessions/{}", e.slug, s.slug));
    let performers: Vec<Value> = s
        .input
        .people
        .iter()
        .map(|p| json!({"@type": "Person", "name": p.name}))
        .collect();
    embed(&json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": s.input.title,
        "description": s.input.abstract_text,
        "url": url,
        "startDate": super::schedule::rfc3339_local(s.input.starts_at),
        "endDate": super::schedule::rfc3339_local(s.input.ends_at),
        "eventStatus": status(s.input.state == SessionState::Cancelled || e.input.state == EventState::Cancelled),
        "eventAttendanceMode": e.input.attendance.schema_org(),
        "location": location(e, &url),
        "inLanguage": s.input.language,
        "performer": performers,
        "superEvent": {"@type": "Event", "name": e.input.title, "url": event_url},
        "organizer": {"@type": "Organization", "name": e.input.organiser},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_end_its_script_element() {
        let v = json!({"name": "</script><script>alert(1)</script>"});
        let s = embed(&v);
        assert!(!s.contains('<'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
