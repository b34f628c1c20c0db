//! The parts of an event beside its main fields: further organisers an admin adds, fields of
//! action and target groups (and the list of events filtered by them), the image with its
//! alternative text, and the discussion of a session.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::programme::{Attendance, EventInput, EventState, SessionInput, SessionState};
use time::{Duration, OffsetDateTime};

fn event(title: &str) -> EventInput {
    let starts = OffsetDateTime::now_utc() + Duration::days(5);
    EventInput {
        title: title.into(),
        description: String::new(),
        organiser: "Stadtbibliothek Musterstadt".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(3),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: None,
        fee_note: String::new(),
        capacity: None,
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state: EventState::Published,
    }
}

async fn user_id(db: &Db, email: &str) -> i64 {
    db.user_by_email(email).await.unwrap().unwrap().id
}

/// A multipart form of this site: `csrf`, the alternative text and (when given) an image file.
async fn upload(
    app: &axum::Router,
    uri: &str,
    cookie: &str,
    csrf: &str,
    alt: &str,
    file: Option<&[u8]>,
) -> Res {
    let boundary = "----event-image-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"image_alt\"\r\n\r\n{alt}\r\n"
    )
    .into_bytes();
    if let Some(f) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"bild.png\"\r\n\
                 Content-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(f);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("host", super::accounts::HOST)
        .header("origin", format!("https://{}", super::accounts::HOST))
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    res_of(app.clone().oneshot(req).await.unwrap()).await
}

/// The header of a PNG of `w` × `h` pixels (all the check reads).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

db_test!(
    an_admin_lets_further_organisers_run_an_event_and_takes_it_back,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        signed_in(&app, &db, "cleo@example.org", &[Role::Citizen]).await;
        let admin = signed_in(&app, &db, "admin@example.org", &[Role::Admin]).await;
        let (ola_id, otto_id) = (
            user_id(&db, "ola@example.org").await,
            user_id(&db, "otto@example.org").await,
        );
        let cleo_id = user_id(&db, "cleo@example.org").await;
        let (id, _) = db
            .create_event(None, Some(ola_id), &event("Lesecafé digital"), "", false)
            .await
            .unwrap();
        let edit = format!("/veranstalten/{id}/bearbeiten");

        // Otto may not run it yet; only admins see the organisers' section.
        assert_eq!(
            get_with(&app, &edit, &[("cookie", &otto)]).await.status,
            StatusCode::FORBIDDEN
        );
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("/organisation\""));
        // The owner cannot add anyone (admins only).
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            &format!("/veranstalten/{id}/organisation"),
            &format!("csrf={csrf}&organiser={otto_id}"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!db.runs_event(id, otto_id).await.unwrap());

        // The admin adds Otto; someone who may not run events cannot be added.
        let page = get_with(&app, &edit, &[("cookie", &admin)]).await;
        assert!(
            page.body
                .contains(&format!("action=\"/veranstalten/{id}/organisation\""))
        );
        assert!(page.body.contains("otto@example.org"));
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            &format!("/veranstalten/{id}/organisation"),
            &format!("csrf={csrf}&organiser={cleo_id}"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Bitte wählen"), "{}", r.body);
        assert!(!db.runs_event(id, cleo_id).await.unwrap());
        let r = post(
            &app,
            &format!("/veranstalten/{id}/organisation"),
            &format!("csrf={csrf}&organiser={otto_id}"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(db.runs_event(id, otto_id).await.unwrap());

        // Otto now sees it in his list and runs it: its form, its registrations.
        let list = get_with(&app, "/veranstalten", &[("cookie", &otto)]).await;
        assert!(list.body.contains("Lesecafé digital"), "{}", list.body);
        assert_eq!(
            get_with(&app, &edit, &[("cookie", &otto)]).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get_with(
                &app,
                &format!("/veranstalten/{id}/anmeldungen"),
                &[("cookie", &otto)]
            )
            .await
            .status,
            StatusCode::OK
        );
        let (rows, _) = db
            .audit_entries(Some("event.organiser.add"), 10, 0)
            .await
            .unwrap();
        assert!(rows.iter().any(|r| r.subject_id == Some(id)));

        // Taken back: Otto is refused again.
        let page = get_with(&app, &edit, &[("cookie", &admin)]).await;
        let csrf = csrf_of(&page.body);
        let r = post(
            &app,
            &format!("/veranstalten/{id}/organisation/{otto_id}/entfernen"),
            &format!("csrf={csrf}"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get_with(&app, &edit, &[("cookie", &otto)]).await.status,
            StatusCode::FORBIDDEN
        );
        let list = get_with(&app, "/veranstalten", &[("cookie", &otto)]).await;
        assert!(!list.body.contains("Lesecafé digital"));
    }
);

db_test!(
    events_are_linked_to_fields_and_target_groups_and_listed_by_them,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let ola_id = user_id(&db, "ola@example.org").await;
        let (id, slug) = db
            .create_event(None, Some(ola_id), &event("Tablet-Sprechstunde"), "", false)
            .await
            .unwrap();
        let (other, _) = db
            .create_event(None, Some(ola_id), &event("Programmierkurs"), "", false)
            .await
            .unwrap();
        let choices = db.topic_choices().await.unwrap();
        let field = choices.fields.first().unwrap().clone();
        let group = choices.groups.first().unwrap().clone();
        assert!(
            choices.groups.len() > 1,
            "the demo has several target groups"
        );
        let other_group = choices.groups[1].clone();
        db.set_event_topics(other, &[], &[other_group.id])
            .await
            .unwrap();

        // The form ticks a field and a group.
        let edit = format!("/veranstalten/{id}/bearbeiten");
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert!(page.body.contains(&format!(
            "name=\"target_group\" type=\"checkbox\" value=\"{}\"",
            group.id
        )));
        let mut pairs = form_of(&page.body, &edit);
        pairs.push(("field".into(), field.id.to_string()));
        pairs.push(("target_group".into(), group.id.to_string()));
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let r = post(&app, &edit, &body, Some(&ola)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let topics = db.event_topics(id).await.unwrap();
        assert_eq!(topics.fields, vec![field.clone()]);
        assert_eq!(topics.groups, vec![group.clone()]);
        // The form shows them ticked.
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert!(
            page.body
                .contains(&format!("value=\"{}\" checked", group.id)),
            "{}",
            page.body
        );

        // An id that is no field of action: named, and nothing changes.
        let mut bad = form_of(&page.body, &edit);
        bad.push(("field".into(), "999999".into()));
        bad.retain(|(k, _)| k != "target_group");
        let r = post(
            &app,
            &edit,
            &serde_urlencoded::to_string(&bad).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Diese Auswahl gibt es nicht"), "{}", r.body);
        assert_eq!(
            db.event_topics(id).await.unwrap().groups,
            vec![group.clone()]
        );

        // The event page links them.
        let p = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(
            p.body
                .contains(&format!("href=\"/handlungsfelder/{}\"", field.slug)),
            "{}",
            p.body
        );
        assert!(
            p.body
                .contains(&format!("/veranstaltungen?target_group={}", group.slug))
        );

        // The list, filtered: only the event for the group; the filter is kept in the form.
        let l = get(
            &app,
            &format!("/veranstaltungen?target_group={}", group.slug),
        )
        .await;
        assert_eq!(l.status, StatusCode::OK);
        assert!(l.body.contains("Tablet-Sprechstunde") && !l.body.contains("Programmierkurs"));
        assert!(
            l.body
                .contains(&format!("value=\"{}\" selected", group.slug))
        );
        assert!(l.body.contains("role=\"status\""));
        let l = get(&app, &format!("/veranstaltungen?field={}", field.slug)).await;
        assert!(l.body.contains("Tablet-Sprechstunde") && !l.body.contains("Programmierkurs"));
        let l = get(
            &app,
            &format!("/veranstaltungen?target_group={}", other_group.slug),
        )
        .await;
        assert!(!l.body.contains("Tablet-Sprechstunde") && l.body.contains("Programmierkurs"));
        // Both filters at once narrow further; none matching says so.
        let l = get(
            &app,
            &format!(
                "/veranstaltungen?target_group={}&field={}",
                other_group.slug, field.slug
            ),
        )
        .await;
        assert!(
            l.body
                .contains("Zu dieser Auswahl gibt es keine Veranstaltungen.")
        );
        // An unknown address: a clear 400 naming the field.
        let l = get(&app, "/veranstaltungen?target_group=gibt-es-nicht").await;
        assert_eq!(l.status, StatusCode::BAD_REQUEST);
        assert!(l.body.contains("target_group"), "{}", l.body);
    }
);

db_test!(
    an_event_has_an_image_with_alternative_text,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let ola_id = user_id(&db, "ola@example.org").await;
        let (id, slug) = db
            .create_event(None, Some(ola_id), &event("Digitaler Dialog"), "", false)
            .await
            .unwrap();
        let edit = format!("/veranstalten/{id}/bearbeiten");
        let action = format!("/veranstalten/{id}/bild");
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        let csrf = csrf_of(&page.body);

        // Refused, nothing saved: no text, not an image, a broken header, no file at all.
        let r = upload(&app, &action, &ola, &csrf, "", Some(&png(800, 450))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Alternativtext"), "{}", r.body);
        let r = upload(&app, &action, &ola, &csrf, "Ein Saal", Some(b"GIF89a....")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("kein Bild im Format PNG, JPEG oder WebP"),
            "{}",
            r.body
        );
        let r = upload(
            &app,
            &action,
            &ola,
            &csrf,
            "Ein Saal",
            Some(&png(800, 450)[..20]),
        )
        .await;
        assert!(r.body.contains("beschädigt"), "{}", r.body);
        let r = upload(&app, &action, &ola, &csrf, "Ein Saal", None).await;
        assert!(
            r.body.contains("Bitte wählen Sie eine Bilddatei."),
            "{}",
            r.body
        );
        let long = "x".repeat(301);
        let r = upload(&app, &action, &ola, &csrf, &long, Some(&png(8, 8))).await;
        assert!(r.body.contains("zu lang"), "{}", r.body);
        assert!(db.event_image_head(id).await.unwrap().is_none());
        // Someone else's event, or a wrong token: refused.
        let other = csrf_of(
            &get_with(&app, "/veranstalten/neu", &[("cookie", &otto)])
                .await
                .body,
        );
        let r = upload(&app, &action, &otto, &other, "Ein Saal", Some(&png(8, 8))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = upload(&app, &action, &ola, "falsch", "Ein Saal", Some(&png(8, 8))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Saved: the event page shows it at its size with its text; the file is served with
        // its type, a year's cache and the strict policy.
        let file = png(800, 450);
        let r = upload(
            &app,
            &action,
            &ola,
            &csrf,
            "Menschen an Tablets im Lesesaal",
            Some(&file),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let head = db.event_image_head(id).await.unwrap().unwrap();
        assert_eq!((head.width, head.height), (800, 450));
        // The back office shows it from its own address, to those who run the event only (a
        // draft's image is not public yet).
        let own = format!("/veranstalten/{id}/bild?v={}", head.etag);
        let edit_page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert!(
            edit_page.body.contains(&format!("<img src=\"{own}\"")),
            "{}",
            edit_page.body
        );
        let r = get_with(&app, &own, &[("cookie", &ola)]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "image/png");
        assert_eq!(
            get_with(&app, &own, &[("cookie", &otto)]).await.status,
            StatusCode::FORBIDDEN
        );
        let mut draft = event("Noch geheim");
        draft.state = EventState::Draft;
        let (d, dslug) = db
            .create_event(None, Some(ola_id), &draft, "", false)
            .await
            .unwrap();
        let small = png(8, 8);
        db.set_event_image(
            Some(ola_id),
            d,
            Some(store::programme::images::NewImage {
                mime: "image/png",
                body: &small,
                width: 8,
                height: 8,
                etag: "entwurf",
            }),
            "Ein Entwurf",
        )
        .await
        .unwrap();
        let r = get_with(
            &app,
            &format!("/veranstalten/{d}/bild"),
            &[("cookie", &ola)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            get(&app, &format!("/veranstaltungen/{dslug}/bild"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let p = get(&app, &format!("/veranstaltungen/{slug}")).await;
        let src = format!("/veranstaltungen/{slug}/bild?v={}", head.etag);
        assert!(
            p.body.contains(&format!(
                "<img src=\"{src}\" width=\"800\" height=\"450\" alt=\"Menschen an Tablets im Lesesaal\">"
            )),
            "{}",
            p.body
        );
        assert!(
            p.body
                .contains(&format!("\"image\":\"https://radar.example{src}\""))
        );
        let img = app
            .clone()
            .oneshot(Request::get(&src).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(img.status(), StatusCode::OK);
        assert_eq!(img.headers()["content-type"], "image/png");
        assert!(
            img.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert!(
            img.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'")
        );
        let bytes = img.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(bytes.as_ref(), file.as_slice());

        // A new text alone keeps the file; saving the event form keeps the text.
        let r = upload(&app, &action, &ola, &csrf, "Der Lesesaal", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        let pairs = form_of(&page.body, &edit);
        let r = post(
            &app,
            &edit,
            &serde_urlencoded::to_string(&pairs).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let head = db.event_image_head(id).await.unwrap().unwrap();
        assert_eq!(head.alt, "Der Lesesaal");
        // Removing it without a text: the image needs one, so the text cannot be emptied.
        let r = upload(&app, &action, &ola, &csrf, "", None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            db.event_image_head(id).await.unwrap().unwrap().alt,
            "Der Lesesaal"
        );

        // Removed: gone from the page and the address.
        let r = post(
            &app,
            &format!("/veranstalten/{id}/bild/entfernen"),
            &format!("csrf={csrf}"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            !get(&app, &format!("/veranstaltungen/{slug}"))
                .await
                .body
                .contains("/bild?v=")
        );
        assert_eq!(get(&app, &src).await.status, StatusCode::NOT_FOUND);
        for action in ["event.image", "event.image.remove"] {
            let (rows, _) = db.audit_entries(Some(action), 10, 0).await.unwrap();
            assert!(rows.iter().any(|r| r.subject_id == Some(id)), "{action}");
        }
    }
);

fn session(title: &str, starts: OffsetDateTime) -> SessionInput {
    SessionInput {
        title: title.into(),
        abstract_text: String::new(),
        format_id: None,
        track: String::new(),
        room_id: None,
        starts_at: starts,
        ends_at: starts + Duration::hours(1),
        language: "de".into(),
        sign_language: false,
        live_captions: false,
        easy_language: false,
        capacity: None,
        do_not_record: false,
        state: SessionState::Confirmed,
        people: Vec::new(),
    }
}

db_test!(
    people_discuss_a_session_and_its_organisers_answer_for_the_city,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let cleo = signed_in(&app, &db, "cleo@example.org", &[Role::Citizen]).await;
        let ola_id = user_id(&db, "ola@example.org").await;
        let e = event("Digitaltag");
        let (id, slug) = db
            .create_event(None, Some(ola_id), &e, "", false)
            .await
            .unwrap();
        let (open, open_slug) = db
            .add_session(
                None,
                id,
                &session("Im Gespräch mit dem CDO", e.starts_at),
                "",
            )
            .await
            .unwrap();
        let mut gone = session("Digitale Schule", e.starts_at);
        gone.state = SessionState::Cancelled;
        let (cancelled, cancelled_slug) = db.add_session(None, id, &gone, "").await.unwrap();
        let page = format!("/veranstaltungen/{slug}/sessions/{open_slug}");

        // The session page has the discussion, with the guest form for anonymous readers.
        let p = get(&app, &page).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("id=\"diskussion\""), "{}", p.body);
        assert!(
            p.body
                .contains(&format!("action=\"{page}/kommentare/gast\""))
        );

        // A citizen comments; the page, its comment page, the feed and the API show it.
        let mine = get_with(&app, &page, &[("cookie", &cleo)]).await;
        let csrf = csrf_of(&mine.body);
        let r = post(
            &app,
            &format!("{page}/kommentare"),
            &format!("csrf={csrf}&body=Wird+die+Session+aufgezeichnet%3F"),
            Some(&cleo),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.headers["location"]
                .to_str()
                .unwrap()
                .starts_with(&format!("{page}#kommentar-"))
        );
        assert!(
            get(&app, &page)
                .await
                .body
                .contains("Wird die Session aufgezeichnet?")
        );
        let list = get(&app, &format!("{page}/kommentare")).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Wird die Session aufgezeichnet?"));
        let feed = get(&app, &format!("{page}/kommentare.atom")).await;
        assert!(feed.body.contains("Wird die Session aufgezeichnet?"));
        let api = get(
            &app,
            &format!("/api/v1/events/{slug}/sessions/{open_slug}/comments"),
        )
        .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let v = json(&api);
        assert_eq!(v["session_id"], open);
        assert_eq!(v["count"], 1);

        // The organiser who runs the event answers for the city; another organiser cannot.
        let p = get_with(&app, &page, &[("cookie", &ola)]).await;
        assert!(p.body.contains("name=\"official\""), "{}", p.body);
        let r = post(
            &app,
            &format!("{page}/kommentare"),
            &format!(
                "csrf={}&body=Ja%2C+die+Aufzeichnung+folgt.&official=1",
                csrf_of(&p.body)
            ),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let p = get_with(&app, &page, &[("cookie", &otto)]).await;
        assert!(!p.body.contains("name=\"official\""));
        let r = post(
            &app,
            &format!("{page}/kommentare"),
            &format!("csrf={}&body=Von+mir.&official=1", csrf_of(&p.body)),
            Some(&otto),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            db.comment_count(domain::comments::Subject::session(open))
                .await
                .unwrap(),
            2
        );
        // Once an admin adds him to the event, he answers for it too.
        let otto_id = user_id(&db, "otto@example.org").await;
        db.set_event_organiser(ola_id, id, otto_id, true)
            .await
            .unwrap();
        let p = get_with(&app, &page, &[("cookie", &otto)]).await;
        assert!(p.body.contains("name=\"official\""), "{}", p.body);

        // A cancelled session takes no comments: the page says so and a post is refused.
        let gone_page = format!("/veranstaltungen/{slug}/sessions/{cancelled_slug}");
        let p = get_with(&app, &gone_page, &[("cookie", &cleo)]).await;
        assert!(
            p.body
                .contains("abgesagt: Die Diskussion nimmt keine neuen Beiträge an"),
            "{}",
            p.body
        );
        let r = post(
            &app,
            &format!("{gone_page}/kommentare"),
            &format!("csrf={csrf}&body=Schade."),
            Some(&cleo),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            db.comment_count(domain::comments::Subject::session(cancelled))
                .await
                .unwrap(),
            0
        );
        // A session that does not exist: 404 for the page, the post and the API.
        let none = format!("/veranstaltungen/{slug}/sessions/gibt-es-nicht");
        assert_eq!(
            get(&app, &format!("{none}/kommentare")).await.status,
            StatusCode::NOT_FOUND
        );
        let r = post(
            &app,
            &format!("{none}/kommentare"),
            &format!("csrf={csrf}&body=Hallo"),
            Some(&cleo),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    sessions_are_for_target_groups_and_the_programme_is_filtered_by_them,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let ola_id = user_id(&db, "ola@example.org").await;
        let e = event("Digitaltag");
        let (id, slug) = db
            .create_event(None, Some(ola_id), &e, "", false)
            .await
            .unwrap();
        db.add_session(
            None,
            id,
            &session("Programmieren für alle", e.starts_at),
            "",
        )
        .await
        .unwrap();
        let groups = db.topic_choices().await.unwrap().groups;
        let seniors = groups
            .iter()
            .find(|g| g.name == "Seniorinnen und Senioren")
            .unwrap()
            .clone();

        // The session form ticks a target group.
        let new = format!("/veranstalten/{id}/sessions/neu");
        let page = get_with(&app, &new, &[("cookie", &ola)]).await;
        assert!(page.body.contains("name=\"target_group\""), "{}", page.body);
        let mut pairs = form_of(&page.body, &new);
        let set = |pairs: &mut Vec<(String, String)>, k: &str, v: &str| {
            pairs.retain(|(x, _)| x != k);
            pairs.push((k.into(), v.into()));
        };
        set(&mut pairs, "title", "Smartphone-Sprechstunde");
        // Inside the event (the form's default is its start, cut to the minute).
        let at = |h: i64| domain::programme::format_local(e.starts_at + Duration::hours(h));
        set(&mut pairs, "starts_at", &at(1));
        set(&mut pairs, "ends_at", &at(2));
        // An id that is no target group: named, nothing saved.
        let mut bad = pairs.clone();
        bad.push(("target_group".into(), "999999".into()));
        let r = post(
            &app,
            &new,
            &serde_urlencoded::to_string(&bad).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Diese Auswahl gibt es nicht"));
        assert_eq!(db.programme(id).await.unwrap().len(), 1);
        pairs.push(("target_group".into(), seniors.id.to_string()));
        let r = post(
            &app,
            &new,
            &serde_urlencoded::to_string(&pairs).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let programme = db.programme(id).await.unwrap();
        let s = programme
            .iter()
            .find(|s| s.input.title == "Smartphone-Sprechstunde")
            .unwrap();
        assert_eq!(s.groups, vec![seniors.clone()]);

        // The session page names it; the programme is filtered by it.
        let p = get(
            &app,
            &format!("/veranstaltungen/{slug}/sessions/{}", s.slug),
        )
        .await;
        assert!(
            p.body.contains(&format!("?target_group={}", seniors.slug)),
            "{}",
            p.body
        );
        let all = get(&app, &format!("/veranstaltungen/{slug}")).await;
        assert!(all.body.contains("name=\"target_group\""));
        let f = get(
            &app,
            &format!("/veranstaltungen/{slug}?target_group={}", seniors.slug),
        )
        .await;
        assert_eq!(f.status, StatusCode::OK);
        assert!(
            f.body.contains("Smartphone-Sprechstunde")
                && !f.body.contains("Programmieren für alle")
        );
        let f = get(
            &app,
            &format!("/veranstaltungen/{slug}?target_group=gibt-es-nicht"),
        )
        .await;
        assert_eq!(f.status, StatusCode::BAD_REQUEST);
        // The API lists them per session.
        let api = json(&get(&app, &format!("/api/v1/events/{slug}")).await);
        let listed = api["programme"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["title"] == "Smartphone-Sprechstunde")
            .unwrap()
            .clone();
        assert_eq!(listed["target_groups"][0]["slug"], seniors.slug);

        // Untick it in the session's form: gone.
        let edit = format!("/veranstalten/{id}/sessions/{}", s.id);
        let page = get_with(&app, &edit, &[("cookie", &ola)]).await;
        assert!(
            page.body
                .contains(&format!("value=\"{}\" checked", seniors.id))
        );
        let mut pairs = form_of(&page.body, &edit);
        pairs.retain(|(k, _)| k != "target_group");
        let r = post(
            &app,
            &edit,
            &serde_urlencoded::to_string(&pairs).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            db.programme(id)
                .await
                .unwrap()
                .iter()
                .all(|s| s.groups.is_empty())
        );
    }
);

db_test!(
    organisers_keep_formats_and_a_session_lasts_its_formats_length,
    |db| async move {
        let app = app(&db).await;
        let ola = signed_in(&app, &db, "ola@example.org", &[Role::Organiser]).await;
        let otto = signed_in(&app, &db, "otto@example.org", &[Role::Organiser]).await;
        let admin = signed_in(&app, &db, "admin@example.org", &[Role::Admin]).await;
        let page = get_with(&app, "/veranstalten/formate", &[("cookie", &ola)]).await;
        assert_eq!(page.status, StatusCode::OK);
        // The presets are shown, not changeable by an organiser.
        assert!(
            page.body.contains("Workshop")
                && !page.body.contains("action=\"/veranstalten/formate/1\"")
        );
        let csrf = csrf_of(&page.body);
        let add = |body: String, cookie: String| {
            let app = app.clone();
            async move { post(&app, "/veranstalten/formate", &body, Some(&cookie)).await }
        };
        // Refused with the reasons, nothing saved: a pale colour, a length of 0, a taken name.
        let r = add(
            format!("csrf={csrf}&name=Barcamp&minutes=0&colour=%23ffee88"),
            ola.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("zwischen 5 und 600 Minuten") && r.body.contains("hebt sich zu wenig"),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"Barcamp\""), "the typed name stays");
        let r = add(
            format!("csrf={csrf}&name=workshop&minutes=60&colour=%23000000"),
            ola.clone(),
        )
        .await;
        assert!(r.body.contains("gibt es schon"), "{}", r.body);
        assert_eq!(db.kept_formats().await.unwrap().len(), 5);
        // Added: Ola's, shown with its colour in the stylesheet.
        let r = add(
            format!("csrf={csrf}&name=Barcamp&minutes=240&colour=%23005a5a"),
            ola.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let barcamp = db
            .kept_formats()
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.name == "Barcamp")
            .unwrap();
        assert_eq!(barcamp.default_minutes, 240);
        assert!(
            get(&app, "/veranstaltungen/formate.css")
                .await
                .body
                .contains("#005a5a")
        );
        // Otto may not change it; Ola and an admin may.
        let change = format!("/veranstalten/formate/{}", barcamp.id);
        let body = format!(
            "csrf={}&name=Barcamp&minutes=180&colour=%23005a5a",
            csrf_of(
                &get_with(&app, "/veranstalten/formate", &[("cookie", &otto)])
                    .await
                    .body
            )
        );
        assert_eq!(
            post(&app, &change, &body, Some(&otto)).await.status,
            StatusCode::FORBIDDEN
        );
        let r = post(
            &app,
            &change,
            &format!("csrf={csrf}&name=Barcamp&minutes=180&colour=%23005a5a"),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let admin_csrf = csrf_of(
            &get_with(&app, "/veranstalten/formate", &[("cookie", &admin)])
                .await
                .body,
        );
        let r = post(
            &app,
            "/veranstalten/formate/1",
            &format!("csrf={admin_csrf}&name=Digitaler+Dialog&minutes=75&colour=%231f5f99"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (rows, _) = db
            .audit_entries(Some("format.update"), 10, 0)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);

        // A session with the format and no end lasts its usual length.
        let ola_id = user_id(&db, "ola@example.org").await;
        let mut e = event("Barcamp-Tag");
        e.ends_at = e.starts_at + Duration::hours(8);
        let (id, _) = db
            .create_event(None, Some(ola_id), &e, "", false)
            .await
            .unwrap();
        let new = format!("/veranstalten/{id}/sessions/neu");
        let form = get_with(&app, &new, &[("cookie", &ola)]).await;
        let mut pairs = form_of(&form.body, &new);
        let start = domain::programme::format_local(e.starts_at + Duration::hours(1));
        for (k, v) in [
            ("title", "Offene Runde"),
            ("format", &barcamp.id.to_string()),
            ("starts_at", &start),
            ("ends_at", ""),
        ] {
            pairs.retain(|(x, _)| x != k);
            pairs.push((k.to_string(), v.to_string()));
        }
        let r = post(
            &app,
            &new,
            &serde_urlencoded::to_string(&pairs).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = db.programme(id).await.unwrap().pop().unwrap();
        assert_eq!(s.input.ends_at - s.input.starts_at, Duration::minutes(180));
        // Without a format an end is needed.
        pairs.retain(|(x, _)| x != "format");
        pairs.push(("format".into(), String::new()));
        let r = post(
            &app,
            &new,
            &serde_urlencoded::to_string(&pairs).unwrap(),
            Some(&ola),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("href=\"#ends_at\""));
    }
);
