//! What the city keeps for its offers: the categories (the HSDS taxonomy of the directory),
//! its districts and its postcodes with their centroids, from which distances are measured.

use crate::{Db, Result, StoreError, on_db};
use domain::offers::geo::Point;
use domain::tags::OFFERS as TAG;
use time::OffsetDateTime;

/// A category of offers.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A district of the city with its centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub centre: Point,
}

/// A postcode of the city with its centroid and the district it mostly lies in.
#[derive(Debug, Clone, PartialEq)]
pub struct Postcode {
    pub code: String,
    pub district_id: Option<i64>,
    pub centre: Point,
}

fn point(lat: f64, lon: f64) -> Result<Point> {
    Point::new(lat, lon).ok_or_else(|| StoreError::Invalid(format!("coordinates {lat}, {lon}")))
}

fn audit_now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

impl Db {
    /// The categories, in the city's order.
    pub async fn offer_categories(&self) -> Result<Vec<Category>> {
        Ok(on_db!(self, p => sqlx::query_as(
            "SELECT id, slug, name FROM offer_categories ORDER BY position, id"
        ).fetch_all(p).await?))
    }

    /// Adds a category at the end of the list; `None` when its name or address is taken.
    /// Audited as `offer_category.create`.
    pub async fn add_offer_category(&self, actor: i64, name: &str) -> Result<Option<i64>> {
        let slug = domain::text::slugify(name);
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO offer_categories (slug, name, position) \
                 VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM offer_categories)) \
                 ON CONFLICT DO NOTHING RETURNING id",
            ).bind(&slug).bind(name.trim()).fetch_optional(&mut *tx).await?;
            let Some(id) = id else {
                tx.rollback().await?;
                return Ok(None);
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("offer_category.create")
                .bind("offer_category").bind(id).bind(None::<String>).bind(name.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok(Some(id))
        })
    }

    /// Renames category `id` (its address stays, so links keep working); `false` when there is
    /// none or the name is taken. Audited as `offer_category.update`.
    pub async fn rename_offer_category(&self, actor: i64, id: i64, name: &str) -> Result<bool> {
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT name FROM offer_categories WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM offer_categories WHERE name = $1 AND id <> $2)")
                .bind(name.trim()).bind(id).fetch_one(&mut *tx).await?;
            let Some(before) = before.filter(|_| !taken) else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query("UPDATE offer_categories SET name = $2 WHERE id = $1").bind(id).bind(name.trim()).execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("offer_category.update")
                .bind("offer_category").bind(id).bind(Some(before)).bind(name.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok(true)
        })
    }

    /// The districts, by name.
    pub async fn districts(&self) -> Result<Vec<District>> {
        let rows: Vec<(i64, String, String, f64, f64)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, slug, name, lat, lon FROM districts ORDER BY name, id"
        ).fetch_all(p).await?);
        rows.into_iter()
            .map(|(id, slug, name, lat, lon)| {
                Ok(District {
                    id,
                    slug,
                    name,
                    centre: point(lat, lon)?,
                })
            })
            .collect()
    }

    /// Adds a district or, when one of that name exists, moves its centroid; its id. Audited
    /// as `district.save`.
    pub async fn save_district(
        &self,
        actor: Option<i64>,
        name: &str,
        centre: Point,
        demo: bool,
    ) -> Result<i64> {
        let slug = domain::text::slugify(name);
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO districts (slug, name, lat, lon, demo) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (name) DO UPDATE SET lat = excluded.lat, lon = excluded.lon RETURNING id",
            ).bind(&slug).bind(name.trim()).bind(centre.lat).bind(centre.lon).bind(demo).fetch_one(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("district.save")
                .bind("district").bind(id).bind(None::<String>).bind(format!("{} ({}, {})", name.trim(), centre.lat, centre.lon))
                .execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok(id)
        })
    }

    /// Removes district `id` (its postcodes and offers keep their coordinates and lose the
    /// district); `false` when there is none. Audited as `district.delete`.
    pub async fn remove_district(&self, actor: i64, id: i64) -> Result<bool> {
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let name: Option<String> = sqlx::query_scalar("DELETE FROM districts WHERE id = $1 RETURNING name")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(name) = name else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("district.delete")
                .bind("district").bind(id).bind(Some(name)).bind(None::<String>).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok(true)
        })
    }

    /// The postcodes, in order.
    pub async fn postcodes(&self) -> Result<Vec<Postcode>> {
        let rows: Vec<(String, Option<i64>, f64, f64)> = on_db!(self, p => sqlx::query_as(
            "SELECT code, district_id, lat, lon FROM postcodes ORDER BY code"
        ).fetch_all(p).await?);
        rows.into_iter()
            .map(|(code, district_id, lat, lon)| {
                Ok(Postcode {
                    code,
                    district_id,
                    centre: point(lat, lon)?,
                })
            })
            .collect()
    }

    /// Postcode `code` of the city, if the city keeps it.
    pub async fn postcode(&self, code: &str) -> Result<Option<Postcode>> {
        let row: Option<(String, Option<i64>, f64, f64)> = on_db!(self, p => sqlx::query_as(
            "SELECT code, district_id, lat, lon FROM postcodes WHERE code = $1"
        ).bind(code).fetch_optional(p).await?);
        row.map(|(code, district_id, lat, lon)| {
            Ok(Postcode {
                code,
                district_id,
                centre: point(lat, lon)?,
            })
        })
        .transpose()
    }

    /// Adds postcode `code` (five digits, checked by the caller) or moves its centroid and
    /// district. Audited as `postcode.save`.
    pub async fn save_postcode(
        &self,
        actor: Option<i64>,
        code: &str,
        district_id: Option<i64>,
        centre: Point,
        demo: bool,
    ) -> Result<()> {
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query(
                "INSERT INTO postcodes (code, district_id, lat, lon, demo) \
                 VALUES ($1, (SELECT id FROM districts WHERE id = $2), $3, $4, $5) \
                 ON CONFLICT (code) DO UPDATE SET district_id = excluded.district_id, lat = excluded.lat, lon = excluded.lon",
            ).bind(code).bind(district_id).bind(centre.lat).bind(centre.lon).bind(demo).execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("postcode.save")
                .bind("postcode").bind(None::<i64>).bind(None::<String>).bind(format!("{code} ({}, {})", centre.lat, centre.lon))
                .execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
        });
        Ok(())
    }

    /// Removes postcode `code`; `false` when the city has none such. Offers keep their
    /// coordinates. Audited as `postcode.delete`.
    pub async fn remove_postcode(&self, actor: i64, code: &str) -> Result<bool> {
        let now = audit_now();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let gone = sqlx::query("DELETE FROM postcodes WHERE code = $1").bind(code).execute(&mut *tx).await?.rows_affected();
            if gone == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("postcode.delete")
                .bind("postcode").bind(None::<i64>).bind(Some(code.to_string())).bind(None::<String>).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string()])]);
            Ok(true)
        })
    }
}
