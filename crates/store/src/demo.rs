//! Demo data that says so. `site_state.demo` is set while the strategy in the database is demo
//! content: the Musterstadt demo that `serve` loads into an empty database, or the synthetic data
//! of `demo-data`. Public pages show a banner while it is set (the chrome reads
//! [`Db::demo_active`]). The demo goes with [`Db::remove_demo`] (back office, `demo remove`) or
//! when a real strategy is imported, which replaces it; both clear the flag, write the audit log
//! and publish the `site` cache tag, so every cached page drops the banner.
//!
//! Removing the demo removes the whole strategy: while the flag is set everything in it is demo
//! content, including what was changed or added on top of it in the back office. Accounts,
//! settings, texts, branding, uploads and the audit log stay. An editor restricted to fields of
//! action of the demo loses the editor role: with the fields gone the restriction would be gone
//! too, and the person would be an unrestricted editor.

use crate::import::ImportSummary;
use crate::{Db, Result, on_db};
use domain::import::Plan;
use serde::Serialize;
use time::OffsetDateTime;

/// What removing the demo removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoRemoval {
    pub measures: i64,
    pub reports: i64,
    pub core_areas: i64,
    pub fields: i64,
    pub focus_areas: i64,
    /// People who lost the editor role because they were restricted to fields of the demo.
    pub restricted_editors: i64,
}

/// The addresses of the made-up people of the demo's participation (never deliverable: the
/// `.invalid` top-level domain). They go with the demo.
pub const DEMO_PEOPLE_DOMAIN: &str = "demo.stadtradar.invalid";

/// The rows of the strategy, children first (so no statement leaves a dangling reference): the
/// ideas proposed in its fields with their discussions and supports, the discussions of its
/// measures, its measures and their parts, the taxonomy, and the demo's made-up people (ratings
/// and votes go with them and the measures). Follows of measures, fields and ideas and the
/// notifications about them go too: their numbers would be given again. The demo's events go
/// with their rooms, sessions and links; its offers with their schedules and links, then its
/// providers (with whatever else they offer), postcodes and districts. Offers of the city's own
/// keep their place and lose a demo district, a demo target group or a demo measure. The demo's
/// newsletter issues (the archive) and made-up subscribers go too.
pub(crate) const DELETE_STRATEGY: [&str; 41] = [
    // The discussions of the demo's sessions go with them.
    "DELETE FROM comment_votes WHERE comment_id IN (SELECT c.id FROM comments c WHERE c.subject_kind = 'session' \
     AND c.subject_id IN (SELECT s.id FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id WHERE e.demo))",
    "DELETE FROM comments WHERE subject_kind = 'session' \
     AND subject_id IN (SELECT s.id FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id WHERE e.demo)",
    "DELETE FROM comment_counts WHERE subject_kind = 'session' \
     AND subject_id IN (SELECT s.id FROM programme_sessions s JOIN programme_events e ON e.id = s.event_id WHERE e.demo)",
    "DELETE FROM programme_events WHERE demo",
    "DELETE FROM newsletter_issues WHERE demo",
    "DELETE FROM newsletter_subscribers WHERE demo",
    "DELETE FROM offers WHERE demo OR provider_id IN (SELECT id FROM providers WHERE demo)",
    "DELETE FROM volunteer_roles WHERE demo OR provider_id IN (SELECT id FROM providers WHERE demo)",
    "DELETE FROM providers WHERE demo",
    "DELETE FROM postcodes WHERE demo",
    "DELETE FROM districts WHERE demo",
    "DELETE FROM follows WHERE subject_kind IN ('measure', 'field', 'idea')",
    "DELETE FROM notifications WHERE subject_kind IN ('measure', 'field', 'comment', 'idea')",
    "DELETE FROM comment_votes WHERE comment_id IN (SELECT id FROM comments WHERE subject_kind = 'idea')",
    "DELETE FROM comments WHERE subject_kind = 'idea'",
    "DELETE FROM comment_counts WHERE subject_kind = 'idea'",
    "DELETE FROM idea_supports",
    "DELETE FROM ideas",
    "DELETE FROM comment_votes WHERE comment_id IN (SELECT id FROM comments WHERE subject_kind = 'measure')",
    "DELETE FROM comments WHERE subject_kind = 'measure'",
    "DELETE FROM comment_counts WHERE subject_kind = 'measure'",
    "DELETE FROM measure_departments",
    "DELETE FROM measure_target_groups",
    "DELETE FROM measure_tags",
    "DELETE FROM measure_decisions",
    "DELETE FROM kpis",
    "DELETE FROM milestones",
    "DELETE FROM progress_reports",
    "DELETE FROM measures",
    "DELETE FROM departments",
    "DELETE FROM target_groups",
    "DELETE FROM tags",
    "DELETE FROM council_decisions",
    "DELETE FROM editor_fields",
    "DELETE FROM focus_areas",
    "DELETE FROM fields_of_action",
    "DELETE FROM core_areas",
    "DELETE FROM editions",
    "DELETE FROM strategies",
    "DELETE FROM user_roles WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%@demo.stadtradar.invalid')",
    "DELETE FROM users WHERE email LIKE '%@demo.stadtradar.invalid' AND id NOT IN (SELECT actor_id FROM audit_log WHERE actor_id IS NOT NULL)",
];

/// Removes the demo inside the open transaction `$tx`: the whole strategy, the editor role of
/// people restricted to its fields (each with a `user.roles` audit entry), the flag; writes the
/// `demo.remove` audit entry with what was removed and `$how` (`"remove"`, `"import"`).
/// Evaluates to the [`DemoRemoval`]. A macro because the transaction's type differs per engine.
macro_rules! remove_demo_in {
    ($tx:ident, $actor:expr, $now:expr, $how:expr) => {{
        let actor: Option<i64> = $actor;
        let now: time::OffsetDateTime = $now;
        let mut removed = $crate::demo::DemoRemoval::default();
        for (n, sql) in [
            (&mut removed.measures, "SELECT COUNT(*) FROM measures"),
            (&mut removed.reports, "SELECT COUNT(*) FROM progress_reports"),
            (&mut removed.core_areas, "SELECT COUNT(*) FROM core_areas"),
            (&mut removed.fields, "SELECT COUNT(*) FROM fields_of_action"),
            (&mut removed.focus_areas, "SELECT COUNT(*) FROM focus_areas"),
        ] {
            *n = sqlx::query_scalar(sql).fetch_one(&mut *$tx).await?;
        }
        let restricted: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT e.user_id FROM editor_fields e JOIN user_roles r ON r.user_id = e.user_id \
             AND r.role = 'editor' ORDER BY e.user_id",
        )
        .fetch_all(&mut *$tx)
        .await?;
        for user_id in &restricted {
            let before: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user_id).fetch_all(&mut *$tx).await?;
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = 'editor'")
                .bind(user_id).execute(&mut *$tx).await?;
            let after: Vec<&str> = before.iter().map(String::as_str).filter(|r| *r != "editor").collect();
            sqlx::query($crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("user.roles").bind("user").bind(user_id)
                .bind(before.join(",")).bind(after.join(",")).execute(&mut *$tx).await?;
        }
        removed.restricted_editors = restricted.len() as i64;
        sqlx::query("UPDATE measures SET parent_id = NULL WHERE parent_id IS NOT NULL")
            .execute(&mut *$tx).await?;
        for sql in $crate::demo::DELETE_STRATEGY {
            sqlx::query(sql).execute(&mut *$tx).await?;
        }
        sqlx::query("UPDATE site_state SET demo = FALSE, demo_removed_at = $1 WHERE id = 1")
            .bind(now).execute(&mut *$tx).await?;
        let after = serde_json::json!({ "how": $how, "removed": &removed });
        sqlx::query($crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("demo.remove").bind("demo")
            .bind(None::<i64>).bind(None::<String>).bind(after.to_string()).execute(&mut *$tx).await?;
        removed
    }};
}
pub(crate) use remove_demo_in;

/// Reads the flag inside a write transaction and locks its row until the commit: an UPDATE that
/// changes nothing. On PostgreSQL a second transaction waits here and then reads the committed
/// value, so two imports (or an import and a removal) at once cannot both remove the demo, the
/// second deleting what the first imported. SQLite has one writer anyway.
pub(crate) const LOCK_DEMO_FLAG: &str =
    "UPDATE site_state SET demo = demo WHERE id = 1 RETURNING demo";

impl Db {
    /// Whether the strategy in the database is demo content (public pages say so).
    pub async fn demo_active(&self) -> Result<bool> {
        let v: Option<bool> = on_db!(self, p => sqlx::query_scalar("SELECT demo FROM site_state WHERE id = 1")
            .fetch_optional(p).await?);
        Ok(v.unwrap_or(false))
    }

    /// When the demo was removed, if it was: `serve` does not load it again then.
    pub async fn demo_removed_at(&self) -> Result<Option<OffsetDateTime>> {
        let v: Option<Option<OffsetDateTime>> = on_db!(self, p => sqlx::query_scalar(
            "SELECT demo_removed_at FROM site_state WHERE id = 1"
        ).fetch_optional(p).await?);
        Ok(v.flatten())
    }

    /// Loads `plan` as demo content and sets the flag, in the import's transaction. Only into a
    /// database without a strategy or with demo content: `None` (nothing written) when it holds
    /// a real strategy, so demo measures never mix with a city's own.
    pub async fn load_demo(&self, plan: &Plan) -> Result<Option<ImportSummary>> {
        self.apply_import_as(plan, false, None, true).await
    }

    /// Removes the demo (see the module): the whole strategy in one transaction, audited, the
    /// flag cleared and `site` published so every cached page drops the banner. `None` when no
    /// demo is active (nothing changed).
    pub async fn remove_demo(&self, actor: Option<i64>) -> Result<Option<DemoRemoval>> {
        let now = OffsetDateTime::now_utc();
        let removed = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let active: Option<bool> = sqlx::query_scalar(LOCK_DEMO_FLAG)
                .fetch_optional(&mut *tx).await?;
            if active != Some(true) {
                tx.rollback().await?;
                return Ok(None);
            }
            let removed = remove_demo_in!(tx, actor, now, "remove");
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::SITE])]);
            removed
        });
        Ok(Some(removed))
    }
}

/// Rows per statement of the generated data (well below SQLite's limit of bound values).
const GENERATED_BATCH: usize = 500;

impl Db {
    /// Creates `n` made-up citizens for benchmark data sets (addresses under
    /// [`DEMO_PEOPLE_DOMAIN`], no password: they cannot sign in), in batches; their ids.
    pub async fn generate_people(&self, n: usize, prefix: &str) -> Result<Vec<i64>> {
        let now = OffsetDateTime::now_utc();
        let mut ids = Vec::with_capacity(n);
        for start in (0..n).step_by(GENERATED_BATCH) {
            let end = (start + GENERATED_BATCH).min(n);
            let values = (0..end - start)
                .map(|i| format!("(${}, ${}, $1, $1)", 2 + 2 * i, 3 + 2 * i))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO users (email, display_name, created_at, updated_at) VALUES {values} RETURNING id"
            );
            let batch: Vec<i64> = on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(now);
                for i in start..end {
                    q = q
                        .bind(format!("{prefix}-{i}@{DEMO_PEOPLE_DOMAIN}"))
                        .bind(format!("Person {}", i + 1));
                }
                let mut batch: Vec<i64> = q.fetch_all(&mut *tx).await?;
                batch.sort_unstable();
                let roles = batch
                    .iter()
                    .enumerate()
                    .map(|(i, _)| format!("(${}, 'citizen')", i + 1))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!("INSERT INTO user_roles (user_id, role) VALUES {roles}");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in &batch {
                    q = q.bind(*id);
                }
                q.execute(&mut *tx).await?;
                tx.commit().await?;
                batch
            });
            ids.extend(batch);
        }
        Ok(ids)
    }

    /// Adds `n` published top-level comments by `authors` (in turn) to the discussion of
    /// measure `measure_id`, one a minute up to now, in batches; the discussion's count is kept
    /// with each batch. For benchmark data sets.
    pub async fn generate_comments(
        &self,
        measure_id: i64,
        authors: &[i64],
        n: usize,
        offset: usize,
    ) -> Result<()> {
        if authors.is_empty() {
            return Ok(());
        }
        let now = OffsetDateTime::now_utc();
        for start in (0..n).step_by(GENERATED_BATCH) {
            let end = (start + GENERATED_BATCH).min(n);
            let values = (0..end - start)
                .map(|i| {
                    let b = 2 + 4 * i;
                    format!(
                        "('measure', $1, 0, ${}, 'published', ${}, ${}, ${})",
                        b,
                        b + 1,
                        b + 2,
                        b + 3
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO comments (subject_kind, subject_id, depth, author_id, state, body, body_html, created_at) VALUES {values}"
            );
            on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(measure_id);
                for i in start..end {
                    let k = offset + i;
                    let body = GENERATED_TEXTS[k % GENERATED_TEXTS.len()];
                    q = q
                        .bind(authors[k % authors.len()])
                        .bind(body)
                        .bind(format!("<p>{body}</p>\n"))
                        .bind(now - time::Duration::minutes((n - i) as i64));
                }
                q.execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO comment_counts (subject_kind, subject_id, count) VALUES ('measure', $1, $2) \
                     ON CONFLICT (subject_kind, subject_id) DO UPDATE SET count = comment_counts.count + excluded.count",
                )
                .bind(measure_id)
                .bind((end - start) as i64)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            });
        }
        Ok(())
    }
}

impl Db {
    /// Adds `n` ideas by `authors` (in turn) in the fields of action that take ideas, one every
    /// ten minutes up to now, in all statuses, each supported by up to 19 of the others (the
    /// support rows and the counter written together), in batches. For benchmark data sets.
    pub async fn generate_ideas(&self, authors: &[i64], n: usize) -> Result<()> {
        use domain::ideas::IdeaStatus;
        let fields: Vec<i64> = self.idea_fields().await?.into_iter().map(|f| f.0).collect();
        if authors.is_empty() || fields.is_empty() {
            return Ok(());
        }
        let now = OffsetDateTime::now_utc();
        let statuses = [
            IdeaStatus::Submitted,
            IdeaStatus::Submitted,
            IdeaStatus::InReview,
            IdeaStatus::Accepted,
            IdeaStatus::Rejected,
        ];
        // Eleven values a row; batches of 100 ideas keep PostgreSQL under its 65,535 parameters.
        const IDEAS_BATCH: usize = 100;
        for start in (0..n).step_by(IDEAS_BATCH) {
            let end = (start + IDEAS_BATCH).min(n);
            let values = (0..end - start)
                .map(|i| {
                    let b = 1 + 11 * i;
                    let cols: Vec<String> = (b..b + 11).map(|n| format!("${n}")).collect();
                    format!("({})", cols.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO ideas (field_id, author_id, title, description, description_html, benefit, \
                 status, status_rank, supports, created_at, search_text) VALUES {values} RETURNING id, author_id, supports"
            );
            on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for k in start..end {
                    let (title, text) = GENERATED_IDEAS[k % GENERATED_IDEAS.len()];
                    let status = statuses[k % statuses.len()];
                    let supports = (k * 7 % 20).min(authors.len().saturating_sub(1)) as i64;
                    q = q
                        .bind(fields[k % fields.len()])
                        .bind(authors[k % authors.len()])
                        .bind(format!("{title} ({})", k + 1))
                        .bind(text)
                        .bind(format!("<p>{text}</p>\n"))
                        .bind(GENERATED_TEXTS[k % GENERATED_TEXTS.len()])
                        .bind(status.as_str())
                        .bind(status.rank())
                        .bind(supports)
                        .bind(now - time::Duration::minutes(10 * (n - k) as i64))
                        .bind(domain::text::search_document(&[title, text]));
                }
                let rows: Vec<(i64, i64, i64)> = q.fetch_all(&mut *tx).await?;
                // Their supports: the next authors after each idea's own, as many as counted.
                let pairs: Vec<(i64, i64)> = rows
                    .iter()
                    .flat_map(|(id, author, supports)| {
                        let at = authors.iter().position(|a| a == author).unwrap_or(0);
                        (1..=*supports as usize).map(move |j| (*id, authors[(at + j) % authors.len()]))
                    })
                    .collect();
                for chunk in pairs.chunks(GENERATED_BATCH) {
                    let values = (0..chunk.len())
                        .map(|i| format!("(${}, ${}, $1)", 2 + 2 * i, 3 + 2 * i))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "INSERT INTO idea_supports (idea_id, user_id, created_at) VALUES {values}"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
                    for (idea, user) in chunk {
                        q = q.bind(*idea).bind(*user);
                    }
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
            });
        }
        Ok(())
    }
}

/// Titles and descriptions of generated ideas.
const GENERATED_IDEAS: [(&str, &str); 4] = [
    (
        "Freies WLAN in der Bibliothek",
        "Die Zweigstellen der Stadtbibliothek sollten freies WLAN bekommen.",
    ),
    (
        "Online-Termine auch am Samstag",
        "Das Bürgerbüro könnte samstags Termine anbieten, online buchbar.",
    ),
    (
        "Sitzbänke mit Ladestation",
        "Auf den Plätzen der Innenstadt könnten Bänke mit Solar-Ladestation stehen.",
    ),
    (
        "Digitale Sprechstunde der Ortsvorsteher",
        "Einmal im Monat eine Videosprechstunde der Ortsvorsteherinnen und Ortsvorsteher.",
    ),
];

/// Texts of generated comments (plain words: their HTML is a paragraph).
const GENERATED_TEXTS: [&str; 6] = [
    "Gute Idee, aber bitte auch ohne Smartphone nutzbar machen.",
    "Wann ist das fertig? Im letzten Bericht stand ein anderer Termin.",
    "Wie steht es um den Datenschutz bei diesem Angebot?",
    "Bitte barrierefrei umsetzen, auch für Screenreader.",
    "Im Pilotbetrieb hat es bei mir gut funktioniert.",
    "Für ältere Menschen braucht es weiter eine Beratung vor Ort.",
];
