use super::*;
use crate::offers::recurrence::test_support::{Random, day, random_rule, rule};
use time::macros::{date, datetime, time};

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
