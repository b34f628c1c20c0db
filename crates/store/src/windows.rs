//! Participation windows: whether a discussion takes new comments, replies and upvotes, set for
//! the strategy, a field of action or a measure (the most specific decides). Posts check the
//! window in their own transaction; a change is audited and drops every page with a discussion
//! (tag `windows`), and so does a window that opens or closes by its dates (`window_turns`).

use crate::{Db, Result, on_db};
use domain::comments::{Subject, SubjectKind};
use domain::participation::{Scope, Window};
use time::OffsetDateTime;

/// The windows that exist for a measure, its field and its strategy: one query.
pub(crate) const MEASURE_WINDOWS: &str = "SELECT w.scope, w.closed_at, w.opens_at, w.closes_at FROM measures m \
     JOIN fields_of_action f ON f.id = m.field_id JOIN core_areas c ON c.id = f.core_area_id \
     JOIN participation_windows w ON (w.scope = 'measure' AND w.scope_id = m.id) \
     OR (w.scope = 'field' AND w.scope_id = f.id) OR (w.scope = 'strategy' AND w.scope_id = c.strategy_id) \
     WHERE m.id = $1";

/// The windows that exist for an idea's field of action and its strategy (an idea's discussion
/// follows its field): one query.
pub(crate) const IDEA_WINDOWS: &str = "SELECT w.scope, w.closed_at, w.opens_at, w.closes_at FROM ideas i \
     JOIN fields_of_action f ON f.id = i.field_id JOIN core_areas c ON c.id = f.core_area_id \
     JOIN participation_windows w ON (w.scope = 'field' AND w.scope_id = f.id) \
     OR (w.scope = 'strategy' AND w.scope_id = c.strategy_id) \
     WHERE i.id = $1";

/// The windows of a field of action and its strategy (new ideas in the field): one query.
pub(crate) const FIELD_WINDOWS: &str = "SELECT w.scope, w.closed_at, w.opens_at, w.closes_at FROM fields_of_action f \
     JOIN core_areas c ON c.id = f.core_area_id \
     JOIN participation_windows w ON (w.scope = 'field' AND w.scope_id = f.id) \
     OR (w.scope = 'strategy' AND w.scope_id = c.strategy_id) \
     WHERE f.id = $1";

/// An event's sessions are not part of the strategy: no window applies to their discussions
/// (they take comments while the event is published; `comments::post_checks_sql`). The query
/// has the columns of the others and no rows.
pub(crate) const SESSION_WINDOWS: &str = "SELECT w.scope, w.closed_at, w.opens_at, w.closes_at FROM participation_windows w \
     WHERE w.scope_id = $1 AND w.scope = 'session'";

/// The query of the windows that apply to a discussion of `kind`.
pub(crate) fn windows_sql(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Measure => MEASURE_WINDOWS,
        SubjectKind::Idea => IDEA_WINDOWS,
        SubjectKind::Session => SESSION_WINDOWS,
    }
}

pub(crate) type WindowRow = (
    String,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
);

/// The window that decides, from the rows of [`MEASURE_WINDOWS`].
pub(crate) fn decide(rows: Vec<WindowRow>) -> Window {
    let windows: Vec<(Scope, Window)> = rows
        .into_iter()
        .filter_map(|(scope, closed_at, opens_at, closes_at)| {
            Some((
                Scope::parse(&scope)?,
                Window {
                    closed_at,
                    opens_at,
                    closes_at,
                },
            ))
        })
        .collect();
    domain::participation::effective(&windows)
}

/// The window of `$subject`'s discussion, read in transaction `$tx`.
macro_rules! window_in {
    ($tx:ident, $subject:expr) => {{
        let subject: domain::comments::Subject = $subject;
        let rows: Vec<$crate::windows::WindowRow> =
            sqlx::query_as($crate::windows::windows_sql(subject.kind))
                .bind(subject.id)
                .fetch_all(&mut *$tx)
                .await?;
        $crate::windows::decide(rows)
    }};
}
pub(crate) use window_in;

/// One window as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedWindow {
    pub scope: Scope,
    pub scope_id: i64,
    pub window: Window,
}

impl Db {
    /// The window of a discussion.
    pub async fn discussion_window(&self, subject: Subject) -> Result<Window> {
        let rows: Vec<WindowRow> = on_db!(self, p => sqlx::query_as(windows_sql(subject.kind))
                .bind(subject.id).fetch_all(p).await?);
        Ok(decide(rows))
    }

    /// The window of new ideas in the field of action `field_id`.
    pub async fn field_window(&self, field_id: i64) -> Result<Window> {
        let rows: Vec<WindowRow> = on_db!(self, p => sqlx::query_as(FIELD_WINDOWS)
                .bind(field_id).fetch_all(p).await?);
        Ok(decide(rows))
    }

    /// Every window that is set.
    pub async fn windows(&self) -> Result<Vec<ScopedWindow>> {
        #[derive(sqlx::FromRow)]
        struct Listed {
            scope: String,
            scope_id: i64,
            closed_at: Option<OffsetDateTime>,
            opens_at: Option<OffsetDateTime>,
            closes_at: Option<OffsetDateTime>,
        }
        let rows: Vec<Listed> = on_db!(self, p => sqlx::query_as(
                "SELECT scope, scope_id, closed_at, opens_at, closes_at FROM participation_windows ORDER BY scope, scope_id"
            ).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(ScopedWindow {
                    scope: Scope::parse(&r.scope)?,
                    scope_id: r.scope_id,
                    window: Window {
                        closed_at: r.closed_at,
                        opens_at: r.opens_at,
                        closes_at: r.closes_at,
                    },
                })
            })
            .collect())
    }

    /// Sets (`Some`) or removes (`None`: the wider window decides again) the window of a scope,
    /// audited as `participation.window` by `actor`. A window closed by hand keeps the time it
    /// was first closed.
    pub async fn set_window(
        &self,
        actor: i64,
        scope: Scope,
        scope_id: i64,
        window: Option<Window>,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<(Option<OffsetDateTime>, Option<OffsetDateTime>, Option<OffsetDateTime>)> = sqlx::query_as(
                "SELECT closed_at, opens_at, closes_at FROM participation_windows WHERE scope = $1 AND scope_id = $2",
            )
            .bind(scope.as_str())
            .bind(scope_id)
            .fetch_optional(&mut *tx)
            .await?;
            let describe = |w: &Window| {
                let f = |t: Option<OffsetDateTime>| t.map(|t| t.date().to_string()).unwrap_or_default();
                match w.closed_at {
                    Some(at) => format!("closed since {}", at.date()),
                    None => format!("open {}..{}", f(w.opens_at), f(w.closes_at)),
                }
            };
            let before_text = before.map(|(c, o, e)| describe(&Window { closed_at: c, opens_at: o, closes_at: e }));
            let after_text = match window {
                Some(mut w) => {
                    // Closing again keeps the first closing time.
                    if let (Some(_), Some((Some(first), _, _))) = (w.closed_at, before) {
                        w.closed_at = Some(first);
                    }
                    sqlx::query(
                        "INSERT INTO participation_windows (scope, scope_id, closed_at, opens_at, closes_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, scope_id) DO UPDATE SET \
                         closed_at = excluded.closed_at, opens_at = excluded.opens_at, closes_at = excluded.closes_at, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(scope.as_str())
                    .bind(scope_id)
                    .bind(w.closed_at)
                    .bind(w.opens_at)
                    .bind(w.closes_at)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    Some(describe(&w))
                }
                None => {
                    sqlx::query("DELETE FROM participation_windows WHERE scope = $1 AND scope_id = $2")
                        .bind(scope.as_str())
                        .bind(scope_id)
                        .execute(&mut *tx)
                        .await?;
                    None
                }
            };
            sqlx::query(crate::audit::INSERT_AUDIT)
                .bind(now)
                .bind(actor)
                .bind("participation.window")
                .bind(scope.as_str())
                .bind(scope_id)
                .bind(before_text)
                .bind(after_text)
                .execute(&mut *tx)
                .await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::WINDOWS])]);
        });
        Ok(())
    }

    /// Whether a window opened or closed by its dates after `from` up to `to`.
    pub async fn window_turns(&self, from: OffsetDateTime, to: OffsetDateTime) -> Result<bool> {
        let n: i64 = on_db!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM participation_windows WHERE closed_at IS NULL AND \
             ((opens_at > $1 AND opens_at <= $2) OR (closes_at > $1 AND closes_at <= $2))"
        ).bind(from).bind(to).fetch_one(p).await?);
        Ok(n > 0)
    }
}
