//! Participation, storage side: ratings of measures with their totals, by signed-in people and
//! by guests who confirm an address (one rating per address). Totals change in the transaction
//! of the rating that changes them.

use crate::{Db, Result, on_db};
use domain::participation::{Rating, RatingTotals};
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

/// Sets a person's rating (`$1` measure, `$2` person, `$3` value, `$4` time) of a published
/// measure; one row when it changed, none when it was already so or the measure is not
/// published. The totals follow by trigger (migration 0024).
pub(crate) const RATE_SQL: &str = "INSERT INTO ratings (measure_id, user_id, value, created_at, updated_at) \
     SELECT id, $2, $3, $4, $4 FROM measures WHERE id = $1 AND state = 'published' \
     ON CONFLICT (measure_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
     WHERE ratings.value <> excluded.value";

/// Withdraws a person's rating (`$1` measure, `$2` person) of a published measure.
pub(crate) const WITHDRAW_SQL: &str = "DELETE FROM ratings WHERE measure_id = $1 AND user_id = $2 \
     AND EXISTS (SELECT 1 FROM measures WHERE id = $1 AND state = 'published')";

/// Sets or withdraws (`$rating`) the rating of `$user` for `$measure` at `$now` in the open
/// transaction `$tx`: ONE statement, which the totals follow by trigger, so the writer needs no
/// savepoint around it (a statement that fails leaves nothing behind). Evaluates to
/// `Result<Option<changed>>`: `None` when the measure is not published, `Some(false)` when the
/// rating was already so. Only a write that changed nothing reads whether the measure is there.
macro_rules! rate_in {
    ($tx:ident, $measure:expr, $user:expr, $rating:expr, $now:expr) => {
        async {
            let (measure_id, user_id): (i64, i64) = ($measure, $user);
            let rating: Option<domain::participation::Rating> = $rating;
            let now: time::OffsetDateTime = $now;
            let written = match rating {
                Some(r) => {
                    sqlx::query($crate::participation::RATE_SQL)
                        .bind(measure_id)
                        .bind(user_id)
                        .bind(r.value())
                        .bind(now)
                        .execute(&mut *$tx)
                        .await?
                }
                None => {
                    sqlx::query($crate::participation::WITHDRAW_SQL)
                        .bind(measure_id)
                        .bind(user_id)
                        .execute(&mut *$tx)
                        .await?
                }
            };
            if written.rows_affected() > 0 {
                return Ok::<_, $crate::StoreError>(Some(true));
            }
            let published: Option<i64> =
                sqlx::query_scalar("SELECT id FROM measures WHERE id = $1 AND state = 'published'")
                    .bind(measure_id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            Ok::<_, $crate::StoreError>(published.map(|_| false))
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
            // The address's rating of a published measure, set or replaced; the totals follow
            // by trigger.
            let written = sqlx::query(
                "INSERT INTO guest_ratings (measure_id, address_hash, value, created_at, updated_at) \
                 SELECT id, $2, $3, $4, $4 FROM measures WHERE id = $1 AND state = 'published' \
                 ON CONFLICT (measure_id, address_hash) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
                 WHERE guest_ratings.value <> excluded.value",
            )
            .bind(measure_id)
            .bind(&address)
            .bind(rating.value())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if written.rows_affected() == 0 {
                let published: Option<i64> = sqlx::query_scalar("SELECT id FROM measures WHERE id = $1 AND state = 'published'")
                    .bind(measure_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if published.is_none() {
                    tx.rollback().await?;
                    return Ok(None);
                }
                // The same rating again: the link is used, nothing else changes.
                tx.commit().await?;
                return Ok(Some(measure_id));
            }
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

    /// Sets (`Some`) or withdraws (`None`) the rating of `user_id` for a published measure:
    /// `Some(true)` when that changed the rating, `Some(false)` when it was already so (nothing
    /// is written), `None` when there is no published measure `measure_id`. The rating and its
    /// totals (kept by trigger) are committed by the group-commit writer ([`crate::writer`])
    /// before this returns.
    pub async fn rate(
        &self,
        measure_id: i64,
        user_id: i64,
        rating: Option<Rating>,
    ) -> Result<Option<bool>> {
        self.writer().rate(self, measure_id, user_id, rating).await
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
