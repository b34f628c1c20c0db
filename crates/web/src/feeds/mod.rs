//! Feeds and open-data exports: the Atom feed of progress reports, CSV and JSON exports of the
//! strategy, the public offers as CSV.

pub(crate) mod atom;
mod export;
mod offers;

pub use atom::atom;
pub use export::{export_csv, export_json};
pub use offers::offers_csv;
