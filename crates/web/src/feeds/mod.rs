//! Feeds and open-data exports: the Atom feed of progress reports, CSV and JSON exports.

pub(crate) mod atom;
mod export;

pub use atom::atom;
pub use export::{export_csv, export_json};
