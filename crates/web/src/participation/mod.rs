//! Participation: ratings of measures (comments, ideas, moderation and follows come next).
//!
//! A measure page is cached for everyone; the rating totals are part of it (tag
//! `rating:<id>`), the reader's own rating and the form are a personal slot
//! (`<!--slot:rating:<id>-<slug>-->`) filled for signed-in readers.

mod ratings;

pub use ratings::{RatingBox, parse_slot, rate, rating_box, rating_slot};
