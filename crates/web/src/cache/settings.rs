//! The site's settings in memory: the moderation's word list and first-post review, the guests'
//! pre-moderation and the report threshold are read by every post, and change a few times a
//! year. A value is read from the database once and kept until a settings write publishes the
//! `site` tag on the bus, which empties this memory on every instance (as it drops every cached
//! page). A read that began before such a write does not store what it read.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
struct Memory {
    /// Bumped by every forget: a read started under another generation keeps its values to itself.
    generation: u64,
    /// Every key asked for so far, `None` when it is not set.
    values: HashMap<String, Option<String>>,
}

#[derive(Default)]
pub struct Settings {
    memory: Mutex<Memory>,
}

impl Settings {
    /// The values of `keys` that are set, from memory where known, the rest in one query.
    pub async fn get(
        &self,
        db: &store::Db,
        keys: &[&str],
    ) -> Result<HashMap<String, String>, store::StoreError> {
        let generation = {
            let Ok(m) = self.memory.lock() else {
                return db.settings(keys).await;
            };
            if keys.iter().all(|k| m.values.contains_key(*k)) {
                return Ok(keys
                    .iter()
                    .filter_map(|k| Some((k.to_string(), m.values.get(*k)?.clone()?)))
                    .collect());
            }
            m.generation
        };
        let read = db.settings(keys).await?;
        if let Ok(mut m) = self.memory.lock()
            && m.generation == generation
        {
            for k in keys {
                m.values.insert(k.to_string(), read.get(*k).cloned());
            }
        }
        Ok(read)
    }

    /// The value of one setting, if set.
    pub async fn one(
        &self,
        db: &store::Db,
        key: &str,
    ) -> Result<Option<String>, store::StoreError> {
        Ok(self.get(db, &[key]).await?.remove(key))
    }

    /// Forgets every value (a setting changed, here or on another instance).
    pub fn forget_all(&self) {
        if let Ok(mut m) = self.memory.lock() {
            m.generation += 1;
            m.values.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_are_kept_until_forgotten() {
        let db = store::testing::sqlite().await;
        let admin = db
            .create_user("a@teststadt.example", "A", &[domain::accounts::Role::Admin])
            .await
            .unwrap();
        let s = Settings::default();
        assert_eq!(s.one(&db, "report_threshold").await.unwrap(), None);
        db.set_setting(admin, "report_threshold", "5")
            .await
            .unwrap();
        // Not told: the memory still says unset.
        assert_eq!(s.one(&db, "report_threshold").await.unwrap(), None);
        s.forget_all();
        assert_eq!(
            s.one(&db, "report_threshold").await.unwrap().as_deref(),
            Some("5")
        );
        // Several keys at once: the unset one is remembered as unset too.
        db.set_setting(admin, "report_threshold", "6")
            .await
            .unwrap();
        s.forget_all();
        let both = s
            .get(&db, &["report_threshold", "moderation_words"])
            .await
            .unwrap();
        assert_eq!(both.get("report_threshold").map(String::as_str), Some("6"));
        assert!(!both.contains_key("moderation_words"));
        assert_eq!(s.memory.lock().unwrap().values.len(), 2);
    }
}
