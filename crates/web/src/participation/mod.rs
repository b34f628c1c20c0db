//! Participation: ratings of measures and the participation windows of discussions (the
//! comments themselves are `crate::comments`).
//!
//! A measure page is cached for everyone; the rating totals are part of it (tag
//! `rating:<id>`), the reader's own rating and the form are a personal slot
//! (`<!--slot:rating:<id>-<slug>-->`) filled for signed-in readers.

mod ratings;
mod windows;

pub use ratings::{RatingBox, parse_slot, rate, rating_box, rating_slot};
pub use windows::{save_window, windows_page};
