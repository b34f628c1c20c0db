//! Registration for an event or for a session with a capacity of its own: the states of a
//! registration, the waiting list's offers, and what a registrant must give. No IO.
//!
//! A place is *held* by a confirmed registration and by an open offer to someone from the
//! waiting list; the store keeps the number of held places next to the capacity and never lets
//! it pass. Whoever waits is behind every held place: while anyone waits, all places are held.

use super::{Problem, problem};
use time::{Duration, OffsetDateTime};

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegState {
    /// The address is not confirmed yet; no place is held.
    Unconfirmed,
    /// A place is held.
    Confirmed,
    /// On the waiting list.
    Waiting,
    /// A place freed up and is held for this person until the offer runs out.
    Offered,
    /// Cancelled by the person (or their offer declined).
    Cancelled,
    /// The offer ran out, or the address was never confirmed.
    Expired,
}

impl RegState {
    pub const ALL: [RegState; 6] = [
        RegState::Unconfirmed,
        RegState::Confirmed,
        RegState::Waiting,
        RegState::Offered,
        RegState::Cancelled,
        RegState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegState::Unconfirmed => "unconfirmed",
            RegState::Confirmed => "confirmed",
            RegState::Waiting => "waiting",
            RegState::Offered => "offered",
            RegState::Cancelled => "cancelled",
            RegState::Expired => "expired",
        }
    }

    pub fn parse(v: &str) -> Option<RegState> {
        RegState::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// Whether the registration still counts: one address has at most one of these per event
    /// or session.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RegState::Unconfirmed | RegState::Confirmed | RegState::Waiting | RegState::Offered
        )
    }

    /// Whether it holds a place.
    pub fn holds_place(self) -> bool {
        matches!(self, RegState::Confirmed | RegState::Offered)
    }
}

/// How long an offer from the waiting list stands (at most until registration closes).
pub const OFFER_VALID: Duration = Duration::hours(24);
/// How long a registration waits for its address to be confirmed.
pub const CONFIRM_VALID: Duration = Duration::hours(48);
/// How long after an event its registrations keep names and addresses (for the organiser's
/// figures and questions afterwards); then only the counts remain.
pub const KEEP_PERSONAL_DATA: Duration = Duration::days(30);
/// The longest name of a registrant.
pub const NAME_MAX: usize = 100;

/// Until when an offer made at `now` stands, when registration closes at `closes`: a day, or
/// less if registration closes sooner. `None` when it has closed: no offer is made then.
pub fn offer_until(now: OffsetDateTime, closes: OffsetDateTime) -> Option<OffsetDateTime> {
    (closes > now).then(|| (now + OFFER_VALID).min(closes))
}

/// When registration closes: at the event's own closing time if it has one, else when the
/// event ends; for a session with places of its own, at the latest when the session ends.
pub fn closes_at(
    event_closes: Option<OffsetDateTime>,
    event_ends: OffsetDateTime,
    session_ends: Option<OffsetDateTime>,
) -> OffsetDateTime {
    let closes = event_closes.unwrap_or(event_ends).min(event_ends);
    session_ends.map_or(closes, |s| closes.min(s))
}

/// Whether registration is open at `now`, between `opens` (if set) and `closes`.
pub fn is_open(now: OffsetDateTime, opens: Option<OffsetDateTime>, closes: OffsetDateTime) -> bool {
    opens.is_none_or(|o| now >= o) && now < closes
}

/// Checks a registrant's name and (normalised) address; every problem, in the order of the form.
pub fn check_registrant(name: &str, email: &str) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let n = name.trim().chars().count();
    if n == 0 {
        p.push(problem("name", "registration-name-missing"));
    } else if n > NAME_MAX || name.chars().any(char::is_control) {
        p.push(problem("name", "registration-name-invalid"));
    }
    if !crate::mail::is_address(email) {
        p.push(problem("email", "email-invalid"));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Attendance after an event: of `confirmed` registrations, `checked_in` came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attendance {
    pub confirmed: i64,
    pub checked_in: i64,
}

impl Attendance {
    /// Confirmed people who did not come.
    pub fn no_shows(self) -> i64 {
        (self.confirmed - self.checked_in).max(0)
    }

    /// The share of confirmed people who came, in whole per cent (`None` without any).
    pub fn rate_percent(self) -> Option<i64> {
        (self.confirmed > 0).then(|| (self.checked_in * 100 + self.confirmed / 2) / self.confirmed)
    }
}

/// A participant as the organiser's export lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub number: i64,
    pub name: String,
    pub email: String,
    /// The session's title for a session's registration; empty for the event.
    pub session: String,
    pub state: RegState,
    pub registered_at: OffsetDateTime,
    pub checked_in_at: Option<OffsetDateTime>,
}

/// The participants as CSV for a spreadsheet: UTF-8 with BOM, `;`, a header row, times in UTC
/// (RFC 3339), cells that a spreadsheet would run as formulas escaped (`import::escape_cell`).
pub fn participants_csv(rows: &[ParticipantRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let time = |t: OffsetDateTime| {
        t.to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    // Writing to memory cannot fail; a row that could not be written is left out.
    let _ = w.write_record([
        "nummer",
        "name",
        "email",
        "session",
        "status",
        "angemeldet_am",
        "eingecheckt_am",
    ]);
    for r in rows {
        let number = r.number.to_string();
        let _ = w.write_record([
            number.as_str(),
            &crate::import::escape_cell(&r.name),
            &crate::import::escape_cell(&r.email),
            &crate::import::escape_cell(&r.session),
            r.state.as_str(),
            &time(r.registered_at),
            &r.checked_in_at.map(time).unwrap_or_default(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn states_round_trip_and_classify() {
        for s in RegState::ALL {
            assert_eq!(RegState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RegState::parse("booked"), None);
        let held: Vec<_> = RegState::ALL
            .into_iter()
            .filter(|s| s.holds_place())
            .collect();
        assert_eq!(held, [RegState::Confirmed, RegState::Offered]);
        assert!(RegState::Waiting.is_active() && RegState::Unconfirmed.is_active());
        assert!(!RegState::Cancelled.is_active() && !RegState::Expired.is_active());
    }

    #[test]
    fn offers_stand_a_day_or_until_registration_closes() {
        let now = datetime!(2026-12-06 10:00 UTC);
        assert_eq!(
            offer_until(now, datetime!(2026-12-20 10:00 UTC)),
            Some(datetime!(2026-12-07 10:00 UTC))
        );
        assert_eq!(
            offer_until(now, datetime!(2026-12-06 15:00 UTC)),
            Some(datetime!(2026-12-06 15:00 UTC))
        );
        assert_eq!(offer_until(now, now), None);
        assert_eq!(offer_until(now, datetime!(2026-12-05 10:00 UTC)), None);
    }

    #[test]
    fn registration_closes_at_the_earliest_of_its_bounds() {
        let ends = datetime!(2026-12-20 19:00 UTC);
        let own = datetime!(2026-12-19 12:00 UTC);
        let session = datetime!(2026-12-20 11:00 UTC);
        assert_eq!(closes_at(None, ends, None), ends);
        assert_eq!(closes_at(Some(own), ends, None), own);
        assert_eq!(closes_at(None, ends, Some(session)), session);
        assert_eq!(closes_at(Some(own), ends, Some(session)), own);
        // A closing time after the end is the end.
        assert_eq!(closes_at(Some(ends + Duration::days(1)), ends, None), ends);
        let opens = datetime!(2026-12-01 00:00 UTC);
        assert!(!is_open(opens - Duration::seconds(1), Some(opens), ends));
        assert!(is_open(opens, Some(opens), ends));
        assert!(is_open(ends - Duration::seconds(1), None, ends));
        assert!(!is_open(ends, None, ends));
    }

    #[test]
    fn registrants_need_a_name_and_an_address() {
        assert!(check_registrant("Anna Muster", "anna@example.org").is_ok());
        let fields = |name: &str, email: &str| -> Vec<&str> {
            check_registrant(name, email)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields("  ", "anna@example.org"), ["name"]);
        assert_eq!(fields(&"x".repeat(NAME_MAX + 1), "a@b.de"), ["name"]);
        assert_eq!(fields(&"ä".repeat(NAME_MAX), "a@b.de"), Vec::<&str>::new());
        assert_eq!(fields("Anna\u{7}", "a@b.de"), ["name"]);
        assert_eq!(fields("", "keine-adresse"), ["name", "email"]);
    }

    #[test]
    fn participants_as_csv_escape_formulas() {
        let at = datetime!(2026-12-06 09:30 UTC);
        let csv = participants_csv(&[
            ParticipantRow {
                number: 7,
                name: "=HYPERLINK(\"x\")".into(),
                email: "anna@example.org".into(),
                session: "Workshop; Teil 1".into(),
                state: RegState::Confirmed,
                registered_at: at,
                checked_in_at: Some(at),
            },
            ParticipantRow {
                number: 8,
                name: "Ben".into(),
                email: "ben@example.org".into(),
                session: String::new(),
                state: RegState::Waiting,
                registered_at: at,
                checked_in_at: None,
            },
        ]);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("\u{feff}nummer;name;email;session;status;angemeldet_am;eingecheckt_am")
        );
        assert_eq!(
            lines.next(),
            Some(
                "7;\"'=HYPERLINK(\"\"x\"\")\";anna@example.org;\"Workshop; Teil 1\";confirmed;2026-12-06T09:30:00Z;2026-12-06T09:30:00Z"
            )
        );
        assert_eq!(
            lines.next(),
            Some("8;Ben;ben@example.org;;waiting;2026-12-06T09:30:00Z;")
        );
    }

    #[test]
    fn attendance_figures() {
        let a = Attendance {
            confirmed: 3,
            checked_in: 2,
        };
        assert_eq!(a.no_shows(), 1);
        assert_eq!(a.rate_percent(), Some(67));
        assert_eq!(Attendance::default().rate_percent(), None);
    }
}
