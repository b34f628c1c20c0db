//! Dates as cities write them: ISO `2025-12-31` and German `31.12.2025`.

use time::{Date, Month};

pub fn parse_date(value: &str) -> Result<Date, String> {
    let v = value.trim();
    let (y, m, d) = if let Some((d, rest)) = v.split_once('.') {
        let (m, y) = rest.split_once('.').ok_or_else(|| bad(v))?;
        (y, m, d)
    } else {
        let mut it = v.splitn(3, '-');
        match (it.next(), it.next(), it.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad(v)),
        }
    };
    let y: i32 = y.trim().parse().map_err(|_| bad(v))?;
    let m: u8 = m.trim().parse().map_err(|_| bad(v))?;
    let d: u8 = d.trim().parse().map_err(|_| bad(v))?;
    if !(1900..=2200).contains(&y) {
        return Err(format!("year {y} is out of range in {v:?}"));
    }
    let month = Month::try_from(m).map_err(|_| format!("no month {m} in {v:?}"))?;
    Date::from_calendar_date(y, month, d).map_err(|_| format!("{v:?} is not a calendar date"))
}

fn bad(v: &str) -> String {
    format!("{v:?} is not a date (use 31.12.2025 or 2025-12-31)")
}

/// ISO text of a date, as exports write it.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// German text of a date (31.12.2025), as pages show it.
pub fn german(date: Date) -> String {
    format!(
        "{:02}.{:02}.{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_iso_and_german_dates() {
        assert_eq!(parse_date("2025-12-31"), Ok(date!(2025 - 12 - 31)));
        assert_eq!(parse_date("31.12.2025"), Ok(date!(2025 - 12 - 31)));
        assert_eq!(parse_date("1.2.2024"), Ok(date!(2024 - 02 - 01)));
    }

    #[test]
    fn rejects_impossible_dates_with_reason() {
        assert!(
            parse_date("31.02.2025")
                .unwrap_err()
                .contains("not a calendar date")
        );
        assert!(parse_date("2025/12/31").unwrap_err().contains("not a date"));
        assert!(parse_date("13.13.2025").unwrap_err().contains("month"));
        assert!(parse_date("").is_err());
    }

    #[test]
    fn formats_both_ways() {
        assert_eq!(iso(date!(2025 - 01 - 05)), "2025-01-05");
        assert_eq!(german(date!(2025 - 01 - 05)), "05.01.2025");
    }
}
