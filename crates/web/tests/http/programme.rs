//! Events and their programme, public pages: the list, an event's programme by time slot, a
//! session's page; drafts stay hidden, a cancelled event says so, a bad page number is named.

use super::accounts::post;
use super::*;
use domain::programme::{
    Attendance, EventInput, EventState, PersonRole, SessionInput, SessionPerson, SessionState,
};
use time::macros::datetime;

pub(super) fn event(title: &str, state: EventState, fee: Option<i64>) -> EventInput {
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

pub(super) fn session(title: &str, hour: u8, language: &str) -> SessionInput {
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

db_test!(
    calendars_carry_the_zone_stable_uids_and_the_cancelled,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let (empty_id, empty) = db
            .create_event(
                None,
                None,
                &event("Ohne Programm", EventState::Cancelled, None),
                "",
                false,
            )
            .await
            .unwrap();
        let (s1, _) = db
            .add_session(None, id, &session("Digitale Schule", 8, "de"), "")
            .await
            .unwrap();
        let mut off = session("Fällt aus; leider", 10, "de");
        off.state = SessionState::Cancelled;
        let (s2, off_slug) = db.add_session(None, id, &off, "").await.unwrap();

        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(
            page.body
                .contains(&format!("/veranstaltungen/{slug}/kalender.ics"))
        );
        let r = get(&app, &format!("/veranstaltungen/{slug}/kalender.ics")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "text/calendar; charset=utf-8"
        );
        assert_eq!(count(&r.body, "BEGIN:VEVENT"), 2);
        assert!(r.body.contains("TZID:Europe/Berlin"));
        assert!(
            r.body
                .contains("DTSTART;TZID=Europe/Berlin:20301016T100000")
        );
        assert!(r.body.contains(&format!("UID:session-{s1}@radar.example")));
        assert!(r.body.contains(&format!("UID:session-{s2}@radar.example")));
        assert!(r.body.contains("SUMMARY:Fällt aus\\; leider"));
        assert_eq!(count(&r.body, "STATUS:CANCELLED"), 1);
        // The same UIDs on the next export.
        let again = get(&app, &format!("/veranstaltungen/{slug}/kalender.ics")).await;
        assert_eq!(again.body, r.body);

        let one = get(
            &app,
            &format!("/veranstaltungen/{slug}/sessions/{off_slug}/kalender.ics"),
        )
        .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(count(&one.body, "BEGIN:VEVENT"), 1);
        assert!(one.body.contains("STATUS:CANCELLED"));

        // No sessions yet: the event itself, cancelled with it.
        let whole = get(&app, &format!("/veranstaltungen/{empty}/kalender.ics")).await;
        assert!(
            whole
                .body
                .contains(&format!("UID:event-{empty_id}@radar.example"))
        );
        assert!(whole.body.contains("STATUS:CANCELLED"));
        assert_eq!(
            get(
                &app,
                &format!("/veranstaltungen/{slug}/sessions/nichts/kalender.ics")
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(a_measure_page_lists_its_public_events, |db| async move {
    let app = app(&db).await;
    let first = db
        .measures(
            &store::strategy::MeasureFilter::default(),
            store::strategy::Sort::Title,
            1,
            1,
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let (m, slug) = (first.id, first.slug);
    let uri = format!("/massnahmen/{slug}");
    assert!(!get(&app, &uri).await.body.contains("Veranstaltungen dazu"));
    let (id, event_slug) = db
        .create_event(
            None,
            None,
            &event("Digitaltag 2030", EventState::Published, None),
            "",
            false,
        )
        .await
        .unwrap();
    let (draft, _) = db
        .create_event(
            None,
            None,
            &event("Noch geheim", EventState::Draft, None),
            "",
            false,
        )
        .await
        .unwrap();
    db.link_event_measures(id, &[m]).await.unwrap();
    db.link_event_measures(draft, &[m]).await.unwrap();
    let page = get(&app, &uri).await;
    assert!(page.body.contains("Veranstaltungen dazu"));
    assert!(
        page.body
            .contains(&format!("href=\"/veranstaltungen/{event_slug}\""))
    );
    assert!(page.body.contains("(16.10.2030)"));
    assert!(!page.body.contains("Noch geheim"));
    let event_page = get(&app, &format!("/veranstaltungen/{event_slug}")).await;
    assert!(
        event_page
            .body
            .contains(&format!("href=\"/massnahmen/{slug}\""))
    );
});

db_test!(
    the_schedule_comes_as_frab_json_and_xml_by_day_and_room,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let (s1, _) = db
            .add_session(None, id, &session("Digitale Schule", 8, "de"), "")
            .await
            .unwrap();
        db.add_session(None, id, &session("Digital Services", 10, "en"), "")
            .await
            .unwrap();
        let r = get(&app, &format!("/veranstaltungen/{slug}/schedule.json")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
        let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let conf = &doc["schedule"]["conference"];
        assert_eq!(conf["acronym"], format!("digitaltag_2030_{id}"));
        assert_eq!(conf["daysCount"], 1);
        assert_eq!(conf["time_zone_name"], "Europe/Berlin");
        let day = &conf["days"][0];
        assert_eq!(day["date"], "2030-10-16");
        // No rooms: the online event's sessions are in "Online".
        let online = day["rooms"]["Online"].as_array().unwrap();
        assert_eq!(online.len(), 2);
        assert_eq!(online[0]["id"], s1);
        assert_eq!(online[0]["start"], "10:00");
        assert_eq!(online[0]["duration"], "01:00");
        assert_eq!(online[0]["date"], "2030-10-16T10:00:00+02:00");
        assert_eq!(online[0]["persons"][0]["name"], "Erika <b>Muster</b>");
        assert_eq!(online[1]["language"], "en");
        // The same GUIDs on the next export.
        let again = get(&app, &format!("/veranstaltungen/{slug}/schedule.json")).await;
        assert_eq!(again.body, r.body);

        let x = get(&app, &format!("/veranstaltungen/{slug}/schedule.xml")).await;
        assert_eq!(x.status, StatusCode::OK);
        assert_eq!(
            x.headers[header::CONTENT_TYPE],
            "application/xml; charset=utf-8"
        );
        assert!(
            x.body
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>")
        );
        assert_eq!(count(&x.body, "<event guid="), 2);
        assert!(
            x.body
                .contains("<person>Erika &lt;b&gt;Muster&lt;/b&gt;</person>"),
            "escaped"
        );
        assert!(x.body.contains("<optout>true</optout>"));

        let (_, draft) = db
            .create_event(
                None,
                None,
                &event("Entwurf", EventState::Draft, None),
                "",
                false,
            )
            .await
            .unwrap();
        for kind in ["json", "xml"] {
            assert_eq!(
                get(&app, &format!("/veranstaltungen/{draft}/schedule.{kind}"))
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
    }
);

/// The JSON-LD of a page, parsed.
fn json_ld(body: &str) -> serde_json::Value {
    let start = body
        .find(r#"<script type="application/ld+json">"#)
        .expect("a JSON-LD block")
        + r#"<script type="application/ld+json">"#.len();
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).unwrap()
}

db_test!(
    event_and_session_pages_describe_themselves_for_search_engines,
    |db| async move {
        let app = app(&db).await;
        let mut e = event(
            "Seminar </script> am Abend",
            EventState::Published,
            Some(4000),
        );
        e.attendance = Attendance::Mixed;
        e.place = "Stadtbibliothek, Saal 2".into();
        let (id, slug) = db.create_event(None, None, &e, "", false).await.unwrap();
        let room = db
            .add_room(
                id,
                &store::programme::NewRoom {
                    name: "Videoraum",
                    kind: domain::programme::RoomKind::Virtual,
                    join_url: "https://video.example/geheimer-raum",
                    capacity: None,
                },
            )
            .await
            .unwrap();
        let mut s = session("Teil 1", 8, "de");
        s.room_id = Some(room);
        let (_, s_slug) = db.add_session(None, id, &s, "").await.unwrap();

        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        let ld = json_ld(&page.body);
        assert_eq!(ld["@type"], "Event");
        assert_eq!(ld["name"], "Seminar </script> am Abend");
        assert_eq!(
            ld["eventAttendanceMode"],
            "https://schema.org/MixedEventAttendanceMode"
        );
        assert_eq!(ld["location"][0]["@type"], "Place");
        assert_eq!(ld["location"][1]["@type"], "VirtualLocation");
        assert_eq!(ld["offers"]["price"], "40.00");
        assert_eq!(ld["offers"]["priceCurrency"], "EUR");
        assert_eq!(ld["startDate"], "2030-10-16T10:00:00+02:00");
        assert!(
            !page.body.contains("geheimer-raum"),
            "the join link is for registered people"
        );

        let sp = get(&app, &format!("/veranstaltungen/{slug}/sessions/{s_slug}")).await;
        let ld = json_ld(&sp.body);
        assert_eq!(
            ld["superEvent"]["url"],
            format!("https://radar.example/veranstaltungen/{slug}")
        );
        assert_eq!(ld["performer"][0]["name"], "Erika <b>Muster</b>");
        assert!(!sp.body.contains("geheimer-raum"));
    }
);

db_test!(
    the_api_lists_events_and_gives_one_with_its_programme,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, Some(1250)),
                "<p>x</p>",
                false,
            )
            .await
            .unwrap();
        db.create_event(
            None,
            None,
            &event("Entwurf", EventState::Draft, None),
            "",
            false,
        )
        .await
        .unwrap();
        let room = db
            .add_room(
                id,
                &store::programme::NewRoom {
                    name: "Videoraum",
                    kind: domain::programme::RoomKind::Virtual,
                    join_url: "https://video.example/geheimer-raum",
                    capacity: Some(80),
                },
            )
            .await
            .unwrap();
        let mut s = session("Digitale Schule", 8, "de");
        s.room_id = Some(room);
        db.add_session(None, id, &s, "<p>Worum es geht</p>")
            .await
            .unwrap();

        let r = get(&app, "/api/v1/events").await;
        assert_eq!(r.status, StatusCode::OK);
        let v = json(&r);
        assert_eq!(v["count"], 1, "no drafts");
        assert_eq!(v["next_url"], serde_json::Value::Null);
        let e = &v["events"][0];
        assert_eq!(e["slug"], slug);
        assert_eq!(e["fee_cents"], 1250);
        assert_eq!(e["sessions"], 1);
        assert_eq!(e["starts_at"], "2030-10-16T08:00:00Z");
        assert_eq!(
            e["schedule_url"],
            format!("https://radar.example/veranstaltungen/{slug}/schedule.json")
        );

        let r = get(&app, &format!("/api/v1/events/{slug}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("geheimer-raum"), "no join link");
        let d = json(&r);
        assert_eq!(d["rooms"][0]["name"], "Videoraum");
        assert_eq!(d["rooms"][0]["kind"], "virtual");
        let p = &d["programme"][0];
        assert_eq!(p["title"], "Digitale Schule");
        assert_eq!(p["room"]["name"], "Videoraum");
        assert_eq!(p["people"][0]["role"], "moderator");
        assert_eq!(p["sign_language"], true);
        assert_eq!(p["format"], serde_json::Value::Null);

        let bad = get(&app, "/api/v1/events?page=0").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_eq!(json(&bad)["errors"][0]["field"], "page");
        assert_eq!(
            get(&app, "/api/v1/events/entwurf").await.status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(
    the_grid_shows_rooms_in_columns_and_start_times_in_rows,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let mut rooms = Vec::new();
        for name in ["Raum A", "Raum B"] {
            rooms.push(
                db.add_room(
                    id,
                    &store::programme::NewRoom {
                        name,
                        kind: domain::programme::RoomKind::Virtual,
                        join_url: "",
                        capacity: None,
                    },
                )
                .await
                .unwrap(),
            );
        }
        let mut a = session("Digitale Schule", 8, "de");
        a.room_id = Some(rooms[0]);
        let mut b = session("Digitale Teilhabe", 8, "de");
        b.room_id = Some(rooms[1]);
        let mut c = session("Später in B", 10, "de");
        c.room_id = Some(rooms[1]);
        c.state = SessionState::Moved;
        for s in [a, b, c] {
            db.add_session(None, id, &s, "").await.unwrap();
        }
        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(
            page.body
                .contains(&format!("href=\"/veranstaltungen/{slug}/raster\""))
        );
        let g = get(&app, &format!("/veranstaltungen/{slug}/raster")).await;
        assert_eq!(g.status, StatusCode::OK);
        assert!(
            g.body
                .contains(r#"<th scope="col">Raum A</th><th scope="col">Raum B</th>"#)
        );
        assert_eq!(count(&g.body, r#"<th scope="row">"#), 2);
        // The 12:00 row: nothing in A, the moved session in B.
        assert!(g.body.contains("<td></td><td><a href="), "{}", g.body);
        assert!(g.body.contains("Diese Session wurde verschoben."));
        assert_eq!(
            get(&app, "/veranstaltungen/gibt-es-nicht/raster")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(
    the_programme_filters_on_submit_and_shows_now_and_next,
    |db| async move {
        let app = app(&db).await;
        let now = time::OffsetDateTime::now_utc();
        let mut running = event("Digitaltag heute", EventState::Published, None);
        running.starts_at = now - time::Duration::hours(2);
        running.ends_at = now + time::Duration::hours(6);
        let (id, slug) = db
            .create_event(None, None, &running, "", false)
            .await
            .unwrap();
        let formats = db.session_formats().await.unwrap();
        let at = |title: &str, from: time::Duration, language: &str| {
            let mut s = session(title, 0, language);
            s.starts_at = now + from;
            s.ends_at = s.starts_at + time::Duration::hours(1);
            s
        };
        let mut a = at("Gerade im Gange", -time::Duration::minutes(30), "de");
        a.format_id = Some(formats[0].id);
        a.track = "Teilhabe".into();
        let mut b = at("Gleich danach", time::Duration::minutes(45), "en");
        b.format_id = Some(formats[1].id);
        b.track = "Bildung".into();
        b.sign_language = false;
        b.do_not_record = false;
        let mut c = at("Später am Tag", time::Duration::hours(3), "de");
        c.track = "Bildung".into();
        c.sign_language = false;
        for s in [&a, &b, &c] {
            db.add_session(None, id, s, "").await.unwrap();
        }
        let page = format!("/veranstaltungen/{slug}");
        let all = get(&app, &page).await;
        assert!(
            all.body.contains("<legend>Programm filtern</legend>"),
            "{}",
            all.body
        );
        assert_eq!(count(&all.body, "class=\"session-card\""), 3);
        let r = get(&app, &format!("{page}?track=Bildung&recorded=yes")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(count(&r.body, "class=\"session-card\""), 1, "{}", r.body);
        assert!(r.body.contains("Gleich danach") && r.body.contains("1 von 3 Sessions"));
        assert!(r.body.contains("<option value=\"Bildung\" selected>"));
        let r = get(&app, &format!("{page}?access=sign_language")).await;
        assert_eq!(count(&r.body, "class=\"session-card\""), 1);
        assert!(r.body.contains("Gerade im Gange"));
        let r = get(
            &app,
            &format!("{page}?format={}&language=de", formats[0].id),
        )
        .await;
        assert_eq!(count(&r.body, "class=\"session-card\""), 1);
        let r = get(&app, &format!("{page}?language=en&access=sign_language")).await;
        assert!(r.body.contains("Keine Session passt zu diesen Filtern."));
        // Values the programme does not have are named, not silently empty.
        for bad in [
            "language=fr",
            "format=999999",
            "format=abc",
            "recorded=vielleicht",
            "access=dolmetscher",
            "track=Sport",
        ] {
            let r = get(&app, &format!("{page}?{bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(r.body.contains("gibt es im Programm nicht"), "{bad}");
        }
        // Now and next.
        let r = get(&app, &format!("{page}/jetzt")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.headers[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("max-age=60")
        );
        let running_at = r.body.find("Läuft gerade").unwrap();
        let next_at = r.body.find("Als Nächstes").unwrap();
        let a_at = r.body.find("Gerade im Gange").unwrap();
        let b_at = r.body.find("Gleich danach").unwrap();
        assert!(
            running_at < a_at && a_at < next_at && next_at < b_at,
            "{}",
            r.body
        );
        assert!(!r.body.contains("Später am Tag"));
        // An event still to come says when it begins.
        let (_, future) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let r = get(&app, &format!("/veranstaltungen/{future}/jetzt")).await;
        assert!(r.body.contains("noch nicht begonnen"), "{}", r.body);
    }
);

db_test!(
    a_personal_programme_without_account_or_cookie_and_in_the_account,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let (a, _) = db
            .add_session(None, id, &session("Digitale Teilhabe", 8, "de"), "")
            .await
            .unwrap();
        let (b, _) = db
            .add_session(None, id, &session("Datenportal der Stadt", 9, "de"), "")
            .await
            .unwrap();
        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        let action = "/mein-programm/merken";
        let fields = form_of(&page.body, action);
        assert!(!fields.is_empty(), "the public programme has star buttons");
        // The first star: a programme is made, its private link is where it goes; no cookie.
        let body = with_fields(&fields, &[("session", &a.to_string()), ("on", "1")]);
        let r = post(&app, action, &body, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(!r.headers.contains_key(header::SET_COOKIE));
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(to.starts_with("/mein-programm?token="), "{to}");
        let token = to
            .split("token=")
            .nth(1)
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .to_string();
        let mine = get(&app, &format!("/mein-programm?token={token}")).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert_eq!(mine.headers[header::REFERRER_POLICY], "no-referrer");
        assert!(
            mine.body.contains("Digitale Teilhabe") && !mine.body.contains("Datenportal der Stadt"),
            "{}",
            mine.body
        );
        // More from the event's list on the personal pages, with the link's token.
        let list = get(
            &app,
            &format!("/mein-programm/veranstaltungen/{slug}?token={token}"),
        )
        .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let fields = form_of(&list.body, action);
        let body = with_fields(
            &fields,
            &[
                ("session", &b.to_string()),
                ("on", "1"),
                ("token", &token),
                ("back", &slug),
            ],
        );
        let r = post(&app, action, &body, None).await;
        assert!(
            r.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with(&format!(
                    "/mein-programm/veranstaltungen/{slug}?token={token}"
                ))
        );
        let ics = get(&app, &format!("/mein-programm/kalender.ics?token={token}")).await;
        assert_eq!(ics.status, StatusCode::OK);
        assert_eq!(count(&ics.body, "BEGIN:VEVENT"), 2);
        assert!(
            ics.body.contains(&format!("UID:session-{a}@")),
            "{}",
            ics.body
        );
        // Unstarred: gone from the programme and the feed.
        let body = with_fields(
            &fields,
            &[("session", &a.to_string()), ("on", "0"), ("token", &token)],
        );
        post(&app, action, &body, None).await;
        let ics = get(&app, &format!("/mein-programm/kalender.ics?token={token}")).await;
        assert_eq!(count(&ics.body, "BEGIN:VEVENT"), 1);
        // Wrong tokens, foreign forms, unknown sessions.
        for bad in ["1.falsch", "abc", ""] {
            assert_eq!(
                get(&app, &format!("/mein-programm?token={bad}"))
                    .await
                    .status,
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
            assert_eq!(
                get(&app, &format!("/mein-programm/kalender.ics?token={bad}"))
                    .await
                    .status,
                StatusCode::BAD_REQUEST
            );
        }
        let body = with_fields(&fields, &[("session", &a.to_string()), ("csrf", "fremd")]);
        assert_eq!(
            post(&app, action, &body, None).await.status,
            StatusCode::FORBIDDEN
        );
        let body = with_fields(&fields, &[("session", "999999")]);
        assert_eq!(
            post(&app, action, &body, None).await.status,
            StatusCode::NOT_FOUND
        );
        let body = with_fields(
            &fields,
            &[("session", &a.to_string()), ("token", "1.falsch")],
        );
        assert_eq!(
            post(&app, action, &body, None).await.status,
            StatusCode::BAD_REQUEST
        );

        // Signed in: the star goes to the account's programme, which /konto/programm opens.
        let cookie = super::back_office::signed_in(&app, &db, "stella@example.org", &[]).await;
        let r = get_with(&app, "/konto/programm", &[("cookie", &cookie)]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("noch keine Sessions gemerkt"));
        let body = with_fields(&fields, &[("session", &b.to_string()), ("on", "1")]);
        let r = post(&app, action, &body, Some(&cookie)).await;
        let own = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert_ne!(own, to, "the account's own programme");
        let r = get_with(&app, "/konto/programm", &[("cookie", &cookie)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let user = db
            .user_by_email("stella@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let programme = db
            .personal_programme(store::programme::personal::Owner::Account(user))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(db.starred(programme).await.unwrap(), [(id, b)]);
        // Deleting the account deletes its programme.
        db.delete_account(user).await.unwrap();
        assert!(
            db.personal_programme(store::programme::personal::Owner::Link(programme))
                .await
                .unwrap()
                .is_none()
        );
    }
);

db_test!(
    formats_have_their_colours_from_a_stylesheet,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let formats = db.session_formats().await.unwrap();
        let mut s = session("Digitale Teilhabe", 8, "de");
        s.format_id = Some(formats[0].id);
        db.add_session(None, id, &s, "").await.unwrap();
        let css = get(&app, "/veranstaltungen/formate.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
        let class = format!("format-{}", formats[0].colour.trim_start_matches('#'));
        assert!(css.body.contains(&format!(".{class} {{")), "{}", css.body);
        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(page.body.contains("href=\"/veranstaltungen/formate.css\""));
        assert!(
            page.body.contains(&format!("class=\"format {class}\"")),
            "{}",
            page.body
        );
        assert!(!page.body.contains("style="), "no inline styles");
    }
);

db_test!(
    new_personal_programmes_are_limited_per_client_address,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(
                None,
                None,
                &event("Digitaltag 2030", EventState::Published, None),
                "",
                false,
            )
            .await
            .unwrap();
        let (a, _) = db
            .add_session(None, id, &session("Digitale Teilhabe", 8, "de"), "")
            .await
            .unwrap();
        let page = get(&app, &format!("/veranstaltungen/{slug}")).await;
        let fields = form_of(&page.body, "/mein-programm/merken");
        let body = with_fields(&fields, &[("session", &a.to_string()), ("on", "1")]);
        let mut token = String::new();
        for i in 0..30 {
            let r = post(&app, "/mein-programm/merken", &body, None).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{i}");
            let to = r.headers[header::LOCATION].to_str().unwrap();
            token = to
                .split("token=")
                .nth(1)
                .unwrap()
                .split('#')
                .next()
                .unwrap()
                .to_string();
        }
        let r = post(&app, "/mein-programm/merken", &body, None).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        // Stars into an existing programme (its link) make none: they go on.
        let with_link = with_fields(
            &fields,
            &[("session", &a.to_string()), ("on", "0"), ("token", &token)],
        );
        let r = post(&app, "/mein-programm/merken", &with_link, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
);
