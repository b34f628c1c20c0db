//! The event bus, storage side. A write records its events in its own transaction: each gets the
//! next sequence number of its topic (one counter row per topic, so numbers are gap-free and in
//! commit order), and the row is kept for replay. On PostgreSQL a `NOTIFY` goes out at commit so
//! every instance hears it; on SQLite (one process) the [`Hub`] of this process delivers it.
//! After the commit the writer hands the events to the hub, which runs the hooks (the page cache)
//! before the write returns, then broadcasts them to subscribers (live pages). Events that
//! arrive twice (our own NOTIFY, the catch-up poll) are delivered once.

use crate::{Db, Result, on_db};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use time::OffsetDateTime;

/// The PostgreSQL channel of the bus.
pub const CHANNEL: &str = "stadtradar_events";
/// The topic of page-cache invalidations; the payload is `{"tags": [...]}`.
pub const CACHE_TOPIC: &str = "cache";
/// How many events a subscriber may fall behind before it is dropped.
pub const BROADCAST_CAPACITY: usize = 1024;
/// NOTIFY payloads above this size carry only topic and sequence; the listener reads the rest.
const NOTIFY_INLINE: usize = 7000;
/// How many sequence numbers per topic the hub remembers to drop duplicates.
const SEEN_PER_TOPIC: usize = 4096;

/// One event: a topic (`cache`, later `comments:measure:42`), its sequence number in that
/// topic, and a JSON payload.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub topic: String,
    pub seq: i64,
    pub payload: String,
}

/// An event to record: topic and JSON payload.
pub type NewEvent = (String, String);

/// The cache invalidation of `tags`.
pub fn cache_event<I, S>(tags: I) -> NewEvent
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let tags: Vec<String> = tags.into_iter().map(Into::into).collect();
    (
        CACHE_TOPIC.to_string(),
        serde_json::json!({ "tags": tags }).to_string(),
    )
}

/// The tags of a cache event's payload (empty when it is not one).
pub fn tags_of(event: &Event) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Payload {
        tags: Vec<String>,
    }
    serde_json::from_str::<Payload>(&event.payload)
        .map(|p| p.tags)
        .unwrap_or_default()
}

pub(crate) trait NotifySql {
    const NOTIFY: Option<&'static str>;
}

impl NotifySql for SqlitePool {
    const NOTIFY: Option<&'static str> = None;
}

impl NotifySql for PgPool {
    const NOTIFY: Option<&'static str> = Some("SELECT pg_notify('stadtradar_events', $1)");
}

/// The statement that notifies other instances at commit, if the engine has one.
pub(crate) fn notify_sql<P: NotifySql>(_: &P) -> Option<&'static str> {
    P::NOTIFY
}

/// The NOTIFY payload of an event: all of it, or topic and sequence when it is large.
pub(crate) fn notify_payload(e: &Event) -> String {
    let full =
        serde_json::json!({ "topic": e.topic, "seq": e.seq, "payload": e.payload }).to_string();
    if full.len() <= NOTIFY_INLINE {
        full
    } else {
        serde_json::json!({ "topic": e.topic, "seq": e.seq }).to_string()
    }
}

/// Records events in the open transaction `$tx` of pool `$p`; evaluates to the recorded events
/// (with their sequence numbers) to hand to [`Hub::deliver`] after the commit.
#[macro_export]
macro_rules! record_events {
    ($p:expr, $tx:ident, $events:expr) => {{
        let mut recorded: Vec<$crate::events::Event> = Vec::new();
        let now = time::OffsetDateTime::now_utc();
        for (topic, payload) in $events {
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO event_topics (topic, last_seq) VALUES ($1, 1) \
                 ON CONFLICT (topic) DO UPDATE SET last_seq = event_topics.last_seq + 1 RETURNING last_seq",
            )
            .bind(&topic)
            .fetch_one(&mut *$tx)
            .await?;
            sqlx::query("INSERT INTO events (topic, seq, payload, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&topic)
                .bind(seq)
                .bind(&payload)
                .bind(now)
                .execute(&mut *$tx)
                .await?;
            let event = $crate::events::Event { topic, seq, payload };
            if let Some(sql) = $crate::events::notify_sql($p) {
                sqlx::query(sql)
                    .bind($crate::events::notify_payload(&event))
                    .execute(&mut *$tx)
                    .await?;
            }
            recorded.push(event);
        }
        recorded
    }};
}

/// Records `$events`, commits `$tx` and delivers the events to this process's hub.
#[macro_export]
macro_rules! commit_with_events {
    ($db:expr, $p:expr, $tx:ident, $events:expr) => {{
        let recorded = $crate::record_events!($p, $tx, $events);
        $tx.commit().await?;
        $db.hub().deliver(recorded);
    }};
}

type Hook = Arc<dyn Fn(&Event) + Send + Sync>;

#[derive(Default)]
struct Seen {
    seqs: BTreeSet<i64>,
    /// Everything at or below this was seen or is too old to deliver.
    floor: i64,
}

/// This process's end of the bus: runs hooks and broadcasts each event once.
pub struct Hub {
    hooks: RwLock<Vec<Hook>>,
    seen: Mutex<HashMap<String, Seen>>,
    sender: tokio::sync::broadcast::Sender<Arc<Event>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").finish_non_exhaustive()
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            hooks: RwLock::new(Vec::new()),
            seen: Mutex::new(HashMap::new()),
            sender: tokio::sync::broadcast::channel(BROADCAST_CAPACITY).0,
        }
    }
}

impl Hub {
    /// Runs `hook` for every new event, synchronously, before subscribers get it.
    pub fn on_event(&self, hook: impl Fn(&Event) + Send + Sync + 'static) {
        if let Ok(mut h) = self.hooks.write() {
            h.push(Arc::new(hook));
        }
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// The highest sequence number of `topic` delivered here (0: none).
    pub fn high_water(&self, topic: &str) -> i64 {
        self.seen
            .lock()
            .ok()
            .and_then(|s| {
                s.get(topic)
                    .map(|t| t.seqs.last().copied().unwrap_or(t.floor))
            })
            .unwrap_or(0)
    }

    /// The highest sequence number up to which every event of `topic` was delivered here.
    pub fn contiguous(&self, topic: &str) -> i64 {
        let Ok(s) = self.seen.lock() else { return 0 };
        let Some(t) = s.get(topic) else { return 0 };
        let mut n = t.floor;
        while t.seqs.contains(&(n + 1)) {
            n += 1;
        }
        n
    }

    /// Starts counting `topic` at `seq`: older events are not delivered again.
    pub fn start_at(&self, topic: &str, seq: i64) {
        if let Ok(mut s) = self.seen.lock() {
            let t = s.entry(topic.to_string()).or_default();
            t.floor = t.floor.max(seq);
        }
    }

    /// Marks the event seen; false when it was delivered before.
    fn first_time(&self, e: &Event) -> bool {
        let Ok(mut s) = self.seen.lock() else {
            return true;
        };
        let t = s.entry(e.topic.clone()).or_default();
        if e.seq <= t.floor || !t.seqs.insert(e.seq) {
            return false;
        }
        while t.seqs.len() > SEEN_PER_TOPIC {
            if let Some(first) = t.seqs.pop_first() {
                t.floor = first;
            }
        }
        true
    }

    /// Runs the hooks for, and broadcasts, each event not delivered before.
    pub fn deliver(&self, events: impl IntoIterator<Item = Event>) {
        for e in events {
            if !self.first_time(&e) {
                continue;
            }
            let hooks: Vec<Hook> = self.hooks.read().map(|h| h.clone()).unwrap_or_default();
            for h in hooks {
                h(&e);
            }
            // No subscriber is not an error.
            let _ = self.sender.send(Arc::new(e));
        }
    }
}

impl Db {
    /// Records and delivers events in a transaction of their own (for writes without one).
    pub async fn publish(&self, events: Vec<NewEvent>) -> Result<Vec<Event>> {
        let recorded = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let recorded = crate::record_events!(p, tx, events);
            tx.commit().await?;
            recorded
        });
        self.hub().deliver(recorded.clone());
        Ok(recorded)
    }

    /// Events of `topic` after `seq`, oldest first, at most `limit`.
    pub async fn events_since(&self, topic: &str, seq: i64, limit: i64) -> Result<Vec<Event>> {
        let rows = on_db!(self, p => sqlx::query_as::<_, Event>(
            "SELECT topic, seq, payload FROM events WHERE topic = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ).bind(topic).bind(seq).bind(limit).fetch_all(p).await?);
        Ok(rows)
    }

    /// One event, if it is still kept.
    pub async fn event(&self, topic: &str, seq: i64) -> Result<Option<Event>> {
        let row = on_db!(self, p => sqlx::query_as::<_, Event>(
            "SELECT topic, seq, payload FROM events WHERE topic = $1 AND seq = $2"
        ).bind(topic).bind(seq).fetch_optional(p).await?);
        Ok(row)
    }

    /// The last sequence number of `topic` (0: none yet).
    pub async fn topic_head(&self, topic: &str) -> Result<i64> {
        let v: Option<i64> = on_db!(self, p => sqlx::query_scalar("SELECT last_seq FROM event_topics WHERE topic = $1")
            .bind(topic).fetch_optional(p).await?);
        Ok(v.unwrap_or(0))
    }

    /// Removes events recorded before `before` (the replay window); returns how many.
    pub async fn prune_events(&self, before: OffsetDateTime) -> Result<u64> {
        let n = on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query("DELETE FROM events WHERE created_at < $1").bind(before).execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// On PostgreSQL: listens for the NOTIFY of every instance and delivers the events to this
    /// process's hub, reconnecting after a lost connection (`on_reconnect` runs then, so the
    /// caller can catch up on what was missed). On SQLite there is nothing to listen to.
    pub async fn listen(&self, on_reconnect: impl Fn() + Send + Sync + 'static) -> Result<()> {
        let Db::Pg(pool, hub, _) = self else {
            return Ok(());
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        #[derive(serde::Deserialize)]
        struct Notice {
            topic: String,
            seq: i64,
            payload: Option<String>,
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    let Ok(notice) = serde_json::from_str::<Notice>(n.payload()) else {
                        tracing::warn!(payload = n.payload(), "unreadable event notification");
                        continue;
                    };
                    let event = match notice.payload {
                        Some(payload) => Some(Event {
                            topic: notice.topic,
                            seq: notice.seq,
                            payload,
                        }),
                        None => self.event(&notice.topic, notice.seq).await?,
                    };
                    if let Some(e) = event {
                        hub.deliver([e]);
                    }
                }
                // The connection was lost; the next call reconnects. Notifications sent
                // meanwhile are lost: the caller catches up from the table.
                Ok(None) => {
                    tracing::warn!("event listener reconnecting");
                    on_reconnect();
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}
