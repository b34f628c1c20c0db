//! Sessions as the page cache needs them to fill the personal slots of a cached public page (the
//! header's account links, staff's edit link): each session is looked up in the database at most
//! once per `TTL`, so a signed-in reader of a cached page costs no query most of the time.
//!
//! Nothing is authorised with it: every handler reads the session from the database itself
//! (`extract::Ctx`), and so does every state-changing request. Signing out forgets the session
//! here at once; a deleted account (`person:<id>` on the bus) is forgotten on every instance. Other
//! changes — a sign-out on another instance, a new role, a lock — show in the slots of cached
//! pages at the latest after `TTL`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::accounts::SessionUser;

/// How long a looked-up session is used for slots.
pub const TTL: Duration = Duration::from_secs(2);
/// More remembered sessions than this (say, a flood of made-up cookies) and the memory starts over.
const MAX: usize = 50_000;

type Remembered = (Instant, Option<Arc<SessionUser>>);

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Remembered>>,
}

impl Sessions {
    /// The person of the session with this hash (`None`: no such session), from memory when it
    /// was looked up less than `TTL` ago.
    pub(super) async fn user(
        &self,
        db: &store::Db,
        hash: &str,
    ) -> Result<Option<Arc<SessionUser>>, store::StoreError> {
        let now = Instant::now();
        if let Ok(map) = self.map.lock()
            && let Some((at, user)) = map.get(hash)
            && now.duration_since(*at) < TTL
        {
            return Ok(user.clone());
        }
        let user = db
            .session_user(hash, time::OffsetDateTime::now_utc())
            .await?
            .map(Arc::new);
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX {
                map.retain(|_, (at, _)| now.duration_since(*at) < TTL);
                if map.len() >= MAX {
                    map.clear();
                }
            }
            map.insert(hash.to_string(), (now, user.clone()));
        }
        Ok(user)
    }

    /// Forgets one session (signed out on this instance).
    pub fn forget(&self, hash: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(hash);
        }
    }

    /// Forgets every session of a person (signed out everywhere, deleted, locked).
    pub fn forget_person(&self, user_id: i64) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (_, u)| u.as_ref().is_none_or(|u| u.user.id != user_id));
        }
    }

    /// Forgets the people a cache event names (`person:<id>`).
    pub fn forget_tagged(&self, tags: &[String]) {
        for t in tags {
            if let Some(Ok(id)) = t.strip_prefix("person:").map(str::parse::<i64>) {
                self.forget_person(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_a_person_keeps_the_others() {
        let s = Sessions::default();
        let user = |id: i64| {
            Some(Arc::new(SessionUser {
                user: store::accounts::User {
                    id,
                    email: format!("{id}@example.org"),
                    display_name: String::new(),
                    password_hash: None,
                    email_confirmed_at: None,
                    locked: false,
                    created_at: time::OffsetDateTime::UNIX_EPOCH,
                },
                roles: vec![],
                csrf_token: String::new(),
                session_hash: String::new(),
            }))
        };
        let now = Instant::now();
        if let Ok(mut m) = s.map.lock() {
            m.insert("a".into(), (now, user(1)));
            m.insert("b".into(), (now, user(2)));
            m.insert("c".into(), (now, None));
        }
        s.forget_tagged(&["person:1".into(), "measures".into()]);
        let keys = |s: &Sessions| {
            let mut k: Vec<String> = s
                .map
                .lock()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            k.sort();
            k
        };
        assert_eq!(keys(&s), ["b", "c"]);
        s.forget("b");
        assert_eq!(keys(&s), ["c"]);
    }
}
