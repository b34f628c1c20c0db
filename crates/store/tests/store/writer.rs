//! The group-commit writer: posts and ratings that queue while the writer is held run as one
//! batch, a refused or failing write in it takes back only its own rows, the others commit with
//! one cache event; two writers on one database (two instances) keep every counter exact.

use super::participation::{people, published};
use super::*;
use domain::comments::Subject;
use domain::participation::Rating;
use std::time::Duration;
use store::comments::{Limit, NewComment, Refusal};

fn limit(bucket: &str, max: i64) -> Limit {
    Limit {
        bucket: bucket.into(),
        max,
        window: time::Duration::minutes(10),
    }
}

/// Posts `body` by `author` on `subject`, counted against `limits`.
async fn post(
    db: &Db,
    subject: Subject,
    author: i64,
    body: &str,
    limits: &[Limit],
) -> Result<i64, Refusal> {
    db.post_comment(&NewComment {
        subject,
        parent_id: None,
        author: store::comments::Author::Account(author),
        body,
        body_html: body,
        official: false,
        limits,
        posted_at: None,
        hold: false,
    })
    .await
    .unwrap()
}

/// Waits until `n` more writes than `before` were handed to the writer.
async fn queued(db: &Db, before: u64, n: u64) {
    for _ in 0..500 {
        if db.writer_stats().submitted >= before + n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the writes did not reach the writer");
}

db_test!(
    concurrent a_batch_commits_its_posts_and_takes_back_only_the_refused,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let m = published(&db).await;
        let s = Subject::measure(m);
        let p = people(&db, 4).await;
        db.set_blocked(p[0], p[3], true).await.unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sn = seen.clone();
        db.hub()
            .on_event(move |e| sn.lock().unwrap().push(store::events::tags_of(e)));
        let before = db.writer_stats();
        let held = store::testing::hold_writes(&db).await;
        let mut posts = Vec::new();
        for i in 0..6 {
            let db = db.clone();
            let author = p[i % 2];
            posts.push(tokio::spawn(async move {
                post(&db, s, author, &format!("Beitrag {i}"), &[limit("batch:ok", 100)]).await
            }));
        }
        let refused = [
            // Over a limit: the hit it made in the other bucket goes back with it.
            (s, p[2], vec![limit("batch:ok", 100), limit("batch:full", 0)]),
            // Blocked by the moderation.
            (s, p[3], vec![limit("batch:ok", 100)]),
            // No such measure.
            (Subject::measure(999_999), p[2], vec![limit("batch:ok", 100)]),
        ];
        let mut refusals = Vec::new();
        for (subject, author, limits) in refused {
            let db = db.clone();
            refusals.push(tokio::spawn(async move {
                post(&db, subject, author, "Abgelehnt", &limits).await
            }));
        }
        let (d1, d2, rater, other) = (db.clone(), db.clone(), p[2], p[1]);
        let rating = tokio::spawn(async move { d1.rate(m, rater, Rating::new(4)).await.unwrap() });
        // Withdrawing a rating that does not exist changes nothing.
        let unchanged = tokio::spawn(async move { d2.rate(m, other, None).await.unwrap() });
        let batched = 11;
        queued(&db, before.submitted, batched).await;
        held.release().await;

        let mut ids = Vec::new();
        for t in posts {
            ids.push(t.await.unwrap().unwrap());
        }
        let refusals: Vec<_> = {
            let mut out = Vec::new();
            for t in refusals {
                out.push(t.await.unwrap());
            }
            out
        };
        assert!(matches!(refusals[0], Err(Refusal::RateLimited(_))));
        assert_eq!(refusals[1], Err(Refusal::Blocked));
        assert_eq!(refusals[2], Err(Refusal::NotFound));
        assert_eq!(rating.await.unwrap(), Some(true));
        assert_eq!(unchanged.await.unwrap(), Some(false));

        // The six posts are there and counted; the refused ones left nothing.
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 6);
        assert_eq!(db.comment_count(s).await.unwrap(), 6);
        assert_eq!(db.comments_of_user(p[2]).await.unwrap().len(), 0);
        assert_eq!(db.comments_of_user(p[3]).await.unwrap().len(), 0);
        let now = time::OffsetDateTime::now_utc();
        let window = time::Duration::minutes(10);
        assert_eq!(db.rate_limit_hits("batch:ok", now, window).await.unwrap().0, 6);
        assert_eq!(db.rate_limit_hits("batch:full", now, window).await.unwrap().0, 0);
        let totals = db.rating_totals(m).await.unwrap();
        assert_eq!((totals.count, totals.total), (1, 4));
        assert_eq!(db.my_rating(m, p[1]).await.unwrap(), None);

        // At most two batches (the writer may have taken the first write before it waited),
        // so at most two cache events, and between them every tag of what was written.
        let after = db.writer_stats();
        assert_eq!(after.writes - before.writes, batched);
        assert!(after.batches - before.batches <= 2, "{before:?} → {after:?}");
        let events = seen.lock().unwrap().clone();
        assert!(!events.is_empty() && events.len() <= 2, "{events:?}");
        let tags: Vec<String> = events.concat();
        for tag in [domain::tags::comments(s), domain::tags::rating(m), "ratings".to_string()] {
            assert!(tags.contains(&tag), "{tag} missing in {events:?}");
        }
    }
);

/// Two writers on one database, as two instances have: people post on two measures and rate
/// them through both at once; every counter is exact.
async fn two_writers_keep_the_counters_exact(a: Db, b: Db) {
    load(&a, FIXTURE.as_bytes()).await;
    let m1 = published(&a).await;
    let m2 = a.measure_id_by_slug("portal-bauen").await.unwrap().unwrap();
    assert_ne!(m1, m2);
    let p = people(&a, 24).await;
    let mut tasks = Vec::new();
    for (i, person) in p.iter().copied().enumerate() {
        let db = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            for (n, m) in [m1, m2, m1].into_iter().enumerate() {
                post(
                    &db,
                    Subject::measure(m),
                    person,
                    &format!("{i}-{n}"),
                    &[limit("shared", 1000)],
                )
                .await
                .unwrap();
            }
            db.rate(m1, person, Rating::new(1 + (i as i64 % 5)))
                .await
                .unwrap()
                .unwrap();
            db.rate(m2, person, Rating::new(5)).await.unwrap().unwrap();
            if i % 3 == 0 {
                db.rate(m2, person, None).await.unwrap().unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let c1 = a.comment_count(Subject::measure(m1)).await.unwrap();
    let c2 = a.comment_count(Subject::measure(m2)).await.unwrap();
    assert_eq!((c1, c2), (48, 24));
    let now = time::OffsetDateTime::now_utc();
    let hits = a
        .rate_limit_hits("shared", now, time::Duration::minutes(10))
        .await
        .unwrap()
        .0;
    assert_eq!(hits, 72);
    let t1 = a.rating_totals(m1).await.unwrap();
    let expected: i64 = (0..24).map(|i| 1 + i % 5).sum();
    assert_eq!((t1.count, t1.total), (24, expected));
    assert_eq!(t1.by_value.iter().sum::<i64>(), 24);
    // Every third of the 24 withdrew their 5 again.
    let t2 = a.rating_totals(m2).await.unwrap();
    assert_eq!((t2.count, t2.total, t2.by_value[4]), (16, 80, 16));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_writers_keep_the_counters_exact_sqlite() {
    let (a, path) = store::testing::sqlite_file(None).await;
    let (b, _) = store::testing::sqlite_file(Some(&path)).await;
    two_writers_keep_the_counters_exact(a.clone(), b.clone()).await;
    a.close().await;
    b.close().await;
    store::testing::remove_sqlite_file(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_writers_keep_the_counters_exact_postgres() {
    let Some((a, b)) = store::testing::postgres_pair("store_writer_two_writers").await else {
        return;
    };
    two_writers_keep_the_counters_exact(a.clone(), b.clone()).await;
    a.close().await;
    b.close().await;
}
