//! Ratings: one per person and measure, totals kept with every write, on both engines.

use super::*;
use domain::accounts::Role;
use domain::participation::{Rating, RatingTotals};

fn r(v: i64) -> Option<Rating> {
    Rating::new(v)
}

pub(crate) async fn people(db: &Db, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            db.create_user(
                &format!("p{i}@teststadt.example"),
                &format!("Person {i}"),
                &[Role::Citizen],
            )
            .await
            .unwrap(),
        );
    }
    ids
}

pub(crate) async fn published(db: &Db) -> i64 {
    db.measure_id_by_slug("online-antraege")
        .await
        .unwrap()
        .unwrap()
}

db_test!(
    ratings_are_set_changed_and_withdrawn_with_their_totals,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let m = published(&db).await;
        let p = people(&db, 3).await;
        assert_eq!(db.rating_totals(m).await.unwrap(), RatingTotals::default());
        assert_eq!(db.rate(m, p[0], r(4)).await.unwrap(), Some(true));
        db.rate(m, p[1], r(2)).await.unwrap().unwrap();
        db.rate(m, p[2], r(4)).await.unwrap().unwrap();
        let t = db.rating_totals(m).await.unwrap();
        assert_eq!((t.count, t.total, t.by_value), (3, 10, [0, 1, 0, 2, 0]));
        // A second rating of the same person replaces the first: still three.
        assert_eq!(db.rate(m, p[1], r(5)).await.unwrap(), Some(true));
        let t = db.rating_totals(m).await.unwrap();
        assert_eq!((t.count, t.total, t.by_value), (3, 13, [0, 0, 0, 2, 1]));
        assert_eq!(db.my_rating(m, p[1]).await.unwrap(), r(5));
        // Withdrawn.
        assert_eq!(db.rate(m, p[0], None).await.unwrap(), Some(true));
        let t = db.rating_totals(m).await.unwrap();
        assert_eq!((t.count, t.total, t.by_value), (2, 9, [0, 0, 0, 1, 1]));
        assert_eq!(db.my_rating(m, p[0]).await.unwrap(), None);
        // Withdrawing what is not there, or rating the same again, changes nothing.
        assert_eq!(db.rate(m, p[0], None).await.unwrap(), Some(false));
        assert_eq!(db.rate(m, p[2], r(4)).await.unwrap(), Some(false));
        assert_eq!(db.rating_totals(m).await.unwrap(), t);
        let own = db.ratings_of_user(p[1]).await.unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!((own[0].measure_id, own[0].value), (m, 5));
    }
);

db_test!(only_published_measures_are_rated, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let m = published(&db).await;
    let p = people(&db, 1).await;
    assert_eq!(db.rate(999_999, p[0], r(3)).await.unwrap(), None);
    let actor = db
        .create_user("redaktion@teststadt.example", "Redaktion", &[Role::Editor])
        .await
        .unwrap();
    let (version, mut edit) = db.measure_version(m).await.unwrap().unwrap();
    edit.state = "draft".into();
    db.update_measure(
        actor,
        m,
        version,
        &edit,
        &|_: &str, _: &str, _: i64, _: i64| String::new(),
    )
    .await
    .unwrap();
    assert_eq!(db.rate(m, p[0], r(3)).await.unwrap(), None);
    assert_eq!(db.my_rating(m, p[0]).await.unwrap(), None);
    assert_eq!(db.rating_totals(m).await.unwrap(), RatingTotals::default());
});

db_test!(
    a_rating_drops_only_the_pages_of_its_totals,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let m = published(&db).await;
        let p = people(&db, 1).await;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let s = seen.clone();
        db.hub()
            .on_event(move |e| s.lock().unwrap().extend(store::events::tags_of(e)));
        db.rate(m, p[0], r(5)).await.unwrap();
        db.rate(m, p[0], r(5)).await.unwrap(); // unchanged: no event
        assert_eq!(
            *seen.lock().unwrap(),
            vec![format!("rating:{m}"), "ratings".to_string()]
        );
    }
);

db_test!(concurrent concurrent_ratings_lose_no_count, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let m = published(&db).await;
    let p = people(&db, 40).await;
    let mut tasks = Vec::new();
    for (i, person) in p.iter().copied().enumerate() {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            // Each person rates, and every other one changes their mind at once.
            db.rate(m, person, r(1 + (i as i64 % 5))).await.unwrap();
            if i % 2 == 0 {
                db.rate(m, person, r(5)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let t = db.rating_totals(m).await.unwrap();
    assert_eq!(t.count, 40);
    assert_eq!(t.by_value.iter().sum::<i64>(), 40);
    // Odd i keep 1 + i % 5: i = 1, 3, 5, … give 2, 4, 1, 3, 5 in turn; even i give 5.
    let expected: i64 = (0..40).map(|i| if i % 2 == 0 { 5 } else { 1 + i % 5 }).sum();
    assert_eq!(t.total, expected);
});

db_test!(
    lists_sort_by_rating_with_the_unrated_last,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let all = db
            .measures(&MeasureFilter::default(), Sort::Title, 1, 50)
            .await
            .unwrap()
            .items;
        assert!(all.len() >= 3);
        let p = people(&db, 2).await;
        // The last by title gets 5 and 5, the second 4 from one person, the first 4 and 5.
        let (a, b, z) = (all[0].id, all[1].id, all[all.len() - 1].id);
        for person in &p {
            db.rate(z, *person, r(5)).await.unwrap();
        }
        db.rate(b, p[0], r(4)).await.unwrap();
        db.rate(a, p[0], r(4)).await.unwrap();
        db.rate(a, p[1], r(5)).await.unwrap();
        let sorted = db
            .measures(&MeasureFilter::default(), Sort::RatingDesc, 1, 50)
            .await
            .unwrap();
        let ids: Vec<i64> = sorted.items.iter().map(|m| m.id).collect();
        assert_eq!(&ids[..3], &[z, a, b]);
        assert_eq!(sorted.total, all.len() as i64);
        // The rest, unrated, in title order.
        let rest: Vec<i64> = all
            .iter()
            .map(|m| m.id)
            .filter(|id| ![a, b, z].contains(id))
            .collect();
        assert_eq!(&ids[3..], &rest[..]);
    }
);

db_test!(a_deleted_accounts_ratings_keep_counting, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let m = published(&db).await;
    let p = people(&db, 2).await;
    db.rate(m, p[0], r(2)).await.unwrap();
    db.rate(m, p[1], r(4)).await.unwrap();
    db.delete_account(p[0]).await.unwrap();
    let t = db.rating_totals(m).await.unwrap();
    assert_eq!((t.count, t.total), (2, 6));
    // The record stays nameless; its rating is still there, nothing else knows whose it was.
    assert_eq!(db.my_rating(m, p[0]).await.unwrap(), r(2));
    assert!(
        db.user_by_email("p0@teststadt.example")
            .await
            .unwrap()
            .is_none()
    );
});

db_test!(
    windows_decide_by_scope_and_turn_by_their_dates,
    |db| async move {
        use domain::participation::{Scope, Window};
        load(&db, FIXTURE.as_bytes()).await;
        let id = published(&db).await;
        let subject = domain::comments::Subject::measure(id);
        let field = db.measure_field(id).await.unwrap().unwrap();
        let strategy = db.strategy().await.unwrap().unwrap().id;
        let actor = people(&db, 1).await[0];
        let now = time::OffsetDateTime::now_utc();
        assert!(
            db.discussion_window(subject)
                .await
                .unwrap()
                .state(now)
                .is_open()
        );
        // The strategy closed, the field open: the field decides.
        let closed = Window {
            closed_at: Some(now),
            ..Window::default()
        };
        db.set_window(actor, Scope::Strategy, strategy, Some(closed))
            .await
            .unwrap();
        assert!(
            !db.discussion_window(subject)
                .await
                .unwrap()
                .state(now)
                .is_open()
        );
        db.set_window(actor, Scope::Field, field, Some(Window::default()))
            .await
            .unwrap();
        assert!(
            db.discussion_window(subject)
                .await
                .unwrap()
                .state(now)
                .is_open()
        );
        // Closing again keeps the first time it was closed.
        let later = Window {
            closed_at: Some(now + time::Duration::hours(1)),
            ..Window::default()
        };
        db.set_window(actor, Scope::Strategy, strategy, Some(later))
            .await
            .unwrap();
        let w = db.windows().await.unwrap();
        let s = w.iter().find(|w| w.scope == Scope::Strategy).unwrap();
        assert_eq!(
            s.window.closed_at.map(|t| t.unix_timestamp()),
            Some(now.unix_timestamp())
        );
        // A window that closes by its date turns between two ticks, and only then.
        let closes = now + time::Duration::seconds(30);
        let dated = Window {
            closes_at: Some(closes),
            ..Window::default()
        };
        db.set_window(actor, Scope::Measure, id, Some(dated))
            .await
            .unwrap();
        assert!(db.window_turns(now, closes).await.unwrap());
        assert!(
            !db.window_turns(now - time::Duration::minutes(1), now)
                .await
                .unwrap()
        );
        assert!(
            !db.window_turns(closes, closes + time::Duration::minutes(1))
                .await
                .unwrap()
        );
        assert!(
            !db.discussion_window(subject)
                .await
                .unwrap()
                .state(closes)
                .is_open()
        );
        // Removing the measure's window gives the decision back to the field.
        db.set_window(actor, Scope::Measure, id, None)
            .await
            .unwrap();
        assert!(
            db.discussion_window(subject)
                .await
                .unwrap()
                .state(closes)
                .is_open()
        );
        let (log, _) = db
            .audit_entries(Some("participation.window"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 5);
    }
);

db_test!(
    the_totals_always_equal_a_recount_of_the_ratings,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let m = published(&db).await;
        let p = people(&db, 6).await;
        let mail = store::mail::Outgoing {
            to: "gast@teststadt.example".into(),
            subject: "Bewertung bestätigen".into(),
            text: "Link".into(),
            html: None,
            secret: None,
            one_click_unsubscribe: false,
            calendar: None,
        };
        // People rate, change their minds and withdraw; guests rate and rate again; in a fixed
        // order that touches every path of the triggers (new, changed, unchanged, withdrawn).
        let mut x: u64 = 7;
        for step in 0..120 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let value = (x >> 33) % 6; // 0 withdraws
            if step % 4 == 3 {
                let address = format!("gast-{}", (x >> 40) % 3);
                let token = format!("token-{step}");
                let rating = Rating::new(value.max(1) as i64).unwrap();
                db.request_guest_rating(&store::participation::GuestRating {
                    measure_id: m,
                    address_hash: &address,
                    token_hash: &token,
                    rating,
                    expires_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
                    mail: &mail,
                    limits: &[],
                })
                .await
                .unwrap()
                .unwrap();
                assert_eq!(db.confirm_guest_rating(&token).await.unwrap(), Some(m));
            } else {
                let person = p[((x >> 45) % p.len() as u64) as usize];
                let rating = (value > 0).then(|| Rating::new(value as i64).unwrap());
                assert!(db.rate(m, person, rating).await.unwrap().is_some());
            }
            assert_eq!(
                db.rating_totals(m).await.unwrap(),
                store::testing::rating_recount(&db, m).await,
                "after step {step}"
            );
        }
        assert!(db.rating_totals(m).await.unwrap().count > 0);
    }
);
