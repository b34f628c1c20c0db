//! The site's logo (one row of `site_logo`) and what every page needs to show the branding.
//! Changes are audited and publish a cache invalidation, as for the other site settings.

use crate::{Db, Result, on_db};
use time::OffsetDateTime;

/// The settings key of the accent colour (`#rrggbb`; empty or missing: the shipped colour).
pub const ACCENT_KEY: &str = "accent_color";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Logo {
    pub mime: String,
    pub body: Vec<u8>,
    pub etag: String,
}

/// What the page frame needs, read in one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// The logo's version, if there is a logo.
    pub logo_etag: Option<String>,
    pub accent: Option<String>,
}

fn describe(mime: &str, size: usize) -> String {
    format!("{mime}, {size} B")
}

impl Db {
    pub async fn branding(&self) -> Result<Branding> {
        let (logo_etag, accent): (Option<String>, Option<String>) = on_db!(self, p => sqlx::query_as(
            "SELECT (SELECT etag FROM site_logo WHERE id = 1), (SELECT value FROM site_settings WHERE key = $1)"
        ).bind(ACCENT_KEY).fetch_one(p).await?);
        Ok(Branding {
            logo_etag,
            accent: accent.filter(|a| !a.is_empty()),
        })
    }

    pub async fn logo(&self) -> Result<Option<Logo>> {
        let l = on_db!(self, p => sqlx::query_as::<_, Logo>("SELECT mime, body, etag FROM site_logo WHERE id = 1")
            .fetch_optional(p).await?);
        Ok(l)
    }

    /// Stores (or replaces) the logo; audited as `logo.update` with type and size before and after.
    pub async fn set_logo(&self, actor: i64, mime: &str, body: &[u8], etag: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let before: Option<(String, i64)> = sqlx::query_as("SELECT mime, CAST(LENGTH(body) AS BIGINT) FROM site_logo WHERE id = 1")
                .fetch_optional(&mut *tx).await?;
            sqlx::query("INSERT INTO site_logo (id, mime, body, etag, updated_at) VALUES (1, $1, $2, $3, $4) \
                         ON CONFLICT (id) DO UPDATE SET mime = excluded.mime, body = excluded.body, etag = excluded.etag, updated_at = excluded.updated_at")
                .bind(mime).bind(body).bind(etag).bind(now).execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("logo.update").bind("logo").bind(None::<i64>)
                .bind(before.map(|(m, n)| describe(&m, usize::try_from(n).unwrap_or(0)))).bind(describe(mime, body.len()))
                .execute(&mut *tx).await?;
            events.push(crate::events::cache_event([domain::tags::SITE]));
            crate::commit_with_events!(self, p, tx, events);
        });
        Ok(())
    }

    /// Removes the logo; audited as `logo.remove`. Returns whether there was one.
    pub async fn remove_logo(&self, actor: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let removed = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let before: Option<(String, i64)> = sqlx::query_as("DELETE FROM site_logo WHERE id = 1 RETURNING mime, CAST(LENGTH(body) AS BIGINT)")
                .fetch_optional(&mut *tx).await?;
            if let Some((m, n)) = &before {
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("logo.remove").bind("logo").bind(None::<i64>)
                    .bind(describe(m, usize::try_from(*n).unwrap_or(0))).bind(None::<String>).execute(&mut *tx).await?;
                events.push(crate::events::cache_event([domain::tags::SITE]));
            }
            crate::commit_with_events!(self, p, tx, events);
            before.is_some()
        });
        Ok(removed)
    }
}
