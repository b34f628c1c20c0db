//! A recurrence rule: reading it (`RRULE` text), checking it, writing it back and describing it
//! in German or English.

use std::fmt;

use time::{Date, Month, Weekday};

use crate::dates;

/// The largest `INTERVAL`.
pub const MAX_INTERVAL: u8 = 12;
/// The largest `COUNT`.
pub const MAX_COUNT: u16 = 500;

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
    pub(super) fn weekdays(&self, first: Date) -> Vec<Weekday> {
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
pub(super) const WEEKDAYS: [(Weekday, &str, &str, &str); 7] = [
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

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
