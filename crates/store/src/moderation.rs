//! Moderation of comments: reports (one per reporter, counted since the last review; at the
//! threshold a comment is hidden until reviewed), the queue of what waits for a review, and the
//! moderation's decisions (hide with a public reason, show or publish, keep), each in the audit
//! log in the decision's transaction.

use crate::comments::{
    COLUMNS, Comment, FROM, Limit, Refusal, Row, comments_of, count_published, placeholders,
    subject_of,
};
use crate::{Db, Result, on_db};
use domain::comments::{Decision, ReportReason, State, Subject};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A report of a comment.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub comment_id: i64,
    /// `user:<id>`, or a keyed hash of a guest's client address: one report each.
    pub reporter: &'a str,
    /// The account reporting, if signed in (one's own comment cannot be reported).
    pub user_id: Option<i64>,
    pub reason: ReportReason,
    pub note: &'a str,
    /// Reports at which the comment is hidden until reviewed.
    pub threshold: i64,
    pub limits: &'a [Limit],
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    pub subject: Subject,
    /// This reporter had reported the comment already: nothing changed.
    pub again: bool,
    /// The comment is hidden now (by this report or before).
    pub hidden: bool,
}

/// A comment waiting for the moderation, with the reports since its last review.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub comment: Comment,
    /// Held for review before it was shown (pre-moderation).
    pub held: bool,
    /// Reports per reason, most first.
    pub reasons: Vec<(ReportReason, i64)>,
    /// The reporters' notes (not empty ones), oldest first.
    pub notes: Vec<String>,
}

/// Subject kind and id, root, state and why held, of a comment to decide on.
type ModerationRow = (String, i64, Option<i64>, String, Option<String>);

/// The cache tags of every discussion a guest (keyed address hash `$key`) wrote in, read in
/// transaction `$tx`: a block drops exactly those pages.
macro_rules! guest_discussions {
    ($tx:ident, $key:expr) => {{
        let subjects: Vec<(String, i64)> = sqlx::query_as(
            "SELECT DISTINCT subject_kind, subject_id FROM comments WHERE guest_key = $1",
        )
        .bind($key)
        .fetch_all(&mut *$tx)
        .await?;
        let mut tags = Vec::with_capacity(subjects.len());
        for (kind, id) in subjects {
            tags.push(domain::tags::comments(subject_of(&kind, id)?));
        }
        tags
    }};
}

impl Db {
    /// Reports a published comment. A reporter counts once; at `threshold` reports since the
    /// last review the comment is hidden until the moderation reviews it.
    pub async fn report_comment(
        &self,
        r: &NewReport<'_>,
    ) -> Result<std::result::Result<Reported, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(String, i64, Option<i64>, String)> = sqlx::query_as(
                "SELECT subject_kind, subject_id, author_id, state FROM comments WHERE id = $1",
            )
            .bind(r.comment_id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match &row {
                None => Some(Refusal::NotFound),
                Some((_, _, _, state)) if state == State::Pending.as_str() => Some(Refusal::NotFound),
                Some((_, _, _, state)) if state == State::Deleted.as_str() => Some(Refusal::Gone),
                Some((_, _, author, _)) if author.is_some() && *author == r.user_id => Some(Refusal::OwnComment),
                _ => None,
            };
            let (Some((kind, subject_id, _, state)), None) = (row, refusal) else {
                tx.rollback().await?;
                return Ok(Err(refusal.unwrap_or(Refusal::NotFound)));
            };
            let subject = subject_of(&kind, subject_id)?;
            if let Some(until) = crate::comments::count_hits!(tx, r.limits, now) {
                tx.rollback().await?;
                return Ok(Err(Refusal::RateLimited(until)));
            }
            let added = sqlx::query(
                "INSERT INTO comment_reports (comment_id, reporter, reason, note, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(r.comment_id)
            .bind(r.reporter)
            .bind(r.reason.as_str())
            .bind(r.note)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                tx.commit().await?;
                return Ok(Ok(Reported { subject, again: true, hidden: state == State::Hidden.as_str() }));
            }
            let after: String = sqlx::query_scalar(
                "UPDATE comments SET reports = reports + 1, needs_review = TRUE, \
                 state = CASE WHEN state = 'published' AND reports + 1 >= $2 THEN 'hidden' ELSE state END \
                 WHERE id = $1 RETURNING state",
            )
            .bind(r.comment_id)
            .bind(r.threshold.max(1))
            .fetch_one(&mut *tx)
            .await?;
            let hidden = after == State::Hidden.as_str();
            if hidden && state != after {
                crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            } else {
                tx.commit().await?;
            }
            Reported { subject, again: false, hidden }
        });
        Ok(Ok(outcome))
    }

    /// How many comments wait for the moderation.
    pub async fn moderation_queue_len(&self) -> Result<i64> {
        let n: i64 = on_db!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE needs_review")
            .fetch_one(p).await?);
        Ok(n)
    }

    /// Up to `limit` comments waiting for the moderation after the comment `after`, oldest
    /// first, with their reports since the last review (two queries).
    pub async fn moderation_queue(&self, after: i64, limit: i64) -> Result<(Vec<QueueItem>, bool)> {
        let sql = format!(
            "SELECT {COLUMNS}, c.held {FROM} WHERE c.needs_review AND c.id > $1 ORDER BY c.id LIMIT $2"
        );
        #[derive(sqlx::FromRow)]
        struct Queued {
            #[sqlx(flatten)]
            row: Row,
            held: Option<String>,
        }
        let rows: Vec<Queued> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after).bind(limit + 1).fetch_all(p).await?);
        let more = rows.len() as i64 > limit;
        let (rows, held): (Vec<Row>, Vec<bool>) = rows
            .into_iter()
            .take(limit as usize)
            .map(|q| (q.row, q.held.as_deref() == Some("review")))
            .unzip();
        let comments = comments_of(rows)?;
        let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
        let mut reports: HashMap<i64, (HashMap<ReportReason, i64>, Vec<String>)> = HashMap::new();
        if !ids.is_empty() {
            let sql = format!(
                "SELECT r.comment_id, r.reason, r.note FROM comment_reports r JOIN comments c ON c.id = r.comment_id \
                 WHERE r.comment_id IN ({}) AND (c.reviewed_at IS NULL OR r.created_at > c.reviewed_at) ORDER BY r.created_at",
                placeholders(1, ids.len())
            );
            let rows: Vec<(i64, String, String)> = on_db!(self, p => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in &ids {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await?
            });
            for (id, reason, note) in rows {
                let entry = reports.entry(id).or_default();
                if let Some(reason) = ReportReason::parse(&reason) {
                    *entry.0.entry(reason).or_default() += 1;
                }
                if !note.is_empty() {
                    entry.1.push(note);
                }
            }
        }
        let items = comments
            .into_iter()
            .zip(held)
            .map(|(comment, held)| {
                let (counts, notes) = reports.remove(&comment.id).unwrap_or_default();
                let mut reasons: Vec<(ReportReason, i64)> = counts.into_iter().collect();
                reasons.sort_by_key(|(r, n)| (-n, r.as_str()));
                QueueItem {
                    comment,
                    held,
                    reasons,
                    notes,
                }
            })
            .collect();
        Ok((items, more))
    }

    /// The moderation's decision on comment `id` by `actor` (`None`: the command line or the demo
    /// loader), in the audit log with it. Hiding
    /// takes a public reason; showing publishes a comment held for review or shows a hidden one
    /// again; keeping settles the reports of a published comment. Either way the comment leaves
    /// the queue and its reports so far are settled.
    pub async fn moderate_comment(
        &self,
        id: i64,
        actor: Option<i64>,
        decision: &Decision,
    ) -> Result<std::result::Result<Subject, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<ModerationRow> = sqlx::query_as(
                "SELECT subject_kind, subject_id, root_id, state, held FROM comments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match (&row, decision) {
                (None, _) => Some(Refusal::NotFound),
                // A guest's comment before confirmation is not the moderation's yet.
                (Some((.., held)), _) if held.as_deref() == Some("confirm") => Some(Refusal::NotFound),
                (Some((_, _, _, state, _)), _) if state == State::Deleted.as_str() => Some(Refusal::Gone),
                (Some((_, _, _, state, _)), Decision::Keep) if state != State::Published.as_str() => Some(Refusal::Gone),
                _ => None,
            };
            let (Some((kind, subject_id, root_id, before, _)), None) = (row, refusal) else {
                tx.rollback().await?;
                return Ok(Err(refusal.unwrap_or(Refusal::NotFound)));
            };
            let subject = subject_of(&kind, subject_id)?;
            let (after, reason) = match decision {
                Decision::Hide(reason) => (State::Hidden, Some(reason.as_str())),
                Decision::Show => (State::Published, None),
                Decision::Keep => (State::Published, None),
            };
            sqlx::query(
                "UPDATE comments SET state = $2, moderation_reason = $3, held = NULL, needs_review = FALSE, \
                 reports = 0, reviewed_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(after.as_str())
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // A comment held for review becomes part of the discussion now.
            if before == State::Pending.as_str() {
                count_published!(tx, kind.as_str(), subject_id, root_id);
                crate::notifications::comment_published(&mut *tx, id, now).await?;
            }
            // The author hears of a decision that changed what others see of their comment.
            let told = match decision {
                Decision::Hide(_) => Some("hidden"),
                Decision::Show if before == State::Pending.as_str() => Some("approved"),
                Decision::Show if before == State::Hidden.as_str() => Some("shown"),
                Decision::Show | Decision::Keep => None,
            };
            if let Some(detail) = told {
                crate::notifications::comment_moderated(&mut *tx, id, actor, detail, reason.unwrap_or(""), now).await?;
            }
            let logged = match reason {
                Some(r) => format!("{}: {r}", after.as_str()),
                None => after.as_str().to_string(),
            };
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind(decision.audit_action())
                .bind("comment")
                .bind(id)
                .bind(before)
                .bind(logged)
                .execute(&mut *tx)
                .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            subject
        });
        Ok(Ok(outcome))
    }

    /// Blocks (`true`) or unblocks `user_id`: no new comments or upvotes, and their comments show
    /// as hidden while it lasts. Audited (`user.block`, `user.unblock`) by `actor`; drops the
    /// pages that show the person's comments.
    pub async fn set_blocked(&self, actor: i64, user_id: i64, blocked: bool) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let changed = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<Option<OffsetDateTime>> = sqlx::query_scalar(
                "SELECT blocked_at FROM users WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            if before.is_some() == blocked {
                tx.rollback().await?;
                return Ok(true);
            }
            sqlx::query("UPDATE users SET blocked_at = $2 WHERE id = $1")
                .bind(user_id)
                .bind(blocked.then_some(now))
                .execute(&mut *tx)
                .await?;
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind(if blocked { "user.block" } else { "user.unblock" })
                .bind("user")
                .bind(user_id)
                .bind(before.is_some().to_string())
                .bind(blocked.to_string())
                .execute(&mut *tx)
                .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::person(user_id)])]);
            true
        });
        Ok(changed)
    }

    /// Blocks the guest who wrote comment `comment_id` (by the keyed hash of their address, so
    /// every comment of that address reads as hidden and its new ones are refused), audited as
    /// `guest.block`. `false` when the comment is not a guest's.
    pub async fn block_guest_of(&self, actor: i64, comment_id: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let done = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(Option<String>, Option<String>)> =
                sqlx::query_as("SELECT guest_key, guest_name FROM comments WHERE id = $1")
                    .bind(comment_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((Some(key), Some(name))) = row else {
                tx.rollback().await?;
                return Ok(false);
            };
            let added = sqlx::query(
                "INSERT INTO blocked_guests (address_hash, name, blocked_at) VALUES ($1, $2, $3) ON CONFLICT (address_hash) DO NOTHING",
            )
            .bind(&key)
            .bind(&name)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                tx.rollback().await?;
                return Ok(true);
            }
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind("guest.block")
                .bind("comment")
                .bind(comment_id)
                .bind(Option::<&str>::None)
                .bind(&name)
                .execute(&mut *tx)
                .await?;
            let tags = guest_discussions!(tx, &key);
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
            true
        });
        Ok(done)
    }

    /// Lifts the block `id` of a guest, audited as `guest.unblock`; `false` when there is none.
    pub async fn unblock_guest(&self, actor: i64, id: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let done = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(String, String)> =
                sqlx::query_as("DELETE FROM blocked_guests WHERE id = $1 RETURNING address_hash, name")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((key, name)) = row else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind("guest.unblock")
                .bind("guest")
                .bind(id)
                .bind(&name)
                .bind(Option::<&str>::None)
                .execute(&mut *tx)
                .await?;
            let tags = guest_discussions!(tx, &key);
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
            true
        });
        Ok(done)
    }

    /// The blocked guests: id of the block, the name they last used, since when.
    pub async fn blocked_guests(&self) -> Result<Vec<(i64, String, OffsetDateTime)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, blocked_at FROM blocked_guests ORDER BY blocked_at DESC LIMIT 200"
        ).fetch_all(p).await?);
        Ok(rows)
    }

    /// The blocked people: id, display name, since when.
    pub async fn blocked_people(&self) -> Result<Vec<(i64, String, OffsetDateTime)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT id, display_name, blocked_at FROM users WHERE blocked_at IS NOT NULL AND deleted_at IS NULL ORDER BY blocked_at DESC LIMIT 200"
        ).fetch_all(p).await?);
        Ok(rows)
    }

    /// The reports `user_id` made (the data export): comment, reason, note, when.
    pub async fn reports_of_user(
        &self,
        user_id: i64,
    ) -> Result<Vec<(i64, String, String, OffsetDateTime)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT comment_id, reason, note, created_at FROM comment_reports WHERE reporter = $1 ORDER BY created_at"
        ).bind(format!("user:{user_id}")).fetch_all(p).await?);
        Ok(rows)
    }
}
