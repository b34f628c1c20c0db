//! The formats the organisers keep: new ones (any organiser; remembered as theirs) and changes
//! (admins, or the organiser who made the format). Names are unique regardless of case. Every
//! change is audited and drops the programme's pages and the formats' stylesheet.

use crate::{Db, Result, StoreError, on_db};
use domain::programme::formats::FormatInput;
use domain::tags::PROGRAMME as TAG;
use time::OffsetDateTime;

/// Why a format was not saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatRefusal {
    NotFound,
    /// Another format has this name.
    NameTaken,
}

/// A format as the formats' page lists it: the format and who made it (`None`: preset).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeptFormat {
    pub id: i64,
    pub name: String,
    pub default_minutes: i64,
    pub colour: String,
    pub created_by: Option<i64>,
}

impl Db {
    /// Every format, in their order, with who made it.
    pub async fn kept_formats(&self) -> Result<Vec<KeptFormat>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, default_minutes, colour, created_by FROM session_formats ORDER BY position, id"
        ).fetch_all(p).await?);
        Ok(rows)
    }

    /// A new format, last in the order; audited as `format.create`.
    pub async fn add_format(
        &self,
        actor: i64,
        f: &FormatInput,
    ) -> Result<std::result::Result<i64, FormatRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM session_formats WHERE LOWER(name) = LOWER($1)")
                .bind(&f.name).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                tx.rollback().await?;
                return Ok(Err(FormatRefusal::NameTaken));
            }
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO session_formats (name, default_minutes, colour, position, created_by) \
                 SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1, $4 FROM session_formats WHERE TRUE \
                 ON CONFLICT (name) DO NOTHING RETURNING id"
            ).bind(&f.name).bind(f.minutes).bind(&f.colour).bind(actor).fetch_optional(&mut *tx).await?;
            let Some(id) = id else {
                tx.rollback().await?;
                return Ok(Err(FormatRefusal::NameTaken));
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("format.create").bind("format").bind(id)
                .bind(None::<String>).bind(describe(f)).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok::<_, StoreError>(Ok(id))
        })
    }

    /// Changes format `id` (the caller checked that `actor` may); audited as `format.update`.
    pub async fn update_format(
        &self,
        actor: i64,
        id: i64,
        f: &FormatInput,
    ) -> Result<std::result::Result<(), FormatRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT name, default_minutes, colour FROM session_formats WHERE id = $1"
            ).bind(id).fetch_optional(&mut *tx).await?;
            let Some((name, minutes, colour)) = before else {
                tx.rollback().await?;
                return Ok(Err(FormatRefusal::NotFound));
            };
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM session_formats WHERE LOWER(name) = LOWER($1) AND id <> $2")
                .bind(&f.name).bind(id).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                tx.rollback().await?;
                return Ok(Err(FormatRefusal::NameTaken));
            }
            sqlx::query("UPDATE session_formats SET name = $2, default_minutes = $3, colour = $4 WHERE id = $1")
                .bind(id).bind(&f.name).bind(f.minutes).bind(&f.colour).execute(&mut *tx).await?;
            let before = describe(&FormatInput { name, minutes, colour });
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("format.update").bind("format").bind(id)
                .bind(before).bind(describe(f)).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok::<_, StoreError>(Ok(()))
        })
    }
}

fn describe(f: &FormatInput) -> String {
    format!("{}, {} min, {}", f.name, f.minutes, f.colour)
}
