//! Events and their programme: an event (a "Digitaltag", an online seminar in three parts) with
//! sessions in rooms and time slots, in formats the organisers keep, with people in roles. The
//! rules: states, what an event and a session must hold, the preset formats, and how a
//! programme groups into time slots. No IO.

pub mod formats;
pub mod image;
pub mod questions;
pub mod registration;

use time::OffsetDateTime;

/// Where an event stands. Only published and cancelled events are public; a cancelled one
/// stays readable and says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventState {
    Draft,
    Published,
    Cancelled,
}

impl EventState {
    pub const ALL: [EventState; 3] = [
        EventState::Draft,
        EventState::Published,
        EventState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Draft => "draft",
            EventState::Published => "published",
            EventState::Cancelled => "cancelled",
        }
    }

    pub fn parse(v: &str) -> Option<EventState> {
        EventState::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// Whether the public sees the event.
    pub fn is_public(self) -> bool {
        !matches!(self, EventState::Draft)
    }
}

/// How people take part: on site, online, or both (schema.org's `eventAttendanceMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attendance {
    InPerson,
    Online,
    Mixed,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::InPerson, Attendance::Online, Attendance::Mixed];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::InPerson => "in_person",
            Attendance::Online => "online",
            Attendance::Mixed => "mixed",
        }
    }

    pub fn parse(v: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// The schema.org `eventAttendanceMode` value.
    pub fn schema_org(self) -> &'static str {
        match self {
            Attendance::InPerson => "https://schema.org/OfflineEventAttendanceMode",
            Attendance::Online => "https://schema.org/OnlineEventAttendanceMode",
            Attendance::Mixed => "https://schema.org/MixedEventAttendanceMode",
        }
    }
}

/// Where a session stands. Registered people are told by mail when it is cancelled or moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionState {
    Confirmed,
    Cancelled,
    Moved,
}

impl SessionState {
    pub const ALL: [SessionState; 3] = [
        SessionState::Confirmed,
        SessionState::Cancelled,
        SessionState::Moved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Confirmed => "confirmed",
            SessionState::Cancelled => "cancelled",
            SessionState::Moved => "moved",
        }
    }

    pub fn parse(v: &str) -> Option<SessionState> {
        SessionState::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// What a person does in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRole {
    Speaker,
    Moderator,
    Host,
    Guest,
}

impl PersonRole {
    pub const ALL: [PersonRole; 4] = [
        PersonRole::Speaker,
        PersonRole::Moderator,
        PersonRole::Host,
        PersonRole::Guest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Speaker => "speaker",
            PersonRole::Moderator => "moderator",
            PersonRole::Host => "host",
            PersonRole::Guest => "guest",
        }
    }

    pub fn parse(v: &str) -> Option<PersonRole> {
        PersonRole::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// A room of an event: a physical room, or a virtual one whose join link only registered people
/// see, from [`JOIN_LINK_BEFORE`] before a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomKind {
    Physical,
    Virtual,
}

impl RoomKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Physical => "physical",
            RoomKind::Virtual => "virtual",
        }
    }

    pub fn parse(v: &str) -> Option<RoomKind> {
        match v {
            "physical" => Some(RoomKind::Physical),
            "virtual" => Some(RoomKind::Virtual),
            _ => None,
        }
    }
}

/// How long before a session's start its virtual room's join link is shown to registered people.
pub const JOIN_LINK_BEFORE: time::Duration = time::Duration::minutes(15);

/// A format as preset for a new installation: name, default length in minutes, colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresetFormat {
    pub name: &'static str,
    pub minutes: i64,
    pub colour: &'static str,
}

/// The formats of Munich's Digitaltag (seed 000), in the order the organisers see them. The colours
/// reach at least 4.5:1 against white text.
pub const PRESET_FORMATS: [PresetFormat; 5] = [
    PresetFormat {
        name: "Digitaler Dialog",
        minutes: 60,
        colour: "#1f5f99",
    },
    PresetFormat {
        name: "Online-Diskussion",
        minutes: 90,
        colour: "#7a3e9d",
    },
    PresetFormat {
        name: "Diskussionsrunde",
        minutes: 90,
        colour: "#5c5c5c",
    },
    PresetFormat {
        name: "Workshop",
        minutes: 120,
        colour: "#2e6b30",
    },
    PresetFormat {
        name: "Interview",
        minutes: 45,
        colour: "#a4351f",
    },
];

/// Bounds, in characters.
pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 160;
pub const TEXT_MAX: usize = 10_000;
pub const SHORT_MAX: usize = 300;
/// The longest a session may last.
pub const SESSION_MAX: time::Duration = time::Duration::hours(12);
/// The longest an event may last.
pub const EVENT_MAX: time::Duration = time::Duration::days(31);
/// The highest fee, in cents (a participation fee of a city event, not a ticket shop).
pub const FEE_MAX_CENTS: i64 = 100_000;
/// The largest capacity of an event or a session.
pub const CAPACITY_MAX: i64 = 1_000_000;

/// A field of an event or session and what is wrong with it (the message key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

pub(crate) fn problem(field: &'static str, key: &'static str) -> Problem {
    Problem { field, key }
}

/// An event as it is stored: trimmed texts within their bounds, a time span that makes sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub organiser: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub attendance: Attendance,
    /// Where on site (empty for an online event).
    pub place: String,
    /// `None`: free.
    pub fee_cents: Option<i64>,
    /// How the fee is paid (payment stays outside stadtradar).
    pub fee_note: String,
    pub capacity: Option<i64>,
    pub registration_opens_at: Option<OffsetDateTime>,
    pub registration_closes_at: Option<OffsetDateTime>,
    pub image_alt: String,
    pub state: EventState,
}

impl EventInput {
    /// Checks the event; every problem, in the order of the form.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        text(&mut p, "title", &self.title, TITLE_MIN, TITLE_MAX);
        text(&mut p, "description", &self.description, 0, TEXT_MAX);
        text(&mut p, "organiser", &self.organiser, 2, SHORT_MAX);
        if self.ends_at <= self.starts_at {
            p.push(problem("ends_at", "programme-end-before-start"));
        } else if self.ends_at - self.starts_at > EVENT_MAX {
            p.push(problem("ends_at", "programme-event-too-long"));
        }
        if self.attendance != Attendance::Online && self.place.trim().is_empty() {
            p.push(problem("place", "programme-place-missing"));
        }
        text(&mut p, "place", &self.place, 0, SHORT_MAX);
        if let Some(f) = self.fee_cents
            && !(0..=FEE_MAX_CENTS).contains(&f)
        {
            p.push(problem("fee", "programme-fee-invalid"));
        }
        if self.fee_cents.is_some_and(|f| f > 0) && self.fee_note.trim().is_empty() {
            p.push(problem("fee_note", "programme-fee-note-missing"));
        }
        text(&mut p, "fee_note", &self.fee_note, 0, SHORT_MAX);
        capacity(&mut p, "capacity", self.capacity);
        if let (Some(o), Some(c)) = (self.registration_opens_at, self.registration_closes_at)
            && c <= o
        {
            p.push(problem(
                "registration_closes_at",
                "programme-registration-window-invalid",
            ));
        }
        text(&mut p, "image_alt", &self.image_alt, 0, SHORT_MAX);
        if p.is_empty() { Ok(()) } else { Err(p) }
    }

    /// Whether registration is open at `now` (published, within its window, not over).
    pub fn registration_open(&self, now: OffsetDateTime) -> bool {
        self.state == EventState::Published
            && self.registration_opens_at.is_none_or(|o| now >= o)
            && self.registration_closes_at.is_none_or(|c| now < c)
            && now < self.ends_at
    }
}

/// A person in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPerson {
    pub name: String,
    pub role: PersonRole,
}

/// A session as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInput {
    pub title: String,
    pub abstract_text: String,
    pub format_id: Option<i64>,
    pub track: String,
    pub room_id: Option<i64>,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    /// A language tag (`de`, `en`, …).
    pub language: String,
    pub sign_language: bool,
    pub live_captions: bool,
    pub easy_language: bool,
    pub capacity: Option<i64>,
    pub do_not_record: bool,
    pub state: SessionState,
    pub people: Vec<SessionPerson>,
}

impl SessionInput {
    /// Checks the session against the span of its event; every problem.
    pub fn check(
        &self,
        event_starts: OffsetDateTime,
        event_ends: OffsetDateTime,
    ) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        text(&mut p, "title", &self.title, TITLE_MIN, TITLE_MAX);
        text(&mut p, "abstract", &self.abstract_text, 0, TEXT_MAX);
        text(&mut p, "track", &self.track, 0, 80);
        if self.ends_at <= self.starts_at {
            p.push(problem("ends_at", "programme-end-before-start"));
        } else if self.ends_at - self.starts_at > SESSION_MAX {
            p.push(problem("ends_at", "programme-session-too-long"));
        }
        if self.starts_at < event_starts || self.ends_at > event_ends {
            p.push(problem("starts_at", "programme-session-outside-event"));
        }
        let lang = self.language.trim();
        if lang.len() < 2
            || lang.len() > 8
            || !lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        {
            p.push(problem("language", "programme-language-invalid"));
        }
        capacity(&mut p, "capacity", self.capacity);
        if self.people.len() > 20 {
            p.push(problem("people", "programme-too-many-people"));
        }
        for person in &self.people {
            let n = person.name.trim().chars().count();
            if !(2..=120).contains(&n) {
                p.push(problem("people", "programme-person-name-invalid"));
                break;
            }
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }
}

fn text(p: &mut Vec<Problem>, field: &'static str, value: &str, min: usize, max: usize) {
    let n = value.trim().chars().count();
    if n < min {
        p.push(problem(
            field,
            if n == 0 {
                "programme-empty"
            } else {
                "programme-too-short"
            },
        ));
    } else if n > max {
        p.push(problem(field, "programme-too-long"));
    }
}

fn capacity(p: &mut Vec<Problem>, field: &'static str, value: Option<i64>) {
    if let Some(c) = value
        && !(1..=CAPACITY_MAX).contains(&c)
    {
        p.push(problem(field, "programme-capacity-invalid"));
    }
}

/// A moment typed in German local time, as `<input type="datetime-local">` sends it
/// (`2026-10-16T10:00`, seconds allowed) or as people write it (`16.10.2026 10:00`); the
/// instant, with the German offset that holds at that moment (summer or winter time).
pub fn parse_local(v: &str) -> Option<OffsetDateTime> {
    let v = v.trim();
    let (date, clock) = v.split_once(['T', ' '])?;
    let date = crate::dates::parse_date(date).ok()?;
    let mut parts = clock.trim().split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    let second: u8 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let local = date.with_hms(hour, minute, second).ok()?;
    // The offset of that wall-clock time: tried as winter time first, then checked.
    let guess = local.assume_offset(time::UtcOffset::from_hms(1, 0, 0).ok()?);
    let offset = crate::notifications::german_offset(guess);
    Some(local.assume_offset(offset).to_offset(time::UtcOffset::UTC))
}

/// An instant as `<input type="datetime-local">` shows it, in German local time.
pub fn format_local(at: OffsetDateTime) -> String {
    let l = at.to_offset(crate::notifications::german_offset(at));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        l.year(),
        u8::from(l.month()),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// A session as the programme lists it, reduced to what grouping needs.
pub trait Timed {
    fn starts_at(&self) -> OffsetDateTime;
}

/// Groups sessions (sorted by start) into time slots: sessions that start at the same moment
/// share a slot. The default view of the programme: 14 parallel sessions do not fit a room grid
/// on a phone, but a list per slot does.
pub fn time_slots<T: Timed>(sessions: Vec<T>) -> Vec<(OffsetDateTime, Vec<T>)> {
    let mut slots: Vec<(OffsetDateTime, Vec<T>)> = Vec::new();
    for s in sessions {
        match slots.last_mut() {
            Some((at, list)) if *at == s.starts_at() => list.push(s),
            _ => slots.push((s.starts_at(), vec![s])),
        }
    }
    slots
}

/// A fee in cents as German text: `40,00 €`.
pub fn fee_text(cents: i64) -> String {
    format!("{},{:02} €", cents / 100, cents % 100)
}

/// Parses a fee as people type it (`40`, `40,00`, `40.5`, `40,00 €`) into cents.
pub fn parse_fee(v: &str) -> Option<i64> {
    let v = v.trim().trim_end_matches('€').trim();
    if v.is_empty() {
        return None;
    }
    let (euros, cents) = match v.split_once([',', '.']) {
        Some((e, c)) => (e, c),
        None => (v, ""),
    };
    if euros.is_empty() || !euros.chars().all(|c| c.is_ascii_digit()) || euros.len() > 6 {
        return None;
    }
    if cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let e: i64 = euros.parse().ok()?;
    let c: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    Some(e * 100 + c)
}

#[cfg(test)]
mod local_time_tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn local_times_in_both_notations_and_seasons() {
        assert_eq!(
            parse_local("2026-10-16T10:00"),
            Some(datetime!(2026-10-16 08:00 UTC))
        );
        assert_eq!(
            parse_local("16.10.2026 10:00"),
            Some(datetime!(2026-10-16 08:00 UTC))
        );
        assert_eq!(
            parse_local("2026-12-06T10:00:30"),
            Some(datetime!(2026-12-06 09:00:30 UTC))
        );
        for bad in [
            "",
            "2026-10-16",
            "2026-10-16T25:00",
            "2026-13-01T10:00",
            "heute 10 Uhr",
            "2026-10-16T10:00:00:00",
        ] {
            assert_eq!(parse_local(bad), None, "{bad}");
        }
        for at in [
            datetime!(2026-10-16 08:00 UTC),
            datetime!(2026-12-06 09:00 UTC),
        ] {
            assert_eq!(parse_local(&format_local(at)), Some(at));
        }
        assert_eq!(
            format_local(datetime!(2026-12-06 09:00 UTC)),
            "2026-12-06T10:00"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event() -> EventInput {
        EventInput {
            title: "Digitaltag 2026".into(),
            description: "Ein Tag mit Sessions".into(),
            organiser: "Stadt Musterstadt".into(),
            starts_at: datetime!(2026-10-16 08:00 UTC),
            ends_at: datetime!(2026-10-16 17:00 UTC),
            attendance: Attendance::Online,
            place: String::new(),
            fee_cents: None,
            fee_note: String::new(),
            capacity: Some(500),
            registration_opens_at: None,
            registration_closes_at: Some(datetime!(2026-10-16 08:00 UTC)),
            image_alt: String::new(),
            state: EventState::Published,
        }
    }

    #[test]
    fn an_event_names_every_problem() {
        assert_eq!(event().check(), Ok(()));
        let mut e = event();
        e.title = "  ".into();
        e.ends_at = e.starts_at;
        e.attendance = Attendance::Mixed;
        e.fee_cents = Some(4000);
        e.capacity = Some(0);
        let fields: Vec<&str> = e.check().unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["title", "ends_at", "place", "fee_note", "capacity"]
        );
    }

    #[test]
    fn registration_opens_and_closes_by_its_window() {
        let e = event();
        assert!(e.registration_open(datetime!(2026-10-01 12:00 UTC)));
        assert!(!e.registration_open(datetime!(2026-10-16 08:00 UTC)));
        let mut draft = event();
        draft.state = EventState::Draft;
        assert!(!draft.registration_open(datetime!(2026-10-01 12:00 UTC)));
    }

    #[test]
    fn a_session_stays_inside_its_event() {
        let e = event();
        let s = SessionInput {
            title: "Im Gespräch mit dem CDO".into(),
            abstract_text: String::new(),
            format_id: None,
            track: String::new(),
            room_id: None,
            starts_at: datetime!(2026-10-16 16:30 UTC),
            ends_at: datetime!(2026-10-16 17:30 UTC),
            language: "de".into(),
            sign_language: false,
            live_captions: true,
            easy_language: false,
            capacity: None,
            do_not_record: false,
            state: SessionState::Confirmed,
            people: vec![SessionPerson {
                name: "X".into(),
                role: PersonRole::Speaker,
            }],
        };
        let fields: Vec<&str> = s
            .check(e.starts_at, e.ends_at)
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["starts_at", "people"]);
    }

    struct S(OffsetDateTime);
    impl Timed for S {
        fn starts_at(&self) -> OffsetDateTime {
            self.0
        }
    }

    #[test]
    fn sessions_group_into_slots_by_their_start() {
        let a = datetime!(2026-10-16 08:00 UTC);
        let b = datetime!(2026-10-16 09:30 UTC);
        let slots = time_slots(vec![S(a), S(a), S(b)]);
        assert_eq!(slots.len(), 2);
        assert_eq!((slots[0].0, slots[0].1.len()), (a, 2));
        assert_eq!((slots[1].0, slots[1].1.len()), (b, 1));
        assert!(time_slots::<S>(Vec::new()).is_empty());
    }

    #[test]
    fn fees_read_as_people_type_them_and_print_in_german() {
        assert_eq!(parse_fee("40"), Some(4000));
        assert_eq!(parse_fee("40,00 €"), Some(4000));
        assert_eq!(parse_fee("40.5"), Some(4050));
        assert_eq!(parse_fee(""), None);
        assert_eq!(parse_fee("vierzig"), None);
        assert_eq!(parse_fee("-3"), None);
        assert_eq!(parse_fee("1,234"), None);
        assert_eq!(fee_text(4000), "40,00 €");
        assert_eq!(fee_text(5), "0,05 €");
    }

    #[test]
    fn states_and_roles_round_trip() {
        for s in EventState::ALL {
            assert_eq!(EventState::parse(s.as_str()), Some(s));
        }
        for s in SessionState::ALL {
            assert_eq!(SessionState::parse(s.as_str()), Some(s));
        }
        for r in PersonRole::ALL {
            assert_eq!(PersonRole::parse(r.as_str()), Some(r));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::parse(a.as_str()), Some(a));
        }
        assert!(!EventState::Draft.is_public());
        assert_eq!(RoomKind::parse("virtual"), Some(RoomKind::Virtual));
    }
}
