//! Registrations for events and sessions, with the waiting list.
//!
//! **Never overbooked.** `held` on the event (or the session with places of its own) counts
//! confirmed registrations and open offers. A place is taken only by `UPDATE … SET held = held + 1
//! WHERE … held < capacity`: on SQLite the write transaction is the only one, on PostgreSQL the
//! statement waits for the row lock of a concurrent one and checks `held` again on the row it
//! then sees, so the count never passes the capacity on either engine. Every change that frees a
//! place first touches that row too, so freeing and taking take turns per event, and the first
//! person waiting is chosen by a statement that sees every earlier change.
//!
//! **Mail in the same transaction.** What a change tells someone (the confirmation with its
//! calendar file, the place on the waiting list, an offer) is queued in the transaction of the
//! change, built by the caller's function from the registration as it now stands: a place is
//! never offered without its mail, and a mail never tells of a change that was rolled back.

use crate::comments::{Limit, count_hits};
use crate::mail::{Outgoing, enqueue_in};
use crate::{Db, Result, StoreError, on_db};
use domain::programme::registration::{self as rules, RegState};
use domain::tags::places;
use time::OffsetDateTime;

/// What a registration is for: a whole event, or a session with places of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub event_id: i64,
    pub session_id: Option<i64>,
}

impl Place {
    /// The `scope` column: the session's id, or 0 for the event.
    fn scope(self) -> i64 {
        self.session_id.unwrap_or(0)
    }
}

/// A registration as its person, the organiser and the mails see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: i64,
    pub place: Place,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    /// The language the person registered in (`de`, `en`): every mail about it is written in it.
    pub lang: String,
    pub state: RegState,
    pub offer_expires_at: Option<OffsetDateTime>,
    pub checked_in_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// The place on the waiting list (1: next), while waiting.
    pub position: Option<i64>,
    pub event_slug: String,
    pub event_title: String,
    /// The session's slug and title, for a session's registration.
    pub session: Option<(String, String)>,
    /// When the event (or the session) starts and ends.
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
}

/// Why a mail is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A new registration whose address is to be confirmed by its link.
    ConfirmAddress,
    /// Registered: confirmed, or on the waiting list (the registration's state says which).
    Registered,
    /// The address already had an active registration; nothing changed.
    Already,
    /// A place freed up and is offered until `offer_expires_at`.
    Offer,
    /// What the registration is for changed: a session moved or was cancelled.
    Changed,
    /// It starts soon: a day or an hour before.
    Reminder,
}

/// Builds the mail of a notice, or `None` for none (a signed-in person sees the page).
pub type Mailer<'a> = &'a (dyn Fn(&Registration, Notice) -> Option<Outgoing> + Sync);

/// A new registration.
#[derive(Debug, Clone)]
pub struct NewRegistration<'a> {
    pub place: Place,
    pub user_id: Option<i64>,
    pub name: &'a str,
    /// Normalised (`domain::accounts::normalise_email`).
    pub email: &'a str,
    /// The address is known to be the person's (a signed-in account's confirmed address): the
    /// registration counts at once, without a confirmation link.
    pub address_confirmed: bool,
    /// The language of the pages the person registered on (`de`, `en`).
    pub lang: &'a str,
    pub limits: &'a [Limit],
}

/// What became of a registration attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// A new registration: unconfirmed, confirmed or waiting.
    New(Registration),
    /// The address already has an active registration here, which is unchanged.
    Already(Registration),
}

/// Why nothing was registered (or confirmed, or accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such public event or session, or no registration of its own.
    NotFound,
    /// Registration is not open (not yet, no longer, cancelled).
    Closed,
    /// A limit is reached until then.
    RateLimited(OffsetDateTime),
    /// The offer ran out (it has passed on).
    Expired,
    /// The registration is not in a state this applies to.
    Unchanged,
}

pub(crate) const COLUMNS: &str = "r.id, r.event_id, r.session_id, r.user_id, r.name, r.email, r.lang, r.state, r.offer_expires_at, r.checked_in_at, r.created_at, \
     CASE WHEN r.state = 'waiting' THEN (SELECT COUNT(*) FROM programme_registrations w \
       WHERE w.event_id = r.event_id AND w.scope = r.scope AND w.state = 'waiting' AND w.id <= r.id) END AS position, \
     e.slug AS event_slug, e.title AS event_title, s.slug AS session_slug, s.title AS session_title, \
     COALESCE(s.starts_at, e.starts_at) AS starts_at, COALESCE(s.ends_at, e.ends_at) AS ends_at \
     FROM programme_registrations r JOIN programme_events e ON e.id = r.event_id \
     LEFT JOIN programme_sessions s ON s.id = r.session_id";

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    event_id: i64,
    session_id: Option<i64>,
    user_id: Option<i64>,
    name: String,
    email: String,
    lang: String,
    state: String,
    offer_expires_at: Option<OffsetDateTime>,
    checked_in_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    position: Option<i64>,
    event_slug: String,
    event_title: String,
    session_slug: Option<String>,
    session_title: Option<String>,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
}

pub(crate) fn registration_of(r: Row) -> Result<Registration> {
    Ok(Registration {
        id: r.id,
        place: Place {
            event_id: r.event_id,
            session_id: r.session_id,
        },
        user_id: r.user_id,
        name: r.name,
        email: r.email,
        lang: r.lang,
        state: RegState::parse(&r.state).ok_or_else(|| {
            StoreError::Invalid(format!("registration {}: state {:?}", r.id, r.state))
        })?,
        offer_expires_at: r.offer_expires_at,
        checked_in_at: r.checked_in_at,
        created_at: r.created_at,
        position: r.position,
        event_slug: r.event_slug,
        event_title: r.event_title,
        session: r.session_slug.zip(r.session_title),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
    })
}

/// Whether a place can be registered for at `now`, and until when: read in the transaction.
#[derive(sqlx::FromRow)]
struct Window {
    state: String,
    registration_opens_at: Option<OffsetDateTime>,
    registration_closes_at: Option<OffsetDateTime>,
    ends_at: OffsetDateTime,
    session_state: Option<String>,
    session_ends: Option<OffsetDateTime>,
    session_capacity: Option<i64>,
}

const WINDOW: &str = "SELECT e.state, e.registration_opens_at, e.registration_closes_at, e.ends_at, \
     s.state AS session_state, s.ends_at AS session_ends, s.capacity AS session_capacity \
     FROM programme_events e LEFT JOIN programme_sessions s ON s.id = $2 AND s.event_id = e.id WHERE e.id = $1";

impl Window {
    /// `Err(NotFound)` for no public place with registration, else whether it is open at `now`
    /// and when it closes.
    fn check(
        &self,
        place: Place,
        now: OffsetDateTime,
    ) -> std::result::Result<(bool, OffsetDateTime), Refusal> {
        if place.session_id.is_some()
            && (self.session_state.is_none() || self.session_capacity.is_none())
        {
            return Err(Refusal::NotFound);
        }
        match self.state.as_str() {
            "published" => {}
            "cancelled" => return Ok((false, now)),
            _ => return Err(Refusal::NotFound),
        }
        let closes = rules::closes_at(self.registration_closes_at, self.ends_at, self.session_ends);
        let open = self
            .session_state
            .as_deref()
            .is_none_or(|s| s != "cancelled")
            && rules::is_open(now, self.registration_opens_at, closes);
        Ok((open, closes))
    }
}

/// Reads the window of `$place` in transaction `$tx`.
macro_rules! window_in {
    ($tx:ident, $place:expr) => {{
        let place: Place = $place;
        let w: Option<Window> = sqlx::query_as(WINDOW)
            .bind(place.event_id)
            .bind(place.session_id)
            .fetch_optional(&mut *$tx)
            .await?;
        w
    }};
}

/// When registration for `$place` closes, while it is open at `$now` (`None`: not open, or no
/// such place), read in transaction `$tx`.
macro_rules! open_until {
    ($tx:ident, $place:expr, $now:expr) => {{
        let place: Place = $place;
        match window_in!($tx, place).map(|w| w.check(place, $now)) {
            Some(Ok((true, closes))) => Some(closes),
            _ => None,
        }
    }};
}

/// Locks the counter row of `$place` (on PostgreSQL; SQLite's writer holds the database), so
/// that changes of its places take turns.
macro_rules! lock_places {
    ($tx:ident, $place:expr) => {{
        let place: Place = $place;
        match place.session_id {
            Some(s) => {
                sqlx::query("UPDATE programme_sessions SET held = held WHERE id = $1").bind(s)
            }
            None => sqlx::query("UPDATE programme_events SET held = held WHERE id = $1")
                .bind(place.event_id),
        }
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Takes a place of `$place` if one is free: whether it did.
macro_rules! take_place {
    ($tx:ident, $place:expr) => {{
        let place: Place = $place;
        let held: Option<i64> = match place.session_id {
            Some(s) => sqlx::query_scalar(
                "UPDATE programme_sessions SET held = held + 1 WHERE id = $1 AND capacity IS NOT NULL AND held < capacity RETURNING held",
            )
            .bind(s),
            None => sqlx::query_scalar(
                "UPDATE programme_events SET held = held + 1 WHERE id = $1 AND (capacity IS NULL OR held < capacity) RETURNING held",
            )
            .bind(place.event_id),
        }
        .fetch_optional(&mut *$tx)
        .await?;
        held.is_some()
    }};
}

/// Gives back a place of `$place`.
macro_rules! give_back {
    ($tx:ident, $place:expr) => {{
        let place: Place = $place;
        match place.session_id {
            Some(s) => sqlx::query(
                "UPDATE programme_sessions SET held = held - 1 WHERE id = $1 AND held > 0",
            )
            .bind(s),
            None => sqlx::query(
                "UPDATE programme_events SET held = held - 1 WHERE id = $1 AND held > 0",
            )
            .bind(place.event_id),
        }
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Reads registration `$id` in transaction `$tx`.
macro_rules! read_in {
    ($tx:ident, $id:expr) => {{
        let row: Option<$crate::programme::registrations::Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {} WHERE r.id = $1",
                $crate::programme::registrations::COLUMNS
            )))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        row.map($crate::programme::registrations::registration_of)
            .transpose()?
    }};
}
pub(crate) use read_in;

/// A place of `$place` was freed (its counter row locked before): it is offered to the first
/// person waiting, with the offer's mail, or given back when nobody waits or registration has
/// closed. Evaluates to the registration offered the place, if any.
macro_rules! pass_on {
    ($tx:ident, $place:expr, $closes:expr, $now:expr, $mail:expr) => {{
        let place: Place = $place;
        let now: OffsetDateTime = $now;
        let next: Option<i64> = match rules::offer_until(now, $closes) {
            None => None,
            Some(until) => sqlx::query_scalar(
                "UPDATE programme_registrations SET state = 'offered', offer_expires_at = $3, updated_at = $4 WHERE id = \
                 (SELECT id FROM programme_registrations WHERE event_id = $1 AND scope = $2 AND state = 'waiting' ORDER BY id LIMIT 1) \
                 RETURNING id",
            )
            .bind(place.event_id)
            .bind(place.scope())
            .bind(until)
            .bind(now)
            .fetch_optional(&mut *$tx)
            .await?,
        };
        match next {
            Some(id) => {
                let offered: Option<Registration> = read_in!($tx, id);
                if let Some(r) = &offered
                    && let Some(m) = ($mail)(r, Notice::Offer)
                {
                    enqueue_in!($tx, m, now);
                }
                offered
            }
            None => {
                give_back!($tx, place);
                None
            }
        }
    }};
}

/// Every registration holding a place (confirmed or offered) of event `$1` for the whole event
/// or for session `$2`: whom a change of that session concerns.
pub(crate) const CONCERNED: &str = "SELECT r.id FROM programme_registrations r WHERE r.event_id = $1 \
     AND r.scope IN (0, $2) AND r.state IN ('confirmed', 'offered') ORDER BY r.id";

fn places_event(place: Place) -> crate::events::NewEvent {
    crate::events::cache_event([places(place.event_id)])
}

impl Db {
    /// Registers a person for an event or a session: confirmed while places are free, else on
    /// the waiting list; with an address still to be confirmed, unconfirmed (no place is held
    /// until the link is used). One active registration per address and place. The mail
    /// `mail` builds for the outcome goes into the same transaction.
    pub async fn register(
        &self,
        r: &NewRegistration<'_>,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Registered, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let place = r.place;
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let Some(w) = window_in!(tx, place) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            match w.check(place, now) {
                Err(refusal) => {
                    tx.rollback().await?;
                    return Ok(Err(refusal));
                }
                Ok((false, _)) => {
                    tx.rollback().await?;
                    return Ok(Err(Refusal::Closed));
                }
                Ok((true, _)) => {}
            }
            if let Some(until) = count_hits!(tx, r.limits, now) {
                tx.rollback().await?;
                return Ok(Err(Refusal::RateLimited(until)));
            }
            let existing: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM programme_registrations WHERE event_id = $1 AND scope = $2 AND email = $3 \
                 AND state IN ('unconfirmed', 'confirmed', 'waiting', 'offered')",
            )
            .bind(place.event_id).bind(place.scope()).bind(r.email)
            .fetch_optional(&mut *tx).await?;
            let outcome = match existing {
                Some(id) => Some(Err(id)),
                None => {
                    let took = r.address_confirmed && take_place!(tx, place);
                    let state = match (r.address_confirmed, took) {
                        (false, _) => RegState::Unconfirmed,
                        (true, true) => RegState::Confirmed,
                        (true, false) => RegState::Waiting,
                    };
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO programme_registrations (event_id, session_id, scope, user_id, name, email, state, created_at, updated_at, lang) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(place.event_id).bind(place.session_id).bind(place.scope()).bind(r.user_id)
                    .bind(r.name.trim()).bind(r.email).bind(state.as_str()).bind(now)
                    .bind(if r.lang == "en" { "en" } else { "de" })
                    .fetch_optional(&mut *tx).await?;
                    match id {
                        Some(id) => Some(Ok(id)),
                        // A registration of the same address committed meanwhile (PostgreSQL).
                        None => {
                            if took {
                                give_back!(tx, place);
                            }
                            let id: Option<i64> = sqlx::query_scalar(
                                "SELECT id FROM programme_registrations WHERE event_id = $1 AND scope = $2 AND email = $3 \
                                 AND state IN ('unconfirmed', 'confirmed', 'waiting', 'offered')",
                            )
                            .bind(place.event_id).bind(place.scope()).bind(r.email)
                            .fetch_optional(&mut *tx).await?;
                            id.map(Err)
                        }
                    }
                }
            };
            let Some(outcome) = outcome else {
                // Conflicted with a registration that is gone again: ask to try again.
                tx.rollback().await?;
                return Err(StoreError::Conflict("a registration of the same address"));
            };
            let (id, notice) = match outcome {
                Ok(id) => (id, if r.address_confirmed { Notice::Registered } else { Notice::ConfirmAddress }),
                Err(id) => (id, Notice::Already),
            };
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the registration vanished"));
            };
            if let Some(m) = mail(&reg, notice) {
                enqueue_in!(tx, m, now);
            }
            if notice == Notice::Already {
                tx.commit().await?;
                return Ok(Ok(Registered::Already(reg)));
            }
            crate::commit_with_events!(self, p, tx, [places_event(place)]);
            Ok::<_, StoreError>(Ok(Registered::New(reg)))
        })
    }

    /// A registration by its number.
    pub async fn registration(&self, id: i64) -> Result<Option<Registration>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(registration_of).transpose()
    }

    /// Confirms the address of an unconfirmed registration: it takes a place if one is free,
    /// else joins the waiting list (behind everyone already waiting). `Closed` once registration
    /// has closed; `Unchanged` for a registration that is not unconfirmed.
    pub async fn confirm_registration(
        &self,
        id: i64,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Registration, Refusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            if reg.state != RegState::Unconfirmed {
                tx.rollback().await?;
                return Ok(Err(Refusal::Unchanged));
            }
            let open = window_in!(tx, reg.place).map(|w| w.check(reg.place, now));
            if !matches!(open, Some(Ok((true, _)))) {
                tx.rollback().await?;
                return Ok(Err(Refusal::Closed));
            }
            let state = if take_place!(tx, reg.place) { RegState::Confirmed } else { RegState::Waiting };
            // The new id puts a waiting person behind everyone who confirmed earlier.
            let changed = sqlx::query(
                "UPDATE programme_registrations SET state = $2, updated_at = $3 WHERE id = $1 AND state = 'unconfirmed'",
            )
            .bind(id).bind(state.as_str()).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(Err(Refusal::Unchanged));
            }
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the registration vanished"));
            };
            if let Some(m) = mail(&reg, Notice::Registered) {
                enqueue_in!(tx, m, now);
            }
            crate::commit_with_events!(self, p, tx, [places_event(reg.place)]);
            Ok::<_, StoreError>(Ok(reg))
        })
    }

    /// Cancels an active registration. A place it held passes to the first person waiting (an
    /// offer with its mail), or is given back. `Unchanged` for one already cancelled or expired.
    pub async fn cancel_registration(
        &self,
        id: i64,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Registration, Refusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            lock_places!(tx, reg.place);
            let before: Option<String> = sqlx::query_scalar(
                "UPDATE programme_registrations SET updated_at = $2 WHERE id = $1 \
                 AND state IN ('unconfirmed', 'confirmed', 'waiting', 'offered') RETURNING state",
            )
            .bind(id).bind(now).fetch_optional(&mut *tx).await?;
            let Some(before) = before.as_deref().and_then(RegState::parse) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::Unchanged));
            };
            sqlx::query("UPDATE programme_registrations SET state = 'cancelled', offer_expires_at = NULL WHERE id = $1")
                .bind(id).execute(&mut *tx).await?;
            if before.holds_place() {
                let closes = open_until!(tx, reg.place, now).unwrap_or(now);
                pass_on!(tx, reg.place, closes, now, mail);
            }
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the registration vanished"));
            };
            crate::commit_with_events!(self, p, tx, [places_event(reg.place)]);
            Ok::<_, StoreError>(Ok(reg))
        })
    }

    /// Accepts the offer of a place: the registration is confirmed. `Expired` when the offer
    /// ran out (the place has passed on, or does now); `Unchanged` when nothing was offered.
    pub async fn accept_offer(
        &self,
        id: i64,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Registration, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let accepted = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = sqlx::query(
                "UPDATE programme_registrations SET state = 'confirmed', offer_expires_at = NULL, updated_at = $2 \
                 WHERE id = $1 AND state = 'offered' AND offer_expires_at > $2",
            )
            .bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
            let Some(reg): Option<Registration> = read_in!(tx, id) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            if changed == 0 {
                tx.rollback().await?;
                Ok::<_, StoreError>(Err(reg))
            } else {
                if let Some(m) = mail(&reg, Notice::Registered) {
                    enqueue_in!(tx, m, now);
                }
                crate::commit_with_events!(self, p, tx, [places_event(reg.place)]);
                Ok(Ok(reg))
            }
        })?;
        match accepted {
            Ok(reg) => Ok(Ok(reg)),
            Err(reg) if reg.state == RegState::Offered => {
                // Run out: pass it on now rather than at the next minute.
                self.expire_offers(now, mail).await?;
                Ok(Err(Refusal::Expired))
            }
            Err(reg) if reg.state == RegState::Expired && reg.offer_expires_at.is_some() => {
                Ok(Err(Refusal::Expired))
            }
            Err(_) => Ok(Err(Refusal::Unchanged)),
        }
    }

    /// Lets offers that ran out by `now` expire, each passing its place on (the minute task of
    /// every instance; a second instance finds them expired and does nothing). The number expired.
    pub async fn expire_offers(&self, now: OffsetDateTime, mail: Mailer<'_>) -> Result<usize> {
        let due: Vec<(i64, i64, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, event_id, scope FROM programme_registrations WHERE state = 'offered' AND offer_expires_at <= $1 ORDER BY id LIMIT 500"
        ).bind(now).fetch_all(p).await?);
        let mut expired = 0;
        for (id, event_id, scope) in due {
            let place = Place {
                event_id,
                session_id: (scope != 0).then_some(scope),
            };
            let done = on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                lock_places!(tx, place);
                // The offer's time stays in the row: it tells an expired offer from an address
                // never confirmed.
                let changed = sqlx::query(
                    "UPDATE programme_registrations SET state = 'expired', updated_at = $2 \
                     WHERE id = $1 AND state = 'offered' AND offer_expires_at <= $2",
                )
                .bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
                if changed == 0 {
                    tx.rollback().await?;
                    false
                } else {
                    let closes = open_until!(tx, place, now).unwrap_or(now);
                    pass_on!(tx, place, closes, now, mail);
                    crate::commit_with_events!(self, p, tx, [places_event(place)]);
                    true
                }
            });
            expired += usize::from(done);
        }
        Ok(expired)
    }

    /// Offers places that are free while people wait (after the capacity went up) to the first
    /// people waiting, each with its mail, until the places or the waiting list run out. The
    /// number of offers.
    pub async fn offer_free_places(&self, place: Place, mail: Mailer<'_>) -> Result<usize> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            lock_places!(tx, place);
            let Some(closes) = open_until!(tx, place, now) else {
                tx.rollback().await?;
                return Ok(0);
            };
            let mut offered = 0;
            loop {
                let waiting: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM programme_registrations WHERE event_id = $1 AND scope = $2 AND state = 'waiting' LIMIT 1",
                )
                .bind(place.event_id).bind(place.scope()).fetch_optional(&mut *tx).await?;
                if waiting.is_none() || !take_place!(tx, place) {
                    break;
                }
                if pass_on!(tx, place, closes, now, mail).is_none() {
                    break;
                }
                offered += 1;
            }
            crate::commit_with_events!(self, p, tx, [places_event(place)]);
            Ok::<_, StoreError>(offered)
        })
    }

    /// Registrations whose address was not confirmed within `domain`'s time expire (they hold
    /// no place). The number expired.
    pub async fn expire_unconfirmed_registrations(&self, now: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query(
                "UPDATE programme_registrations SET state = 'expired', updated_at = $1 \
                 WHERE state = 'unconfirmed' AND created_at <= $2",
            )
            .bind(now).bind(now - rules::CONFIRM_VALID).execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// How many places of `place` are held, and its capacity (`None`: unlimited), and how many
    /// wait.
    pub async fn places(&self, place: Place) -> Result<Option<(i64, Option<i64>, i64)>> {
        let held: Option<(i64, Option<i64>)> = on_db!(self, p => match place.session_id {
            Some(s) => sqlx::query_as("SELECT held, capacity FROM programme_sessions WHERE id = $1 AND event_id = $2")
                .bind(s).bind(place.event_id).fetch_optional(p).await?,
            None => sqlx::query_as("SELECT held, capacity FROM programme_events WHERE id = $1")
                .bind(place.event_id).fetch_optional(p).await?,
        });
        let Some((held, capacity)) = held else {
            return Ok(None);
        };
        let waiting: i64 = on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM programme_registrations WHERE event_id = $1 AND scope = $2 AND state = 'waiting'"
        ).bind(place.event_id).bind(place.scope()).fetch_one(p).await?);
        Ok(Some((held, capacity, waiting)))
    }

    /// The registrations of a place in a state, oldest first, a page of `limit` after id `after`.
    pub async fn registrations_of(
        &self,
        place: Place,
        state: RegState,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Registration>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.event_id = $1 AND r.scope = $2 AND r.state = $3 AND r.id > $4 ORDER BY r.id LIMIT $5"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(place.event_id).bind(place.scope()).bind(state.as_str()).bind(after).bind(limit)
            .fetch_all(p).await?);
        rows.into_iter().map(registration_of).collect()
    }
}

impl Db {
    /// Removes the names and addresses of the registrations of events that ended
    /// `KEEP_PERSONAL_DATA` before `now`; states and check-ins stay for the figures. The number
    /// of events pruned.
    pub async fn prune_registrations(&self, now: OffsetDateTime) -> Result<u64> {
        let before = now - rules::KEEP_PERSONAL_DATA;
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let events: Vec<i64> = sqlx::query_scalar(
                "UPDATE programme_events SET registrations_pruned_at = $1 \
                 WHERE ends_at < $2 AND registrations_pruned_at IS NULL RETURNING id",
            )
            .bind(now).bind(before).fetch_all(&mut *tx).await?;
            for id in &events {
                sqlx::query(
                    "UPDATE programme_registrations SET name = '', email = 'removed-' || CAST(id AS TEXT) || '@invalid', \
                     user_id = NULL, updated_at = $2 WHERE event_id = $1",
                )
                .bind(id).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            events.len() as u64
        });
        Ok(n)
    }
}

/// The registrations of one place in one state (and how many of them checked in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub place: Place,
    pub state: RegState,
    pub count: i64,
    pub checked_in: i64,
}

impl Db {
    /// The registrations of an event by place and state: one query, grouped.
    pub async fn registration_figures(&self, event_id: i64) -> Result<Vec<Figure>> {
        let rows: Vec<(i64, String, i64, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT scope, state, COUNT(*), COUNT(checked_in_at) FROM programme_registrations \
             WHERE event_id = $1 GROUP BY scope, state ORDER BY scope, state"
        ).bind(event_id).fetch_all(p).await?);
        rows.into_iter()
            .map(|(scope, state, count, checked_in)| {
                Ok(Figure {
                    place: Place {
                        event_id,
                        session_id: (scope != 0).then_some(scope),
                    },
                    state: RegState::parse(&state).ok_or_else(|| {
                        StoreError::Invalid(format!("registration state {state:?}"))
                    })?,
                    count,
                    checked_in,
                })
            })
            .collect()
    }

    /// Every registration of an event (all places and states), by number, a page of `limit`
    /// after `after`: the participants' export.
    pub async fn registrations_of_event(
        &self,
        event_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Registration>> {
        let sql =
            format!("SELECT {COLUMNS} WHERE r.event_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(event_id).bind(after).bind(limit).fetch_all(p).await?);
        rows.into_iter().map(registration_of).collect()
    }

    /// The registrations of an event in `state` (all places), by number, a page of `limit`
    /// after `after` (index `programme_registrations_by_state`).
    pub async fn registrations_of_event_in(
        &self,
        event_id: i64,
        state: RegState,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Registration>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.event_id = $1 AND r.state = $2 AND r.id > $3 ORDER BY r.id LIMIT $4"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(event_id).bind(state.as_str()).bind(after).bind(limit).fetch_all(p).await?);
        rows.into_iter().map(registration_of).collect()
    }

    /// Checks a confirmed registration of event `event_id` in (or takes the check-in back);
    /// audited as `registration.check_in` / `registration.check_out`. Whether it changed.
    pub async fn set_checked_in(
        &self,
        actor: i64,
        event_id: i64,
        id: i64,
        on: bool,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = sqlx::query(
                "UPDATE programme_registrations SET checked_in_at = CASE WHEN $3 THEN $4 ELSE NULL END, updated_at = $4 \
                 WHERE id = $1 AND event_id = $2 AND state = 'confirmed' AND (checked_in_at IS NULL) = $3",
            )
            .bind(id).bind(event_id).bind(on).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            let action = if on { "registration.check_in" } else { "registration.check_out" };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind(action).bind("registration").bind(id)
                .bind(None::<String>).bind(None::<String>).execute(&mut *tx).await?;
            // The event's pages say afterwards how many came.
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([places(event_id)])]);
            Ok::<_, StoreError>(true)
        })
    }
}

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// A day before the start.
    Day,
    /// An hour before the start.
    Hour,
}

impl Db {
    /// Queues the reminders due at `now`: for every confirmed registration of a published event
    /// that asks for them, whose event (or session) starts within a day (an hour), made well
    /// before that (not a day ahead for someone who registered this morning). Each is claimed
    /// by its column in the transaction that queues its mail, so every instance's minute task
    /// may run this and each reminder goes once. The number queued.
    pub async fn send_reminders(
        &self,
        now: OffsetDateTime,
        which: Reminder,
        mail: Mailer<'_>,
    ) -> Result<usize> {
        let (column, flag, ahead, before) = match which {
            Reminder::Day => (
                "reminded_day_at",
                "remind_day",
                time::Duration::days(1),
                time::Duration::hours(20),
            ),
            Reminder::Hour => (
                "reminded_hour_at",
                "remind_hour",
                time::Duration::hours(1),
                time::Duration::hours(2),
            ),
        };
        let sql = format!(
            "UPDATE programme_registrations SET {column} = $1 WHERE id IN ( \
             SELECT r.id FROM programme_registrations r JOIN programme_events e ON e.id = r.event_id \
             LEFT JOIN programme_sessions s ON s.id = r.session_id \
             WHERE r.state = 'confirmed' AND r.{column} IS NULL AND e.{flag} AND e.state = 'published' \
             AND COALESCE(s.starts_at, e.starts_at) > $1 AND COALESCE(s.starts_at, e.starts_at) <= $2 \
             ORDER BY r.id LIMIT 500) AND {column} IS NULL RETURNING id"
        );
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(now).bind(now + ahead)
                .fetch_all(&mut *tx).await?;
            let mut sent = 0;
            for id in ids {
                let r: Option<Registration> = read_in!(tx, id);
                // Claimed either way: someone who registered shortly before gets no reminder.
                if let Some(r) = r
                    && r.created_at <= r.starts_at - before
                    && let Some(m) = mail(&r, Notice::Reminder)
                {
                    enqueue_in!(tx, m, now);
                    sent += 1;
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(sent)
        })
    }
}
