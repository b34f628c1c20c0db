//! Follows and notifications, storage side.
//!
//! **Writing notifications** happens inside the transaction of the change that causes them, by
//! [`notify`] (and the helpers built on it: [`idea_status_changed`], [`comment_published`]): one
//! `INSERT … SELECT` over the followers of up to two subjects and up to three named people, so a
//! fan-out to ten thousand followers is one statement. The same statement leaves out the actor,
//! deleted, locked and blocked accounts and those who turned the kind off, and takes each
//! recipient's delivery (list only, daily digest, at once) from their settings. [`auto_follow`]
//! follows what a person writes on, unless they turned that off. These functions take the
//! transaction's connection (`&mut *tx`) of either engine ([`Conn`]).
//!
//! **Reading** (the list, the unread count, settings, follows) and the **digest** (claiming a
//! person's unmailed notifications and queueing their mail in one transaction) are `Db`
//! methods, in `notifications/read.rs` and `notifications/digest.rs`.

mod digest;
mod read;

pub use digest::DigestRecipient;
pub use read::{Follow, Notification, Prefs};

use crate::Result;
use domain::notifications::{FollowKind, Kind};
use std::future::Future;
use time::OffsetDateTime;

/// One notification to write: its kind, what it points at (a subject kind — `measure`,
/// `field`, `idea` or `comment` — and id), who caused it, and the snapshot the list and the
/// mail show.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub kind: Kind,
    pub subject_kind: &'a str,
    pub subject_id: i64,
    /// Who caused it: never told about their own action.
    pub actor: Option<i64>,
    /// The title of the thing it is about (a measure's, an idea's).
    pub title: &'a str,
    /// A text snapshot: the excerpt of a comment, a report's label, a reason.
    pub body: &'a str,
    /// A code the list translates (the moderation's decision, an idea's new status), or empty.
    pub detail: &'a str,
    /// The site-relative path it links to.
    pub link: &'a str,
}

/// Who gets a notice: the followers of up to two subjects and up to three named people (each
/// once, however many ways they qualify).
#[derive(Debug, Clone, Copy, Default)]
pub struct Audience {
    pub followers_of: [Option<(FollowKind, i64)>; 2],
    pub people: [Option<i64>; 3],
}

impl Audience {
    /// The followers of one subject.
    pub fn followers(kind: FollowKind, id: i64) -> Audience {
        Audience {
            followers_of: [Some((kind, id)), None],
            people: [None; 3],
        }
    }

    /// One person.
    pub fn person(id: i64) -> Audience {
        Audience {
            followers_of: [None, None],
            people: [Some(id), None, None],
        }
    }
}

/// The fan-out: one statement, whatever the number of followers.
const NOTIFY_SQL: &str = "INSERT INTO notifications \
     (recipient_id, kind, subject_kind, subject_id, actor_id, title, body, detail, link, by_mail, created_at) \
     SELECT r.user_id, $1, $2, $3, $4, $5, $6, $7, $8, \
     CASE COALESCE(p.delivery, 'digest') WHEN 'app' THEN 'no' ELSE COALESCE(p.delivery, 'digest') END, $9 \
     FROM (SELECT user_id FROM follows WHERE subject_kind = $10 AND subject_id = $11 \
           UNION SELECT user_id FROM follows WHERE subject_kind = $12 AND subject_id = $13 \
           UNION SELECT id AS user_id FROM users WHERE id IN ($14, $15, $16)) r \
     JOIN users u ON u.id = r.user_id \
     LEFT JOIN notification_prefs p ON p.user_id = r.user_id AND p.kind = $1 \
     WHERE r.user_id <> $17 AND u.deleted_at IS NULL AND NOT u.locked AND u.blocked_at IS NULL \
     AND COALESCE(p.delivery, 'digest') <> 'off'";

/// Follows unless the person turned following what they write on off; nothing when they follow
/// already.
const AUTO_FOLLOW_SQL: &str = "INSERT INTO follows (user_id, subject_kind, subject_id, created_at) \
     SELECT $1, $2, $3, $4 WHERE COALESCE((SELECT auto_follow FROM notification_settings WHERE user_id = $1), TRUE) \
     ON CONFLICT DO NOTHING";

/// What a comment that just became visible needs for its notices.
type CommentFacts = (
    String,
    i64,
    Option<i64>,
    bool,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

const COMMENT_FACTS_SQL: &str = "SELECT c.subject_kind, c.subject_id, c.author_id, c.official, c.body, \
     pc.author_id, rc.author_id, m.title \
     FROM comments c LEFT JOIN comments pc ON pc.id = c.parent_id LEFT JOIN comments rc ON rc.id = c.root_id \
     LEFT JOIN measures m ON c.subject_kind = 'measure' AND m.id = c.subject_id WHERE c.id = $1";

/// The connection of an open transaction (`&mut *tx`) on either engine: what [`notify`] and
/// [`auto_follow`] write through.
pub trait Conn: Send {
    #[doc(hidden)]
    fn notify_conn<'a>(
        &'a mut self,
        notice: &'a Notice<'a>,
        to: &'a Audience,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    #[doc(hidden)]
    fn auto_follow_conn<'a>(
        &'a mut self,
        user_id: i64,
        kind: FollowKind,
        subject_id: i64,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<bool>> + Send + 'a;

    #[doc(hidden)]
    fn comment_facts<'a>(
        &'a mut self,
        comment_id: i64,
    ) -> impl Future<Output = Result<Option<CommentFacts>>> + Send + 'a;
}

macro_rules! impl_conn {
    ($conn:ty) => {
        impl Conn for $conn {
            fn notify_conn<'a>(
                &'a mut self,
                n: &'a Notice<'a>,
                to: &'a Audience,
                now: OffsetDateTime,
            ) -> impl Future<Output = Result<u64>> + Send + 'a {
                async move {
                    let follow = |i: usize| {
                        to.followers_of[i]
                            .map(|(k, id)| (k.as_str(), id))
                            .unwrap_or(("", 0))
                    };
                    let (k1, id1) = follow(0);
                    let (k2, id2) = follow(1);
                    let person = |i: usize| to.people[i].unwrap_or(0);
                    let n = sqlx::query(NOTIFY_SQL)
                        .bind(n.kind.as_str())
                        .bind(n.subject_kind)
                        .bind(n.subject_id)
                        .bind(n.actor)
                        .bind(n.title)
                        .bind(n.body)
                        .bind(n.detail)
                        .bind(n.link)
                        .bind(now)
                        .bind(k1)
                        .bind(id1)
                        .bind(k2)
                        .bind(id2)
                        .bind(person(0))
                        .bind(person(1))
                        .bind(person(2))
                        .bind(n.actor.unwrap_or(0))
                        .execute(&mut *self)
                        .await?
                        .rows_affected();
                    Ok(n)
                }
            }

            fn auto_follow_conn<'a>(
                &'a mut self,
                user_id: i64,
                kind: FollowKind,
                subject_id: i64,
                now: OffsetDateTime,
            ) -> impl Future<Output = Result<bool>> + Send + 'a {
                async move {
                    let n = sqlx::query(AUTO_FOLLOW_SQL)
                        .bind(user_id)
                        .bind(kind.as_str())
                        .bind(subject_id)
                        .bind(now)
                        .execute(&mut *self)
                        .await?
                        .rows_affected();
                    Ok(n > 0)
                }
            }

            fn comment_facts<'a>(
                &'a mut self,
                comment_id: i64,
            ) -> impl Future<Output = Result<Option<CommentFacts>>> + Send + 'a {
                async move {
                    Ok(sqlx::query_as(COMMENT_FACTS_SQL)
                        .bind(comment_id)
                        .fetch_optional(&mut *self)
                        .await?)
                }
            }
        }
    };
}

impl_conn!(sqlx::SqliteConnection);
impl_conn!(sqlx::PgConnection);

/// Writes `notice` for everyone in `to`, in the caller's transaction (`&mut *tx`), at `now`;
/// returns how many notifications were written. Leaves out the actor, deleted, locked and
/// blocked accounts and everyone who turned this kind off.
pub async fn notify<C: Conn>(
    conn: &mut C,
    notice: &Notice<'_>,
    to: &Audience,
    now: OffsetDateTime,
) -> Result<u64> {
    conn.notify_conn(notice, to, now).await
}

/// Makes `user_id` follow a subject they wrote on (a comment, an idea, a supported idea), in the
/// caller's transaction — unless they turned "follow what I write on" off in their settings.
/// Returns whether a follow was added.
pub async fn auto_follow<C: Conn>(
    conn: &mut C,
    user_id: i64,
    kind: FollowKind,
    subject_id: i64,
    now: OffsetDateTime,
) -> Result<bool> {
    conn.auto_follow_conn(user_id, kind, subject_id, now).await
}

/// **For the ideas module:** the status of idea `idea_id` changed (accepted, declined, linked
/// to a measure …). Call it in the transaction that changes the status, after the change:
///
/// ```ignore
/// store::notifications::idea_status_changed(
///     &mut *tx, idea_id, author_id, Some(actor), &title, status.as_str(), &reason,
///     &format!("/ideen/{slug}"), now,
/// ).await?;
/// ```
///
/// It tells the idea's author (`author_id`; `None` for a guest's or a deleted account's idea)
/// and everyone who follows the idea (`FollowKind::Idea`), once each, never the `actor` (the
/// staff member deciding). `status` is the new status's code (shown translated in the list as
/// `notification-idea-status-<status>`), `note` a text snapshot (the reason of a decline, the
/// measure it was linked to), `link` the idea's page. Returns how many were told.
///
/// The author and supporters of an idea follow it with [`auto_follow`]`(&mut *tx, user_id,
/// FollowKind::Idea, idea_id, now)` in the transaction that writes the idea or the support.
#[expect(clippy::too_many_arguments)]
pub async fn idea_status_changed<C: Conn>(
    conn: &mut C,
    idea_id: i64,
    author_id: Option<i64>,
    actor: Option<i64>,
    title: &str,
    status: &str,
    note: &str,
    link: &str,
    now: OffsetDateTime,
) -> Result<u64> {
    let notice = Notice {
        kind: Kind::IdeaStatus,
        subject_kind: FollowKind::Idea.as_str(),
        subject_id: idea_id,
        actor,
        title,
        body: note,
        detail: status,
        link,
    };
    let to = Audience {
        followers_of: [Some((FollowKind::Idea, idea_id)), None],
        people: [author_id, None, None],
    };
    notify(conn, &notice, &to, now).await
}

/// A comment became visible (posted, confirmed by a guest, approved by the moderation): an
/// answer of the city tells the followers of its subject and the authors of the thread and of
/// the comment answered; any other reply tells the author of the comment answered.
pub(crate) async fn comment_published<C: Conn>(
    conn: &mut C,
    comment_id: i64,
    now: OffsetDateTime,
) -> Result<u64> {
    let Some((kind, subject_id, author, official, body, parent_author, root_author, title)) =
        conn.comment_facts(comment_id).await?
    else {
        return Ok(0);
    };
    let body = domain::notifications::excerpt(&body);
    let link = format!("/kommentare/{comment_id}");
    let title = title.unwrap_or_default();
    let follow_kind = match kind.as_str() {
        "measure" => Some(FollowKind::Measure),
        "idea" => Some(FollowKind::Idea),
        _ => None,
    };
    let (kind, to) = if official {
        (
            Kind::Official,
            Audience {
                followers_of: [follow_kind.map(|k| (k, subject_id)), None],
                people: [root_author, parent_author, None],
            },
        )
    } else if let Some(parent_author) = parent_author {
        (Kind::Reply, Audience::person(parent_author))
    } else {
        return Ok(0);
    };
    let notice = Notice {
        kind,
        subject_kind: "comment",
        subject_id: comment_id,
        actor: author,
        title: &title,
        body: &body,
        detail: "",
        link: &link,
    };
    notify(conn, &notice, &to, now).await
}

/// The moderation's decision on a comment, for its author: `detail` is `hidden`, `shown` or
/// `approved`, `reason` the public reason of a hiding.
pub(crate) async fn comment_moderated<C: Conn>(
    conn: &mut C,
    comment_id: i64,
    actor: Option<i64>,
    detail: &str,
    reason: &str,
    now: OffsetDateTime,
) -> Result<u64> {
    let Some((_, _, Some(author), _, _, _, _, title)) = conn.comment_facts(comment_id).await?
    else {
        return Ok(0);
    };
    let link = format!("/kommentare/{comment_id}");
    let notice = Notice {
        kind: Kind::Moderation,
        subject_kind: "comment",
        subject_id: comment_id,
        actor,
        title: title.as_deref().unwrap_or(""),
        body: reason,
        detail,
        link: &link,
    };
    notify(conn, &notice, &Audience::person(author), now).await
}

/// What a person follows when they comment on a subject of this kind (nothing for an event's
/// session: replies to their comment still reach them).
pub(crate) fn follow_kind_of(kind: domain::comments::SubjectKind) -> Option<FollowKind> {
    match kind {
        domain::comments::SubjectKind::Measure => Some(FollowKind::Measure),
        domain::comments::SubjectKind::Idea => Some(FollowKind::Idea),
        domain::comments::SubjectKind::Session => None,
    }
}

/// Removes a person's follows, notifications and settings (`$1`: the person), when their
/// account is deleted.
pub(crate) const DELETE_PERSONAL: [&str; 4] = [
    "DELETE FROM follows WHERE user_id = $1",
    "DELETE FROM notifications WHERE recipient_id = $1",
    "DELETE FROM notification_prefs WHERE user_id = $1",
    "DELETE FROM notification_settings WHERE user_id = $1",
];

/// A progress report on measure `measure_id` (in field of action `field_id`): its followers
/// and the followers of the field hear of it, once each.
#[expect(clippy::too_many_arguments)]
pub(crate) async fn progress_reported<C: Conn>(
    conn: &mut C,
    measure_id: i64,
    field_id: i64,
    actor: i64,
    title: &str,
    label: &str,
    link: &str,
    now: OffsetDateTime,
) -> Result<u64> {
    let notice = Notice {
        kind: Kind::Progress,
        subject_kind: FollowKind::Measure.as_str(),
        subject_id: measure_id,
        actor: Some(actor),
        title,
        body: label,
        detail: "",
        link,
    };
    let to = Audience {
        followers_of: [
            Some((FollowKind::Measure, measure_id)),
            Some((FollowKind::Field, field_id)),
        ],
        people: [None; 3],
    };
    notify(conn, &notice, &to, now).await
}
