//! Follows and notifications: what a person follows, what they are told about, how (in the
//! list only, in the daily digest, by mail at once) and when the daily digest goes out.

use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

/// What a person can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowKind {
    Measure,
    /// A field of action (Handlungsfeld): progress reports of all its measures.
    Field,
    Idea,
}

impl FollowKind {
    pub const ALL: [FollowKind; 3] = [FollowKind::Measure, FollowKind::Field, FollowKind::Idea];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowKind::Measure => "measure",
            FollowKind::Field => "field",
            FollowKind::Idea => "idea",
        }
    }

    pub fn parse(v: &str) -> Option<FollowKind> {
        FollowKind::ALL.into_iter().find(|k| k.as_str() == v)
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A progress report on a followed measure (or a measure of a followed field of action).
    Progress,
    /// A reply to one's comment.
    Reply,
    /// An answer of the city in a discussion one follows or started.
    Official,
    /// The status of one's idea (or a followed idea) changed.
    IdeaStatus,
    /// The moderation hid, showed or approved one's comment.
    Moderation,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Progress,
        Kind::Reply,
        Kind::Official,
        Kind::IdeaStatus,
        Kind::Moderation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Progress => "progress",
            Kind::Reply => "reply",
            Kind::Official => "official",
            Kind::IdeaStatus => "idea_status",
            Kind::Moderation => "moderation",
        }
    }

    pub fn parse(v: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == v)
    }
}

/// How a person wants to hear of one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Delivery {
    /// Not at all: nothing is written.
    Off,
    /// In the list on the site only.
    App,
    /// In the list and in one mail a day (the default: people were flooded elsewhere).
    #[default]
    Digest,
    /// In the list and by mail within a minute.
    Immediate,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::Off,
        Delivery::App,
        Delivery::Digest,
        Delivery::Immediate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Off => "off",
            Delivery::App => "app",
            Delivery::Digest => "digest",
            Delivery::Immediate => "immediate",
        }
    }

    pub fn parse(v: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == v)
    }

    /// Whether it sends mail.
    pub fn mails(self) -> bool {
        matches!(self, Delivery::Digest | Delivery::Immediate)
    }

    /// The same without mail: what an unsubscribe leaves.
    pub fn without_mail(self) -> Delivery {
        match self {
            Delivery::Off => Delivery::Off,
            _ => Delivery::App,
        }
    }
}

/// The longest text snapshot a notification keeps (an excerpt of a comment, a reason).
pub const MAX_TEXT: usize = 300;

/// A notification read this long ago is removed …
pub const KEEP_READ: time::Duration = time::Duration::days(90);
/// … and any notification, read or not, after this long.
pub const KEEP_ANY: time::Duration = time::Duration::days(365);

/// `text` cut to [`MAX_TEXT`] characters at a word boundary, with "…" when cut; whitespace
/// runs (line breaks of a comment) become single spaces.
pub fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        let len = out.chars().count() + w.chars().count() + 1;
        if len > MAX_TEXT {
            if out.is_empty() {
                out = w.chars().take(MAX_TEXT - 1).collect();
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The local time of day at which the daily digest goes out (German time, see
/// [`german_offset`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestTime(Time);

impl Default for DigestTime {
    /// 07:00.
    fn default() -> Self {
        DigestTime(Time::MIDNIGHT.replace_hour(7).unwrap_or(Time::MIDNIGHT))
    }
}

impl DigestTime {
    /// `HH:MM` (or `H:MM`), 00:00 to 23:59.
    pub fn parse(v: &str) -> Option<DigestTime> {
        let (h, m) = v.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let h: u8 = h.parse().ok()?;
        let m: u8 = m.parse().ok()?;
        Time::from_hms(h, m, 0).ok().map(DigestTime)
    }

    /// `07:00`.
    pub fn format(self) -> String {
        format!("{:02}:{:02}", self.0.hour(), self.0.minute())
    }

    /// The last moment at or before `now` at which the digest was due: today's digest time
    /// (German local time) once it has passed, else yesterday's. Notifications written up to
    /// then go into the digest; later ones wait for the next day's.
    pub fn last_due(self, now: OffsetDateTime) -> OffsetDateTime {
        let local = now.to_offset(german_offset(now));
        let today = self.instant_on(local.date());
        if today <= now {
            today
        } else {
            self.instant_on(local.date().previous_day().unwrap_or(local.date()))
        }
    }

    /// The digest time on the German calendar day `date`, as an instant.
    fn instant_on(self, date: Date) -> OffsetDateTime {
        // The offset of that moment: try winter time first, and take summer time when the
        // moment, so read, lies in summer time (at the switch itself either is fine).
        let winter = date.with_time(self.0).assume_offset(CET);
        if german_offset(winter) == CEST {
            date.with_time(self.0).assume_offset(CEST)
        } else {
            winter
        }
    }
}

const CET: UtcOffset = match UtcOffset::from_hms(1, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};
const CEST: UtcOffset = match UtcOffset::from_hms(2, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The offset of German local time at `at`: summer time (UTC+2) from 01:00 UTC of the last
/// Sunday of March to 01:00 UTC of the last Sunday of October (the EU rule), else UTC+1.
pub fn german_offset(at: OffsetDateTime) -> UtcOffset {
    let utc = at.to_offset(UtcOffset::UTC);
    let switch = |month: Month| {
        let last = last_sunday(utc.year(), month);
        last.with_hms(1, 0, 0)
            .map(|d| d.assume_utc())
            .unwrap_or(utc)
    };
    if utc >= switch(Month::March) && utc < switch(Month::October) {
        CEST
    } else {
        CET
    }
}

fn last_sunday(year: i32, month: Month) -> Date {
    let mut d = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    while d.weekday() != Weekday::Sunday {
        d = d.previous_day().unwrap_or(Date::MIN);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn kinds_and_deliveries_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
        }
        for f in FollowKind::ALL {
            assert_eq!(FollowKind::parse(f.as_str()), Some(f));
        }
        assert_eq!(Delivery::default(), Delivery::Digest);
        assert_eq!(Delivery::Immediate.without_mail(), Delivery::App);
        assert_eq!(Delivery::Off.without_mail(), Delivery::Off);
        assert_eq!(Kind::parse("x"), None);
    }

    #[test]
    fn digest_time_parses_hours_and_minutes() {
        assert_eq!(DigestTime::default().format(), "07:00");
        assert_eq!(
            DigestTime::parse(" 6:30 ").map(|d| d.format()),
            Some("06:30".into())
        );
        assert_eq!(
            DigestTime::parse("23:59").map(|d| d.format()),
            Some("23:59".into())
        );
        for bad in ["24:00", "7", "07:60", "7:5", "ab:cd", "", "-1:00", "007:00"] {
            assert_eq!(DigestTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn german_time_follows_the_eu_summer_time_rule() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(german_offset(datetime!(2026-03-29 00:59 UTC)), CET);
        assert_eq!(german_offset(datetime!(2026-03-29 01:00 UTC)), CEST);
        assert_eq!(german_offset(datetime!(2026-10-25 00:59 UTC)), CEST);
        assert_eq!(german_offset(datetime!(2026-10-25 01:00 UTC)), CET);
        assert_eq!(german_offset(datetime!(2026-12-06 12:00 UTC)), CET);
    }

    #[test]
    fn the_digest_is_due_at_its_local_time_once_a_day() {
        let seven = DigestTime::default();
        // Winter: 07:00 in Berlin is 06:00 UTC.
        assert_eq!(
            seven.last_due(datetime!(2026-12-06 06:00 UTC)),
            datetime!(2026-12-06 06:00 UTC)
        );
        assert_eq!(
            seven.last_due(datetime!(2026-12-06 05:59 UTC)),
            datetime!(2026-12-05 06:00 UTC)
        );
        // Summer: 07:00 in Berlin is 05:00 UTC.
        assert_eq!(
            seven.last_due(datetime!(2026-07-01 12:00 UTC)),
            datetime!(2026-07-01 05:00 UTC)
        );
        // Just after midnight in Berlin, still the day before in UTC.
        let late = DigestTime::parse("23:30").unwrap_or_default();
        assert_eq!(
            late.last_due(datetime!(2026-12-06 23:10 UTC)),
            datetime!(2026-12-06 22:30 UTC)
        );
    }

    #[test]
    fn excerpts_are_cut_at_a_word() {
        assert_eq!(excerpt("kurz\n\nund  gut"), "kurz und gut");
        let long = "Wort ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with('…'));
        assert!(e.chars().count() <= MAX_TEXT);
        assert!(!e.contains("  "));
    }
}
