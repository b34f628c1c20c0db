//! The strategy's vocabulary: measure statuses and edition comparison.

use serde::{Deserialize, Serialize};

/// The status of a measure. Stored as its `as_str` text in both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    /// The German label, used in exports meant for people and accepted on import.
    pub fn german(self) -> &'static str {
        match self {
            Status::Planned => "Geplant",
            Status::InProgress => "In Umsetzung",
            Status::Done => "Abgeschlossen",
            Status::Dropped => "Eingestellt",
        }
    }

    /// Position of the ring on the radar, from the centre outwards.
    pub fn index(self) -> usize {
        match self {
            Status::Done => 0,
            Status::InProgress => 1,
            Status::Planned => 2,
            Status::Dropped => 3,
        }
    }

    /// Accepts the code (`in_progress`) and the German label (`In Umsetzung`), any case.
    pub fn parse(value: &str) -> Option<Status> {
        // Stored values are the codes themselves: no allocation for them.
        if let Some(s) = Status::ALL.into_iter().find(|s| s.as_str() == value) {
            return Some(s);
        }
        let v = value.trim().to_lowercase();
        Status::ALL.into_iter().find(|s| {
            v == s.as_str() || v == s.german().to_lowercase() || v == s.as_str().replace('_', " ")
        })
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Status {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Status::parse(&value).ok_or_else(|| format!("unknown status {value:?}"))
    }
}

/// How a measure changed between the previous and the current edition of the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditionMark {
    New,
    StatusChanged,
    Unchanged,
}

impl EditionMark {
    pub fn of(status: Status, previous: Option<Status>) -> EditionMark {
        match previous {
            None => EditionMark::New,
            Some(p) if p != status => EditionMark::StatusChanged,
            Some(_) => EditionMark::Unchanged,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EditionMark::New => "new",
            EditionMark::StatusChanged => "status_changed",
            EditionMark::Unchanged => "unchanged",
        }
    }
}

/// Weighted average of children's progress, rounded to a whole percent.
/// `None` when there are no children or all weights are zero.
pub fn rolled_up_progress(children: &[(f64, i64)]) -> Option<i64> {
    let total: f64 = children.iter().map(|(w, _)| w.max(0.0)).sum();
    if total <= 0.0 {
        return None;
    }
    let sum: f64 = children.iter().map(|(w, p)| w.max(0.0) * (*p as f64)).sum();
    Some(((sum / total).round() as i64).clamp(0, 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_codes_and_german_labels() {
        assert_eq!(Status::parse("in_progress"), Some(Status::InProgress));
        assert_eq!(Status::parse(" In Umsetzung "), Some(Status::InProgress));
        assert_eq!(Status::parse("ABGESCHLOSSEN"), Some(Status::Done));
        assert_eq!(Status::parse("eingestellt"), Some(Status::Dropped));
        assert_eq!(Status::parse("fertig"), None);
    }

    #[test]
    fn edition_mark_compares_previous_status() {
        assert_eq!(EditionMark::of(Status::Done, None), EditionMark::New);
        assert_eq!(
            EditionMark::of(Status::Done, Some(Status::InProgress)),
            EditionMark::StatusChanged
        );
        assert_eq!(
            EditionMark::of(Status::Done, Some(Status::Done)),
            EditionMark::Unchanged
        );
    }

    #[test]
    fn progress_rolls_up_as_weighted_average() {
        assert_eq!(rolled_up_progress(&[(1.0, 100), (3.0, 0)]), Some(25));
        assert_eq!(rolled_up_progress(&[(2.0, 50), (2.0, 51)]), Some(51));
        assert_eq!(rolled_up_progress(&[]), None);
        assert_eq!(rolled_up_progress(&[(0.0, 40)]), None);
    }
}
