//! Participation, storage side: ratings of measures with their totals, by signed-in people and
//! by guests who confirm an address (one rating per address). Totals change in the transaction
//! of the rating that changes them.

use crate::{Db, Result, on_db};
use domain::participation::{Rating, RatingDelta, RatingTotals};
use time::OffsetDateTime;

/// The totals of one row of `rating_totals`.
pub(crate) type TotalsRow = (i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn totals_of(row: TotalsRow) -> RatingTotals {
    let (count, total, n1, n2, n3, n4, n5) = row;
    RatingTotals {
        count,
        total,
        by_value: [n1, n2, n3, n4, n5],
    }
}

pub(crate) fn rating_of(value: i64) -> Result<Rating> {
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

/// The totals row of a published measure in transaction `$tx`, created when missing and locked
/// (on PostgreSQL) for the rest of the transaction: concurrent ratings of one measure queue
/// here, so no delta is lost. `None` when the measure is not published.
macro_rules! lock_totals {
    ($tx:ident, $measure:expr) => {
        sqlx::query_as(
            "INSERT INTO rating_totals (measure_id) SELECT id FROM measures WHERE id = $1 AND state = 'published' \
             ON CONFLICT (measure_id) DO UPDATE SET count = rating_totals.count \
             RETURNING count, total, n1, n2, n3, n4, n5",
        )
        .bind($measure)
        .fetch_optional(&mut *$tx)
        .await?
    };
}
pub(crate) use lock_totals;

/// Adds a [`RatingDelta`] to the (locked) totals of `$measure` in `$tx`; the new totals row.
macro_rules! apply_delta {
    ($tx:ident, $measure:expr, $delta:expr) => {{
        let delta: domain::participation::RatingDelta = $delta;
        let [d1, d2, d3, d4, d5] = delta.by_value;
        sqlx::query_as(
            "UPDATE rating_totals SET count = count + $2, total = total + $3, n1 = n1 + $4, n2 = n2 + $5, \
             n3 = n3 + $6, n4 = n4 + $7, n5 = n5 + $8 WHERE measure_id = $1 \
             RETURNING count, total, n1, n2, n3, n4, n5",
        )
        .bind($measure)
        .bind(delta.count)
        .bind(delta.total)
        .bind(d1)
        .bind(d2)
        .bind(d3)
        .bind(d4)
        .bind(d5)
        .fetch_one(&mut *$tx)
        .await?
    }};
}
pub(crate) use apply_delta;

/// Sets or withdraws (`$rating`) the rating of `$user` for `$measure` at `$now` in the open
/// transaction `$tx` (inside the writer's savepoint). Evaluates to `Result<Option<(totals,
/// changed)>>`: `None` when the measure is not published; `changed` false when the rating was
/// already so (the caller then rolls back the totals row it touched).
macro_rules! rate_in {
    ($tx:ident, $measure:expr, $user:expr, $rating:expr, $now:expr) => {
        async {
            let (measure_id, user_id): (i64, i64) = ($measure, $user);
            let rating: Option<domain::participation::Rating> = $rating;
            let now: time::OffsetDateTime = $now;
            // The totals row of a published measure, created when missing and locked (on
            // PostgreSQL) for the rest of the transaction: concurrent ratings of one measure
            // queue here, so no delta is lost. The old rating is read after the lock, in a
            // statement of its own, so it is the committed one.
            let row: Option<$crate::participation::TotalsRow> = $crate::participation::lock_totals!($tx, measure_id);
            let Some(row) = row else {
                return Ok::<_, $crate::StoreError>(None);
            };
            let old: Option<i64> = sqlx::query_scalar("SELECT value FROM ratings WHERE measure_id = $1 AND user_id = $2")
                .bind(measure_id)
                .bind(user_id)
                .fetch_optional(&mut *$tx)
                .await?;
            let old = old.map($crate::participation::rating_of).transpose()?;
            let delta = domain::participation::RatingDelta::between(old, rating);
            if delta.is_empty() {
                return Ok::<_, $crate::StoreError>(Some(($crate::participation::totals_of(row), false)));
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
                    .execute(&mut *$tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM ratings WHERE measure_id = $1 AND user_id = $2")
                        .bind(measure_id)
                        .bind(user_id)
                        .execute(&mut *$tx)
                        .await?;
                }
            }
            let row: $crate::participation::TotalsRow = $crate::participation::apply_delta!($tx, measure_id, delta);
            Ok::<_, $crate::StoreError>(Some(($crate::participation::totals_of(row), true)))
        }
    };
}
pub(crate) use rate_in;

/// A guest's rating to confirm: the keyed hash of the address, the token's hash, the value, the
/// link's expiry and the mail that carries it.
#[derive(Debug, Clone)]
pub struct GuestRating<'a> {
    pub measure_id: i64,
    pub address_hash: &'a str,
    pub token_hash: &'a str,
    pub rating: Rating,
    pub expires_at: OffsetDateTime,
    pub mail: &'a crate::mail::Outgoing,
    pub limits: &'a [crate::comments::Limit],
}

/// Why a guest's rating was not asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestRatingRefusal {
    /// No published measure.
    NotFound,
    /// A limit is reached until then.
    RateLimited(OffsetDateTime),
}

impl Db {
    /// Queues the confirmation of a guest's rating: the link and its mail in one transaction,
    /// counted against `limits`. Nothing counts before the link is used.
    pub async fn request_guest_rating(
        &self,
        g: &GuestRating<'_>,
    ) -> Result<std::result::Result<(), GuestRatingRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM measures WHERE id = $1 AND state = 'published'")
                .bind(g.measure_id).fetch_optional(&mut *tx).await?;
            if found.is_none() {
                tx.rollback().await?;
                return Ok(Err(GuestRatingRefusal::NotFound));
            }
            if let Some(until) = crate::comments::count_hits!(tx, g.limits, now) {
                tx.rollback().await?;
                return Ok(Err(GuestRatingRefusal::RateLimited(until)));
            }
            sqlx::query(
                "INSERT INTO guest_rating_links (token_hash, measure_id, address_hash, value, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(g.token_hash)
            .bind(g.measure_id)
            .bind(g.address_hash)
            .bind(g.rating.value())
            .bind(now)
            .bind(g.expires_at)
            .execute(&mut *tx)
            .await?;
            crate::mail::enqueue_in!(tx, g.mail, now);
            tx.commit().await?;
        });
        Ok(Ok(()))
    }

    /// The measure and value of a guest's rating link that can still be used.
    pub async fn guest_rating_link(&self, token_hash: &str) -> Result<Option<(i64, Rating)>> {
        let now = OffsetDateTime::now_utc();
        let row: Option<(i64, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT measure_id, value FROM guest_rating_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
        ).bind(token_hash).bind(now).fetch_optional(p).await?);
        row.map(|(m, v)| Ok((m, rating_of(v)?))).transpose()
    }

    /// Uses a guest's rating link once: the address's rating of the measure is set (or
    /// replaced) and the totals change by the difference, in one transaction. The measure, or
    /// `None` when the link is unknown, used, expired, or the measure is no longer published.
    pub async fn confirm_guest_rating(&self, token_hash: &str) -> Result<Option<i64>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let link: Option<(i64, String, i64)> = sqlx::query_as(
                "UPDATE guest_rating_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 RETURNING measure_id, address_hash, value",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((measure_id, address, value)) = link else {
                tx.rollback().await?;
                return Ok(None);
            };
            let rating = rating_of(value)?;
            let row: Option<TotalsRow> = lock_totals!(tx, measure_id);
            if row.is_none() {
                tx.rollback().await?;
                return Ok(None);
            }
            let old: Option<i64> = sqlx::query_scalar(
                "SELECT value FROM guest_ratings WHERE measure_id = $1 AND address_hash = $2",
            )
            .bind(measure_id)
            .bind(&address)
            .fetch_optional(&mut *tx)
            .await?;
            let old = old.map(rating_of).transpose()?;
            let delta = RatingDelta::between(old, Some(rating));
            sqlx::query(
                "INSERT INTO guest_ratings (measure_id, address_hash, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
                 ON CONFLICT (measure_id, address_hash) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(measure_id)
            .bind(&address)
            .bind(rating.value())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if delta.is_empty() {
                tx.commit().await?;
                return Ok(Some(measure_id));
            }
            let _: TotalsRow = apply_delta!(tx, measure_id, delta);
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::rating(measure_id), domain::tags::RATINGS.to_string()])]);
            Some(measure_id)
        });
        Ok(outcome)
    }

    /// Removes guests' rating links that ran out.
    pub async fn purge_guest_rating_links(&self, now: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query("DELETE FROM guest_rating_links WHERE expires_at <= $1")
                .bind(now).execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// Sets (`Some`) or withdraws (`None`) the rating of `user_id` for a published measure and
    /// returns the measure's new totals; `None` when there is no published measure `measure_id`.
    /// An unchanged rating writes nothing. The rating and its totals are committed before this
    /// returns: on SQLite by the group-commit writer ([`crate::writer`]) in a savepoint of their
    /// own, on PostgreSQL in a transaction of their own (see [`Db::ratings_in_batches`]).
    pub async fn rate(
        &self,
        measure_id: i64,
        user_id: i64,
        rating: Option<Rating>,
    ) -> Result<Option<RatingTotals>> {
        if self.ratings_in_batches() {
            return self.writer().rate(self, measure_id, user_id, rating).await;
        }
        // A transaction of its own (PostgreSQL, see `ratings_in_batches`).
        let now = OffsetDateTime::now_utc();
        let totals = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            match rate_in!(tx, measure_id, user_id, rating, now).await? {
                Some((totals, true)) => {
                    crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::rating(measure_id), domain::tags::RATINGS.to_string()])]);
                    Some(totals)
                }
                unchanged => {
                    tx.rollback().await?;
                    unchanged.map(|(totals, _)| totals)
                }
            }
        });
        Ok(totals)
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
