//! The organisers' side of events: an organiser sees and runs only their own events (admins
//! all), the registrations by place and state, check-in at the door, attendance after the event,
//! and the participants as CSV.

use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::programme::registration::RegState;
use domain::programme::{Attendance, EventInput, EventState};
use store::programme::registrations::{NewRegistration, Place};
use time::{Duration, OffsetDateTime};

fn event(title: &str, starts: OffsetDateTime) -> EventInput {
    EventInput {
        title: title.into(),
        description: String::new(),
        organiser: "Stadtbibliothek Musterstadt".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(2),
        attendance: Attendance::InPerson,
        place: "Stadtbibliothek, Saal 1".into(),
        fee_cents: None,
        fee_note: String::new(),
        capacity: Some(2),
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state: EventState::Published,
    }
}

async fn register(db: &Db, event_id: i64, name: &str, email: &str) -> i64 {
    let r = db
        .register(
            &NewRegistration {
                place: Place {
                    event_id,
                    session_id: None,
                },
                user_id: None,
                name,
                email,
                address_confirmed: true,
                lang: "de",
                limits: &[],
            },
            &|_, _| None,
        )
        .await
        .unwrap()
        .unwrap();
    match r {
        store::programme::registrations::Registered::New(r) => r.id,
        other => panic!("{other:?}"),
    }
}

db_test!(
    organisers_run_their_own_events_check_people_in_and_export_them,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let admin = signed_in(&app, &db, "admin@example.org", &[Role::Admin]).await;
        let ola_id = db
            .user_by_email("ola@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let otto_id = db
            .user_by_email("otto@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let soon = OffsetDateTime::now_utc() + Duration::days(3);
        let (mine, _) = db
            .create_event(
                None,
                Some(ola_id),
                &event("Lesung mit Tablet", soon),
                "",
                false,
            )
            .await
            .unwrap();
        let (theirs, _) = db
            .create_event(
                None,
                Some(otto_id),
                &event("Ottos Werkstatt", soon),
                "",
                false,
            )
            .await
            .unwrap();
        let anna = register(&db, mine, "=Anna Formel", "anna@example.org").await;
        register(&db, mine, "Ben", "ben@example.org").await;
        let carla = register(&db, mine, "Carla", "carla@example.org").await;

        // The list: one's own events; an admin's: all.
        let r = get_with(&app, "/veranstalten", &[("cookie", &ola)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Lesung mit Tablet") && !r.body.contains("Ottos Werkstatt"));
        assert!(
            r.body.contains("2 angemeldet, 1 auf der Warteliste"),
            "{}",
            r.body
        );
        let r = get_with(&app, "/veranstalten", &[("cookie", &admin)]).await;
        assert!(r.body.contains("Lesung mit Tablet") && r.body.contains("Ottos Werkstatt"));
        // The header links the organisers' side for organisers.
        assert!(r.body.contains("href=\"/veranstalten\""));

        // Someone else's event: refused, whatever the page, either way round.
        let r = get_with(
            &app,
            &format!("/veranstalten/{theirs}/anmeldungen"),
            &[("cookie", &ola)],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let base = format!("/veranstalten/{mine}/anmeldungen");
        for path in [base.clone(), format!("{base}.csv")] {
            assert_eq!(
                get_with(&app, &path, &[("cookie", &otto)]).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let page = get_with(&app, &base, &[("cookie", &ola)]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("anna@example.org") && page.body.contains("ben@example.org"));
        assert!(
            !page.body.contains("carla@example.org"),
            "the waiting list is a tab of its own"
        );
        let waiting = get_with(&app, &format!("{base}?status=waiting"), &[("cookie", &ola)]).await;
        assert!(waiting.body.contains("carla@example.org"));
        assert_eq!(
            get_with(
                &app,
                &format!("{base}?status=gibtsnicht"),
                &[("cookie", &ola)]
            )
            .await
            .status,
            StatusCode::BAD_REQUEST
        );
        let csrf = super::accounts::csrf_of(&page.body);
        let check_in = format!("{base}/{anna}/check-in");
        // Otto may not check Ola's guests in.
        let otto_csrf =
            super::accounts::csrf_of(&get_with(&app, "/konto", &[("cookie", &otto)]).await.body);
        let r = post(
            &app,
            &check_in,
            &format!("csrf={otto_csrf}&on=1"),
            Some(&otto),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Ola checks Anna in, and takes it back, and in again.
        for on in ["1", "0", "1"] {
            let r = post(
                &app,
                &check_in,
                &format!("csrf={csrf}&on={on}&status=confirmed"),
                Some(&ola),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let r = post(
            &app,
            &check_in,
            &format!("csrf={csrf}&on=vielleicht"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Someone on the waiting list is not checked in.
        let r = post(
            &app,
            &format!("{base}/{carla}/check-in"),
            &format!("csrf={csrf}&on=1"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let page = get_with(&app, &base, &[("cookie", &ola)]).await;
        assert!(page.body.contains("eingecheckt um"), "{}", page.body);
        let figures = db.registration_figures(mine).await.unwrap();
        let confirmed = figures
            .iter()
            .find(|f| f.state == RegState::Confirmed)
            .unwrap();
        assert_eq!((confirmed.count, confirmed.checked_in), (2, 1));

        // The export: every registration, formulas escaped.
        let csv = get_with(&app, &format!("{base}.csv"), &[("cookie", &ola)]).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            csv.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        assert!(csv.body.starts_with('\u{feff}'));
        assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
        assert!(
            csv.body
                .contains(";'=Anna Formel;anna@example.org;;confirmed;"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains(";Carla;carla@example.org;;waiting;"));

        // After the event: who did not come, and the share who did.
        let mut past = event(
            "Vortrag von gestern",
            OffsetDateTime::now_utc() - Duration::days(1),
        );
        past.registration_closes_at = None;
        let (gone, _) = db
            .create_event(None, Some(ola_id), &past, "", false)
            .await
            .unwrap();
        let r = get_with(
            &app,
            &format!("/veranstalten/{gone}/anmeldungen"),
            &[("cookie", &ola)],
        )
        .await;
        assert!(
            r.body.contains("nicht erschienen") && r.body.contains("Teilnahmequote"),
            "{}",
            r.body
        );
        // An event that ends in a moment: after it, its page says how many came.
        let mut short = event(
            "Kurzer Vortrag",
            OffsetDateTime::now_utc() - Duration::hours(1),
        );
        short.ends_at = OffsetDateTime::now_utc() + Duration::seconds(2);
        let (brief, brief_slug) = db
            .create_event(None, Some(ola_id), &short, "", false)
            .await
            .unwrap();
        let came = register(&db, brief, "Dora", "dora@example.org").await;
        assert!(db.set_checked_in(ola_id, brief, came, true).await.unwrap());
        let public = format!("/veranstaltungen/{brief_slug}");
        assert!(get(&app, &public).await.body.contains("Zur Anmeldung"));
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        // A check-in publishes the event's places tag; the cached page goes at the next change.
        db.set_checked_in(ola_id, brief, came, false).await.unwrap();
        db.set_checked_in(ola_id, brief, came, true).await.unwrap();
        let after = get(&app, &public).await;
        assert!(
            after.body.contains("Eine Person hat teilgenommen."),
            "{}",
            after.body
        );
        assert!(!after.body.contains("Zur Anmeldung"));
        // The audit log has the check-ins.
        let audit = get_with(
            &app,
            "/admin/protokoll?action=registration.check_in",
            &[("cookie", &admin)],
        )
        .await;
        assert!(
            audit.body.contains("registration.check_in"),
            "{}",
            audit.body
        );
    }
);

db_test!(
    organisers_create_and_change_their_events_and_more_places_go_to_the_waiting_list,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let form = get_with(&app, "/veranstalten/neu", &[("cookie", &ola)]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let csrf = super::accounts::csrf_of(&form.body);
        // Bad input: every problem named, the typed values kept, nothing stored.
        let bad = format!(
            "csrf={csrf}&title=Xy&organiser=Stadtbibliothek&starts_at=2030-10-16T12%3A00&ends_at=2030-10-16T10%3A00\
             &attendance=in_person&place=&fee=vierzig&capacity=-3&state=draft"
        );
        let r = post(&app, "/veranstalten/neu", &bad, Some(&ola)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        for (field, text) in [
            ("title", "zu kurz"),
            ("ends_at", ""),
            ("place", ""),
            ("fee", ""),
            ("capacity", ""),
        ] {
            assert!(
                r.body.contains(&format!("href=\"#{field}\"")),
                "{field}: {}",
                r.body
            );
            assert!(r.body.contains(text));
        }
        assert!(r.body.contains("value=\"Stadtbibliothek\""));
        assert!(r.body.contains("aria-invalid=\"true\""));
        assert!(db.organiser_events(None, 1, 50).await.unwrap().0.is_empty());
        let unparsable = format!(
            "csrf={csrf}&title=Lesung&organiser=Stadtbibliothek&starts_at=morgen&ends_at=&attendance=online&state=draft"
        );
        let r = post(&app, "/veranstalten/neu", &unparsable, Some(&ola)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("zum Beispiel 16.10.2026 10:00"));

        // A good one: a draft, owned by its creator, not public yet.
        let good = format!(
            "csrf={csrf}&title=Tablet-Sprechstunde&organiser=Stadtbibliothek+Musterstadt&description=F%C3%BCr+*alle*\
             &starts_at=2030-10-16T10%3A00&ends_at=16.10.2030+12%3A00&attendance=in_person&place=Saal+1\
             &fee=5%2C00&fee_note=Bar+vor+Ort&capacity=1&state=draft"
        );
        let r = post(&app, "/veranstalten/neu", &good, Some(&ola)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let id: i64 = to.split('/').nth(2).unwrap().parse().unwrap();
        let event = db.event_by_id(id).await.unwrap().unwrap();
        assert_eq!(
            event.owner_id,
            db.user_by_email("ola@example.org")
                .await
                .unwrap()
                .map(|u| u.id)
        );
        assert_eq!(
            event.input.starts_at,
            time::macros::datetime!(2030-10-16 08:00 UTC),
            "German summer time"
        );
        assert_eq!(
            (event.input.fee_cents, event.input.capacity),
            (Some(500), Some(1))
        );
        assert!(
            !event.remind_day && !event.remind_hour,
            "no reminders ticked"
        );
        assert_eq!(
            get(&app, &format!("/veranstaltungen/{}", event.slug))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let page = get_with(&app, &to, &[("cookie", &ola)]).await;
        assert!(
            page.body.contains("Die Veranstaltung ist angelegt"),
            "{}",
            page.body
        );
        assert!(page.body.contains("value=\"2030-10-16T10:00\""));
        // Someone else's event: neither its form nor a save.
        assert_eq!(
            get_with(&app, &to, &[("cookie", &otto)]).await.status,
            StatusCode::FORBIDDEN
        );
        let otto_csrf =
            super::accounts::csrf_of(&get_with(&app, "/konto", &[("cookie", &otto)]).await.body);
        let r = post(
            &app,
            &format!("/veranstalten/{id}/bearbeiten"),
            &good.replace(&csrf, &otto_csrf),
            Some(&otto),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Published: public. Two register for one place.
        let publish = good.replace("state=draft", "state=published") + "&remind_day=1";
        let r = post(
            &app,
            &format!("/veranstalten/{id}/bearbeiten"),
            &publish,
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            get(&app, &format!("/veranstaltungen/{}", event.slug))
                .await
                .status,
            StatusCode::OK
        );
        let saved = db.event_by_id(id).await.unwrap().unwrap();
        assert!(
            saved.remind_day && !saved.remind_hour,
            "the reminders as ticked"
        );
        register(&db, id, "Anna", "anna@example.org").await;
        let ben = register(&db, id, "Ben", "ben@example.org").await;
        assert_eq!(
            db.registration(ben).await.unwrap().unwrap().state,
            RegState::Waiting
        );
        // Two places now: Ben is offered the new one, by mail.
        let two = publish.replace("capacity=1", "capacity=2");
        let r = post(
            &app,
            &format!("/veranstalten/{id}/bearbeiten"),
            &two,
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.registration(ben).await.unwrap().unwrap().state,
            RegState::Offered
        );
        let stats = db.mail_stats().await.unwrap();
        assert!(stats.queued >= 1);
        let page = get_with(
            &app,
            &format!("/veranstalten/{id}/bearbeiten?hinweis=gespeichert"),
            &[("cookie", &ola)],
        )
        .await;
        assert!(page.body.contains("Gespeichert."));
    }
);

db_test!(
    organisers_keep_rooms_and_sessions_and_a_move_is_told_to_the_registered,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let ola_id = db
            .user_by_email("ola@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let day = time::macros::datetime!(2030-10-16 08:00 UTC);
        let mut e = event("Digitaltag 2030", day);
        e.ends_at = day + Duration::hours(9);
        e.capacity = None;
        let (id, slug) = db
            .create_event(None, Some(ola_id), &e, "", false)
            .await
            .unwrap();
        let base = format!("/veranstalten/{id}");
        let page = get_with(&app, &format!("{base}/programm"), &[("cookie", &ola)]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            get_with(&app, &format!("{base}/programm"), &[("cookie", &otto)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let csrf = super::accounts::csrf_of(&page.body);
        // A room: a bad link is named, a good one stored.
        let r = post(
            &app,
            &format!("{base}/raeume"),
            &format!("csrf={csrf}&name=Raum+A&kind=virtual&join_url=javascript%3Aalert(1)"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("https://"), "{}", r.body);
        let r = post(
            &app,
            &format!("{base}/raeume"),
            &format!(
                "csrf={csrf}&name=Raum+A&kind=virtual&join_url=https%3A%2F%2Fkonferenz.example%2Fa"
            ),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(
            &app,
            &format!("{base}/raeume"),
            &format!("csrf={csrf}&name=Raum+A&kind=physical"),
            Some(&ola),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the name is taken"
        );
        let room = db.event_rooms(id).await.unwrap()[0].id;
        let r = post(&app, &format!("{base}/raeume/{room}"), &format!("csrf={csrf}&name=Raum+A&kind=virtual&join_url=https%3A%2F%2Fkonferenz.example%2Fneu"), Some(&ola)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.event_rooms(id).await.unwrap()[0].join_url,
            "https://konferenz.example/neu"
        );

        // A session outside the event's time is refused with the reason; then a good one.
        let fields = |start: &str, end: &str, extra: &str| {
            format!(
                "csrf={csrf}&title=Workshop+Passw%C3%B6rter&abstract=Sicher+*online*&format=&track=Sicherheit&room={room}\
                 &starts_at={start}&ends_at={end}&language=de&sign_language=1&capacity=&state=confirmed\
                 &person_name_0=Erika+Muster&person_role_0=speaker&person_name_1=&person_role_1=speaker{extra}"
            )
        };
        let r = post(
            &app,
            &format!("{base}/sessions/neu"),
            &fields("2030-10-17T10%3A00", "2030-10-17T11%3A00", ""),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("href=\"#starts_at\""));
        assert!(
            r.body.contains("value=\"Erika Muster\""),
            "the typed people stay"
        );
        let r = post(
            &app,
            &format!("{base}/sessions/neu"),
            &fields("2030-10-16T11%3A00", "2030-10-16T12%3A00", ""),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = db.programme(id).await.unwrap().pop().unwrap();
        assert_eq!(s.input.people.len(), 1);
        assert!(s.input.sign_language);
        let public = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(public.body.contains("Workshop Passwörter"));

        // Two are registered for the whole day; the session moves: both are told.
        register(&db, id, "Anna", "anna@example.org").await;
        register(&db, id, "Ben", "ben@example.org").await;
        let queued = db.mail_stats().await.unwrap().queued;
        let edit = format!("{base}/sessions/{}", s.id);
        assert_eq!(
            get_with(&app, &edit, &[("cookie", &ola)]).await.status,
            StatusCode::OK
        );
        let r = post(
            &app,
            &edit,
            &fields(
                "2030-10-16T14%3A00",
                "2030-10-16T15%3A00",
                "&recording_url=https%3A%2F%2Fvideo.example%2F1&summary=Passw%C3%B6rter+sind+lang.",
            ),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(db.mail_stats().await.unwrap().queued, queued + 2);
        let now = OffsetDateTime::now_utc() + Duration::seconds(1);
        let mails = db
            .claim_mail("test", now, now + Duration::minutes(5), 100)
            .await
            .unwrap();
        let moved = mails
            .iter()
            .find(|m| {
                m.to_address == "anna@example.org" && m.subject.starts_with("Änderung im Programm")
            })
            .expect("the move's mail");
        assert!(
            moved.body_text.contains("verlegt") && moved.body_text.contains("14:00–15:00 Uhr"),
            "{}",
            moved.body_text
        );
        let session_page = get(
            &app,
            &format!("/veranstaltungen/{slug}/sessions/{}", s.slug),
        )
        .await;
        assert!(
            session_page.body.contains("https://video.example/1")
                && session_page.body.contains("Passwörter sind lang.")
        );
        // Saved again unchanged in time: nobody is told.
        let queued = db.mail_stats().await.unwrap().queued;
        let r = post(
            &app,
            &edit,
            &fields("2030-10-16T14%3A00", "2030-10-16T15%3A00", ""),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(db.mail_stats().await.unwrap().queued, queued);
        // Cancelled: told again.
        let r = post(
            &app,
            &edit,
            &fields("2030-10-16T14%3A00", "2030-10-16T15%3A00", "")
                .replace("state=confirmed", "state=cancelled"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(db.mail_stats().await.unwrap().queued, queued + 2);
        // Otto can neither see nor change Ola's session.
        assert_eq!(
            get_with(&app, &edit, &[("cookie", &otto)]).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

db_test!(
    an_admin_gives_an_event_to_another_organiser,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let admin = signed_in(&app, &db, "admin@example.org", &[Role::Admin]).await;
        let ola_id = db
            .user_by_email("ola@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let otto_id = db
            .user_by_email("otto@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let soon = OffsetDateTime::now_utc() + Duration::days(3);
        let (id, _) = db
            .create_event(
                None,
                Some(ola_id),
                &event("Lesung mit Tablet", soon),
                "",
                false,
            )
            .await
            .unwrap();
        let form_path = format!("/veranstalten/{id}/bearbeiten");
        // Organisers see no such choice; admins do, with the people who may run events.
        assert!(
            !get_with(&app, &form_path, &[("cookie", &ola)])
                .await
                .body
                .contains("name=\"owner\"")
        );
        let page = get_with(&app, &form_path, &[("cookie", &admin)]).await;
        assert!(page.body.contains("name=\"owner\""), "{}", page.body);
        assert!(page.body.contains("otto@example.org"));
        let fields = form_of(&page.body, &form_path);
        // Not someone who may run events: refused.
        let citizen = db
            .create_user("bert@example.org", "Bert", &[Role::Citizen])
            .await
            .unwrap();
        let body = with_fields(&fields, &[("owner", &citizen.to_string())]);
        let r = post(&app, &form_path, &body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            db.event_by_id(id).await.unwrap().unwrap().owner_id,
            Some(ola_id),
            "nothing changed"
        );
        let body = with_fields(&fields, &[("owner", &otto_id.to_string())]);
        let r = post(&app, &form_path, &body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            db.event_by_id(id).await.unwrap().unwrap().owner_id,
            Some(otto_id)
        );
        assert!(
            get_with(&app, "/veranstalten", &[("cookie", &otto)])
                .await
                .body
                .contains("Lesung mit Tablet")
        );
        assert_eq!(
            get_with(&app, &form_path, &[("cookie", &ola)]).await.status,
            StatusCode::FORBIDDEN
        );
        let audit = get_with(
            &app,
            "/admin/protokoll?action=event.owner",
            &[("cookie", &admin)],
        )
        .await;
        assert!(audit.body.contains("event.owner"));
    }
);

db_test!(organisers_link_their_events_to_measures, |db| async move {
    let app = app(&db).await;
    let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
    let ola_id = db
        .user_by_email("ola@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    let soon = OffsetDateTime::now_utc() + Duration::days(3);
    let (id, _) = db
        .create_event(
            None,
            Some(ola_id),
            &event("Digitaltag im Quartier", soon),
            "",
            false,
        )
        .await
        .unwrap();
    let form_path = format!("/veranstalten/{id}/bearbeiten");
    let page = get_with(&app, &form_path, &[("cookie", &ola)]).await;
    let fields = form_of(&page.body, &form_path);
    // An address that names no published measure: named, nothing saved.
    let body = with_fields(
        &fields,
        &[
            ("measures", "digitaltag-musterstadt, gibt-es-nicht"),
            ("title", "Neuer Titel"),
        ],
    );
    let r = post(&app, &form_path, &body, Some(&ola)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("„gibt-es-nicht“"), "{}", r.body);
    assert_eq!(
        db.event_by_id(id).await.unwrap().unwrap().input.title,
        "Digitaltag im Quartier"
    );
    // A real one (also as a path): the measure's page names the event.
    let body = with_fields(
        &fields,
        &[("measures", "/massnahmen/digitaltag-musterstadt")],
    );
    let r = post(&app, &form_path, &body, Some(&ola)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(db.measures_of_event(id).await.unwrap().len(), 1);
    let measure = get(&app, "/massnahmen/digitaltag-musterstadt").await;
    assert!(
        measure.body.contains("Digitaltag im Quartier"),
        "the measure page lists its events"
    );
    let page = get_with(&app, &form_path, &[("cookie", &ola)]).await;
    assert!(page.body.contains("value=\"digitaltag-musterstadt\""));
    // Emptied: the link goes, and the measure's page follows.
    let fields = form_of(&page.body, &form_path);
    let body = with_fields(&fields, &[("measures", "")]);
    post(&app, &form_path, &body, Some(&ola)).await;
    assert!(db.measures_of_event(id).await.unwrap().is_empty());
    assert!(
        !get(&app, "/massnahmen/digitaltag-musterstadt")
            .await
            .body
            .contains("Digitaltag im Quartier")
    );
});
