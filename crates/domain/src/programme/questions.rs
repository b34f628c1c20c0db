//! Live Q&A of a session: questions sent in advance and during the session, anonymous unless
//! the asker gives a name, one upvote per person, moderated (queue → visible or rejected with a
//! reason → answered → archived) where the session asks for it, one question pinned. No IO.

use super::{Problem, problem};
use time::OffsetDateTime;

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionState {
    /// Waiting for the moderation (sessions with moderation).
    Queued,
    /// Shown to everyone; takes upvotes.
    Visible,
    /// Not shown; the asker's page says why.
    Rejected,
    /// Answered in the session; shown, marked as answered.
    Answered,
    /// Put away after the session; not shown in the live list.
    Archived,
}

impl QuestionState {
    pub const ALL: [QuestionState; 5] = [
        QuestionState::Queued,
        QuestionState::Visible,
        QuestionState::Rejected,
        QuestionState::Answered,
        QuestionState::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionState::Queued => "queued",
            QuestionState::Visible => "visible",
            QuestionState::Rejected => "rejected",
            QuestionState::Answered => "answered",
            QuestionState::Archived => "archived",
        }
    }

    pub fn parse(v: &str) -> Option<QuestionState> {
        QuestionState::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// Whether everyone sees it in the session's list.
    pub fn is_public(self) -> bool {
        matches!(self, QuestionState::Visible | QuestionState::Answered)
    }
}

/// Where a question came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionSource {
    /// Asked on the site.
    Web,
    /// Sent by e-mail and added by the moderation ("per E-Mail").
    Mail,
}

impl QuestionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionSource::Web => "web",
            QuestionSource::Mail => "mail",
        }
    }

    pub fn parse(v: &str) -> Option<QuestionSource> {
        match v {
            "web" => Some(QuestionSource::Web),
            "mail" => Some(QuestionSource::Mail),
            _ => None,
        }
    }
}

/// What the moderation does with a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    Show,
    Reject(String),
    Answer,
    Archive,
    Pin,
    Unpin,
}

impl Moderation {
    /// The state a question in `from` goes to, if the step is allowed from there (pinning
    /// keeps the state and needs a public question).
    pub fn next(&self, from: QuestionState) -> Option<QuestionState> {
        use QuestionState as Q;
        match (self, from) {
            (Moderation::Show, Q::Queued | Q::Rejected | Q::Archived | Q::Answered) => {
                Some(Q::Visible)
            }
            (Moderation::Reject(_), Q::Queued | Q::Visible) => Some(Q::Rejected),
            (Moderation::Answer, Q::Visible | Q::Queued) => Some(Q::Answered),
            (Moderation::Archive, Q::Visible | Q::Answered | Q::Rejected | Q::Queued) => {
                Some(Q::Archived)
            }
            (Moderation::Pin | Moderation::Unpin, s) if s.is_public() => Some(s),
            _ => None,
        }
    }
}

/// The longest question.
pub const QUESTION_MAX: usize = 500;
/// The shortest question.
pub const QUESTION_MIN: usize = 5;
/// The longest name an asker may give.
pub const ASKER_MAX: usize = 60;
/// The longest reason of a rejection.
pub const REASON_MAX: usize = 300;

/// Checks a question and the optional name; every problem, in the order of the form.
pub fn check_question(body: &str, name: &str) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let n = body.trim().chars().count();
    if n < QUESTION_MIN {
        p.push(problem("body", "question-too-short"));
    } else if n > QUESTION_MAX {
        p.push(problem("body", "question-too-long"));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        p.push(problem("body", "question-invalid"));
    }
    if name.trim().chars().count() > ASKER_MAX || name.chars().any(char::is_control) {
        p.push(problem("name", "question-name-invalid"));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Whether a session takes questions at `now`: open (not closed by the moderation), not
/// cancelled, and not over (questions in advance are welcome).
pub fn takes_questions(
    open: bool,
    cancelled: bool,
    ends_at: OffsetDateTime,
    now: OffsetDateTime,
) -> bool {
    open && !cancelled && now < ends_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn moderation_steps() {
        use QuestionState as Q;
        assert_eq!(Moderation::Show.next(Q::Queued), Some(Q::Visible));
        assert_eq!(
            Moderation::Reject("x".into()).next(Q::Queued),
            Some(Q::Rejected)
        );
        assert_eq!(Moderation::Answer.next(Q::Visible), Some(Q::Answered));
        assert_eq!(Moderation::Archive.next(Q::Answered), Some(Q::Archived));
        assert_eq!(Moderation::Pin.next(Q::Visible), Some(Q::Visible));
        assert_eq!(
            Moderation::Pin.next(Q::Queued),
            None,
            "only a public question is pinned"
        );
        assert_eq!(Moderation::Answer.next(Q::Rejected), None);
        for s in QuestionState::ALL {
            assert_eq!(QuestionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(QuestionSource::parse("mail"), Some(QuestionSource::Mail));
    }

    #[test]
    fn questions_are_checked() {
        assert!(check_question("Wie geht es weiter?", "").is_ok());
        let fields = |b: &str, n: &str| -> Vec<&str> {
            check_question(b, n)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields("Hm?", ""), ["body"]);
        assert_eq!(fields(&"x".repeat(QUESTION_MAX + 1), ""), ["body"]);
        assert_eq!(fields(&"ä".repeat(QUESTION_MAX), ""), Vec::<&str>::new());
        assert_eq!(fields("Eine Frage\u{0}", ""), ["body"]);
        assert_eq!(fields("Eine Frage", &"n".repeat(ASKER_MAX + 1)), ["name"]);
        let ends = datetime!(2026-12-06 12:00 UTC);
        assert!(takes_questions(
            true,
            false,
            ends,
            ends - time::Duration::days(3)
        ));
        assert!(!takes_questions(true, false, ends, ends));
        assert!(!takes_questions(
            false,
            false,
            ends,
            ends - time::Duration::hours(1)
        ));
        assert!(!takes_questions(
            true,
            true,
            ends,
            ends - time::Duration::hours(1)
        ));
    }
}
