//! Events and their programme, storage side: events with rooms and sessions (and the people of
//! each session), the formats the organisers keep, the public list of events and one event's
//! programme in two queries. Every write is audited and publishes the `programme` tag (and
//! `event:<id>`) after its commit, so cached pages follow on every instance.

mod clock;
pub mod formats;
pub mod images;
pub mod people;
pub mod personal;
pub mod questions;
pub mod registrations;
pub mod topics;

use crate::{Db, Result, StoreError, on_db};
use domain::programme::{
    Attendance, EventInput, EventState, PersonRole, RoomKind, SessionInput, SessionPerson,
    SessionState, Timed,
};
use domain::tags::{PROGRAMME as TAG, event as event_tag};
use time::OffsetDateTime;

/// A format as the organisers keep it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Format {
    pub id: i64,
    pub name: String,
    pub default_minutes: i64,
    pub colour: String,
}

/// An event as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub slug: String,
    pub input: EventInput,
    pub description_html: String,
    pub owner_id: Option<i64>,
    pub sessions: i64,
    pub updated_at: OffsetDateTime,
    /// Whether registered people are reminded a day and an hour before.
    pub remind_day: bool,
    pub remind_hour: bool,
}

/// A room of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub kind: RoomKind,
    /// Shown only to registered people, from shortly before a session starts.
    pub join_url: String,
    pub capacity: Option<i64>,
}

/// A session as the programme lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub slug: String,
    pub input: SessionInput,
    pub abstract_html: String,
    pub format: Option<Format>,
    pub room: Option<(String, RoomKind)>,
    pub recording_url: String,
    pub summary: String,
    /// The target groups the session is for (by name), so the programme can be filtered by them.
    pub groups: Vec<topics::Topic>,
}

impl Timed for Session {
    fn starts_at(&self) -> OffsetDateTime {
        self.input.starts_at
    }
}

/// A new room of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoom<'a> {
    pub name: &'a str,
    pub kind: RoomKind,
    pub join_url: &'a str,
    pub capacity: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    description_html: String,
    organiser: String,
    owner_id: Option<i64>,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    attendance: String,
    place: String,
    fee_cents: Option<i64>,
    fee_note: String,
    capacity: Option<i64>,
    registration_opens_at: Option<OffsetDateTime>,
    registration_closes_at: Option<OffsetDateTime>,
    image_alt: String,
    state: String,
    sessions: i64,
    updated_at: OffsetDateTime,
    remind_day: bool,
    remind_hour: bool,
}

const EVENT_COLUMNS: &str = "e.id, e.slug, e.title, e.description, e.description_html, e.organiser, e.owner_id, \
     e.starts_at, e.ends_at, e.attendance, e.place, e.fee_cents, e.fee_note, e.capacity, \
     e.registration_opens_at, e.registration_closes_at, e.image_alt, e.state, \
     (SELECT COUNT(*) FROM programme_sessions s WHERE s.event_id = e.id) AS sessions, e.updated_at, \
     e.remind_day, e.remind_hour";

fn event_of(r: EventRow) -> Result<Event> {
    let bad = |what: &str, v: &str| StoreError::Invalid(format!("event {}: {what} {v:?}", r.id));
    Ok(Event {
        id: r.id,
        slug: r.slug.clone(),
        input: EventInput {
            title: r.title.clone(),
            description: r.description.clone(),
            organiser: r.organiser.clone(),
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            attendance: Attendance::parse(&r.attendance)
                .ok_or_else(|| bad("attendance", &r.attendance))?,
            place: r.place.clone(),
            fee_cents: r.fee_cents,
            fee_note: r.fee_note.clone(),
            capacity: r.capacity,
            registration_opens_at: r.registration_opens_at,
            registration_closes_at: r.registration_closes_at,
            image_alt: r.image_alt.clone(),
            state: EventState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
        },
        description_html: r.description_html,
        owner_id: r.owner_id,
        sessions: r.sessions,
        updated_at: r.updated_at,
        remind_day: r.remind_day,
        remind_hour: r.remind_hour,
    })
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    slug: String,
    title: String,
    abstract_text: String,
    abstract_html: String,
    format_id: Option<i64>,
    format_name: Option<String>,
    format_minutes: Option<i64>,
    format_colour: Option<String>,
    track: String,
    room_id: Option<i64>,
    room_name: Option<String>,
    room_kind: Option<String>,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    language: String,
    sign_language: bool,
    live_captions: bool,
    easy_language: bool,
    capacity: Option<i64>,
    do_not_record: bool,
    state: String,
    recording_url: String,
    summary: String,
}

/// A slug from `title` that none of `taken` has (`-2`, `-3` … appended).
pub(crate) fn free_slug(title: &str, fallback: &str, taken: &[String]) -> String {
    let base = match domain::text::slugify(title) {
        s if s.is_empty() => fallback.to_string(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// `LIKE` pattern of the slugs that start with `slugify(title)` (escaped).
pub(crate) fn slug_pattern(title: &str) -> String {
    let base = domain::text::slugify(title);
    format!(
        "{}%",
        base.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

impl Db {
    /// The formats, in their order.
    pub async fn session_formats(&self) -> Result<Vec<Format>> {
        let rows: Vec<Format> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, default_minutes, colour FROM session_formats ORDER BY position, id"
        ).fetch_all(p).await?);
        Ok(rows)
    }

    /// Creates an event (checked by the caller with [`EventInput::check`]) owned by `owner`;
    /// its id and slug. Audited as `event.create` by `actor`; `demo` marks it part of the demo.
    pub async fn create_event(
        &self,
        actor: Option<i64>,
        owner: Option<i64>,
        e: &EventInput,
        description_html: &str,
        demo: bool,
    ) -> Result<(i64, String)> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM programme_events WHERE slug LIKE $1 ESCAPE '\\'")
                .bind(slug_pattern(&e.title)).fetch_all(&mut *tx).await?;
            let slug = free_slug(&e.title, "veranstaltung", &taken);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO programme_events (slug, title, description, description_html, organiser, owner_id, starts_at, ends_at, \
                 attendance, place, fee_cents, fee_note, capacity, registration_opens_at, registration_closes_at, image_alt, state, demo, \
                 created_at, updated_at, search_text) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20) RETURNING id",
            )
            .bind(&slug).bind(e.title.trim()).bind(e.description.trim()).bind(description_html).bind(e.organiser.trim()).bind(owner)
            .bind(e.starts_at).bind(e.ends_at).bind(e.attendance.as_str()).bind(e.place.trim()).bind(e.fee_cents)
            .bind(e.fee_note.trim()).bind(e.capacity).bind(e.registration_opens_at).bind(e.registration_closes_at)
            .bind(e.image_alt.trim()).bind(e.state.as_str()).bind(demo).bind(now).bind(event_search_text(e))
            .fetch_one(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("event.create").bind("event").bind(id)
                .bind(None::<String>).bind(e.title.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(id)])]);
            Ok::<_, StoreError>((id, slug))
        })
    }

    /// Saves event `id` (checked by the caller with [`EventInput::check`]); `false` when there is
    /// none. Audited as `event.update` with the old and new title. Places already held stay held
    /// when the capacity goes down; when it goes up, the caller offers the new places to the
    /// waiting list ([`Db::offer_free_places`]).
    pub async fn update_event(
        &self,
        actor: i64,
        id: i64,
        e: &EventInput,
        description_html: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT title FROM programme_events WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(
                "UPDATE programme_events SET title = $2, description = $3, description_html = $4, organiser = $5, starts_at = $6, \
                 ends_at = $7, attendance = $8, place = $9, fee_cents = $10, fee_note = $11, capacity = $12, registration_opens_at = $13, \
                 registration_closes_at = $14, image_alt = $15, state = $16, version = version + 1, updated_at = $17, \
                 search_text = $18 WHERE id = $1",
            )
            .bind(id).bind(e.title.trim()).bind(e.description.trim()).bind(description_html).bind(e.organiser.trim())
            .bind(e.starts_at).bind(e.ends_at).bind(e.attendance.as_str()).bind(e.place.trim()).bind(e.fee_cents)
            .bind(e.fee_note.trim()).bind(e.capacity).bind(e.registration_opens_at).bind(e.registration_closes_at)
            .bind(e.image_alt.trim()).bind(e.state.as_str()).bind(now).bind(event_search_text(e))
            .execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("event.update").bind("event").bind(id)
                .bind(Some(before)).bind(e.title.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([
                TAG.to_string(), event_tag(id), domain::tags::places(id)
            ])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Gives event `id` to `owner` (who then runs it); audited as `event.owner`.
    pub async fn set_event_owner(&self, actor: i64, id: i64, owner: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<Option<i64>> = sqlx::query_scalar("SELECT owner_id FROM programme_events WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            if before == Some(owner) {
                tx.rollback().await?;
                return Ok(true);
            }
            sqlx::query("UPDATE programme_events SET owner_id = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(owner).bind(now).execute(&mut *tx).await?;
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("event.owner").bind("event").bind(id)
                .bind(before.map(|b| b.to_string())).bind(owner.to_string()).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    /// Sets whether event `id` reminds registered people a day and an hour before.
    pub async fn set_reminders(&self, id: i64, day: bool, hour: bool) -> Result<()> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            sqlx::query("UPDATE programme_events SET remind_day = $2, remind_hour = $3 WHERE id = $1")
                .bind(id).bind(day).bind(hour).execute(p).await?;
        });
        Ok(())
    }

    /// Adds a room to event `event_id`; its id.
    pub async fn add_room(&self, event_id: i64, room: &NewRoom<'_>) -> Result<i64> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO programme_rooms (event_id, name, kind, join_url, capacity, position) \
                 SELECT $1, $2, $3, $4, $5, COALESCE(MAX(position), 0) + 1 FROM programme_rooms WHERE event_id = $1 RETURNING id",
            )
            .bind(event_id).bind(room.name.trim()).bind(room.kind.as_str()).bind(room.join_url.trim()).bind(room.capacity)
            .fetch_one(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
            Ok::<_, StoreError>(id)
        })
    }

    /// Changes room `room_id` of event `event_id`: its name, kind, join link and capacity;
    /// `false` when there is none.
    pub async fn update_room(
        &self,
        event_id: i64,
        room_id: i64,
        room: &NewRoom<'_>,
    ) -> Result<bool> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = sqlx::query(
                "UPDATE programme_rooms SET name = $3, kind = $4, join_url = $5, capacity = $6 WHERE id = $1 AND event_id = $2",
            )
            .bind(room_id).bind(event_id).bind(room.name.trim()).bind(room.kind.as_str()).bind(room.join_url.trim()).bind(room.capacity)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Adds a session (checked by the caller with [`SessionInput::check`]) with its people to
    /// event `event_id`; its id and slug (unique within the event). Audited as `session.create`.
    pub async fn add_session(
        &self,
        actor: Option<i64>,
        event_id: i64,
        s: &SessionInput,
        abstract_html: &str,
    ) -> Result<(i64, String)> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM programme_sessions WHERE event_id = $1 AND slug LIKE $2 ESCAPE '\\'")
                .bind(event_id).bind(slug_pattern(&s.title)).fetch_all(&mut *tx).await?;
            let slug = free_slug(&s.title, "session", &taken);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO programme_sessions (event_id, slug, title, abstract, abstract_html, format_id, track, room_id, starts_at, ends_at, \
                 language, sign_language, live_captions, easy_language, capacity, do_not_record, state, created_at, updated_at, search_text) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19) RETURNING id",
            )
            .bind(event_id).bind(&slug).bind(s.title.trim()).bind(s.abstract_text.trim()).bind(abstract_html).bind(s.format_id)
            .bind(s.track.trim()).bind(s.room_id).bind(s.starts_at).bind(s.ends_at).bind(s.language.trim())
            .bind(s.sign_language).bind(s.live_captions).bind(s.easy_language).bind(s.capacity).bind(s.do_not_record)
            .bind(s.state.as_str()).bind(now).bind(session_search_text(s))
            .fetch_one(&mut *tx).await?;
            for (i, person) in s.people.iter().enumerate() {
                sqlx::query("INSERT INTO session_people (session_id, position, name, role) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(i as i64).bind(person.name.trim()).bind(person.role.as_str())
                    .execute(&mut *tx).await?;
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("session.create").bind("session").bind(id)
                .bind(None::<String>).bind(s.title.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
            Ok::<_, StoreError>((id, slug))
        })
    }

    /// Saves session `session_id` of event `event_id` (checked by the caller with
    /// [`SessionInput::check`]) with its people, recording and summary; `false` when there is
    /// none. Audited as `session.update`. With `notify`, everyone holding a place for the event
    /// or for the session gets its mail (`Notice::Changed`) in the same transaction: a session
    /// that moved or was cancelled.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_session(
        &self,
        actor: i64,
        event_id: i64,
        session_id: i64,
        s: &SessionInput,
        abstract_html: &str,
        outcome: (&str, &str),
        notify: Option<registrations::Mailer<'_>>,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let changed = sqlx::query(
                "UPDATE programme_sessions SET title = $3, abstract = $4, abstract_html = $5, format_id = $6, track = $7, room_id = $8, \
                 starts_at = $9, ends_at = $10, language = $11, sign_language = $12, live_captions = $13, easy_language = $14, \
                 capacity = $15, do_not_record = $16, state = $17, recording_url = $18, summary = $19, updated_at = $20, \
                 search_text = $21 WHERE id = $1 AND event_id = $2",
            )
            .bind(session_id).bind(event_id).bind(s.title.trim()).bind(s.abstract_text.trim()).bind(abstract_html)
            .bind(s.format_id).bind(s.track.trim()).bind(s.room_id).bind(s.starts_at).bind(s.ends_at).bind(s.language.trim())
            .bind(s.sign_language).bind(s.live_captions).bind(s.easy_language).bind(s.capacity).bind(s.do_not_record)
            .bind(s.state.as_str()).bind(outcome.0.trim()).bind(outcome.1.trim()).bind(now).bind(session_search_text(s))
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query("DELETE FROM session_people WHERE session_id = $1").bind(session_id).execute(&mut *tx).await?;
            for (i, person) in s.people.iter().enumerate() {
                sqlx::query("INSERT INTO session_people (session_id, position, name, role) VALUES ($1, $2, $3, $4)")
                    .bind(session_id).bind(i as i64).bind(person.name.trim()).bind(person.role.as_str())
                    .execute(&mut *tx).await?;
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("session.update").bind("session").bind(session_id)
                .bind(None::<String>).bind(s.title.trim()).execute(&mut *tx).await?;
            if let Some(mail) = notify {
                let ids: Vec<i64> = sqlx::query_scalar(registrations::CONCERNED)
                    .bind(event_id).bind(session_id).fetch_all(&mut *tx).await?;
                for id in ids {
                    let r: Option<registrations::Registration> = registrations::read_in!(tx, id);
                    if let Some(r) = r
                        && let Some(m) = mail(&r, registrations::Notice::Changed)
                    {
                        crate::mail::enqueue_in!(tx, m, now);
                    }
                }
            }
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([
                TAG.to_string(), event_tag(event_id), domain::tags::places(event_id)
            ])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Sets what a session left behind: the link of its recording and its summary or minutes.
    pub async fn set_session_outcome(
        &self,
        actor: Option<i64>,
        session_id: i64,
        recording_url: &str,
        summary: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let event: Option<i64> = sqlx::query_scalar(
                "UPDATE programme_sessions SET recording_url = $2, summary = $3, updated_at = $4 WHERE id = $1 RETURNING event_id",
            )
            .bind(session_id).bind(recording_url.trim()).bind(summary.trim()).bind(now)
            .fetch_optional(&mut *tx).await?;
            let Some(event) = event else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("session.outcome").bind("session").bind(session_id)
                .bind(None::<String>).bind(recording_url.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event)])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// The events an organiser runs (`owner`: those they own and those an admin added them
    /// to; `None`: all, for admins), drafts included, the newest start first; a page of
    /// `per_page` and the total.
    pub async fn organiser_events(
        &self,
        owner: Option<i64>,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Event>, i64)> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM programme_events e \
             WHERE ($1 IS NULL OR e.owner_id = $1 OR e.id IN (SELECT o.event_id FROM event_organisers o WHERE o.user_id = $1)) \
             ORDER BY e.starts_at DESC, e.id DESC LIMIT $2 OFFSET $3"
        );
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total): (Vec<EventRow>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner).bind(per_page).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programme_events e \
                 WHERE ($1 IS NULL OR e.owner_id = $1 OR e.id IN (SELECT o.event_id FROM event_organisers o WHERE o.user_id = $1))")
                .bind(owner).fetch_one(p).await?;
            (rows, total)
        });
        Ok((
            rows.into_iter().map(event_of).collect::<Result<_>>()?,
            total,
        ))
    }

    /// An event by its number, drafts included (the back office).
    pub async fn event_by_id(&self, id: i64) -> Result<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM programme_events e WHERE e.id = $1");
        let row: Option<EventRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        row.map(event_of).transpose()
    }

    /// Public events (published and cancelled) that pass `filter`, those not over at `now`
    /// first by their start, then past ones, newest first; a page of `per_page` and the total.
    pub async fn public_events(
        &self,
        now: OffsetDateTime,
        filter: topics::EventFilter,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Event>, i64)> {
        // Published and cancelled events, linked to the field of action `$f` and the target
        // group `$g` when those are given.
        let matching = |f: u8, g: u8| {
            format!(
                "e.state IN ('published', 'cancelled') \
                 AND (${f} IS NULL OR e.id IN (SELECT x.event_id FROM event_fields x WHERE x.field_id = ${f})) \
                 AND (${g} IS NULL OR e.id IN (SELECT x.event_id FROM event_target_groups x WHERE x.target_group_id = ${g}))"
            )
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM programme_events e WHERE {} \
             ORDER BY CASE WHEN e.ends_at > $1 THEN 0 ELSE 1 END, \
             CASE WHEN e.ends_at > $1 THEN e.starts_at END, e.starts_at DESC, e.id LIMIT $2 OFFSET $3",
            matching(4, 5)
        );
        let count = format!(
            "SELECT COUNT(*) FROM programme_events e WHERE {}",
            matching(1, 2)
        );
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total): (Vec<EventRow>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(per_page).bind(offset)
                .bind(filter.field).bind(filter.group).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count))
                .bind(filter.field).bind(filter.group).fetch_one(p).await?;
            (rows, total)
        });
        Ok((
            rows.into_iter().map(event_of).collect::<Result<_>>()?,
            total,
        ))
    }

    /// The event with address `slug`; drafts only when `drafts` (its organisers and admins).
    pub async fn event_by_slug(&self, slug: &str, drafts: bool) -> Result<Option<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM programme_events e WHERE e.slug = $1 AND ($2 OR e.state <> 'draft')"
        );
        let row: Option<EventRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slug).bind(drafts).fetch_optional(p).await?);
        row.map(event_of).transpose()
    }

    /// The rooms of event `event_id`, in their order.
    pub async fn event_rooms(&self, event_id: i64) -> Result<Vec<Room>> {
        let rows: Vec<(i64, String, String, String, Option<i64>)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, kind, join_url, capacity FROM programme_rooms WHERE event_id = $1 ORDER BY position, id"
        ).bind(event_id).fetch_all(p).await?);
        rows.into_iter()
            .map(|(id, name, kind, join_url, capacity)| {
                Ok(Room {
                    id,
                    name,
                    kind: RoomKind::parse(&kind)
                        .ok_or_else(|| StoreError::Invalid(format!("room {id}: kind {kind:?}")))?,
                    join_url,
                    capacity,
                })
            })
            .collect()
    }

    /// The programme of event `event_id`: every session by start, then room, with its format,
    /// room and people — two queries however many sessions.
    pub async fn programme(&self, event_id: i64) -> Result<Vec<Session>> {
        self.sessions_of(event_id, None).await
    }

    /// The session with address `slug` of event `event_id`.
    pub async fn session_by_slug(&self, event_id: i64, slug: &str) -> Result<Option<Session>> {
        Ok(self.sessions_of(event_id, Some(slug)).await?.pop())
    }

    /// The sessions of event `event_id` (only the one with address `slug` when given).
    async fn sessions_of(&self, event_id: i64, slug: Option<&str>) -> Result<Vec<Session>> {
        #[allow(clippy::type_complexity)]
        let (rows, people, groups): (
            Vec<SessionRow>,
            Vec<(i64, String, String)>,
            Vec<(i64, i64, String, String)>,
        ) = on_db!(self, p => {
            let rows = sqlx::query_as(
                "SELECT s.id, s.slug, s.title, s.abstract AS abstract_text, s.abstract_html, s.format_id, f.name AS format_name, \
                 f.default_minutes AS format_minutes, f.colour AS format_colour, s.track, s.room_id, r.name AS room_name, \
                 r.kind AS room_kind, s.starts_at, s.ends_at, s.language, s.sign_language, s.live_captions, s.easy_language, \
                 s.capacity, s.do_not_record, s.state, s.recording_url, s.summary \
                 FROM programme_sessions s LEFT JOIN session_formats f ON f.id = s.format_id \
                 LEFT JOIN programme_rooms r ON r.id = s.room_id \
                 WHERE s.event_id = $1 AND ($2 IS NULL OR s.slug = $2) ORDER BY s.starts_at, r.id IS NULL, r.position, s.id",
            ).bind(event_id).bind(slug).fetch_all(p).await?;
            let people = sqlx::query_as(
                "SELECT sp.session_id, sp.name, sp.role FROM session_people sp JOIN programme_sessions s ON s.id = sp.session_id \
                 WHERE s.event_id = $1 AND ($2 IS NULL OR s.slug = $2) ORDER BY sp.session_id, sp.position",
            ).bind(event_id).bind(slug).fetch_all(p).await?;
            let groups = sqlx::query_as(
                "SELECT x.session_id, g.id, g.slug, g.name FROM session_target_groups x \
                 JOIN programme_sessions s ON s.id = x.session_id JOIN target_groups g ON g.id = x.target_group_id \
                 WHERE s.event_id = $1 AND ($2 IS NULL OR s.slug = $2) ORDER BY x.session_id, g.name",
            ).bind(event_id).bind(slug).fetch_all(p).await?;
            (rows, people, groups)
        });
        let mut groups_of: std::collections::HashMap<i64, Vec<topics::Topic>> =
            std::collections::HashMap::new();
        for (session, id, slug, name) in groups {
            groups_of
                .entry(session)
                .or_default()
                .push(topics::Topic { id, slug, name });
        }
        let mut by_session: std::collections::HashMap<i64, Vec<SessionPerson>> =
            std::collections::HashMap::new();
        for (session, name, role) in people {
            let role = PersonRole::parse(&role)
                .ok_or_else(|| StoreError::Invalid(format!("session {session}: role {role:?}")))?;
            by_session
                .entry(session)
                .or_default()
                .push(SessionPerson { name, role });
        }
        rows.into_iter()
            .map(|r| {
                let bad = |what: &str, v: &str| {
                    StoreError::Invalid(format!("session {}: {what} {v:?}", r.id))
                };
                let format = match (
                    r.format_id,
                    r.format_name,
                    r.format_minutes,
                    r.format_colour,
                ) {
                    (Some(id), Some(name), Some(default_minutes), Some(colour)) => Some(Format {
                        id,
                        name,
                        default_minutes,
                        colour,
                    }),
                    _ => None,
                };
                let room = match (r.room_name, r.room_kind) {
                    (Some(name), Some(kind)) => Some((
                        name,
                        RoomKind::parse(&kind).ok_or_else(|| bad("room kind", &kind))?,
                    )),
                    _ => None,
                };
                Ok(Session {
                    id: r.id,
                    slug: r.slug,
                    input: SessionInput {
                        title: r.title,
                        abstract_text: r.abstract_text,
                        format_id: r.format_id,
                        track: r.track,
                        room_id: r.room_id,
                        starts_at: r.starts_at,
                        ends_at: r.ends_at,
                        language: r.language,
                        sign_language: r.sign_language,
                        live_captions: r.live_captions,
                        easy_language: r.easy_language,
                        capacity: r.capacity,
                        do_not_record: r.do_not_record,
                        state: SessionState::parse(&r.state)
                            .ok_or_else(|| bad("state", &r.state))?,
                        people: by_session.remove(&r.id).unwrap_or_default(),
                    },
                    abstract_html: r.abstract_html,
                    format,
                    room,
                    recording_url: r.recording_url,
                    summary: r.summary,
                    groups: groups_of.remove(&r.id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Links event `event_id` to measures (the measure page lists its events).
    pub async fn link_event_measures(&self, event_id: i64, measure_ids: &[i64]) -> Result<()> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            // The pages of measures that lose the event change too.
            let before: Vec<i64> = sqlx::query_scalar("SELECT measure_id FROM event_measures WHERE event_id = $1")
                .bind(event_id).fetch_all(&mut *tx).await?;
            sqlx::query("DELETE FROM event_measures WHERE event_id = $1").bind(event_id).execute(&mut *tx).await?;
            for m in measure_ids {
                sqlx::query("INSERT INTO event_measures (event_id, measure_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(event_id).bind(m).execute(&mut *tx).await?;
            }
            let mut tags = vec![TAG.to_string(), event_tag(event_id)];
            tags.extend(measure_ids.iter().chain(&before).map(|m| domain::tags::measure(*m)));
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
        });
        Ok(())
    }

    /// The published measures event `event_id` is linked to (id, slug, title), by title.
    pub async fn measures_of_event(&self, event_id: i64) -> Result<Vec<(i64, String, String)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT m.id, m.slug, m.title FROM event_measures em JOIN measures m ON m.id = em.measure_id \
             WHERE em.event_id = $1 AND m.state = 'published' ORDER BY m.title, m.id"
        ).bind(event_id).fetch_all(p).await?);
        Ok(rows)
    }

    /// The public events linked to measure `measure_id` (slug, title, start), by start.
    pub async fn events_of_measure(
        &self,
        measure_id: i64,
    ) -> Result<Vec<(String, String, OffsetDateTime)>> {
        let rows = on_db!(self, p => sqlx::query_as(
            "SELECT e.slug, e.title, e.starts_at FROM event_measures em JOIN programme_events e ON e.id = em.event_id \
             WHERE em.measure_id = $1 AND e.state IN ('published', 'cancelled') ORDER BY e.starts_at, e.id"
        ).bind(measure_id).fetch_all(p).await?);
        Ok(rows)
    }
}

/// The search text of an event's form (`store::search`).
fn event_search_text(e: &EventInput) -> String {
    crate::search::event_search(&e.title, &e.organiser, &e.place, &e.description)
}

/// The search text of a session's form, with its people (`store::search`).
fn session_search_text(s: &SessionInput) -> String {
    let names: Vec<&str> = s.people.iter().map(|p| p.name.trim()).collect();
    crate::search::session_search(&s.title, &s.track, &s.abstract_text, &names)
}
