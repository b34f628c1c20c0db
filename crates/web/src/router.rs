//! Every route of the application, in one place.

use crate::{AppState, accounts, admin, api, cache, error, feeds, middleware, ops, radar};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/v1/strategy", get(api::strategy))
        .route("/api/v1/measures", get(api::measures))
        .route("/api/v1/measures/{id}", get(api::measure))
        .route("/api/openapi.json", get(api::openapi))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([axum::http::Method::GET]),
        );
    let cached = Router::new()
        .route("/", get(radar::home))
        .route("/radar", get(radar::radar))
        .route("/massnahmen", get(radar::measures))
        .route("/massnahmen/{slug}", get(radar::measure))
        .route("/handlungsfelder/{slug}", get(radar::field))
        .route("/zeitleiste", get(radar::timeline))
        .route("/statistik", get(radar::statistics))
        .route("/impressum", get(radar::imprint))
        .route("/datenschutz", get(radar::privacy))
        .route("/feeds/updates.atom", get(feeds::atom))
        .route("/export/strategie.csv", get(feeds::export_csv))
        .route("/export/strategie.json", get(feeds::export_json))
        .merge(api)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::middleware,
        ));
    // The logo and import uploads have body limits of their own; every other route keeps 64 KB.
    let uploads = Router::new()
        .route("/admin/einstellungen/logo", post(admin::upload_logo))
        .layer(RequestBodyLimitLayer::new(admin::LOGO_BODY_LIMIT))
        .merge(
            // Import files: up to MAX_UPLOAD, also for the multipart extractor's own limit.
            Router::new()
                .route("/admin/import", get(admin::import_form).post(admin::upload))
                .layer(DefaultBodyLimit::max(admin::MAX_UPLOAD + 64 * 1024))
                .layer(RequestBodyLimitLayer::new(admin::MAX_UPLOAD + 64 * 1024)),
        );
    let limited = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/assets/{file}", get(ops::asset))
        .route("/anmelden", get(accounts::login_form).post(accounts::login))
        .route("/abmelden", post(accounts::logout))
        .route("/konto", get(accounts::account))
        .route(
            "/konto/ueberall-abmelden",
            post(accounts::logout_everywhere),
        )
        .route(
            "/konto/passwort-setzen",
            get(accounts::set_password_form).post(accounts::set_password),
        )
        .route(
            "/registrieren",
            get(accounts::register_form).post(accounts::register),
        )
        .route(
            "/konto/bestaetigen",
            get(accounts::confirm_form).post(accounts::confirm),
        )
        .route(
            "/passwort-vergessen",
            get(accounts::forgot_form).post(accounts::forgot),
        )
        .route("/konto/passwort", post(accounts::change_password))
        .route("/konto/adresse", post(accounts::change_email))
        .route(
            "/konto/adresse-bestaetigen",
            get(accounts::confirm_email_change_form).post(accounts::confirm_email_change),
        )
        .route("/konto/loeschen", post(accounts::delete_account))
        .route("/konto/daten.json", get(accounts::export))
        .route("/admin/benutzer", get(admin::users))
        .route("/admin", get(admin::home))
        .route(
            "/admin/benutzer/{id}",
            get(admin::user_fields_form).post(admin::update_user),
        )
        .route(
            "/admin/benutzer/{id}/handlungsfelder",
            post(admin::save_user_fields),
        )
        .route("/admin/protokoll", get(admin::audit))
        .route("/admin/massnahmen", get(admin::measures))
        .route(
            "/admin/einstellungen",
            get(admin::settings_form).post(admin::save_settings),
        )
        .route(
            "/admin/massnahmen/neu",
            get(admin::new_measure_form).post(admin::create_measure),
        )
        .route(
            "/admin/massnahmen/{id}",
            get(admin::edit_measure_form).post(admin::edit_measure),
        )
        .route("/admin/massnahmen/{id}/vorschau", get(admin::preview))
        .route(
            "/admin/import/{id}",
            get(admin::import_preview).post(admin::apply_import),
        )
        .route(
            "/admin/strategie",
            get(admin::strategy_form).post(admin::save_strategy),
        )
        .route(
            "/admin/strategie/{kind}/neu",
            get(admin::new_tax_form).post(admin::create_tax),
        )
        .route(
            "/admin/strategie/{kind}/{id}",
            get(admin::edit_tax_form).post(admin::update_tax),
        )
        .route(
            "/admin/strategie/{kind}/{id}/verschieben",
            post(admin::move_tax),
        )
        .route(
            "/admin/strategie/{kind}/{id}/archivieren",
            post(admin::archive_tax),
        )
        .route(
            "/admin/einstellungen/logo-entfernen",
            post(admin::remove_logo),
        )
        .route("/admin/einstellungen/farbe", post(admin::save_accent))
        .route("/logo", get(ops::logo))
        .route("/theme.css", get(ops::theme_css))
        .merge(cached)
        .layer(RequestBodyLimitLayer::new(64 * 1024));
    middleware::stack(limited.merge(uploads), state, middleware::REQUEST_TIMEOUT)
}
