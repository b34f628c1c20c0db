//! Ideas: citizens propose a new measure in a field of action (similar measures and ideas are
//! shown before it is sent), people support it once each, the city answers with a status, and
//! every idea has a discussion (the comments component with subject kind `idea`).
//!
//! The list and an idea's page are cached for everyone (tags `ideas`, `idea:<id>`); the reader's
//! support button (`<!--slot:idea-support:<id>-->`) and the links of staff
//! (`<!--slot:idea-staff:<id>-->`) are personal slots.

mod decide;
mod feed;
mod list;
mod page;
mod propose;
mod report;
mod views;

pub use decide::{decide, decide_form, moderate, moderate_form};
pub use feed::feed;
pub use list::{ListQuery, list, list_href, parse_filter};
pub use page::{idea_page, support};
pub use propose::{PER_ACCOUNT_HOUR, PER_CLIENT_HOUR, held, propose, propose_form};
pub use report::{report, report_form, report_guest};
pub use views::{staff_slot, status_label, support_slot};
