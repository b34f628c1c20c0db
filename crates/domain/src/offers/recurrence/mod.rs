//! Recurring dates of an offer ("jeden Dienstag 14–16 Uhr"): a subset of the RFC 5545 recurrence
//! rule (RRULE), enough for what a city's libraries and associations offer, and the schedule that
//! turns a rule into dates and into instants in German local time. No IO.
//!
//! We follow RFC 5545: the first date (DTSTART) is always an occurrence, and the first one that
//! `COUNT` counts, even when it does not match the rule ("every Tuesday" starting on a Sunday
//! gives that Sunday and then Tuesdays). Forms should therefore set the first date to a matching
//! one. Dates left out (EXDATE) are removed after counting, so `COUNT=10` with one exception
//! gives nine dates. `WKST` is accepted and ignored: weeks always begin on Monday.
//!
//! [`Rule`] (reading, checking, writing and describing a rule) lives in `rule`; [`Schedule`]
//! (a rule's dates and instants) and the form helpers [`parse_exceptions`] and [`parse_clock`]
//! live in `schedule`.

mod rule;
mod schedule;
#[cfg(test)]
mod test_support;

pub use rule::{Freq, MAX_COUNT, MAX_INTERVAL, Rule, RuleError};
pub use schedule::{MAX_EXCEPTIONS, Schedule, parse_clock, parse_exceptions};
