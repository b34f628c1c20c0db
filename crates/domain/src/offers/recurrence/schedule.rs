//! A schedule of an offer: the dates and instants (German local time) a [`Rule`] gives from a
//! first date, and reading the dates left out and the clock times that forms send.

use time::macros::offset;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

use super::rule::{Freq, Rule};
use crate::dates;
use crate::notifications::german_offset;

/// The most dates one schedule may leave out.
pub const MAX_EXCEPTIONS: usize = 200;
/// How far past `from` (or `first`, if later) a schedule is scanned at most, in days (20 years).
const SCAN_DAYS: i64 = 20 * 366;

/// One schedule of an offer: its first date, local start and end time on each date (German wall
/// clock), an optional rule and dates left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub first: Date,
    pub starts: Time,
    pub ends: Time,
    pub rule: Option<Rule>,
    pub except: Vec<Date>,
}

impl Schedule {
    /// The dates (local) of the schedule on or after `from` and on or before `to`, at most
    /// `limit`, in order; exceptions left out; without a rule just `first` if within. `first` is
    /// always the first occurrence (RFC 5545, see the comment of the `recurrence` module). With a
    /// rule, dates more than 20 years after `from` (or after `first`, if later) are not looked
    /// for, and an `until` before `first` leaves none.
    pub fn dates(&self, from: Date, to: Date, limit: usize) -> Vec<Date> {
        let mut out = Vec::new();
        if limit == 0 || from > to {
            return out;
        }
        let mut except = self.except.clone();
        except.sort_unstable();
        except.dedup();
        let Some(rule) = &self.rule else {
            if (from..=to).contains(&self.first) && except.binary_search(&self.first).is_err() {
                out.push(self.first);
            }
            return out;
        };
        let scan_end = add_days(from.max(self.first), SCAN_DAYS).unwrap_or(Date::MAX);
        let mut end = to.min(scan_end);
        if let Some(until) = rule.until {
            end = end.min(until);
        }
        each_occurrence(rule, self.first, from, end, &mut |d| {
            if d >= from && except.binary_search(&d).is_err() {
                out.push(d);
            }
            out.len() < limit
        });
        out
    }

    /// The same as instants: (start, end) in UTC, converted from German local time with summer
    /// or winter time right on each date (a weekly 14:00 is 13:00Z in winter and 12:00Z in
    /// summer). A wall-clock time that does not exist (02:30 on the night clocks go forward)
    /// counts as summer time; one that happens twice, as winter time.
    pub fn occurrences(
        &self,
        from: Date,
        to: Date,
        limit: usize,
    ) -> Vec<(OffsetDateTime, OffsetDateTime)> {
        self.dates(from, to, limit)
            .into_iter()
            .filter_map(|d| Some((local_instant(d, self.starts)?, local_instant(d, self.ends)?)))
            .collect()
    }

    /// What is wrong, as (field, Fluent key) pairs: `ends` `offers-ends-before-starts` (no
    /// overnight offers), `until` `offers-until-before-first`, `rule` and the key of
    /// [`Rule::check`]. (`except` `offers-except-not-a-date` belongs to [`parse_exceptions`]'s
    /// caller.)
    pub fn check(&self) -> Result<(), Vec<(&'static str, &'static str)>> {
        let mut problems = Vec::new();
        if self.ends <= self.starts {
            problems.push(("ends", "offers-ends-before-starts"));
        }
        if let Some(rule) = &self.rule {
            if let Err(e) = rule.check() {
                problems.push(("rule", e.key));
            }
            if rule.until.is_some_and(|u| u < self.first) {
                problems.push(("until", "offers-until-before-first"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn julian(d: Date) -> i64 {
    i64::from(d.to_julian_day())
}

fn from_julian(day: i64) -> Option<Date> {
    Date::from_julian_day(i32::try_from(day).ok()?).ok()
}

pub(super) fn add_days(d: Date, days: i64) -> Option<Date> {
    from_julian(julian(d).checked_add(days)?)
}

fn month_index(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// The date in month `index` (see [`month_index`]) on day `day`, if the month has it.
fn in_month(index: i64, day: u8) -> Option<Date> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// The `nth` (1..=4, or -1 for the last) `day` of month `index`.
fn nth_weekday(index: i64, day: Weekday, nth: i8) -> Option<Date> {
    let start = in_month(index, 1)?;
    if nth == -1 {
        let last = in_month(index, start.month().length(start.year()))?;
        let back =
            (7 + last.weekday().number_days_from_monday() - day.number_days_from_monday()) % 7;
        return add_days(last, -i64::from(back));
    }
    let ahead = (7 + day.number_days_from_monday() - start.weekday().number_days_from_monday()) % 7;
    let date = add_days(start, i64::from(ahead) + (i64::from(nth) - 1) * 7)?;
    (nth >= 1 && date.month() == start.month()).then_some(date)
}

/// Calls `emit` with each occurrence of `rule` from `first` on, up to `end`, in order; stops
/// when `emit` returns false. Periods (days, weeks, months) before the one holding `from` are
/// skipped by arithmetic, except for a MONTHLY rule with `COUNT`, which walks month by month
/// from `first` (at most 500 occurrences, and never past `end`).
fn each_occurrence(
    rule: &Rule,
    first: Date,
    from: Date,
    end: Date,
    emit: &mut dyn FnMut(Date) -> bool,
) {
    if first > end || !emit(first) {
        return;
    }
    let count = rule.count.map(i64::from);
    let full = |index: i64| count.is_some_and(|c| index >= c);
    let step = i64::from(rule.interval.max(1));
    let (f, from_day) = (julian(first), julian(from));
    // `index` is the number of occurrences before the one at hand; `first` was number 0.
    let mut index = 1;
    let mut visit = |index: i64, date: Option<Date>| -> bool {
        match date {
            Some(d) if !full(index) && d <= end => emit(d),
            _ => false,
        }
    };
    match rule.freq {
        Freq::Daily => {
            let mut k = 1.max((from_day - f).div_euclid(step));
            while visit(k, from_julian(f + k * step)) {
                k += 1;
            }
        }
        Freq::Weekly => {
            let offsets: Vec<i64> = rule
                .weekdays(first)
                .iter()
                .map(|d| i64::from(d.number_days_from_monday()))
                .collect();
            let week0 = f - i64::from(first.weekday().number_days_from_monday());
            for off in offsets.iter().filter(|off| week0 + **off > f) {
                if !visit(index, from_julian(week0 + off)) {
                    return;
                }
                index += 1;
            }
            let period = 7 * step;
            let mut k = 1.max((from_day - week0).div_euclid(period));
            index += (k - 1) * offsets.len() as i64;
            loop {
                for off in &offsets {
                    if !visit(index, from_julian(week0 + k * period + off)) {
                        return;
                    }
                    index += 1;
                }
                k += 1;
            }
        }
        Freq::Monthly => {
            let m0 = month_index(first);
            let in_period = |m: i64| match (rule.nth, rule.by_day.first()) {
                (Some(n), Some(day)) => nth_weekday(m, *day, n),
                (Some(_), None) => None,
                (None, _) => in_month(m, rule.month_day.unwrap_or(first.day())),
            };
            if let Some(d) = in_period(m0).filter(|d| *d > first) {
                if !visit(index, Some(d)) {
                    return;
                }
                index += 1;
            }
            let mut k = if count.is_some() {
                1
            } else {
                1.max((month_index(from) - m0).div_euclid(step))
            };
            loop {
                let m = m0 + k * step;
                if in_month(m, 1).is_none_or(|start| start > end) {
                    return;
                }
                if let Some(d) = in_period(m) {
                    if !visit(index, Some(d)) {
                        return;
                    }
                    index += 1;
                }
                k += 1;
            }
        }
    }
}

/// The instant of a German wall-clock time: tried as winter time, then checked.
fn local_instant(date: Date, clock: Time) -> Option<OffsetDateTime> {
    const CET: UtcOffset = offset!(+1);
    let local = PrimitiveDateTime::new(date, clock);
    let guess = local.assume_offset(CET).checked_to_offset(UtcOffset::UTC)?;
    local
        .assume_offset(german_offset(guess))
        .checked_to_offset(UtcOffset::UTC)
}

/// Dates left out, as people type them: separated by commas, semicolons, whitespace or new lines,
/// each ISO or German (`24.12.2026`); duplicates removed, sorted; at most 200. `Err` holds the
/// offending text: the first that is not a date, or the first that would be the 201st distinct
/// date.
pub fn parse_exceptions(text: &str) -> Result<Vec<Date>, String> {
    let mut out: Vec<Date> = Vec::new();
    for token in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let date = dates::parse_date(token).map_err(|_| token.to_string())?;
        if let Err(at) = out.binary_search(&date) {
            if out.len() >= MAX_EXCEPTIONS {
                return Err(token.to_string());
            }
            out.insert(at, date);
        }
    }
    Ok(out)
}

/// `14:00`, `9:30`, `14.00` → a time of day; `None` otherwise.
pub fn parse_clock(text: &str) -> Option<Time> {
    let (hour, minute) = text.trim().split_once([':', '.'])?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 || !digits(hour) || !digits(minute) {
        return None;
    }
    Time::from_hms(hour.parse().ok()?, minute.parse().ok()?, 0).ok()
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
