//! Comments: threads three levels deep, counters kept with every write, cursor pages in every
//! order, the author's edit window and tombstones, one upvote per person; on both engines.

use super::participation::{people, published};
use super::*;
use domain::comments::{Cursor, Sort, State, Subject};
use store::comments::{Limit, NewComment, Refusal};

fn new(subject: Subject, parent: Option<i64>, author: i64, body: &str) -> NewComment<'_> {
    NewComment {
        subject,
        parent_id: parent,
        author: store::comments::Author::Account(author),
        body,
        body_html: body,
        official: false,
        limits: &[],
        posted_at: None,
        hold: false,
    }
}

async fn post(db: &Db, subject: Subject, parent: Option<i64>, author: i64, body: &str) -> i64 {
    db.post_comment(&new(subject, parent, author, body))
        .await
        .unwrap()
        .unwrap()
}

db_test!(threads_go_three_levels_deep, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let s = Subject::measure(published(&db).await);
    let p = people(&db, 2).await;
    let top = post(&db, s, None, p[0], "Gute Idee").await;
    let reply = post(&db, s, Some(top), p[1], "Finde ich auch").await;
    let deeper = post(&db, s, Some(reply), p[0], "Danke").await;
    assert_eq!(
        db.post_comment(&new(s, Some(deeper), p[1], "Zu tief"))
            .await
            .unwrap(),
        Err(Refusal::TooDeep)
    );
    let c = db.comment(deeper).await.unwrap().unwrap();
    assert_eq!(
        (c.depth, c.parent_id, c.root_id),
        (2, Some(reply), Some(top))
    );
    assert_eq!(c.author_name.as_deref(), Some("Person 0"));
    // The thread counts its replies, the subject all its comments.
    assert_eq!(db.comment(top).await.unwrap().unwrap().replies, 2);
    assert_eq!(db.comment_count(s).await.unwrap(), 3);
    // A reply must be on the same subject, to a comment that exists.
    let other = Subject::measure(s.id + 1);
    assert_eq!(
        db.post_comment(&new(other, Some(top), p[1], "Falsch"))
            .await
            .unwrap(),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        db.post_comment(&new(s, Some(999_999), p[1], "Weg"))
            .await
            .unwrap(),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        db.post_comment(&new(Subject::measure(999_999), None, p[1], "Nichts"))
            .await
            .unwrap(),
        Err(Refusal::NotFound)
    );
    assert_eq!(db.comment_count(s).await.unwrap(), 3);
});

db_test!(pages_follow_the_cursor_in_every_order, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let s = Subject::measure(published(&db).await);
    let p = people(&db, 4).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(post(&db, s, None, p[0], &format!("Kommentar {i}")).await);
    }
    // Upvotes: comment 2 gets three, comment 5 two, comment 0 two.
    for (c, voters) in [(2, 3), (5, 2), (0, 2)] {
        for v in &p[1..=voters] {
            db.vote_comment(ids[c], *v, true).await.unwrap().unwrap();
        }
    }
    let reply = post(&db, s, Some(ids[3]), p[1], "Antwort").await;
    let walk = |sort: Sort| {
        let db = db.clone();
        async move {
            let mut seen = Vec::new();
            let mut after: Option<Cursor> = None;
            loop {
                let page = db.comment_page(s, sort, after, 3, 10).await.unwrap();
                assert!(page.threads.len() <= 3);
                seen.extend(page.threads.iter().map(|t| t.comment.id));
                match page.next {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            seen
        }
    };
    let newest: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(walk(Sort::Newest).await, newest);
    assert_eq!(walk(Sort::Oldest).await, ids);
    // Most upvotes first, equal ones newest first.
    let supported = vec![ids[2], ids[5], ids[0], ids[6], ids[4], ids[3], ids[1]];
    assert_eq!(walk(Sort::Supported).await, supported);
    // Replies come with their thread and are not top-level comments.
    let first = db
        .comment_page(s, Sort::Oldest, None, 20, 10)
        .await
        .unwrap();
    assert_eq!(first.threads.len(), 7);
    assert!(first.next.is_none());
    let t3 = first
        .threads
        .iter()
        .find(|t| t.comment.id == ids[3])
        .unwrap();
    assert_eq!(t3.replies.iter().map(|r| r.id).collect::<Vec<_>>(), [reply]);
    assert_eq!(t3.comment.replies, 1);
});

db_test!(replies_show_the_answer_of_the_city_first, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let s = Subject::measure(published(&db).await);
    let p = people(&db, 2).await;
    let top = post(&db, s, None, p[0], "Frage").await;
    let mut replies = Vec::new();
    for i in 0..4 {
        replies.push(post(&db, s, Some(top), p[1], &format!("Antwort {i}")).await);
    }
    let mut answer = new(s, Some(top), p[1], "Antwort der Stadt");
    answer.official = true;
    let official = db.post_comment(&answer).await.unwrap().unwrap();
    // Two replies shown: the city's answer is one of them, although it came last.
    let page = db.comment_page(s, Sort::Newest, None, 20, 2).await.unwrap();
    let shown: Vec<i64> = page.threads[0].replies.iter().map(|r| r.id).collect();
    assert!(shown.contains(&official), "{shown:?}");
    assert_eq!(shown.len(), 2);
    assert!(db.comment(official).await.unwrap().unwrap().official);
    // The thread in full by cursor.
    let (all, more) = db.thread_replies(top, None, 3).await.unwrap();
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), replies[..3]);
    assert!(more);
    let (rest, more) = db.thread_replies(top, Some(replies[2]), 3).await.unwrap();
    assert_eq!(
        rest.iter().map(|r| r.id).collect::<Vec<_>>(),
        [replies[3], official]
    );
    assert!(!more);
    assert_eq!(db.replies_before(top, official).await.unwrap(), 4);
});

db_test!(
    authors_edit_within_the_window_and_delete_to_a_tombstone,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 2).await;
        let top = post(&db, s, None, p[0], "Erster Text").await;
        let reply = post(&db, s, Some(top), p[1], "Antwort").await;
        // Only the author edits.
        assert_eq!(
            db.edit_comment(top, p[1], "Fremd", "Fremd").await.unwrap(),
            Err(Refusal::NotAuthor)
        );
        assert_eq!(
            db.edit_comment(top, p[0], "Neuer Text", "<p>Neuer Text</p>")
                .await
                .unwrap(),
            Ok(s)
        );
        let c = db.comment(top).await.unwrap().unwrap();
        assert_eq!(c.body, "Neuer Text");
        assert!(c.edited_at.is_some());
        // After the window, no edit.
        sqlx_age(&db, top).await;
        assert_eq!(
            db.edit_comment(top, p[0], "Zu spät", "Zu spät")
                .await
                .unwrap(),
            Err(Refusal::EditWindowOver)
        );
        db.vote_comment(top, p[1], true).await.unwrap().unwrap();
        // Deleting keeps a tombstone: the reply stays, the text and the votes go.
        assert_eq!(
            db.delete_comment(top, p[1]).await.unwrap(),
            Err(Refusal::NotAuthor)
        );
        assert_eq!(db.delete_comment(top, p[0]).await.unwrap(), Ok(s));
        assert_eq!(
            db.delete_comment(top, p[0]).await.unwrap(),
            Err(Refusal::Gone)
        );
        let c = db.comment(top).await.unwrap().unwrap();
        assert_eq!(
            (c.state, c.body.as_str(), c.upvotes),
            (State::Deleted, "", 0)
        );
        assert!(db.comment_votes_of_user(p[1]).await.unwrap().is_empty());
        let page = db
            .comment_page(s, Sort::Newest, None, 20, 10)
            .await
            .unwrap();
        assert_eq!(page.threads[0].comment.id, top);
        assert_eq!(page.threads[0].replies[0].id, reply);
        // A tombstone takes no replies, votes or edits.
        assert_eq!(
            db.post_comment(&new(s, Some(top), p[1], "Noch was"))
                .await
                .unwrap(),
            Err(Refusal::ParentClosed)
        );
        assert_eq!(
            db.vote_comment(top, p[1], true).await.unwrap(),
            Err(Refusal::Gone)
        );
        assert_eq!(
            db.edit_comment(top, p[0], "x", "x").await.unwrap(),
            Err(Refusal::Gone)
        );
    }
);

/// Moves a comment's posting time 16 minutes back.
async fn sqlx_age(db: &Db, id: i64) {
    let at = time::OffsetDateTime::now_utc() - time::Duration::minutes(16);
    store::on_db!(db, p => sqlx::query("UPDATE comments SET created_at = $2 WHERE id = $1")
        .bind(id).bind(at).execute(p).await.map(|_| ()).unwrap());
}

db_test!(
    one_upvote_per_person_and_none_for_oneself,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 3).await;
        let c = post(&db, s, None, p[0], "Bitte unterstützen").await;
        assert_eq!(
            db.vote_comment(c, p[0], true).await.unwrap(),
            Err(Refusal::OwnComment)
        );
        assert_eq!(db.vote_comment(c, p[1], true).await.unwrap(), Ok((s, 1)));
        assert_eq!(db.vote_comment(c, p[1], true).await.unwrap(), Ok((s, 1)));
        assert_eq!(db.vote_comment(c, p[2], true).await.unwrap(), Ok((s, 2)));
        assert_eq!(db.vote_comment(c, p[2], false).await.unwrap(), Ok((s, 1)));
        assert_eq!(db.vote_comment(c, p[2], false).await.unwrap(), Ok((s, 1)));
        let views = db.my_comment_views(p[1], &[c, 999_999]).await.unwrap();
        assert_eq!(views.len(), 1);
        assert!(views[&c].upvoted && !views[&c].mine);
        let own = db.my_comment_views(p[0], &[c]).await.unwrap();
        assert!(own[&c].mine && !own[&c].upvoted);
        assert_eq!(
            db.vote_comment(999_999, p[1], true).await.unwrap(),
            Err(Refusal::NotFound)
        );
    }
);

db_test!(concurrent concurrent_posts_and_votes_lose_no_count, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let s = Subject::measure(published(&db).await);
    let p = people(&db, 30).await;
    let top = post(&db, s, None, p[0], "Start").await;
    let mut tasks = Vec::new();
    for person in p[1..].iter().copied() {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.post_comment(&new(s, Some(top), person, "Ich auch")).await.unwrap().unwrap();
            db.vote_comment(top, person, true).await.unwrap().unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let c = db.comment(top).await.unwrap().unwrap();
    assert_eq!((c.replies, c.upvotes), (29, 29));
    assert_eq!(db.comment_count(s).await.unwrap(), 30);
});

db_test!(rate_limits_refuse_and_write_nothing, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let s = Subject::measure(published(&db).await);
    let p = people(&db, 1).await;
    let limits = [Limit {
        bucket: "comment:test".into(),
        max: 2,
        window: time::Duration::minutes(1),
    }];
    let mut n = new(s, None, p[0], "Schnell");
    n.limits = &limits;
    db.post_comment(&n).await.unwrap().unwrap();
    db.post_comment(&n).await.unwrap().unwrap();
    assert!(matches!(
        db.post_comment(&n).await.unwrap(),
        Err(Refusal::RateLimited(_))
    ));
    assert_eq!(db.comment_count(s).await.unwrap(), 2);
});

db_test!(
    deleted_accounts_keep_their_comments_without_a_name,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 1).await;
        let c = post(&db, s, None, p[0], "Mein Beitrag").await;
        assert_eq!(db.comments_of_user(p[0]).await.unwrap().len(), 1);
        db.delete_account(p[0]).await.unwrap();
        let c = db.comment(c).await.unwrap().unwrap();
        assert_eq!(c.author_name, None);
        assert_eq!(c.body, "Mein Beitrag");
    }
);

db_test!(
    comments_drop_the_pages_of_their_discussion,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 2).await;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sn = seen.clone();
        db.hub()
            .on_event(move |e| sn.lock().unwrap().extend(store::events::tags_of(e)));
        let c = post(&db, s, None, p[0], "Hallo").await;
        db.vote_comment(c, p[1], true).await.unwrap().unwrap();
        db.vote_comment(c, p[1], true).await.unwrap().unwrap(); // unchanged: no event
        let tag = domain::tags::comments(s);
        assert_eq!(*seen.lock().unwrap(), vec![tag.clone(), tag]);
    }
);

db_test!(
    a_session_is_discussed_while_its_event_is_published_and_goes_with_the_demo,
    |db| async move {
        use domain::programme::{EventState, SessionState};
        let (_, doc) = domain::import::parse(
            include_str!("../../../stadtradar/demo/musterstadt.json").as_bytes(),
        )
        .unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap().unwrap();
        let p = people(&db, 1).await;
        let day = time::macros::datetime!(2030-10-16 08:00 UTC);
        let ev = |title: &str, state| super::programme::event(title, state, day);
        let (demo, _) = db
            .create_event(
                None,
                None,
                &ev("Digitaltag", EventState::Published),
                "",
                true,
            )
            .await
            .unwrap();
        let (own, _) = db
            .create_event(
                None,
                None,
                &ev("Lesecafé", EventState::Published),
                "",
                false,
            )
            .await
            .unwrap();
        let (draft, _) = db
            .create_event(None, None, &ev("Entwurf", EventState::Draft), "", false)
            .await
            .unwrap();
        let s = |title: &str| super::programme::session(title, day, None, None);
        let (in_demo, _) = db
            .add_session(None, demo, &s("Eröffnung"), "")
            .await
            .unwrap();
        let (in_own, _) = db.add_session(None, own, &s("Vorlesen"), "").await.unwrap();
        let (in_draft, _) = db.add_session(None, draft, &s("Geheim"), "").await.unwrap();
        let mut cancelled = s("Abgesagt");
        cancelled.state = SessionState::Cancelled;
        let (gone, _) = db.add_session(None, own, &cancelled, "").await.unwrap();

        let on_demo = post(
            &db,
            Subject::session(in_demo),
            None,
            p[0],
            "Wird aufgezeichnet?",
        )
        .await;
        let on_own = post(&db, Subject::session(in_own), None, p[0], "Schön").await;
        post(&db, Subject::session(in_own), Some(on_own), p[0], "Antwort").await;
        assert_eq!(db.comment_count(Subject::session(in_own)).await.unwrap(), 2);
        // A draft's session and a cancelled session take nothing.
        for closed in [in_draft, gone] {
            assert_eq!(
                db.post_comment(&new(Subject::session(closed), None, p[0], "Hallo"))
                    .await
                    .unwrap(),
                Err(Refusal::NotFound)
            );
        }
        // The demo's removal takes its sessions' discussions along; others stay.
        db.remove_demo(None).await.unwrap().unwrap();
        assert!(db.comment(on_demo).await.unwrap().is_none());
        assert_eq!(
            db.comment_count(Subject::session(in_demo)).await.unwrap(),
            0
        );
        assert!(db.comment(on_own).await.unwrap().is_some());
        assert_eq!(db.comment_count(Subject::session(in_own)).await.unwrap(), 2);
    }
);
