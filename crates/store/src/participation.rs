//! Participation, storage side: ratings of measures with their totals (and, next, comments and
//! ideas). Totals change in the transaction of the rating that changes them.

use crate::{Db, Result, on_db};
use domain::participation::{Rating, RatingDelta, RatingTotals};
use time::OffsetDateTime;

/// The totals of one row of `rating_totals`.
type TotalsRow = (i64, i64, i64, i64, i64, i64, i64);

fn totals_of(row: TotalsRow) -> RatingTotals {
    let (count, total, n1, n2, n3, n4, n5) = row;
    RatingTotals {
        count,
        total,
        by_value: [n1, n2, n3, n4, n5],
    }
}

fn rating_of(value: i64) -> Result<Rating> {
    Rating::new(value).ok_or_else(|| crate::StoreError::Invalid(format!("rating value {value}")))
}

/// One of a person's ratings, for their data export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnRating {
    pub measure_id: i64,
    pub measure_title: String,
    pub value: i64,
    pub updated_at: OffsetDateTime,
}

impl Db {
    /// Sets (`Some`) or withdraws (`None`) the rating of `user_id` for a published measure and
    /// returns the measure's new totals; `None` when there is no published measure `measure_id`.
    /// An unchanged rating writes nothing.
    pub async fn rate(
        &self,
        measure_id: i64,
        user_id: i64,
        rating: Option<Rating>,
    ) -> Result<Option<RatingTotals>> {
        let now = OffsetDateTime::now_utc();
        let totals = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            // The totals row of a published measure, created when missing and locked (on
            // PostgreSQL) for the rest of the transaction: concurrent ratings of one measure
            // queue here, so no delta is lost.
            let row: Option<TotalsRow> = sqlx::query_as(
                "INSERT INTO rating_totals (measure_id) SELECT id FROM measures WHERE id = $1 AND state = 'published' \
                 ON CONFLICT (measure_id) DO UPDATE SET count = rating_totals.count \
                 RETURNING count, total, n1, n2, n3, n4, n5",
            )
            .bind(measure_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                tx.rollback().await?;
                return Ok(None);
            };
            let old: Option<i64> = sqlx::query_scalar("SELECT value FROM ratings WHERE measure_id = $1 AND user_id = $2")
                .bind(measure_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            let old = old.map(rating_of).transpose()?;
            let delta = RatingDelta::between(old, rating);
            if delta.is_empty() {
                tx.rollback().await?;
                return Ok(Some(totals_of(row)));
            }
            match rating {
                Some(r) => {
                    sqlx::query(
                        "INSERT INTO ratings (measure_id, user_id, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
                         ON CONFLICT (measure_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    )
                    .bind(measure_id)
                    .bind(user_id)
                    .bind(r.value())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM ratings WHERE measure_id = $1 AND user_id = $2")
                        .bind(measure_id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let [d1, d2, d3, d4, d5] = delta.by_value;
            let row: TotalsRow = sqlx::query_as(
                "UPDATE rating_totals SET count = count + $2, total = total + $3, n1 = n1 + $4, n2 = n2 + $5, \
                 n3 = n3 + $6, n4 = n4 + $7, n5 = n5 + $8 WHERE measure_id = $1 \
                 RETURNING count, total, n1, n2, n3, n4, n5",
            )
            .bind(measure_id)
            .bind(delta.count)
            .bind(delta.total)
            .bind(d1)
            .bind(d2)
            .bind(d3)
            .bind(d4)
            .bind(d5)
            .fetch_one(&mut *tx)
            .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::rating(measure_id), domain::tags::RATINGS.to_string()])]);
            totals_of(row)
        });
        Ok(Some(totals))
    }

    /// The rating totals of a measure (zero when nobody has rated it).
    pub async fn rating_totals(&self, measure_id: i64) -> Result<RatingTotals> {
        let row: Option<TotalsRow> = on_db!(self, p => sqlx::query_as(
            "SELECT count, total, n1, n2, n3, n4, n5 FROM rating_totals WHERE measure_id = $1"
        ).bind(measure_id).fetch_optional(p).await?);
        Ok(row.map(totals_of).unwrap_or_default())
    }

    /// The rating `user_id` gave `measure_id`, if any.
    pub async fn my_rating(&self, measure_id: i64, user_id: i64) -> Result<Option<Rating>> {
        let v: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT value FROM ratings WHERE measure_id = $1 AND user_id = $2"
        ).bind(measure_id).bind(user_id).fetch_optional(p).await?);
        v.map(rating_of).transpose()
    }

    /// Every rating of `user_id`, newest first (the data export).
    pub async fn ratings_of_user(&self, user_id: i64) -> Result<Vec<OwnRating>> {
        let rows: Vec<(i64, String, i64, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(
            "SELECT r.measure_id, m.title, r.value, r.updated_at FROM ratings r JOIN measures m ON m.id = r.measure_id \
             WHERE r.user_id = $1 ORDER BY r.updated_at DESC, r.measure_id"
        ).bind(user_id).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(measure_id, measure_title, value, updated_at)| OwnRating {
                measure_id,
                measure_title,
                value,
                updated_at,
            })
            .collect())
    }
}
