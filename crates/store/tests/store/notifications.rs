//! Follows and notifications: the fan-out (one statement, each person once, never the actor,
//! nobody who turned the kind off or is blocked or deleted), the triggers of comments, progress
//! reports and the moderation, the hook for ideas, the mail claimed once; on both engines.

use super::participation::{people, published};
use super::*;
use domain::comments::{Decision, Subject};
use domain::notifications::{Delivery, FollowKind, Kind};
use store::comments::NewComment;
use store::notifications::{Audience, Notice, Prefs};
use time::OffsetDateTime;

fn comment(
    subject: Subject,
    parent: Option<i64>,
    author: i64,
    official: bool,
) -> NewComment<'static> {
    NewComment {
        subject,
        parent_id: parent,
        author: store::comments::Author::Account(author),
        body: "Ein Beitrag\n\nmit zwei Absätzen",
        body_html: "<p>Ein Beitrag</p>",
        official,
        limits: &[],
        posted_at: None,
        hold: false,
    }
}

async fn post(db: &Db, subject: Subject, parent: Option<i64>, author: i64) -> i64 {
    db.post_comment(&comment(subject, parent, author, false))
        .await
        .unwrap()
        .unwrap()
}

/// Kinds of the notifications of `user`, newest first.
async fn kinds(db: &Db, user: i64) -> Vec<Kind> {
    db.notifications_of_user(user)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.kind)
        .collect()
}

async fn set(db: &Db, user: i64, kind: Kind, d: Delivery, auto_follow: bool) {
    let mut prefs = Prefs {
        auto_follow,
        ..Prefs::default()
    };
    prefs.delivery.insert(kind, d);
    db.save_notification_prefs(user, &prefs).await.unwrap();
}

/// Writes `notice` for `to` in a transaction of its own, as another module does in its own.
async fn notify(db: &Db, notice: &Notice<'_>, to: &Audience) -> u64 {
    store::on_db!(db, p => {
        let mut tx = p.begin().await.unwrap();
        let n = store::notifications::notify(&mut *tx, notice, to, OffsetDateTime::now_utc())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        n
    })
}

fn progress(actor: Option<i64>) -> Notice<'static> {
    Notice {
        kind: Kind::Progress,
        subject_kind: "measure",
        subject_id: 1,
        actor,
        title: "Online-Anträge",
        body: "Status: geplant → in Umsetzung",
        detail: "",
        link: "/massnahmen/online-antraege",
    }
}

db_test!(
    the_fan_out_tells_each_follower_once_and_never_the_actor,
    |db| async move {
        let p = people(&db, 8).await;
        // p0 follows the measure, p1 the field, p2 both, p3 (the actor) both; p4 turned
        // progress reports off, p5 is blocked, p6 deleted, p7 locked.
        for (who, kind, id) in [
            (p[0], FollowKind::Measure, 1),
            (p[1], FollowKind::Field, 9),
            (p[2], FollowKind::Measure, 1),
            (p[2], FollowKind::Field, 9),
            (p[3], FollowKind::Measure, 1),
            (p[3], FollowKind::Field, 9),
            (p[4], FollowKind::Measure, 1),
            (p[5], FollowKind::Measure, 1),
            (p[6], FollowKind::Measure, 1),
            (p[7], FollowKind::Field, 9),
        ] {
            assert!(db.set_follow(who, kind, id, true).await.unwrap());
        }
        assert!(
            !db.set_follow(p[0], FollowKind::Measure, 1, true)
                .await
                .unwrap()
        );
        set(&db, p[4], Kind::Progress, Delivery::Off, true).await;
        db.set_blocked(p[3], p[5], true).await.unwrap();
        db.delete_account(p[6]).await.unwrap();
        db.set_locked(None, p[7], true).await.unwrap();
        let to = Audience {
            followers_of: [Some((FollowKind::Measure, 1)), Some((FollowKind::Field, 9))],
            people: [Some(p[2]), None, None],
        };
        assert_eq!(notify(&db, &progress(Some(p[3])), &to).await, 3);
        for who in [p[0], p[1], p[2]] {
            assert_eq!(kinds(&db, who).await, vec![Kind::Progress], "person {who}");
        }
        for who in [p[3], p[4], p[5], p[6], p[7]] {
            assert!(kinds(&db, who).await.is_empty(), "person {who}");
        }
        // Following another subject of the same number is another thing.
        assert!(!db.follows(p[1], FollowKind::Measure, 9).await.unwrap());
        // Unfollowing ends it.
        assert!(
            db.set_follow(p[0], FollowKind::Measure, 1, false)
                .await
                .unwrap()
        );
        assert_eq!(notify(&db, &progress(None), &to).await, 3);
        assert_eq!(kinds(&db, p[0]).await.len(), 1);
        // The snapshot is what the list shows.
        let n = &db.notifications_of_user(p[1]).await.unwrap()[0];
        assert_eq!(
            (n.title.as_str(), n.body.as_str(), n.link.as_str()),
            (
                "Online-Anträge",
                "Status: geplant → in Umsetzung",
                "/massnahmen/online-antraege"
            )
        );
        assert_eq!(n.actor_name, None);
    }
);

db_test!(
    replies_and_answers_of_the_city_tell_those_they_concern,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let m = published(&db).await;
        let s = Subject::measure(m);
        let p = people(&db, 5).await;
        // p3 follows nothing of what they write on.
        set(&db, p[3], Kind::Reply, Delivery::Digest, false).await;
        let top = post(&db, s, None, p[0]).await;
        // Writing follows the measure, unless turned off.
        assert!(db.follows(p[0], FollowKind::Measure, m).await.unwrap());
        let _ = post(&db, s, None, p[3]).await;
        assert!(!db.follows(p[3], FollowKind::Measure, m).await.unwrap());
        // A reply tells the author answered, not the replier; answering oneself tells nobody.
        let reply = post(&db, s, Some(top), p[1]).await;
        assert_eq!(kinds(&db, p[0]).await, vec![Kind::Reply]);
        assert!(kinds(&db, p[1]).await.is_empty());
        let _ = post(&db, s, Some(top), p[0]).await;
        assert_eq!(kinds(&db, p[0]).await, vec![Kind::Reply]);
        let n = &db.notifications_of_user(p[0]).await.unwrap()[0];
        assert_eq!(n.actor_name.as_deref(), Some("Person 1"));
        assert_eq!(n.body, "Ein Beitrag mit zwei Absätzen");
        assert_eq!(n.link, format!("/kommentare/{reply}"));
        // p4 follows the measure without writing; the city answers p1's reply: the followers,
        // the thread's author and the author answered hear of it once each, as an answer of
        // the city (not also as a reply).
        db.set_follow(p[4], FollowKind::Measure, m, true)
            .await
            .unwrap();
        let staff = p[2];
        db.post_comment(&comment(s, Some(reply), staff, true))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kinds(&db, p[0]).await, vec![Kind::Official, Kind::Reply]);
        assert_eq!(kinds(&db, p[1]).await, vec![Kind::Official]);
        assert_eq!(kinds(&db, p[4]).await, vec![Kind::Official]);
        assert!(kinds(&db, staff).await.is_empty());
        // p3 turned following off but still hears of nothing it does not follow.
        assert!(kinds(&db, p[3]).await.is_empty());
    }
);

db_test!(
    a_kind_turned_off_writes_nothing_and_in_app_only_mails_nothing,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 3).await;
        set(&db, p[0], Kind::Reply, Delivery::Off, true).await;
        set(&db, p[1], Kind::Reply, Delivery::App, true).await;
        let a = post(&db, s, None, p[0]).await;
        let b = post(&db, s, None, p[1]).await;
        post(&db, s, Some(a), p[2]).await;
        post(&db, s, Some(b), p[2]).await;
        assert!(kinds(&db, p[0]).await.is_empty());
        assert_eq!(kinds(&db, p[1]).await, vec![Kind::Reply]);
        let far = OffsetDateTime::now_utc() + time::Duration::days(2);
        assert!(
            db.notification_mail_due(far, 0, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let prefs = db.notification_prefs(p[1]).await.unwrap();
        assert_eq!(prefs.of(Kind::Reply), Delivery::App);
        assert_eq!(prefs.of(Kind::Progress), Delivery::Digest);
    }
);

db_test!(progress_reports_tell_the_followers, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let m = published(&db).await;
    let p = people(&db, 3).await;
    let editor = p[2];
    let (version, mut edit) = db.measure_version(m).await.unwrap().unwrap();
    db.set_follow(p[0], FollowKind::Measure, m, true)
        .await
        .unwrap();
    db.set_follow(p[1], FollowKind::Field, edit.field_id, true)
        .await
        .unwrap();
    db.set_follow(editor, FollowKind::Measure, m, true)
        .await
        .unwrap();
    edit.progress = Some(edit.progress.unwrap_or(0) / 2 + 7);
    let label = |_: &str, _: &str, _: i64, _: i64| "Fortschritt: 7 %".to_string();
    db.update_measure(editor, m, version, &edit, &label)
        .await
        .unwrap();
    for who in [p[0], p[1]] {
        let list = db.notifications_of_user(who).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, Kind::Progress);
        assert_eq!(list[0].body, "Fortschritt: 7 %");
        assert_eq!(list[0].title, edit.title);
    }
    assert!(kinds(&db, editor).await.is_empty());
});

db_test!(
    the_moderation_tells_the_author_its_decision,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 2).await;
        let c = post(&db, s, None, p[0]).await;
        db.moderate_comment(c, Some(p[1]), &Decision::Hide("Beleidigend".into()))
            .await
            .unwrap()
            .unwrap();
        db.moderate_comment(c, Some(p[1]), &Decision::Show)
            .await
            .unwrap()
            .unwrap();
        db.moderate_comment(c, Some(p[1]), &Decision::Keep)
            .await
            .unwrap()
            .unwrap();
        let list = db.notifications_of_user(p[0]).await.unwrap();
        let seen: Vec<(Kind, &str, &str)> = list
            .iter()
            .map(|n| (n.kind, n.detail.as_str(), n.body.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Kind::Moderation, "shown", ""),
                (Kind::Moderation, "hidden", "Beleidigend")
            ]
        );
    }
);

db_test!(
    an_idea_status_change_tells_author_and_followers,
    |db| async move {
        let p = people(&db, 4).await;
        let idea = 4711;
        let now = OffsetDateTime::now_utc();
        store::on_db!(&db, pool => {
            let mut tx = pool.begin().await.unwrap();
            // The author and a supporter follow the idea as they write it and support it.
            assert!(store::notifications::auto_follow(&mut *tx, p[0], FollowKind::Idea, idea, now).await.unwrap());
            assert!(store::notifications::auto_follow(&mut *tx, p[1], FollowKind::Idea, idea, now).await.unwrap());
            assert!(!store::notifications::auto_follow(&mut *tx, p[1], FollowKind::Idea, idea, now).await.unwrap());
            tx.commit().await.unwrap();
            let mut tx = pool.begin().await.unwrap();
            let n = store::notifications::idea_status_changed(
                &mut *tx, idea, Some(p[0]), Some(p[3]), "Mehr Bänke", "accepted", "", "/ideen/mehr-baenke", now,
            ).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(n, 2);
        });
        for who in [p[0], p[1]] {
            let list = db.notifications_of_user(who).await.unwrap();
            assert_eq!(list.len(), 1);
            assert_eq!(
                (
                    list[0].kind,
                    list[0].detail.as_str(),
                    list[0].subject_kind.as_str(),
                    list[0].subject_id
                ),
                (Kind::IdeaStatus, "accepted", "idea", idea)
            );
        }
        assert!(kinds(&db, p[2]).await.is_empty());
        assert!(kinds(&db, p[3]).await.is_empty());
        let follows = db.follows_of_user(p[1]).await.unwrap();
        assert_eq!((follows[0].kind, follows[0].id), (FollowKind::Idea, idea));
    }
);

fn build(
    to: &store::notifications::DigestRecipient,
    list: &[store::notifications::Notification],
) -> Option<store::mail::Outgoing> {
    Some(store::mail::Outgoing {
        to: to.email.clone(),
        subject: format!("{} Benachrichtigungen", list.len()),
        text: list
            .iter()
            .map(|n| n.title.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        html: None,
        secret: Some("https://radar.example/abbestellen".into()),
        one_click_unsubscribe: true,
        calendar: None,
    })
}

db_test!(
    the_digest_takes_what_is_due_and_mails_it_once,
    |db| async move {
        let p = people(&db, 3).await;
        set(&db, p[1], Kind::Progress, Delivery::Immediate, true).await;
        for who in p.iter() {
            db.set_follow(*who, FollowKind::Measure, 1, true)
                .await
                .unwrap();
        }
        let to = Audience::followers(FollowKind::Measure, 1);
        notify(&db, &progress(None), &to).await;
        notify(&db, &progress(None), &to).await;
        let now = OffsetDateTime::now_utc();
        // Before the digest time only the immediate one is due.
        let before = now - time::Duration::hours(1);
        assert_eq!(
            db.notification_mail_due(before, 0, 10).await.unwrap(),
            vec![p[1]]
        );
        let due = now + time::Duration::seconds(1);
        assert_eq!(
            db.notification_mail_due(due, 0, 10).await.unwrap(),
            p.clone()
        );
        assert_eq!(
            db.notification_mail_due(due, p[0], 10).await.unwrap(),
            p[1..].to_vec()
        );
        assert!(db.mail_notifications(p[0], due, now, &build).await.unwrap());
        // A second run (the next minute, another instance) finds nothing left.
        assert!(!db.mail_notifications(p[0], due, now, &build).await.unwrap());
        assert_eq!(db.mail_stats().await.unwrap().queued, 1);
        let list = db.notifications_of_user(p[0]).await.unwrap();
        assert!(list.iter().all(|n| n.mailed_at.is_some()));
        // Unsubscribing leaves the list and drops what waited for the mail.
        assert!(db.unsubscribe_notification_mail(p[2]).await.unwrap());
        assert!(!db.mail_notifications(p[2], due, now, &build).await.unwrap());
        assert_eq!(
            db.notification_prefs(p[2]).await.unwrap().of(Kind::Reply),
            Delivery::App
        );
        assert_eq!(kinds(&db, p[2]).await.len(), 2);
        assert!(!db.unsubscribe_notification_mail(999_999).await.unwrap());
        assert_eq!(
            db.notification_mail_due(due, 0, 10).await.unwrap(),
            vec![p[1]]
        );
    }
);

db_test!(concurrent two_instances_mail_a_digest_once, |db| async move {
    let p = people(&db, 1).await;
    db.set_follow(p[0], FollowKind::Measure, 1, true).await.unwrap();
    for _ in 0..5 {
        notify(&db, &progress(None), &Audience::followers(FollowKind::Measure, 1)).await;
    }
    let now = OffsetDateTime::now_utc();
    let due = now + time::Duration::seconds(1);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            let who = p[0];
            tokio::spawn(async move { db.mail_notifications(who, due, now, &build).await.unwrap() })
        })
        .collect();
    let mut queued = 0;
    for t in tasks {
        queued += usize::from(t.await.unwrap());
    }
    assert_eq!(queued, 1);
    assert_eq!(db.mail_stats().await.unwrap().queued, 1);
});

db_test!(
    the_list_pages_by_cursor_and_marks_read_only_ones_own,
    |db| async move {
        let p = people(&db, 2).await;
        db.set_follow(p[0], FollowKind::Measure, 1, true)
            .await
            .unwrap();
        for _ in 0..5 {
            notify(
                &db,
                &progress(None),
                &Audience::followers(FollowKind::Measure, 1),
            )
            .await;
        }
        let (first, more) = db.notification_page(p[0], None, 3).await.unwrap();
        assert!(more);
        let (second, more) = db
            .notification_page(p[0], Some(first[2].id), 3)
            .await
            .unwrap();
        assert!(!more);
        assert_eq!(second.len(), 2);
        assert!(first[2].id > second[0].id);
        assert_eq!(db.unread_notifications(p[0]).await.unwrap(), 5);
        assert_eq!(
            db.mark_notifications_read(p[1], Some(first[0].id))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            db.mark_notifications_read(p[0], Some(first[0].id))
                .await
                .unwrap(),
            1
        );
        assert_eq!(db.unread_notifications(p[0]).await.unwrap(), 4);
        assert_eq!(db.mark_notifications_read(p[0], None).await.unwrap(), 4);
        assert_eq!(db.unread_notifications(p[0]).await.unwrap(), 0);
        // Deleting the account removes follows, notifications and settings.
        set(&db, p[0], Kind::Reply, Delivery::Off, false).await;
        db.delete_account(p[0]).await.unwrap();
        assert!(db.notifications_of_user(p[0]).await.unwrap().is_empty());
        assert!(db.follows_of_user(p[0]).await.unwrap().is_empty());
        assert_eq!(db.notification_prefs(p[0]).await.unwrap(), Prefs::default());
    }
);

db_test!(
    a_guests_reply_tells_the_author_once_it_is_confirmed,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let s = Subject::measure(published(&db).await);
        let p = people(&db, 1).await;
        let top = post(&db, s, None, p[0]).await;
        let mail = store::mail::Outgoing {
            to: "gast@example.org".into(),
            subject: "Bitte bestätigen".into(),
            text: "Link".into(),
            html: None,
            secret: None,
            one_click_unsubscribe: false,
            calendar: None,
        };
        let guest = store::comments::Guest {
            name: "Gast",
            address_hash: "h",
            token_hash: "t",
            expires_at: OffsetDateTime::now_utc() + time::Duration::hours(1),
            mail: &mail,
        };
        let reply = NewComment {
            author: store::comments::Author::Guest(&guest),
            ..comment(s, Some(top), p[0], false)
        };
        db.post_comment(&reply).await.unwrap().unwrap();
        // Not before the guest confirms it …
        assert!(kinds(&db, p[0]).await.is_empty());
        db.confirm_guest_comment("t", false).await.unwrap().unwrap();
        // … then as a reply (by "Jemand": a guest has no account to name).
        let list = db.notifications_of_user(p[0]).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, Kind::Reply);
    }
);

db_test!(
    read_notifications_go_after_ninety_days_and_all_after_a_year,
    |db| async move {
        let p = people(&db, 2).await;
        let to = Audience::person(p[0]);
        assert_eq!(notify(&db, &progress(Some(p[1])), &to).await, 1);
        assert_eq!(notify(&db, &progress(Some(p[1])), &to).await, 1);
        let newest = db.notifications_of_user(p[0]).await.unwrap()[0].id;
        assert_eq!(
            db.mark_notifications_read(p[0], Some(newest))
                .await
                .unwrap(),
            1
        );
        let now = OffsetDateTime::now_utc();
        let day = time::Duration::days(1);
        // Nothing yet; then the read one; then the unread one too.
        assert_eq!(db.prune_notifications(now + 89 * day).await.unwrap(), 0);
        assert_eq!(db.prune_notifications(now + 91 * day).await.unwrap(), 1);
        assert_eq!(db.notifications_of_user(p[0]).await.unwrap().len(), 1);
        assert_eq!(db.unread_notifications(p[0]).await.unwrap(), 1);
        assert_eq!(db.prune_notifications(now + 364 * day).await.unwrap(), 0);
        assert_eq!(db.prune_notifications(now + 366 * day).await.unwrap(), 1);
        assert!(db.notifications_of_user(p[0]).await.unwrap().is_empty());
        assert_eq!(db.prune_notifications(now + 366 * day).await.unwrap(), 0);
    }
);
