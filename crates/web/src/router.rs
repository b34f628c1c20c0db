//! The router: the routes of the table in `routes.rs`, in their layer stacks.

use crate::routes::{Stack, in_stack};
use crate::{AppState, admin, cache, error, middleware};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

pub fn router(state: AppState) -> Router {
    let api = routes(Stack::Api).layer(
        CorsLayer::new()
            .allow_origin(Any)
            .allow_methods([axum::http::Method::GET]),
    );
    // The time-out is inside the page cache: a cached page is answered without a timer.
    let timeout = || middleware::timeout(middleware::REQUEST_TIMEOUT);
    let cached = routes(Stack::Cached)
        .merge(api)
        .layer(timeout())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::middleware,
        ));
    // The logo, event images and import uploads have body limits of their own; every other
    // route keeps 64 KB.
    let uploads = routes(Stack::Logo)
        .layer(timeout())
        .layer(RequestBodyLimitLayer::new(admin::LOGO_BODY_LIMIT))
        .merge(
            // Import files: up to MAX_UPLOAD, also for the multipart extractor's own limit.
            routes(Stack::Import)
                .layer(timeout())
                .layer(DefaultBodyLimit::max(admin::MAX_UPLOAD + 64 * 1024))
                .layer(RequestBodyLimitLayer::new(admin::MAX_UPLOAD + 64 * 1024)),
        )
        .merge(
            routes(Stack::Image)
                .layer(timeout())
                .layer(DefaultBodyLimit::max(crate::programme::IMAGE_BODY_LIMIT))
                .layer(RequestBodyLimitLayer::new(
                    crate::programme::IMAGE_BODY_LIMIT,
                )),
        );
    let limited = routes(Stack::Plain)
        .layer(timeout())
        .merge(cached)
        .layer(RequestBodyLimitLayer::new(64 * 1024));
    let app = middleware::stack(limited.merge(uploads), state.clone());
    // Cached pages for readers without a session are answered before routing.
    Router::new().fallback_service(cache::Front::new(app, state))
}

/// A router with the routes of one stack; a path's methods are merged into one method router.
fn routes(stack: Stack) -> Router<AppState> {
    in_stack(stack).fold(Router::new(), |router, r| {
        router.route(r.path, (r.handler)())
    })
}
