//! Events and their programme: events with rooms, sessions and people; unique addresses; the
//! public list without drafts; the programme in slot order with formats, rooms and people; the
//! measure's events; the demo's events go with the demo. On both engines.

use super::*;
use domain::programme::{
    Attendance, EventInput, EventState, PersonRole, RoomKind, SessionInput, SessionPerson,
    SessionState, time_slots,
};
use store::programme::NewRoom;
use time::OffsetDateTime;
use time::macros::datetime;

pub(super) fn event(title: &str, state: EventState, starts: OffsetDateTime) -> EventInput {
    EventInput {
        title: title.into(),
        description: "Sessions zur Digitalisierung".into(),
        organiser: "Stadt Teststadt".into(),
        starts_at: starts,
        ends_at: starts + time::Duration::hours(9),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: None,
        fee_note: String::new(),
        capacity: Some(500),
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state,
    }
}

pub(super) fn session(
    title: &str,
    starts: OffsetDateTime,
    room: Option<i64>,
    format: Option<i64>,
) -> SessionInput {
    SessionInput {
        title: title.into(),
        abstract_text: "Worum es geht".into(),
        format_id: format,
        track: "Teilhabe".into(),
        room_id: room,
        starts_at: starts,
        ends_at: starts + time::Duration::minutes(60),
        language: "de".into(),
        sign_language: true,
        live_captions: false,
        easy_language: false,
        capacity: None,
        do_not_record: false,
        state: SessionState::Confirmed,
        people: vec![
            SessionPerson {
                name: "Erika Muster".into(),
                role: PersonRole::Speaker,
            },
            SessionPerson {
                name: "Max Beispiel".into(),
                role: PersonRole::Moderator,
            },
        ],
    }
}

db_test!(
    an_event_holds_rooms_and_sessions_and_lists_its_programme_by_slot,
    |db| async move {
        let day = datetime!(2026-10-16 08:00 UTC);
        let formats = db.session_formats().await.unwrap();
        // The migration presets the domain's formats.
        let preset: Vec<(&str, i64, &str)> = domain::programme::PRESET_FORMATS
            .iter()
            .map(|f| (f.name, f.minutes, f.colour))
            .collect();
        let stored: Vec<(&str, i64, &str)> = formats
            .iter()
            .map(|f| (f.name.as_str(), f.default_minutes, f.colour.as_str()))
            .collect();
        assert_eq!(stored, preset);
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2026", EventState::Published, day),
                "<p>x</p>",
                false,
            )
            .await
            .unwrap();
        assert_eq!(slug, "digitaltag-2026");
        // A second event of the same title gets an address of its own.
        let (_, second) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2026", EventState::Draft, day),
                "",
                false,
            )
            .await
            .unwrap();
        assert_eq!(second, "digitaltag-2026-2");
        let a = db
            .add_room(
                id,
                &NewRoom {
                    name: "Raum A",
                    kind: RoomKind::Virtual,
                    join_url: "https://video.example/a",
                    capacity: Some(100),
                },
            )
            .await
            .unwrap();
        let b = db
            .add_room(
                id,
                &NewRoom {
                    name: "Raum B",
                    kind: RoomKind::Physical,
                    join_url: "",
                    capacity: None,
                },
            )
            .await
            .unwrap();
        let ten = day + time::Duration::hours(2);
        // Added out of order: the programme comes by start, then by room.
        let (late, _) = db
            .add_session(
                None,
                id,
                &session(
                    "Im Gespräch mit dem CDO",
                    ten + time::Duration::hours(3),
                    Some(a),
                    Some(formats[3].id),
                ),
                "",
            )
            .await
            .unwrap();
        let (in_b, s1) = db
            .add_session(
                None,
                id,
                &session("Digitale Schule", ten, Some(b), Some(formats[1].id)),
                "",
            )
            .await
            .unwrap();
        let (in_a, _) = db
            .add_session(
                None,
                id,
                &session("Digitale Teilhabe für Senioren", ten, Some(a), None),
                "",
            )
            .await
            .unwrap();
        let (_, s2) = db
            .add_session(None, id, &session("Digitale Schule", ten, None, None), "")
            .await
            .unwrap();
        assert_eq!(
            (s1.as_str(), s2.as_str()),
            ("digitale-schule", "digitale-schule-2")
        );
        let programme = db.programme(id).await.unwrap();
        let ids: Vec<i64> = programme.iter().map(|s| s.id).collect();
        assert_eq!(&ids[..2], &[in_a, in_b]);
        assert_eq!(ids[3], late);
        let first = &programme[0];
        assert_eq!(first.room, Some(("Raum A".to_string(), RoomKind::Virtual)));
        assert_eq!(first.format, None);
        assert_eq!(first.input.people.len(), 2);
        assert_eq!(first.input.people[1].role, PersonRole::Moderator);
        assert_eq!(
            programme[1].format.as_ref().unwrap().name,
            "Online-Diskussion"
        );
        let slots = time_slots(programme);
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0].1.len(), 3);
        let rooms = db.event_rooms(id).await.unwrap();
        assert_eq!(
            rooms.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Raum A", "Raum B"]
        );
        assert_eq!(rooms[0].join_url, "https://video.example/a");
        // What a session left behind.
        assert!(
            db.set_session_outcome(
                None,
                late,
                "https://video.example/aufzeichnung",
                "Protokoll"
            )
            .await
            .unwrap()
        );
        assert!(!db.set_session_outcome(None, 999_999, "", "").await.unwrap());
        let shown = db
            .event_by_slug("digitaltag-2026", false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shown.sessions, 4);
        assert_eq!(shown.input.capacity, Some(500));
        // Audited.
        let (log, _) = db
            .audit_entries(Some("session.create"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 4);
    }
);

db_test!(
    drafts_stay_out_of_the_public_list_and_pages,
    |db| async move {
        let now = datetime!(2026-10-01 12:00 UTC);
        let past = datetime!(2026-05-01 08:00 UTC);
        let soon = datetime!(2026-10-16 08:00 UTC);
        let later = datetime!(2026-11-20 08:00 UTC);
        db.create_event(
            None,
            None,
            &event("Vergangen", EventState::Published, past),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_event(
            None,
            None,
            &event("Später", EventState::Published, later),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_event(
            None,
            None,
            &event("Entwurf", EventState::Draft, soon),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_event(
            None,
            None,
            &event("Abgesagt", EventState::Cancelled, soon),
            "",
            false,
        )
        .await
        .unwrap();
        let (events, total) = db
            .public_events(now, Default::default(), 1, 10)
            .await
            .unwrap();
        assert_eq!(total, 3);
        let titles: Vec<&str> = events.iter().map(|e| e.input.title.as_str()).collect();
        // Coming ones by start, then past ones.
        assert_eq!(titles, ["Abgesagt", "Später", "Vergangen"]);
        assert!(db.event_by_slug("entwurf", false).await.unwrap().is_none());
        assert!(db.event_by_slug("entwurf", true).await.unwrap().is_some());
        let (page2, _) = db
            .public_events(now, Default::default(), 2, 2)
            .await
            .unwrap();
        assert_eq!(page2.len(), 1);
    }
);

db_test!(
    a_measure_lists_its_events_and_the_demo_takes_its_own_along,
    |db| async move {
        let (_, doc) =
            parse(include_str!("../../../stadtradar/demo/musterstadt.json").as_bytes()).unwrap();
        let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap().unwrap();
        let m = db.admin_measures(None, None, None, 1, 0).await.unwrap().0[0].id;
        let day = datetime!(2026-10-16 08:00 UTC);
        let (id, _) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2026", EventState::Published, day),
                "",
                true,
            )
            .await
            .unwrap();
        let (draft, _) = db
            .create_event(
                None,
                None,
                &event("Noch geheim", EventState::Draft, day),
                "",
                false,
            )
            .await
            .unwrap();
        db.link_event_measures(id, &[m]).await.unwrap();
        db.link_event_measures(draft, &[m]).await.unwrap();
        let listed = db.events_of_measure(m).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].0, "digitaltag-2026");
        // Linked again with nothing: the link goes.
        db.link_event_measures(draft, &[]).await.unwrap();
        db.add_session(None, id, &session("Digitale Schule", day, None, None), "")
            .await
            .unwrap();
        // The demo's removal takes its events with their sessions; others stay.
        db.remove_demo(None).await.unwrap().unwrap();
        assert!(
            db.event_by_slug("digitaltag-2026", true)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            db.event_by_slug("noch-geheim", true)
                .await
                .unwrap()
                .is_some()
        );
    }
);

db_test!(
    the_clock_turns_the_pages_of_events_whose_times_pass,
    |db| async move {
        let starts = datetime!(2030-05-04 08:00 UTC);
        let mut e = event("Digitaltag", EventState::Published, starts);
        e.registration_opens_at = Some(starts - time::Duration::days(30));
        e.registration_closes_at = Some(starts - time::Duration::days(1));
        let (id, _) = db.create_event(None, None, &e, "", false).await.unwrap();
        // A draft's times never count.
        db.create_event(
            None,
            None,
            &event("Entwurf", EventState::Draft, starts),
            "",
            false,
        )
        .await
        .unwrap();
        db.add_session(
            None,
            id,
            &session("Eröffnung", starts + time::Duration::hours(2), None, None),
            "",
        )
        .await
        .unwrap();
        let minute = |at: OffsetDateTime| (at - time::Duration::minutes(1), at);
        let turns = |(from, to): (OffsetDateTime, OffsetDateTime)| {
            let db = db.clone();
            async move { db.programme_turns(from, to).await.unwrap() }
        };
        // Registration opens, closes; the event starts; a session starts and ends; it ends.
        for at in [
            starts - time::Duration::days(30),
            starts - time::Duration::days(1),
            starts,
            starts + time::Duration::hours(2),
            starts + time::Duration::hours(3),
            starts + time::Duration::hours(9),
        ] {
            assert_eq!(turns(minute(at)).await, vec![id], "{at}");
        }
        // A quiet minute, and the draft's times: nothing.
        assert!(
            turns(minute(starts + time::Duration::hours(1)))
                .await
                .is_empty()
        );
        // The start of a minute belongs to the one before (from exclusive, to inclusive).
        assert!(
            turns((starts, starts + time::Duration::minutes(1)))
                .await
                .is_empty()
        );
    }
);
