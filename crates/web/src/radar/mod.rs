//! The public radar: start page, the radar drawing, the list and page of measures, fields of
//! action, timeline, statistics and the legal pages.

pub mod cards;
mod chart;
mod field;
mod home;
mod legal;
mod list;
mod measure;
pub mod params;
mod shared;
mod statistics;
pub mod svg;
mod timeline;
pub mod views;

pub use chart::radar;
pub use field::field;
pub use home::home;
pub use legal::{imprint, privacy};
pub(crate) use list::list_tags;
pub use list::measures;
pub use measure::{measure, measure_page, measure_to_write, published_measure};
pub(crate) use shared::*;
pub use statistics::statistics;
pub use timeline::timeline;
