//! Participation: ratings of measures and the participation windows of discussions (the
//! comments themselves are `crate::comments`).
//!
//! A measure page is cached for everyone; the rating totals are part of it (tag
//! `rating:<id>`), the reader's own rating and the form are a personal slot
//! (`<!--slot:rating:<id>-<slug>-->`) filled for signed-in readers.

mod ratings;
mod windows;

pub use ratings::{
    GUEST_RATINGS_PER_ADDRESS_HOUR, GUEST_RATINGS_PER_CLIENT_HOUR, RatingBox, confirm_rating,
    confirm_rating_form, parse_slot, rate, rate_guest, rating_box, rating_slot,
};
pub use windows::{save_window, windows_page};
