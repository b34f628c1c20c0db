//! Ideas of citizens: a new measure proposed in a field of action, supported by people and
//! answered by the city with a status. The rules: what a proposal must hold, the statuses and
//! what each needs, the orders and cursors of the list.

/// Where an idea stands. The city moves it; "abgelehnt" needs a reason, "angenommen" may name
/// the measure that takes it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdeaStatus {
    /// "eingereicht": proposed, not yet looked at.
    Submitted,
    /// "in Prüfung".
    InReview,
    /// "angenommen".
    Accepted,
    /// "abgelehnt".
    Rejected,
}

impl IdeaStatus {
    pub const ALL: [IdeaStatus; 4] = [
        IdeaStatus::Submitted,
        IdeaStatus::InReview,
        IdeaStatus::Accepted,
        IdeaStatus::Rejected,
    ];

    /// The value stored and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            IdeaStatus::Submitted => "submitted",
            IdeaStatus::InReview => "in_review",
            IdeaStatus::Accepted => "accepted",
            IdeaStatus::Rejected => "rejected",
        }
    }

    pub fn parse(v: &str) -> Option<IdeaStatus> {
        IdeaStatus::ALL.into_iter().find(|s| s.as_str() == v)
    }

    /// The place of the status in the list sorted by status (higher first): accepted, in
    /// review, submitted, rejected. Stored as `ideas.status_rank`, so the order has an index.
    pub fn rank(self) -> i64 {
        match self {
            IdeaStatus::Accepted => 3,
            IdeaStatus::InReview => 2,
            IdeaStatus::Submitted => 1,
            IdeaStatus::Rejected => 0,
        }
    }

    /// Whether people may still support an idea in this status (a decided idea is closed).
    pub fn takes_support(self) -> bool {
        matches!(self, IdeaStatus::Submitted | IdeaStatus::InReview)
    }
}

/// Bounds of a proposal, in characters.
pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MIN: usize = 20;
pub const DESCRIPTION_MAX: usize = 5000;
pub const BENEFIT_MAX: usize = 2000;
pub const PLACE_MAX: usize = 200;
/// The longest reason of a status.
pub const REASON_MAX: usize = 2000;
/// Ideas per page of the list.
pub const PAGE_SIZE: i64 = 20;
/// Similar measures and ideas shown before a proposal is sent (each).
pub const SIMILAR_SHOWN: i64 = 5;

/// A field of a proposal and what is wrong with it (the message key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
}

/// A proposal as it will be stored: trimmed texts within their bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub field_id: i64,
    pub title: String,
    pub description: String,
    pub benefit: String,
    pub place: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// Checks a proposal; every problem at once, so the form can show them all.
pub fn check_proposal(
    field_id: Option<i64>,
    title: &str,
    description: &str,
    benefit: &str,
    place: &str,
) -> Result<Proposal, Vec<Problem>> {
    let title = one_line(title);
    let description = text(description);
    let benefit = text(benefit);
    let place = one_line(place);
    let mut problems = Vec::new();
    let len = |s: &str| s.chars().count();
    if field_id.is_none() {
        problems.push(Problem {
            field: "field",
            key: "idea-field-missing",
        });
    }
    if len(&title) < TITLE_MIN {
        problems.push(Problem {
            field: "title",
            key: "idea-title-short",
        });
    } else if len(&title) > TITLE_MAX {
        problems.push(Problem {
            field: "title",
            key: "idea-title-long",
        });
    }
    if len(&description) < DESCRIPTION_MIN {
        problems.push(Problem {
            field: "description",
            key: "idea-description-short",
        });
    } else if len(&description) > DESCRIPTION_MAX {
        problems.push(Problem {
            field: "description",
            key: "idea-description-long",
        });
    }
    if benefit.is_empty() {
        problems.push(Problem {
            field: "benefit",
            key: "idea-benefit-missing",
        });
    } else if len(&benefit) > BENEFIT_MAX {
        problems.push(Problem {
            field: "benefit",
            key: "idea-benefit-long",
        });
    }
    if len(&place) > PLACE_MAX {
        problems.push(Problem {
            field: "place",
            key: "idea-place-long",
        });
    }
    match (field_id, problems.is_empty()) {
        (Some(field_id), true) => Ok(Proposal {
            field_id,
            title,
            description,
            benefit,
            place,
        }),
        _ => Err(problems),
    }
}

/// A status decision of the city, checked: a rejection needs a reason; only an acceptance links
/// a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: IdeaStatus,
    pub reason: String,
    pub measure_id: Option<i64>,
}

/// Checks a status decision.
pub fn check_decision(
    status: IdeaStatus,
    reason: &str,
    measure_id: Option<i64>,
) -> Result<Decision, Problem> {
    let reason = text(reason);
    if reason.chars().count() > REASON_MAX {
        return Err(Problem {
            field: "reason",
            key: "idea-reason-long",
        });
    }
    if status == IdeaStatus::Rejected && reason.is_empty() {
        return Err(Problem {
            field: "reason",
            key: "idea-reason-missing",
        });
    }
    Ok(Decision {
        status,
        reason,
        measure_id: (status == IdeaStatus::Accepted)
            .then_some(measure_id)
            .flatten(),
    })
}

/// How the list of ideas is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdeaSort {
    /// Most supports first; equal ones newest first.
    #[default]
    Supported,
    Newest,
    /// By status (accepted, in review, submitted, rejected), newest first within one.
    Status,
}

impl IdeaSort {
    pub const ALL: [IdeaSort; 3] = [IdeaSort::Supported, IdeaSort::Newest, IdeaSort::Status];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaSort::Supported => "supported",
            IdeaSort::Newest => "newest",
            IdeaSort::Status => "status",
        }
    }

    pub fn parse(v: &str) -> Option<IdeaSort> {
        IdeaSort::ALL.into_iter().find(|s| s.as_str() == v)
    }
}

/// Where the next page of the list starts: after the idea `id`, whose sort key (supports or
/// status rank; unused when newest first) was `key`. Written in URLs as `id` or `key.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdeaCursor {
    pub key: i64,
    pub id: i64,
}

impl IdeaCursor {
    pub fn encode(self, sort: IdeaSort) -> String {
        match sort {
            IdeaSort::Newest => self.id.to_string(),
            _ => format!("{}.{}", self.key, self.id),
        }
    }

    /// The cursor of a URL for `sort`; `None` when it is not one.
    pub fn parse(v: &str, sort: IdeaSort) -> Option<IdeaCursor> {
        let num = |s: &str| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && s.bytes().all(|b| b.is_ascii_digit()))
        };
        match sort {
            IdeaSort::Newest => Some(IdeaCursor {
                key: 0,
                id: num(v)?,
            }),
            _ => {
                let (k, id) = v.split_once('.')?;
                Some(IdeaCursor {
                    key: num(k)?,
                    id: num(id)?,
                })
            }
        }
    }
}

/// The terms of a proposal that look for similar measures and ideas: the stemmed words of its
/// title (and description, when given) of four letters or more, without repeats, at most 12,
/// so that a long text makes no long query.
pub fn similarity_terms(title: &str, description: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for t in crate::text::search_terms(title)
        .into_iter()
        .chain(crate::text::search_terms(description))
    {
        if t.chars().count() >= 4 && !terms.contains(&t) && terms.len() < 12 {
            terms.push(t);
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_are_checked_field_by_field() {
        let ok = check_proposal(
            Some(3),
            "  Mehr   Bänke  ",
            "Am Marktplatz fehlen Sitzgelegenheiten.",
            "Ältere Menschen können ausruhen.",
            "",
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(ok.title, "Mehr Bänke");
        assert_eq!(ok.field_id, 3);
        let err = check_proposal(None, "Kurz", "zu kurz", "", &"x".repeat(201))
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = err.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["field", "title", "description", "benefit", "place"]
        );
        let long = check_proposal(Some(1), &"t".repeat(121), &"d".repeat(5001), "b", "")
            .err()
            .unwrap_or_default();
        assert_eq!(long[0].key, "idea-title-long");
        assert_eq!(long[1].key, "idea-description-long");
    }

    #[test]
    fn a_rejection_needs_a_reason_and_only_an_acceptance_links_a_measure() {
        assert_eq!(
            check_decision(IdeaStatus::Rejected, "  ", None),
            Err(Problem {
                field: "reason",
                key: "idea-reason-missing"
            })
        );
        let d = check_decision(IdeaStatus::InReview, "", Some(4)).ok();
        assert_eq!(d.and_then(|d| d.measure_id), None);
        let d = check_decision(IdeaStatus::Accepted, "Gute Idee", Some(4)).ok();
        assert_eq!(d.and_then(|d| d.measure_id), Some(4));
    }

    #[test]
    fn statuses_and_cursors_round_trip() {
        for s in IdeaStatus::ALL {
            assert_eq!(IdeaStatus::parse(s.as_str()), Some(s));
        }
        let c = IdeaCursor { key: 7, id: 42 };
        for sort in IdeaSort::ALL {
            let back = IdeaCursor::parse(&c.encode(sort), sort);
            let want = if sort == IdeaSort::Newest {
                IdeaCursor { key: 0, id: 42 }
            } else {
                c
            };
            assert_eq!(back, Some(want));
        }
        assert_eq!(IdeaCursor::parse("-1.3", IdeaSort::Supported), None);
        assert_eq!(IdeaCursor::parse("3", IdeaSort::Status), None);
        assert!(!IdeaStatus::Accepted.takes_support());
    }

    #[test]
    fn similarity_uses_long_distinct_stems() {
        let t = similarity_terms("Bänke am Markt", "Mehr Bänke am Marktplatz");
        assert!(t.contains(&"bank".to_string()) || t.iter().any(|x| x.starts_with("ban")));
        assert!(!t.iter().any(|x| x == "am"));
        let unique: std::collections::HashSet<&String> = t.iter().collect();
        assert_eq!(unique.len(), t.len());
    }
}
