//! Reports and the moderation of ideas, as of comments: anyone reports an idea with a reason
//! (once per account or client address); at the threshold it is hidden until reviewed; the
//! moderators hide it with a public reason or show it again (which also settles its reports),
//! each decision audited.

use super::{IdeaRefusal, idea_event_with};
use crate::comments::{Limit, count_hits};
use crate::{Db, Result, StoreError, on_db};
use domain::comments::{ReportReason, Subject};
use time::OffsetDateTime;

/// A report of an idea.
pub struct NewIdeaReport<'a> {
    pub idea_id: i64,
    /// `user:<id>`, or a keyed hash of a guest's client address: one report each.
    pub reporter: &'a str,
    /// The account reporting, if signed in (one's own idea cannot be reported).
    pub user_id: Option<i64>,
    pub reason: ReportReason,
    pub note: &'a str,
    /// Reports at which the idea is hidden until reviewed.
    pub threshold: i64,
    pub limits: &'a [Limit],
}

/// An idea waiting for the moderation, for the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedIdea {
    pub id: i64,
    pub title: String,
    pub reports: i64,
    pub hidden: bool,
}

/// One report of an idea since its last review, as the moderation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeaReport {
    pub reason: ReportReason,
    pub note: String,
    pub created_at: OffsetDateTime,
}

impl Db {
    /// Reports an idea shown in the lists. A reporter counts once; at `threshold` reports since
    /// the last review the idea is hidden until the moderation reviews it. Whether it is hidden
    /// now.
    pub async fn report_idea(
        &self,
        r: &NewIdeaReport<'_>,
    ) -> Result<std::result::Result<bool, IdeaRefusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(Option<i64>, bool)> =
                sqlx::query_as("SELECT author_id, hidden FROM ideas WHERE id = $1")
                    .bind(r.idea_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let refusal = match row {
                None | Some((_, true)) => Some(IdeaRefusal::NotFound),
                Some((author, _)) if author.is_some() && author == r.user_id => Some(IdeaRefusal::Own),
                _ => None,
            };
            if let Some(refusal) = refusal {
                tx.rollback().await?;
                return Ok(Err(refusal));
            }
            if let Some(until) = count_hits!(tx, r.limits, now) {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::RateLimited(until)));
            }
            let added = sqlx::query(
                "INSERT INTO idea_reports (idea_id, reporter, reason, note, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(r.idea_id)
            .bind(r.reporter)
            .bind(r.reason.as_str())
            .bind(r.note)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                tx.commit().await?;
                return Ok(Ok(false));
            }
            let hidden: bool = sqlx::query_scalar(
                "UPDATE ideas SET reports = reports + 1, needs_review = TRUE, \
                 hidden = CASE WHEN reports + 1 >= $2 THEN TRUE ELSE hidden END \
                 WHERE id = $1 RETURNING hidden",
            )
            .bind(r.idea_id)
            .bind(r.threshold.max(1))
            .fetch_one(&mut *tx)
            .await?;
            if hidden {
                crate::commit_with_events!(self, p, tx, [idea_event_with(r.idea_id, Vec::new())]);
            } else {
                tx.commit().await?;
            }
            hidden
        });
        Ok(Ok(outcome))
    }

    /// The reports `user` made of ideas (their data export): idea, reason, note, time.
    pub async fn idea_reports_of_user(
        &self,
        user: i64,
    ) -> Result<Vec<(i64, String, String, OffsetDateTime)>> {
        Ok(on_db!(self, p => sqlx::query_as(
            "SELECT idea_id, reason, note, created_at FROM idea_reports WHERE reporter = $1 ORDER BY created_at",
        )
        .bind(format!("user:{user}"))
        .fetch_all(p)
        .await?))
    }

    /// Ideas waiting for the moderation (reported since their last review), oldest first, at
    /// most `limit`.
    pub async fn idea_queue(&self, limit: i64) -> Result<Vec<QueuedIdea>> {
        let rows: Vec<(i64, String, i64, bool)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, title, reports, hidden FROM ideas WHERE needs_review ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, title, reports, hidden)| QueuedIdea {
                id,
                title,
                reports,
                hidden,
            })
            .collect())
    }

    /// The reports of idea `id` since its last review, oldest first.
    pub async fn idea_reports(&self, id: i64) -> Result<Vec<IdeaReport>> {
        let rows: Vec<(String, String, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(
            "SELECT r.reason, r.note, r.created_at FROM idea_reports r JOIN ideas i ON i.id = r.idea_id \
             WHERE r.idea_id = $1 AND (i.reviewed_at IS NULL OR r.created_at > i.reviewed_at) ORDER BY r.created_at",
        )
        .bind(id)
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(reason, note, created_at)| {
                Ok(IdeaReport {
                    reason: ReportReason::parse(&reason)
                        .ok_or_else(|| StoreError::Invalid(format!("report reason {reason}")))?,
                    note,
                    created_at,
                })
            })
            .collect()
    }

    /// Hides (with a public `reason`) or shows again idea `id`, by a moderator, audited as
    /// `idea.hide` / `idea.show`. Either settles the reports so far: the same reporters do not
    /// count again, new ones count from nought.
    pub async fn moderate_idea(
        &self,
        id: i64,
        actor: Option<i64>,
        hide: Option<&str>,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(Option<i64>, String, bool)> =
                sqlx::query_as("SELECT author_id, title, hidden FROM ideas WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((author, title, was_hidden)) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            let changed = sqlx::query(
                "UPDATE ideas SET hidden = $2, moderation_reason = $3, needs_review = FALSE, reports = 0, reviewed_at = $4 WHERE id = $1",
            )
                .bind(id)
                .bind(hide.is_some())
                .bind(hide)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind(if hide.is_some() { "idea.hide" } else { "idea.show" })
                .bind("idea")
                .bind(id)
                .bind(Option::<&str>::None)
                .bind(hide)
                .execute(&mut *tx)
                .await?;
            // The author learns of a decision that changed what others see.
            if hide.is_some() != was_hidden || hide.is_some() {
                let notice = crate::notifications::Notice {
                    kind: domain::notifications::Kind::Moderation,
                    subject_kind: "idea",
                    subject_id: id,
                    actor,
                    title: &title,
                    body: hide.unwrap_or(""),
                    detail: if hide.is_some() { "hidden" } else { "shown" },
                    link: &format!("/ideen/{id}"),
                };
                crate::notifications::notify(&mut *tx, &notice, &crate::notifications::Audience { people: [author, None, None], ..Default::default() }, now).await?;
            }
            crate::commit_with_events!(self, p, tx, [idea_event_with(id, vec![domain::tags::comments(Subject::idea(id))])]);
        });
        Ok(true)
    }
}
