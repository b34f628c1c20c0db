//! The page cache and the event bus across writes and instances: tags drop only what a write
//! touched, signed-in readers get the cached page with their own header, two instances on one
//! PostgreSQL see each other's writes and events at once, and event streams replay, drop slow
//! clients and end on shutdown.

use super::*;
use axum::extract::State;
use axum::routing::get as get_route;
use std::time::{Duration, Instant};

/// A measure of the demo, with its slug and current edit.
async fn some_measure(db: &Db) -> (i64, String, i64, store::editing::MeasureEdit) {
    let page = db
        .measures(
            &store::strategy::MeasureFilter::default(),
            store::strategy::Sort::default(),
            1,
            1,
        )
        .await
        .unwrap();
    let card = &page.items[0];
    let (version, edit) = db.measure_version(card.id).await.unwrap().unwrap();
    (card.id, card.slug.clone(), version, edit)
}

async fn editor(db: &Db) -> i64 {
    db.create_user(
        "redaktion@musterstadt.example",
        "Redaktion",
        &[domain::accounts::Role::Editor],
    )
    .await
    .unwrap()
}

fn label(_: &str, _: &str, _: i64, _: i64) -> String {
    "Bericht".into()
}

db_test!(a_save_drops_only_the_pages_it_touched, |db| async move {
    let state = demo_state(&db).await;
    let app = web::router(state.clone());
    let (id, slug, version, mut edit) = some_measure(&db).await;
    let actor = editor(&db).await;
    for uri in ["/radar", "/massnahmen", &format!("/massnahmen/{slug}")] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK);
    }
    let cached = state.cache.len();
    assert_eq!(cached, 3);
    // A new description: the measure's page and full-text pages change, the radar does not.
    edit.description = "Ein ganz neuer Text zur Maßnahme.".into();
    db.update_measure(actor, id, version, &edit, &label)
        .await
        .unwrap();
    assert_eq!(state.cache.len(), 2, "only the measure page was dropped");
    let page = get(&app, &format!("/massnahmen/{slug}")).await;
    assert!(page.body.contains("Ein ganz neuer Text zur Maßnahme."));
    // A new status shows on the radar and in lists: those go too.
    edit.status = if edit.status == "done" {
        "planned".into()
    } else {
        "done".into()
    };
    db.update_measure(actor, id, version + 1, &edit, &label)
        .await
        .unwrap();
    assert_eq!(state.cache.len(), 0);
});

db_test!(unknown_parameters_share_the_cached_page, |db| async move {
    let state = demo_state(&db).await;
    let app = web::router(state.clone());
    let a = get(&app, "/massnahmen?status=done").await;
    let b = get(&app, "/massnahmen?utm_source=newsletter&status=done").await;
    let c = get(&app, "/massnahmen?status=done&x=1&y=2").await;
    assert_eq!(
        (a.status, b.status, c.status),
        (StatusCode::OK, StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(a.body, b.body);
    assert_eq!(a.body, c.body);
    assert_eq!(state.cache.len(), 1);
    // Not found is answered, not kept.
    for n in 0..5 {
        let r = get(&app, &format!("/massnahmen/gibt-es-nicht-{n}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(state.cache.len(), 1);
});

db_test!(
    responses_over_the_entry_limit_pass_through,
    |db| async move {
        load_demo(&db).await;
        // A cache of 64 KB keeps entries up to 16 KB: the radar page is larger.
        let state = web::AppState::with_cache(db.clone(), "https://radar.example", 64 * 1024)
            .await
            .unwrap();
        let app = web::router(state.clone());
        let r = get_with(&app, "/radar", &[("accept-encoding", "gzip")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.headers[header::CONTENT_ENCODING],
            "gzip",
            "compressed all the same"
        );
        assert!(state.cache.is_empty());
        let json = get(&app, "/export/strategie.json").await;
        assert_eq!(json.status, StatusCode::OK);
        assert!(json.body.len() > 16 * 1024);
        assert!(json.body.contains("\"measures\""));
        assert!(state.cache.is_empty());
    }
);

db_test!(
    without_a_page_cache_pages_are_rendered_and_compressed,
    |db| async move {
        load_demo(&db).await;
        let state = web::AppState::with_cache(db.clone(), "https://radar.example", 0)
            .await
            .unwrap();
        let app = web::router(state.clone());
        let plain = get(&app, "/radar").await;
        let zipped = get_with(&app, "/radar", &[("accept-encoding", "gzip")]).await;
        assert_eq!(
            (plain.status, zipped.status),
            (StatusCode::OK, StatusCode::OK)
        );
        assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(zipped.headers[header::CONTENT_ENCODING], "gzip");
        assert!(state.cache.is_empty());
    }
);

db_test!(
    signed_in_readers_get_the_cached_page_with_their_header,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let (_, slug, _, _) = some_measure(&db).await;
        let uri = format!("/massnahmen/{slug}");
        let anonymous = get(&app, &uri).await;
        assert!(anonymous.body.contains("href=\"/anmelden\""));
        assert!(!anonymous.body.contains("/admin/massnahmen/"));
        assert_eq!(state.cache.len(), 1);
        let uid = editor(&db).await;
        let token = "ab".repeat(32);
        db.create_session(
            uid,
            &web::session::sha256_hex(&token),
            "csrf-token",
            time::OffsetDateTime::now_utc() + time::Duration::days(1),
        )
        .await
        .unwrap();
        let cookie = format!("sr_session={token}");
        for gzip in [false, true] {
            let mut headers = vec![("cookie", cookie.as_str())];
            if gzip {
                headers.push(("accept-encoding", "gzip"));
            }
            let mine = get_with(&app, &uri, &headers).await;
            assert_eq!(mine.status, StatusCode::OK);
            let body = if gzip {
                assert_eq!(mine.headers[header::CONTENT_ENCODING], "gzip");
                let raw = app
                    .clone()
                    .oneshot(
                        Request::get(uri.as_str())
                            .header("cookie", cookie.as_str())
                            .header("accept-encoding", "gzip")
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await
                    .unwrap();
                let bytes = raw.into_body().collect().await.unwrap().to_bytes();
                let mut out = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut out,
                )
                .unwrap();
                out
            } else {
                mine.body
            };
            assert!(body.contains("Redaktion"), "the header names the reader");
            assert!(
                body.contains("href=\"/admin\""),
                "staff get the back-office link"
            );
            assert!(body.contains("/admin/massnahmen/"), "and the edit link");
            assert!(!body.contains("href=\"/anmelden\""));
            assert_eq!(mine.headers[header::CACHE_CONTROL], "private, no-cache");
        }
        // Still one entry: the signed-in reader was served from it.
        assert_eq!(state.cache.len(), 1);
        // A session ended elsewhere (another instance, the database) reads the public page at the
        // latest once the slot memory has let it go.
        db.delete_session(&web::session::sha256_hex(&token))
            .await
            .unwrap();
        tokio::time::sleep(web::cache::SESSION_TTL + std::time::Duration::from_millis(100)).await;
        let after = get_with(&app, &uri, &[("cookie", cookie.as_str())]).await;
        assert!(after.body.contains("href=\"/anmelden\""));
    }
);

db_test!(
    deleting_an_account_drops_pages_with_its_name,
    |db| async move {
        let state = demo_state(&db).await;
        let app = web::router(state.clone());
        let (id, slug, version, mut edit) = some_measure(&db).await;
        let actor = editor(&db).await;
        edit.goals = "Neue Ziele".into();
        db.update_measure(actor, id, version, &edit, &label)
            .await
            .unwrap();
        let uri = format!("/massnahmen/{slug}");
        assert!(get(&app, &uri).await.body.contains("Redaktion"));
        assert_eq!(state.cache.len(), 1);
        db.delete_account(actor).await.unwrap();
        assert_eq!(state.cache.len(), 0);
        let page = get(&app, &uri).await;
        assert!(!page.body.contains("von Redaktion"));
        assert!(page.body.contains("gelöschtes Konto"));
    }
);

async fn first_frame(body: &mut Body, within: Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .ok()??
            .ok()?;
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8_lossy(&data).into_owned();
            // Keep-alive comments start with ':'.
            if !text.starts_with(':') {
                return Some(text);
            }
        }
    }
}

fn live_router(state: web::AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/live",
            get_route(
                |State(s): State<web::AppState>, headers: axum::http::HeaderMap| async move {
                    use axum::response::IntoResponse;
                    match web::events::sse(&s, "demo", web::events::last_event_id(&headers)).await {
                        Ok(sse) => sse.into_response(),
                        Err(e) => e.into_response(),
                    }
                },
            ),
        )
        .with_state(state)
}

async fn open_stream(app: &axum::Router, last_id: Option<i64>) -> Body {
    let mut req = Request::get("/live");
    if let Some(id) = last_id {
        req = req.header("last-event-id", id.to_string());
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    res.into_body()
}

db_test!(event_streams_replay_and_end_on_shutdown, |db| async move {
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    let app = live_router(state.clone());
    let mut stream = open_stream(&app, None).await;
    let sent = db
        .publish(vec![("demo".into(), r#"{"n":1}"#.into())])
        .await
        .unwrap();
    let frame = first_frame(&mut stream, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(frame.contains(&format!("id: {}", sent[0].seq)), "{frame}");
    assert!(frame.contains(r#"data: {"n":1}"#));
    // Two more while the client is away; it comes back with the last id it saw.
    db.publish(vec![
        ("demo".into(), r#"{"n":2}"#.into()),
        ("demo".into(), r#"{"n":3}"#.into()),
    ])
    .await
    .unwrap();
    let mut again = open_stream(&app, Some(sent[0].seq)).await;
    let f2 = first_frame(&mut again, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(f2.contains(r#"{"n":2}"#), "{f2}");
    let f3 = first_frame(&mut again, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(f3.contains(r#"{"n":3}"#), "{f3}");
    // An id from before the replay window: the client is told to reload.
    db.prune_events(time::OffsetDateTime::now_utc() + time::Duration::seconds(1))
        .await
        .unwrap();
    let mut stale = open_stream(&app, Some(1)).await;
    let reset = first_frame(&mut stale, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(reset.contains("event: reset"), "{reset}");
    // Shutdown ends every stream.
    state.bus.shut_down();
    let end = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(f) = stream.frame().await {
            if f.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(end.is_ok(), "the stream ended on shutdown");
});

db_test!(a_slow_stream_is_dropped_not_buffered, |db| async move {
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    let app = live_router(state.clone());
    let mut stream = open_stream(&app, None).await;
    // The client reads nothing while more events than the channel holds go out.
    let n = store::events::BROADCAST_CAPACITY + 50;
    let batch: Vec<store::events::NewEvent> = (0..n)
        .map(|i| ("demo".to_string(), format!(r#"{{"n":{i}}}"#)))
        .collect();
    db.publish(batch).await.unwrap();
    let mut frames = 0;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(f) = stream.frame().await {
            match f {
                Ok(_) => frames += 1,
                Err(_) => break,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the lagging stream ended");
    assert!(
        frames < n,
        "it did not get all {n} events buffered ({frames})"
    );
});

/// The two PostgreSQL instances of a load-balanced set-up: each its own pool, hub and cache.
async fn two_instances(name: &str) -> Option<(web::AppState, web::AppState)> {
    let (a, b) = store::testing::postgres_pair(name).await?;
    load_demo(&a).await;
    let sa = web::AppState::new(a, "https://radar.example")
        .await
        .unwrap();
    let sb = web::AppState::new(b, "https://radar.example")
        .await
        .unwrap();
    web::events::spawn(sb.clone(), Duration::from_secs(1));
    // The listener connects in the background; give it a moment before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    Some((sa, sb))
}

#[tokio::test]
async fn postgres_a_save_on_one_instance_shows_on_the_others_cached_page_at_once() {
    let Some((a, b)) = two_instances("live_cache_two_instances").await else {
        return;
    };
    let app_b = web::router(b.clone());
    let (id, slug, version, mut edit) = some_measure(&a.db).await;
    let actor = editor(&a.db).await;
    let uri = format!("/massnahmen/{slug}");
    assert_eq!(get(&app_b, &uri).await.status, StatusCode::OK);
    assert_eq!(b.cache.len(), 1);
    edit.title = format!("{} (neu)", edit.title);
    a.db.update_measure(actor, id, version, &edit, &label)
        .await
        .unwrap();
    // The other instance drops its copy as soon as the notification arrives…
    let start = Instant::now();
    while !b.cache.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(2), "never dropped");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let dropped = start.elapsed();
    // …and its next reader gets the new page.
    let page = get(&app_b, &uri).await;
    let shown = start.elapsed();
    assert!(page.body.contains("(neu)"));
    assert!(
        dropped < Duration::from_millis(200),
        "dropped after {dropped:?}"
    );
    assert!(
        shown < Duration::from_millis(400),
        "shown after {shown:?} (render included)"
    );
    a.db.close().await;
    b.db.close().await;
}

#[tokio::test]
async fn postgres_a_settings_change_on_one_instance_reaches_the_others_memory() {
    let Some((a, b)) = two_instances("live_settings_two_instances").await else {
        return;
    };
    let key = "moderation_words";
    // The other instance reads the setting (unset) and keeps it in memory …
    assert_eq!(b.cache.settings.one(&b.db, key).await.unwrap(), None);
    let actor = editor(&a.db).await;
    a.db.set_setting(actor, key, "Spamwort").await.unwrap();
    // … until the change reaches it over the bus.
    let start = Instant::now();
    loop {
        if b.cache.settings.one(&b.db, key).await.unwrap().as_deref() == Some("Spamwort") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the other instance kept the old value"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.db.close().await;
    b.db.close().await;
}

#[tokio::test]
async fn postgres_an_event_of_one_instance_reaches_a_stream_of_the_other_at_once() {
    let Some((a, b)) = two_instances("live_sse_two_instances").await else {
        return;
    };
    let app_b = live_router(b.clone());
    let mut stream = open_stream(&app_b, None).await;
    let start = Instant::now();
    a.db.publish(vec![("demo".into(), r#"{"from":"a"}"#.into())])
        .await
        .unwrap();
    let frame = first_frame(&mut stream, Duration::from_secs(2))
        .await
        .unwrap();
    let took = start.elapsed();
    assert!(frame.contains(r#"{"from":"a"}"#), "{frame}");
    assert!(took < Duration::from_millis(200), "took {took:?}");
    a.db.close().await;
    b.db.close().await;
}

/// The live stream of a measure's discussion, through the real route.
async fn open_discussion(app: &axum::Router, slug: &str, last_id: Option<i64>) -> Body {
    let mut req = Request::get(format!("/massnahmen/{slug}/kommentare/live"));
    if let Some(id) = last_id {
        req = req.header("last-event-id", id.to_string());
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    res.into_body()
}

/// A comment by a new citizen on measure `id`.
async fn comment_on(db: &Db, id: i64, email: &str, text: &str) -> i64 {
    let author = db
        .create_user(email, "Leserin", &[domain::accounts::Role::Citizen])
        .await
        .unwrap();
    db.post_comment(&store::comments::NewComment {
        subject: domain::comments::Subject::measure(id),
        parent_id: None,
        author: store::comments::Author::Account(author),
        body: text,
        body_html: text,
        official: false,
        limits: &[],
        posted_at: None,
        hold: false,
    })
    .await
    .unwrap()
    .unwrap()
}

db_test!(a_discussion_streams_its_own_changes_only, |db| async move {
    load_demo(&db).await;
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    let app = web::router(state.clone());
    let page = db
        .measures(
            &store::strategy::MeasureFilter::default(),
            store::strategy::Sort::default(),
            1,
            2,
        )
        .await
        .unwrap();
    let (this, other) = (&page.items[0], &page.items[1]);
    assert_eq!(
        get(&app, "/massnahmen/gibt-es-nicht/kommentare/live")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut stream = open_discussion(&app, &this.slug, None).await;
    // A comment elsewhere says nothing here.
    comment_on(&db, other.id, "a@musterstadt.example", "Woanders").await;
    assert!(
        first_frame(&mut stream, Duration::from_millis(300))
            .await
            .is_none()
    );
    comment_on(&db, this.id, "b@musterstadt.example", "Hier").await;
    let frame = first_frame(&mut stream, Duration::from_secs(2))
        .await
        .expect("the discussion's change");
    assert!(
        frame.contains("data: {}"),
        "only the fact of a change: {frame}"
    );
    let seen: i64 = frame
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Away for a moment: on return it hears what it missed, and nothing else.
    drop(stream);
    comment_on(&db, other.id, "c@musterstadt.example", "Woanders 2").await;
    comment_on(&db, this.id, "d@musterstadt.example", "Hier 2").await;
    let mut again = open_discussion(&app, &this.slug, Some(seen)).await;
    let replayed = first_frame(&mut again, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(replayed.contains("data: {}"), "{replayed}");
    assert!(
        first_frame(&mut again, Duration::from_millis(300))
            .await
            .is_none()
    );
    // The page says where its stream is and loads the script from this site.
    let html = get(&app, &format!("/massnahmen/{}", this.slug)).await.body;
    assert!(html.contains(&format!(
        "data-live=\"/massnahmen/{}/kommentare/live\"",
        this.slug
    )));
    assert!(html.contains("<script src=\"/assets/live.js\" defer></script>"));
    let js = get(&app, "/assets/live.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
});

#[tokio::test]
async fn postgres_a_comment_on_one_instance_reaches_the_open_discussion_on_the_other() {
    let Some((a, b)) = two_instances("live_discussion_two_instances").await else {
        return;
    };
    let app_b = web::router(b.clone());
    let (id, slug, _, _) = some_measure(&a.db).await;
    let mut stream = open_discussion(&app_b, &slug, None).await;
    let start = Instant::now();
    comment_on(&a.db, id, "a@musterstadt.example", "Von Instanz A").await;
    let frame = first_frame(&mut stream, Duration::from_secs(2))
        .await
        .expect("the comment's change on the other instance");
    let took = start.elapsed();
    assert!(frame.contains("data: {}"), "{frame}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // And the other instance's page shows the comment.
    let page = get(&app_b, &format!("/massnahmen/{slug}")).await;
    assert!(page.body.contains("Von Instanz A"));
    a.db.close().await;
    b.db.close().await;
}
