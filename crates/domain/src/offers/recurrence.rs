//! Recurring dates of an offer ("jeden Dienstag 14–16 Uhr"): a subset of the RFC 5545 recurrence
//! rule (RRULE), enough for what a city's libraries and associations offer, and the schedule that
//! turns a rule into dates and into instants in German local time. No IO.
//!
//! We follow RFC 5545: the first date (DTSTART) is always an occurrence, and the first one that
//! `COUNT` counts, even when it does not match the rule ("every Tuesday" starting on a Sunday
//! gives that Sunday and then Tuesdays). Forms should therefore set the first date to a matching
//! one. Dates left out (EXDATE) are removed after counting, so `COUNT=10` with one exception
//! gives nine dates. `WKST` is accepted and ignored: weeks always begin on Monday.

use std::fmt;

use time::macros::offset;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

use crate::dates;
use crate::notifications::german_offset;

/// The largest `INTERVAL`.
pub const MAX_INTERVAL: u8 = 12;
/// The largest `COUNT`.
pub const MAX_COUNT: u16 = 500;
/// The most dates one schedule may leave out.
pub const MAX_EXCEPTIONS: usize = 200;
/// How far past `from` (or `first`, if later) a schedule is scanned at most, in days (20 years).
const SCAN_DAYS: i64 = 20 * 366;

/// How often a rule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

/// A recurrence rule. [`Rule::parse`] returns weekdays Monday-first without duplicates;
/// `Rule::parse(&r.to_rrule()) == Ok(r)` holds for every rule in that form that passes
/// [`Rule::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    /// 1..=12: every n-th day, week or month.
    pub interval: u8,
    /// WEEKLY: the weekdays (empty = the weekday of the first date); MONTHLY: exactly one
    /// weekday, together with `nth`; DAILY: empty.
    pub by_day: Vec<Weekday>,
    /// MONTHLY: 1..=4 or -1 (the last): `BYDAY=1TU` is "jeden 1. Dienstag im Monat".
    pub nth: Option<i8>,
    /// MONTHLY: `BYMONTHDAY=15` (1..=31); months without that day are skipped. Without it and
    /// without `nth` the day of month of the first date is used (and skipped likewise).
    pub month_day: Option<u8>,
    /// The last possible date, inclusive (`UNTIL=20270630` or the date of
    /// `UNTIL=20270630T235959Z`).
    pub until: Option<Date>,
    /// How many occurrences, counting the first date (1..=500); not together with `until`.
    pub count: Option<u16>,
}

/// Why a rule is refused, as a stable Fluent message key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub key: &'static str,
}

const INVALID: RuleError = RuleError::new("offers-rule-invalid");
const UNSUPPORTED: RuleError = RuleError::new("offers-rule-unsupported");
const COUNT_AND_UNTIL: RuleError = RuleError::new("offers-rule-count-and-until");
const INTERVAL: RuleError = RuleError::new("offers-rule-interval");
const COUNT: RuleError = RuleError::new("offers-rule-count");

impl RuleError {
    const fn new(key: &'static str) -> RuleError {
        RuleError { key }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

impl std::error::Error for RuleError {}

impl Rule {
    /// Reads a rule: an optional leading `RRULE:`, parts separated by `;` in any order, keys and
    /// values in any case. Refuses unknown or duplicate keys, bad values, `COUNT` with `UNTIL`
    /// (`offers-rule-invalid`, `offers-rule-count-and-until`, `offers-rule-interval`,
    /// `offers-rule-count`) and valid RFC 5545 we do not do: `YEARLY` and finer frequencies,
    /// `BYSETPOS`, `BYMONTH`, …, `BYDAY` with DAILY, several weekdays or none with an ordinal
    /// with MONTHLY, `5TU`, `-2TU`, negative or several `BYMONTHDAY` (`offers-rule-unsupported`).
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let text = text.trim();
        let body = text
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("RRULE:"))
            .and_then(|_| text.get(6..))
            .unwrap_or(text);
        let mut seen: Vec<String> = Vec::new();
        let (mut freq, mut interval, mut by_day, mut month_day) = (None, None, None, None);
        let (mut until, mut count) = (None, None);
        for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or(INVALID)?;
            let (key, value) = (key.trim().to_ascii_uppercase(), value.trim());
            if seen.contains(&key) {
                return Err(INVALID);
            }
            match key.as_str() {
                "FREQ" => freq = Some(parse_freq(value)?),
                "INTERVAL" => {
                    let n: u8 = value.parse().map_err(|_| INTERVAL)?;
                    interval = Some(n);
                }
                "BYDAY" => by_day = Some(value),
                "BYMONTHDAY" => month_day = Some(parse_month_day(value)?),
                "UNTIL" => until = Some(parse_until(value).ok_or(INVALID)?),
                "COUNT" => count = Some(value.parse::<u16>().map_err(|_| COUNT)?),
                "WKST" => {
                    weekday_of(value).ok_or(INVALID)?;
                }
                "BYSETPOS" | "BYMONTH" | "BYYEARDAY" | "BYWEEKNO" | "BYHOUR" | "BYMINUTE"
                | "BYSECOND" | "RSCALE" | "SKIP" => return Err(UNSUPPORTED),
                _ => return Err(INVALID),
            }
            seen.push(key);
        }
        let freq = freq.ok_or(INVALID)?;
        let (by_day, nth) = match by_day {
            None => (Vec::new(), None),
            Some(value) => parse_by_day(value, freq)?,
        };
        let rule = Rule {
            freq,
            interval: interval.unwrap_or(1),
            by_day,
            nth,
            month_day,
            until,
            count,
        };
        rule.check()?;
        Ok(rule)
    }

    /// Whether the rule is one we can follow (a rule built in code rather than parsed).
    pub fn check(&self) -> Result<(), RuleError> {
        if !(1..=MAX_INTERVAL).contains(&self.interval) {
            return Err(INTERVAL);
        }
        if self.count.is_some_and(|c| !(1..=MAX_COUNT).contains(&c)) {
            return Err(COUNT);
        }
        if self.count.is_some() && self.until.is_some() {
            return Err(COUNT_AND_UNTIL);
        }
        if self.month_day.is_some_and(|d| !(1..=31).contains(&d)) {
            return Err(INVALID);
        }
        let fits = match self.freq {
            Freq::Daily => self.by_day.is_empty() && self.nth.is_none() && self.month_day.is_none(),
            Freq::Weekly => self.nth.is_none() && self.month_day.is_none(),
            Freq::Monthly => match self.nth {
                Some(n) => {
                    self.by_day.len() == 1 && matches!(n, 1..=4 | -1) && self.month_day.is_none()
                }
                None => self.by_day.is_empty(),
            },
        };
        if fits { Ok(()) } else { Err(UNSUPPORTED) }
    }

    /// The canonical text without `RRULE:`, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630`
    /// (`INTERVAL` only when above 1).
    pub fn to_rrule(&self) -> String {
        let freq = match self.freq {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
        };
        let mut s = format!("FREQ={freq}");
        if self.interval > 1 {
            s.push_str(&format!(";INTERVAL={}", self.interval));
        }
        if !self.by_day.is_empty() {
            let nth = self.nth.map(|n| n.to_string()).unwrap_or_default();
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|d| format!("{nth}{}", code(*d)))
                .collect();
            s.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        if let Some(day) = self.month_day {
            s.push_str(&format!(";BYMONTHDAY={day}"));
        }
        if let Some(u) = self.until {
            s.push_str(&format!(
                ";UNTIL={:04}{:02}{:02}",
                u.year(),
                u8::from(u.month()),
                u.day()
            ));
        }
        if let Some(count) = self.count {
            s.push_str(&format!(";COUNT={count}"));
        }
        s
    }

    /// The rule in words for a schedule beginning on `first`: "jeden Dienstag und Donnerstag bis
    /// 30.06.2027", "every first Tuesday of the month (10 times)".
    pub fn describe(&self, first: Date, english: bool) -> String {
        let i = self.interval;
        let day = self.by_day.first().copied().unwrap_or(first.weekday());
        let mut text = match (self.freq, english) {
            (Freq::Daily, false) if i <= 1 => "täglich".to_string(),
            (Freq::Daily, false) => format!("alle {i} Tage"),
            (Freq::Daily, true) if i <= 1 => "daily".to_string(),
            (Freq::Daily, true) => format!("every {i} days"),
            (Freq::Weekly, _) => {
                let days = self.weekdays(first);
                let names: Vec<&str> = days.iter().map(|d| day_name(*d, english)).collect();
                let list = join(&names, english);
                match (english, i <= 1) {
                    (false, true) => format!("jeden {list}"),
                    (false, false) => format!("alle {i} Wochen am {list}"),
                    (true, true) => format!("every {list}"),
                    (true, false) => format!("every {i} weeks on {list}"),
                }
            }
            (Freq::Monthly, false) => {
                let which = match self.nth {
                    Some(-1) => Some(format!("letzten {}", day_name(day, false))),
                    Some(n) => Some(format!("{n}. {}", day_name(day, false))),
                    None => None,
                };
                let month_day = self.month_day.unwrap_or(first.day());
                match (which, i <= 1) {
                    (Some(w), true) => format!("jeden {w} im Monat"),
                    (Some(w), false) => format!("alle {i} Monate am {w}"),
                    (None, true) => format!("jeden Monat am {month_day}."),
                    (None, false) => format!("alle {i} Monate am {month_day}."),
                }
            }
            (Freq::Monthly, true) => {
                let which = self.nth.map(|n| {
                    let ordinal = match n {
                        -1 => "last".to_string(),
                        1 => "first".to_string(),
                        2 => "second".to_string(),
                        3 => "third".to_string(),
                        4 => "fourth".to_string(),
                        n => ordinal_en(i64::from(n)),
                    };
                    format!("{ordinal} {}", day_name(day, true))
                });
                let month_day = ordinal_en(i64::from(self.month_day.unwrap_or(first.day())));
                match (which, i <= 1) {
                    (Some(w), true) => format!("every {w} of the month"),
                    (Some(w), false) => format!("every {i} months on the {w}"),
                    (None, true) => format!("monthly on the {month_day}"),
                    (None, false) => format!("every {i} months on the {month_day}"),
                }
            }
        };
        if let Some(u) = self.until {
            if english {
                text.push_str(&format!(" until {} {} {}", u.day(), u.month(), u.year()));
            } else {
                text.push_str(&format!(" bis {}", dates::german(u)));
            }
        }
        match (self.count, english) {
            (Some(1), false) => text.push_str(" (einmal)"),
            (Some(1), true) => text.push_str(" (once)"),
            (Some(c), false) => text.push_str(&format!(" ({c}-mal)")),
            (Some(c), true) => text.push_str(&format!(" ({c} times)")),
            (None, _) => {}
        }
        text
    }

    /// WEEKLY: the weekdays, Monday-first without duplicates; the first date's when none given.
    fn weekdays(&self, first: Date) -> Vec<Weekday> {
        let mut days = if self.by_day.is_empty() {
            vec![first.weekday()]
        } else {
            self.by_day.clone()
        };
        days.sort_by_key(|d| d.number_days_from_monday());
        days.dedup();
        days
    }
}

fn parse_freq(value: &str) -> Result<Freq, RuleError> {
    match value.to_ascii_uppercase().as_str() {
        "DAILY" => Ok(Freq::Daily),
        "WEEKLY" => Ok(Freq::Weekly),
        "MONTHLY" => Ok(Freq::Monthly),
        "YEARLY" | "HOURLY" | "MINUTELY" | "SECONDLY" => Err(UNSUPPORTED),
        _ => Err(INVALID),
    }
}

fn parse_month_day(value: &str) -> Result<u8, RuleError> {
    if value.contains(',') {
        return Err(UNSUPPORTED);
    }
    match value.parse::<i16>().map_err(|_| INVALID)? {
        d @ 1..=31 => u8::try_from(d).map_err(|_| INVALID),
        -31..=-1 => Err(UNSUPPORTED),
        _ => Err(INVALID),
    }
}

/// `20270630`, `20270630T235959` or `20270630T235959Z`: the date part.
fn parse_until(value: &str) -> Option<Date> {
    let (day, clock) = match value.split_once(['T', 't']) {
        Some((day, clock)) => (day, Some(clock)),
        None => (value, None),
    };
    if let Some(clock) = clock {
        let clock = clock.strip_suffix(['Z', 'z']).unwrap_or(clock);
        let ok = clock.len() == 6 && clock.bytes().all(|b| b.is_ascii_digit());
        let hms = (clock.get(..2)?, clock.get(2..4)?, clock.get(4..)?);
        let fits = |s: &str, max: u8| s.parse::<u8>().is_ok_and(|n| n <= max);
        if !ok || !fits(hms.0, 23) || !fits(hms.1, 59) || !fits(hms.2, 60) {
            return None;
        }
    }
    if day.len() != 8 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = day.get(..4)?.parse().ok()?;
    let month = Month::try_from(day.get(4..6)?.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, day.get(6..)?.parse().ok()?).ok()
}

fn parse_by_day(value: &str, freq: Freq) -> Result<(Vec<Weekday>, Option<i8>), RuleError> {
    let mut days = Vec::new();
    let mut ordinals = Vec::new();
    for item in value.split(',').map(str::trim) {
        let split = item.len().checked_sub(2).ok_or(INVALID)?;
        let (prefix, day) = (
            item.get(..split).ok_or(INVALID)?,
            item.get(split..).ok_or(INVALID)?,
        );
        days.push(weekday_of(day).ok_or(INVALID)?);
        if !prefix.is_empty() {
            ordinals.push(prefix.parse::<i8>().map_err(|_| INVALID)?);
        }
    }
    match freq {
        Freq::Daily => Err(UNSUPPORTED),
        Freq::Weekly if ordinals.is_empty() => {
            days.sort_by_key(|d| d.number_days_from_monday());
            days.dedup();
            Ok((days, None))
        }
        // RFC 5545 forbids ordinals with WEEKLY.
        Freq::Weekly => Err(INVALID),
        Freq::Monthly => match (days.len(), ordinals.as_slice()) {
            (1, [n @ (1..=4 | -1)]) => Ok((days, Some(*n))),
            (1, [5 | -5..=-2]) => Err(UNSUPPORTED),
            (1, [_]) => Err(INVALID),
            _ => Err(UNSUPPORTED),
        },
    }
}

/// Each weekday with its RFC 5545 code and its German and English name.
const WEEKDAYS: [(Weekday, &str, &str, &str); 7] = [
    (Weekday::Monday, "MO", "Montag", "Monday"),
    (Weekday::Tuesday, "TU", "Dienstag", "Tuesday"),
    (Weekday::Wednesday, "WE", "Mittwoch", "Wednesday"),
    (Weekday::Thursday, "TH", "Donnerstag", "Thursday"),
    (Weekday::Friday, "FR", "Freitag", "Friday"),
    (Weekday::Saturday, "SA", "Samstag", "Saturday"),
    (Weekday::Sunday, "SU", "Sonntag", "Sunday"),
];

fn weekday_of(code: &str) -> Option<Weekday> {
    let found = WEEKDAYS.iter().find(|w| w.1.eq_ignore_ascii_case(code));
    found.map(|w| w.0)
}

fn names(day: Weekday) -> (&'static str, &'static str, &'static str) {
    let found = WEEKDAYS.iter().find(|w| w.0 == day);
    found.map_or(("", "", ""), |w| (w.1, w.2, w.3))
}

fn code(day: Weekday) -> &'static str {
    names(day).0
}

fn day_name(day: Weekday, english: bool) -> &'static str {
    let (_, german, english_name) = names(day);
    if english { english_name } else { german }
}

/// "Montag", "Montag und Mittwoch", "Montag, Mittwoch und Freitag".
fn join(names: &[&str], english: bool) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => {
            format!(
                "{} {} {last}",
                rest.join(", "),
                if english { "and" } else { "und" }
            )
        }
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, …
fn ordinal_en(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

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
    /// always the first occurrence (RFC 5545, see the module comment). With a rule, dates more
    /// than 20 years after `from` (or after `first`, if later) are not looked for, and an
    /// `until` before `first` leaves none.
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

fn add_days(d: Date, days: i64) -> Option<Date> {
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
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn rule(text: &str) -> Rule {
        Rule::parse(text).unwrap()
    }

    fn day(text: &str) -> Date {
        dates::parse_date(text).unwrap()
    }

    fn schedule(first: &str, text: &str) -> Schedule {
        let rule = Some(rule(text));
        let (starts, ends, except) = (time!(14:00), time!(16:00), Vec::new());
        Schedule {
            first: day(first),
            starts,
            ends,
            rule,
            except,
        }
    }

    /// The dates of `s` between the two dates of `range`, as ISO text separated by spaces.
    fn list(s: &Schedule, range: &str, limit: usize) -> String {
        let (from, to) = range.split_once(' ').unwrap();
        let found = s.dates(day(from), day(to), limit);
        found
            .into_iter()
            .map(dates::iso)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn parses_rules() {
        let r = rule("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,TU;UNTIL=20270630");
        let by_day = vec![Weekday::Tuesday, Weekday::Thursday];
        let until = Some(date!(2027 - 06 - 30));
        let expected = Rule {
            freq: Freq::Weekly,
            interval: 2,
            by_day,
            nth: None,
            month_day: None,
            until,
            count: None,
        };
        assert_eq!(r, expected);
        assert_eq!(
            r.to_rrule(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630"
        );
        // Any order and case, WKST ignored, the time of UNTIL dropped, empty parts skipped.
        let same =
            " rrule:until=20270630T235959Z; byday=tu,th,tu ;wkst=SU;Interval=2;freq=weekly; ";
        assert_eq!(rule(same), r);
        let monthly = rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=10");
        assert_eq!(
            (monthly.nth, monthly.by_day.as_slice()),
            (Some(-1), [Weekday::Friday].as_slice())
        );
        assert_eq!(monthly.to_rrule(), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=10");
        for (text, canonical) in [
            ("FREQ=MONTHLY;BYDAY=+1TU", "FREQ=MONTHLY;BYDAY=1TU"),
            ("FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15"),
            ("FREQ=MONTHLY", "FREQ=MONTHLY"),
            ("FREQ=DAILY;INTERVAL=1", "FREQ=DAILY"),
            (
                "COUNT=7;FREQ=DAILY;INTERVAL=12",
                "FREQ=DAILY;INTERVAL=12;COUNT=7",
            ),
            (
                "FREQ=DAILY;UNTIL=20270630T120000",
                "FREQ=DAILY;UNTIL=20270630",
            ),
        ] {
            assert_eq!(rule(text).to_rrule(), canonical);
        }
    }

    #[test]
    fn refuses_bad_and_unsupported_rules() {
        let cases = [
            ("", "invalid"),
            ("RRULE:", "invalid"),
            ("INTERVAL=2", "invalid"),
            ("FREQ=WEEKLY;FREQ=WEEKLY", "invalid"),
            ("FREQ=WEEKLY;BYDAY=TU;byday=TH", "invalid"),
            ("FREQ=WEEKLY;COLOUR=RED", "invalid"),
            ("FREQ=WEEKLY;BYDAY", "invalid"),
            ("FREQ=FORTNIGHTLY", "invalid"),
            ("FREQ=WEEKLY;BYDAY=XX", "invalid"),
            ("FREQ=WEEKLY;BYDAY=TU,", "invalid"),
            ("FREQ=WEEKLY;BYDAY=Dienstag", "invalid"),
            ("FREQ=WEEKLY;BYDAY=1TU", "invalid"),
            ("FREQ=WEEKLY;WKST=XY", "invalid"),
            ("FREQ=MONTHLY;BYDAY=0TU", "invalid"),
            ("FREQ=MONTHLY;BYDAY=6TU", "invalid"),
            ("FREQ=MONTHLY;BYMONTHDAY=0", "invalid"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "invalid"),
            ("FREQ=MONTHLY;BYMONTHDAY=x", "invalid"),
            ("FREQ=DAILY;UNTIL=2027-06-30", "invalid"),
            ("FREQ=DAILY;UNTIL=20270230", "invalid"),
            ("FREQ=DAILY;UNTIL=20270630T25", "invalid"),
            ("FREQ=DAILY;UNTIL=20270630T250000Z", "invalid"),
            ("FREQ=YEARLY", "unsupported"),
            ("FREQ=HOURLY", "unsupported"),
            ("FREQ=MINUTELY", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=1TU;BYSETPOS=1", "unsupported"),
            ("FREQ=WEEKLY;BYMONTH=3", "unsupported"),
            ("FREQ=DAILY;BYDAY=MO", "unsupported"),
            ("FREQ=DAILY;BYMONTHDAY=3", "unsupported"),
            ("FREQ=WEEKLY;BYMONTHDAY=3", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=TU", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=1TU,3TU", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=5TU", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=-2TU", "unsupported"),
            ("FREQ=MONTHLY;BYDAY=1TU;BYMONTHDAY=3", "unsupported"),
            ("FREQ=MONTHLY;BYMONTHDAY=-1", "unsupported"),
            ("FREQ=MONTHLY;BYMONTHDAY=1,15", "unsupported"),
            ("FREQ=DAILY;COUNT=3;UNTIL=20270630", "count-and-until"),
            ("FREQ=DAILY;INTERVAL=0", "interval"),
            ("FREQ=DAILY;INTERVAL=13", "interval"),
            ("FREQ=DAILY;INTERVAL=-1", "interval"),
            ("FREQ=DAILY;INTERVAL=zwei", "interval"),
            ("FREQ=DAILY;COUNT=0", "count"),
            ("FREQ=DAILY;COUNT=501", "count"),
            ("FREQ=DAILY;COUNT=99999", "count"),
        ];
        for (text, key) in cases {
            let found = Rule::parse(text).map_err(|e| e.key);
            assert_eq!(found, Err(format!("offers-rule-{key}").as_str()), "{text}");
        }
        assert_eq!(INVALID.to_string(), "offers-rule-invalid");
    }

    /// A small deterministic random source for the property tests.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn day(&mut self, around: Date, spread: u64) -> Date {
            add_days(around, self.below(spread) as i64).unwrap()
        }
    }

    fn weekday_set(mask: u64) -> Vec<Weekday> {
        let all = WEEKDAYS.iter().enumerate();
        all.filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, w)| w.0)
            .collect()
    }

    fn random_rule(r: &mut Random, first: Date) -> Rule {
        let (freq, by_day, nth, month_day) = match r.below(4) {
            0 => (Freq::Daily, vec![], None, None),
            1 => (Freq::Weekly, weekday_set(r.below(128)), None, None),
            2 => {
                let nth = [1, 2, 3, 4, -1][r.below(5) as usize];
                (Freq::Monthly, weekday_set(1 << r.below(7)), Some(nth), None)
            }
            _ => {
                let day = (r.below(3) > 0).then(|| r.below(31) as u8 + 1);
                (Freq::Monthly, vec![], None, day)
            }
        };
        let (until, count) = match r.below(3) {
            0 => (None, None),
            1 => (Some(r.day(first, 900)), None),
            _ => (None, Some(r.below(40) as u16 + 1)),
        };
        let interval = if r.below(2) == 0 {
            1
        } else {
            r.below(12) as u8 + 1
        };
        Rule {
            freq,
            interval,
            by_day,
            nth,
            month_day,
            until,
            count,
        }
    }

    #[test]
    fn rules_survive_a_round_trip() {
        let mut r = Random(0x5eed);
        for _ in 0..5000 {
            let first = r.day(date!(2024 - 01 - 01), 2000);
            let rule = random_rule(&mut r, first);
            let text = rule.to_rrule();
            assert_eq!(Rule::parse(&text), Ok(rule.clone()), "{text}");
            assert_eq!(
                Rule::parse(&format!("RRULE:{}", text.to_lowercase())),
                Ok(rule)
            );
        }
        for mask in 0..128 {
            for interval in 1..=MAX_INTERVAL {
                let by_day = weekday_set(mask);
                let count = Some(MAX_COUNT);
                let (nth, month_day, until) = (None, None, None);
                let rule = Rule {
                    freq: Freq::Weekly,
                    interval,
                    by_day,
                    nth,
                    month_day,
                    until,
                    count,
                };
                assert_eq!(Rule::parse(&rule.to_rrule()), Ok(rule));
            }
        }
    }

    /// Whether `d` (on or after `first`) matches the rule, computed without cleverness.
    fn matches(rule: &Rule, first: Date, d: Date) -> bool {
        let step = i64::from(rule.interval);
        let monday = |x: Date| julian(x) - i64::from(x.weekday().number_days_from_monday());
        match rule.freq {
            Freq::Daily => (julian(d) - julian(first)) % step == 0,
            Freq::Weekly => {
                let days = if rule.by_day.is_empty() {
                    vec![first.weekday()]
                } else {
                    rule.by_day.clone()
                };
                days.contains(&d.weekday()) && ((monday(d) - monday(first)) / 7) % step == 0
            }
            Freq::Monthly => {
                let months = (month_index(d) - month_index(first)) % step == 0;
                let last = d.day() + 7 > d.month().length(d.year());
                let day_fits = match rule.nth {
                    Some(-1) => d.weekday() == rule.by_day[0] && last,
                    Some(n) => d.weekday() == rule.by_day[0] && (d.day() - 1) / 7 + 1 == n as u8,
                    None => d.day() == rule.month_day.unwrap_or(first.day()),
                };
                months && day_fits
            }
        }
    }

    /// The dates of a schedule found by walking day by day from the first date.
    fn walk(s: &Schedule, from: Date, to: Date, limit: usize) -> Vec<Date> {
        let rule = s.rule.as_ref().unwrap();
        let end = rule.until.map_or(to, |u| to.min(u));
        let (mut out, mut counted, mut d) = (Vec::new(), 0, s.first);
        while d <= end && out.len() < limit {
            if d == s.first || matches(rule, s.first, d) {
                if rule.count.is_some_and(|c| counted >= c) {
                    break;
                }
                counted += 1;
                if d >= from && !s.except.contains(&d) {
                    out.push(d);
                }
            }
            d = d.next_day().unwrap();
        }
        out
    }

    #[test]
    fn dates_agree_with_walking_day_by_day() {
        let mut r = Random(0xdecaf);
        for _ in 0..2000 {
            let first = r.day(date!(2024 - 01 - 01), 2000);
            let rule = Some(random_rule(&mut r, first));
            let from = add_days(first, r.below(1600) as i64 - 100).unwrap();
            let to = r.day(from, 900);
            let limit = r.below(60) as usize + 1;
            let except = (0..r.below(4)).map(|_| r.day(from, 200)).collect();
            let (starts, ends) = (time!(9:00), time!(10:00));
            let s = Schedule {
                first,
                starts,
                ends,
                rule,
                except,
            };
            let expected = walk(&s, from, to, limit);
            assert_eq!(
                s.dates(from, to, limit),
                expected,
                "{s:?} {from} {to} {limit}"
            );
        }
    }

    #[test]
    fn weekly_dates() {
        let s = schedule("2026-03-03", "FREQ=WEEKLY;BYDAY=TU");
        let march = "2026-03-01 2026-03-24";
        assert_eq!(
            list(&s, march, 9),
            "2026-03-03 2026-03-10 2026-03-17 2026-03-24"
        );
        assert_eq!(
            list(&s, "2026-03-04 2026-12-31", 2),
            "2026-03-10 2026-03-17"
        );
        assert_eq!(list(&s, "2026-03-04 2026-03-09", 9), "");
        assert_eq!(list(&s, "2026-03-10 2026-03-01", 9), "");
        assert_eq!(list(&s, march, 0), "");
        // Every other week on Tuesday and Thursday, weeks counted from the first one.
        let s = schedule("2026-03-05", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH");
        let found = list(&s, "2026-03-01 2026-03-31", 9);
        assert_eq!(found, "2026-03-05 2026-03-17 2026-03-19 2026-03-31");
        // Without BYDAY the weekday of the first date.
        let s = schedule("2026-03-06", "FREQ=WEEKLY");
        assert_eq!(
            list(&s, "2026-03-07 2026-03-20", 9),
            "2026-03-13 2026-03-20"
        );
    }

    #[test]
    fn the_first_date_always_counts_as_rfc_5545_says() {
        // A Sunday start of an "every Tuesday" rule: the Sunday occurs and is counted.
        let s = schedule("2026-03-01", "FREQ=WEEKLY;BYDAY=TU;COUNT=3");
        assert_eq!(
            list(&s, "2026-01-01 2026-12-31", 9),
            "2026-03-01 2026-03-03 2026-03-10"
        );
        let s = schedule("2026-03-02", "FREQ=MONTHLY;BYDAY=1TU;COUNT=2");
        assert_eq!(
            list(&s, "2026-01-01 2026-12-31", 9),
            "2026-03-02 2026-03-03"
        );
    }

    #[test]
    fn count_includes_exceptions_and_until_is_inclusive() {
        let mut s = schedule("2026-03-03", "FREQ=WEEKLY;COUNT=4");
        s.except = vec![day("2026-03-10"), day("2026-03-03"), day("2026-03-10")];
        assert_eq!(
            list(&s, "2026-01-01 2027-12-31", 9),
            "2026-03-17 2026-03-24"
        );
        // Counted from the first date even when `from` is years later: 250 weeks of two dates.
        let s = schedule("2016-03-01", "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=500");
        let late = list(&s, "2020-12-01 2030-12-31", 999);
        assert_eq!(late, "2020-12-01 2020-12-04 2020-12-08 2020-12-11");
        assert_eq!(
            s.dates(day("2016-01-01"), day("2030-12-31"), 999).len(),
            500
        );
        let s = schedule("2026-03-03", "FREQ=WEEKLY;UNTIL=20260317");
        assert_eq!(
            list(&s, "2026-01-01 2027-12-31", 9),
            "2026-03-03 2026-03-10 2026-03-17"
        );
    }

    #[test]
    fn monthly_and_daily_dates() {
        let first_half = "2026-01-01 2026-07-31";
        let s = schedule("2026-01-06", "FREQ=MONTHLY;BYDAY=1TU");
        let found = list(&s, "2026-01-01 2026-04-30", 9);
        assert_eq!(found, "2026-01-06 2026-02-03 2026-03-03 2026-04-07");
        let s = schedule("2026-01-30", "FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2");
        assert_eq!(
            list(&s, first_half, 9),
            "2026-01-30 2026-03-27 2026-05-29 2026-07-31"
        );
        // The 31st: months without it are skipped; also without BYMONTHDAY from the first date.
        for text in ["FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY"] {
            let s = schedule("2026-01-31", text);
            assert_eq!(
                list(&s, first_half, 9),
                "2026-01-31 2026-03-31 2026-05-31 2026-07-31"
            );
        }
        let s = schedule("2026-12-30", "FREQ=DAILY;INTERVAL=3");
        assert_eq!(
            list(&s, "2027-01-01 2027-01-10", 9),
            "2027-01-02 2027-01-05 2027-01-08"
        );
    }

    #[test]
    fn without_a_rule_just_the_first_date() {
        let mut s = schedule("2026-05-01", "FREQ=DAILY");
        s.rule = None;
        assert_eq!(list(&s, "2026-05-01 2026-05-01", 5), "2026-05-01");
        assert_eq!(list(&s, "2026-05-02 2026-06-01", 5), "");
        s.except = vec![day("2026-05-01")];
        assert_eq!(list(&s, "2026-01-01 2026-12-31", 5), "");
    }

    #[test]
    fn jumps_ahead_instead_of_walking_from_the_first_date() {
        let cases = [
            ("FREQ=WEEKLY;BYDAY=MO,WE,FR", 170),
            ("FREQ=WEEKLY;BYDAY=TU;COUNT=500", 60),
            ("FREQ=DAILY", 370),
            ("FREQ=DAILY;COUNT=500", 370),
            ("FREQ=MONTHLY;BYDAY=2WE", 15),
            ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=500", 501),
        ];
        let (first, from, end) = (
            date!(1950 - 01 - 02),
            date!(2026 - 01 - 01),
            date!(2026 - 12 - 31),
        );
        for (text, most) in cases {
            let mut calls = 0;
            each_occurrence(&rule(text), first, from, end, &mut |_| {
                calls += 1;
                true
            });
            assert!(calls <= most, "{text}: {calls}");
        }
    }

    #[test]
    fn never_loops_forever() {
        // No February has a 31st or a 30th: only the first date, whatever the window.
        for text in [
            "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31",
            "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30;COUNT=500",
        ] {
            let s = schedule("2026-02-01", text);
            assert_eq!(
                s.dates(day("2026-01-01"), Date::MAX, usize::MAX),
                [day("2026-02-01")]
            );
        }
        let s = schedule("2026-01-01", "FREQ=DAILY");
        let all = s.dates(day("2026-01-01"), Date::MAX, usize::MAX);
        assert!(all.len() > 7300 && all.len() < 7400, "{}", all.len());
        let mut s = schedule("2026-01-01", "FREQ=WEEKLY;BYDAY=MO,TH");
        s.first = Date::MIN;
        assert_eq!(
            s.dates(day("2026-01-01"), Date::MAX, 1),
            [day("2026-01-01")]
        );
        // The scan reaches 20 years past the first date when `from` is long before it.
        s.first = Date::MAX;
        assert_eq!(s.dates(Date::MIN, Date::MAX, 9), [Date::MAX]);
    }

    #[test]
    fn occurrences_follow_summer_and_winter_time() {
        let s = schedule("2026-03-17", "FREQ=WEEKLY");
        assert_eq!(
            s.occurrences(day("2026-03-17"), day("2026-03-31"), 10),
            [
                (
                    datetime!(2026-03-17 13:00 UTC),
                    datetime!(2026-03-17 15:00 UTC)
                ),
                (
                    datetime!(2026-03-24 13:00 UTC),
                    datetime!(2026-03-24 15:00 UTC)
                ),
                (
                    datetime!(2026-03-31 12:00 UTC),
                    datetime!(2026-03-31 14:00 UTC)
                ),
            ]
        );
        let autumn = s.occurrences(day("2026-10-20"), day("2026-10-27"), 10);
        assert_eq!(autumn[0].0, datetime!(2026-10-20 12:00 UTC));
        assert_eq!(autumn[1].0, datetime!(2026-10-27 13:00 UTC));
        // On the nights the clocks change, and at the end of the calendar.
        let spring = local_instant(day("2026-03-29"), time!(3:30));
        assert_eq!(spring, Some(datetime!(2026-03-29 01:30 UTC)));
        let autumn = local_instant(day("2026-10-25"), time!(3:30));
        assert_eq!(autumn, Some(datetime!(2026-10-25 02:30 UTC)));
        // 02:30 does not exist in spring (read as summer time) and happens twice in autumn (read
        // as winter time).
        let gap = local_instant(day("2026-03-29"), time!(2:30));
        assert_eq!(gap, Some(datetime!(2026-03-29 00:30 UTC)));
        let twice = local_instant(day("2026-10-25"), time!(2:30));
        assert_eq!(twice, Some(datetime!(2026-10-25 01:30 UTC)));
        assert_eq!(local_instant(Date::MIN, time!(0:30)), None);
    }

    #[test]
    fn checks_schedules() {
        let mut s = schedule("2026-03-03", "FREQ=WEEKLY;UNTIL=20260302");
        s.ends = time!(14:00);
        let problems = vec![
            ("ends", "offers-ends-before-starts"),
            ("until", "offers-until-before-first"),
        ];
        assert_eq!(s.check(), Err(problems));
        assert_eq!(list(&s, "2026-01-01 2026-12-31", 9), "");
        let mut s = schedule("2026-03-03", "FREQ=WEEKLY;UNTIL=20260303");
        assert_eq!(s.check(), Ok(()));
        s.rule = s.rule.map(|r| Rule { interval: 0, ..r });
        assert_eq!(s.check(), Err(vec![("rule", "offers-rule-interval")]));
        s.rule = None;
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn describes_rules() {
        let cases = [
            ("FREQ=WEEKLY", "jeden Dienstag", "every Tuesday"),
            (
                "FREQ=WEEKLY;BYDAY=TH,TU",
                "jeden Dienstag und Donnerstag",
                "every Tuesday and Thursday",
            ),
            (
                "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                "jeden Montag, Mittwoch und Freitag",
                "every Monday, Wednesday and Friday",
            ),
            (
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
                "alle 2 Wochen am Montag",
                "every 2 weeks on Monday",
            ),
            (
                "FREQ=MONTHLY;BYDAY=1TU",
                "jeden 1. Dienstag im Monat",
                "every first Tuesday of the month",
            ),
            (
                "FREQ=MONTHLY;BYDAY=-1FR",
                "jeden letzten Freitag im Monat",
                "every last Friday of the month",
            ),
            (
                "FREQ=MONTHLY;BYDAY=3WE;INTERVAL=2",
                "alle 2 Monate am 3. Mittwoch",
                "every 2 months on the third Wednesday",
            ),
            (
                "FREQ=MONTHLY;BYMONTHDAY=15",
                "jeden Monat am 15.",
                "monthly on the 15th",
            ),
            ("FREQ=MONTHLY", "jeden Monat am 3.", "monthly on the 3rd"),
            (
                "FREQ=MONTHLY;BYMONTHDAY=22;INTERVAL=3",
                "alle 3 Monate am 22.",
                "every 3 months on the 22nd",
            ),
            ("FREQ=DAILY", "täglich", "daily"),
            ("FREQ=DAILY;INTERVAL=3", "alle 3 Tage", "every 3 days"),
            (
                "FREQ=WEEKLY;UNTIL=20270630",
                "jeden Dienstag bis 30.06.2027",
                "every Tuesday until 30 June 2027",
            ),
            (
                "FREQ=WEEKLY;COUNT=10",
                "jeden Dienstag (10-mal)",
                "every Tuesday (10 times)",
            ),
            ("FREQ=DAILY;COUNT=1", "täglich (einmal)", "daily (once)"),
        ];
        for (text, german, english) in cases {
            assert_eq!(
                rule(text).describe(day("2026-03-03"), false),
                german,
                "{text}"
            );
            assert_eq!(
                rule(text).describe(day("2026-03-03"), true),
                english,
                "{text}"
            );
        }
        let ordinals = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31, 111]
            .map(ordinal_en)
            .join(" ");
        assert_eq!(
            ordinals,
            "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 23rd 31st 111th"
        );
    }

    #[test]
    fn parses_exceptions() {
        let found = parse_exceptions("24.12.2026, 2026-12-31;\n 24.12.2026\t01.01.2027;;");
        assert_eq!(
            found,
            Ok(vec![
                day("2026-12-24"),
                day("2026-12-31"),
                day("2027-01-01")
            ])
        );
        assert_eq!(parse_exceptions("  \n"), Ok(vec![]));
        assert_eq!(
            parse_exceptions("24.12.2026, Heiligabend"),
            Err("Heiligabend".to_string())
        );
        assert_eq!(
            parse_exceptions("2026-02-30"),
            Err("2026-02-30".to_string())
        );
        let many: Vec<String> = (0..201)
            .map(|i| dates::iso(add_days(day("2026-01-01"), i).unwrap()))
            .collect();
        let two_hundred = many[..200].join(" ");
        assert_eq!(parse_exceptions(&two_hundred).map(|d| d.len()), Ok(200));
        let repeated = format!("{two_hundred} {}", many[0]);
        assert_eq!(parse_exceptions(&repeated).map(|d| d.len()), Ok(200));
        assert_eq!(
            parse_exceptions(&many.join(",")),
            Err("2026-07-20".to_string())
        );
    }

    #[test]
    fn parses_clock_times() {
        assert_eq!(parse_clock("14:00"), Some(time!(14:00)));
        assert_eq!(parse_clock(" 9:30 "), Some(time!(9:30)));
        assert_eq!(parse_clock("14.00"), Some(time!(14:00)));
        assert_eq!(parse_clock("00:00"), Some(time!(0:00)));
        assert_eq!(parse_clock("23:59"), Some(time!(23:59)));
        let bad = [
            "", "14", "24:00", "14:60", "14:5", "014:00", "14:00:00", "14 Uhr", "-1:00", "+9:30",
            "a:bc",
        ];
        for text in bad {
            assert_eq!(parse_clock(text), None, "{text}");
        }
    }
}
