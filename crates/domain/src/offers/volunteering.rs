//! Volunteering: the roles a provider needs people for (what, when, how many, what it takes),
//! and the applications to them. An application goes through the states of a request
//! (`requests::RequestState`, without proposals): a guest confirms the address first, the
//! provider accepts or declines with a reason, the person may withdraw. No IO.

use crate::programme::{Problem, problem};

/// Where a role stands: public only while open (and its provider approved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleState {
    Draft,
    /// Looking for people: public, applications taken.
    Open,
    /// Filled or over: shown to nobody but its provider.
    Closed,
}

impl RoleState {
    pub const ALL: [RoleState; 3] = [RoleState::Draft, RoleState::Open, RoleState::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleState::Draft => "draft",
            RoleState::Open => "open",
            RoleState::Closed => "closed",
        }
    }

    pub fn parse(v: &str) -> Option<RoleState> {
        RoleState::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// The most people a role may look for.
pub const NEEDED_MAX: i64 = 1000;
pub const TITLE_MAX: usize = 160;
pub const WHEN_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const REQUIREMENTS_MAX: usize = 2000;
/// The longest message of an application.
pub const MESSAGE_MAX: usize = 2000;

/// A role as its provider writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInput {
    pub title: String,
    /// Markdown.
    pub description: String,
    /// When and how often, in words ("wöchentlich 2 Stunden, nach Absprache").
    pub when: String,
    /// How many people are needed.
    pub needed: i64,
    pub requirements: String,
    pub district_id: Option<i64>,
    pub state: RoleState,
}

fn one_line(v: &str, max: usize) -> bool {
    v.chars().count() <= max && !v.chars().any(char::is_control)
}

fn text(v: &str, max: usize) -> bool {
    v.chars().count() <= max && !v.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
}

impl RoleInput {
    /// Every problem, in the order of the form.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        let title = self.title.trim().chars().count();
        if title < 3 || !one_line(&self.title, TITLE_MAX) {
            p.push(problem("title", "volunteer-title-invalid"));
        }
        if !text(&self.description, DESCRIPTION_MAX) {
            p.push(problem("description", "volunteer-description-invalid"));
        }
        if self.when.trim().is_empty() || !one_line(&self.when, WHEN_MAX) {
            p.push(problem("when", "volunteer-when-invalid"));
        }
        if !(1..=NEEDED_MAX).contains(&self.needed) {
            p.push(problem("needed", "volunteer-needed-invalid"));
        }
        if !text(&self.requirements, REQUIREMENTS_MAX) {
            p.push(problem("requirements", "volunteer-requirements-invalid"));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }
}

/// An application as typed: name and address come from the account when signed in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Why and how they would like to help.
    pub message: String,
}

impl ApplicationInput {
    /// Every problem, in the order of the form. A message is required: it is the application.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = match crate::programme::registration::check_registrant(&self.name, &self.email)
        {
            Ok(()) => Vec::new(),
            Err(p) => p,
        };
        if !one_line(&self.phone, 40) {
            p.push(problem("phone", "request-phone-invalid"));
        }
        if self.message.trim().is_empty() {
            p.push(problem("message", "volunteer-message-missing"));
        } else if !text(&self.message, MESSAGE_MAX) {
            p.push(problem("message", "request-message-invalid"));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role() -> RoleInput {
        RoleInput {
            title: "Digitallotse im Stadtteil".into(),
            description: "Sie helfen bei **digitalen** Fragen.".into(),
            when: "wöchentlich 2 Stunden".into(),
            needed: 8,
            requirements: "Geduld\nFreude am Erklären".into(),
            district_id: None,
            state: RoleState::Open,
        }
    }

    #[test]
    fn a_good_role_passes_and_bad_fields_are_named_in_order() {
        assert_eq!(role().check(), Ok(()));
        let bad = RoleInput {
            title: "x".into(),
            when: " ".into(),
            needed: 0,
            ..role()
        };
        let fields: Vec<_> = bad.check().unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["title", "when", "needed"]);
        let many = RoleInput {
            needed: NEEDED_MAX + 1,
            when: "a\nb".into(),
            ..role()
        };
        let keys: Vec<_> = many.check().unwrap_err().iter().map(|p| p.key).collect();
        assert_eq!(keys, ["volunteer-when-invalid", "volunteer-needed-invalid"]);
    }

    #[test]
    fn an_application_needs_a_message() {
        let a = ApplicationInput {
            name: "Ben".into(),
            email: "ben@example.org".into(),
            phone: String::new(),
            message: "Ich helfe gern.\nAb März.".into(),
        };
        assert_eq!(a.check(), Ok(()));
        let empty = ApplicationInput {
            message: "  ".into(),
            ..a.clone()
        };
        assert_eq!(
            empty.check().unwrap_err()[0].key,
            "volunteer-message-missing"
        );
        let long = ApplicationInput {
            message: "x".repeat(MESSAGE_MAX + 1),
            ..a
        };
        assert_eq!(long.check().unwrap_err()[0].field, "message");
    }

    #[test]
    fn states_round_trip() {
        for s in RoleState::ALL {
            assert_eq!(RoleState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RoleState::parse("gone"), None);
    }
}
