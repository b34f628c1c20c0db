//! Events and their programme, public pages: the list, an event's programme by time slot, a
//! session's page; drafts stay hidden, a cancelled event says so, a bad page number is named.

use super::*;
use domain::programme::{
    Attendance, EventInput, EventState, PersonRole, SessionInput, SessionPerson, SessionState,
};
use time::macros::datetime;

fn event(title: &str, state: EventState, fee: Option<i64>) -> EventInput {
    EventInput {
        title: title.into(),
        description: "Ein Tag **voller** Sessions".into(),
        organiser: "Stadt Musterstadt".into(),
        starts_at: datetime!(2030-10-16 08:00 UTC),
        ends_at: datetime!(2030-10-16 17:00 UTC),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: fee,
        fee_note: if fee.is_some() {
            "Per Rechnung".into()
        } else {
            String::new()
        },
        capacity: Some(500),
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state,
    }
}

fn session(title: &str, hour: u8, language: &str) -> SessionInput {
    let starts = datetime!(2030-10-16 00:00 UTC) + time::Duration::hours(hour as i64);
    SessionInput {
        title: title.into(),
        abstract_text: "Worum es geht".into(),
        format_id: None,
        track: "Teilhabe".into(),
        room_id: None,
        starts_at: starts,
        ends_at: starts + time::Duration::hours(1),
        language: language.into(),
        sign_language: true,
        live_captions: false,
        easy_language: false,
        capacity: None,
        do_not_record: true,
        state: SessionState::Confirmed,
        people: vec![SessionPerson {
            name: "Erika <b>Muster</b>".into(),
            role: PersonRole::Moderator,
        }],
    }
}

db_test!(
    the_programme_lists_events_and_their_sessions_by_time_slot,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "<p>Ein Tag <strong>voller</strong> Sessions</p>",
                false,
            )
            .await
            .unwrap();
        let formats = db.session_formats().await.unwrap();
        let mut first = session("Digitale Teilhabe für Senioren", 8, "de");
        first.format_id = Some(formats[0].id);
        db.add_session(None, id, &first, "<p>Worum es geht</p>")
            .await
            .unwrap();
        db.add_session(None, id, &session("Digitale Schule", 8, "de"), "")
            .await
            .unwrap();
        db.add_session(
            None,
            id,
            &session("Digital Services for New Residents", 10, "en"),
            "",
        )
        .await
        .unwrap();
        db.create_event(
            None,
            None,
            &event("Geheimer Entwurf", EventState::Draft, None),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_event(
            None,
            None,
            &event("Online-Seminar", EventState::Cancelled, Some(4000)),
            "",
            false,
        )
        .await
        .unwrap();

        let list = get(&app, "/veranstaltungen").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Digitaltag 2030"));
        assert!(list.body.contains("3 Sessions"));
        assert!(
            list.body.contains("16.10.2030, 10:00–19:00 Uhr"),
            "German time"
        );
        assert!(list.body.contains("40,00 €"));
        assert!(list.body.contains("Abgesagt"));
        assert!(!list.body.contains("Geheimer Entwurf"));
        assert!(
            list.body
                .contains(r#"aria-current="page">Veranstaltungen</a>"#)
        );

        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        // Two slots: 10:00 (two sessions) and 12:00 German time.
        assert_eq!(count(&page.body, "<section class=\"slot\""), 2);
        assert!(page.body.contains("Ab 10:00 Uhr"));
        assert!(page.body.contains("Ab 12:00 Uhr"));
        assert!(page.body.contains("Digitaler Dialog"));
        assert!(page.body.contains("Muster"));
        assert!(!page.body.contains("<b>Muster"), "escaped");
        assert!(page.body.contains("(Moderation)"));
        assert!(page.body.contains("auf Englisch"));
        assert!(page.body.contains("Gebärdensprache"));
        assert!(page.body.contains("<strong>voller</strong>"));
        assert!(page.body.contains("kostenlos"));

        let s = get(
            &app,
            &format!("/veranstaltungen/{slug}/sessions/digitale-schule"),
        )
        .await;
        assert_eq!(s.status, StatusCode::OK);
        assert!(s.body.contains("<h1>Digitale Schule</h1>"));
        assert!(s.body.contains("Diese Session wird nicht aufgezeichnet."));
        assert!(s.body.contains("Zur Veranstaltung „Digitaltag 2030“"));

        let en = get(&app, &format!("/veranstaltungen/{slug}?lang=en")).await;
        assert!(en.body.contains("From 10:00"), "{}", en.body);
        assert!(en.body.contains("free of charge"));
    }
);

db_test!(
    drafts_unknown_sessions_and_bad_pages_get_clear_answers,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Entwurf", EventState::Draft, None),
                "",
                false,
            )
            .await
            .unwrap();
        db.add_session(None, id, &session("Geheim", 8, "de"), "")
            .await
            .unwrap();
        assert_eq!(
            get(&app, &format!("/veranstaltungen/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, &format!("/veranstaltungen/{slug}/sessions/geheim"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let (_, public) = db
            .create_event(
                None,
                None,
                &event("Öffentlich", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        assert_eq!(
            get(
                &app,
                &format!("/veranstaltungen/{public}/sessions/gibt-es-nicht")
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let empty = get(&app, &format!("/veranstaltungen/{public}")).await;
        assert!(
            empty
                .body
                .contains("Das Programm wird noch bekannt gegeben.")
        );
        for bad in ["0", "x", "-1", "99999999999"] {
            let r = get(&app, &format!("/veranstaltungen?page={bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(r.body.contains("page"), "names the parameter");
        }
        assert_eq!(
            get(&app, "/veranstaltungen?page=").await.status,
            StatusCode::OK
        );
    }
);
