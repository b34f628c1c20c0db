//! The route table: every route of the application as data — method, path, the feature it
//! belongs to, the access it needs and the layer stack it runs in. The router builds itself from
//! this table (`router.rs`); the route-matrix test sends every route as every role and checks
//! the answer against `access`; the OpenAPI check compares the `api` rows with `openapi.json`.
//!
//! `access` is enforced where the handler is: its extractors (`RequireRole<…>`, `Editor`,
//! `CsrfForm<…>`) refuse before the handler runs. The table says what they must do, and the
//! matrix test holds the two together.

use crate::{
    AppState, accounts, admin, api, comments, feeds, ideas, newsletter, notifications, offers, ops,
    participation, programme, radar, search,
};
use axum::routing::{MethodRouter, get, post};
use domain::accounts::Role;

/// The HTTP method of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Everybody, signed in or not.
    Anyone,
    /// Any signed-in person, whatever their roles.
    SignedIn,
    /// People holding this role; admins hold every role.
    Role(Role),
}

impl Access {
    /// Whether a person with `roles` (`None`: not signed in) may use the route.
    pub fn allows(self, roles: Option<&[Role]>) -> bool {
        match (self, roles) {
            (Access::Anyone, _) => true,
            (_, None) => false,
            (Access::SignedIn, Some(_)) => true,
            (Access::Role(role), Some(roles)) => {
                roles.contains(&role) || roles.contains(&Role::Admin)
            }
        }
    }
}

/// The layers a route runs in (see `router.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stack {
    /// Public pages behind the page cache.
    Cached,
    /// The read API: page cache and CORS for every origin.
    Api,
    /// Everything else: 64 KB bodies, no cache.
    Plain,
    /// The logo uploads' own body limit (the city's logo, a provider's logo).
    Logo,
    /// Import files, up to `admin::MAX_UPLOAD`.
    Import,
    /// An event's image, up to `programme::IMAGE_BODY_LIMIT`.
    Image,
}

/// One route of the table.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    /// The folder of `crates/web/src` whose handler answers it.
    pub feature: &'static str,
    pub access: Access,
    pub stack: Stack,
    /// The handler, as a method router for `path`.
    pub(crate) handler: fn() -> MethodRouter<AppState>,
}

impl Route {
    /// Whether the route changes state (and so needs a CSRF token or a same-origin check).
    pub fn changes_state(&self) -> bool {
        self.method == Method::Post
    }
}

macro_rules! route {
    (GET $path:literal, $feature:literal, $access:expr, $stack:ident, $handler:path) => {
        Route {
            method: Method::Get,
            path: $path,
            feature: $feature,
            access: $access,
            stack: Stack::$stack,
            handler: || get($handler),
        }
    };
    (POST $path:literal, $feature:literal, $access:expr, $stack:ident, $handler:path) => {
        Route {
            method: Method::Post,
            path: $path,
            feature: $feature,
            access: $access,
            stack: Stack::$stack,
            handler: || post($handler),
        }
    };
}

use Access::{Anyone, SignedIn};
const EDITOR: Access = Access::Role(Role::Editor);
const ADMIN: Access = Access::Role(Role::Admin);
const MODERATOR: Access = Access::Role(Role::Moderator);
const ORGANISER: Access = Access::Role(Role::Organiser);
const PROVIDER: Access = Access::Role(Role::Provider);

/// Every route of the application.
pub static ROUTES: &[Route] = &[
    // Public pages (cached).
    route!(GET "/", "radar", Anyone, Cached, radar::home),
    route!(GET "/radar", "radar", Anyone, Cached, radar::radar),
    route!(GET "/massnahmen", "radar", Anyone, Cached, radar::measures),
    route!(GET "/massnahmen/{slug}", "radar", Anyone, Cached, radar::measure),
    route!(GET "/massnahmen/{slug}/kommentare", "comments", Anyone, Cached, comments::comments_page),
    route!(GET "/kommentare/{id}", "comments", Anyone, Cached, comments::permalink),
    route!(GET "/massnahmen/{slug}/kommentare.atom", "comments", Anyone, Cached, comments::feed),
    route!(GET "/ideen", "ideas", Anyone, Cached, ideas::list),
    route!(GET "/angebote", "offers", Anyone, Cached, offers::list),
    route!(GET "/angebote/kalender", "offers", Anyone, Cached, offers::calendar_page),
    route!(GET "/angebote/kalender.ics", "offers", Anyone, Cached, offers::list_calendar),
    route!(GET "/angebote/{slug}", "offers", Anyone, Cached, offers::offer_page),
    route!(GET "/angebote/{slug}/kalender.ics", "offers", Anyone, Cached, offers::offer_calendar),
    route!(GET "/angebote/{slug}/anfragen", "offers", Anyone, Plain, offers::request_form),
    route!(POST "/angebote/{slug}/anfragen", "offers", Anyone, Plain, offers::create_request),
    route!(GET "/anfrage", "offers", Anyone, Plain, offers::request_page),
    route!(POST "/anfrage/bestaetigen", "offers", Anyone, Plain, offers::confirm_request),
    route!(POST "/anfrage/antworten", "offers", Anyone, Plain, offers::answer_request),
    route!(GET "/konto/anfragen", "offers", SignedIn, Plain, offers::my_requests),
    route!(GET "/ehrenamt", "offers", Anyone, Cached, offers::roles),
    route!(GET "/ehrenamt/{slug}", "offers", Anyone, Cached, offers::role_page),
    route!(GET "/ehrenamt/{slug}/bewerben", "offers", Anyone, Plain, offers::apply_form),
    route!(POST "/ehrenamt/{slug}/bewerben", "offers", Anyone, Plain, offers::apply),
    route!(GET "/bewerbung", "offers", Anyone, Plain, offers::application_page),
    route!(POST "/bewerbung/bestaetigen", "offers", Anyone, Plain, offers::confirm_application),
    route!(POST "/bewerbung/zurueckziehen", "offers", Anyone, Plain, offers::withdraw_application),
    route!(GET "/anbieten", "offers", SignedIn, Plain, offers::office),
    route!(POST "/anbieten/registrieren", "offers", SignedIn, Plain, offers::sign_up),
    route!(GET "/anbieten/{provider}", "offers", PROVIDER, Plain, offers::provider_office),
    route!(GET "/anbieten/{provider}/bearbeiten", "offers", PROVIDER, Plain, offers::edit_provider_form),
    route!(POST "/anbieten/{provider}/bearbeiten", "offers", PROVIDER, Plain, offers::update_provider),
    route!(GET "/anbieten/{provider}/logo", "offers", PROVIDER, Plain, offers::own_provider_logo),
    route!(POST "/anbieten/{provider}/logo", "offers", PROVIDER, Logo, offers::upload_provider_logo),
    route!(POST "/anbieten/{provider}/logo/entfernen", "offers", PROVIDER, Plain, offers::remove_provider_logo),
    route!(GET "/anbieten/{provider}/angebote/neu", "offers", PROVIDER, Plain, offers::new_offer_form),
    route!(POST "/anbieten/{provider}/angebote/neu", "offers", PROVIDER, Plain, offers::create_offer),
    route!(GET "/anbieten/{provider}/angebote/{id}", "offers", PROVIDER, Plain, offers::edit_offer_form),
    route!(POST "/anbieten/{provider}/angebote/{id}", "offers", PROVIDER, Plain, offers::update_offer),
    route!(GET "/anbieten/{provider}/anfragen", "offers", PROVIDER, Plain, offers::office_requests),
    route!(GET "/anbieten/{provider}/anfragen/{id}", "offers", PROVIDER, Plain, offers::office_request),
    route!(POST "/anbieten/{provider}/anfragen/{id}", "offers", PROVIDER, Plain, offers::decide_request),
    route!(GET "/anbieten/{provider}/ehrenamt", "offers", PROVIDER, Plain, offers::office_roles),
    route!(GET "/anbieten/{provider}/ehrenamt/neu", "offers", PROVIDER, Plain, offers::new_role_form),
    route!(POST "/anbieten/{provider}/ehrenamt/neu", "offers", PROVIDER, Plain, offers::create_role),
    route!(GET "/anbieten/{provider}/ehrenamt/{id}", "offers", PROVIDER, Plain, offers::edit_role_form),
    route!(POST "/anbieten/{provider}/ehrenamt/{id}", "offers", PROVIDER, Plain, offers::update_role),
    route!(POST "/anbieten/{provider}/ehrenamt/{id}/bewerbungen/{application}", "offers", PROVIDER, Plain, offers::decide_application),
    route!(GET "/anbieter", "offers", Anyone, Cached, offers::providers),
    route!(GET "/suche", "search", Anyone, Cached, search::search),
    route!(GET "/anbieter/{slug}", "offers", Anyone, Cached, offers::provider_page),
    route!(GET "/anbieter/{slug}/logo", "offers", Anyone, Cached, offers::provider_logo),
    route!(GET "/admin/anbieter", "offers", ADMIN, Plain, offers::admin_providers),
    route!(POST "/admin/anbieter/{id}/entscheiden", "offers", ADMIN, Plain, offers::decide_provider),
    route!(POST "/admin/anbieter/{id}/personen", "offers", ADMIN, Plain, offers::add_provider_member),
    route!(GET "/admin/orte", "offers", ADMIN, Plain, offers::admin_places),
    route!(POST "/admin/orte/stadtteile", "offers", ADMIN, Plain, offers::save_district),
    route!(POST "/admin/orte/stadtteile/{id}/entfernen", "offers", ADMIN, Plain, offers::remove_district),
    route!(POST "/admin/orte/postleitzahlen", "offers", ADMIN, Plain, offers::save_postcode),
    route!(POST "/admin/orte/postleitzahlen/{code}/entfernen", "offers", ADMIN, Plain, offers::remove_postcode),
    route!(POST "/admin/angebote/kategorien", "offers", ADMIN, Plain, offers::add_category),
    route!(POST "/admin/angebote/kategorien/{id}", "offers", ADMIN, Plain, offers::rename_category),
    route!(GET "/veranstaltungen", "programme", Anyone, Cached, programme::list),
    route!(GET "/veranstaltungen/formate.css", "programme", Anyone, Cached, programme::formats_css),
    route!(GET "/veranstaltungen/{slug}", "programme", Anyone, Cached, programme::event_page),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}", "programme", Anyone, Cached, programme::session_page),
    route!(GET "/veranstaltungen/{slug}/raster", "programme", Anyone, Cached, programme::grid_page),
    route!(GET "/veranstaltungen/{slug}/jetzt", "programme", Anyone, Plain, programme::now),
    route!(GET "/veranstaltungen/{slug}/kalender.ics", "programme", Anyone, Cached, programme::event_calendar),
    route!(GET "/veranstaltungen/{slug}/schedule.json", "programme", Anyone, Cached, programme::schedule_json),
    route!(GET "/veranstaltungen/{slug}/schedule.xml", "programme", Anyone, Cached, programme::schedule_xml),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/kalender.ics", "programme", Anyone, Cached, programme::session_calendar),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/fragen", "programme", Anyone, Cached, programme::questions),
    route!(POST "/veranstaltungen/{slug}/sessions/{session}/fragen", "programme", Anyone, Plain, programme::ask),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/fragen/leinwand", "programme", Anyone, Cached, programme::projector),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/fragen/live", "programme", Anyone, Plain, programme::questions_live),
    route!(GET "/veranstaltungen/{slug}/bild", "programme", Anyone, Cached, programme::event_image),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/kommentare", "comments", Anyone, Cached, comments::session_comments_page),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/kommentare.atom", "comments", Anyone, Cached, comments::session_feed),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/kommentare/live", "comments", Anyone, Plain, comments::session_live),
    route!(POST "/veranstaltungen/{slug}/sessions/{session}/kommentare", "comments", SignedIn, Plain, comments::create_on_session),
    route!(POST "/veranstaltungen/{slug}/sessions/{session}/kommentare/gast", "comments", Anyone, Plain, comments::create_guest_on_session),
    route!(POST "/fragen/{id}/stimme", "programme", Anyone, Plain, programme::vote),
    route!(GET "/veranstaltungen/{slug}/anmelden", "programme", Anyone, Plain, programme::register_form),
    route!(POST "/veranstaltungen/{slug}/anmelden", "programme", SignedIn, Plain, programme::register),
    route!(POST "/veranstaltungen/{slug}/anmelden/gast", "programme", Anyone, Plain, programme::register_guest),
    route!(GET "/veranstaltungen/{slug}/sessions/{session}/anmelden", "programme", Anyone, Plain, programme::register_session_form),
    route!(POST "/veranstaltungen/{slug}/sessions/{session}/anmelden", "programme", SignedIn, Plain, programme::register_session),
    route!(POST "/veranstaltungen/{slug}/sessions/{session}/anmelden/gast", "programme", Anyone, Plain, programme::register_session_guest),
    route!(GET "/anmeldung", "programme", Anyone, Plain, programme::registration_page),
    route!(POST "/mein-programm/merken", "programme", Anyone, Plain, programme::star),
    route!(GET "/mein-programm", "programme", Anyone, Plain, programme::personal),
    route!(GET "/mein-programm/kalender.ics", "programme", Anyone, Plain, programme::personal_calendar),
    route!(GET "/mein-programm/veranstaltungen/{slug}", "programme", Anyone, Plain, programme::personal_event),
    route!(GET "/konto/programm", "programme", SignedIn, Plain, programme::account_programme),
    route!(POST "/anmeldung/bestaetigen", "programme", Anyone, Plain, programme::confirm_registration),
    route!(POST "/anmeldung/annehmen", "programme", Anyone, Plain, programme::accept_offer),
    route!(POST "/anmeldung/abmelden", "programme", Anyone, Plain, programme::cancel_registration),
    route!(GET "/anmeldung/kalender.ics", "programme", Anyone, Plain, programme::registration_calendar),
    route!(GET "/veranstalten", "programme", ORGANISER, Plain, programme::office_events),
    route!(GET "/veranstalten/neu", "programme", ORGANISER, Plain, programme::new_event_form),
    route!(POST "/veranstalten/neu", "programme", ORGANISER, Plain, programme::create_event),
    route!(GET "/veranstalten/{id}/bearbeiten", "programme", ORGANISER, Plain, programme::edit_event_form),
    route!(POST "/veranstalten/{id}/bearbeiten", "programme", ORGANISER, Plain, programme::update_event),
    route!(GET "/veranstalten/{id}/programm", "programme", ORGANISER, Plain, programme::office_programme),
    route!(POST "/veranstalten/{id}/raeume", "programme", ORGANISER, Plain, programme::add_room),
    route!(POST "/veranstalten/{id}/raeume/{room}", "programme", ORGANISER, Plain, programme::update_room),
    route!(GET "/veranstalten/{id}/sessions/neu", "programme", ORGANISER, Plain, programme::new_session_form),
    route!(POST "/veranstalten/{id}/sessions/neu", "programme", ORGANISER, Plain, programme::create_session),
    route!(GET "/veranstalten/{id}/sessions/{session}", "programme", ORGANISER, Plain, programme::edit_session_form),
    route!(POST "/veranstalten/{id}/sessions/{session}", "programme", ORGANISER, Plain, programme::update_session),
    route!(GET "/veranstalten/formate", "programme", ORGANISER, Plain, programme::formats),
    route!(POST "/veranstalten/formate", "programme", ORGANISER, Plain, programme::add_format),
    route!(POST "/veranstalten/formate/{id}", "programme", ORGANISER, Plain, programme::update_format),
    route!(GET "/veranstalten/{id}/bild", "programme", ORGANISER, Plain, programme::own_image),
    route!(POST "/veranstalten/{id}/bild", "programme", ORGANISER, Image, programme::upload_image),
    route!(POST "/veranstalten/{id}/bild/entfernen", "programme", ORGANISER, Plain, programme::remove_image),
    route!(POST "/veranstalten/{id}/organisation", "programme", ADMIN, Plain, programme::add_organiser),
    route!(POST "/veranstalten/{id}/organisation/{user}/entfernen", "programme", ADMIN, Plain, programme::remove_organiser),
    route!(GET "/veranstalten/{id}/sessions/{session}/fragen", "programme", ORGANISER, Plain, programme::moderation),
    route!(POST "/veranstalten/{id}/sessions/{session}/fragen/einstellungen", "programme", ORGANISER, Plain, programme::qa_settings),
    route!(POST "/veranstalten/{id}/sessions/{session}/fragen/per-mail", "programme", ORGANISER, Plain, programme::add_mailed),
    route!(POST "/veranstalten/{id}/sessions/{session}/fragen/{question}", "programme", ORGANISER, Plain, programme::moderate),
    route!(GET "/veranstalten/{id}/anmeldungen", "programme", ORGANISER, Plain, programme::office_registrations),
    route!(GET "/veranstalten/{id}/anmeldungen.csv", "programme", ORGANISER, Plain, programme::registrations_csv),
    route!(POST "/veranstalten/{id}/anmeldungen/{registration}/check-in", "programme", ORGANISER, Plain, programme::check_in),
    route!(GET "/ideen.atom", "ideas", Anyone, Cached, ideas::feed),
    route!(GET "/ideen/{id}", "ideas", Anyone, Cached, ideas::idea_page),
    route!(GET "/ideen/{id}/kommentare", "comments", Anyone, Cached, comments::idea_comments_page),
    route!(GET "/ideen/{id}/kommentare.atom", "comments", Anyone, Cached, comments::idea_feed),
    route!(GET "/handlungsfelder/{slug}", "radar", Anyone, Cached, radar::field),
    route!(GET "/zeitleiste", "radar", Anyone, Cached, radar::timeline),
    route!(GET "/statistik", "radar", Anyone, Cached, radar::statistics),
    route!(GET "/impressum", "radar", Anyone, Cached, radar::imprint),
    route!(GET "/datenschutz", "radar", Anyone, Cached, radar::privacy),
    // Feeds and exports (cached).
    route!(GET "/feeds/updates.atom", "feeds", Anyone, Cached, feeds::atom),
    route!(GET "/export/strategie.csv", "feeds", Anyone, Cached, feeds::export_csv),
    route!(GET "/export/strategie.json", "feeds", Anyone, Cached, feeds::export_json),
    route!(GET "/export/angebote.csv", "feeds", Anyone, Cached, feeds::offers_csv),
    // The read API (cached, CORS).
    route!(GET "/api/v1/strategy", "api", Anyone, Api, api::strategy),
    route!(GET "/api/v1/measures", "api", Anyone, Api, api::measures),
    route!(GET "/api/v1/measures/{id}", "api", Anyone, Api, api::measure),
    route!(GET "/api/v1/measures/{id}/comments", "api", Anyone, Api, api::comments),
    route!(GET "/api/v1/ideas", "api", Anyone, Api, api::ideas),
    route!(GET "/api/v1/events", "api", Anyone, Api, api::events),
    route!(GET "/api/v1/events/{slug}", "api", Anyone, Api, api::event),
    route!(GET "/api/v1/events/{slug}/sessions/{session}/questions", "api", Anyone, Api, api::questions),
    route!(GET "/api/v1/events/{slug}/sessions/{session}/comments", "api", Anyone, Api, api::session_comments),
    route!(GET "/api/v1/ideas/{id}", "api", Anyone, Api, api::idea),
    route!(GET "/api/v1/ideas/{id}/comments", "api", Anyone, Api, api::idea_comments),
    route!(GET "/api/v1/offers", "api", Anyone, Api, api::offers),
    route!(GET "/api/v1/offers/{slug}", "api", Anyone, Api, api::offer),
    route!(GET "/api/v1/providers", "api", Anyone, Api, api::providers),
    route!(GET "/api/v1/providers/{slug}", "api", Anyone, Api, api::provider),
    route!(GET "/api/v1/search", "api", Anyone, Api, api::search),
    route!(GET "/api/hsds", "api", Anyone, Api, api::hsds_root),
    route!(GET "/api/hsds/services", "api", Anyone, Api, api::hsds_services),
    route!(GET "/api/hsds/services/{id}", "api", Anyone, Api, api::hsds_service),
    route!(GET "/api/hsds/organizations", "api", Anyone, Api, api::hsds_organizations),
    route!(GET "/api/hsds/organizations/{id}", "api", Anyone, Api, api::hsds_organization),
    route!(GET "/api/openapi.json", "api", Anyone, Api, api::openapi),
    // Operations and static files.
    route!(GET "/healthz", "ops", Anyone, Plain, ops::healthz),
    route!(GET "/readyz", "ops", Anyone, Plain, ops::readyz),
    route!(GET "/metrics", "ops", Anyone, Plain, ops::metrics),
    route!(GET "/assets/{file}", "ops", Anyone, Plain, ops::asset),
    route!(GET "/logo", "ops", Anyone, Plain, ops::logo),
    route!(GET "/theme.css", "ops", Anyone, Plain, ops::theme_css),
    // Accounts: forms before a session exists are guarded by the same-origin check.
    route!(GET "/anmelden", "accounts", Anyone, Plain, accounts::login_form),
    route!(POST "/anmelden", "accounts", Anyone, Plain, accounts::login),
    route!(GET "/registrieren", "accounts", Anyone, Plain, accounts::register_form),
    route!(POST "/registrieren", "accounts", Anyone, Plain, accounts::register),
    route!(GET "/konto/bestaetigen", "accounts", Anyone, Plain, accounts::confirm_form),
    route!(POST "/konto/bestaetigen", "accounts", Anyone, Plain, accounts::confirm),
    route!(GET "/passwort-vergessen", "accounts", Anyone, Plain, accounts::forgot_form),
    route!(POST "/passwort-vergessen", "accounts", Anyone, Plain, accounts::forgot),
    route!(GET "/konto/passwort-setzen", "accounts", Anyone, Plain, accounts::set_password_form),
    route!(POST "/konto/passwort-setzen", "accounts", Anyone, Plain, accounts::set_password),
    route!(GET "/konto/adresse-bestaetigen", "accounts", Anyone, Plain, accounts::confirm_email_change_form),
    route!(POST "/konto/adresse-bestaetigen", "accounts", Anyone, Plain, accounts::confirm_email_change),
    // Participation of signed-in people.
    route!(POST "/massnahmen/{slug}/bewertung", "participation", SignedIn, Plain, participation::rate),
    route!(POST "/massnahmen/{slug}/bewertung/gast", "participation", Anyone, Plain, participation::rate_guest),
    route!(GET "/bewertung/bestaetigen", "participation", Anyone, Plain, participation::confirm_rating_form),
    route!(POST "/bewertung/bestaetigen", "participation", Anyone, Plain, participation::confirm_rating),
    route!(POST "/massnahmen/{slug}/kommentare", "comments", SignedIn, Plain, comments::create),
    route!(GET "/kommentare/{id}/antworten", "comments", Anyone, Plain, comments::reply_form),
    route!(POST "/kommentare/{id}/antworten", "comments", SignedIn, Plain, comments::reply),
    route!(POST "/massnahmen/{slug}/kommentare/gast", "comments", Anyone, Plain, comments::create_guest),
    route!(POST "/kommentare/{id}/antworten/gast", "comments", Anyone, Plain, comments::reply_guest),
    route!(GET "/kommentare/bestaetigen", "comments", Anyone, Plain, comments::confirm_form),
    route!(POST "/kommentare/bestaetigen", "comments", Anyone, Plain, comments::confirm),
    route!(GET "/kommentare/bestaetigt", "comments", Anyone, Plain, comments::confirmed),
    route!(GET "/kommentare/{id}/melden", "comments", Anyone, Plain, comments::report_form),
    route!(POST "/kommentare/{id}/melden", "comments", SignedIn, Plain, comments::report),
    route!(POST "/kommentare/{id}/melden/gast", "comments", Anyone, Plain, comments::report_guest),
    route!(GET "/moderation", "comments", MODERATOR, Plain, comments::queue),
    route!(POST "/moderation/kommentare/{id}", "comments", MODERATOR, Plain, comments::decide),
    route!(POST "/moderation/personen/{id}", "comments", MODERATOR, Plain, comments::block),
    route!(POST "/moderation/kommentare/{id}/gast-sperren", "comments", MODERATOR, Plain, comments::block_guest),
    route!(POST "/moderation/gaeste/{id}/aufheben", "comments", MODERATOR, Plain, comments::unblock_guest),
    route!(GET "/kommentare/in-pruefung", "comments", Anyone, Plain, comments::held),
    route!(GET "/massnahmen/{slug}/kommentare/live", "comments", Anyone, Plain, comments::live),
    route!(GET "/ideen/neu", "ideas", SignedIn, Plain, ideas::propose_form),
    route!(GET "/ideen/in-pruefung", "ideas", Anyone, Plain, ideas::held),
    route!(POST "/ideen", "ideas", SignedIn, Plain, ideas::propose),
    route!(POST "/ideen/{id}/unterstuetzen", "ideas", SignedIn, Plain, ideas::support),
    route!(GET "/ideen/{id}/melden", "ideas", Anyone, Plain, ideas::report_form),
    route!(POST "/ideen/{id}/melden", "ideas", SignedIn, Plain, ideas::report),
    route!(POST "/ideen/{id}/melden/gast", "ideas", Anyone, Plain, ideas::report_guest),
    route!(GET "/ideen/{id}/status", "ideas", EDITOR, Plain, ideas::decide_form),
    route!(POST "/ideen/{id}/status", "ideas", EDITOR, Plain, ideas::decide),
    route!(GET "/moderation/ideen/{id}", "ideas", MODERATOR, Plain, ideas::moderate_form),
    route!(POST "/moderation/ideen/{id}", "ideas", MODERATOR, Plain, ideas::moderate),
    route!(POST "/ideen/{id}/kommentare", "comments", SignedIn, Plain, comments::create_on_idea),
    route!(POST "/ideen/{id}/kommentare/gast", "comments", Anyone, Plain, comments::create_guest_on_idea),
    route!(GET "/ideen/{id}/kommentare/live", "comments", Anyone, Plain, comments::idea_live),
    route!(GET "/kommentare/{id}/bearbeiten", "comments", SignedIn, Plain, comments::edit_form),
    route!(POST "/kommentare/{id}/bearbeiten", "comments", SignedIn, Plain, comments::edit),
    route!(GET "/kommentare/{id}/loeschen", "comments", SignedIn, Plain, comments::delete_form),
    route!(POST "/kommentare/{id}/loeschen", "comments", SignedIn, Plain, comments::delete),
    route!(POST "/kommentare/{id}/unterstuetzen", "comments", SignedIn, Plain, comments::vote),
    // Follows and notifications.
    route!(POST "/massnahmen/{slug}/folgen", "notifications", SignedIn, Plain, notifications::follow_measure),
    route!(POST "/handlungsfelder/{slug}/folgen", "notifications", SignedIn, Plain, notifications::follow_field),
    route!(POST "/ideen/{id}/folgen", "notifications", SignedIn, Plain, notifications::follow_idea),
    route!(GET "/benachrichtigungen", "notifications", SignedIn, Plain, notifications::list),
    route!(POST "/benachrichtigungen/gelesen", "notifications", SignedIn, Plain, notifications::mark_read),
    route!(GET "/konto/benachrichtigungen", "notifications", SignedIn, Plain, notifications::settings_page),
    route!(POST "/konto/benachrichtigungen", "notifications", SignedIn, Plain, notifications::save_settings),
    route!(POST "/konto/benachrichtigungen/entfolgen", "notifications", SignedIn, Plain, notifications::unfollow),
    // The one-click unsubscribe of notification mail (RFC 8058): the token in the link decides.
    route!(GET "/benachrichtigungen/abbestellen", "notifications", Anyone, Plain, notifications::unsubscribe_form),
    route!(POST "/benachrichtigungen/abbestellen", "notifications", Anyone, Plain, notifications::unsubscribe),
    // The newsletter: subscribing (double opt-in), the link of every mail (one click, RFC 8058;
    // the token in the URL decides), the archive, the account's choice and the back office.
    route!(GET "/newsletter", "newsletter", Anyone, Plain, newsletter::subscribe_page),
    route!(POST "/newsletter", "newsletter", Anyone, Plain, newsletter::subscribe),
    route!(GET "/newsletter/bestaetigen", "newsletter", Anyone, Plain, newsletter::confirm_form),
    route!(POST "/newsletter/bestaetigen", "newsletter", Anyone, Plain, newsletter::confirm),
    route!(GET "/newsletter/abbestellen", "newsletter", Anyone, Plain, newsletter::unsubscribe_form),
    route!(POST "/newsletter/abbestellen", "newsletter", Anyone, Plain, newsletter::unsubscribe),
    route!(GET "/newsletter/themen", "newsletter", Anyone, Plain, newsletter::topics_form),
    route!(POST "/newsletter/themen", "newsletter", Anyone, Plain, newsletter::topics_save),
    route!(GET "/newsletter/archiv", "newsletter", Anyone, Cached, newsletter::archive),
    route!(GET "/newsletter/archiv.atom", "newsletter", Anyone, Cached, newsletter::feed),
    route!(GET "/newsletter/archiv/{id}", "newsletter", Anyone, Cached, newsletter::issue_page),
    route!(GET "/konto/newsletter", "newsletter", SignedIn, Plain, newsletter::account_page),
    route!(POST "/konto/newsletter", "newsletter", SignedIn, Plain, newsletter::save_account),
    route!(GET "/admin/newsletter", "newsletter", EDITOR, Plain, newsletter::issues),
    route!(GET "/admin/newsletter/neu", "newsletter", EDITOR, Plain, newsletter::new_issue),
    route!(POST "/admin/newsletter/neu", "newsletter", EDITOR, Plain, newsletter::create_issue),
    route!(GET "/admin/newsletter/{id}", "newsletter", EDITOR, Plain, newsletter::edit_issue),
    route!(POST "/admin/newsletter/{id}", "newsletter", EDITOR, Plain, newsletter::save_issue),
    route!(POST "/admin/newsletter/{id}/test", "newsletter", EDITOR, Plain, newsletter::test_issue),
    route!(POST "/admin/newsletter/{id}/senden", "newsletter", EDITOR, Plain, newsletter::send_issue),
    // Accounts of signed-in people.
    route!(POST "/abmelden", "accounts", SignedIn, Plain, accounts::logout),
    route!(GET "/konto", "accounts", SignedIn, Plain, accounts::account),
    route!(POST "/konto/ueberall-abmelden", "accounts", SignedIn, Plain, accounts::logout_everywhere),
    route!(POST "/konto/passwort", "accounts", SignedIn, Plain, accounts::change_password),
    route!(POST "/konto/adresse", "accounts", SignedIn, Plain, accounts::change_email),
    route!(POST "/konto/loeschen", "accounts", SignedIn, Plain, accounts::delete_account),
    route!(GET "/konto/daten.json", "accounts", SignedIn, Plain, accounts::export),
    // The back office.
    route!(GET "/admin", "admin", EDITOR, Plain, admin::home),
    route!(POST "/admin/demodaten/entfernen", "admin", ADMIN, Plain, admin::remove_demo),
    route!(GET "/admin/massnahmen", "admin/measures", EDITOR, Plain, admin::measures),
    route!(GET "/admin/massnahmen/neu", "admin/measures", EDITOR, Plain, admin::new_measure_form),
    route!(POST "/admin/massnahmen/neu", "admin/measures", EDITOR, Plain, admin::create_measure),
    route!(GET "/admin/massnahmen/{id}", "admin/measures", EDITOR, Plain, admin::edit_measure_form),
    route!(POST "/admin/massnahmen/{id}", "admin/measures", EDITOR, Plain, admin::edit_measure),
    route!(GET "/admin/massnahmen/{id}/vorschau", "admin/measures", EDITOR, Plain, admin::preview),
    route!(GET "/admin/strategie", "admin", EDITOR, Plain, admin::strategy_form),
    route!(POST "/admin/strategie", "admin", EDITOR, Plain, admin::save_strategy),
    route!(GET "/admin/strategie/{kind}/neu", "admin", EDITOR, Plain, admin::new_tax_form),
    route!(POST "/admin/strategie/{kind}/neu", "admin", EDITOR, Plain, admin::create_tax),
    route!(GET "/admin/strategie/{kind}/{id}", "admin", EDITOR, Plain, admin::edit_tax_form),
    route!(POST "/admin/strategie/{kind}/{id}", "admin", EDITOR, Plain, admin::update_tax),
    route!(POST "/admin/strategie/{kind}/{id}/verschieben", "admin", EDITOR, Plain, admin::move_tax),
    route!(POST "/admin/strategie/{kind}/{id}/archivieren", "admin", EDITOR, Plain, admin::archive_tax),
    route!(GET "/admin/import", "admin", EDITOR, Import, admin::import_form),
    route!(POST "/admin/import", "admin", EDITOR, Import, admin::upload),
    route!(GET "/admin/import/{id}", "admin", EDITOR, Plain, admin::import_preview),
    route!(POST "/admin/import/{id}", "admin", EDITOR, Plain, admin::apply_import),
    route!(GET "/admin/benutzer", "admin", ADMIN, Plain, admin::users),
    route!(GET "/admin/benutzer/{id}", "admin", ADMIN, Plain, admin::user_fields_form),
    route!(POST "/admin/benutzer/{id}", "admin", ADMIN, Plain, admin::update_user),
    route!(POST "/admin/benutzer/{id}/handlungsfelder", "admin", ADMIN, Plain, admin::save_user_fields),
    route!(GET "/admin/protokoll", "admin", ADMIN, Plain, admin::audit),
    route!(GET "/admin/einstellungen", "admin", ADMIN, Plain, admin::settings_form),
    route!(POST "/admin/einstellungen", "admin", ADMIN, Plain, admin::save_settings),
    route!(POST "/admin/einstellungen/logo", "admin", ADMIN, Logo, admin::upload_logo),
    route!(POST "/admin/einstellungen/logo-entfernen", "admin", ADMIN, Plain, admin::remove_logo),
    route!(POST "/admin/einstellungen/farbe", "admin", ADMIN, Plain, admin::save_accent),
    route!(POST "/admin/einstellungen/beteiligung", "admin", ADMIN, Plain, admin::save_participation),
    route!(GET "/admin/beteiligung", "participation", EDITOR, Plain, participation::windows_page),
    route!(POST "/admin/beteiligung", "participation", EDITOR, Plain, participation::save_window),
];

/// The routes of one layer stack.
pub(crate) fn in_stack(stack: Stack) -> impl Iterator<Item = &'static Route> {
    ROUTES.iter().filter(move |r| r.stack == stack)
}
