//! What happens to a request after it is filed: the guest confirms the address, the provider
//! decides, the person answers a proposal or withdraws, and the clock expires what is left.

use super::{Mailer, Notice, Refusal, Request, give_back, request_in, take_places};
use crate::mail::enqueue_in;
use crate::{Db, Result, StoreError, on_db};
use domain::offers::requests::RequestState;
use time::{Date, OffsetDateTime};

/// The provider's answer to an open request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    /// Declined, with the reason the person is told.
    Decline(String),
    /// Another day proposed (its places are held), with words for the person.
    Propose(Date, String),
}

/// The person's answer to a proposal, or their withdrawal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The proposed day suits them.
    AcceptProposal,
    /// They withdraw the request (in any active state).
    Withdraw,
}

/// Runs `$body` with the request `$id` read in a write transaction `$tx`, refusing
/// `Refusal::NotFound` when there is none; `$body` evaluates to `Ok((request, notice))` to
/// commit with the notice's mails, or to `Err(refusal)` to roll back.
macro_rules! change {
    ($self:ident, $id:expr, $mail:expr, |$tx:ident, $req:ident, $now:ident| $body:block) => {{
        let $now = OffsetDateTime::now_utc();
        on_db!($self, p => {
            let _write = $self.write_gate().await;
            let mut $tx = p.begin_with(crate::begin_sql(p)).await?;
            let Some($req): Option<Request> = request_in!($tx, $id) else {
                $tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            let outcome: std::result::Result<Notice, Refusal> = $body;
            let notice = match outcome {
                Ok(n) => n,
                Err(refusal) => {
                    $tx.rollback().await?;
                    return Ok(Err(refusal));
                }
            };
            let Some(now_req): Option<Request> = request_in!($tx, $id) else {
                $tx.rollback().await?;
                return Err(StoreError::Conflict("the request vanished"));
            };
            for m in ($mail)(&now_req, notice) {
                enqueue_in!($tx, m, $now);
            }
            $tx.commit().await?;
            Ok::<_, StoreError>(Ok(now_req))
        })
    }};
}

/// Sets the state (and optionally day, start and note) of request `$id` if it is still in
/// `$from`: whether it was.
macro_rules! set_state {
    ($tx:ident, $id:expr, $from:expr, $to:expr, $now:expr) => {{
        let done = sqlx::query(
            "UPDATE offer_requests SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2",
        )
        .bind($id)
        .bind(RequestState::as_str($from))
        .bind(RequestState::as_str($to))
        .bind($now)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        done == 1
    }};
}

impl Db {
    /// Confirms a guest's address: the request takes its places and waits for the provider.
    /// `Full` when too few places are left, `Past` when the day has passed; the request stays
    /// unconfirmed then (the person may ask for another day).
    pub async fn confirm_request(
        &self,
        id: i64,
        today: Date,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Request, Refusal>> {
        change!(self, id, mail, |tx, req, now| {
            if req.state != RequestState::Unconfirmed {
                Err(Refusal::Unchanged)
            } else if req.day < today {
                Err(Refusal::Past)
            } else {
                match take_places!(tx, req.offer_id, req.day, req.group_size) {
                    Err(free) => Err(Refusal::Full { free }),
                    Ok(()) => {
                        if set_state!(tx, id, RequestState::Unconfirmed, RequestState::Open, now) {
                            Ok(Notice::Sent)
                        } else {
                            Err(Refusal::Unchanged)
                        }
                    }
                }
            }
        })
    }

    /// The provider decides on an open request. Declining gives its places back; proposing
    /// another day takes the places there (`Full` when too few are free) and gives back the
    /// old day's. Only open requests are decided (`Unchanged` otherwise); the caller checks
    /// that the person deciding manages the offer's provider.
    pub async fn decide_request(
        &self,
        id: i64,
        decision: &Decision,
        today: Date,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Request, Refusal>> {
        change!(self, id, mail, |tx, req, now| {
            if !req.state.open_to_provider() {
                Err(Refusal::Unchanged)
            } else {
                match decision {
                    Decision::Accept => {
                        if set_state!(tx, id, RequestState::Open, RequestState::Accepted, now) {
                            Ok(Notice::Accepted)
                        } else {
                            Err(Refusal::Unchanged)
                        }
                    }
                    Decision::Decline(reason) => {
                        give_back!(tx, req.offer_id, req.day, req.group_size);
                        sqlx::query("UPDATE offer_requests SET state = 'declined', note = $2, updated_at = $3 WHERE id = $1")
                            .bind(id).bind(reason.trim()).bind(now)
                            .execute(&mut *tx).await?;
                        Ok(Notice::Declined)
                    }
                    Decision::Propose(day, words) => {
                        if domain::offers::requests::day_ok(*day, today).is_err() {
                            Err(Refusal::Past)
                        } else if *day == req.day {
                            Err(Refusal::Unchanged)
                        } else {
                            match take_places!(tx, req.offer_id, *day, req.group_size) {
                                Err(free) => Err(Refusal::Full { free }),
                                Ok(()) => {
                                    give_back!(tx, req.offer_id, req.day, req.group_size);
                                    sqlx::query(
                                        "UPDATE offer_requests SET state = 'proposed', day = $2, starts = NULL, note = $3, updated_at = $4 WHERE id = $1",
                                    )
                                    .bind(id).bind(*day).bind(words.trim()).bind(now)
                                    .execute(&mut *tx).await?;
                                    Ok(Notice::Proposed)
                                }
                            }
                        }
                    }
                }
            }
        })
    }

    /// The person accepts the proposed day, or withdraws the request (giving its places back).
    /// The caller checks that they are the request's person.
    pub async fn answer_request(
        &self,
        id: i64,
        answer: Answer,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Request, Refusal>> {
        change!(self, id, mail, |tx, req, now| {
            match answer {
                Answer::AcceptProposal => {
                    if req.state == RequestState::Proposed
                        && set_state!(tx, id, RequestState::Proposed, RequestState::Accepted, now)
                    {
                        Ok(Notice::ProposalAccepted)
                    } else {
                        Err(Refusal::Unchanged)
                    }
                }
                Answer::Withdraw => {
                    if !req.state.can_withdraw() {
                        Err(Refusal::Unchanged)
                    } else {
                        if req.state.holds_places() {
                            give_back!(tx, req.offer_id, req.day, req.group_size);
                        }
                        if set_state!(tx, id, req.state, RequestState::Withdrawn, now) {
                            Ok(Notice::Withdrawn)
                        } else {
                            Err(Refusal::Unchanged)
                        }
                    }
                }
            }
        })
    }

    /// Expires guests' requests whose address was not confirmed within
    /// `requests::CONFIRM_VALID`, and undecided requests (open or proposed) whose day has
    /// passed, giving their places back. How many expired.
    pub async fn expire_requests(&self, now: OffsetDateTime, today: Date) -> Result<u64> {
        let before = now - domain::offers::requests::CONFIRM_VALID;
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let unconfirmed = sqlx::query(
                "UPDATE offer_requests SET state = 'expired', updated_at = $2 WHERE state = 'unconfirmed' AND created_at < $1",
            )
            .bind(before).bind(now).execute(&mut *tx).await?.rows_affected();
            let passed: Vec<(i64, i64, Date, i64)> = sqlx::query_as(
                "UPDATE offer_requests SET state = 'expired', updated_at = $2 WHERE state IN ('open', 'proposed') AND day < $1 \
                 RETURNING id, offer_id, day, group_size",
            )
            .bind(today).bind(now).fetch_all(&mut *tx).await?;
            for (_, offer, day, n) in &passed {
                give_back!(tx, *offer, *day, *n);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(unconfirmed + passed.len() as u64)
        })
    }

    /// Removes the name, address, phone, message and note of requests whose day was
    /// [`KEEP_PERSONAL_DATA`] before `today`, or that were declined, withdrawn or expired that long
    /// before `now`, and the same of volunteering applications declined, withdrawn or expired that
    /// long ago; the rows stay (state, group size, institution, day) for the figures, and leave
    /// the person's account. The number of rows cleared.
    ///
    /// [`KEEP_PERSONAL_DATA`]: domain::offers::requests::KEEP_PERSONAL_DATA
    pub async fn prune_request_data(&self, now: OffsetDateTime, today: Date) -> Result<u64> {
        let keep = domain::offers::requests::KEEP_PERSONAL_DATA;
        let (day, closed) = (today - keep, now - keep);
        let cleared = "name = '', email = 'removed-' || CAST(id AS TEXT) || '@invalid', phone = '', message = '', \
                       note = '', user_id = NULL, pruned_at = $1";
        let closed_states = "state IN ('declined', 'withdrawn', 'expired')";
        let requests = format!(
            "UPDATE offer_requests SET {cleared} WHERE id IN (\
             SELECT id FROM offer_requests WHERE pruned_at IS NULL AND day < $2 UNION \
             SELECT id FROM offer_requests WHERE pruned_at IS NULL AND {closed_states} AND updated_at < $3)"
        );
        let applications = format!(
            "UPDATE volunteer_applications SET {cleared} WHERE pruned_at IS NULL AND {closed_states} AND updated_at < $2"
        );
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let r = sqlx::query(sqlx::AssertSqlSafe(requests)).bind(now).bind(day).bind(closed)
                .execute(&mut *tx).await?.rows_affected();
            let a = sqlx::query(sqlx::AssertSqlSafe(applications)).bind(now).bind(closed)
                .execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<_, StoreError>(r + a)
        })
    }
}
