//! The open JSON API (`/api/v1/…`) and its OpenAPI document.

mod json;
mod measures;
mod strategy;

pub use json::*;
pub use measures::{measure, measures};
pub use strategy::{OPENAPI, openapi, strategy};
