//! The open JSON API (`/api/v1/…`) and its OpenAPI document.

mod comments;
mod events;
mod ideas;
mod json;
mod measures;
mod strategy;

pub use comments::{comments, idea_comments, session_comments};
pub use events::{event, events, questions};
pub use ideas::{idea, ideas};
pub use json::*;
pub use measures::{measure, measures};
pub use strategy::{OPENAPI, openapi, strategy};
