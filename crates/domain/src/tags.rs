//! The vocabulary of cache tags. A cached page carries the tags of what it shows; a write
//! publishes the tags of what it changed, and only pages with one of those tags are dropped.

/// Everything: the chrome of every page (city name, logo), the structure of the strategy, imports.
pub const SITE: &str = "site";
/// What lists of measures show: title, summary, status, progress, field, dates, target year,
/// state, parent, departments, target groups and tags of any published measure.
pub const MEASURES: &str = "measures";
/// The full texts of measures (description, goals, decisions, KPIs, milestones), which only
/// search results, exports and detail pages show.
pub const TEXTS: &str = "texts";
/// Progress reports (the feed, the start page).
pub const REPORTS: &str = "reports";
/// Lists in the order of the ratings (every rating may change it).
pub const RATINGS: &str = "ratings";
/// Imprint, privacy notice and contact.
pub const LEGAL: &str = "legal";
/// Every page with a discussion: a participation window changed or opened or closed by time.
pub const WINDOWS: &str = "windows";

/// The page of one measure (and the pages that show it as parent or child).
pub fn measure(id: i64) -> String {
    format!("measure:{id}")
}

/// Pages that show a measure's rating totals (its page). A rating drops nothing else: under a
/// stream of ratings the radar and the lists stay cached.
pub fn rating(measure_id: i64) -> String {
    format!("rating:{measure_id}")
}

/// Pages that show the discussion of a subject (`comments:measure:7`): its page, its comment
/// pages, the permalinks of its comments and the API's list.
pub fn comments(subject: crate::comments::Subject) -> String {
    format!("comments:{}:{}", subject.kind.as_str(), subject.id)
}

/// Every page that lists events or shows a programme.
pub const PROGRAMME: &str = "programme";

/// The pages of one event (its programme, its sessions, its exports).
pub fn event(id: i64) -> String {
    format!("event:{id}")
}

/// What an event's pages say of its free places and waiting list (the event page, its sessions):
/// every registration, cancellation and offer changes it, and nothing else of the programme.
pub fn places(event_id: i64) -> String {
    format!("places:{event_id}")
}

/// A session's questions (its Q&A page, the projector view, the live stream).
pub fn questions(session_id: i64) -> String {
    format!("questions:{session_id}")
}

/// Every page that lists offers or providers (the lists, the calendar, the open data), and what
/// the city keeps for them (categories, districts and postcodes).
pub const OFFERS: &str = "offers";

/// The pages that show or search more of an offer than its card in a list: word searches (the
/// list and the calendar with words, the site search), the open data (the API, HSDS, the CSV)
/// and the lists' calendar files. Every saved offer drops them. The other lists carry only
/// [`OFFERS`], which a saved offer drops only when its card or where it is listed changes
/// (`store::offers`: the offer's "list face"), so a provider correcting a description does not
/// empty every cached list of the city.
pub const OFFERS_DETAIL: &str = "offers:detail";

/// The pages of one offer (its page, its calendar file, its HSDS record).
pub fn offer(id: i64) -> String {
    format!("offer:{id}")
}

/// The lists of volunteering roles (`/ehrenamt`, a provider's page).
pub const VOLUNTEERING: &str = "volunteering";

/// The page of one volunteering role.
pub fn role(id: i64) -> String {
    format!("role:{id}")
}

/// The page of one provider (and the pages of its offers, which name it).
pub fn provider(id: i64) -> String {
    format!("provider:{id}")
}

/// Lists of ideas (the list, its feed, the API's list): any idea proposed, supported, decided
/// or moderated.
pub const IDEAS: &str = "ideas";

/// The page of one idea (and the API's answer of it).
pub fn idea(id: i64) -> String {
    format!("idea:{id}")
}

/// The newsletter's public archive (the list, each issue's page, the Atom feed): an issue
/// that begins to go out, or one removed with the demo.
pub const NEWSLETTER: &str = "newsletter";

/// Pages that show a person's display name (a measure's change history).
pub fn person(id: i64) -> String {
    format!("person:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_different_things_differ() {
        assert_eq!(measure(7), "measure:7");
        assert_ne!(measure(7), person(7));
        assert_ne!(measure(7), measure(70));
        assert_ne!(measure(7), rating(7));
    }
}
