//! The demo's events: the Digitaltag 2026 with 14 live sessions and an online seminar in three
//! parts with a fee (seeds 000 and 001), removed with the demo.

const EVENTS: &str = include_str!("../../demo/events.json");
/// The Digitaltag's image (drawn for the demo).
const DIGITALTAG_IMAGE: &[u8] = include_bytes!("../../demo/digitaltag.png");

#[derive(serde::Deserialize)]
struct DemoEvents {
    digitaltag: DemoDay,
    seminar: DemoSeminar,
}

#[derive(serde::Deserialize)]
struct DemoDay {
    title: String,
    description: String,
    organiser: String,
    /// The alternative text of the event's image.
    image_alt: String,
    /// Fields of action (their addresses) and target groups (their names) of the event.
    fields: Vec<String>,
    target_groups: Vec<String>,
    days_ahead: i64,
    from: String,
    to: String,
    capacity: i64,
    rooms: Vec<String>,
    sessions: Vec<DemoSession>,
}

#[derive(serde::Deserialize)]
struct DemoSession {
    title: String,
    at: String,
    minutes: i64,
    room: usize,
    format: String,
    track: String,
    people: Vec<(String, String)>,
    #[serde(rename = "abstract")]
    abstract_text: String,
    #[serde(default)]
    sign_language: bool,
    #[serde(default)]
    captions: bool,
    #[serde(default)]
    easy_language: bool,
    #[serde(default)]
    capacity: Option<i64>,
    #[serde(default)]
    do_not_record: bool,
    #[serde(default)]
    language: Option<String>,
    /// The target groups (their names) the session is especially for.
    #[serde(default)]
    target_groups: Vec<String>,
}

#[derive(serde::Deserialize)]
struct DemoSeminar {
    title: String,
    description: String,
    organiser: String,
    fields: Vec<String>,
    target_groups: Vec<String>,
    fee_cents: i64,
    fee_note: String,
    capacity: i64,
    parts: Vec<DemoPart>,
    from: String,
    minutes: i64,
    person: String,
}

#[derive(serde::Deserialize)]
struct DemoPart {
    title: String,
    days_ahead: i64,
}

/// Questions the demo's sessions received by mail before the day: (session, asker, question).
const ADVANCE_QUESTIONS: [(&str, &str, &str); 4] = [
    (
        "Im Gespräch mit dem CDO",
        "Renate S.",
        "Wann kann ich meinen Bewohnerparkausweis endlich online beantragen?",
    ),
    (
        "Im Gespräch mit dem CDO",
        "",
        "Wie stellt die Stadt sicher, dass niemand ohne Internet abgehängt wird?",
    ),
    (
        "Digitale Teilhabe für Senioren – Bleiben die Senioren auf der Strecke?",
        "Helmut W.",
        "Gibt es Kurse für das Smartphone auch in meinem Stadtteil, nicht nur in der Innenstadt?",
    ),
    (
        "Digitale Schule während und nach Corona",
        "",
        "Bekommen alle Kinder ein eigenes Tablet, oder bleibt es bei Leihgeräten?",
    ),
];

/// `hh:mm` German time on `date`, as an instant.
fn german_time(date: time::Date, hhmm: &str) -> anyhow::Result<time::OffsetDateTime> {
    let (h, m) = hhmm
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("demo time {hhmm:?}"))?;
    let at = date.with_hms(h.parse()?, m.parse()?, 0)?;
    let offset = domain::notifications::german_offset(at.assume_utc());
    Ok(at.assume_offset(offset).to_offset(time::UtcOffset::UTC))
}

/// Gives the demo its events: the Digitaltag (14 live sessions in five formats and three
/// virtual rooms, 10:00 to 19:00, three weeks from now, linked to two measures) and an online
/// seminar in three parts with a participation fee of 40,00 €. Removed with the demo. Does
/// nothing when the Digitaltag is there already (a demo loaded again); returns the sessions
/// written.
pub async fn events(db: &store::Db) -> anyhow::Result<usize> {
    use domain::programme::{
        Attendance, EventInput, EventState, PersonRole, RoomKind, SessionInput, SessionPerson,
        SessionState,
    };
    let demo: DemoEvents = serde_json::from_str(EVENTS)?;
    let day = &demo.digitaltag;
    if db
        .event_by_slug(&domain::text::slugify(&day.title), true)
        .await?
        .is_some()
    {
        return Ok(0);
    }
    // The strategy's fields of action and target groups, read once for every link.
    let choices = db.topic_choices().await?;
    let now = time::OffsetDateTime::now_utc();
    let today = now
        .to_offset(domain::notifications::german_offset(now))
        .date();
    let date = today + time::Duration::days(day.days_ahead);
    let event = EventInput {
        title: day.title.clone(),
        description: day.description.clone(),
        organiser: day.organiser.clone(),
        starts_at: german_time(date, &day.from)?,
        ends_at: german_time(date, &day.to)?,
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: None,
        fee_note: String::new(),
        capacity: Some(day.capacity),
        registration_opens_at: None,
        registration_closes_at: Some(german_time(date, &day.from)?),
        image_alt: String::new(),
        state: EventState::Published,
    };
    check(event.check())?;
    let html = domain::comments::comment_html(&event.description);
    let (id, slug) = db.create_event(None, None, &event, &html, true).await?;
    let mut rooms = Vec::new();
    for (i, name) in day.rooms.iter().enumerate() {
        let join = format!(
            "https://konferenz.musterstadt.invalid/{slug}/raum-{}",
            i + 1
        );
        rooms.push(
            db.add_room(
                id,
                &store::programme::NewRoom {
                    name,
                    kind: RoomKind::Virtual,
                    join_url: &join,
                    capacity: None,
                },
            )
            .await?,
        );
    }
    let formats = db.session_formats().await?;
    let mut written = 0;
    for s in &day.sessions {
        let starts_at = german_time(date, &s.at)?;
        let format = formats
            .iter()
            .find(|f| f.name == s.format)
            .ok_or_else(|| anyhow::anyhow!("demo format {:?}", s.format))?;
        let mut people = Vec::new();
        for (name, role) in &s.people {
            people.push(SessionPerson {
                name: name.clone(),
                role: PersonRole::parse(role)
                    .ok_or_else(|| anyhow::anyhow!("demo role {role:?}"))?,
            });
        }
        let session = SessionInput {
            title: s.title.clone(),
            abstract_text: s.abstract_text.clone(),
            format_id: Some(format.id),
            track: s.track.clone(),
            room_id: rooms.get(s.room).copied(),
            starts_at,
            ends_at: starts_at + time::Duration::minutes(s.minutes),
            language: s.language.clone().unwrap_or_else(|| "de".into()),
            sign_language: s.sign_language,
            live_captions: s.captions,
            easy_language: s.easy_language,
            capacity: s.capacity,
            do_not_record: s.do_not_record,
            state: SessionState::Confirmed,
            people,
        };
        check(session.check(event.starts_at, event.ends_at))?;
        let html = domain::comments::comment_html(&session.abstract_text);
        let (session_id, _) = db.add_session(None, id, &session, &html).await?;
        if !s.target_groups.is_empty() {
            let groups = ids(&choices.groups, |g| s.target_groups.contains(&g.name));
            db.set_session_groups(id, session_id, &groups).await?;
        }
        // Questions sent in advance by mail, as the city received them before its Digitaltag.
        for (asker, question) in ADVANCE_QUESTIONS
            .iter()
            .filter(|(title, _, _)| *title == s.title)
            .map(|(_, asker, question)| (asker, question))
        {
            db.ask(
                session_id,
                question,
                asker,
                None,
                domain::programme::questions::QuestionSource::Mail,
                &[],
            )
            .await?
            .map_err(|r| anyhow::anyhow!("demo question refused: {r:?}"))?;
        }
        written += 1;
    }
    let measures = db
        .measures(
            &store::strategy::MeasureFilter::default(),
            store::strategy::Sort::Title,
            1,
            2,
        )
        .await?
        .items;
    db.link_event_measures(id, &measures.iter().map(|m| m.id).collect::<Vec<_>>())
        .await?;
    link_topics(db, &choices, id, &day.fields, &day.target_groups).await?;
    let image = domain::programme::image::check(DIGITALTAG_IMAGE)
        .map_err(|k| anyhow::anyhow!("the demo's image is refused: {k}"))?;
    let etag = web::ops::branding::etag_of(DIGITALTAG_IMAGE);
    db.set_event_image(
        None,
        id,
        Some(store::programme::images::NewImage {
            mime: image.kind.mime(),
            body: DIGITALTAG_IMAGE,
            width: image.width,
            height: image.height,
            etag: &etag,
        }),
        &day.image_alt,
    )
    .await?;

    // The online seminar in three parts, one session each.
    let sem = &demo.seminar;
    let first = today + time::Duration::days(sem.parts.first().map_or(7, |p| p.days_ahead));
    let last = today + time::Duration::days(sem.parts.last().map_or(7, |p| p.days_ahead));
    let starts_at = german_time(first, &sem.from)?;
    let event = EventInput {
        title: sem.title.clone(),
        description: sem.description.clone(),
        organiser: sem.organiser.clone(),
        starts_at,
        ends_at: german_time(last, &sem.from)? + time::Duration::minutes(sem.minutes),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: Some(sem.fee_cents),
        fee_note: sem.fee_note.clone(),
        capacity: Some(sem.capacity),
        registration_opens_at: None,
        registration_closes_at: Some(starts_at - time::Duration::days(1)),
        image_alt: String::new(),
        state: EventState::Published,
    };
    check(event.check())?;
    let html = domain::comments::comment_html(&event.description);
    let (id, slug) = db.create_event(None, None, &event, &html, true).await?;
    link_topics(db, &choices, id, &sem.fields, &sem.target_groups).await?;
    let join = format!("https://konferenz.musterstadt.invalid/{slug}");
    let room = db
        .add_room(
            id,
            &store::programme::NewRoom {
                name: "Online-Seminarraum",
                kind: RoomKind::Virtual,
                join_url: &join,
                capacity: Some(sem.capacity),
            },
        )
        .await?;
    let seminar_format = formats.iter().find(|f| f.name == "Workshop");
    for part in &sem.parts {
        let starts_at = german_time(today + time::Duration::days(part.days_ahead), &sem.from)?;
        let session = SessionInput {
            title: part.title.clone(),
            abstract_text: String::new(),
            format_id: seminar_format.map(|f| f.id),
            track: String::new(),
            room_id: Some(room),
            starts_at,
            ends_at: starts_at + time::Duration::minutes(sem.minutes),
            language: "de".into(),
            sign_language: false,
            live_captions: false,
            easy_language: false,
            capacity: None,
            do_not_record: true,
            state: SessionState::Confirmed,
            people: vec![SessionPerson {
                name: sem.person.clone(),
                role: PersonRole::Speaker,
            }],
        };
        check(session.check(event.starts_at, event.ends_at))?;
        db.add_session(None, id, &session, "").await?;
        written += 1;
    }
    Ok(written)
}

/// Links a demo event to the strategy's fields of action (by address) and target groups (by
/// name). A strategy without some of them (the benchmark's generated one) gets the links it can
/// take.
async fn link_topics(
    db: &store::Db,
    choices: &store::programme::topics::Topics,
    id: i64,
    fields: &[String],
    groups: &[String],
) -> anyhow::Result<()> {
    let fields = ids(&choices.fields, |t| fields.contains(&t.slug));
    let groups = ids(&choices.groups, |t| groups.contains(&t.name));
    db.set_event_topics(id, &fields, &groups).await?;
    Ok(())
}

/// The ids of the topics `keep` chooses.
fn ids(
    topics: &[store::programme::topics::Topic],
    keep: impl Fn(&store::programme::topics::Topic) -> bool,
) -> Vec<i64> {
    topics.iter().filter(|t| keep(t)).map(|t| t.id).collect()
}

/// The demo's own data must pass the rules every organiser's does.
fn check(r: Result<(), Vec<domain::programme::Problem>>) -> anyhow::Result<()> {
    r.map_err(|p| anyhow::anyhow!("demo event data invalid: {p:?}"))
}

/// A large event for the benchmark (`demo-data --event-sessions`): "Digitalwoche Beispielstadt",
/// `sessions` sessions over three days in ten virtual rooms, an hour each from 09:00, in the
/// five formats, with two people each; `places` places to register for. Part of the demo. Its
/// first session takes questions without moderation (the benchmark's live Q&A). Returns the
/// event's slug and the first session's.
pub async fn large(
    db: &store::Db,
    sessions: usize,
    places: i64,
) -> anyhow::Result<(String, String)> {
    use domain::programme::{
        Attendance, EventInput, EventState, PersonRole, RoomKind, SessionInput, SessionPerson,
        SessionState,
    };
    const ROOMS: usize = 10;
    const TOPICS: [&str; 10] = [
        "Digitale Teilhabe im Quartier",
        "Schule und Medienbildung",
        "Online-Bürgerservice",
        "Offene Daten",
        "Smart City und Mobilität",
        "Datenschutz im Alltag",
        "Künstliche Intelligenz in der Verwaltung",
        "Breitband und WLAN",
        "Digitale Bibliotheken",
        "Ehrenamt digital",
    ];
    let now = time::OffsetDateTime::now_utc();
    let today = now
        .to_offset(domain::notifications::german_offset(now))
        .date();
    let first = today + time::Duration::days(30);
    let per_day = sessions.div_ceil(3).max(1);
    let slots_per_day = per_day.div_ceil(ROOMS) as i64;
    let event = EventInput {
        title: "Digitalwoche Beispielstadt".into(),
        description: format!(
            "Drei Tage, {sessions} Sessions in zehn virtuellen Räumen: der große Programmtag für den Benchmark."
        ),
        organiser: "Stadt Beispielstadt".into(),
        starts_at: german_time(first, "09:00")?,
        ends_at: german_time(first + time::Duration::days(2), "09:00")?
            + time::Duration::hours(slots_per_day),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: None,
        fee_note: String::new(),
        capacity: Some(places),
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state: EventState::Published,
    };
    check(event.check())?;
    let html = domain::comments::comment_html(&event.description);
    let (id, slug) = db.create_event(None, None, &event, &html, true).await?;
    let mut rooms = Vec::new();
    for r in 1..=ROOMS {
        let name = format!("Raum {r}");
        let join = format!("https://konferenz.beispielstadt.invalid/{slug}/raum-{r}");
        rooms.push(
            db.add_room(
                id,
                &store::programme::NewRoom {
                    name: &name,
                    kind: RoomKind::Virtual,
                    join_url: &join,
                    capacity: None,
                },
            )
            .await?,
        );
    }
    let formats = db.session_formats().await?;
    let mut first_slug = String::new();
    for n in 0..sessions {
        let (day, within) = (n / per_day, n % per_day);
        let (slot, room) = (within / ROOMS, within % ROOMS);
        let starts_at = german_time(first + time::Duration::days(day as i64), "09:00")?
            + time::Duration::hours(slot as i64);
        let topic = TOPICS[n % TOPICS.len()];
        let session = SessionInput {
            title: format!("{topic} – Session {}", n + 1),
            abstract_text: format!(
                "Fachleute und Bürgerinnen und Bürger sprechen über {topic}: was die Stadt plant, was schon läuft und was fehlt."
            ),
            format_id: formats.get(n % formats.len().max(1)).map(|f| f.id),
            track: topic.to_string(),
            room_id: rooms.get(room).copied(),
            starts_at,
            ends_at: starts_at + time::Duration::minutes(50),
            language: if n % 17 == 0 {
                "en".into()
            } else {
                "de".into()
            },
            sign_language: n % 5 == 0,
            live_captions: n % 3 == 0,
            easy_language: n % 7 == 0,
            capacity: None,
            do_not_record: n % 11 == 0,
            state: SessionState::Confirmed,
            people: vec![
                SessionPerson {
                    name: format!("Referentin {}", n + 1),
                    role: PersonRole::Speaker,
                },
                SessionPerson {
                    name: format!("Moderator {}", n % 40 + 1),
                    role: PersonRole::Moderator,
                },
            ],
        };
        check(session.check(event.starts_at, event.ends_at))?;
        let html = domain::comments::comment_html(&session.abstract_text);
        let (session_id, session_slug) = db.add_session(None, id, &session, &html).await?;
        // The first session takes questions without moderation: the benchmark's live Q&A.
        if n == 0 {
            db.set_qa(None, session_id, true, false).await?;
            first_slug = session_slug;
        }
    }
    Ok((slug, first_slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_events_load_once_and_keep_to_their_day() {
        let db = store::testing::sqlite().await;
        let (_, doc) = domain::import::parse(crate::demo::MUSTERSTADT.as_bytes()).unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap().unwrap();
        assert_eq!(events(&db).await.unwrap(), 17);
        assert_eq!(events(&db).await.unwrap(), 0);
        let (list, total) = db
            .public_events(time::OffsetDateTime::now_utc(), Default::default(), 1, 10)
            .await
            .unwrap();
        assert_eq!(total, 2);
        // The seminar comes first (it starts sooner) and carries its fee.
        assert_eq!(list[0].input.fee_cents, Some(4000));
        let day = list
            .iter()
            .find(|e| e.input.title.starts_with("Digitaltag"))
            .unwrap();
        let programme = db.programme(day.id).await.unwrap();
        assert_eq!(programme.len(), 14);
        let formats: std::collections::BTreeSet<&str> = programme
            .iter()
            .filter_map(|s| s.format.as_ref().map(|f| f.name.as_str()))
            .collect();
        assert_eq!(formats.len(), domain::programme::PRESET_FORMATS.len());
        for s in &programme {
            let local = s
                .input
                .starts_at
                .to_offset(domain::notifications::german_offset(s.input.starts_at));
            assert!(
                (10..19).contains(&local.hour()),
                "{} at {local}",
                s.input.title
            );
            assert!(s.input.ends_at <= day.input.ends_at);
        }
        assert_eq!(db.event_rooms(day.id).await.unwrap().len(), 3);
        // Three weeks ahead, linked to two measures, and gone with the demo.
        let now = time::OffsetDateTime::now_utc();
        let today = now
            .to_offset(domain::notifications::german_offset(now))
            .date();
        let starts = day
            .input
            .starts_at
            .to_offset(domain::notifications::german_offset(day.input.starts_at));
        assert_eq!(starts.date(), today + time::Duration::days(21));
        assert_eq!(db.measures_of_event(day.id).await.unwrap().len(), 2);
        // Linked to fields of action and target groups, so the list can be filtered by them.
        let topics = db.event_topics(day.id).await.unwrap();
        assert_eq!((topics.fields.len(), topics.groups.len()), (3, 4));
        assert!(
            topics
                .groups
                .iter()
                .any(|g| g.name == "Seniorinnen und Senioren")
        );
        // Sessions for seniors, so the programme can be filtered by them.
        let for_seniors = programme
            .iter()
            .filter(|s| {
                s.groups
                    .iter()
                    .any(|g| g.name == "Seniorinnen und Senioren")
            })
            .count();
        assert_eq!(for_seniors, 3);
        // With its image, at the drawn size, described.
        let image = db.event_image_head(day.id).await.unwrap().unwrap();
        assert_eq!((image.width, image.height), (960, 400));
        assert!(image.alt.starts_with("Grafik"));
        db.remove_demo(None).await.unwrap().unwrap();
        assert_eq!(
            db.public_events(now, Default::default(), 1, 10)
                .await
                .unwrap()
                .1,
            0,
            "the demo's events went with it"
        );
    }
}
