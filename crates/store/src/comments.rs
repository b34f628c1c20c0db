//! Comments, storage side: posting (with its rate limits, in the comment's own transaction),
//! editing, deleting, upvotes, and the pages of a discussion by cursor. Counters (a subject's
//! comments, a thread's replies, a comment's upvotes) change in the transaction of the write
//! that changes them.

mod posting;

pub(crate) use posting::{Posting, post_checks_sql, post_in, post_refusal};

use crate::{Db, Result, StoreError, on_db};
use domain::comments::{Cursor, Sort, State, Subject, SubjectKind};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// One comment as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub subject: Subject,
    pub parent_id: Option<i64>,
    pub root_id: Option<i64>,
    pub depth: i64,
    pub author_id: Option<i64>,
    /// The author's display name; `None` when the account was deleted.
    pub author_name: Option<String>,
    pub state: State,
    /// An answer of the city ("Antwort der Stadt").
    pub official: bool,
    pub body: String,
    pub body_html: String,
    pub upvotes: i64,
    /// Replies in the thread (on top-level comments).
    pub replies: i64,
    pub created_at: OffsetDateTime,
    pub edited_at: Option<OffsetDateTime>,
    /// Written by a guest (the name is the one they gave).
    pub guest: bool,
    /// The public reason of the moderation's hiding; `None` while a comment is hidden by
    /// reports until it is reviewed.
    pub moderation_reason: Option<String>,
    /// The author is blocked by the moderation: the comment is shown as hidden meanwhile.
    pub author_blocked: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    subject_kind: String,
    subject_id: i64,
    parent_id: Option<i64>,
    root_id: Option<i64>,
    depth: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    state: String,
    official: bool,
    body: String,
    body_html: String,
    upvotes: i64,
    replies: i64,
    created_at: OffsetDateTime,
    edited_at: Option<OffsetDateTime>,
    guest: bool,
    moderation_reason: Option<String>,
    author_blocked: bool,
}

/// The subject of a stored kind and id.
pub(crate) fn subject_of(kind: &str, id: i64) -> Result<Subject> {
    let kind = SubjectKind::parse(kind)
        .ok_or_else(|| StoreError::Invalid(format!("comment subject {kind}")))?;
    Ok(Subject { kind, id })
}

impl TryFrom<Row> for Comment {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Comment> {
        let state = State::parse(&r.state)
            .ok_or_else(|| StoreError::Invalid(format!("comment state {}", r.state)))?;
        Ok(Comment {
            id: r.id,
            subject: subject_of(&r.subject_kind, r.subject_id)?,
            parent_id: r.parent_id,
            root_id: r.root_id,
            depth: r.depth,
            author_id: r.author_id,
            author_name: r.author_name,
            state,
            official: r.official,
            body: r.body,
            body_html: r.body_html,
            upvotes: r.upvotes,
            replies: r.replies,
            created_at: r.created_at,
            edited_at: r.edited_at,
            guest: r.guest,
            moderation_reason: r.moderation_reason,
            author_blocked: r.author_blocked,
        })
    }
}

pub(crate) fn comments_of(rows: Vec<Row>) -> Result<Vec<Comment>> {
    rows.into_iter().map(Comment::try_from).collect()
}

/// The columns of [`Row`], from `comments c LEFT JOIN users u`.
pub(crate) const COLUMNS: &str = "c.id, c.subject_kind, c.subject_id, c.parent_id, c.root_id, c.depth, c.author_id, \
     CASE WHEN c.author_id IS NULL THEN c.guest_name WHEN u.deleted_at IS NULL THEN u.display_name END AS author_name, \
     c.state, c.official, c.body, c.body_html, c.upvotes, c.replies, c.created_at, c.edited_at, \
     c.guest_name IS NOT NULL AS guest, c.moderation_reason, \
     (u.blocked_at IS NOT NULL OR (c.guest_key IS NOT NULL AND EXISTS (SELECT 1 FROM blocked_guests bg WHERE bg.address_hash = c.guest_key))) AS author_blocked";

pub(crate) const FROM: &str = "FROM comments c LEFT JOIN users u ON u.id = c.author_id";

/// `$start, $start+1, …` for `n` values of an `IN` list (the number of values, never user text).
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rate limit a post counts against: at most `max` posts per `window` in `bucket`.
#[derive(Debug, Clone)]
pub struct Limit {
    pub bucket: String,
    pub max: i64,
    pub window: time::Duration,
}

/// Who writes a comment.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// A signed-in person.
    Account(i64),
    /// A guest: the comment waits for the confirmation of their address.
    Guest(&'a Guest<'a>),
}

/// A guest's part of a comment: the name shown, the keyed hash of the address (the address
/// itself is only in the mail), the hash of the confirmation token and its mail.
#[derive(Debug, Clone)]
pub struct Guest<'a> {
    pub name: &'a str,
    pub address_hash: &'a str,
    pub token_hash: &'a str,
    pub expires_at: OffsetDateTime,
    pub mail: &'a crate::mail::Outgoing,
}

/// A new comment.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub subject: Subject,
    /// The comment it answers; `None` for a top-level comment.
    pub parent_id: Option<i64>,
    pub author: Author<'a>,
    pub body: &'a str,
    pub body_html: &'a str,
    pub official: bool,
    /// Counted in the comment's transaction; a post past one of them writes nothing.
    pub limits: &'a [Limit],
    /// When it was posted: now (`None`), or an earlier time for demo and benchmark data.
    pub posted_at: Option<OffsetDateTime>,
    /// Held for the moderation before it is shown (the word list, a first post); a guest's
    /// comment is held when it is confirmed.
    pub hold: bool,
}

/// Why a post, an edit, a deletion or a vote was refused (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No published subject, or no such comment.
    NotFound,
    /// The comment answered is deleted, hidden or not yet published.
    ParentClosed,
    /// A reply below the third level.
    TooDeep,
    /// A rate limit is reached until then.
    RateLimited(OffsetDateTime),
    /// The comment is not the person's own.
    NotAuthor,
    /// The edit window has passed.
    EditWindowOver,
    /// One's own comment cannot be upvoted.
    OwnComment,
    /// The comment is deleted already (or hidden) and cannot be changed.
    Gone,
    /// The discussion's participation window is not open.
    Closed,
    /// The person is blocked by the moderation.
    Blocked,
}

/// Where a guest's confirmation link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestLink {
    /// It confirms comment `id` when its button is pressed.
    Open(i64),
    /// It confirmed comment `id` already.
    Used(i64),
    /// No such link, or it ran out.
    Unknown,
}

/// One page of a discussion: top-level comments with their first replies.
#[derive(Debug, Clone, Default)]
pub struct CommentPage {
    pub threads: Vec<Thread>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// A top-level comment and replies of its thread (in order of posting).
#[derive(Debug, Clone)]
pub struct Thread {
    pub comment: Comment,
    pub replies: Vec<Comment>,
}

/// What the personal part of a comment needs: whose it is, when it was posted, whether the
/// reader upvoted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MyView {
    pub mine: bool,
    pub upvoted: bool,
    pub depth: i64,
    pub state: State,
    pub created_at: OffsetDateTime,
}

/// The statement that counts one hit in each of `n` buckets at once: `$1` is now, `$2…$(n+1)`
/// the buckets, `$(n+2)…$(2n+1)` the start of each bucket's current window (now minus its
/// length). A bucket whose window has passed starts a new one. Only numbers are formatted in.
pub(crate) fn count_hits_sql(n: usize) -> String {
    let values = (0..n)
        .map(|i| format!("(${}, $1, 1)", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let cutoff = (0..n)
        .map(|i| format!("WHEN ${} THEN ${}", i + 2, n + i + 2))
        .collect::<Vec<_>>()
        .join(" ");
    // The ELSE is never taken (every bucket has its WHEN); it gives the CASE the column's type.
    let passed = format!(
        "rate_limits.window_start <= CASE excluded.bucket {cutoff} ELSE excluded.window_start END"
    );
    format!(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES {values} \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN {passed} THEN 1 ELSE rate_limits.hits + 1 END, \
         window_start = CASE WHEN {passed} THEN excluded.window_start ELSE rate_limits.window_start END \
         RETURNING bucket, hits, window_start"
    )
}

/// The first of `limits` (in their order) that `rows` (bucket, hits in the window, window
/// start) show over its maximum: when it allows the next hit.
pub(crate) fn first_reached(
    limits: &[Limit],
    rows: &[(String, i64, OffsetDateTime)],
) -> Option<OffsetDateTime> {
    limits.iter().find_map(|l| {
        rows.iter()
            .find(|(bucket, ..)| *bucket == l.bucket)
            .and_then(|(_, hits, start)| (*hits > l.max).then(|| *start + l.window))
    })
}

/// Counts a hit against each of `$limits` (a slice of [`Limit`]s with distinct buckets) at
/// `$now` in transaction `$tx`, in one statement: `Some(until)` when one of them is reached (the
/// caller rolls back, so none of the hits counts).
macro_rules! count_hits {
    ($tx:ident, $limits:expr, $now:expr) => {{
        let limits: &[$crate::comments::Limit] = $limits;
        if limits.is_empty() {
            None
        } else {
            let now: OffsetDateTime = $now;
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe($crate::comments::count_hits_sql(
                limits.len(),
            )))
            .bind(now);
            for l in limits {
                q = q.bind(&l.bucket);
            }
            for l in limits {
                q = q.bind(now - l.window);
            }
            let rows: Vec<(String, i64, OffsetDateTime)> = q.fetch_all(&mut *$tx).await?;
            $crate::comments::first_reached(limits, &rows)
        }
    }};
}
pub(crate) use count_hits;

/// Whether the account `$user` is blocked by the moderation, read in transaction `$tx`.
macro_rules! blocked {
    ($tx:ident, $user:expr) => {{
        let at: Option<Option<OffsetDateTime>> =
            sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
                .bind($user)
                .fetch_optional(&mut *$tx)
                .await?;
        matches!(at, Some(Some(_)))
    }};
}

/// Counts a comment that becomes visible: its thread's replies (when `$root` is `Some`) and its
/// subject's comments, in transaction `$tx`.
macro_rules! count_published {
    ($tx:ident, $kind:expr, $subject_id:expr, $root:expr) => {{
        if let Some(root) = $root {
            sqlx::query("UPDATE comments SET replies = replies + 1 WHERE id = $1")
                .bind(root)
                .execute(&mut *$tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO comment_counts (subject_kind, subject_id, count) VALUES ($1, $2, 1) \
             ON CONFLICT (subject_kind, subject_id) DO UPDATE SET count = comment_counts.count + 1",
        )
        .bind($kind)
        .bind($subject_id)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use count_published;

impl Db {
    /// Posts a comment and returns its id, or why it was refused. The rate limits, the comment,
    /// the thread's reply count and the subject's comment count are written together and
    /// committed before this returns: by the group-commit writer ([`crate::writer`]), in the
    /// transaction of a batch of concurrent posts and ratings, inside a savepoint of its own, so
    /// a refusal or an error takes back only this post's writes.
    pub async fn post_comment(
        &self,
        new: &NewComment<'_>,
    ) -> Result<std::result::Result<i64, Refusal>> {
        self.writer().post_comment(self, Posting::of(new)).await
    }

    /// One comment, whatever its state.
    pub async fn comment(&self, id: i64) -> Result<Option<Comment>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(Comment::try_from).transpose()
    }

    /// How many comments (published, hidden and deleted ones: what the discussion shows) a
    /// subject has.
    pub async fn comment_count(&self, subject: Subject) -> Result<i64> {
        let n: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT count FROM comment_counts WHERE subject_kind = $1 AND subject_id = $2"
        ).bind(subject.kind.as_str()).bind(subject.id).fetch_optional(p).await?);
        Ok(n.unwrap_or(0))
    }

    /// A page of `limit` top-level comments of `subject` in `sort` order after `after`, each
    /// with its first `replies` replies (answers of the city first, then in order of posting).
    /// Three queries whatever the page holds.
    pub async fn comment_page(
        &self,
        subject: Subject,
        sort: Sort,
        after: Option<Cursor>,
        limit: i64,
        replies: i64,
    ) -> Result<CommentPage> {
        // Without a cursor the bound is past every comment: one statement per order.
        let (cond, order) = match sort {
            Sort::Newest => ("c.id < $3", "c.id DESC"),
            Sort::Oldest => ("c.id > $3", "c.id ASC"),
            Sort::Supported => ("(c.upvotes, c.id) < ($5, $3)", "c.upvotes DESC, c.id DESC"),
        };
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE c.subject_kind = $1 AND c.subject_id = $2 AND c.depth = 0 \
             AND c.state <> 'pending' AND {cond} ORDER BY {order} LIMIT $4"
        );
        let c = after.unwrap_or(match sort {
            Sort::Oldest => Cursor { upvotes: 0, id: 0 },
            _ => Cursor {
                upvotes: i64::MAX,
                id: i64::MAX,
            },
        });
        let rows: Vec<Row> = on_db!(self, p => {
            let q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(subject.kind.as_str())
                .bind(subject.id)
                .bind(c.id)
                .bind(limit + 1);
            let q = if sort == Sort::Supported { q.bind(c.upvotes) } else { q };
            q.fetch_all(p).await?
        });
        let mut top = comments_of(rows)?;
        let next = if top.len() as i64 > limit {
            top.truncate(limit as usize);
            top.last().map(|c| Cursor {
                upvotes: c.upvotes,
                id: c.id,
            })
        } else {
            None
        };
        let mut by_root = self
            .first_replies(&top.iter().map(|c| c.id).collect::<Vec<_>>(), replies)
            .await?;
        let threads = top
            .into_iter()
            .map(|comment| Thread {
                replies: by_root.remove(&comment.id).unwrap_or_default(),
                comment,
            })
            .collect();
        Ok(CommentPage { threads, next })
    }

    /// The first `n` replies of each thread in `roots`: answers of the city first, then in
    /// order of posting.
    async fn first_replies(&self, roots: &[i64], n: i64) -> Result<HashMap<i64, Vec<Comment>>> {
        let mut out: HashMap<i64, Vec<Comment>> = HashMap::new();
        if roots.is_empty() || n <= 0 {
            return Ok(out);
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.official DESC, c.id) AS rn \
             FROM comments c WHERE c.root_id IN ({}) AND c.state <> 'pending') c \
             LEFT JOIN users u ON u.id = c.author_id WHERE c.rn <= $1 ORDER BY c.root_id, c.id",
            placeholders(2, roots.len())
        );
        let rows: Vec<Row> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(n);
            for r in roots {
                q = q.bind(*r);
            }
            q.fetch_all(p).await?
        });
        for c in comments_of(rows)? {
            if let Some(root) = c.root_id {
                out.entry(root).or_default().push(c);
            }
        }
        Ok(out)
    }

    /// Replies of the thread `root_id` after the reply `after` in order of posting, at most
    /// `limit`, and whether more follow.
    pub async fn thread_replies(
        &self,
        root_id: i64,
        after: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<Comment>, bool)> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE c.root_id = $1 AND c.id > $2 AND c.state <> 'pending' ORDER BY c.id LIMIT $3"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(root_id).bind(after.unwrap_or(0)).bind(limit + 1).fetch_all(p).await?);
        let mut replies = comments_of(rows)?;
        let more = replies.len() as i64 > limit;
        replies.truncate(limit as usize);
        Ok((replies, more))
    }

    /// How many replies of thread `root_id` came before the comment `id`.
    pub async fn replies_before(&self, root_id: i64, id: i64) -> Result<i64> {
        let n: i64 = on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE root_id = $1 AND id < $2 AND state <> 'pending'"
        ).bind(root_id).bind(id).fetch_one(p).await?);
        Ok(n)
    }

    /// Replaces the text of `user_id`'s comment within the edit window ("bearbeitet").
    pub async fn edit_comment(
        &self,
        id: i64,
        user_id: i64,
        body: &str,
        body_html: &str,
    ) -> Result<std::result::Result<Subject, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(String, i64, Option<i64>, String, OffsetDateTime)> = sqlx::query_as(
                "SELECT subject_kind, subject_id, author_id, state, created_at FROM comments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match &row {
                None => Some(Refusal::NotFound),
                Some((_, _, author, _, _)) if *author != Some(user_id) => Some(Refusal::NotAuthor),
                Some((_, _, _, state, _)) if state != State::Published.as_str() => Some(Refusal::Gone),
                Some((_, _, _, _, at)) if !domain::comments::may_edit(*at, now) => Some(Refusal::EditWindowOver),
                _ => None,
            };
            let (Some((kind, subject_id, ..)), None) = (row, refusal) else {
                tx.rollback().await?;
                return Ok(Err(refusal.unwrap_or(Refusal::NotFound)));
            };
            let subject = subject_of(&kind, subject_id)?;
            sqlx::query("UPDATE comments SET body = $2, body_html = $3, edited_at = $4 WHERE id = $1")
                .bind(id)
                .bind(body)
                .bind(body_html)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            Ok(subject)
        });
        Ok(outcome)
    }

    /// Deletes `user_id`'s comment: the row stays as a tombstone without text, so that its
    /// replies stay readable; its upvotes go.
    pub async fn delete_comment(
        &self,
        id: i64,
        user_id: i64,
    ) -> Result<std::result::Result<Subject, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(String, i64, Option<i64>, String)> = sqlx::query_as(
                "SELECT subject_kind, subject_id, author_id, state FROM comments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match &row {
                None => Some(Refusal::NotFound),
                Some((_, _, author, _)) if *author != Some(user_id) => Some(Refusal::NotAuthor),
                Some((_, _, _, state)) if state == State::Deleted.as_str() => Some(Refusal::Gone),
                _ => None,
            };
            let (Some((kind, subject_id, ..)), None) = (row, refusal) else {
                tx.rollback().await?;
                return Ok(Err(refusal.unwrap_or(Refusal::NotFound)));
            };
            let subject = subject_of(&kind, subject_id)?;
            sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE comments SET state = 'deleted', body = '', body_html = '', upvotes = 0, official = FALSE, \
                 deleted_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            Ok(subject)
        });
        Ok(outcome)
    }

    /// Upvotes (`true`) or takes back the upvote (`false`) of `user_id` on a published comment
    /// and returns its upvotes now. Voting twice counts once.
    pub async fn vote_comment(
        &self,
        id: i64,
        user_id: i64,
        up: bool,
    ) -> Result<std::result::Result<(Subject, i64), Refusal>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            // Locks the comment's row on PostgreSQL, so concurrent votes queue.
            let row: Option<(String, i64, Option<i64>, String, i64)> = sqlx::query_as(
                "UPDATE comments SET upvotes = upvotes WHERE id = $1 \
                 RETURNING subject_kind, subject_id, author_id, state, upvotes",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let refusal = match &row {
                None => Some(Refusal::NotFound),
                Some((_, _, _, state, _)) if state != State::Published.as_str() => Some(Refusal::Gone),
                Some((_, _, author, _, _)) if *author == Some(user_id) => Some(Refusal::OwnComment),
                _ => None,
            };
            let (Some((kind, subject_id, _, _, upvotes)), None) = (row, refusal) else {
                tx.rollback().await?;
                return Ok(Err(refusal.unwrap_or(Refusal::NotFound)));
            };
            let subject = subject_of(&kind, subject_id)?;
            if !crate::windows::window_in!(tx, subject).state(now).is_open() {
                tx.rollback().await?;
                return Ok(Err(Refusal::Closed));
            }
            if blocked!(tx, user_id) {
                tx.rollback().await?;
                return Ok(Err(Refusal::Blocked));
            }
            let changed = if up {
                sqlx::query("INSERT INTO comment_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id).bind(user_id).bind(now).execute(&mut *tx).await?.rows_affected()
            } else {
                sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2")
                    .bind(id).bind(user_id).execute(&mut *tx).await?.rows_affected()
            };
            if changed == 0 {
                tx.rollback().await?;
                return Ok(Ok((subject, upvotes)));
            }
            let delta: i64 = if up { 1 } else { -1 };
            let upvotes: i64 = sqlx::query_scalar("UPDATE comments SET upvotes = upvotes + $2 WHERE id = $1 RETURNING upvotes")
                .bind(id).bind(delta).fetch_one(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            Ok((subject, upvotes))
        });
        Ok(outcome)
    }

    /// The personal part of each comment in `ids` for `user_id` (one query).
    pub async fn my_comment_views(
        &self,
        user_id: i64,
        ids: &[i64],
    ) -> Result<HashMap<i64, MyView>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT c.id, c.author_id, v.user_id, c.depth, c.state, c.created_at FROM comments c \
             LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = $1 WHERE c.id IN ({})",
            placeholders(2, ids.len())
        );
        type ViewRow = (i64, Option<i64>, Option<i64>, i64, String, OffsetDateTime);
        let rows: Vec<ViewRow> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        rows.into_iter()
            .map(|(id, author, voter, depth, state, created_at)| {
                let state =
                    State::parse(&state).ok_or_else(|| StoreError::Invalid(state.clone()))?;
                Ok((
                    id,
                    MyView {
                        mine: author == Some(user_id),
                        upvoted: voter.is_some(),
                        depth,
                        state,
                        created_at,
                    },
                ))
            })
            .collect()
    }

    /// Where a guest's confirmation link stands (without using it).
    pub async fn guest_link(&self, token_hash: &str) -> Result<GuestLink> {
        let now = OffsetDateTime::now_utc();
        let row: Option<(i64, OffsetDateTime, Option<OffsetDateTime>)> = on_db!(self, p => sqlx::query_as(
            "SELECT comment_id, expires_at, used_at FROM guest_confirmations WHERE token_hash = $1"
        ).bind(token_hash).fetch_optional(p).await?);
        Ok(match row {
            None => GuestLink::Unknown,
            Some((id, _, Some(_))) => GuestLink::Used(id),
            Some((_, expires, None)) if expires <= now => GuestLink::Unknown,
            Some((id, _, None)) => GuestLink::Open(id),
        })
    }

    /// Uses a guest's confirmation link once: the comment is published, or held for the
    /// moderation when `review` (pre-moderation). Returns the comment and where it stands now;
    /// `None` when the link is unknown, used or expired.
    pub async fn confirm_guest_comment(
        &self,
        token_hash: &str,
        review: bool,
    ) -> Result<Option<(i64, Subject, State)>> {
        let now = OffsetDateTime::now_utc();
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE guest_confirmations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING comment_id",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let row: Option<(String, i64, Option<i64>, Option<String>)> = match id {
                Some(id) => sqlx::query_as("SELECT subject_kind, subject_id, root_id, held FROM comments WHERE id = $1")
                    .bind(id).fetch_optional(&mut *tx).await?,
                None => None,
            };
            let (Some(id), Some((kind, subject_id, root_id, held))) = (id, row) else {
                tx.rollback().await?;
                return Ok(None);
            };
            let subject = subject_of(&kind, subject_id)?;
            if held.as_deref() != Some("confirm") {
                tx.commit().await?;
                return Ok(Some((id, subject, State::Pending)));
            }
            if review {
                sqlx::query("UPDATE comments SET held = 'review', needs_review = TRUE WHERE id = $1")
                    .bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                return Ok(Some((id, subject, State::Pending)));
            }
            sqlx::query("UPDATE comments SET state = 'published', held = NULL WHERE id = $1")
                .bind(id).execute(&mut *tx).await?;
            count_published!(tx, kind.as_str(), subject_id, root_id);
            crate::notifications::comment_published(&mut *tx, id, now).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::comments(subject)])]);
            Some((id, subject, State::Published))
        });
        Ok(outcome)
    }

    /// Removes the comments of guests who did not confirm in time, and the links that ran out;
    /// returns how many comments went.
    pub async fn purge_unconfirmed(&self, now: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let n = sqlx::query(
                "DELETE FROM comments WHERE held = 'confirm' AND id IN \
                 (SELECT comment_id FROM guest_confirmations WHERE expires_at <= $1 AND used_at IS NULL)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM guest_confirmations WHERE expires_at <= $1")
                .bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            n
        });
        Ok(n)
    }

    /// The newest `limit` published comments of `subject`, replies included, whose authors are
    /// not blocked (its feed).
    pub async fn recent_comments(&self, subject: Subject, limit: i64) -> Result<Vec<Comment>> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE c.subject_kind = $1 AND c.subject_id = $2 AND c.state = 'published' \
             AND u.blocked_at IS NULL \
             AND NOT (c.guest_key IS NOT NULL AND EXISTS (SELECT 1 FROM blocked_guests bg WHERE bg.address_hash = c.guest_key)) \
             ORDER BY c.id DESC LIMIT $3"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(subject.kind.as_str()).bind(subject.id).bind(limit).fetch_all(p).await?);
        comments_of(rows)
    }

    /// Whether `user_id` has a comment or an idea that was published (a first post may be held).
    pub async fn has_posted(&self, user_id: i64) -> Result<bool> {
        let n: Option<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT id FROM comments WHERE author_id = $1 AND state <> 'pending' \
             UNION ALL SELECT id FROM ideas WHERE author_id = $1 AND NOT (hidden AND needs_review) LIMIT 1"
        ).bind(user_id).fetch_optional(p).await?);
        Ok(n.is_some())
    }

    /// Every comment of `user_id`, newest first (the data export).
    pub async fn comments_of_user(&self, user_id: i64) -> Result<Vec<Comment>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE c.author_id = $1 ORDER BY c.id DESC");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(p).await?);
        comments_of(rows)
    }

    /// The comments `user_id` upvoted (the data export).
    pub async fn comment_votes_of_user(&self, user_id: i64) -> Result<HashSet<i64>> {
        let ids: Vec<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT comment_id FROM comment_votes WHERE user_id = $1"
        ).bind(user_id).fetch_all(p).await?);
        Ok(ids.into_iter().collect())
    }
}
