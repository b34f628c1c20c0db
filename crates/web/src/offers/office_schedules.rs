//! The rows of dates of the offer form: a first date, the times, a repetition chosen from a
//! list (or a rule of one's own, RFC 5545), an end date and dates left out; read from the form
//! (`s{n}-first`, …) and shown again from stored schedules.

use crate::i18n::Tr;
use domain::offers::recurrence::{Freq, Rule, Schedule, parse_clock, parse_exceptions};
use time::Date;

/// Empty rows the form offers for new dates.
pub(crate) const ROWS_EMPTY: usize = 2;

/// The repetitions the form offers.
pub(crate) const REPEATS: [&str; 7] = [
    "once",
    "weekly",
    "biweekly",
    "monthly_nth",
    "monthly_last",
    "daily",
    "custom",
];

/// One row as typed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ScheduleRow {
    pub index: usize,
    pub first: String,
    pub starts: String,
    pub ends: String,
    pub repeat: String,
    pub until: String,
    pub except: String,
    pub rule: String,
}

impl ScheduleRow {
    /// Nothing typed: the row is left out.
    pub fn is_empty(&self) -> bool {
        [
            &self.first,
            &self.starts,
            &self.ends,
            &self.until,
            &self.except,
            &self.rule,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// The row's number as people count (from 1).
    pub fn number(&self) -> i64 {
        self.index as i64 + 1
    }

    /// The id of a field of this row (`s0-first`).
    pub fn id(&self, field: &str) -> String {
        format!("s{}-{field}", self.index)
    }
}

/// The rows of the posted pairs, in the order of their numbers.
pub(crate) fn read_rows(pairs: &[(String, String)]) -> Vec<ScheduleRow> {
    let mut rows: Vec<ScheduleRow> = Vec::new();
    for (k, v) in pairs {
        let Some((n, field)) = k.strip_prefix('s').and_then(|r| r.split_once('-')) else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else { continue };
        if n >= domain::offers::SCHEDULES_MAX {
            continue;
        }
        while rows.len() <= n {
            let index = rows.len();
            rows.push(ScheduleRow {
                index,
                ..ScheduleRow::default()
            });
        }
        let r = &mut rows[n];
        let v = v.clone();
        match field {
            "first" => r.first = v,
            "starts" => r.starts = v,
            "ends" => r.ends = v,
            "repeat" => r.repeat = v,
            "until" => r.until = v,
            "except" => r.except = v,
            "rule" => r.rule = v,
            _ => {}
        }
    }
    rows
}

/// The repetition a stored rule is, as the form offers it (`custom` with the rule's text when
/// none fits), and its end date.
fn repeat_of(first: Date, rule: &Rule) -> (&'static str, String, String) {
    let same_day = rule.by_day.is_empty() || rule.by_day == [first.weekday()];
    let until = rule.until.map(domain::dates::iso).unwrap_or_default();
    let simple = rule.count.is_none() && rule.month_day.is_none() && same_day;
    let choice = match (rule.freq, rule.interval, rule.nth) {
        (Freq::Weekly, 1, None) if simple => "weekly",
        (Freq::Weekly, 2, None) if simple => "biweekly",
        (Freq::Daily, 1, None) if rule.count.is_none() => "daily",
        (Freq::Monthly, 1, Some(-1)) if simple && !rule.by_day.is_empty() => "monthly_last",
        (Freq::Monthly, 1, Some(n))
            if simple && !rule.by_day.is_empty() && i64::from(n) == nth_of(first) =>
        {
            "monthly_nth"
        }
        _ => "custom",
    };
    if choice == "custom" {
        (choice, String::new(), rule.to_rrule())
    } else {
        (choice, until, String::new())
    }
}

/// Which weekday of its month a date is (1 to 5).
fn nth_of(d: Date) -> i64 {
    i64::from((d.day() - 1) / 7 + 1)
}

/// The rows of stored schedules.
pub(crate) fn rows_of(schedules: &[Schedule]) -> Vec<ScheduleRow> {
    schedules
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let (repeat, until, rule) = match &s.rule {
                None => ("once", String::new(), String::new()),
                Some(r) => repeat_of(s.first, r),
            };
            ScheduleRow {
                index,
                first: domain::dates::iso(s.first),
                starts: super::hm(s.starts),
                ends: super::hm(s.ends),
                repeat: repeat.into(),
                until,
                except: s
                    .except
                    .iter()
                    .map(|d| domain::dates::german(*d))
                    .collect::<Vec<_>>()
                    .join(", "),
                rule,
            }
        })
        .collect()
}

/// The schedules of the rows (empty rows left out), or every problem at its row's field.
pub(crate) fn schedules(
    t: &Tr,
    rows: &[ScheduleRow],
) -> Result<Vec<Schedule>, Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    for r in rows.iter().filter(|r| !r.is_empty()) {
        let n = r.index + 1;
        let bad = |key: &str| t.args(key, &[("row", crate::i18n::Arg::Num(n as i64))]);
        let first = domain::dates::parse_date(r.first.trim()).ok();
        let starts = parse_clock(&r.starts);
        let ends = parse_clock(&r.ends);
        if first.is_none() {
            errors.push(("schedules", bad("offers-office-row-date-bad")));
        }
        if starts.is_none() || ends.is_none() {
            errors.push(("schedules", bad("offers-office-row-time-bad")));
        }
        let until = match r.until.trim() {
            "" => None,
            v => match domain::dates::parse_date(v) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(("schedules", bad("offers-office-row-until-bad")));
                    None
                }
            },
        };
        let except = match parse_exceptions(&r.except) {
            Ok(v) => v,
            Err(_) => {
                errors.push(("schedules", bad("offers-office-row-except-bad")));
                Vec::new()
            }
        };
        let (Some(first), Some(starts), Some(ends)) = (first, starts, ends) else {
            continue;
        };
        let day = first.weekday();
        let base = Rule {
            freq: Freq::Weekly,
            interval: 1,
            by_day: vec![day],
            nth: None,
            month_day: None,
            until,
            count: None,
        };
        let rule = match r.repeat.as_str() {
            "once" | "" => None,
            "weekly" => Some(base),
            "biweekly" => Some(Rule {
                interval: 2,
                ..base
            }),
            "monthly_nth" => {
                let n = nth_of(first);
                Some(Rule {
                    freq: Freq::Monthly,
                    nth: Some(if n == 5 { -1 } else { n as i8 }),
                    ..base
                })
            }
            "monthly_last" => Some(Rule {
                freq: Freq::Monthly,
                nth: Some(-1),
                ..base
            }),
            "daily" => Some(Rule {
                freq: Freq::Daily,
                by_day: Vec::new(),
                ..base
            }),
            "custom" => match Rule::parse(&r.rule) {
                Ok(rule) => Some(rule),
                Err(e) => {
                    errors.push((
                        "schedules",
                        t.args(e.key, &[("row", crate::i18n::Arg::Num(n as i64))]),
                    ));
                    continue;
                }
            },
            _ => {
                errors.push(("schedules", bad("offers-office-row-repeat-bad")));
                continue;
            }
        };
        let s = Schedule {
            first,
            starts,
            ends,
            rule,
            except,
        };
        match s.check() {
            Ok(()) => out.push(s),
            Err(problems) => {
                for (_, key) in problems {
                    errors.push((
                        "schedules",
                        t.args(key, &[("row", crate::i18n::Arg::Num(n as i64))]),
                    ));
                }
            }
        }
    }
    if out.len() > domain::offers::SCHEDULES_MAX {
        errors.push(("schedules", t.get("offers-office-too-many-rows")));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn row(first: &str, repeat: &str) -> ScheduleRow {
        ScheduleRow {
            index: 0,
            first: first.into(),
            starts: "14:00".into(),
            ends: "16:00".into(),
            repeat: repeat.into(),
            ..ScheduleRow::default()
        }
    }

    #[test]
    fn each_repetition_round_trips_through_the_form() {
        let t = Tr::new(Lang::De);
        for (first, repeat) in [
            ("2026-12-08", "once"),
            ("2026-12-08", "weekly"),
            ("2026-12-08", "biweekly"),
            ("2026-12-08", "monthly_nth"),
            ("2026-12-29", "monthly_last"),
            ("2026-12-08", "daily"),
        ] {
            let s =
                schedules(&t, &[row(first, repeat)]).unwrap_or_else(|e| panic!("{repeat}: {e:?}"));
            let back = rows_of(&s);
            assert_eq!(back[0].repeat, repeat, "{first} {repeat}");
            assert_eq!(schedules(&t, &back).ok(), Some(s));
        }
        // The second Tuesday: monthly on the second Tuesday.
        let s = schedules(&t, &[row("2026-12-08", "monthly_nth")]).unwrap_or_default();
        assert_eq!(
            s[0].rule.as_ref().map(Rule::to_rrule).as_deref(),
            Some("FREQ=MONTHLY;BYDAY=2TU")
        );
        // A rule of one's own stays one.
        let mut own = row("2026-12-08", "custom");
        own.rule = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10".into();
        let s = schedules(&t, &[own]).unwrap_or_default();
        assert_eq!(rows_of(&s)[0].rule, "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10");
    }

    #[test]
    fn bad_rows_are_named_by_their_number_and_empty_rows_are_left_out() {
        let t = Tr::new(Lang::De);
        let mut bad = row("31.02.2026", "weekly");
        bad.index = 1;
        let mut late = row("2026-12-08", "weekly");
        late.index = 2;
        late.ends = "13:00".into();
        let empty = ScheduleRow {
            index: 0,
            repeat: "weekly".into(),
            ..ScheduleRow::default()
        };
        let errors = schedules(&t, &[empty.clone(), bad, late])
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].1.contains("Zeile 2") && errors[1].1.contains("Zeile 3"),
            "{errors:?}"
        );
        assert_eq!(schedules(&t, &[empty]), Ok(Vec::new()));
        let pairs: Vec<(String, String)> = [
            ("s1-first", "2026-12-08"),
            ("s0-starts", "10:00"),
            ("s99-first", "x"),
            ("title", "y"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let rows = read_rows(&pairs);
        assert_eq!(
            (rows.len(), rows[1].first.as_str(), rows[0].starts.as_str()),
            (2, "2026-12-08", "10:00")
        );
    }
}
