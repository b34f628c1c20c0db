//! The newsletter's rules: its topics, what an issue must hold, how long a confirmation link
//! lasts and how fast an issue may go out.

use time::Duration;

/// How long the link of a confirmation mail confirms.
pub const CONFIRM_VALID: Duration = Duration::hours(48);

/// The longest subject of an issue, in characters.
pub const SUBJECT_MAX: usize = 200;
/// The longest body of an issue (Markdown), in bytes.
pub const BODY_MAX: usize = 50_000;

/// Subscriptions an address may be sent a mail for in an hour …
pub const PER_ADDRESS_HOUR: i64 = 3;
/// … and subscriptions one client address may ask for in an hour.
pub const PER_CLIENT_HOUR: i64 = 10;

/// Mails a minute by default (setting `newsletter_rate`; 0: as fast as the queue takes them).
pub const DEFAULT_RATE: u32 = 600;

/// A topic of the newsletter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Strategie und Fortschritt.
    Strategy,
    /// Veranstaltungen.
    Events,
    /// Angebote.
    Offers,
}

impl Topic {
    pub const ALL: [Topic; 3] = [Topic::Strategy, Topic::Events, Topic::Offers];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Strategy => "strategy",
            Topic::Events => "events",
            Topic::Offers => "offers",
        }
    }

    pub fn parse(v: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == v)
    }
}

/// A set of topics: what a person subscribed to, or what an issue is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Topics {
    pub strategy: bool,
    pub events: bool,
    pub offers: bool,
}

/// A value of a topics field that is none of the topics (nor `all`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTopic(pub String);

impl Topics {
    pub const ALL: Topics = Topics {
        strategy: true,
        events: true,
        offers: true,
    };

    /// The topics named by a form's values (`strategy`, `events`, `offers`, or `all` for every
    /// one); an unknown value is an error, not ignored.
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Topics, UnknownTopic> {
        let mut t = Topics::default();
        for v in values {
            match v {
                "all" => t = Topics::ALL,
                v => match Topic::parse(v) {
                    Some(topic) => t.set(topic, true),
                    None => return Err(UnknownTopic(v.chars().take(40).collect())),
                },
            }
        }
        Ok(t)
    }

    pub fn has(self, topic: Topic) -> bool {
        match topic {
            Topic::Strategy => self.strategy,
            Topic::Events => self.events,
            Topic::Offers => self.offers,
        }
    }

    pub fn set(&mut self, topic: Topic, on: bool) {
        match topic {
            Topic::Strategy => self.strategy = on,
            Topic::Events => self.events = on,
            Topic::Offers => self.offers = on,
        }
    }

    pub fn is_empty(self) -> bool {
        !(self.strategy || self.events || self.offers)
    }

    /// The topics in their order.
    pub fn list(self) -> Vec<Topic> {
        Topic::ALL.into_iter().filter(|t| self.has(*t)).collect()
    }

    /// Whether a subscriber of `self` receives an issue about `issue`.
    pub fn receives(self, issue: Topics) -> bool {
        Topic::ALL.into_iter().any(|t| self.has(t) && issue.has(t))
    }
}

/// What is wrong with an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueProblem {
    SubjectMissing,
    SubjectTooLong,
    BodyMissing,
    BodyTooLong,
    NoTopic,
}

impl IssueProblem {
    /// The field it concerns and the translation key of its message.
    pub fn field_and_key(self) -> (&'static str, &'static str) {
        match self {
            IssueProblem::SubjectMissing => ("subject", "newsletter-issue-subject-missing"),
            IssueProblem::SubjectTooLong => ("subject", "newsletter-issue-subject-too-long"),
            IssueProblem::BodyMissing => ("body", "newsletter-issue-body-missing"),
            IssueProblem::BodyTooLong => ("body", "newsletter-issue-body-too-long"),
            IssueProblem::NoTopic => ("topics", "newsletter-topics-missing"),
        }
    }
}

/// Every problem of an issue with `subject`, `body` and `topics` (none: it may be saved).
pub fn check_issue(subject: &str, body: &str, topics: Topics) -> Vec<IssueProblem> {
    let mut problems = Vec::new();
    let subject = subject.trim();
    if subject.is_empty() {
        problems.push(IssueProblem::SubjectMissing);
    } else if subject.chars().count() > SUBJECT_MAX || subject.contains(['\r', '\n']) {
        problems.push(IssueProblem::SubjectTooLong);
    }
    if body.trim().is_empty() {
        problems.push(IssueProblem::BodyMissing);
    } else if body.len() > BODY_MAX {
        problems.push(IssueProblem::BodyTooLong);
    }
    if topics.is_empty() {
        problems.push(IssueProblem::NoTopic);
    }
    problems
}

/// How many mails of an issue may be queued `elapsed` after it began to go out at `rate` a
/// minute (0: no limit): one at once, then the rate. Counted from the start, so the pace holds
/// across restarts and instances.
pub fn allowed_by(rate: u32, elapsed: Duration) -> Option<i64> {
    if rate == 0 {
        return None;
    }
    let ms = elapsed.whole_milliseconds().max(0);
    Some(1 + i64::try_from(ms * i128::from(rate) / 60_000).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_parse_all_and_refuse_unknown_values() {
        assert_eq!(Topics::parse(["all"]), Ok(Topics::ALL));
        let t = Topics::parse(["events", "offers"]).unwrap();
        assert!(!t.strategy && t.events && t.offers);
        assert_eq!(
            Topics::parse(["events", "lottery"]),
            Err(UnknownTopic("lottery".into()))
        );
        assert!(Topics::parse([]).unwrap().is_empty());
    }

    #[test]
    fn a_subscriber_receives_issues_sharing_a_topic() {
        let events = Topics::parse(["events"]).unwrap();
        let strategy = Topics::parse(["strategy"]).unwrap();
        assert!(events.receives(Topics::ALL));
        assert!(!events.receives(strategy));
    }

    #[test]
    fn an_issue_needs_subject_body_and_topic() {
        assert_eq!(
            check_issue(" ", "", Topics::default()),
            vec![
                IssueProblem::SubjectMissing,
                IssueProblem::BodyMissing,
                IssueProblem::NoTopic
            ]
        );
        assert_eq!(
            check_issue("a\nb", "x", Topics::ALL),
            vec![IssueProblem::SubjectTooLong]
        );
        assert!(check_issue("Neues", "Text", Topics::ALL).is_empty());
    }

    #[test]
    fn the_rate_counts_from_the_start() {
        assert_eq!(allowed_by(0, Duration::hours(1)), None);
        assert_eq!(allowed_by(600, Duration::ZERO), Some(1));
        assert_eq!(allowed_by(600, Duration::seconds(1)), Some(11));
        assert_eq!(allowed_by(60, Duration::minutes(2)), Some(121));
        assert_eq!(allowed_by(60, Duration::seconds(-5)), Some(1));
    }
}
