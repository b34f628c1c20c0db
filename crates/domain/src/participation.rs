//! Participation: how people rate measures (and, next, comment and propose ideas).

/// How important a measure is to someone: 1 (not at all) to 5 (very).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    /// The rating `value`, if it is on the scale.
    pub fn new(value: i64) -> Option<Rating> {
        u8::try_from(value)
            .ok()
            .filter(|v| (1..=5).contains(v))
            .map(Rating)
    }

    pub fn value(self) -> i64 {
        i64::from(self.0)
    }

    /// Every value of the scale, lowest first.
    pub fn scale() -> impl DoubleEndedIterator<Item = Rating> {
        (1..=5).map(Rating)
    }
}

/// A measure's ratings in sum: how many, their total and how many gave each value. Kept with
/// every rating write, so that no page counts ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatingTotals {
    pub count: i64,
    pub total: i64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub by_value: [i64; 5],
}

impl RatingTotals {
    /// The mean in tenths (38 for 3.8), rounded half up; `None` without ratings.
    pub fn mean_tenths(&self) -> Option<i64> {
        (self.count > 0).then(|| (self.total * 20 + self.count) / (self.count * 2))
    }

    /// How many gave `r`.
    pub fn of(&self, r: Rating) -> i64 {
        self.by_value[usize::from(r.0 - 1)]
    }

    /// The share of the ratings that gave `r`, in whole percent (rounded half up).
    pub fn percent(&self, r: Rating) -> i64 {
        if self.count == 0 {
            0
        } else {
            (self.of(r) * 200 + self.count) / (self.count * 2)
        }
    }
}

/// What a participation window belongs to; the most specific one that exists decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Strategy,
    Field,
    Measure,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Strategy => "strategy",
            Scope::Field => "field",
            Scope::Measure => "measure",
        }
    }

    pub fn parse(v: &str) -> Option<Scope> {
        [Scope::Strategy, Scope::Field, Scope::Measure]
            .into_iter()
            .find(|s| s.as_str() == v)
    }
}

/// A participation window: closed by hand since `closed_at`, or open from `opens_at` until
/// `closes_at` (each optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub closed_at: Option<time::OffsetDateTime>,
    pub opens_at: Option<time::OffsetDateTime>,
    pub closes_at: Option<time::OffsetDateTime>,
}

/// Where a discussion stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    /// Open, until the time given if any.
    Open(Option<time::OffsetDateTime>),
    /// Not open yet: it opens then.
    NotYet(time::OffsetDateTime),
    /// Closed since then.
    Closed(time::OffsetDateTime),
}

impl WindowState {
    pub fn is_open(self) -> bool {
        matches!(self, WindowState::Open(_))
    }
}

impl Window {
    pub fn state(&self, now: time::OffsetDateTime) -> WindowState {
        if let Some(at) = self.closed_at {
            return WindowState::Closed(at);
        }
        match (self.opens_at, self.closes_at) {
            (Some(o), _) if now < o => WindowState::NotYet(o),
            (_, Some(c)) if now >= c => WindowState::Closed(c),
            (_, c) => WindowState::Open(c),
        }
    }

    /// Whether the window's dates make sense: it does not close before it opens.
    pub fn is_valid(&self) -> bool {
        !matches!((self.opens_at, self.closes_at), (Some(o), Some(c)) if c <= o)
    }
}

/// The window that decides among those that exist for a measure, its field and its strategy:
/// the most specific; none means open.
pub fn effective(windows: &[(Scope, Window)]) -> Window {
    windows
        .iter()
        .max_by_key(|(scope, _)| *scope)
        .map(|(_, w)| *w)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: i64) -> Rating {
        Rating::new(v).unwrap()
    }

    #[test]
    fn only_one_to_five_are_ratings() {
        assert_eq!(Rating::new(0), None);
        assert_eq!(Rating::new(6), None);
        assert_eq!(Rating::new(-3), None);
        assert_eq!(Rating::new(300), None);
        assert_eq!(
            Rating::scale().map(Rating::value).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn mean_and_shares_of_the_totals() {
        let mut t = RatingTotals::default();
        assert_eq!(t.mean_tenths(), None);
        assert_eq!(t.percent(r(3)), 0);
        t = RatingTotals {
            count: 3,
            total: 11,
            by_value: [0, 0, 1, 2, 0],
        };
        assert_eq!(t.mean_tenths(), Some(37)); // 3.67
        assert_eq!(t.percent(r(4)), 67);
        assert_eq!(t.of(r(3)), 1);
    }

    #[test]
    fn the_mean_rounds_half_up() {
        let t = RatingTotals {
            count: 4,
            total: 15,
            by_value: [0, 0, 1, 2, 1],
        };
        assert_eq!(t.mean_tenths(), Some(38)); // 3.75
        assert_eq!(t.percent(r(3)), 25);
    }

    #[test]
    fn the_most_specific_window_decides() {
        use time::macros::datetime;
        let now = datetime!(2026-12-04 12:00 UTC);
        assert_eq!(effective(&[]).state(now), WindowState::Open(None));
        let closed = Window {
            closed_at: Some(datetime!(2026-12-01 9:00 UTC)),
            ..Window::default()
        };
        let dated = Window {
            opens_at: Some(datetime!(2026-11-01 0:00 UTC)),
            closes_at: Some(datetime!(2026-12-04 0:00 UTC)),
            closed_at: None,
        };
        let open = Window::default();
        assert_eq!(
            effective(&[(Scope::Strategy, closed), (Scope::Measure, open)]).state(now),
            WindowState::Open(None)
        );
        assert_eq!(
            effective(&[(Scope::Measure, closed), (Scope::Field, open)]).state(now),
            WindowState::Closed(datetime!(2026-12-01 9:00 UTC))
        );
        assert_eq!(
            dated.state(now),
            WindowState::Closed(datetime!(2026-12-04 0:00 UTC))
        );
        assert_eq!(
            dated.state(datetime!(2026-10-31 23:59 UTC)),
            WindowState::NotYet(datetime!(2026-11-01 0:00 UTC))
        );
        assert!(dated.state(datetime!(2026-11-15 0:00 UTC)).is_open());
        assert!(dated.is_valid());
        assert!(
            !Window {
                opens_at: dated.closes_at,
                closes_at: dated.opens_at,
                closed_at: None
            }
            .is_valid()
        );
        assert_eq!(Scope::parse("field"), Some(Scope::Field));
        assert_eq!(Scope::parse("edition"), None);
    }
}
