//! Requests for offers that ask for one (`access = 'request'`): a person or an institution asks
//! for one of the offer's dates or proposes a day; the provider accepts, declines with a reason
//! or proposes another day; the person accepts a proposal or withdraws.
//!
//! **Never overbooked.** `offer_days.held` counts the places held on a day by open, proposed and
//! accepted requests. Places are taken only by `UPDATE … SET held = held + n WHERE … held + n <=
//! capacity` (the offer's capacity per date): on SQLite the write transaction is the only one,
//! on PostgreSQL the statement waits for a concurrent one's row lock and checks again on the row
//! it then sees. A request that finds too few places is refused and nothing is written.
//!
//! **Mail in the same transaction**, as with registrations: what a change tells either side is
//! queued in the change's transaction, built by the caller from the request as it now stands.

pub mod changes;

use crate::comments::{Limit, count_hits};
use crate::mail::{Outgoing, enqueue_in};
use crate::{Db, Result, StoreError, on_db};
use domain::offers::requests::RequestState;
use time::{Date, OffsetDateTime};

/// A request as both sides and the mails see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub offer_id: i64,
    pub offer_slug: String,
    pub offer_title: String,
    pub provider_id: i64,
    pub provider_name: String,
    pub day: Date,
    /// The time of the offer's date (`HH:MM`); `None` for a day the person proposed.
    pub starts: Option<String>,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The language the person asked in (`de`, `en`): their mails are written in it.
    pub lang: String,
    pub institution: String,
    pub group_size: i64,
    pub ages: String,
    pub message: String,
    pub state: RequestState,
    /// The provider's reason for declining, or their words with a proposal.
    pub note: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What a change tells, for the caller's mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A guest's new request: the address is to be confirmed by its link.
    ConfirmAddress,
    /// A request now waits for the provider (new, or its address confirmed).
    Sent,
    /// The provider accepted it.
    Accepted,
    /// The provider declined it.
    Declined,
    /// The provider proposed another day.
    Proposed,
    /// The person accepted the proposed day.
    ProposalAccepted,
    /// The person withdrew it.
    Withdrawn,
}

/// Builds the mails of a notice (to the person, to the provider's people, or both).
pub type Mailer<'a> = &'a (dyn Fn(&Request, Notice) -> Vec<Outgoing> + Sync);

/// Why a request or a change of it was refused; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No public offer that takes requests, or no such request.
    NotFound,
    /// The day has passed (or is too far ahead).
    Past,
    /// The address has an active request for this offer and day already.
    Twice,
    /// Fewer places are free on the day than the group needs.
    Full {
        /// Places still free then.
        free: i64,
    },
    /// A limit is reached until then.
    RateLimited(OffsetDateTime),
    /// The request is not in a state this applies to.
    Unchanged,
}

/// A new request, checked by `RequestInput::check` and for its day before.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub offer_id: i64,
    pub day: Date,
    pub starts: Option<&'a str>,
    pub user_id: Option<i64>,
    pub input: &'a domain::offers::requests::RequestInput,
    /// The address is the signed-in person's own (confirmed); else it is confirmed by mail
    /// first and no place is held until then.
    pub address_confirmed: bool,
    pub lang: &'a str,
    pub limits: &'a [Limit],
}

pub(crate) const COLUMNS: &str = "r.id, r.offer_id, o.slug AS offer_slug, o.title AS offer_title, o.provider_id, \
     v.name AS provider_name, r.day, r.starts, r.user_id, r.name, r.email, r.phone, r.lang, r.institution, r.group_size, \
     r.ages, r.message, r.state, r.note, r.created_at, r.updated_at \
     FROM offer_requests r JOIN offers o ON o.id = r.offer_id JOIN providers v ON v.id = o.provider_id";

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    offer_id: i64,
    offer_slug: String,
    offer_title: String,
    provider_id: i64,
    provider_name: String,
    day: Date,
    starts: Option<String>,
    user_id: Option<i64>,
    name: String,
    email: String,
    phone: String,
    lang: String,
    institution: String,
    group_size: i64,
    ages: String,
    message: String,
    state: String,
    note: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

pub(crate) fn request_of(r: Row) -> Result<Request> {
    Ok(Request {
        state: RequestState::parse(&r.state)
            .ok_or_else(|| StoreError::Invalid(format!("request {}: state {:?}", r.id, r.state)))?,
        id: r.id,
        offer_id: r.offer_id,
        offer_slug: r.offer_slug,
        offer_title: r.offer_title,
        provider_id: r.provider_id,
        provider_name: r.provider_name,
        day: r.day,
        starts: r.starts,
        user_id: r.user_id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        lang: r.lang,
        institution: r.institution,
        group_size: r.group_size,
        ages: r.ages,
        message: r.message,
        note: r.note,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Reads request `$id` in transaction `$tx`.
macro_rules! request_in {
    ($tx:ident, $id:expr) => {{
        let row: Option<$crate::offers::requests::Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {} WHERE r.id = $1",
                $crate::offers::requests::COLUMNS
            )))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        row.map($crate::offers::requests::request_of).transpose()?
    }};
}
pub(crate) use request_in;

/// Takes `$n` places of offer `$offer` on `$day` if so many are free: `Ok(())`, or `Err(free)`
/// with the places still free.
macro_rules! take_places {
    ($tx:ident, $offer:expr, $day:expr, $n:expr) => {{
        let (offer, day, n): (i64, Date, i64) = ($offer, $day, $n);
        sqlx::query("INSERT INTO offer_days (offer_id, day, held) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING")
            .bind(offer)
            .bind(day)
            .execute(&mut *$tx)
            .await?;
        let took: Option<i64> = sqlx::query_scalar(
            "UPDATE offer_days SET held = held + $3 WHERE offer_id = $1 AND day = $2 \
             AND held + $3 <= COALESCE((SELECT capacity FROM offers WHERE id = $1), 2000000000) RETURNING held",
        )
        .bind(offer)
        .bind(day)
        .bind(n)
        .fetch_optional(&mut *$tx)
        .await?;
        match took {
            Some(_) => Ok(()),
            None => Err($crate::offers::requests::free_places!($tx, offer, day)),
        }
    }};
}
pub(crate) use take_places;

/// The places of offer `$offer` still free on `$day`.
macro_rules! free_places {
    ($tx:ident, $offer:expr, $day:expr) => {{
        let free: Option<i64> = sqlx::query_scalar(
            "SELECT COALESCE(o.capacity, 2000000000) - COALESCE(d.held, 0) FROM offers o \
             LEFT JOIN offer_days d ON d.offer_id = o.id AND d.day = $2 WHERE o.id = $1",
        )
        .bind($offer)
        .bind($day)
        .fetch_optional(&mut *$tx)
        .await?;
        free.unwrap_or(0).max(0)
    }};
}
pub(crate) use free_places;

/// Gives back `$n` places of offer `$offer` on `$day`.
macro_rules! give_back {
    ($tx:ident, $offer:expr, $day:expr, $n:expr) => {{
        let (offer, day, n): (i64, Date, i64) = ($offer, $day, $n);
        sqlx::query(
            "UPDATE offer_days SET held = CASE WHEN held > $3 THEN held - $3 ELSE 0 END WHERE offer_id = $1 AND day = $2",
        )
        .bind(offer)
        .bind(day)
        .bind(n)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use give_back;

/// The active states, for SQL.
const ACTIVE: &str = "('unconfirmed', 'open', 'proposed', 'accepted')";

impl Db {
    /// Files a request. A signed-in person's request holds its places at once and waits for
    /// the provider; a guest's holds none until the address is confirmed. Refused, with nothing
    /// written: no public offer taking requests, a past day, a second active request of the
    /// address for the offer and day, too few places free (for a guest too, though nothing is
    /// held until the address is confirmed), a limit reached.
    pub async fn create_request(
        &self,
        r: &NewRequest<'_>,
        today: Date,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Request, Refusal>> {
        let now = OffsetDateTime::now_utc();
        if domain::offers::requests::day_ok(r.day, today).is_err() {
            return Ok(Err(Refusal::Past));
        }
        let i = r.input;
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let takes: Option<i64> = sqlx::query_scalar(
                "SELECT o.id FROM offers o JOIN providers v ON v.id = o.provider_id \
                 WHERE o.id = $1 AND o.state = 'published' AND v.state = 'approved' AND o.access = 'request'",
            )
            .bind(r.offer_id).fetch_optional(&mut *tx).await?;
            if takes.is_none() {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            }
            if let Some(until) = count_hits!(tx, r.limits, now) {
                tx.rollback().await?;
                return Ok(Err(Refusal::RateLimited(until)));
            }
            let existing: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM offer_requests WHERE offer_id = $1 AND day = $2 AND email = $3 AND state IN {ACTIVE}"
            )))
            .bind(r.offer_id).bind(r.day).bind(&i.email)
            .fetch_optional(&mut *tx).await?;
            if existing.is_some() {
                tx.rollback().await?;
                return Ok(Err(Refusal::Twice));
            }
            // A guest's request holds nothing yet, but one that does not fit now is refused now.
            let fits = if r.address_confirmed {
                take_places!(tx, r.offer_id, r.day, i.group_size)
            } else {
                let free = free_places!(tx, r.offer_id, r.day);
                if free >= i.group_size { Ok(()) } else { Err(free) }
            };
            if let Err(free) = fits {
                tx.rollback().await?;
                return Ok(Err(Refusal::Full { free }));
            }
            let state = if r.address_confirmed { RequestState::Open } else { RequestState::Unconfirmed };
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO offer_requests (offer_id, day, starts, user_id, name, email, phone, lang, institution, group_size, ages, message, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(r.offer_id).bind(r.day).bind(r.starts).bind(r.user_id)
            .bind(i.name.trim()).bind(&i.email).bind(i.phone.trim())
            .bind(if r.lang == "en" { "en" } else { "de" })
            .bind(i.institution.trim()).bind(i.group_size).bind(i.ages.trim()).bind(i.message.trim())
            .bind(state.as_str()).bind(now)
            .fetch_optional(&mut *tx).await?;
            // A request of the same address committed meanwhile (PostgreSQL).
            let Some(id) = id else {
                tx.rollback().await?;
                return Ok(Err(Refusal::Twice));
            };
            let Some(req): Option<Request> = request_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the request vanished"));
            };
            let notice = if r.address_confirmed { Notice::Sent } else { Notice::ConfirmAddress };
            for m in mail(&req, notice) {
                enqueue_in!(tx, m, now);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(Ok(req))
        })
    }

    /// A request by its number.
    pub async fn offer_request(&self, id: i64) -> Result<Option<Request>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(request_of).transpose()
    }

    /// The requests for the offers of provider `provider_id`, the ones to decide on first (then
    /// by day), a page of `per_page`, and how many there are; only `state` if given.
    pub async fn provider_requests(
        &self,
        provider_id: i64,
        state: Option<RequestState>,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Request>, i64)> {
        let filter =
            "o.provider_id = $1 AND r.state <> 'unconfirmed' AND ($2 IS NULL OR r.state = $2)";
        let sql = format!(
            "SELECT {COLUMNS} WHERE {filter} \
             ORDER BY CASE r.state WHEN 'open' THEN 0 WHEN 'proposed' THEN 1 WHEN 'accepted' THEN 2 ELSE 3 END, r.day, r.id \
             LIMIT $3 OFFSET $4"
        );
        let count = format!(
            "SELECT COUNT(*) FROM offer_requests r JOIN offers o ON o.id = r.offer_id WHERE {filter}"
        );
        let state = state.map(RequestState::as_str);
        let (rows, total): (Vec<Row>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(provider_id).bind(state)
                .bind(per_page).bind((page.max(1) - 1) * per_page).fetch_all(p).await?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count)).bind(provider_id).bind(state).fetch_one(p).await?;
            (rows, total)
        });
        Ok((
            rows.into_iter().map(request_of).collect::<Result<_>>()?,
            total,
        ))
    }

    /// The requests of account `user_id`, newest first (at most 200).
    pub async fn requests_of_user(&self, user_id: i64) -> Result<Vec<Request>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 200");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(p).await?);
        rows.into_iter().map(request_of).collect()
    }

    /// Places held on each of `days` of offer `offer_id` (days without any are left out).
    pub async fn held_places(&self, offer_id: i64, days: &[Date]) -> Result<Vec<(Date, i64)>> {
        let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(Date, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT day, held FROM offer_days WHERE offer_id = $1 AND day BETWEEN $2 AND $3 AND held > 0 ORDER BY day",
        )
        .bind(offer_id).bind(*first).bind(*last).fetch_all(p).await?);
        Ok(rows.into_iter().filter(|(d, _)| days.contains(d)).collect())
    }
}
