//! Who may change which measures: an editor may be restricted to some fields of action. One
//! function decides for every write path of a measure, including what a save touches
//! indirectly through the tree of measures.
//!
//! Changing a measure's parent changes two other measures: the new parent gains a sub-measure
//! and the old one loses it, and both rolled-up progress figures (and those above them) move.
//! So a restricted editor may set or remove a parent only when the new and the old parent lie
//! in their fields. A link that exists already — set by someone allowed to — is kept as it is:
//! reporting progress on a sub-measure moving its parent's figure is what the link is for.

/// The fields of action a person may change: `None` for every one.
pub type Fields<'a> = Option<&'a [i64]>;

/// Whether `fields` include `field_id`.
pub fn may_edit_field(fields: Fields<'_>, field_id: i64) -> bool {
    fields.is_none_or(|f| f.contains(&field_id))
}

/// What a save of a measure does to the tree: its field before (`None` for a new measure) and
/// after, and the fields of its parent before and after (`None`: no parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureWrite {
    pub old_field: Option<i64>,
    pub new_field: i64,
    pub old_parent: Option<(i64, i64)>,
    pub new_parent: Option<(i64, i64)>,
}

/// Why a save is outside the person's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfScope {
    /// The measure itself lies in another field.
    Measure,
    /// The field it would move to is not theirs.
    Field,
    /// The new parent lies in another field.
    Parent,
    /// The parent it would be taken from lies in another field.
    OldParent,
}

/// The rule, for creating and saving a measure. Parents are `(measure id, field id)`.
pub fn check_measure_write(fields: Fields<'_>, w: &MeasureWrite) -> Result<(), OutOfScope> {
    if let Some(old) = w.old_field
        && !may_edit_field(fields, old)
    {
        return Err(OutOfScope::Measure);
    }
    if !may_edit_field(fields, w.new_field) {
        return Err(OutOfScope::Field);
    }
    let old_id = w.old_parent.map(|(id, _)| id);
    let new_id = w.new_parent.map(|(id, _)| id);
    if old_id == new_id {
        return Ok(());
    }
    if let Some((_, field)) = w.new_parent
        && !may_edit_field(fields, field)
    {
        return Err(OutOfScope::Parent);
    }
    if let Some((_, field)) = w.old_parent
        && !may_edit_field(fields, field)
    {
        return Err(OutOfScope::OldParent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINE: i64 = 1;
    const OTHER: i64 = 2;

    fn write(old_parent: Option<(i64, i64)>, new_parent: Option<(i64, i64)>) -> MeasureWrite {
        MeasureWrite {
            old_field: Some(MINE),
            new_field: MINE,
            old_parent,
            new_parent,
        }
    }

    #[test]
    fn unrestricted_editors_may_do_everything() {
        let w = MeasureWrite {
            old_field: Some(OTHER),
            new_field: OTHER,
            old_parent: Some((10, OTHER)),
            new_parent: Some((11, MINE)),
        };
        assert_eq!(check_measure_write(None, &w), Ok(()));
    }

    #[test]
    fn the_measure_and_its_field_must_be_theirs() {
        let f = Some(&[MINE][..]);
        let mut w = write(None, None);
        assert_eq!(check_measure_write(f, &w), Ok(()));
        w.new_field = OTHER;
        assert_eq!(check_measure_write(f, &w), Err(OutOfScope::Field));
        w.old_field = Some(OTHER);
        assert_eq!(check_measure_write(f, &w), Err(OutOfScope::Measure));
        w.old_field = None;
        w.new_field = MINE;
        assert_eq!(check_measure_write(f, &w), Ok(()), "a new measure");
    }

    #[test]
    fn new_and_old_parents_must_be_theirs() {
        let f = Some(&[MINE][..]);
        let theirs = Some((10, MINE));
        let foreign = Some((20, OTHER));
        assert_eq!(check_measure_write(f, &write(None, theirs)), Ok(()));
        assert_eq!(
            check_measure_write(f, &write(None, foreign)),
            Err(OutOfScope::Parent)
        );
        assert_eq!(
            check_measure_write(f, &write(foreign, None)),
            Err(OutOfScope::OldParent)
        );
        assert_eq!(
            check_measure_write(f, &write(foreign, theirs)),
            Err(OutOfScope::OldParent)
        );
        assert_eq!(
            check_measure_write(f, &write(foreign, foreign)),
            Ok(()),
            "an existing link stays"
        );
        let mut new = write(None, foreign);
        new.old_field = None;
        assert_eq!(check_measure_write(f, &new), Err(OutOfScope::Parent));
    }
}
