//! The measure editor of the back office: the list, the form, saving and the preview.

mod edit;
mod form;
mod list;
mod shared;

pub use edit::{create_measure, edit_measure, edit_measure_form, new_measure_form, preview};
pub(crate) use form::*;
pub(crate) use list::field_groups;
pub use list::measures;
pub(crate) use shared::*;
