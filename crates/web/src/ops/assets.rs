//! The embedded stylesheet, script and icons.

use crate::error::AppError;
use crate::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub(crate) struct Asset {
    pub(crate) name: &'static str,
    pub(crate) mime: &'static str,
    pub(crate) body: &'static [u8],
}

pub(crate) const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/style.css"),
    },
    Asset {
        name: "live.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/live.js"),
    },
    Asset {
        name: "stars.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/stars.js"),
    },
    Asset {
        name: "offers.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/offers.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../../assets/favicon.svg"),
    },
];

pub async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let a = ASSETS
        .iter()
        .find(|a| a.name == file)
        .ok_or(AppError::NotFound)?;
    let mut res = a.body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(res)
}
