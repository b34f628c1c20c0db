//! Every route of the route table (`web::routes::ROUTES`) × every role: the answer must be what
//! the table's `access` says. Refused people are sent to the login page (anonymous) or get 403;
//! permitted people get the route's own answer. Every state-changing route is sent three times
//! per person: without a token, with a wrong one and with the person's valid token.
use super::accounts::{PW, cookie_of, csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use web::routes::{Access, Method, ROUTES, Route, Stack};

const OK: u16 = 200;
const REDIRECT: u16 = 303;
const DENIED: u16 = 403;

/// Someone the matrix asks as: no session, or a session with these roles.
struct Persona {
    name: &'static str,
    email: &'static str,
    roles: Option<&'static [Role]>,
}

const PERSONAS: [Persona; 7] = [
    Persona {
        name: "anonymous",
        email: "",
        roles: None,
    },
    Persona {
        name: "citizen",
        email: "buerger@musterstadt.example",
        roles: Some(&[Role::Citizen]),
    },
    Persona {
        name: "moderator",
        email: "moderation@musterstadt.example",
        roles: Some(&[Role::Moderator]),
    },
    Persona {
        name: "organiser",
        email: "veranstaltung@musterstadt.example",
        roles: Some(&[Role::Organiser]),
    },
    Persona {
        name: "provider",
        email: "bibliothek@musterstadt.example",
        roles: Some(&[Role::Provider]),
    },
    Persona {
        name: "editor",
        email: "redaktion@musterstadt.example",
        roles: Some(&[Role::Editor]),
    },
    Persona {
        name: "admin",
        email: "admin@musterstadt.example",
        roles: Some(&[Role::Admin]),
    },
];

/// A concrete path for a route of the table (parameters filled with demo data).
fn sample(route: &Route) -> String {
    let p = route.path;
    let concrete = match (route.method, p) {
        (_, "/massnahmen/{slug}") => "/massnahmen/digitaltag-musterstadt",
        (_, "/massnahmen/{slug}/bewertung") => "/massnahmen/digitaltag-musterstadt/bewertung",
        (_, "/massnahmen/{slug}/bewertung/gast") => {
            "/massnahmen/digitaltag-musterstadt/bewertung/gast"
        }
        (_, "/massnahmen/{slug}/kommentare") => "/massnahmen/digitaltag-musterstadt/kommentare",
        // The comment the matrix posts first; edits and deletions go to one that does not
        // exist, so that the matrix changes nobody's comment.
        (_, "/kommentare/{id}") => "/kommentare/1",
        (_, "/kommentare/{id}/antworten") => "/kommentare/1/antworten",
        (_, "/massnahmen/{slug}/kommentare.atom") => {
            "/massnahmen/digitaltag-musterstadt/kommentare.atom"
        }
        (_, "/massnahmen/{slug}/kommentare/live") => {
            "/massnahmen/digitaltag-musterstadt/kommentare/live"
        }
        (_, "/massnahmen/{slug}/kommentare/gast") => {
            "/massnahmen/digitaltag-musterstadt/kommentare/gast"
        }
        (_, "/kommentare/{id}/antworten/gast") => "/kommentare/1/antworten/gast",
        (_, "/kommentare/{id}/melden") => "/kommentare/1/melden",
        (_, "/kommentare/{id}/melden/gast") => "/kommentare/1/melden/gast",
        (_, "/moderation/kommentare/{id}") => "/moderation/kommentare/999999",
        (_, "/moderation/personen/{id}") => "/moderation/personen/999999",
        (_, "/moderation/kommentare/{id}/gast-sperren") => {
            "/moderation/kommentare/999999/gast-sperren"
        }
        (_, "/moderation/gaeste/{id}/aufheben") => "/moderation/gaeste/999999/aufheben",
        (_, "/kommentare/{id}/unterstuetzen") => "/kommentare/1/unterstuetzen",
        (_, "/kommentare/{id}/bearbeiten") => "/kommentare/999999/bearbeiten",
        (_, "/kommentare/{id}/loeschen") => "/kommentare/999999/loeschen",
        (_, "/handlungsfelder/{slug}") => "/handlungsfelder/bildung",
        // The demo's first idea; the moderation's changes go to one that does not exist.
        (_, "/ideen/{id}") => "/ideen/1",
        (_, "/ideen/{id}/kommentare") => "/ideen/1/kommentare",
        (_, "/ideen/{id}/kommentare.atom") => "/ideen/1/kommentare.atom",
        (_, "/ideen/{id}/kommentare/live") => "/ideen/1/kommentare/live",
        (_, "/ideen/{id}/kommentare/gast") => "/ideen/1/kommentare/gast",
        (_, "/ideen/{id}/unterstuetzen") => "/ideen/1/unterstuetzen",
        (_, "/ideen/{id}/status") => "/ideen/1/status",
        (_, "/ideen/{id}/melden") => "/ideen/1/melden",
        (_, "/ideen/{id}/melden/gast") => "/ideen/1/melden/gast",
        (_, "/ideen/{id}/folgen") => "/ideen/1/folgen",
        (_, "/moderation/ideen/{id}") => "/moderation/ideen/1",
        (_, "/api/v1/ideas/{id}") => "/api/v1/ideas/1",
        (_, "/api/v1/ideas/{id}/comments") => "/api/v1/ideas/1/comments",
        (_, "/massnahmen/{slug}/folgen") => "/massnahmen/digitaltag-musterstadt/folgen",
        (_, "/handlungsfelder/{slug}/folgen") => "/handlungsfelder/bildung/folgen",
        // A link that is not one of the site's.
        (_, "/benachrichtigungen/abbestellen") => "/benachrichtigungen/abbestellen?token=1.x",
        // The newsletter: links that are not the site's, issues that do not exist.
        (_, "/newsletter/abbestellen") => "/newsletter/abbestellen?token=1.x",
        (_, "/newsletter/themen") => "/newsletter/themen?token=1.x",
        (_, "/newsletter/bestaetigen") if route.method == Method::Get => {
            "/newsletter/bestaetigen?token=x"
        }
        (_, "/newsletter/archiv/{id}") => "/newsletter/archiv/999999",
        (_, "/admin/newsletter/{id}") => "/admin/newsletter/999999",
        (_, "/admin/newsletter/{id}/test") => "/admin/newsletter/999999/test",
        (_, "/admin/newsletter/{id}/senden") => "/admin/newsletter/999999/senden",
        (_, "/api/v1/measures/{id}") => "/api/v1/measures/1",
        (_, "/api/v1/measures/{id}/comments") => "/api/v1/measures/1/comments",
        (_, "/assets/{file}") => "/assets/style.css",
        (_, "/admin/massnahmen/{id}") => "/admin/massnahmen/1",
        (_, "/admin/massnahmen/{id}/vorschau") => "/admin/massnahmen/1/vorschau",
        (_, "/admin/strategie/{kind}/neu") => "/admin/strategie/kernbereich/neu",
        (_, "/admin/strategie/{kind}/{id}") => "/admin/strategie/handlungsfeld/1",
        (_, "/admin/strategie/{kind}/{id}/verschieben") => {
            "/admin/strategie/handlungsfeld/1/verschieben"
        }
        (_, "/admin/strategie/{kind}/{id}/archivieren") => {
            "/admin/strategie/schwerpunkt/1/archivieren"
        }
        (_, "/admin/import/{id}") => "/admin/import/1",
        (_, "/anbieten/{provider}") => "/anbieten/999999",
        (_, "/anbieten/{provider}/bearbeiten") => "/anbieten/999999/bearbeiten",
        (_, "/anbieten/{provider}/logo") => "/anbieten/999999/logo",
        (_, "/anbieten/{provider}/logo/entfernen") => "/anbieten/999999/logo/entfernen",
        (_, "/anbieten/{provider}/angebote/neu") => "/anbieten/999999/angebote/neu",
        (_, "/anbieten/{provider}/angebote/{id}") => "/anbieten/999999/angebote/1",
        (_, "/anbieten/{provider}/anfragen") => "/anbieten/999999/anfragen",
        (_, "/anbieten/{provider}/anfragen/{id}") => "/anbieten/999999/anfragen/1",
        (_, "/angebote/{slug}/anfragen") => "/angebote/it-cafe/anfragen",
        (_, "/ehrenamt/{slug}") => "/ehrenamt/digitallotse",
        (_, "/ehrenamt/{slug}/bewerben") => "/ehrenamt/digitallotse/bewerben",
        (_, "/anbieten/{provider}/ehrenamt") => "/anbieten/999999/ehrenamt",
        (_, "/anbieten/{provider}/ehrenamt/neu") => "/anbieten/999999/ehrenamt/neu",
        (_, "/anbieten/{provider}/ehrenamt/{id}") => "/anbieten/999999/ehrenamt/1",
        (_, "/anbieten/{provider}/ehrenamt/{id}/bewerbungen/{application}") => {
            "/anbieten/999999/ehrenamt/1/bewerbungen/1"
        }
        (_, "/angebote/{slug}") => "/angebote/it-cafe",
        (_, "/angebote/{slug}/kalender.ics") => "/angebote/it-cafe/kalender.ics",
        (_, "/anbieter/{slug}") => "/anbieter/stadtbibliothek",
        (_, "/anbieter/{slug}/logo") => "/anbieter/stadtbibliothek/logo",
        // The search with a word the demo strategy holds.
        (_, "/suche") => "/suche?q=digital",
        (_, "/api/v1/search") => "/api/v1/search?q=digital",
        (_, "/api/v1/offers/{slug}") => "/api/v1/offers/it-cafe",
        (_, "/api/v1/providers/{slug}") => "/api/v1/providers/stadtbibliothek",
        // HSDS ids are UUIDs; these are not the site's.
        (_, "/api/hsds/services/{id}") => "/api/hsds/services/00000000-0000-8000-8000-000000000001",
        (_, "/api/hsds/organizations/{id}") => {
            "/api/hsds/organizations/00000000-0000-8000-8000-000000000001"
        }
        // The offers' back office: ids that do not exist, so that the matrix changes nothing.
        (_, "/admin/anbieter/{id}/entscheiden") => "/admin/anbieter/999999/entscheiden",
        (_, "/admin/anbieter/{id}/personen") => "/admin/anbieter/999999/personen",
        (_, "/admin/orte/stadtteile/{id}/entfernen") => "/admin/orte/stadtteile/999999/entfernen",
        (_, "/admin/orte/postleitzahlen/{code}/entfernen") => {
            "/admin/orte/postleitzahlen/99999/entfernen"
        }
        (_, "/admin/angebote/kategorien/{id}") => "/admin/angebote/kategorien/999999",
        (_, "/veranstaltungen/{slug}") => "/veranstaltungen/digitaltag",
        (_, "/api/v1/events/{slug}") => "/api/v1/events/digitaltag",
        (_, "/veranstaltungen/{slug}/raster") => "/veranstaltungen/digitaltag/raster",
        (_, "/veranstaltungen/{slug}/jetzt") => "/veranstaltungen/digitaltag/jetzt",
        (_, "/veranstaltungen/{slug}/sessions/{session}") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung"
        }
        (_, "/veranstaltungen/{slug}/kalender.ics") => "/veranstaltungen/digitaltag/kalender.ics",
        (_, "/veranstaltungen/{slug}/schedule.json") => "/veranstaltungen/digitaltag/schedule.json",
        (_, "/veranstaltungen/{slug}/schedule.xml") => "/veranstaltungen/digitaltag/schedule.xml",
        (_, "/veranstaltungen/{slug}/anmelden") => "/veranstaltungen/digitaltag/anmelden",
        (_, "/veranstalten/{id}/anmeldungen") => "/veranstalten/999999/anmeldungen",
        (_, "/veranstalten/{id}/bearbeiten") => "/veranstalten/999999/bearbeiten",
        (_, "/veranstalten/{id}/programm") => "/veranstalten/999999/programm",
        (_, "/veranstaltungen/{slug}/sessions/{session}/fragen") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/fragen"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/fragen/leinwand") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/fragen/leinwand"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/fragen/live") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/fragen/live"
        }
        (_, "/fragen/{id}/stimme") => "/fragen/999999/stimme",
        (_, "/veranstaltungen/{slug}/sessions/{session}/kommentare") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/kommentare"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/kommentare.atom") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/kommentare.atom"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/kommentare/live") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/kommentare/live"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/kommentare/gast") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/kommentare/gast"
        }
        (_, "/api/v1/events/{slug}/sessions/{session}/comments") => {
            "/api/v1/events/digitaltag/sessions/eroeffnung/comments"
        }
        (_, "/veranstaltungen/{slug}/bild") => "/veranstaltungen/digitaltag/bild",
        (_, "/veranstalten/{id}/bild") => "/veranstalten/999999/bild",
        (_, "/veranstalten/formate/{id}") => "/veranstalten/formate/999999",
        (_, "/veranstalten/{id}/bild/entfernen") => "/veranstalten/999999/bild/entfernen",
        (_, "/veranstalten/{id}/organisation") => "/veranstalten/999999/organisation",
        (_, "/veranstalten/{id}/organisation/{user}/entfernen") => {
            "/veranstalten/999999/organisation/1/entfernen"
        }
        (_, "/mein-programm/veranstaltungen/{slug}") => "/mein-programm/veranstaltungen/digitaltag",
        (_, "/api/v1/events/{slug}/sessions/{session}/questions") => {
            "/api/v1/events/digitaltag/sessions/eroeffnung/questions"
        }
        (_, "/veranstalten/{id}/sessions/{session}/fragen") => {
            "/veranstalten/999999/sessions/1/fragen"
        }
        (_, "/veranstalten/{id}/sessions/{session}/fragen/einstellungen") => {
            "/veranstalten/999999/sessions/1/fragen/einstellungen"
        }
        (_, "/veranstalten/{id}/sessions/{session}/fragen/per-mail") => {
            "/veranstalten/999999/sessions/1/fragen/per-mail"
        }
        (_, "/veranstalten/{id}/sessions/{session}/fragen/{question}") => {
            "/veranstalten/999999/sessions/1/fragen/1"
        }
        (_, "/veranstalten/{id}/raeume") => "/veranstalten/999999/raeume",
        (_, "/veranstalten/{id}/raeume/{room}") => "/veranstalten/999999/raeume/1",
        (_, "/veranstalten/{id}/sessions/neu") => "/veranstalten/999999/sessions/neu",
        (_, "/veranstalten/{id}/sessions/{session}") => "/veranstalten/999999/sessions/1",
        (_, "/veranstalten/{id}/anmeldungen.csv") => "/veranstalten/999999/anmeldungen.csv",
        (_, "/veranstalten/{id}/anmeldungen/{registration}/check-in") => {
            "/veranstalten/999999/anmeldungen/1/check-in"
        }
        (_, "/veranstaltungen/{slug}/anmelden/gast") => "/veranstaltungen/digitaltag/anmelden/gast",
        (_, "/veranstaltungen/{slug}/sessions/{session}/anmelden") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/anmelden"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/anmelden/gast") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/anmelden/gast"
        }
        (_, "/veranstaltungen/{slug}/sessions/{session}/kalender.ics") => {
            "/veranstaltungen/digitaltag/sessions/eroeffnung/kalender.ics"
        }
        // The page of a person who exists; changes go to one who does not, so that the matrix
        // changes nobody's roles.
        (Method::Get, "/admin/benutzer/{id}") => "/admin/benutzer/1",
        (Method::Post, "/admin/benutzer/{id}") => "/admin/benutzer/999999",
        (_, "/admin/benutzer/{id}/handlungsfelder") => "/admin/benutzer/999999/handlungsfelder",
        (_, "/konto/passwort-setzen") if route.method == Method::Get => {
            "/konto/passwort-setzen?token=x"
        }
        (_, "/konto/bestaetigen") if route.method == Method::Get => "/konto/bestaetigen?token=x",
        (_, "/konto/adresse-bestaetigen") if route.method == Method::Get => {
            "/konto/adresse-bestaetigen?token=x"
        }
        _ => {
            assert!(
                !p.contains('{'),
                "no sample path for {p}: add one to the matrix"
            );
            p
        }
    };
    concrete.to_string()
}

/// What a permitted person gets from a GET.
fn permitted_get(path: &str, signed_in: bool) -> u16 {
    match path {
        "/logo" => 404,              // no logo uploaded
        "/admin/import/{id}" => 404, // no upload yet
        // No offers in the matrix's database.
        "/angebote/{slug}"
        | "/angebote/{slug}/kalender.ics"
        | "/angebote/{slug}/anfragen"
        | "/ehrenamt/{slug}"
        | "/ehrenamt/{slug}/bewerben"
        | "/anbieter/{slug}"
        | "/anbieter/{slug}/logo" => 404,
        "/api/v1/offers/{slug}"
        | "/api/v1/providers/{slug}"
        | "/api/hsds/services/{id}"
        | "/api/hsds/organizations/{id}" => 404,
        // No providers either.
        "/anbieten/{provider}"
        | "/anbieten/{provider}/bearbeiten"
        | "/anbieten/{provider}/logo"
        | "/anbieten/{provider}/angebote/neu"
        | "/anbieten/{provider}/angebote/{id}"
        | "/anbieten/{provider}/anfragen"
        | "/anbieten/{provider}/anfragen/{id}"
        | "/anbieten/{provider}/ehrenamt"
        | "/anbieten/{provider}/ehrenamt/neu"
        | "/anbieten/{provider}/ehrenamt/{id}" => 404,
        // No events in the matrix's database.
        "/veranstaltungen/{slug}"
        | "/api/v1/events/{slug}"
        | "/veranstaltungen/{slug}/raster"
        | "/veranstaltungen/{slug}/jetzt"
        | "/veranstaltungen/{slug}/sessions/{session}"
        | "/veranstaltungen/{slug}/kalender.ics"
        | "/veranstaltungen/{slug}/schedule.json"
        | "/veranstaltungen/{slug}/schedule.xml"
        | "/veranstaltungen/{slug}/sessions/{session}/kalender.ics"
        | "/veranstaltungen/{slug}/anmelden"
        | "/veranstaltungen/{slug}/sessions/{session}/anmelden"
        | "/veranstalten/{id}/anmeldungen"
        | "/veranstalten/{id}/anmeldungen.csv"
        | "/veranstalten/{id}/bearbeiten"
        | "/veranstalten/{id}/programm"
        | "/veranstalten/{id}/sessions/neu"
        | "/veranstalten/{id}/sessions/{session}"
        | "/veranstaltungen/{slug}/sessions/{session}/fragen"
        | "/veranstaltungen/{slug}/sessions/{session}/fragen/leinwand"
        | "/veranstaltungen/{slug}/sessions/{session}/fragen/live"
        | "/veranstalten/{id}/sessions/{session}/fragen"
        | "/api/v1/events/{slug}/sessions/{session}/questions"
        | "/veranstaltungen/{slug}/sessions/{session}/kommentare"
        | "/veranstaltungen/{slug}/sessions/{session}/kommentare.atom"
        | "/veranstaltungen/{slug}/sessions/{session}/kommentare/live"
        | "/api/v1/events/{slug}/sessions/{session}/comments"
        | "/veranstaltungen/{slug}/bild"
        | "/veranstalten/{id}/bild" => 404,
        "/kommentare/{id}/bearbeiten" | "/kommentare/{id}/loeschen" => 404, // no such comment
        // No such issue; links that are not the site's.
        "/newsletter/archiv/{id}" | "/admin/newsletter/{id}" => 404,
        "/newsletter/bestaetigen" | "/newsletter/abbestellen" | "/newsletter/themen" => 400,
        "/konto/passwort-setzen"
        | "/konto/bestaetigen"
        | "/konto/adresse-bestaetigen"
        | "/kommentare/bestaetigen"
        | "/bewertung/bestaetigen"
        | "/benachrichtigungen/abbestellen"
        | "/anmeldung"
        | "/anmeldung/kalender.ics"
        | "/anfrage"
        | "/bewerbung"
        | "/mein-programm"
        | "/mein-programm/kalender.ics"
        | "/mein-programm/veranstaltungen/{slug}" => 400,
        // Signed-in people are sent on to their account.
        "/anmelden" | "/registrieren" if signed_in => REDIRECT,
        // The search finds the demo strategy's measures for everyone.
        "/suche" | "/api/v1/search" => OK,
        _ => OK,
    }
}

/// What a permitted person gets from a POST of an empty form: for routes guarded by a token,
/// 403 without it; the public forms (before a session exists) answer their own complaint.
fn permitted_post_without_token(route: &Route) -> u16 {
    match route.path {
        "/anmelden" => 401,
        "/registrieren" | "/passwort-vergessen" => 422,
        "/konto/bestaetigen"
        | "/konto/passwort-setzen"
        | "/konto/adresse-bestaetigen"
        | "/kommentare/bestaetigen"
        | "/bewertung/bestaetigen"
        // The unsubscribe link's token is in the URL; this one is not the site's.
        | "/benachrichtigungen/abbestellen"
        // The newsletter's links: their tokens are not the site's.
        | "/newsletter/bestaetigen"
        | "/newsletter/abbestellen"
        | "/newsletter/themen"
        // A registration's link is its token.
        | "/anmeldung/bestaetigen"
        | "/anmeldung/annehmen"
        | "/anmeldung/abmelden"
        // A request's link is its token; an answer names what it is.
        | "/anfrage/bestaetigen"
        | "/anfrage/antworten"
        // An application's link is its token.
        | "/bewerbung/bestaetigen"
        | "/bewerbung/zurueckziehen" => 400,
        // The request form checks its token once the offer is known (none here).
        "/angebote/{slug}/anfragen" | "/ehrenamt/{slug}/bewerben" => 404,
        // The guests' registration forms check their token once the event is known, and the
        // matrix's database has none.
        "/veranstaltungen/{slug}/anmelden/gast"
        | "/veranstaltungen/{slug}/sessions/{session}/anmelden/gast"
        // The same for questions and their upvotes: no session, no question.
        | "/veranstaltungen/{slug}/sessions/{session}/fragen"
        | "/fragen/{id}/stimme"
        // Comments on a session: no session, no discussion.
        | "/veranstaltungen/{slug}/sessions/{session}/kommentare/gast" => 404,
        // The guests' forms carry their own token, which no session has.
        "/mein-programm/merken"
        | "/newsletter"
        | "/massnahmen/{slug}/kommentare/gast"
        | "/ideen/{id}/kommentare/gast"
        | "/ideen/{id}/melden/gast"
        | "/massnahmen/{slug}/bewertung/gast"
        | "/kommentare/{id}/antworten/gast"
        | "/kommentare/{id}/melden/gast" => DENIED,
        p => {
            assert_ne!(
                route.access,
                Access::Anyone,
                "{p}: a public form without a row here"
            );
            DENIED
        }
    }
}

/// What a permitted person gets from a POST with their valid token and nothing else filled in:
/// the form's own complaint, never a change (or the one harmless change the route exists for).
fn permitted_post_with_token(path: &str) -> u16 {
    match path {
        // Without the ticked confirmation nothing is removed.
        "/admin/demodaten/entfernen"
        | "/admin/massnahmen/neu"
        | "/admin/strategie"
        | "/admin/strategie/{kind}/neu"
        | "/admin/strategie/{kind}/{id}"
        | "/konto/passwort"
        | "/konto/adresse"
        | "/konto/loeschen"
        | "/admin/import"
        | "/admin/einstellungen/logo"
        // No rating chosen, no text written, no vote given.
        | "/massnahmen/{slug}/bewertung"
        // No event described, no format named.
        | "/veranstalten/neu"
        | "/veranstalten/formate"
        | "/massnahmen/{slug}/kommentare"
        | "/kommentare/{id}/antworten"
        | "/kommentare/{id}/unterstuetzen"
        // No idea written, no support chosen, no status, no moderation decision.
        | "/ideen"
        | "/ideen/{id}/kommentare"
        | "/ideen/{id}/unterstuetzen"
        | "/ideen/{id}/melden"
        | "/ideen/{id}/status"
        | "/moderation/ideen/{id}"
        // No reason for the report, no threshold, no decision.
        | "/kommentare/{id}/melden"
        | "/admin/einstellungen/beteiligung"
        | "/moderation/kommentare/{id}"
        // No scope for a window, no choice to block or unblock.
        | "/admin/beteiligung"
        | "/moderation/personen/{id}"
        // No choice to follow or not, no notification named, no delivery per kind, nothing
        // to unfollow.
        | "/massnahmen/{slug}/folgen"
        | "/ideen/{id}/folgen"
        | "/handlungsfelder/{slug}/folgen"
        | "/benachrichtigungen/gelesen"
        | "/konto/benachrichtigungen"
        | "/konto/benachrichtigungen/entfolgen" => 422,
        // No version, no direction, no archive flag.
        "/admin/massnahmen/{id}"
        | "/admin/strategie/{kind}/{id}/verschieben"
        | "/admin/strategie/{kind}/{id}/archivieren" => 400,
        // Nobody with that id, no upload with that id, no comment with that id.
        "/admin/benutzer/{id}"
        | "/admin/benutzer/{id}/handlungsfelder"
        | "/admin/import/{id}"
        | "/kommentare/{id}/bearbeiten"
        | "/kommentare/{id}/loeschen"
        | "/moderation/kommentare/{id}/gast-sperren"
        | "/moderation/gaeste/{id}/aufheben"
        // No event to register for, to check people in or to change.
        | "/veranstalten/{id}/anmeldungen/{registration}/check-in"
        | "/veranstalten/{id}/bearbeiten"
        | "/veranstalten/{id}/raeume"
        | "/veranstalten/{id}/raeume/{room}"
        | "/veranstalten/{id}/sessions/neu"
        | "/veranstalten/{id}/sessions/{session}"
        | "/veranstalten/{id}/sessions/{session}/fragen/einstellungen"
        | "/veranstalten/{id}/sessions/{session}/fragen/per-mail"
        | "/veranstalten/{id}/sessions/{session}/fragen/{question}"
        | "/veranstaltungen/{slug}/anmelden"
        | "/veranstaltungen/{slug}/sessions/{session}/anmelden"
        | "/veranstaltungen/{slug}/sessions/{session}/kommentare"
        | "/veranstalten/{id}/bild"
        | "/veranstalten/formate/{id}"
        | "/veranstalten/{id}/bild/entfernen"
        | "/veranstalten/{id}/organisation"
        | "/veranstalten/{id}/organisation/{user}/entfernen" => 404,
        // No provider's name.
        "/anbieten/registrieren" => 422,
        // The newsletter: no choice in the account, no subject for an issue; no such issue.
        "/konto/newsletter" | "/admin/newsletter/neu" => 422,
        "/admin/newsletter/{id}" | "/admin/newsletter/{id}/test" | "/admin/newsletter/{id}/senden" => {
            404
        }
        // No provider with that id.
        "/anbieten/{provider}/bearbeiten"
        | "/anbieten/{provider}/logo"
        | "/anbieten/{provider}/logo/entfernen"
        | "/anbieten/{provider}/angebote/neu"
        | "/anbieten/{provider}/angebote/{id}"
        | "/anbieten/{provider}/anfragen/{id}"
        | "/anbieten/{provider}/ehrenamt/neu"
        | "/anbieten/{provider}/ehrenamt/{id}"
        | "/anbieten/{provider}/ehrenamt/{id}/bewerbungen/{application}" => 404,
        // The offers' back office: no name, no code, no centre.
        "/admin/orte/stadtteile" | "/admin/orte/postleitzahlen" | "/admin/angebote/kategorien" => {
            422
        }
        // No provider, district, postcode or category with that id.
        "/admin/anbieter/{id}/entscheiden"
        | "/admin/anbieter/{id}/personen"
        | "/admin/orte/stadtteile/{id}/entfernen"
        | "/admin/orte/postleitzahlen/{code}/entfernen"
        | "/admin/angebote/kategorien/{id}" => 404,
        // Saving the texts unchanged.
        "/admin/einstellungen" => OK,
        // Back to the shipped colour; removing a logo there is none of.
        "/admin/einstellungen/farbe" | "/admin/einstellungen/logo-entfernen" => REDIRECT,
        // Signing out (the session is made anew afterwards).
        "/abmelden" | "/konto/ueberall-abmelden" => REDIRECT,
        p => panic!("POST {p}: no expected answer with a valid token; add one to the matrix"),
    }
}

static ATTEMPT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A form body for the route: url-encoded, or multipart for the uploads.
/// The status of a GET, without reading its body.
async fn status_of(app: &axum::Router, path: &str, headers: &[(&str, &str)]) -> u16 {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    res.status().as_u16()
}

async fn send(
    app: &axum::Router,
    route: &Route,
    path: &str,
    csrf: Option<&str>,
    cookie: Option<&str>,
) -> u16 {
    if matches!(route.stack, Stack::Logo | Stack::Import | Stack::Image) {
        let boundary = "matrix-boundary";
        let body = match csrf {
            Some(t) => format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n--{boundary}--\r\n"
            ),
            None => format!("--{boundary}--\r\n"),
        };
        let mut req = Request::post(path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("host", super::accounts::HOST)
            .header("origin", format!("https://{}", super::accounts::HOST));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let res = app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        return res.status().as_u16();
    }
    let mut body = csrf.map(|t| format!("csrf={t}")).unwrap_or_default();
    // Failed logins count per address: each attempt names another one, so the matrix meets the
    // login limit of no account.
    if route.path == "/anmelden" {
        let n = ATTEMPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        body.push_str(&format!("&email=nobody-{n}%40example.org"));
    }
    post(app, path, &body, cookie).await.status.as_u16()
}

#[test]
fn the_table_is_complete_and_consistent() {
    assert!(ROUTES.len() >= 60, "{} routes", ROUTES.len());
    let mut seen = std::collections::HashSet::new();
    for r in ROUTES {
        assert!(
            seen.insert((r.method, r.path)),
            "{} {} twice in the table",
            r.method.as_str(),
            r.path
        );
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(r.feature);
        assert!(
            folder.is_dir(),
            "{}: feature {} has no folder",
            r.path,
            r.feature
        );
        // Every write needs a session or is one of the public forms.
        if r.changes_state() && r.access == Access::Anyone {
            assert!(
                [
                    "/anmelden",
                    "/registrieren",
                    "/konto/bestaetigen",
                    "/passwort-vergessen",
                    "/konto/passwort-setzen",
                    "/konto/adresse-bestaetigen",
                    // Guests: a comment, a reply, a report, the confirmation of a comment.
                    "/massnahmen/{slug}/kommentare/gast",
                    "/ideen/{id}/kommentare/gast",
                    "/veranstaltungen/{slug}/sessions/{session}/kommentare/gast",
                    "/ideen/{id}/melden/gast",
                    "/kommentare/{id}/antworten/gast",
                    "/kommentare/{id}/melden/gast",
                    "/kommentare/bestaetigen",
                    // Guests' ratings and their confirmation.
                    "/massnahmen/{slug}/bewertung/gast",
                    "/bewertung/bestaetigen",
                    // The one-click unsubscribe of notification mail (RFC 8058).
                    "/benachrichtigungen/abbestellen",
                    // Guests' registrations, and what a registration's link does.
                    "/veranstaltungen/{slug}/anmelden/gast",
                    "/veranstaltungen/{slug}/sessions/{session}/anmelden/gast",
                    "/anmeldung/bestaetigen",
                    "/anmeldung/annehmen",
                    "/anmeldung/abmelden",
                    // Requests for offers (guests' included), and what a request's link does.
                    "/angebote/{slug}/anfragen",
                    "/anfrage/bestaetigen",
                    "/anfrage/antworten",
                    // Applications to volunteering roles, and what an application's link does.
                    "/ehrenamt/{slug}/bewerben",
                    "/bewerbung/bestaetigen",
                    "/bewerbung/zurueckziehen",
                    // Questions to a session and their upvotes.
                    "/veranstaltungen/{slug}/sessions/{session}/fragen",
                    "/fragen/{id}/stimme",
                    // Stars of a personal programme.
                    "/mein-programm/merken",
                    // The newsletter: subscribing, confirming, the link of every mail.
                    "/newsletter",
                    "/newsletter/bestaetigen",
                    "/newsletter/abbestellen",
                    "/newsletter/themen"
                ]
                .contains(&r.path),
                "{} is a public write",
                r.path
            );
        }
        // The cache keeps public pages only.
        if matches!(r.stack, Stack::Cached | Stack::Api) {
            assert_eq!(
                r.access,
                Access::Anyone,
                "{} is cached but not public",
                r.path
            );
            assert_eq!(
                r.method,
                Method::Get,
                "{} is cached but changes state",
                r.path
            );
        }
        if r.stack == Stack::Api {
            assert_eq!(r.feature, "api");
        }
    }
}

#[test]
fn openapi_document_lists_every_api_route() {
    let doc: serde_json::Value = serde_json::from_str(web::api::OPENAPI).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let api: Vec<&Route> = ROUTES.iter().filter(|r| r.feature == "api").collect();
    assert!(api.len() >= 4);
    for r in &api {
        let method = r.method.as_str().to_ascii_lowercase();
        assert!(
            doc["paths"][r.path].get(&method).is_some(),
            "{} {} is missing from openapi.json",
            r.method.as_str(),
            r.path
        );
    }
    // And the document names no route the table lacks.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                api.iter()
                    .any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method)),
                "openapi.json names {method} {path}, which the route table does not have"
            );
        }
    }
}

db_test!(
    every_route_answers_every_role_as_the_table_says,
    |db| async move {
        let app = app(&db).await;
        let mut cookies = Vec::new();
        for p in &PERSONAS {
            cookies.push(match p.roles {
                Some(roles) => Some(signed_in(&app, &db, p.email, roles).await),
                None => None,
            });
        }
        // One comment to answer and upvote (id 1).
        let measure = db
            .measure_id_by_slug("digitaltag-musterstadt")
            .await
            .unwrap()
            .unwrap();
        let author = db
            .create_user("autorin@musterstadt.example", "Autorin", &[Role::Citizen])
            .await
            .unwrap();
        let first = db
            .post_comment(&store::comments::NewComment {
                subject: domain::comments::Subject::measure(measure),
                parent_id: None,
                author: store::comments::Author::Account(author),
                body: "Erster Kommentar",
                body_html: "<p>Erster Kommentar</p>",
                official: false,
                limits: &[],
                posted_at: None,
                hold: false,
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first, 1);
        // One idea to show, support, decide and discuss (id 1).
        let field = db.idea_fields().await.unwrap()[0].0;
        let proposal = domain::ideas::check_proposal(
            Some(field),
            "Offenes WLAN im Rathaus",
            "Im Wartebereich des Bürgerbüros gibt es kein WLAN.",
            "Wartezeit lässt sich nutzen.",
            "",
        )
        .unwrap();
        let idea = db
            .propose_idea(&store::ideas::NewIdea {
                proposal: &proposal,
                author_id: author,
                description_html: "<p>Im Wartebereich des Bürgerbüros gibt es kein WLAN.</p>",
                limits: &[],
                created_at: None,
                hold: false,
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(idea, 1);
        let mut failures = Vec::new();
        let mut checked = 0;
        // Signing out ends the session: those two routes come last.
        let mut routes: Vec<&Route> = ROUTES.iter().collect();
        routes.sort_by_key(|r| matches!(r.path, "/abmelden" | "/konto/ueberall-abmelden"));
        for route in routes {
            let path = sample(route);
            for (i, p) in PERSONAS.iter().enumerate() {
                let cookie = cookies[i].clone();
                let allowed = route.access.allows(p.roles);
                let refused = if p.roles.is_none() { REDIRECT } else { DENIED };
                let mut expect = |what: &str, got: u16, want: u16| {
                    checked += 1;
                    if got != want {
                        failures.push(format!(
                            "{} {} {what} as {}: {got}, expected {want}",
                            route.method.as_str(),
                            route.path,
                            p.name
                        ));
                    }
                };
                if route.method == Method::Get {
                    let headers: Vec<(&str, &str)> = cookie
                        .as_deref()
                        .map(|c| vec![("cookie", c)])
                        .unwrap_or_default();
                    // An event stream does not end: its status is what counts.
                    let got = if route.path.ends_with("/live") {
                        status_of(&app, &path, &headers).await
                    } else {
                        get_with(&app, &path, &headers).await.status.as_u16()
                    };
                    let want = if allowed {
                        permitted_get(route.path, p.roles.is_some())
                    } else {
                        refused
                    };
                    expect("", got, want);
                    continue;
                }
                let c = cookie.as_deref();
                let without = send(&app, route, &path, None, c).await;
                let wrong = send(&app, route, &path, Some("0"), c).await;
                let want_without = if allowed {
                    permitted_post_without_token(route)
                } else {
                    refused
                };
                expect("without a token", without, want_without);
                // A wrong token is the same as none for token-guarded routes.
                if route.access != Access::Anyone {
                    expect("with a wrong token", wrong, want_without);
                }
                let Some(cookie) = cookie else { continue };
                let page = get_with(&app, "/konto", &[("cookie", cookie.as_str())]).await;
                let token = csrf_of(&page.body);
                let with = send(&app, route, &path, Some(&token), Some(&cookie)).await;
                let want_with = match (allowed, route.access) {
                    (false, _) => DENIED,
                    // The public forms do not use the session's token.
                    (true, Access::Anyone) => permitted_post_without_token(route),
                    (true, _) => permitted_post_with_token(route.path),
                };
                expect("with a valid token", with, want_with);
                // After signing out, the persona signs in again for the next route.
                if allowed && matches!(route.path, "/abmelden" | "/konto/ueberall-abmelden") {
                    let r = post(
                        &app,
                        "/anmelden",
                        &format!("email={}&password={PW}", p.email.replace('@', "%40")),
                        None,
                    )
                    .await;
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                    cookies[i] = Some(cookie_of(&r));
                }
            }
        }
        assert!(checked > 500, "only {checked} answers checked");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);
