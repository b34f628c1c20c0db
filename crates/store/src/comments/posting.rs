//! Posting a comment inside the group-commit writer's transaction: the one query of checks
//! before it writes, the owned form of a post the writer queues, and the post itself.

use super::{Author, NewComment, Refusal};
use crate::comments::Limit;
use domain::comments::{Subject, SubjectKind};
use time::OffsetDateTime;

/// What a post reads before it writes, in one query (`$1` the subject, `$2` the author or
/// NULL): the rows of the discussion's participation windows (`windows::windows_sql`), a row
/// `open` when the subject takes comments (a published measure, an idea not hidden, a session
/// of a published event that is not cancelled), a row
/// `blocked` when the author is blocked by the moderation. The windows come first, so that
/// PostgreSQL types the NULL columns of the other rows from them.
pub(crate) fn post_checks_sql(kind: SubjectKind) -> &'static str {
    use std::sync::LazyLock;
    // The author's account, or a guest's keyed address hash (`$3`), blocked by the moderation.
    const BLOCKED: &str = " UNION ALL SELECT 'blocked', NULL, NULL, NULL FROM users WHERE id = $2 AND blocked_at IS NOT NULL \
         UNION ALL SELECT 'blocked', NULL, NULL, NULL FROM blocked_guests WHERE address_hash = $3";
    static MEASURE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} UNION ALL SELECT 'open', NULL, NULL, NULL FROM measures WHERE id = $1 AND state = 'published'{BLOCKED}",
            crate::windows::MEASURE_WINDOWS
        )
    });
    static IDEA: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} UNION ALL SELECT 'open', NULL, NULL, NULL FROM ideas WHERE id = $1 AND NOT hidden{BLOCKED}",
            crate::windows::IDEA_WINDOWS
        )
    });
    // A session takes comments while its event is published and it is not cancelled.
    static SESSION: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} UNION ALL SELECT 'open', NULL, NULL, NULL FROM programme_sessions s \
             JOIN programme_events e ON e.id = s.event_id \
             WHERE s.id = $1 AND e.state = 'published' AND s.state <> 'cancelled'{BLOCKED}",
            crate::windows::SESSION_WINDOWS
        )
    });
    match kind {
        SubjectKind::Measure => MEASURE.as_str(),
        SubjectKind::Idea => IDEA.as_str(),
        SubjectKind::Session => SESSION.as_str(),
    }
}

/// Why the rows of [`post_checks_sql`] refuse a post at `now`, if they do.
pub(crate) fn post_refusal(
    rows: Vec<crate::windows::WindowRow>,
    now: OffsetDateTime,
) -> Option<Refusal> {
    let open = rows.iter().any(|r| r.0 == "open");
    let blocked = rows.iter().any(|r| r.0 == "blocked");
    let window = crate::windows::decide(
        rows.into_iter()
            .filter(|r| r.0 != "open" && r.0 != "blocked")
            .collect(),
    );
    if !open {
        Some(Refusal::NotFound)
    } else if !window.state(now).is_open() {
        Some(Refusal::Closed)
    } else if blocked {
        Some(Refusal::Blocked)
    } else {
        None
    }
}

/// A guest's part of a comment, owned (see [`Guest`]).
#[derive(Debug, Clone)]
pub(crate) struct GuestPosting {
    pub(crate) name: String,
    pub(crate) address_hash: String,
    pub(crate) token_hash: String,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) mail: crate::mail::Outgoing,
}

/// A comment to post, owned, as the group-commit writer takes it (see [`NewComment`]).
#[derive(Debug, Clone)]
pub(crate) struct Posting {
    pub(crate) subject: Subject,
    pub(crate) parent_id: Option<i64>,
    pub(crate) author_id: Option<i64>,
    pub(crate) guest: Option<GuestPosting>,
    pub(crate) body: String,
    pub(crate) body_html: String,
    pub(crate) official: bool,
    pub(crate) limits: Vec<Limit>,
    pub(crate) posted_at: Option<OffsetDateTime>,
    pub(crate) hold: bool,
}

impl Posting {
    pub(crate) fn of(new: &NewComment<'_>) -> Posting {
        let (author_id, guest) = match new.author {
            Author::Account(id) => (Some(id), None),
            Author::Guest(g) => (
                None,
                Some(GuestPosting {
                    name: g.name.to_string(),
                    address_hash: g.address_hash.to_string(),
                    token_hash: g.token_hash.to_string(),
                    expires_at: g.expires_at,
                    mail: g.mail.clone(),
                }),
            ),
        };
        Posting {
            subject: new.subject,
            parent_id: new.parent_id,
            author_id,
            guest,
            body: new.body.to_string(),
            body_html: new.body_html.to_string(),
            official: new.official && author_id.is_some(),
            limits: new.limits.to_vec(),
            posted_at: new.posted_at,
            hold: new.hold,
        }
    }
}

/// Posts `$new` (a [`Posting`]) at `$now` in the open transaction `$tx` (inside the writer's
/// savepoint): evaluates to `Result<Result<(id, tags to publish), Refusal>>`. A refusal leaves
/// writes behind that the caller rolls back (the rate-limit hits).
macro_rules! post_in {
    ($tx:ident, $new:expr, $now:expr) => {
        async {
            let new: &$crate::comments::Posting = $new;
            let now: time::OffsetDateTime = $now;
            let posted = new.posted_at.unwrap_or(now);
            let kind = new.subject.kind.as_str();
            let rows: Vec<$crate::windows::WindowRow> =
                sqlx::query_as($crate::comments::post_checks_sql(new.subject.kind))
                    .bind(new.subject.id)
                    .bind(new.author_id)
                    .bind(new.guest.as_ref().map(|g| g.address_hash.as_str()))
                    .fetch_all(&mut *$tx)
                    .await?;
            if let Some(refusal) = $crate::comments::post_refusal(rows, now) {
                return Ok::<_, $crate::StoreError>(Err(refusal));
            }
            // The comment answered: its subject, depth, thread, state and author (who hears of
            // the reply).
            let (root_id, depth) = match new.parent_id {
                None => (None, 0),
                Some(parent) => {
                    let row: Option<(String, i64, i64, Option<i64>, String)> = sqlx::query_as(
                        "SELECT subject_kind, subject_id, depth, root_id, state FROM comments WHERE id = $1",
                    )
                    .bind(parent)
                    .fetch_optional(&mut *$tx)
                    .await?;
                    let Some((pk, pid, pdepth, proot, pstate)) = row else {
                        return Ok::<_, $crate::StoreError>(Err($crate::comments::Refusal::NotFound));
                    };
                    if pk != kind || pid != new.subject.id {
                        return Ok::<_, $crate::StoreError>(Err($crate::comments::Refusal::NotFound));
                    }
                    if pstate != domain::comments::State::Published.as_str() {
                        return Ok::<_, $crate::StoreError>(Err($crate::comments::Refusal::ParentClosed));
                    }
                    if pdepth >= domain::comments::MAX_DEPTH {
                        return Ok::<_, $crate::StoreError>(Err($crate::comments::Refusal::TooDeep));
                    }
                    (Some(proot.unwrap_or(parent)), pdepth + 1)
                }
            };
            if let Some(until) = $crate::comments::count_hits!($tx, &new.limits, now) {
                return Ok::<_, $crate::StoreError>(Err($crate::comments::Refusal::RateLimited(until)));
            }
            let (state, held) = match new.guest {
                None if new.hold => (domain::comments::State::Pending, Some("review")),
                None => (domain::comments::State::Published, None),
                Some(_) => (domain::comments::State::Pending, Some("confirm")),
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO comments (subject_kind, subject_id, parent_id, root_id, depth, author_id, state, official, body, body_html, created_at, guest_name, held, needs_review, guest_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(kind)
            .bind(new.subject.id)
            .bind(new.parent_id)
            .bind(root_id)
            .bind(depth)
            .bind(new.author_id)
            .bind(state.as_str())
            .bind(new.official)
            .bind(&new.body)
            .bind(&new.body_html)
            .bind(posted)
            .bind(new.guest.as_ref().map(|g| g.name.as_str()))
            .bind(held)
            .bind(held == Some("review"))
            .bind(new.guest.as_ref().map(|g| g.address_hash.as_str()))
            .fetch_one(&mut *$tx)
            .await?;
            // Writing on something follows it (unless the person turned that off).
            if let Some(author) = new.author_id
                && let Some(kind) = $crate::notifications::follow_kind_of(new.subject.kind)
            {
                $crate::notifications::auto_follow(&mut *$tx, author, kind, new.subject.id, posted).await?;
            }
            if let Some(g) = &new.guest {
                sqlx::query(
                    "INSERT INTO guest_confirmations (token_hash, comment_id, address_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&g.token_hash)
                .bind(id)
                .bind(&g.address_hash)
                .bind(now)
                .bind(g.expires_at)
                .execute(&mut *$tx)
                .await?;
                $crate::mail::enqueue_in!($tx, g.mail, now);
                // Not shown before it is confirmed: no counter changes, no page changes.
                return Ok::<_, $crate::StoreError>(Ok((id, Vec::new())));
            }
            if state == domain::comments::State::Pending {
                // Held for the moderation: no counter changes, no page changes.
                return Ok::<_, $crate::StoreError>(Ok((id, Vec::new())));
            }
            $crate::comments::count_published!($tx, kind, new.subject.id, root_id);
            // Only a reply or an answer of the city tells anyone (`comment_published`); a plain
            // top-level comment is not read back for nothing.
            if new.official || new.parent_id.is_some() {
                $crate::notifications::comment_published(&mut *$tx, id, posted).await?;
            }
            Ok::<_, $crate::StoreError>(Ok((id, vec![domain::tags::comments(new.subject)])))
        }
    };
}
pub(crate) use post_in;
