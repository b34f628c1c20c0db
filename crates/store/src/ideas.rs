//! Ideas, storage side: proposals (with their rate limits and the field's participation window,
//! in the proposal's own transaction), supports (the idea's counter in the support's
//! transaction), the city's status decisions (audited), the list by cursor with its filters, and
//! the search of similar measures and ideas.

mod moderation;
mod search;

pub use moderation::{IdeaReport, NewIdeaReport, QueuedIdea};
pub use search::Similar;

use crate::comments::{Limit, count_hits, placeholders};
use crate::{Db, Result, StoreError, on_db};
use domain::ideas::{Decision, IdeaCursor, IdeaSort, IdeaStatus, Proposal};
use domain::notifications::FollowKind;
use std::collections::HashMap;
use time::OffsetDateTime;

/// One idea as pages, the API and the feed show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idea {
    pub id: i64,
    pub field_id: i64,
    pub field_slug: String,
    pub field_title: String,
    pub author_id: Option<i64>,
    /// The author's display name; `None` when the account was deleted.
    pub author_name: Option<String>,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub benefit: String,
    pub place: String,
    pub status: IdeaStatus,
    pub status_reason: String,
    pub status_at: Option<OffsetDateTime>,
    /// The published measure that takes the idea up (an accepted idea).
    pub measure: Option<(String, String)>,
    pub supports: i64,
    pub comments: i64,
    pub hidden: bool,
    pub moderation_reason: Option<String>,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    field_id: i64,
    field_slug: String,
    field_title: String,
    author_id: Option<i64>,
    author_name: Option<String>,
    title: String,
    description: String,
    description_html: String,
    benefit: String,
    place: String,
    status: String,
    status_reason: String,
    status_at: Option<OffsetDateTime>,
    measure_slug: Option<String>,
    measure_title: Option<String>,
    supports: i64,
    comments: i64,
    hidden: bool,
    moderation_reason: Option<String>,
    created_at: OffsetDateTime,
}

impl TryFrom<Row> for Idea {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Idea> {
        let status = IdeaStatus::parse(&r.status)
            .ok_or_else(|| StoreError::Invalid(format!("idea status {}", r.status)))?;
        Ok(Idea {
            id: r.id,
            field_id: r.field_id,
            field_slug: r.field_slug,
            field_title: r.field_title,
            author_id: r.author_id,
            author_name: r.author_name,
            title: r.title,
            description: r.description,
            description_html: r.description_html,
            benefit: r.benefit,
            place: r.place,
            status,
            status_reason: r.status_reason,
            status_at: r.status_at,
            measure: r.measure_slug.zip(r.measure_title),
            supports: r.supports,
            comments: r.comments,
            hidden: r.hidden,
            moderation_reason: r.moderation_reason,
            created_at: r.created_at,
        })
    }
}

/// The columns of [`Row`], from [`FROM`].
const COLUMNS: &str = "i.id, i.field_id, f.slug AS field_slug, f.title AS field_title, i.author_id, \
     CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS author_name, i.title, i.description, \
     i.description_html, i.benefit, i.place, i.status, i.status_reason, i.status_at, \
     m.slug AS measure_slug, m.title AS measure_title, i.supports, COALESCE(cc.count, 0) AS comments, \
     i.hidden, i.moderation_reason, i.created_at";

const FROM: &str = "FROM ideas i JOIN fields_of_action f ON f.id = i.field_id \
     LEFT JOIN users u ON u.id = i.author_id \
     LEFT JOIN measures m ON m.id = i.measure_id AND m.state = 'published' \
     LEFT JOIN comment_counts cc ON cc.subject_kind = 'idea' AND cc.subject_id = i.id";

fn ideas_of(rows: Vec<Row>) -> Result<Vec<Idea>> {
    rows.into_iter().map(Idea::try_from).collect()
}

/// A new idea, checked by `domain::ideas::check_proposal`.
pub struct NewIdea<'a> {
    pub proposal: &'a Proposal,
    pub author_id: i64,
    /// The description as sanitised HTML (the comments' Markdown subset).
    pub description_html: &'a str,
    pub limits: &'a [Limit],
    /// When it was proposed (the demo and the benchmark data date theirs back); now when `None`.
    pub created_at: Option<OffsetDateTime>,
    /// Held for the moderation (the word list, an account's first post): hidden and in the queue
    /// until a moderator shows it.
    pub hold: bool,
}

/// Why a write on ideas was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdeaRefusal {
    /// No such idea (or field of action), or hidden by the moderation.
    NotFound,
    /// The field's participation window is closed.
    Closed,
    /// The person is blocked by the moderation.
    Blocked,
    /// Too many proposals; allowed again at the time given.
    RateLimited(OffsetDateTime),
    /// One's own idea cannot be supported.
    Own,
    /// The city has decided the idea: it takes no more supports.
    Decided,
    /// The measure to link is not a published one.
    NoSuchMeasure,
}

/// One page of the list and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeaPage {
    pub ideas: Vec<Idea>,
    pub next: Option<IdeaCursor>,
}

/// What a page of the list shows: the filters and the order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdeaFilter {
    pub field_id: Option<i64>,
    pub status: Option<IdeaStatus>,
}

/// What a status decision changed, for its notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub author_id: Option<i64>,
    pub before: IdeaStatus,
}

/// What a reader is to an idea: its author, a supporter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MyIdeaView {
    pub mine: bool,
    pub supported: bool,
}

/// A person's support, for their data export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnSupport {
    pub idea_id: i64,
    pub idea_title: String,
    pub created_at: OffsetDateTime,
}

/// The cache event of a change of idea `id`: its page and every list, and `more` tags.
pub(crate) fn idea_event_with(id: i64, more: Vec<String>) -> crate::events::NewEvent {
    let mut tags = vec![domain::tags::idea(id), domain::tags::IDEAS.to_string()];
    tags.extend(more);
    crate::events::cache_event(tags)
}

fn idea_event(id: i64) -> crate::events::NewEvent {
    idea_event_with(id, Vec::new())
}

impl Db {
    /// Proposes an idea and returns its id, or why it was refused. The field's window, the
    /// author's block, the rate limits and the insert are one transaction.
    pub async fn propose_idea(
        &self,
        new: &NewIdea<'_>,
    ) -> Result<std::result::Result<i64, IdeaRefusal>> {
        let now = OffsetDateTime::now_utc();
        let p = new.proposal;
        let search = domain::text::search_document(&[&p.title, &p.description, &p.benefit]);
        let outcome = on_db!(self, pool => {
            let _write = self.write_gate().await;
            let mut tx = pool.begin_with(crate::begin_sql(pool)).await?;
            let field: Option<i64> = sqlx::query_scalar(
                "SELECT f.id FROM fields_of_action f JOIN core_areas c ON c.id = f.core_area_id \
                 WHERE f.id = $1 AND NOT f.archived AND NOT c.archived",
            )
            .bind(p.field_id)
            .fetch_optional(&mut *tx)
            .await?;
            if field.is_none() {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::NotFound));
            }
            let rows: Vec<crate::windows::WindowRow> = sqlx::query_as(crate::windows::FIELD_WINDOWS)
                .bind(p.field_id)
                .fetch_all(&mut *tx)
                .await?;
            if !crate::windows::decide(rows).state(now).is_open() {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::Closed));
            }
            let blocked: Option<Option<OffsetDateTime>> =
                sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
                    .bind(new.author_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if matches!(blocked, Some(Some(_))) {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::Blocked));
            }
            if let Some(until) = count_hits!(tx, new.limits, now) {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::RateLimited(until)));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ideas (field_id, author_id, title, description, description_html, benefit, place, \
                 status, status_rank, search_text, created_at, hidden, needs_review) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(p.field_id)
            .bind(new.author_id)
            .bind(&p.title)
            .bind(&p.description)
            .bind(new.description_html)
            .bind(&p.benefit)
            .bind(&p.place)
            .bind(IdeaStatus::Submitted.as_str())
            .bind(IdeaStatus::Submitted.rank())
            .bind(&search)
            .bind(new.created_at.unwrap_or(now))
            .bind(new.hold)
            .fetch_one(&mut *tx)
            .await?;
            // The author follows their idea (unless they turned that off).
            crate::notifications::auto_follow(&mut *tx, new.author_id, FollowKind::Idea, id, now).await?;
            crate::commit_with_events!(self, pool, tx, [idea_event(id)]);
            Ok(id)
        });
        Ok(outcome)
    }

    /// One idea, hidden or not (the page says what the moderation decided).
    pub async fn idea(&self, id: i64) -> Result<Option<Idea>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE i.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(Idea::try_from).transpose()
    }

    /// One page of the ideas shown in lists (not hidden), filtered and in `sort` order, after
    /// `after`. Each order is a row-value comparison on an index, so a late page costs what the
    /// first does.
    pub async fn idea_page(
        &self,
        filter: IdeaFilter,
        sort: IdeaSort,
        after: Option<IdeaCursor>,
        limit: i64,
    ) -> Result<IdeaPage> {
        let (cursor, order) = match sort {
            IdeaSort::Newest => ("i.id < $4", "i.id DESC"),
            IdeaSort::Supported => (
                "(i.supports, i.id) < ($3, $4)",
                "i.supports DESC, i.id DESC",
            ),
            IdeaSort::Status => (
                "(i.status_rank, i.id) < ($3, $4)",
                "i.status_rank DESC, i.id DESC",
            ),
        };
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE NOT i.hidden AND ($1 IS NULL OR i.field_id = $1) \
             AND ($2 IS NULL OR i.status = $2) AND ($5 = 0 OR {cursor}) ORDER BY {order} LIMIT $6"
        );
        let (key, id) = after.map_or((0, 0), |c| (c.key, c.id));
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(filter.field_id)
            .bind(filter.status.map(|s| s.as_str()))
            .bind(key)
            .bind(id)
            .bind(i64::from(after.is_some()))
            .bind(limit + 1)
            .fetch_all(p)
            .await?);
        let mut ideas = ideas_of(rows)?;
        let next = if ideas.len() as i64 > limit {
            ideas.truncate(limit as usize);
            ideas.last().map(|i| IdeaCursor {
                key: match sort {
                    IdeaSort::Newest => 0,
                    IdeaSort::Supported => i.supports,
                    IdeaSort::Status => i.status.rank(),
                },
                id: i.id,
            })
        } else {
            None
        };
        Ok(IdeaPage { ideas, next })
    }

    /// The number of ideas shown in lists, per filter (the list's heading).
    pub async fn idea_count(&self, filter: IdeaFilter) -> Result<i64> {
        Ok(on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM ideas WHERE NOT hidden AND ($1 IS NULL OR field_id = $1) AND ($2 IS NULL OR status = $2)",
        )
        .bind(filter.field_id)
        .bind(filter.status.map(|s| s.as_str()))
        .fetch_one(p)
        .await?))
    }

    /// Supports (`on`) or withdraws the support of `user` for idea `id`; the idea's supports
    /// afterwards. The counter changes in the same transaction, which first touches the idea's
    /// row (on PostgreSQL a lock), so concurrent supports lose no count. Supporting twice or
    /// withdrawing a support never given changes nothing.
    pub async fn support_idea(
        &self,
        id: i64,
        user: i64,
        on: bool,
    ) -> Result<std::result::Result<i64, IdeaRefusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(Option<i64>, String, bool, i64)> = sqlx::query_as(
                "UPDATE ideas SET supports = supports WHERE id = $1 RETURNING author_id, status, hidden, supports",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match &row {
                None => Some(IdeaRefusal::NotFound),
                Some((_, _, true, _)) => Some(IdeaRefusal::NotFound),
                Some((author, ..)) if *author == Some(user) => Some(IdeaRefusal::Own),
                Some((_, status, ..))
                    if !IdeaStatus::parse(status).is_some_and(IdeaStatus::takes_support) =>
                {
                    Some(IdeaRefusal::Decided)
                }
                _ => None,
            };
            if let Some(r) = refusal {
                tx.rollback().await?;
                return Ok(Err(r));
            }
            if on {
                let blocked: Option<Option<OffsetDateTime>> =
                    sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
                        .bind(user)
                        .fetch_optional(&mut *tx)
                        .await?;
                if matches!(blocked, Some(Some(_))) {
                    tx.rollback().await?;
                    return Ok(Err(IdeaRefusal::Blocked));
                }
            }
            let changed = if on {
                sqlx::query(
                    "INSERT INTO idea_supports (idea_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query("DELETE FROM idea_supports WHERE idea_id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
            let supports = row.map(|r| r.3).unwrap_or(0);
            if changed == 0 {
                tx.rollback().await?;
                return Ok(Ok(supports));
            }
            if on {
                // A supporter follows the idea (unless they turned that off).
                crate::notifications::auto_follow(&mut *tx, user, FollowKind::Idea, id, now).await?;
            }
            let delta: i64 = if on { 1 } else { -1 };
            let supports: i64 = sqlx::query_scalar("UPDATE ideas SET supports = supports + $2 WHERE id = $1 RETURNING supports")
                .bind(id)
                .bind(delta)
                .fetch_one(&mut *tx)
                .await?;
            crate::commit_with_events!(self, p, tx, [idea_event(id)]);
            Ok(supports)
        });
        Ok(outcome)
    }

    /// The reader's view of the ideas among `ids` (the personal slots of a page): whether each
    /// is theirs and whether they support it. One query.
    pub async fn my_idea_views(&self, user: i64, ids: &[i64]) -> Result<HashMap<i64, MyIdeaView>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT i.id, i.author_id, s.user_id FROM ideas i \
             LEFT JOIN idea_supports s ON s.idea_id = i.id AND s.user_id = $1 WHERE i.id IN ({})",
            placeholders(2, ids.len())
        );
        let rows: Vec<(i64, Option<i64>, Option<i64>)> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, author, supporter)| {
                (
                    id,
                    MyIdeaView {
                        mine: author == Some(user),
                        supported: supporter.is_some(),
                    },
                )
            })
            .collect())
    }

    /// The city's decision on idea `id` by `actor`: status, reason and (accepted) the measure
    /// that takes it up, audited as `idea.status`. What it was before and whose idea it is, for
    /// the notification.
    pub async fn decide_idea(
        &self,
        id: i64,
        actor: Option<i64>,
        decision: &Decision,
    ) -> Result<std::result::Result<Decided, IdeaRefusal>> {
        self.decide_idea_at(id, actor, decision, OffsetDateTime::now_utc())
            .await
    }

    /// [`Db::decide_idea`] at the time `now` (the demo dates its decisions back).
    pub async fn decide_idea_at(
        &self,
        id: i64,
        actor: Option<i64>,
        decision: &Decision,
        now: OffsetDateTime,
    ) -> Result<std::result::Result<Decided, IdeaRefusal>> {
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(Option<i64>, String, String)> =
                sqlx::query_as("SELECT author_id, status, title FROM ideas WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((author_id, before, title)) = row else {
                tx.rollback().await?;
                return Ok(Err(IdeaRefusal::NotFound));
            };
            let before = IdeaStatus::parse(&before)
                .ok_or_else(|| StoreError::Invalid(format!("idea status {before}")))?;
            if let Some(m) = decision.measure_id {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM measures WHERE id = $1 AND state = 'published'")
                        .bind(m)
                        .fetch_optional(&mut *tx)
                        .await?;
                if found.is_none() {
                    tx.rollback().await?;
                    return Ok(Err(IdeaRefusal::NoSuchMeasure));
                }
            }
            sqlx::query(
                "UPDATE ideas SET status = $2, status_rank = $3, status_reason = $4, measure_id = $5, status_at = $6 WHERE id = $1",
            )
            .bind(id)
            .bind(decision.status.as_str())
            .bind(decision.status.rank())
            .bind(&decision.reason)
            .bind(decision.measure_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let after = match (&decision.reason, decision.measure_id) {
                (r, Some(m)) if !r.is_empty() => format!("{} (measure {m}): {r}", decision.status.as_str()),
                (_, Some(m)) => format!("{} (measure {m})", decision.status.as_str()),
                (r, None) if !r.is_empty() => format!("{}: {r}", decision.status.as_str()),
                _ => decision.status.as_str().to_string(),
            };
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind("idea.status")
                .bind("idea")
                .bind(id)
                .bind(before.as_str())
                .bind(after)
                .execute(&mut *tx)
                .await?;
            // The author and the idea's followers learn of it (never the one deciding).
            if before != decision.status || !decision.reason.is_empty() {
                crate::notifications::idea_status_changed(
                    &mut *tx,
                    id,
                    author_id,
                    actor,
                    &title,
                    decision.status.as_str(),
                    &decision.reason,
                    &format!("/ideen/{id}"),
                    now,
                )
                .await?;
            }
            crate::commit_with_events!(self, p, tx, [idea_event(id)]);
            Ok(Decided { author_id, before })
        });
        Ok(outcome)
    }

    /// The titles of the ideas among `ids` (the moderation queue names what a comment is on).
    pub async fn idea_titles_of(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, title FROM ideas WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let rows: Vec<(i64, String)> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
    }

    /// The ideas `user` proposed, newest first (their data export).
    pub async fn ideas_of_author(&self, user: i64) -> Result<Vec<Idea>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE i.author_id = $1 ORDER BY i.id DESC");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user).fetch_all(p).await?);
        ideas_of(rows)
    }

    /// The ideas `user` supports (their data export).
    pub async fn supports_of(&self, user: i64) -> Result<Vec<OwnSupport>> {
        let rows: Vec<(i64, String, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(
            "SELECT s.idea_id, i.title, s.created_at FROM idea_supports s JOIN ideas i ON i.id = s.idea_id \
             WHERE s.user_id = $1 ORDER BY s.idea_id",
        )
        .bind(user)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(idea_id, idea_title, created_at)| OwnSupport {
                idea_id,
                idea_title,
                created_at,
            })
            .collect())
    }

    /// The fields of action that take ideas (not archived), in the strategy's order: id, slug
    /// and title.
    pub async fn idea_fields(&self) -> Result<Vec<(i64, String, String)>> {
        Ok(on_db!(self, p => sqlx::query_as(
            "SELECT f.id, f.slug, f.title FROM fields_of_action f JOIN core_areas c ON c.id = f.core_area_id \
             WHERE NOT f.archived AND NOT c.archived ORDER BY c.position, f.position",
        )
        .fetch_all(p)
        .await?))
    }
}
