use super::*;
use crate::offers::recurrence::test_support::{Random, day, random_rule, rule, weekday_set};
use time::macros::date;

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
    let same = " rrule:until=20270630T235959Z; byday=tu,th,tu ;wkst=SU;Interval=2;freq=weekly; ";
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
