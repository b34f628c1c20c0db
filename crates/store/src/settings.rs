//! Site texts the city edits in the back office. Changes are audited and publish a cache
//! invalidation, so public pages show them at once on every instance.

use crate::{Db, Result, on_db};
use time::OffsetDateTime;

/// The keys the back office edits.
pub const KEYS: [&str; 3] = ["imprint", "privacy", "contact"];

impl Db {
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let v = on_db!(self, p => sqlx::query_scalar::<_, String>("SELECT value FROM site_settings WHERE key = $1")
            .bind(key).fetch_optional(p).await?);
        Ok(v)
    }

    /// Several settings in one query: the value of each key that is set.
    pub async fn settings(
        &self,
        keys: &[&str],
    ) -> Result<std::collections::HashMap<String, String>> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let sql = format!(
            "SELECT key, value FROM site_settings WHERE key IN ({})",
            crate::comments::placeholders(1, keys.len())
        );
        let rows: Vec<(String, String)> = on_db!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for k in keys {
                q = q.bind(*k);
            }
            q.fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
    }

    pub async fn set_setting(&self, actor: i64, key: &str, value: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let mut events: Vec<crate::events::NewEvent> = Vec::new();
            let before: Option<String> = sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
                .bind(key).fetch_optional(&mut *tx).await?;
            if before.as_deref().unwrap_or("") != value {
                sqlx::query("INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3) \
                             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
                    .bind(key).bind(value).bind(now).execute(&mut *tx).await?;
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("setting.update").bind(key).bind(None::<i64>)
                    .bind(before).bind(value).execute(&mut *tx).await?;
                events.push(crate::events::cache_event([domain::tags::SITE]));
            }
            crate::commit_with_events!(self, p, tx, events);
        });
        Ok(())
    }
}
