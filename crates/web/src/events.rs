//! The event bus, web side. Writes record typed events (topic, sequence number per topic, JSON
//! payload) in their transaction (`store::events`); after the commit the writer's own process
//! delivers them at once, and on PostgreSQL every other instance hears them through
//! `LISTEN/NOTIFY`. A poll of the event table every second fills what a lost connection or
//! another process (the command line) left out. The page cache is the first subscriber (a hook
//! that drops the tagged pages before the write returns); live pages subscribe through
//! [`sse`], which replays from `Last-Event-ID`, keeps the connection alive, drops a client that
//! cannot keep up instead of buffering for it, and ends when the server shuts down.

use crate::AppState;
use crate::error::AppError;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::Db;
use store::events::{CACHE_TOPIC, Event};
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Sleep};

/// How long events are kept for replay and catch-up.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(3600);
/// At most this many events are replayed to a reconnecting client; further back, it reloads.
pub const REPLAY_LIMIT: i64 = 500;
/// A comment line this often keeps proxies from closing a quiet stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// This instance's side of the bus: which topics it follows and the shutdown signal.
pub struct Bus {
    watched: Mutex<HashSet<String>>,
    shutdown: watch::Sender<bool>,
}

impl Default for Bus {
    fn default() -> Self {
        Bus {
            watched: Mutex::new(HashSet::from([CACHE_TOPIC.to_string()])),
            shutdown: watch::channel(false).0,
        }
    }
}

impl Bus {
    /// Ends every live stream (graceful shutdown).
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    fn topics(&self) -> Vec<String> {
        self.watched
            .lock()
            .map(|w| w.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Follows `topic` from now on; true the first time.
    fn watch(&self, topic: &str) -> bool {
        self.watched
            .lock()
            .map(|mut w| w.insert(topic.to_string()))
            .unwrap_or(false)
    }
}

/// Connects the page cache and the radar model to the hub: a cache event drops its tags (and
/// marks the measures it names) before the write returns.
pub(crate) async fn connect_cache(state: &AppState) -> Result<(), store::StoreError> {
    let head = state.db.topic_head(CACHE_TOPIC).await?;
    state.db.hub().start_at(CACHE_TOPIC, head);
    let cache = state.cache.clone();
    let cards = state.cards.clone();
    state.db.hub().on_event(move |e| {
        if e.topic == CACHE_TOPIC {
            let tags = store::events::tags_of(e);
            cards.note(&tags);
            cache.sessions.forget_tagged(&tags);
            if tags.iter().any(|t| t == domain::tags::SITE) {
                cache.settings.forget_all();
            }
            cache.invalidate(&tags);
        }
    });
    Ok(())
}

/// Delivers the events of every followed topic that this instance has not seen yet, from the
/// table. Returns how many were new here. When events were pruned before they could be
/// delivered, the cache starts over.
pub async fn catch_up(state: &AppState) -> Result<usize, store::StoreError> {
    let hub = state.db.hub();
    let mut delivered = 0;
    for topic in state.bus.topics() {
        let from = hub.contiguous(&topic);
        let missed = state.db.events_since(&topic, from, 1000).await?;
        if let Some(first) = missed.first()
            && first.seq > from + 1
        {
            tracing::warn!(%topic, from, first = first.seq, "events were pruned before this instance saw them");
            if topic == CACHE_TOPIC {
                state.cache.clear();
                state.cards.clear();
            }
            hub.start_at(&topic, first.seq - 1);
        }
        let before = hub.high_water(&topic);
        hub.deliver(missed);
        delivered += usize::try_from(hub.high_water(&topic) - before).unwrap_or(0);
    }
    Ok(delivered)
}

/// What the clock alone changed between `last` and `now`, on this instance's cache: windows of
/// participation and events' registrations and sessions that opened or closed by their times,
/// and a new day in Germany. Every instance sees the same clock and does the same, so nothing
/// goes over the bus.
pub async fn turns(state: &AppState, last: time::OffsetDateTime, now: time::OffsetDateTime) {
    // A window that opened or closed by its dates: this instance's pages with a
    // discussion go (every instance sees the same clock and does the same).
    match state.db.window_turns(last, now).await {
        Ok(true) => state.cache.invalidate(&[domain::tags::WINDOWS.to_string()]),
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "cannot read the participation windows"),
    }
    // The same for events: registration opened or closed, a session started or ended.
    match state.db.programme_turns(last, now).await {
        Ok(ids) if !ids.is_empty() => {
            let mut tags: Vec<String> = ids.into_iter().map(domain::tags::event).collect();
            tags.push(domain::tags::PROGRAMME.to_string());
            state.cache.invalidate(&tags);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot read the events' times"),
    }
    // A new day in Germany: the offers' pages count from today (an offer's next date,
    // the first day of the offers' calendar), so this instance's copies go.
    if crate::programme::local(last).date() != crate::programme::local(now).date() {
        state.cache.invalidate(&[domain::tags::OFFERS.to_string()]);
    }
}

/// The background tasks of the bus: the PostgreSQL listener, the catch-up poll and pruning
/// (old events, and guests' comments that were never confirmed), and notification mail.
pub fn spawn(state: AppState, every: Duration) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    if state.db.engine() == store::Engine::Postgres {
        let db: Db = state.db.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                if let Err(e) = db.listen(|| {}).await {
                    tracing::warn!(error = %e, "event listener failed; retrying in a second");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }
    let poll = state.clone();
    tasks.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match catch_up(&poll).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(events = n, "caught up on events"),
                Err(e) => tracing::warn!(error = %e, "cannot read the event table"),
            }
        }
    }));
    let prune = state;
    tasks.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        let mut last = time::OffsetDateTime::now_utc();
        loop {
            tick.tick().await;
            let now = time::OffsetDateTime::now_utc();
            turns(&prune, last, now).await;
            last = now;
            let before = time::OffsetDateTime::now_utc() - REPLAY_WINDOW;
            if let Err(e) = prune.db.prune_events(before).await {
                tracing::warn!(error = %e, "cannot prune old events");
            }
            if let Err(e) = prune
                .db
                .purge_guest_rating_links(time::OffsetDateTime::now_utc())
                .await
            {
                tracing::warn!(error = %e, "cannot remove expired rating links");
            }
            // Guests' comments that were not confirmed in time go with their links.
            match prune
                .db
                .purge_unconfirmed(time::OffsetDateTime::now_utc())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(comments = n, "removed unconfirmed guest comments"),
                Err(e) => tracing::warn!(error = %e, "cannot remove unconfirmed guest comments"),
            }
            // Notifications read 90 days ago, and all of a year ago, go.
            match prune
                .db
                .prune_notifications(time::OffsetDateTime::now_utc())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(notifications = n, "removed old notifications"),
                Err(e) => tracing::warn!(error = %e, "cannot remove old notifications"),
            }
            // Registrations: offers that ran out pass on; unconfirmed ones lapse.
            if let Err(e) =
                crate::programme::housekeeping(&prune, time::OffsetDateTime::now_utc()).await
            {
                tracing::warn!(error = %e, "cannot tidy the registrations");
            }
            // Requests for offers: unconfirmed ones lapse, undecided ones whose day passed expire.
            match prune
                .db
                .expire_requests(time::OffsetDateTime::now_utc(), crate::offers::today())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(requests = n, "expired requests for offers"),
                Err(e) => tracing::warn!(error = %e, "cannot expire requests for offers"),
            }
            match prune
                .db
                .expire_applications(time::OffsetDateTime::now_utc())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(applications = n, "expired unconfirmed applications"),
                Err(e) => tracing::warn!(error = %e, "cannot expire applications"),
            }
            // Their personal data, 30 days after the day or after they were closed.
            match prune
                .db
                .prune_request_data(time::OffsetDateTime::now_utc(), crate::offers::today())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    rows = n,
                    "removed personal data of past requests and applications"
                ),
                Err(e) => tracing::warn!(error = %e, "cannot remove personal data of requests"),
            }
            // Notification mail: what is due at once, and the daily digest after its time.
            match crate::notifications::send_due(&prune, time::OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "queued notification mail"),
                Err(e) => tracing::warn!(error = %e, "cannot queue notification mail"),
            }
        }
    }));
    tasks
}

/// `Last-Event-ID` of a reconnecting client: `<seq>`.
pub fn last_event_id(headers: &HeaderMap) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .filter(|v: &i64| *v >= 0)
}

/// The comment a stream sends after [`KEEP_ALIVE`] without anything else.
const KEEP_ALIVE_FRAME: &[u8] = b":\n\n";

/// One event as it goes out: its `id`, `event` and `data` lines and the blank line that ends
/// it, written at once into one buffer (a line break in `data` starts a new `data:` line; the
/// client joins them again). No data, no `data:` line, as the browser ignores such an event.
fn frame(id: i64, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(32 + event.len() + data.len());
    let _ = write!(out, "id: {id}\nevent: {event}\n");
    if !data.is_empty() {
        out.push_str("data: ");
        let mut rest = data;
        while let Some(i) = rest.find(['\n', '\r']) {
            out.push_str(&rest[..=i]);
            out.push_str("data: ");
            rest = &rest[i + 1..];
        }
        out.push_str(rest);
        out.push('\n');
    }
    out.push('\n');
    Bytes::from(out)
}

/// Which events of a topic a stream passes on, and with what data (`None`: not this one).
pub type Pick = Arc<dyn Fn(&Event) -> Option<String> + Send + Sync>;

struct Live {
    rx: broadcast::Receiver<Arc<Event>>,
    topic: String,
    last: i64,
    queued: VecDeque<Bytes>,
    down: watch::Receiver<bool>,
    /// Completes when the server shuts down: made once per stream, not once per event.
    shutdown: Pin<Box<dyn Future<Output = ()> + Send>>,
    pick: Pick,
    /// When the stream last sent something.
    sent: Instant,
    /// Wakes the stream [`KEEP_ALIVE`] after what it last sent; an event does not move it (that
    /// would cost every stream a timer update per event), the stream looks when it fires.
    keep_alive: Pin<Box<Sleep>>,
}

/// A server-sent event stream of `topic`: first what the client missed since `last_id` (or a
/// `reset` event when that is out of the replay window: the page reloads), then every new event.
pub async fn sse(
    state: &AppState,
    topic: &str,
    last_id: Option<i64>,
) -> Result<Response, AppError> {
    sse_picking(
        state,
        topic,
        last_id,
        Arc::new(|e: &Event| Some(e.payload.clone())),
    )
    .await
}

/// [`sse`] passing on only the events `pick` chooses, with the data it gives them (a live
/// discussion follows the cache events of its own tag and learns nothing of the others).
///
/// Ten thousand open streams each get an event within a fraction of a second: each frame is
/// written straight into one buffer, handed to the connection as it is, and the keep-alive
/// timer is not touched per event.
pub async fn sse_picking(
    state: &AppState,
    topic: &str,
    last_id: Option<i64>,
    pick: Pick,
) -> Result<Response, AppError> {
    // Subscribe before reading the table, so nothing falls between replay and live.
    let rx = state.db.hub().subscribe();
    if state.bus.watch(topic) {
        let head = state.db.topic_head(topic).await?;
        state.db.hub().start_at(topic, head);
    }
    let mut queued = VecDeque::new();
    let mut last = match last_id {
        Some(id) => id,
        None => state.db.topic_head(topic).await?,
    };
    if let Some(id) = last_id {
        let missed = state.db.events_since(topic, id, REPLAY_LIMIT).await?;
        let head = state.db.topic_head(topic).await?;
        // Events after `id` that are no longer kept: the client cannot be brought up to date.
        let gap = match missed.first() {
            Some(first) => first.seq > id + 1,
            None => head > id,
        };
        if gap || missed.len() as i64 >= REPLAY_LIMIT {
            queued.push_back(frame(head, "reset", "{}"));
            last = head;
        } else {
            for e in &missed {
                if let Some(data) = pick(e) {
                    queued.push_back(frame(e.seq, "message", &data));
                }
                last = e.seq;
            }
        }
    }
    let down = state.bus.shutdown.subscribe();
    let mut until_down = down.clone();
    let now = Instant::now();
    let live = Live {
        rx,
        topic: topic.to_string(),
        last,
        queued,
        down,
        shutdown: Box::pin(async move {
            // An error: the bus is gone, which ends the streams all the same.
            let _ = until_down.wait_for(|down| *down).await;
        }),
        pick,
        sent: now,
        keep_alive: Box::pin(tokio::time::sleep_until(now + KEEP_ALIVE)),
    };
    let stream = futures_util::stream::unfold(live, |mut st| async move {
        if *st.down.borrow() {
            return None;
        }
        if let Some(f) = st.queued.pop_front() {
            st.sent = Instant::now();
            return Some((Ok::<_, Infallible>(f), st));
        }
        loop {
            tokio::select! {
                biased;
                () = st.shutdown.as_mut() => return None,
                r = st.rx.recv() => match r {
                    Ok(e) if e.topic == st.topic && e.seq > st.last => {
                        st.last = e.seq;
                        if let Some(data) = (st.pick)(&e) {
                            st.sent = Instant::now();
                            return Some((Ok(frame(e.seq, "message", &data)), st));
                        }
                    }
                    Ok(_) => continue,
                    // Too slow: dropped; it reconnects and replays from its Last-Event-ID.
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        metrics::counter!("sse_clients_dropped_total").increment(1);
                        tracing::info!(topic = %st.topic, missed = n, "dropped a slow event stream");
                        return None;
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                () = st.keep_alive.as_mut() => {
                    let now = Instant::now();
                    let due = st.sent + KEEP_ALIVE;
                    if now < due {
                        st.keep_alive.as_mut().reset(due);
                        continue;
                    }
                    st.sent = now;
                    st.keep_alive.as_mut().reset(now + KEEP_ALIVE);
                    return Some((Ok(Bytes::from_static(KEEP_ALIVE_FRAME)), st));
                }
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_its_id_event_and_data_lines() {
        assert_eq!(
            &frame(7, "message", "{}")[..],
            b"id: 7\nevent: message\ndata: {}\n\n"
        );
        assert_eq!(
            &frame(12, "reset", "{}")[..],
            b"id: 12\nevent: reset\ndata: {}\n\n"
        );
    }

    #[test]
    fn line_breaks_in_the_data_start_new_data_lines() {
        assert_eq!(
            &frame(1, "message", "a\nb\rc")[..],
            b"id: 1\nevent: message\ndata: a\ndata: b\rdata: c\n\n"
        );
        // No data, no data line (the browser ignores such an event).
        assert_eq!(&frame(2, "message", "")[..], b"id: 2\nevent: message\n\n");
    }
}
