//! Registration for events: a guest registers, confirms by the link (a button) and gets the
//! confirmation with its calendar file; a full event puts the next on the waiting list; a
//! cancellation offers the place to the first waiting, who accepts it; a signed-in person
//! registers with one click; sessions with places of their own. Bad input — a closed
//! registration, the same address twice, an expired offer, a wrong token, a bad name or address,
//! the bots' hidden field — gets a clear answer and changes nothing.

use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::programme::registration::RegState;
use domain::programme::{Attendance, EventInput, EventState};
use store::mail::QueuedMail;
use store::programme::registrations::Place;
use time::{Duration, OffsetDateTime};

fn event(capacity: Option<i64>) -> EventInput {
    let starts = OffsetDateTime::now_utc() + Duration::days(20);
    EventInput {
        title: "Online-Seminar Datenschutz".into(),
        description: String::new(),
        organiser: "Volkshochschule Musterstadt".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(3),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: Some(4000),
        fee_note: "Überweisung nach Rechnung".into(),
        capacity,
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state: EventState::Published,
    }
}

/// Every mail queued so far (each is taken once).
async fn mails(db: &Db) -> Vec<QueuedMail> {
    let now = OffsetDateTime::now_utc() + Duration::seconds(1);
    db.claim_mail("test", now, now + Duration::minutes(5), 500)
        .await
        .unwrap()
}

/// The registration link of a mail, as a path.
fn link_of(m: &QueuedMail) -> String {
    m.bodies(|s| s.to_string())
        .0
        .lines()
        .find(|l| l.starts_with("https://radar.example/anmeldung?token="))
        .unwrap_or_else(|| panic!("no link in {}", m.body_text))
        .trim_start_matches("https://radar.example")
        .to_string()
}

fn token_of(link: &str) -> &str {
    link.rsplit_once("token=").unwrap().1
}

/// The guest form of `page`, filled with `name` and `email`, sent.
async fn register_guest(app: &axum::Router, page: &str, name: &str, email: &str) -> Res {
    let html = get(app, page).await.body;
    let action = format!("{page}/gast");
    let body = with_fields(
        &form_of(&html, &action),
        &[("name", name), ("email", email)],
    );
    post(app, &action, &body, None).await
}

async fn count(db: &Db, place: Place, state: RegState) -> usize {
    db.registrations_of(place, state, 0, 1000)
        .await
        .unwrap()
        .len()
}

db_test!(
    a_guest_registers_confirms_and_a_cancellation_offers_the_place_to_the_next,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(None, None, &event(Some(1)), "", false)
            .await
            .unwrap();
        let place = Place {
            event_id: id,
            session_id: None,
        };
        let page = format!("/veranstaltungen/{slug}/anmelden");
        let r = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(r.body.contains("Noch 1 von 1 Plätzen frei"), "{}", r.body);
        assert!(r.body.contains(&format!("href=\"{page}\"")));
        let form = get(&app, &page).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.headers[header::CACHE_CONTROL], "no-store");
        assert!(form.body.contains("40,00 €") && form.body.contains("Überweisung nach Rechnung"));

        // Anna registers and confirms: the place is hers.
        let r = register_guest(&app, &page, "Anna Muster", "Anna@Example.org ").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("Bitte bestätigen Sie Ihre Anmeldung"),
            "{}",
            r.body
        );
        assert_eq!(count(&db, place, RegState::Unconfirmed).await, 1);
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].to_address, "anna@example.org");
        assert!(
            m[0].subject
                .starts_with("Bitte bestätigen Sie Ihre Anmeldung")
        );
        assert!(!m[0].body_text.contains("token="), "the link is kept apart");
        let anna = link_of(&m[0]);
        // Following the link (as a mail scanner does) confirms nothing.
        let r = get(&app, &anna).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers[header::REFERRER_POLICY], "no-referrer");
        assert!(r.body.contains("data-state=\"unconfirmed\""));
        assert_eq!(count(&db, place, RegState::Confirmed).await, 0);
        let r = post(
            &app,
            "/anmeldung/bestaetigen",
            &format!("token={}", token_of(&anna)),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&app, &anna).await;
        assert!(r.body.contains("Sie sind angemeldet."), "{}", r.body);
        assert!(r.body.contains("Teilnahmebeitrag: 40,00 €"));
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert!(
            m[0].subject.starts_with("Anmeldung bestätigt"),
            "{}",
            m[0].subject
        );
        let ics = m[0]
            .calendar
            .as_deref()
            .expect("the calendar file goes along");
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("Online-Seminar Datenschutz"));
        let r = get(
            &app,
            &format!("/anmeldung/kalender.ics?token={}", token_of(&anna)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        // Pressing again changes nothing.
        let r = post(
            &app,
            "/anmeldung/bestaetigen",
            &format!("token={}", token_of(&anna)),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(db.places(place).await.unwrap(), Some((1, Some(1), 0)));

        // The event page follows: full.
        let r = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(r.body.contains("Ausgebucht"), "{}", r.body);
        let r = get(&app, &page).await;
        assert!(r.body.contains("Auf die Warteliste"));

        // Ben registers when it is full: on the waiting list, told so.
        register_guest(&app, &page, "Ben Beispiel", "ben@example.org").await;
        let ben = link_of(&mails(&db).await[0]);
        post(
            &app,
            "/anmeldung/bestaetigen",
            &format!("token={}", token_of(&ben)),
            None,
        )
        .await;
        let r = get(&app, &ben).await;
        assert!(
            r.body
                .contains("als Nächste oder Nächster auf der Warteliste"),
            "{}",
            r.body
        );
        let m = mails(&db).await;
        assert!(m[0].subject.starts_with("Warteliste"), "{}", m[0].subject);
        assert!(m[0].calendar.is_none());

        // The same address again: the same page as ever (the mail tells), nothing new.
        let r = register_guest(&app, &page, "Ben B.", "BEN@example.org").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Bitte bestätigen Sie Ihre Anmeldung"));
        let m = mails(&db).await;
        assert!(
            m[0].subject.starts_with("Ihre Anmeldung"),
            "{}",
            m[0].subject
        );
        assert!(m[0].body_text.contains("bereits eine Anmeldung"));
        assert_eq!(count(&db, place, RegState::Waiting).await, 1);

        // Anna cancels: Ben is offered the place and takes it.
        let r = post(
            &app,
            "/anmeldung/abmelden",
            &format!("token={}", token_of(&anna)),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(get(&app, &anna).await.body.contains("storniert"));
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].to_address, "ben@example.org");
        assert!(
            m[0].subject.starts_with("Ein Platz ist frei"),
            "{}",
            m[0].subject
        );
        assert_eq!(link_of(&m[0]), ben, "one link per registration");
        let r = get(&app, &ben).await;
        assert!(r.body.contains("für Sie reserviert"), "{}", r.body);
        let r = post(
            &app,
            "/anmeldung/annehmen",
            &format!("token={}", token_of(&ben)),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(get(&app, &ben).await.body.contains("Sie sind angemeldet."));
        assert!(mails(&db).await[0].calendar.is_some());
        assert_eq!(db.places(place).await.unwrap(), Some((1, Some(1), 0)));

        // A wrong token, a token of another registration's number, an empty one.
        let other = format!(
            "{}.{}",
            token_of(&anna).split('.').next().unwrap(),
            "0".repeat(32)
        );
        for bad in ["erfunden", "1.abc", other.as_str(), ""] {
            let r = get(&app, &format!("/anmeldung?token={bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(r.body.contains("Link"), "{}", r.body);
            let r = post(&app, "/anmeldung/abmelden", &format!("token={bad}"), None).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        assert!(get(&app, &ben).await.body.contains("Sie sind angemeldet."));
    }
);

db_test!(
    bad_registrations_get_a_clear_answer_and_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(None, None, &event(Some(5)), "", false)
            .await
            .unwrap();
        let place = Place {
            event_id: id,
            session_id: None,
        };
        let page = format!("/veranstaltungen/{slug}/anmelden");
        // A bad address, no name, an over-long name: the form again, with the reason.
        for (name, email, reason) in [
            ("Anna", "keine-adresse", "E-Mail-Adresse"),
            ("   ", "anna@example.org", "Bitte geben Sie Ihren Namen an."),
            (
                &*"A".repeat(101),
                "anna@example.org",
                "höchstens 100 Zeichen",
            ),
        ] {
            let r = register_guest(&app, &page, name, email).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert!(r.body.contains(reason), "{reason}: {}", r.body);
            assert!(r.body.contains("role=\"alert\""));
        }
        // Bots fill in the hidden field: they hear the usual answer, nothing is stored.
        let html = get(&app, &page).await.body;
        let action = format!("{page}/gast");
        let body = with_fields(
            &form_of(&html, &action),
            &[
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("website", "x"),
            ],
        );
        assert_eq!(
            post(&app, &action, &body, None).await.status,
            StatusCode::OK
        );
        // A form from elsewhere (another token).
        let body = with_fields(
            &form_of(&html, &action),
            &[
                ("name", "Anna"),
                ("email", "anna@example.org"),
                ("csrf", "fremd"),
            ],
        );
        assert_eq!(
            post(&app, &action, &body, None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(count(&db, place, RegState::Unconfirmed).await, 0);
        assert_eq!(mails(&db).await.len(), 0);

        // After the window: a form sent a moment too late is refused, and the page says so.
        let mut closing = event(Some(5));
        closing.registration_closes_at = Some(OffsetDateTime::now_utc() + Duration::seconds(2));
        let (closing_id, closing_slug) = db
            .create_event(None, None, &closing, "", false)
            .await
            .unwrap();
        let closing_page = format!("/veranstaltungen/{closing_slug}/anmelden");
        let closing_action = format!("{closing_page}/gast");
        let html = get(&app, &closing_page).await.body;
        let fields = form_of(&html, &closing_action);
        assert!(!fields.is_empty(), "the form is there while it is open");
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let body = with_fields(&fields, &[("name", "Anna"), ("email", "anna@example.org")]);
        let r = post(&app, &closing_action, &body, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Die Anmeldung ist geschlossen."));
        let r = get(&app, &closing_page).await;
        assert!(r.body.contains("Die Anmeldung ist geschlossen."));
        assert!(!r.body.contains("name=\"email\""));
        let closing_place = Place {
            event_id: closing_id,
            session_id: None,
        };
        assert_eq!(count(&db, closing_place, RegState::Unconfirmed).await, 0);
        assert_eq!(mails(&db).await.len(), 0);

        // An offer that ran out: accepting it is refused with the reason.
        let mut tiny = event(Some(1));
        tiny.title = "Kleiner Workshop".into();
        let (tiny_id, tiny_slug) = db.create_event(None, None, &tiny, "", false).await.unwrap();
        let tiny_page = format!("/veranstaltungen/{tiny_slug}/anmelden");
        let mut links = Vec::new();
        for (name, email) in [("Anna", "anna@example.org"), ("Ben", "ben@example.org")] {
            register_guest(&app, &tiny_page, name, email).await;
            let link = link_of(&mails(&db).await[0]);
            post(
                &app,
                "/anmeldung/bestaetigen",
                &format!("token={}", token_of(&link)),
                None,
            )
            .await;
            mails(&db).await;
            links.push(link);
        }
        post(
            &app,
            "/anmeldung/abmelden",
            &format!("token={}", token_of(&links[0])),
            None,
        )
        .await;
        let tiny_place = Place {
            event_id: tiny_id,
            session_id: None,
        };
        assert_eq!(count(&db, tiny_place, RegState::Offered).await, 1);
        db.expire_offers(OffsetDateTime::now_utc() + Duration::days(2), &|_, _| None)
            .await
            .unwrap();
        let r = post(
            &app,
            "/anmeldung/annehmen",
            &format!("token={}", token_of(&links[1])),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Das Angebot ist abgelaufen"), "{}", r.body);
        assert!(
            get(&app, &links[1])
                .await
                .body
                .contains("Das Angebot ist abgelaufen")
        );
        assert_eq!(db.places(tiny_place).await.unwrap(), Some((0, Some(1), 0)));
    }
);

db_test!(
    a_signed_in_person_registers_with_one_click_and_sessions_have_places_of_their_own,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(None, None, &event(None), "", false)
            .await
            .unwrap();
        let mut workshop = domain::programme::SessionInput {
            title: "Workshop Passwörter".into(),
            abstract_text: String::new(),
            format_id: None,
            track: String::new(),
            room_id: None,
            starts_at: OffsetDateTime::now_utc() + Duration::days(20),
            ends_at: OffsetDateTime::now_utc() + Duration::days(20) + Duration::hours(1),
            language: "de".into(),
            sign_language: false,
            live_captions: false,
            easy_language: false,
            capacity: Some(1),
            do_not_record: false,
            state: domain::programme::SessionState::Confirmed,
            people: Vec::new(),
        };
        let (session_id, session_slug) = db.add_session(None, id, &workshop, "").await.unwrap();
        workshop.title = "Vortrag ohne Plätze".into();
        workshop.capacity = None;
        let (_, open_slug) = db.add_session(None, id, &workshop, "").await.unwrap();
        let cookie = signed_in(&app, &db, "clara@example.org", &[]).await;
        mails(&db).await;
        let page = format!("/veranstaltungen/{slug}/anmelden");
        let r = get_with(&app, &page, &[("cookie", &cookie)]).await;
        assert!(r.body.contains("Sie melden sich als"), "{}", r.body);
        assert!(r.body.contains("Ohne Begrenzung"));
        let csrf = super::accounts::csrf_of(&r.body);
        let r = post(&app, &page, &format!("csrf={csrf}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(to.starts_with("/anmeldung?token="), "{to}");
        assert!(get(&app, &to).await.body.contains("Sie sind angemeldet."));
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert!(m[0].calendar.is_some());
        // Once more: the same registration, no second mail.
        let r = post(&app, &page, &format!("csrf={csrf}"), Some(&cookie)).await;
        assert_eq!(r.headers[header::LOCATION].to_str().unwrap(), to);
        assert!(mails(&db).await.is_empty());
        // Without the token, nothing.
        assert_eq!(
            post(&app, &page, "", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN
        );

        // The workshop has one place of its own; its page says so and registers for it.
        let spage = format!("/veranstaltungen/{slug}/sessions/{session_slug}");
        let r = get(&app, &spage).await;
        assert!(r.body.contains("Noch 1 von 1 Plätzen frei"), "{}", r.body);
        let r = post(
            &app,
            &format!("{spage}/anmelden"),
            &format!("csrf={csrf}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let session_place = Place {
            event_id: id,
            session_id: Some(session_id),
        };
        assert_eq!(
            db.places(session_place).await.unwrap(),
            Some((1, Some(1), 0))
        );
        assert!(get(&app, &spage).await.body.contains("Ausgebucht"));
        // A session without places of its own has no registration.
        let r = get(
            &app,
            &format!("/veranstaltungen/{slug}/sessions/{open_slug}/anmelden"),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    join_links_show_to_the_registered_from_fifteen_minutes_before,
    |db| async move {
        let app = app(&db).await;
        let now = OffsetDateTime::now_utc();
        let mut running = event(None);
        running.starts_at = now - Duration::hours(1);
        running.ends_at = now + Duration::hours(5);
        let (id, slug) = db
            .create_event(None, None, &running, "", false)
            .await
            .unwrap();
        let room = db
            .add_room(
                id,
                &store::programme::NewRoom {
                    name: "Raum Rathaus",
                    kind: domain::programme::RoomKind::Virtual,
                    join_url: "https://konferenz.example/geheimer-raum",
                    capacity: None,
                },
            )
            .await
            .unwrap();
        let session = |title: &str, starts: OffsetDateTime| domain::programme::SessionInput {
            title: title.into(),
            abstract_text: String::new(),
            format_id: None,
            track: String::new(),
            room_id: Some(room),
            starts_at: starts,
            ends_at: starts + Duration::hours(1),
            language: "de".into(),
            sign_language: false,
            live_captions: false,
            easy_language: false,
            capacity: None,
            do_not_record: false,
            state: domain::programme::SessionState::Confirmed,
            people: Vec::new(),
        };
        db.add_session(
            None,
            id,
            &session("Gleich geht es los", now + Duration::minutes(10)),
            "",
        )
        .await
        .unwrap();
        db.add_session(
            None,
            id,
            &session("Am Nachmittag", now + Duration::hours(2)),
            "",
        )
        .await
        .unwrap();
        // Public pages never show the link.
        for path in [
            format!("/veranstaltungen/{slug}"),
            format!("/veranstaltungen/{slug}/schedule.json"),
        ] {
            assert!(
                !get(&app, &path).await.body.contains("geheimer-raum"),
                "{path}"
            );
        }
        let cookie = signed_in(&app, &db, "dora@example.org", &[]).await;
        let page = format!("/veranstaltungen/{slug}/anmelden");
        let csrf =
            super::accounts::csrf_of(&get_with(&app, &page, &[("cookie", &cookie)]).await.body);
        let r = post(&app, &page, &format!("csrf={csrf}"), Some(&cookie)).await;
        let own = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let r = get(&app, &own).await;
        assert!(r.body.contains("Sie sind angemeldet."), "{}", r.body);
        // The session in ten minutes has its link; the one in two hours not yet.
        assert_eq!(
            r.body
                .matches("https://konferenz.example/geheimer-raum")
                .count(),
            1,
            "{}",
            r.body
        );
        assert!(r.body.contains("Gleich geht es los"));
        assert!(!r.body.contains("Am Nachmittag"));
        assert!(r.body.contains("erscheinen hier 15 Minuten vor Beginn"));
        // A registration that is not confirmed sees none.
        let guest_page = get(&app, &page).await.body;
        let action = format!("{page}/gast");
        let body = with_fields(
            &form_of(&guest_page, &action),
            &[("name", "Erik"), ("email", "erik@example.org")],
        );
        post(&app, &action, &body, None).await;
        let link = mails(&db)
            .await
            .iter()
            .rev()
            .find(|m| m.to_address == "erik@example.org")
            .map(link_of)
            .unwrap();
        assert!(!get(&app, &link).await.body.contains("geheimer-raum"));
    }
);

db_test!(
    guests_registrations_are_limited_per_address_and_client,
    |db| async move {
        let app = app(&db).await;
        let (_, slug) = db
            .create_event(None, None, &event(None), "", false)
            .await
            .unwrap();
        let page = format!("/veranstaltungen/{slug}/anmelden");
        // Five a hour per address (each sends a mail), the sixth is refused.
        for i in 0..5 {
            let r = register_guest(&app, &page, "Fritz", "fritz@example.org").await;
            assert_eq!(r.status, StatusCode::OK, "{i}");
        }
        let r = register_guest(&app, &page, "Fritz", "fritz@example.org").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        // Thirty an hour from one client address, whatever the addresses.
        for i in 5..30 {
            let r = register_guest(&app, &page, "Gast", &format!("g{i}@example.org")).await;
            assert_eq!(r.status, StatusCode::OK, "{i}");
        }
        let r = register_guest(&app, &page, "Gast", "g30@example.org").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(mails(&db).await.len(), 30);
        // The limits of event registrations are their own: the same client still opens an
        // account (whose limit counts apart).
        let r = post(
            &app,
            "/registrieren",
            "name=Neue+Person&email=neu%40example.org&password=Laterne+vor+dem+Rathaus+12&password2=Laterne+vor+dem+Rathaus+12",
            None,
        )
        .await;
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
    }
);

db_test!(
    every_mail_of_a_registration_is_in_the_language_it_was_made_in,
    |db| async move {
        let app = app(&db).await;
        let (id, slug) = db
            .create_event(None, None, &event(Some(1)), "", false)
            .await
            .unwrap();
        let page = format!("/veranstaltungen/{slug}/anmelden");
        // Anna registers on the German pages and takes the place.
        register_guest(&app, &page, "Anna Muster", "anna@example.org").await;
        let anna = link_of(&mails(&db).await[0]);
        post(
            &app,
            "/anmeldung/bestaetigen",
            &format!("token={}", token_of(&anna)),
            None,
        )
        .await;
        mails(&db).await;
        // Ben registers on the English pages: his mails are English.
        let html = get(&app, &format!("{page}?lang=en")).await.body;
        let action = format!("{page}/gast");
        let body = with_fields(
            &form_of(&html, &action),
            &[("name", "Ben Beispiel"), ("email", "ben@example.org")],
        );
        let r = post(&app, &format!("{action}?lang=en"), &body, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let m = mails(&db).await;
        assert!(
            m[0].subject.starts_with("Please confirm"),
            "{}",
            m[0].subject
        );
        let ben = link_of(&m[0]);
        post(
            &app,
            "/anmeldung/bestaetigen",
            &format!("token={}", token_of(&ben)),
            None,
        )
        .await;
        let m = mails(&db).await;
        assert_eq!(m[0].to_address, "ben@example.org");
        assert!(m[0].subject.starts_with("Waiting list"), "{}", m[0].subject);
        // Anna cancels on German pages: Ben's offer is still in English, and what Anna gets
        // stays German.
        post(
            &app,
            "/anmeldung/abmelden",
            &format!("token={}", token_of(&anna)),
            None,
        )
        .await;
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert!(
            m[0].subject.starts_with("A place is free"),
            "{}",
            m[0].subject
        );
        // The registration keeps its language.
        let ben_id: i64 = token_of(&ben).split('.').next().unwrap().parse().unwrap();
        let r = db.registration(ben_id).await.unwrap().unwrap();
        assert_eq!((r.lang.as_str(), r.place.event_id), ("en", id));
    }
);
