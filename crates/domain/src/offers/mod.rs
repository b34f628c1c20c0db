//! Offers: what providers (libraries, adult-education centres, associations, maker spaces, the
//! city's own offices) offer people, shaped after the Open Referral Human Services Data
//! Specification (HSDS 3.0). The rules: states, what an offer must hold, its recurring dates and
//! how far it is from a person. No IO.

pub mod geo;
pub mod logo;
pub mod recurrence;
pub mod requests;
pub mod volunteering;

pub use crate::programme::Attendance;
use crate::programme::{Problem, problem};
use geo::Point;
use recurrence::{Freq, Schedule};
use time::{Date, Weekday};

/// Where an offer stands. Only published offers of approved providers are public; an archived
/// offer is kept (its requests and history) and shown to nobody but its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferState {
    Draft,
    Published,
    Archived,
}

impl OfferState {
    pub const ALL: [OfferState; 3] = [
        OfferState::Draft,
        OfferState::Published,
        OfferState::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferState::Draft => "draft",
            OfferState::Published => "published",
            OfferState::Archived => "archived",
        }
    }

    pub fn parse(v: &str) -> Option<OfferState> {
        OfferState::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// Whether an admin has let a provider in. Nothing of a provider is public before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderState {
    Pending,
    Approved,
    Declined,
}

impl ProviderState {
    pub const ALL: [ProviderState; 3] = [
        ProviderState::Pending,
        ProviderState::Approved,
        ProviderState::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderState::Pending => "pending",
            ProviderState::Approved => "approved",
            ProviderState::Declined => "declined",
        }
    }

    pub fn parse(v: &str) -> Option<ProviderState> {
        ProviderState::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// How people get to an offer: they just come, or they send a request that the provider answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    DropIn,
    Request,
}

impl Access {
    pub const ALL: [Access; 2] = [Access::DropIn, Access::Request];

    pub fn as_str(self) -> &'static str {
        match self {
            Access::DropIn => "drop_in",
            Access::Request => "request",
        }
    }

    pub fn parse(v: &str) -> Option<Access> {
        Access::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// What an offer does so that everybody can take part (HSDS `accessibility`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Accessibility {
    /// Step-free access (stufenlos).
    pub step_free: bool,
    /// A hearing loop (Induktionsschleife).
    pub hearing_loop: bool,
    /// Sign language (Gebärdensprache).
    pub sign_language: bool,
    /// Easy-read language (Leichte Sprache).
    pub easy_language: bool,
}

impl Accessibility {
    /// The features by their keys (form fields, filter parameters, message keys).
    pub const KEYS: [&'static str; 4] = [
        "step_free",
        "hearing_loop",
        "sign_language",
        "easy_language",
    ];

    /// Whether the feature named `key` is there.
    pub fn has(self, key: &str) -> bool {
        match key {
            "step_free" => self.step_free,
            "hearing_loop" => self.hearing_loop,
            "sign_language" => self.sign_language,
            "easy_language" => self.easy_language,
            _ => false,
        }
    }

    /// Turns on the feature named `key`; false for an unknown key.
    pub fn set(&mut self, key: &str) -> bool {
        match key {
            "step_free" => self.step_free = true,
            "hearing_loop" => self.hearing_loop = true,
            "sign_language" => self.sign_language = true,
            "easy_language" => self.easy_language = true,
            _ => return false,
        }
        true
    }

    /// The keys of the features that are there, in the order of [`Accessibility::KEYS`].
    pub fn keys(self) -> Vec<&'static str> {
        Self::KEYS.into_iter().filter(|k| self.has(k)).collect()
    }
}

/// The languages an offer can be held in (ISO 639-1): those of Germany's larger communities.
/// Their names are texts of the i18n layer (`lang-<code>`).
pub const LANGUAGES: [&str; 12] = [
    "de", "en", "tr", "ar", "uk", "ru", "pl", "ro", "it", "fr", "fa", "ku",
];

/// The part of the day an offer starts in, for the filter: before noon, the afternoon, from
/// five in the evening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayTime {
    Morning,
    Afternoon,
    Evening,
}

impl DayTime {
    pub const ALL: [DayTime; 3] = [DayTime::Morning, DayTime::Afternoon, DayTime::Evening];

    pub fn as_str(self) -> &'static str {
        match self {
            DayTime::Morning => "morning",
            DayTime::Afternoon => "afternoon",
            DayTime::Evening => "evening",
        }
    }

    pub fn parse(v: &str) -> Option<DayTime> {
        DayTime::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// The local start minutes (of the day) it covers: `from..to`.
    pub fn minutes(self) -> (i64, i64) {
        match self {
            DayTime::Morning => (0, 12 * 60),
            DayTime::Afternoon => (12 * 60, 17 * 60),
            DayTime::Evening => (17 * 60, 24 * 60),
        }
    }
}

/// The days of the week as the filter and `offer_schedules.weekdays` hold them: bit 0 Monday …
/// bit 6 Sunday.
pub fn weekday_bit(day: Weekday) -> u8 {
    1 << day.number_days_from_monday()
}

/// The weekdays a schedule falls on, as bits (see [`weekday_bit`]): a single date's weekday,
/// a weekly rule's days, a monthly rule's weekday; every day for a daily rule, for every
/// second or third day and for a day of the month, which wander through the week.
pub fn schedule_weekdays(s: &Schedule) -> u8 {
    let all = 0b111_1111;
    match &s.rule {
        None => weekday_bit(s.first.weekday()),
        Some(r) => match r.freq {
            Freq::Daily => all,
            Freq::Weekly if r.by_day.is_empty() => weekday_bit(s.first.weekday()),
            Freq::Weekly => r.by_day.iter().fold(0, |m, d| m | weekday_bit(*d)),
            Freq::Monthly if r.month_day.is_some() => all,
            Freq::Monthly => match r.by_day.first() {
                Some(d) => weekday_bit(*d),
                None => all,
            },
        },
    }
}

/// The last date of a schedule (`None`: it goes on).
pub fn schedule_last(s: &Schedule) -> Option<Date> {
    match &s.rule {
        None => Some(s.first),
        Some(r) => {
            if let Some(u) = r.until {
                Some(u)
            } else if let Some(c) = r.count {
                let far = s
                    .first
                    .replace_year(s.first.year() + 50)
                    .unwrap_or(Date::MAX);
                let all = Schedule {
                    except: Vec::new(),
                    ..s.clone()
                };
                all.dates(s.first, far, usize::from(c)).last().copied()
            } else {
                None
            }
        }
    }
}

/// A rule as an iCalendar `RRULE` of an entry whose start has a time zone: RFC 5545 wants
/// `UNTIL` as a UTC time then, so the last day's end (German time) is given in UTC.
pub fn ical_rule(rule: &recurrence::Rule) -> String {
    let mut r = rule.clone();
    let until = r.until.take();
    let mut text = r.to_rrule();
    if let Some(day) = until {
        let end = day.with_hms(23, 59, 59).unwrap_or(day.midnight());
        let guess =
            end.assume_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap_or(time::UtcOffset::UTC));
        let u = end
            .assume_offset(crate::notifications::german_offset(guess))
            .to_offset(time::UtcOffset::UTC);
        text.push_str(&format!(
            ";UNTIL={:04}{:02}{:02}T{:02}{:02}{:02}Z",
            u.year(),
            u8::from(u.month()),
            u.day(),
            u.hour(),
            u.minute(),
            u.second()
        ));
    }
    text
}

/// The most schedules an offer may have.
pub const SCHEDULES_MAX: usize = 20;
/// The longest title, a short text (a place, a note) and a description.
pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 160;
pub const SHORT_MAX: usize = 300;
pub const TEXT_MAX: usize = 10_000;
/// The highest cost, in cents.
pub const COST_MAX_CENTS: i64 = 100_000;
/// The largest capacity of a date of an offer.
pub const CAPACITY_MAX: i64 = 10_000;
/// The oldest age an offer can name.
pub const AGE_MAX: i64 = 120;

/// An offer as it is stored: trimmed texts within their bounds, a place where it needs one.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferInput {
    pub title: String,
    pub description: String,
    pub category_id: i64,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub attendance: Attendance,
    pub place_name: String,
    pub street: String,
    /// A postcode of the city (its table), or empty for an online offer.
    pub postcode: String,
    /// The place's coordinates: typed in, or the postcode's centroid.
    pub point: Option<Point>,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// `None`: free of charge.
    pub cost_cents: Option<i64>,
    pub cost_note: String,
    pub access: Access,
    pub accessibility: Accessibility,
    pub languages: Vec<String>,
    pub state: OfferState,
}

impl OfferInput {
    /// Checks the offer; every problem, in the order of the form.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        text(&mut p, "title", &self.title, TITLE_MIN, TITLE_MAX);
        text(&mut p, "description", &self.description, 0, TEXT_MAX);
        for (field, age) in [("age_min", self.age_min), ("age_max", self.age_max)] {
            if age.is_some_and(|a| !(0..=AGE_MAX).contains(&a)) {
                p.push(problem(field, "offers-age-invalid"));
            }
        }
        if let (Some(a), Some(b)) = (self.age_min, self.age_max)
            && a > b
        {
            p.push(problem("age_max", "offers-age-range-invalid"));
        }
        let on_site = self.attendance != Attendance::Online;
        if on_site {
            text(&mut p, "place_name", &self.place_name, 2, SHORT_MAX);
            if self.point.is_none() {
                p.push(problem("postcode", "offers-place-unknown"));
            }
        } else {
            text(&mut p, "place_name", &self.place_name, 0, SHORT_MAX);
        }
        text(&mut p, "street", &self.street, 0, SHORT_MAX);
        if self.attendance != Attendance::InPerson && self.online_url.trim().is_empty() {
            p.push(problem("online_url", "offers-online-url-missing"));
        }
        if !self.online_url.trim().is_empty() && !is_link(&self.online_url) {
            p.push(problem("online_url", "offers-link-invalid"));
        }
        if self
            .capacity
            .is_some_and(|c| !(1..=CAPACITY_MAX).contains(&c))
        {
            p.push(problem("capacity", "offers-capacity-invalid"));
        }
        if self
            .cost_cents
            .is_some_and(|c| !(0..=COST_MAX_CENTS).contains(&c))
        {
            p.push(problem("cost", "offers-cost-invalid"));
        }
        text(&mut p, "cost_note", &self.cost_note, 0, SHORT_MAX);
        if self.languages.is_empty() {
            p.push(problem("languages", "offers-languages-missing"));
        }
        if self
            .languages
            .iter()
            .any(|l| !LANGUAGES.contains(&l.as_str()))
        {
            p.push(problem("languages", "offers-language-unknown"));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }

    /// Whether the offer is free of charge.
    pub fn free(&self) -> bool {
        self.cost_cents.is_none_or(|c| c == 0)
    }
}

/// A provider as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderInput {
    pub name: String,
    pub description: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub district_id: Option<i64>,
}

impl ProviderInput {
    /// Checks the provider; every problem, in the order of the form.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        text(&mut p, "name", &self.name, TITLE_MIN, TITLE_MAX);
        text(&mut p, "description", &self.description, 0, TEXT_MAX);
        if !self.email.is_empty() && !crate::mail::is_address(&self.email) {
            p.push(problem("email", "offers-email-invalid"));
        }
        text(&mut p, "phone", &self.phone, 0, 60);
        if !self.website.trim().is_empty() && !is_link(&self.website) {
            p.push(problem("website", "offers-link-invalid"));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }
}

/// An `http(s)` address without spaces, at most 500 characters.
pub fn is_link(v: &str) -> bool {
    let v = v.trim();
    v.len() <= 500
        && (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > "https://".len()
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn text(p: &mut Vec<Problem>, field: &'static str, value: &str, min: usize, max: usize) {
    let n = value.trim().chars().count();
    if n < min {
        p.push(problem(
            field,
            if n == 0 {
                "offers-empty"
            } else {
                "offers-too-short"
            },
        ));
    } else if n > max {
        p.push(problem(field, "offers-too-long"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> OfferInput {
        OfferInput {
            title: "PC-Treff im Stadtteilzentrum".into(),
            description: String::new(),
            category_id: 1,
            age_min: None,
            age_max: None,
            attendance: Attendance::InPerson,
            place_name: "Stadtteilzentrum Nord".into(),
            street: "Lindenweg 4".into(),
            postcode: "36251".into(),
            point: Point::new(50.93, 10.1),
            online_url: String::new(),
            capacity: Some(12),
            cost_cents: None,
            cost_note: String::new(),
            access: Access::DropIn,
            accessibility: Accessibility::default(),
            languages: vec!["de".into()],
            state: OfferState::Published,
        }
    }

    fn fields(o: &OfferInput) -> Vec<&'static str> {
        o.check()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_complete_offer_passes() {
        assert_eq!(offer().check(), Ok(()));
    }

    #[test]
    fn an_offer_on_site_needs_a_known_place_and_an_online_one_a_link() {
        let mut o = offer();
        o.point = None;
        assert_eq!(fields(&o), ["postcode"]);
        let mut o = offer();
        o.attendance = Attendance::Online;
        o.point = None;
        o.place_name.clear();
        assert_eq!(fields(&o), ["online_url"]);
        o.online_url = "javascript:alert(1)".into();
        assert_eq!(fields(&o), ["online_url"]);
        o.online_url = "https://meet.musterstadt.example/pc".into();
        assert_eq!(o.check(), Ok(()));
    }

    #[test]
    fn ages_costs_capacity_and_languages_are_bounded() {
        let mut o = offer();
        o.age_min = Some(10);
        o.age_max = Some(6);
        o.cost_cents = Some(-1);
        o.capacity = Some(0);
        o.languages = vec!["xx".into()];
        assert_eq!(fields(&o), ["age_max", "capacity", "cost", "languages"]);
        o.languages.clear();
        assert!(fields(&o).contains(&"languages"));
    }

    #[test]
    fn accessibility_keys_round_trip() {
        let mut a = Accessibility::default();
        assert!(a.set("hearing_loop") && a.set("easy_language") && !a.set("lift"));
        assert_eq!(a.keys(), ["hearing_loop", "easy_language"]);
    }

    #[test]
    fn day_times_cover_the_day_without_overlap() {
        let mut at = 0;
        for t in DayTime::ALL {
            let (from, to) = t.minutes();
            assert_eq!(from, at);
            at = to;
        }
        assert_eq!(at, 24 * 60);
    }

    #[test]
    fn a_schedule_names_its_weekdays_and_its_last_date() {
        use time::macros::{date, time};
        let tue = Schedule {
            first: date!(2026 - 01 - 06),
            starts: time!(14:00),
            ends: time!(16:00),
            rule: recurrence::Rule::parse("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4").ok(),
            except: vec![date!(2026 - 01 - 08)],
        };
        assert_eq!(schedule_weekdays(&tue), 0b000_1010);
        // The count includes the date left out: Tue 6, Thu 8, Tue 13, Thu 15.
        assert_eq!(schedule_last(&tue), Some(date!(2026 - 01 - 15)));
        let monthly = Schedule {
            rule: recurrence::Rule::parse("FREQ=MONTHLY;BYDAY=-1FR").ok(),
            ..tue.clone()
        };
        assert_eq!(schedule_weekdays(&monthly), weekday_bit(Weekday::Friday));
        assert_eq!(schedule_last(&monthly), None);
        let once = Schedule {
            rule: None,
            ..tue.clone()
        };
        assert_eq!(
            (schedule_weekdays(&once), schedule_last(&once)),
            (weekday_bit(Weekday::Tuesday), Some(tue.first))
        );
        let daily = Schedule {
            rule: recurrence::Rule::parse("FREQ=DAILY;UNTIL=20260201").ok(),
            ..tue
        };
        assert_eq!(
            (schedule_weekdays(&daily), schedule_last(&daily)),
            (0b111_1111, Some(date!(2026 - 02 - 01)))
        );
    }

    #[test]
    fn an_ical_rule_ends_at_the_end_of_the_german_day_in_utc() {
        let r = recurrence::Rule::parse("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ical_rule(&r), "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T215959Z");
        let r = recurrence::Rule::parse("FREQ=MONTHLY;BYDAY=1WE;UNTIL=20261231")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ical_rule(&r),
            "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20261231T225959Z"
        );
        let r = recurrence::Rule::parse("FREQ=WEEKLY;BYDAY=TU;COUNT=3")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ical_rule(&r), r.to_rrule());
    }

    #[test]
    fn a_provider_needs_a_name_and_valid_contacts() {
        let p = ProviderInput {
            name: "Stadtbibliothek".into(),
            description: String::new(),
            email: "nicht-gueltig".into(),
            phone: String::new(),
            website: "ftp://x".into(),
            district_id: None,
        };
        let f: Vec<_> = p
            .check()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(f, ["email", "website"]);
    }
}
