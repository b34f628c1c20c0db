//! Live Q&A over HTTP: asking (held for the moderation or shown at once), upvoting once, the
//! moderation's steps with the pinned question first, questions from mails, the projector view,
//! the live stream; bad input — an over-long question, a closed session, a foreign form, a
//! missing reason, someone else's session — gets a clear answer and changes nothing.

use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::programme::{Attendance, EventInput, EventState, SessionInput, SessionState};
use time::{Duration, OffsetDateTime};

async fn setup(db: &Db, owner: i64) -> (i64, i64, String, String) {
    let now = OffsetDateTime::now_utc();
    let (event, slug) = db
        .create_event(
            None,
            Some(owner),
            &EventInput {
                title: "Digitaltag Fragen".into(),
                description: String::new(),
                organiser: "Stadt".into(),
                starts_at: now - Duration::hours(1),
                ends_at: now + Duration::hours(8),
                attendance: Attendance::Online,
                place: String::new(),
                fee_cents: None,
                fee_note: String::new(),
                capacity: None,
                registration_opens_at: None,
                registration_closes_at: None,
                image_alt: String::new(),
                state: EventState::Published,
            },
            "",
            false,
        )
        .await
        .unwrap();
    let (session, session_slug) = db
        .add_session(
            None,
            event,
            &SessionInput {
                title: "Im Gespräch mit dem CDO".into(),
                abstract_text: String::new(),
                format_id: None,
                track: String::new(),
                room_id: None,
                starts_at: now + Duration::minutes(30),
                ends_at: now + Duration::hours(2),
                language: "de".into(),
                sign_language: false,
                live_captions: false,
                easy_language: false,
                capacity: None,
                do_not_record: false,
                state: SessionState::Confirmed,
                people: Vec::new(),
            },
            "",
        )
        .await
        .unwrap();
    (event, session, slug, session_slug)
}

/// The public ask form of `page` with `changes`, sent.
async fn ask(app: &axum::Router, page: &str, changes: &[(&str, &str)]) -> Res {
    let html = get(app, page).await.body;
    let body = with_fields(&form_of(&html, page), changes);
    post(app, page, &body, None).await
}

db_test!(
    questions_are_asked_moderated_upvoted_pinned_and_shown_on_the_projector,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let ola_id = db
            .user_by_email("ola@example.org")
            .await
            .unwrap()
            .unwrap()
            .id;
        let (event, session, slug, sslug) = setup(&db, ola_id).await;
        let page = format!("/veranstaltungen/{slug}/sessions/{sslug}/fragen");
        let r = get(&app, &page).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Noch keine Fragen."));
        assert!(
            get(&app, &format!("/veranstaltungen/{slug}/sessions/{sslug}"))
                .await
                .body
                .contains(&page)
        );

        // Held for the moderation (the default): a thank-you, nothing on the list yet.
        let r = ask(
            &app,
            &page,
            &[
                ("body", "Wann kommt das freie WLAN in die Innenstadt?"),
                ("name", ""),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Danke für Ihre Frage"));
        assert!(get(&app, &page).await.body.contains("Noch keine Fragen."));
        // Bad input: too long, a foreign form, the bots' field.
        let long = "x".repeat(501);
        let r = ask(&app, &page, &[("body", &long)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("höchstens 500 Zeichen"), "{}", r.body);
        let r = ask(
            &app,
            &page,
            &[("body", "Eine Frage von anderswo?"), ("csrf", "fremd")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = ask(&app, &page, &[("body", "Bot-Frage?"), ("website", "spam")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(db.all_questions(session, 50).await.unwrap().len(), 1);

        // The moderation: only the event's organiser.
        let moderation = format!("/veranstalten/{event}/sessions/{session}/fragen");
        assert_eq!(
            get_with(&app, &moderation, &[("cookie", &otto)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let m = get_with(&app, &moderation, &[("cookie", &ola)]).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        assert!(m.body.contains("wartet auf Freigabe"));
        let csrf = super::accounts::csrf_of(&m.body);
        let q = db.all_questions(session, 50).await.unwrap()[0].id;
        let step = |s: &str| format!("csrf={csrf}&step={s}");
        let r = post(
            &app,
            &format!("{moderation}/{q}"),
            &step("reject"),
            Some(&ola),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a rejection needs its reason"
        );
        let r = post(
            &app,
            &format!("{moderation}/{q}"),
            &step("show"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(
            &app,
            &format!("{moderation}/{q}"),
            &step("show"),
            Some(&otto),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = get(&app, &page).await;
        assert!(r.body.contains("Wann kommt das freie WLAN"), "{}", r.body);
        assert!(r.body.contains("anonym"));
        // Upvotes: once per person.
        let vote_body = with_fields(&form_of(&r.body, &format!("/fragen/{q}/stimme")), &[]);
        for _ in 0..2 {
            let v = post(&app, &format!("/fragen/{q}/stimme"), &vote_body, None).await;
            assert_eq!(v.status, StatusCode::SEE_OTHER, "{}", v.body);
        }
        assert!(
            get(&app, &page)
                .await
                .body
                .contains("eine Person unterstützt die Frage")
        );
        let v = post(
            &app,
            &format!("/fragen/{q}/stimme"),
            &vote_body.replace("csrf=", "csrf=x"),
            None,
        )
        .await;
        assert_eq!(v.status, StatusCode::FORBIDDEN);

        // A question from a mail: visible at once, marked; then pinned, it comes first.
        let r = post(
            &app,
            &format!("{moderation}/per-mail"),
            &format!(
                "csrf={csrf}&body=Per+Post+gefragt%3A+Gibt+es+Geb%C3%A4rdensprache%3F&name=Frau+K."
            ),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mailed = db
            .all_questions(session, 50)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.asker == "Frau K.")
            .unwrap()
            .id;
        post(
            &app,
            &format!("{moderation}/{mailed}"),
            &step("pin"),
            Some(&ola),
        )
        .await;
        let r = get(&app, &page).await;
        assert!(r.body.contains("per E-Mail"));
        let first = r.body.find("Gebärdensprache").unwrap();
        assert!(
            first < r.body.find("freie WLAN").unwrap(),
            "the pinned one is first"
        );
        assert!(r.body.contains("Angeheftet"));
        let projector = get(&app, &format!("{page}/leinwand")).await;
        assert_eq!(projector.status, StatusCode::OK);
        assert!(
            projector.body.contains("class=\"projector\"")
                && projector.body.contains("Gebärdensprache")
        );
        // The API lists the same, the pinned one first, without the queue.
        let api = get(
            &app,
            &format!("/api/v1/events/{slug}/sessions/{sslug}/questions"),
        )
        .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let j = json(&api);
        assert_eq!(j["questions"][0]["asker"], "Frau K.");
        assert_eq!(j["questions"][0]["source"], "mail");
        assert_eq!(j["questions"][0]["pinned"], true);
        assert_eq!(j["questions"][1]["asker"], serde_json::Value::Null);
        assert_eq!(j["questions"][1]["votes"], 1);
        assert_eq!(j["moderated"], true);
        // Answered: marked; rejected with a reason: gone from the list.
        post(
            &app,
            &format!("{moderation}/{q}"),
            &step("answer"),
            Some(&ola),
        )
        .await;
        assert!(get(&app, &page).await.body.contains("beantwortet"));
        post(
            &app,
            &format!("{moderation}/{mailed}"),
            &format!("{}&reason=Schon+beantwortet", step("reject")),
            Some(&ola),
        )
        .await;
        assert!(!get(&app, &page).await.body.contains("Gebärdensprache"));
        // The live stream answers as a stream.
        let live = app
            .clone()
            .oneshot(
                axum::http::Request::get(format!("{page}/live"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(live.status(), StatusCode::OK);
        assert!(
            live.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );

        // Unmoderated: shown at once. Closed: refused, nothing stored.
        let settings = format!("{moderation}/einstellungen");
        post(&app, &settings, &format!("csrf={csrf}&open=1"), Some(&ola)).await;
        let r = ask(
            &app,
            &page,
            &[("body", "Kommt die Frage sofort?"), ("name", "Max")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            get(&app, &page)
                .await
                .body
                .contains("Kommt die Frage sofort?")
        );
        let before = db.all_questions(session, 50).await.unwrap().len();
        let html = get(&app, &page).await.body;
        post(&app, &settings, &format!("csrf={csrf}"), Some(&ola)).await;
        let body = with_fields(
            &form_of(&html, &page),
            &[("body", "Nach dem Schließen gefragt?")],
        );
        let r = post(&app, &page, &body, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("nimmt keine Fragen mehr an"));
        assert_eq!(db.all_questions(session, 50).await.unwrap().len(), before);
        assert!(
            !get(&app, &page).await.body.contains("name=\"body\""),
            "no form on a closed session"
        );
        assert_eq!(
            get(&app, &format!("{page}?sort=falsch")).await.status,
            StatusCode::BAD_REQUEST
        );
    }
);

db_test!(questions_are_limited_per_client_address, |db| async move {
    let app = app(&db).await;
    let owner = db
        .create_user("owner@example.org", "Owner", &[Role::Organiser])
        .await
        .unwrap();
    let (_, session, slug, sslug) = setup(&db, owner).await;
    let page = format!("/veranstaltungen/{slug}/sessions/{sslug}/fragen");
    let html = get(&app, &page).await.body;
    let fields = form_of(&html, &page);
    for i in 0..20 {
        let body = with_fields(&fields, &[("body", &format!("Frage Nummer {i}?"))]);
        assert_eq!(
            post(&app, &page, &body, None).await.status,
            StatusCode::OK,
            "{i}"
        );
    }
    let body = with_fields(&fields, &[("body", "Die einundzwanzigste Frage?")]);
    let r = post(&app, &page, &body, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(db.all_questions(session, 50).await.unwrap().len(), 20);
});
