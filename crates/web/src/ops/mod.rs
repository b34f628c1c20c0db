//! For operators and browsers: health, readiness, metrics, the embedded assets, the logo and
//! the theme stylesheet.

mod assets;
pub mod branding;
mod health;

pub use assets::asset;
pub use branding::{logo, theme_css};
pub use health::{healthz, metrics, readyz};
