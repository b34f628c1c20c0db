//! The search of measures and ideas like a proposal: any of its stemmed terms, best matches
//! first, on either engine's full-text index.

use crate::{Db, Engine, Result, on_db};

/// A measure or an idea like a proposal: its title and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Similar {
    pub title: String,
    pub href: String,
}

/// An OR query of stemmed `terms` in the engine's syntax (FTS5: quoted terms joined by OR;
/// PostgreSQL's `to_tsquery`: `a | b`). Terms are letters and digits only.
fn any_of(engine: Engine, terms: &[String]) -> String {
    match engine {
        Engine::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" OR "),
        Engine::Postgres => terms.join(" | "),
    }
}

impl Db {
    /// Published measures and shown ideas whose texts share stemmed terms with `terms`, best
    /// matches first, at most `limit` of each.
    pub async fn similar(
        &self,
        terms: &[String],
        limit: i64,
    ) -> Result<(Vec<Similar>, Vec<Similar>)> {
        if terms.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let query = any_of(self.engine(), terms);
        let (measures_sql, ideas_sql) = match self.engine() {
            Engine::Sqlite => (
                "SELECT m.slug, m.title FROM measures_fts JOIN measures m ON m.id = measures_fts.rowid \
                 WHERE measures_fts MATCH $1 AND m.state = 'published' ORDER BY bm25(measures_fts), m.id LIMIT $2",
                "SELECT i.id, i.title FROM ideas_fts JOIN ideas i ON i.id = ideas_fts.rowid \
                 WHERE ideas_fts MATCH $1 AND NOT i.hidden ORDER BY bm25(ideas_fts), i.id LIMIT $2",
            ),
            Engine::Postgres => (
                "SELECT slug, title FROM measures WHERE state = 'published' \
                 AND to_tsvector('simple', search_text) @@ to_tsquery('simple', $1) \
                 ORDER BY ts_rank(to_tsvector('simple', search_text), to_tsquery('simple', $1)) DESC, id LIMIT $2",
                "SELECT id, title FROM ideas WHERE NOT hidden \
                 AND to_tsvector('simple', search_text) @@ to_tsquery('simple', $1) \
                 ORDER BY ts_rank(to_tsvector('simple', search_text), to_tsquery('simple', $1)) DESC, id LIMIT $2",
            ),
        };
        let measures: Vec<(String, String)> = on_db!(self, p => sqlx::query_as(measures_sql)
            .bind(&query).bind(limit).fetch_all(p).await?);
        let ideas: Vec<(i64, String)> = on_db!(self, p => sqlx::query_as(ideas_sql)
            .bind(&query).bind(limit).fetch_all(p).await?);
        Ok((
            measures
                .into_iter()
                .map(|(slug, title)| Similar {
                    title,
                    href: format!("/massnahmen/{slug}"),
                })
                .collect(),
            ideas
                .into_iter()
                .map(|(id, title)| Similar {
                    title,
                    href: format!("/ideen/{id}"),
                })
                .collect(),
        ))
    }
}
