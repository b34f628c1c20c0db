//! An event's image (one row of `event_images`) and its alternative text (on the event). A
//! change is audited and drops the event's pages.

use crate::{Db, Result, StoreError, on_db};
use domain::tags::{PROGRAMME as TAG, event as event_tag};
use time::OffsetDateTime;

/// An event's image as it is served.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventImage {
    pub mime: String,
    pub body: Vec<u8>,
    pub etag: String,
}

/// What pages need to show an event's image: its version, size and alternative text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImageHead {
    pub etag: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
}

/// A new image for an event.
#[derive(Debug, Clone, Copy)]
pub struct NewImage<'a> {
    pub mime: &'a str,
    pub body: &'a [u8],
    pub width: u32,
    pub height: u32,
    pub etag: &'a str,
}

impl Db {
    /// The image of event `event_id`, if it has one.
    pub async fn event_image(&self, event_id: i64) -> Result<Option<EventImage>> {
        let row = on_db!(self, p => sqlx::query_as("SELECT mime, body, etag FROM event_images WHERE event_id = $1")
            .bind(event_id).fetch_optional(p).await?);
        Ok(row)
    }

    /// Version, size and alternative text of the image of event `event_id`, if it has one.
    pub async fn event_image_head(&self, event_id: i64) -> Result<Option<ImageHead>> {
        let row = on_db!(self, p => sqlx::query_as(
            "SELECT i.etag, i.width, i.height, e.image_alt AS alt FROM event_images i \
             JOIN programme_events e ON e.id = i.event_id WHERE i.event_id = $1"
        ).bind(event_id).fetch_optional(p).await?);
        Ok(row)
    }

    /// Stores (or replaces, with `image`) the image of event `event_id` and sets its alternative
    /// text; `None` keeps the file and changes the text only. Audited as `event.image` with
    /// type and size. False when the event does not exist, or when only the text was to change
    /// and there is no image.
    pub async fn set_event_image(
        &self,
        actor: Option<i64>,
        event_id: i64,
        image: Option<NewImage<'_>>,
        alt: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                "SELECT i.mime, CAST(LENGTH(i.body) AS BIGINT) FROM programme_events e \
                 LEFT JOIN event_images i ON i.event_id = e.id WHERE e.id = $1"
            ).bind(event_id).fetch_optional(&mut *tx).await?;
            let Some((before_mime, before_size)) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            let after = match image {
                Some(img) => {
                    sqlx::query("INSERT INTO event_images (event_id, mime, body, width, height, etag, updated_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO UPDATE SET mime = excluded.mime, \
                                 body = excluded.body, width = excluded.width, height = excluded.height, etag = excluded.etag, \
                                 updated_at = excluded.updated_at")
                        .bind(event_id).bind(img.mime).bind(img.body).bind(i64::from(img.width)).bind(i64::from(img.height))
                        .bind(img.etag).bind(now).execute(&mut *tx).await?;
                    format!("{}, {} B", img.mime, img.body.len())
                }
                None => match (&before_mime, before_size) {
                    (Some(m), Some(s)) => format!("{m}, {s} B"),
                    _ => {
                        tx.rollback().await?;
                        return Ok(false);
                    }
                },
            };
            sqlx::query("UPDATE programme_events SET image_alt = $2, updated_at = $3 WHERE id = $1")
                .bind(event_id).bind(alt.trim()).bind(now).execute(&mut *tx).await?;
            let before = before_mime.zip(before_size).map(|(m, s)| format!("{m}, {s} B"));
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("event.image").bind("event").bind(event_id)
                .bind(before).bind(format!("{after}; alt: {}", alt.trim())).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Removes the image of event `event_id` and its alternative text; audited as
    /// `event.image.remove`. False when there was none.
    pub async fn remove_event_image(&self, actor: i64, event_id: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(String, i64)> = sqlx::query_as(
                "DELETE FROM event_images WHERE event_id = $1 RETURNING mime, CAST(LENGTH(body) AS BIGINT)"
            ).bind(event_id).fetch_optional(&mut *tx).await?;
            let Some((mime, size)) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query("UPDATE programme_events SET image_alt = '', updated_at = $2 WHERE id = $1")
                .bind(event_id).bind(now).execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("event.image.remove").bind("event").bind(event_id)
                .bind(format!("{mime}, {size} B")).bind(None::<String>).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
            Ok::<_, StoreError>(true)
        })
    }
}
