//! A provider's logo (one row of `provider_logos`, migration 0040) with its alternative text,
//! kept in the database so every instance serves the same file. A change is audited
//! (`provider.logo`, `provider.logo.remove`) and publishes the provider's tag only: its page and
//! the pages of its offers, which show the logo, and nothing else.

use crate::{Db, Result, StoreError, on_db};
use domain::tags::provider as provider_tag;
use time::OffsetDateTime;

/// A new file for a logo: the same shape as an event's image.
pub use crate::programme::images::NewImage;

/// A logo as it is served.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProviderLogo {
    pub mime: String,
    pub body: Vec<u8>,
    pub etag: String,
}

/// What pages need to show a logo: its version, size in pixels and alternative text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoHead {
    pub etag: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
}

/// What became of a logo change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoSaved {
    Saved,
    /// There is no such provider.
    NoProvider,
    /// Refused, nothing changed; a translation key of `domain::offers::logo` (the alternative
    /// text is missing or too long, or only the text was to change and there is no logo).
    Refused(&'static str),
}

impl Db {
    /// The logo of provider `id`, whatever the provider's state (the back office).
    pub async fn provider_logo(&self, id: i64) -> Result<Option<ProviderLogo>> {
        Ok(
            on_db!(self, p => sqlx::query_as("SELECT mime, body, etag FROM provider_logos WHERE provider_id = $1")
            .bind(id).fetch_optional(p).await?),
        )
    }

    /// The logo of the approved provider with address `slug`, with the provider's id.
    pub async fn public_provider_logo(&self, slug: &str) -> Result<Option<(i64, ProviderLogo)>> {
        let row: Option<(i64, String, Vec<u8>, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT v.id, l.mime, l.body, l.etag FROM providers v JOIN provider_logos l ON l.provider_id = v.id \
             WHERE v.slug = $1 AND v.state = 'approved'"
        ).bind(slug).fetch_optional(p).await?);
        Ok(row.map(|(id, mime, body, etag)| (id, ProviderLogo { mime, body, etag })))
    }

    /// Stores (or replaces, with `image`) the logo of provider `id` with its alternative text;
    /// `None` keeps the file and changes the text only. The text is required (checked here
    /// with `domain::offers::logo::alt`, so no path can store a logo without one). Audited as
    /// `provider.logo` with type, size and text.
    pub async fn set_provider_logo(
        &self,
        actor: Option<i64>,
        id: i64,
        image: Option<NewImage<'_>>,
        alt: &str,
    ) -> Result<LogoSaved> {
        let alt = match domain::offers::logo::alt(alt) {
            Ok(a) => a,
            Err(key) => return Ok(LogoSaved::Refused(key)),
        };
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                "SELECT l.mime, CAST(LENGTH(l.body) AS BIGINT) FROM providers v \
                 LEFT JOIN provider_logos l ON l.provider_id = v.id WHERE v.id = $1"
            ).bind(id).fetch_optional(&mut *tx).await?;
            let Some((before_mime, before_size)) = before else {
                tx.rollback().await?;
                return Ok(LogoSaved::NoProvider);
            };
            let before = before_mime.zip(before_size).map(|(m, s)| format!("{m}, {s} B"));
            let after = match (image, &before) {
                (Some(img), _) => {
                    sqlx::query("INSERT INTO provider_logos (provider_id, mime, body, width, height, alt, etag, updated_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider_id) DO UPDATE SET mime = excluded.mime, \
                                 body = excluded.body, width = excluded.width, height = excluded.height, alt = excluded.alt, \
                                 etag = excluded.etag, updated_at = excluded.updated_at")
                        .bind(id).bind(img.mime).bind(img.body).bind(i64::from(img.width)).bind(i64::from(img.height))
                        .bind(&alt).bind(img.etag).bind(now).execute(&mut *tx).await?;
                    format!("{}, {} B", img.mime, img.body.len())
                }
                (None, Some(b)) => {
                    sqlx::query("UPDATE provider_logos SET alt = $2, updated_at = $3 WHERE provider_id = $1")
                        .bind(id).bind(&alt).bind(now).execute(&mut *tx).await?;
                    b.clone()
                }
                (None, None) => {
                    tx.rollback().await?;
                    return Ok(LogoSaved::Refused("provider-logo-empty"));
                }
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("provider.logo").bind("provider").bind(id)
                .bind(before).bind(format!("{after}; alt: {alt}")).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([provider_tag(id)])]);
            Ok::<_, StoreError>(LogoSaved::Saved)
        })
    }

    /// Removes the logo of provider `id`; audited as `provider.logo.remove`. False when there
    /// was none.
    pub async fn remove_provider_logo(&self, actor: i64, id: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(String, i64)> = sqlx::query_as(
                "DELETE FROM provider_logos WHERE provider_id = $1 RETURNING mime, CAST(LENGTH(body) AS BIGINT)"
            ).bind(id).fetch_optional(&mut *tx).await?;
            let Some((mime, size)) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("provider.logo.remove").bind("provider").bind(id)
                .bind(format!("{mime}, {size} B")).bind(None::<String>).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([provider_tag(id)])]);
            Ok::<_, StoreError>(true)
        })
    }
}
