//! Pure types and rules of stadtradar: statuses, validation, text handling, the import document
//! and the radar layout maths. No IO, no database, no web.

pub mod accounts;
pub mod branding;
pub mod colour;
pub mod comments;
pub mod dates;
pub mod ical;
pub mod ideas;
pub mod image;
pub mod import;
pub mod mail;
pub mod net;
pub mod newsletter;
pub mod notifications;
pub mod offers;
pub mod participation;
pub mod programme;
pub mod radar;
pub mod scope;
pub mod search;
pub mod strategy;
pub mod tags;
pub mod text;

pub use strategy::{EditionMark, Status};
