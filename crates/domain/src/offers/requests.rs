//! Requests for offers that ask for one: who asks (a person, or an institution such as a Kita, a
//! school or a senior home, with its group), for which day, and where the request stands. No IO.

use crate::programme::{Problem, problem};
use time::{Date, Duration};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// A guest's address is not confirmed yet; no place is held.
    Unconfirmed,
    /// Waiting for the provider; the group's places are held.
    Open,
    /// The provider proposed another day; the places are held on that day until the person
    /// accepts it or withdraws.
    Proposed,
    /// Accepted by the provider (or the proposal by the person); the places are held.
    Accepted,
    /// Declined by the provider, with a reason.
    Declined,
    /// Withdrawn by the person.
    Withdrawn,
    /// The address was never confirmed, or the day passed before a decision.
    Expired,
}

impl RequestState {
    pub const ALL: [RequestState; 7] = [
        RequestState::Unconfirmed,
        RequestState::Open,
        RequestState::Proposed,
        RequestState::Accepted,
        RequestState::Declined,
        RequestState::Withdrawn,
        RequestState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Unconfirmed => "unconfirmed",
            RequestState::Open => "open",
            RequestState::Proposed => "proposed",
            RequestState::Accepted => "accepted",
            RequestState::Declined => "declined",
            RequestState::Withdrawn => "withdrawn",
            RequestState::Expired => "expired",
        }
    }

    pub fn parse(v: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// Whether the request still counts: one address has at most one of these per offer and day.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RequestState::Unconfirmed
                | RequestState::Open
                | RequestState::Proposed
                | RequestState::Accepted
        )
    }

    /// Whether it holds its group's places.
    pub fn holds_places(self) -> bool {
        matches!(
            self,
            RequestState::Open | RequestState::Proposed | RequestState::Accepted
        )
    }

    /// Whether the provider can still decide on it (accept, decline, propose another day).
    pub fn open_to_provider(self) -> bool {
        matches!(self, RequestState::Open)
    }

    /// Whether the person can withdraw it.
    pub fn can_withdraw(self) -> bool {
        self.is_active()
    }
}

/// The longest group a request may bring.
pub const GROUP_MAX: i64 = 500;
/// The longest message, institution and ages text.
pub const MESSAGE_MAX: usize = 2000;
pub const INSTITUTION_MAX: usize = 150;
pub const AGES_MAX: usize = 60;
pub const NOTE_MAX: usize = 1000;
/// How far ahead a day may be asked for or proposed.
pub const HORIZON: Duration = Duration::days(400);
/// How long a request waits for its address to be confirmed.
pub const CONFIRM_VALID: Duration = Duration::hours(48);
/// How long the personal data of a request (name, address, phone, message) is kept after its
/// day, or after it was declined, withdrawn or expired; the same for a volunteering application
/// that was declined, withdrawn or expired.
pub const KEEP_PERSONAL_DATA: Duration = Duration::days(30);

/// A request as typed: the person's name and address come from the account when signed in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The institution asking (empty for a person asking for themselves).
    pub institution: String,
    pub group_size: i64,
    /// The ages in the group, as words ("3 bis 6 Jahre").
    pub ages: String,
    pub message: String,
}

fn text_ok(v: &str, max: usize) -> bool {
    v.chars().count() <= max && !v.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
}

impl RequestInput {
    /// Every problem of the request, in the order of the form.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = match crate::programme::registration::check_registrant(&self.name, &self.email)
        {
            Ok(()) => Vec::new(),
            Err(p) => p,
        };
        if self.phone.chars().count() > 40 || self.phone.chars().any(char::is_control) {
            p.push(problem("phone", "request-phone-invalid"));
        }
        if !text_ok(&self.institution, INSTITUTION_MAX) || self.institution.contains('\n') {
            p.push(problem("institution", "request-institution-invalid"));
        }
        if !(1..=GROUP_MAX).contains(&self.group_size) {
            p.push(problem("group_size", "request-group-invalid"));
        }
        if !text_ok(&self.ages, AGES_MAX) || self.ages.contains('\n') {
            p.push(problem("ages", "request-ages-invalid"));
        }
        if !text_ok(&self.message, MESSAGE_MAX) {
            p.push(problem("message", "request-message-invalid"));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }
}

/// Whether `day` may be asked for on `today`: not past, not beyond the horizon.
pub fn day_ok(day: Date, today: Date) -> Result<(), &'static str> {
    if day < today {
        Err("request-day-past")
    } else if day > today + HORIZON {
        Err("request-day-far")
    } else {
        Ok(())
    }
}

/// Checks the provider's words with a decline (required) or a proposal (optional).
pub fn check_note(note: &str, required: bool) -> Result<(), &'static str> {
    if required && note.trim().is_empty() {
        Err("request-reason-missing")
    } else if !text_ok(note, NOTE_MAX) {
        Err("request-note-invalid")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> RequestInput {
        RequestInput {
            name: "Anna Beispiel".into(),
            email: "anna@example.org".into(),
            phone: String::new(),
            institution: "Kita Sonnenblume".into(),
            group_size: 12,
            ages: "4 bis 6 Jahre".into(),
            message: "Wir würden gern kommen.\nGrüße".into(),
        }
    }

    #[test]
    fn a_good_request_passes() {
        assert_eq!(input().check(), Ok(()));
    }

    #[test]
    fn bad_fields_are_named_in_form_order() {
        let r = RequestInput {
            name: " ".into(),
            email: "nope".into(),
            group_size: 0,
            institution: "a\nb".into(),
            message: "x".repeat(MESSAGE_MAX + 1),
            ..input()
        };
        let fields: Vec<_> = r.check().unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["name", "email", "institution", "group_size", "message"]
        );
        let big = RequestInput {
            group_size: GROUP_MAX + 1,
            ..input()
        };
        assert_eq!(big.check().unwrap_err()[0].key, "request-group-invalid");
    }

    #[test]
    fn days_in_the_past_or_too_far_are_refused() {
        let today = date!(2026 - 12 - 07);
        assert_eq!(day_ok(today, today), Ok(()));
        assert_eq!(
            day_ok(date!(2026 - 12 - 06), today),
            Err("request-day-past")
        );
        assert_eq!(day_ok(today + HORIZON, today), Ok(()));
        assert_eq!(
            day_ok(today + HORIZON + Duration::days(1), today),
            Err("request-day-far")
        );
    }

    #[test]
    fn states_round_trip_and_hold_places_while_active() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
            if s.holds_places() {
                assert!(s.is_active());
            }
        }
        assert!(!RequestState::Unconfirmed.holds_places());
        assert!(RequestState::Open.open_to_provider());
        assert!(!RequestState::Accepted.open_to_provider());
        assert_eq!(RequestState::parse("nonsense"), None);
    }

    #[test]
    fn a_decline_needs_a_reason() {
        assert_eq!(check_note("  ", true), Err("request-reason-missing"));
        assert_eq!(check_note("", false), Ok(()));
        assert_eq!(
            check_note(&"x".repeat(NOTE_MAX + 1), false),
            Err("request-note-invalid")
        );
    }
}
