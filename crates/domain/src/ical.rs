//! iCalendar (RFC 5545) text for events and sessions: one `VTIMEZONE` for Europe/Berlin (the
//! rules in force since 1996), local times with `TZID`, stable `UID`s, escaped texts and lines
//! folded at 75 octets, CRLF line ends.

use time::OffsetDateTime;

/// One entry of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable across exports: `session-7@radar.musterstadt.de`.
    pub uid: String,
    /// When the entry last changed (`DTSTAMP`).
    pub stamp: OffsetDateTime,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
    /// A recurrence rule (`FREQ=WEEKLY;BYDAY=TU`): the entry repeats from `starts_at`.
    pub rule: Option<String>,
    /// Repetitions left out (their start instants).
    pub except: Vec<OffsetDateTime>,
}

const VTIMEZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

/// A calendar named `name` with `entries`.
pub fn calendar(name: &str, entries: &[Entry]) -> String {
    let mut out = String::new();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//stadtradar//Veranstaltungen//DE");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(name)));
    line("X-WR-TIMEZONE:Europe/Berlin");
    for l in VTIMEZONE {
        line(l);
    }
    line("END:VTIMEZONE");
    for e in entries {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(&e.uid)));
        line(&format!("DTSTAMP:{}", utc(e.stamp)));
        line(&format!(
            "DTSTART;TZID=Europe/Berlin:{}",
            berlin(e.starts_at)
        ));
        line(&format!("DTEND;TZID=Europe/Berlin:{}", berlin(e.ends_at)));
        if let Some(rule) = &e.rule {
            line(&format!("RRULE:{rule}"));
            for x in &e.except {
                line(&format!("EXDATE;TZID=Europe/Berlin:{}", berlin(*x)));
            }
        }
        line(&format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(&format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.url.is_empty() {
            line(&format!("URL:{}", e.url));
        }
        line(if e.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// `20261016T080000Z`.
fn utc(at: OffsetDateTime) -> String {
    let u = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        u.year(),
        u8::from(u.month()),
        u.day(),
        u.hour(),
        u.minute(),
        u.second()
    )
}

/// `20261016T100000`, the local time in Berlin.
fn berlin(at: OffsetDateTime) -> String {
    let l = at.to_offset(crate::notifications::german_offset(at));
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        l.year(),
        u8::from(l.month()),
        l.day(),
        l.hour(),
        l.minute(),
        l.second()
    )
}

/// A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a character), each part ended by CRLF and
/// continued with one space.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn entry() -> Entry {
        Entry {
            uid: "session-7@radar.example".into(),
            stamp: datetime!(2026-09-01 12:00 UTC),
            starts_at: datetime!(2026-10-16 08:00 UTC),
            ends_at: datetime!(2026-10-16 09:00 UTC),
            summary: "Digitale Teilhabe; Senioren, online".into(),
            description: "Zeile 1\nZeile 2 mit \\".into(),
            location: "Raum Rathaus".into(),
            url: "https://radar.example/veranstaltungen/x".into(),
            cancelled: false,
            rule: None,
            except: Vec::new(),
        }
    }

    #[test]
    fn a_calendar_has_the_zone_local_times_and_escaped_texts() {
        let c = calendar("Digitaltag", &[entry()]);
        assert!(c.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(c.ends_with("END:VCALENDAR\r\n"));
        assert!(c.contains("TZID:Europe/Berlin\r\n"));
        // 08:00 UTC in October is 10:00 in Berlin (summer time).
        assert!(c.contains("DTSTART;TZID=Europe/Berlin:20261016T100000\r\n"));
        assert!(c.contains("DTSTAMP:20260901T120000Z\r\n"));
        assert!(c.contains("SUMMARY:Digitale Teilhabe\\; Senioren\\, online\r\n"));
        assert!(c.contains("DESCRIPTION:Zeile 1\\nZeile 2 mit \\\\\r\n"));
        assert!(c.contains("STATUS:CONFIRMED"));
        assert!(!c.replace("\r\n", "").contains('\n'), "CRLF only");
        // Winter time: 09:00 UTC in December is 10:00.
        let mut winter = entry();
        winter.starts_at = datetime!(2026-12-10 09:00 UTC);
        assert!(calendar("x", &[winter]).contains("DTSTART;TZID=Europe/Berlin:20261210T100000"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut e = entry();
        e.description = "Übung für Ältere – ".repeat(20);
        let c = calendar("x", &[e]);
        for l in c.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        // Unfolded, the text is whole again.
        let unfolded = c.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "Übung für Ältere – ".repeat(20))));
    }

    #[test]
    fn a_repeating_entry_carries_its_rule_and_the_dates_left_out() {
        let e = Entry {
            rule: Some("FREQ=WEEKLY;BYDAY=FR".into()),
            except: vec![datetime!(2026-10-23 08:00 UTC)],
            ..entry()
        };
        let text = calendar("Angebote", &[e]);
        assert!(text.contains("DTSTART;TZID=Europe/Berlin:20261016T100000\r\nDTEND"));
        assert!(text.contains(
            "\r\nRRULE:FREQ=WEEKLY;BYDAY=FR\r\nEXDATE;TZID=Europe/Berlin:20261023T100000\r\n"
        ));
        assert!(
            !calendar("x", &[entry()]).contains("EXDATE")
                && !calendar("x", &[entry()]).contains("RRULE:FREQ=WEEKLY")
        );
    }
}
