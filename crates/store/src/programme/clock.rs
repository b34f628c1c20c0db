//! What changes on an event's pages by the clock alone: registration opens or closes, the event
//! or one of its sessions starts or ends (questions close, attendance shows, the list moves the
//! event among the past ones). Every instance asks this each minute and drops those pages, as it
//! does for participation windows; no write happens, so no event goes over the bus.

use crate::{Db, Result, on_db};
use time::OffsetDateTime;

impl Db {
    /// The public events with a time on them or on one of their sessions after `from` up to
    /// `to`.
    pub async fn programme_turns(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<i64>> {
        let ids: Vec<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT e.id FROM programme_events e WHERE e.state IN ('published', 'cancelled') AND ( \
                (e.registration_opens_at > $1 AND e.registration_opens_at <= $2) \
                OR (e.registration_closes_at > $1 AND e.registration_closes_at <= $2) \
                OR (e.starts_at > $1 AND e.starts_at <= $2) OR (e.ends_at > $1 AND e.ends_at <= $2)) \
             UNION SELECT s.event_id FROM programme_sessions s WHERE s.starts_at > $1 AND s.starts_at <= $2 \
             UNION SELECT s.event_id FROM programme_sessions s WHERE s.ends_at > $1 AND s.ends_at <= $2"
        ).bind(from).bind(to).fetch_all(p).await?);
        Ok(ids)
    }
}
