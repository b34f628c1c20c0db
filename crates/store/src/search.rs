//! One search over everything: the public measures, ideas, events, sessions, offers, volunteering
//! roles and providers whose stemmed texts hold every stemmed word of a query, one kind at a time.
//!
//! Matching uses each kind's full-text index (FTS5 on SQLite, the GIN index on
//! `to_tsvector('simple', search_text)` on PostgreSQL), as the measures' and offers' lists do.
//! Ordering does not use the engines' own ranks: `bm25` and `ts_rank` weigh documents differently,
//! so the same query would list the same things in another order on each engine. The rank here is
//! where the query's first word first occurs in the thing's search text — every search text begins
//! with its title, so a word of the title ranks first — then the id: plain string arithmetic that
//! both engines compute the same.

use crate::{Db, Engine, Result, on_db};
use domain::search::Kind;

/// The stemmed words of a query, as every search column holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms(Vec<String>);

impl Terms {
    /// The stemmed words of `q`; `None` when it has none (an empty query, only punctuation).
    pub fn of(q: &str) -> Option<Terms> {
        let terms = domain::text::search_terms(q);
        (!terms.is_empty()).then_some(Terms(terms))
    }

    /// The engine's full-text query: every word must occur.
    fn query(&self, engine: Engine) -> String {
        crate::strategy::search_query(engine, &self.0.join(" "))
    }

    /// The first word as a whole word of a search text (` word `), for the rank.
    fn first(&self) -> String {
        format!(" {} ", self.0.first().map_or("", String::as_str))
    }
}

/// One thing found: its id, address, title, the start of its text, and for a session the
/// address of its event (for an offer or a role, the name of its provider).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Hit {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub text: String,
    pub parent: String,
}

/// How a kind is searched: its table (with joins), its full-text table on SQLite, the alias
/// whose `id` and `search_text` are matched, the columns of a [`Hit`], and what makes a row
/// public — the same conditions as the kind's own public pages.
struct Spec {
    from: &'static str,
    fts: &'static str,
    alias: &'static str,
    columns: &'static str,
    public: &'static str,
}

fn spec(kind: Kind) -> Spec {
    match kind {
        // `strategy::FILTER_WHERE`: published measures.
        Kind::Measures => Spec {
            from: "measures m",
            fts: "measures_fts",
            alias: "m",
            columns: "m.id, m.slug, m.title, substr(m.summary, 1, 400) AS text, '' AS parent",
            public: "m.state = 'published'",
        },
        // The lists of ideas: not hidden by the moderation.
        Kind::Ideas => Spec {
            from: "ideas i",
            fts: "ideas_fts",
            alias: "i",
            columns: "i.id, '' AS slug, i.title, substr(i.description, 1, 400) AS text, '' AS parent",
            public: "NOT i.hidden",
        },
        // `Db::public_events`: published and cancelled events.
        Kind::Events => Spec {
            from: "programme_events e",
            fts: "programme_events_fts",
            alias: "e",
            columns: "e.id, e.slug, e.title, substr(e.description, 1, 400) AS text, '' AS parent",
            public: "e.state IN ('published', 'cancelled')",
        },
        // The sessions of those events (an event's programme shows cancelled ones too).
        Kind::Sessions => Spec {
            from: "programme_sessions s JOIN programme_events e ON e.id = s.event_id",
            fts: "programme_sessions_fts",
            alias: "s",
            columns: "s.id, s.slug, s.title, substr(s.abstract, 1, 400) AS text, e.slug AS parent",
            public: "e.state IN ('published', 'cancelled')",
        },
        // `Db::public_offer`: published, by an approved provider.
        Kind::Offers => Spec {
            from: "offers o JOIN providers v ON v.id = o.provider_id",
            fts: "offers_fts",
            alias: "o",
            columns: "o.id, o.slug, o.title, substr(o.description, 1, 400) AS text, v.name AS parent",
            public: "o.state = 'published' AND v.state = 'approved'",
        },
        // `offers::volunteering::PUBLIC`: open, by an approved provider.
        Kind::Roles => Spec {
            from: "volunteer_roles r JOIN providers v ON v.id = r.provider_id",
            fts: "volunteer_roles_fts",
            alias: "r",
            columns: "r.id, r.slug, r.title, substr(r.description, 1, 400) AS text, v.name AS parent",
            public: "r.state = 'open' AND v.state = 'approved'",
        },
        // `Db::public_provider`: approved providers.
        Kind::Providers => Spec {
            from: "providers v",
            fts: "providers_fts",
            alias: "v",
            columns: "v.id, v.slug, v.name AS title, substr(v.description, 1, 400) AS text, '' AS parent",
            public: "v.state = 'approved'",
        },
    }
}

/// `FROM … WHERE …` of the public rows of `kind` matching the full-text query in `$1`.
fn matching(engine: Engine, kind: Kind) -> String {
    let s = spec(kind);
    match engine {
        Engine::Sqlite => format!(
            " FROM {} JOIN (SELECT rowid AS hid FROM {fts} WHERE {fts} MATCH $1) h ON h.hid = {}.id WHERE {}",
            s.from,
            s.alias,
            s.public,
            fts = s.fts
        ),
        Engine::Postgres => format!(
            " FROM {} WHERE to_tsvector('simple', {}.search_text) @@ plainto_tsquery('simple', $1) AND {}",
            s.from, s.alias, s.public
        ),
    }
}

/// Where the word `$2` (` word `) first occurs in the search text of `alias`, counted in
/// characters on both engines.
fn position(engine: Engine, alias: &str) -> String {
    let f = match engine {
        Engine::Sqlite => "instr",
        Engine::Postgres => "strpos",
    };
    format!("{f}(' ' || {alias}.search_text || ' ', $2)")
}

/// The statement of one page of `kind`: `$1` the query, `$2` the first word, `$3` limit, `$4`
/// offset.
fn page_sql(engine: Engine, kind: Kind) -> String {
    let s = spec(kind);
    format!(
        "SELECT {}{} ORDER BY {}, {}.id LIMIT $3 OFFSET $4",
        s.columns,
        matching(engine, kind),
        position(engine, s.alias),
        s.alias
    )
}

/// One statement counting every kind: a row `(kind, count)` per kind, `$1` the query.
fn counts_sql(engine: Engine) -> String {
    Kind::ALL
        .iter()
        .map(|k| {
            format!(
                "SELECT '{}' AS kind, COUNT(*) AS n{}",
                k.as_str(),
                matching(engine, *k)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

impl Db {
    /// How many public things of each kind match `terms`, in the order of [`Kind::ALL`]: one
    /// statement.
    pub async fn search_counts(&self, terms: &Terms) -> Result<Vec<(Kind, i64)>> {
        let engine = self.engine();
        let sql = counts_sql(engine);
        let q = terms.query(engine);
        let rows: Vec<(String, i64)> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&q).fetch_all(p).await?);
        Ok(Kind::ALL
            .into_iter()
            .map(|k| {
                let n = rows
                    .iter()
                    .find(|(name, _)| name == k.as_str())
                    .map_or(0, |(_, n)| *n);
                (k, n)
            })
            .collect())
    }

    /// Page `page` (from 1) of the public things of `kind` matching `terms`, `per_page` a page,
    /// best first: one statement.
    pub async fn search_page(
        &self,
        kind: Kind,
        terms: &Terms,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<Hit>> {
        let engine = self.engine();
        let sql = page_sql(engine, kind);
        let (q, first) = (terms.query(engine), terms.first());
        let offset = (page.max(1) - 1) * per_page;
        let rows: Vec<Hit> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&q).bind(&first).bind(per_page).bind(offset).fetch_all(p).await?);
        Ok(rows)
    }

    /// Fills the search column of events and sessions (migration 0038) and of volunteering
    /// roles (0042) stored before it existed: SQL cannot stem German, so this runs after the
    /// migrations. Rows with a search text are left alone, so it costs one empty query per table
    /// once done.
    pub(crate) async fn fill_search_texts(&self) -> Result<()> {
        self.fill_role_search_texts().await?;
        let events: Vec<(i64, String, String, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, title, organiser, place, description FROM programme_events WHERE search_text = ''"
        ).fetch_all(p).await?);
        let sessions: Vec<(i64, String, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, title, track, abstract FROM programme_sessions WHERE search_text = ''"
        ).fetch_all(p).await?);
        if events.is_empty() && sessions.is_empty() {
            return Ok(());
        }
        let people: Vec<(i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT p.session_id, p.name FROM session_people p JOIN programme_sessions s ON s.id = p.session_id \
             WHERE s.search_text = '' ORDER BY p.session_id, p.position"
        ).fetch_all(p).await?);
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            for (id, title, organiser, place, description) in &events {
                sqlx::query("UPDATE programme_events SET search_text = $2 WHERE id = $1")
                    .bind(id).bind(event_search(title, organiser, place, description))
                    .execute(&mut *tx).await?;
            }
            for (id, title, track, abstract_text) in &sessions {
                let names: Vec<&str> = people.iter().filter(|(s, _)| s == id).map(|(_, n)| n.as_str()).collect();
                sqlx::query("UPDATE programme_sessions SET search_text = $2 WHERE id = $1")
                    .bind(id).bind(session_search(title, track, abstract_text, &names))
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

impl Db {
    /// Fills the search column of the roles stored before migration 0042.
    async fn fill_role_search_texts(&self) -> Result<()> {
        let sql = format!(
            "{} WHERE r.search_text = ''",
            crate::offers::volunteering::SEARCH_TEXTS
        );
        let roles: Vec<crate::offers::volunteering::SearchTexts> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(p).await?);
        if roles.is_empty() {
            return Ok(());
        }
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            for t in &roles {
                sqlx::query("UPDATE volunteer_roles SET search_text = $2 WHERE id = $1")
                    .bind(t.0).bind(role_search(t)).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

/// The search text of a role: its title first (the rank counts on it), then its provider's name,
/// when, requirements, description and district.
pub(crate) fn role_search(t: &crate::offers::volunteering::SearchTexts) -> String {
    let (_, title, provider, when, requirements, description, district) = t;
    domain::text::search_document(&[
        title,
        provider,
        when,
        requirements,
        description,
        district.as_deref().unwrap_or(""),
    ])
}

/// The search text of an event: its title first (the rank counts on it), then organiser, place
/// and description.
pub(crate) fn event_search(title: &str, organiser: &str, place: &str, description: &str) -> String {
    domain::text::search_document(&[title, organiser, place, description])
}

/// The search text of a session: its title first, then track, abstract and its people's names.
pub(crate) fn session_search(
    title: &str,
    track: &str,
    abstract_text: &str,
    people: &[&str],
) -> String {
    let names = people.join(" ");
    domain::text::search_document(&[title, track, abstract_text, &names])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_names_every_kind_once() {
        for engine in [Engine::Sqlite, Engine::Postgres] {
            let sql = counts_sql(engine);
            for k in Kind::ALL {
                assert_eq!(sql.matches(&format!("'{}'", k.as_str())).count(), 1);
            }
        }
    }

    #[test]
    fn the_first_word_is_matched_whole() {
        let t = Terms::of("Schulen digital").unwrap();
        assert_eq!(t.first(), " schul ");
        assert!(Terms::of(" ,; ").is_none());
    }
}
