//! The open JSON API (`/api/v1/…`), the offers as HSDS 3.0 (`/api/hsds/…`) and the OpenAPI
//! document.

mod comments;
mod events;
mod hsds;
mod hsds_map;
mod ideas;
mod json;
mod measures;
mod offers;
mod search;
mod strategy;

pub use comments::{comments, idea_comments, session_comments};
pub use events::{event, events, questions};
pub use hsds::{
    organization_by_id as hsds_organization, organizations as hsds_organizations,
    root as hsds_root, service_by_id as hsds_service, services as hsds_services,
};
pub use ideas::{idea, ideas};
pub use json::*;
pub use measures::{measure, measures};
pub(crate) use offers::filter_of as offer_filter;
pub use offers::{offer, offers, provider, providers};
pub use search::search;
pub use strategy::{OPENAPI, openapi, strategy};
