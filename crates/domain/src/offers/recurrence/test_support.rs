//! Helpers shared by the tests of `rule` and `schedule`.

use time::{Date, Weekday};

use super::rule::WEEKDAYS;
use super::schedule::add_days;
use super::{Freq, Rule};
use crate::dates;

pub(super) fn rule(text: &str) -> Rule {
    Rule::parse(text).unwrap()
}

pub(super) fn day(text: &str) -> Date {
    dates::parse_date(text).unwrap()
}

/// A small deterministic random source for the property tests.
pub(super) struct Random(pub(super) u64);

impl Random {
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    pub(super) fn day(&mut self, around: Date, spread: u64) -> Date {
        add_days(around, self.below(spread) as i64).unwrap()
    }
}

pub(super) fn weekday_set(mask: u64) -> Vec<Weekday> {
    let all = WEEKDAYS.iter().enumerate();
    all.filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, w)| w.0)
        .collect()
}

pub(super) fn random_rule(r: &mut Random, first: Date) -> Rule {
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
