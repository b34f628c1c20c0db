//! Live Q&A of sessions: questions asked (counted against the limits in their transaction),
//! upvoted once per voter (the question's row touched first, so concurrent votes queue and the
//! count stays exact), moderated and pinned (one per session, held by a partial unique index).
//! Every change publishes `questions:<session>`, which drops the session's Q&A pages and is
//! what the live stream and the projector follow, on every instance.

use crate::comments::{Limit, count_hits};
use crate::{Db, Result, StoreError, on_db};
use domain::programme::questions::{Moderation, QuestionSource, QuestionState, takes_questions};
use domain::tags::questions as tag;
use time::OffsetDateTime;

/// A question as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub session_id: i64,
    pub body: String,
    /// The name the asker gave (empty: anonymous).
    pub asker: String,
    pub source: QuestionSource,
    pub state: QuestionState,
    /// Why it was rejected.
    pub reason: String,
    pub votes: i64,
    pub pinned: bool,
    pub created_at: OffsetDateTime,
}

/// A session's Q&A settings and what decides whether it takes questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QaSettings {
    pub event_id: i64,
    pub open: bool,
    pub moderated: bool,
    pub cancelled: bool,
    pub ends_at: OffsetDateTime,
}

impl QaSettings {
    pub fn takes_questions(&self, now: OffsetDateTime) -> bool {
        takes_questions(self.open, self.cancelled, self.ends_at, now)
    }
}

/// Why a question or a vote was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionRefusal {
    /// No such public session or question.
    NotFound,
    /// The session takes no questions (closed, cancelled, over).
    Closed,
    /// A limit is reached until then.
    RateLimited(OffsetDateTime),
    /// The step is not possible from the question's state.
    NotAllowed,
}

/// The order of a session's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionOrder {
    /// The pinned one, then by upvotes (ties: newest first).
    Votes,
    /// The pinned one, then newest first.
    Newest,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    session_id: i64,
    body: String,
    asker: String,
    source: String,
    state: String,
    reason: String,
    votes: i64,
    pinned: bool,
    created_at: OffsetDateTime,
}

const COLUMNS: &str = "q.id, q.session_id, q.body, q.asker, q.source, q.state, q.reason, q.votes, q.pinned, q.created_at";

fn question_of(r: Row) -> Result<Question> {
    let bad = |what: &str, v: &str| StoreError::Invalid(format!("question {}: {what} {v:?}", r.id));
    Ok(Question {
        id: r.id,
        session_id: r.session_id,
        source: QuestionSource::parse(&r.source).ok_or_else(|| bad("source", &r.source))?,
        state: QuestionState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
        body: r.body,
        asker: r.asker,
        reason: r.reason,
        votes: r.votes,
        pinned: r.pinned,
        created_at: r.created_at,
    })
}

/// The Q&A settings of a public session: `$1` the session.
const SETTINGS: &str = "SELECT s.event_id, s.qa_open, s.qa_moderated, \
     (s.state = 'cancelled' OR e.state = 'cancelled') AS cancelled, s.ends_at \
     FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id \
     WHERE s.id = $1 AND e.state IN ('published', 'cancelled')";

fn publish(session_id: i64) -> crate::events::NewEvent {
    crate::events::cache_event([tag(session_id)])
}

impl Db {
    /// The Q&A settings of public session `session_id`.
    pub async fn qa_settings(&self, session_id: i64) -> Result<Option<QaSettings>> {
        let row: Option<(i64, bool, bool, bool, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(SETTINGS)
            .bind(session_id).fetch_optional(p).await?);
        Ok(row.map(
            |(event_id, open, moderated, cancelled, ends_at)| QaSettings {
                event_id,
                open,
                moderated,
                cancelled,
                ends_at,
            },
        ))
    }

    /// Opens or closes a session's Q&A and sets whether questions wait for the moderation.
    /// Audited as `session.qa`.
    pub async fn set_qa(
        &self,
        actor: Option<i64>,
        session_id: i64,
        open: bool,
        moderated: bool,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = sqlx::query("UPDATE programme_sessions SET qa_open = $2, qa_moderated = $3, updated_at = $4 WHERE id = $1")
                .bind(session_id).bind(open).bind(moderated).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            let after = format!("open={open} moderated={moderated}");
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("session.qa").bind("session").bind(session_id)
                .bind(None::<String>).bind(after).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [publish(session_id)]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Asks a question in session `session_id`: queued where the session is moderated, else
    /// visible at once; a question the moderation adds from a mail (`QuestionSource::Mail`) is
    /// visible at once. Counted against `limits` in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn ask(
        &self,
        session_id: i64,
        body: &str,
        asker: &str,
        user_id: Option<i64>,
        source: QuestionSource,
        limits: &[Limit],
    ) -> Result<std::result::Result<Question, QuestionRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let settings: Option<(i64, bool, bool, bool, OffsetDateTime)> = sqlx::query_as(SETTINGS)
                .bind(session_id).fetch_optional(&mut *tx).await?;
            let Some((_, open, moderated, cancelled, ends_at)) = settings else {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::NotFound));
            };
            // The moderation may add a mailed question while the session runs, even closed.
            let open_for_it = source == QuestionSource::Mail || open;
            if !takes_questions(open_for_it, cancelled, ends_at, now) {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::Closed));
            }
            if let Some(until) = count_hits!(tx, limits, now) {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::RateLimited(until)));
            }
            let state = if moderated && source == QuestionSource::Web {
                QuestionState::Queued
            } else {
                QuestionState::Visible
            };
            let row: Row = sqlx::query_as(
                "INSERT INTO session_questions (session_id, body, asker, user_id, source, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                 RETURNING id, session_id, body, asker, source, state, reason, votes, pinned, created_at",
            )
            .bind(session_id).bind(body.trim()).bind(asker.trim()).bind(user_id).bind(source.as_str()).bind(state.as_str()).bind(now)
            .fetch_one(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [publish(session_id)]);
            Ok::<_, StoreError>(Ok(question_of(row)?))
        })
    }

    /// One upvote of `voter` (`user:<id>` or `client:<hash>`) for a public question of a
    /// session that still takes questions; `Ok(false)` when this voter had voted already.
    pub async fn vote_question(
        &self,
        question_id: i64,
        voter: &str,
    ) -> Result<std::result::Result<bool, QuestionRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            // Touching the row first makes concurrent votes of one question take turns.
            let q: Option<(i64, String)> = sqlx::query_as(
                "UPDATE session_questions SET votes = votes WHERE id = $1 RETURNING session_id, state",
            )
            .bind(question_id).fetch_optional(&mut *tx).await?;
            let Some((session_id, state)) = q else {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::NotFound));
            };
            if QuestionState::parse(&state) != Some(QuestionState::Visible) {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::NotAllowed));
            }
            let settings: Option<(i64, bool, bool, bool, OffsetDateTime)> = sqlx::query_as(SETTINGS)
                .bind(session_id).fetch_optional(&mut *tx).await?;
            match settings {
                Some((_, _, _, cancelled, ends_at)) if !cancelled && now < ends_at => {}
                Some(_) => {
                    tx.rollback().await?;
                    return Ok(Err(QuestionRefusal::Closed));
                }
                None => {
                    tx.rollback().await?;
                    return Ok(Err(QuestionRefusal::NotFound));
                }
            }
            let added = sqlx::query(
                "INSERT INTO question_votes (question_id, voter, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(question_id).bind(voter).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if added == 0 {
                tx.rollback().await?;
                return Ok(Ok(false));
            }
            sqlx::query("UPDATE session_questions SET votes = votes + 1 WHERE id = $1")
                .bind(question_id).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [publish(session_id)]);
            Ok::<_, StoreError>(Ok(true))
        })
    }

    /// A step of the moderation on question `question_id` of session `session_id`: show,
    /// reject with a reason, answer, archive, pin (the one pinned question of the session) or
    /// unpin. Audited as `question.<step>`.
    pub async fn moderate_question(
        &self,
        actor: i64,
        session_id: i64,
        question_id: i64,
        step: &Moderation,
    ) -> Result<std::result::Result<(), QuestionRefusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let state: Option<String> = sqlx::query_scalar(
                "UPDATE session_questions SET updated_at = $3 WHERE id = $1 AND session_id = $2 RETURNING state",
            )
            .bind(question_id).bind(session_id).bind(now).fetch_optional(&mut *tx).await?;
            let Some(from) = state.as_deref().and_then(QuestionState::parse) else {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::NotFound));
            };
            let Some(to) = step.next(from) else {
                tx.rollback().await?;
                return Ok(Err(QuestionRefusal::NotAllowed));
            };
            let action = match step {
                Moderation::Pin => {
                    sqlx::query("UPDATE session_questions SET pinned = FALSE WHERE session_id = $1 AND pinned")
                        .bind(session_id).execute(&mut *tx).await?;
                    sqlx::query("UPDATE session_questions SET pinned = TRUE WHERE id = $1")
                        .bind(question_id).execute(&mut *tx).await?;
                    "question.pin"
                }
                Moderation::Unpin => {
                    sqlx::query("UPDATE session_questions SET pinned = FALSE WHERE id = $1")
                        .bind(question_id).execute(&mut *tx).await?;
                    "question.unpin"
                }
                _ => {
                    let reason = match step {
                        Moderation::Reject(r) => r.trim().to_string(),
                        _ => String::new(),
                    };
                    // Only a public question stays pinned.
                    sqlx::query(
                        "UPDATE session_questions SET state = $2, reason = $3, \
                         pinned = CASE WHEN $2 IN ('visible', 'answered') THEN pinned ELSE FALSE END WHERE id = $1",
                    )
                    .bind(question_id).bind(to.as_str()).bind(&reason).execute(&mut *tx).await?;
                    match to {
                        QuestionState::Visible => "question.show",
                        QuestionState::Rejected => "question.reject",
                        QuestionState::Answered => "question.answer",
                        _ => "question.archive",
                    }
                }
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind(action).bind("question").bind(question_id)
                .bind(Some(from.as_str())).bind(to.as_str()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [publish(session_id)]);
            Ok::<_, StoreError>(Ok(()))
        })
    }

    /// The public questions of a session (visible and answered), the pinned one first, in
    /// `order`; at most `limit`.
    pub async fn public_questions(
        &self,
        session_id: i64,
        order: QuestionOrder,
        limit: i64,
    ) -> Result<Vec<Question>> {
        let by = match order {
            QuestionOrder::Votes => "q.votes DESC, q.id DESC",
            QuestionOrder::Newest => "q.id DESC",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM session_questions q WHERE q.session_id = $1 AND q.state IN ('visible', 'answered') \
             ORDER BY q.pinned DESC, CASE WHEN q.state = 'visible' THEN 0 ELSE 1 END, {by} LIMIT $2"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(session_id).bind(limit).fetch_all(p).await?);
        rows.into_iter().map(question_of).collect()
    }

    /// Every question of a session for the moderation: the queue first, then the rest by
    /// state, newest first; at most `limit`.
    pub async fn all_questions(&self, session_id: i64, limit: i64) -> Result<Vec<Question>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM session_questions q WHERE q.session_id = $1 \
             ORDER BY CASE q.state WHEN 'queued' THEN 0 WHEN 'visible' THEN 1 WHEN 'answered' THEN 2 \
             WHEN 'rejected' THEN 3 ELSE 4 END, q.pinned DESC, q.votes DESC, q.id DESC LIMIT $2"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(session_id).bind(limit).fetch_all(p).await?);
        rows.into_iter().map(question_of).collect()
    }
}

impl Db {
    /// Where question `id` is: its session and the addresses of the session and its event.
    pub async fn question_place(&self, id: i64) -> Result<Option<(i64, String, String)>> {
        let row: Option<(i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT s.id, s.slug, e.slug FROM session_questions q JOIN programme_sessions s ON s.id = q.session_id \
             JOIN programme_events e ON e.id = s.event_id WHERE q.id = $1 AND e.state IN ('published', 'cancelled')"
        ).bind(id).fetch_optional(p).await?);
        Ok(row)
    }
}

impl Db {
    /// The event's and the session's numbers of a public session by their addresses: all a
    /// live stream needs, in one small query (ten thousand streams may open at once).
    pub async fn session_ids(
        &self,
        event_slug: &str,
        session_slug: &str,
    ) -> Result<Option<(i64, i64)>> {
        let row: Option<(i64, i64)> = on_db!(self, p => sqlx::query_as(
            "SELECT e.id, s.id FROM programme_events e JOIN programme_sessions s ON s.event_id = e.id \
             WHERE e.slug = $1 AND s.slug = $2 AND e.state IN ('published', 'cancelled')"
        ).bind(event_slug).bind(session_slug).fetch_optional(p).await?);
        Ok(row)
    }
}
