//! The newsletter's storage: confirmation links (expired, used), the expansion of an issue into
//! one queued mail per confirmed subscriber of its topics, never twice, however often or
//! concurrently it runs.
use super::*;
use domain::newsletter::Topics;
use store::mail::Outgoing;
use store::newsletter::issues::IssueInput;
use store::newsletter::send::Recipient;
use time::OffsetDateTime;

fn mail(r: &Recipient) -> Outgoing {
    Outgoing {
        to: r.email.clone(),
        subject: "Neues".into(),
        text: "Text".into(),
        html: None,
        secret: Some(format!(
            "https://radar.example/abbestellen/{}",
            r.subscriber_id
        )),
        one_click_unsubscribe: true,
        calendar: None,
    }
}

async fn issue(db: &Db, topics: Topics) -> i64 {
    let editor = db
        .create_user(
            "redaktion@example.org",
            "Redaktion",
            &[domain::accounts::Role::Editor],
        )
        .await
        .unwrap();
    let id = db
        .create_newsletter_issue(
            editor,
            &IssueInput {
                subject: "Neues",
                body: "Text",
                body_html: "<p>Text</p>",
                topics,
            },
        )
        .await
        .unwrap();
    assert!(
        db.send_newsletter_issue(editor, id, None, OffsetDateTime::now_utc())
            .await
            .unwrap()
    );
    id
}

fn confirmation(_: store::newsletter::Subscribed) -> Outgoing {
    Outgoing {
        to: "x@example.org".into(),
        subject: "Bitte bestätigen".into(),
        text: "Link".into(),
        html: None,
        secret: None,
        one_click_unsubscribe: false,
        calendar: None,
    }
}

db_test!(
    a_confirmation_link_works_once_and_not_after_it_expired,
    |db| async move {
        let now = OffsetDateTime::now_utc();
        let events = Topics::parse(["events"]).unwrap();
        let s = db
            .subscribe_newsletter(
                ("a@example.org", "de"),
                events,
                ("hash-a", now + time::Duration::hours(48)),
                now,
                &confirmation,
            )
            .await
            .unwrap();
        assert!(matches!(s, store::newsletter::Subscribed::Pending(_)));
        db.subscribe_newsletter(
            ("b@example.org", "de"),
            events,
            ("hash-b", now + time::Duration::hours(48)),
            now,
            &confirmation,
        )
        .await
        .unwrap();
        // Expired: two days and a bit later, the link confirms nothing.
        let late = now + time::Duration::hours(49);
        assert_eq!(db.newsletter_pending("hash-b", late).await.unwrap(), None);
        assert_eq!(db.confirm_newsletter("hash-b", late).await.unwrap(), None);
        assert_eq!(db.purge_unconfirmed_newsletter(late).await.unwrap(), 2);
        db.subscribe_newsletter(
            ("a@example.org", "en"),
            events,
            ("hash-a", now + time::Duration::hours(48)),
            now,
            &confirmation,
        )
        .await
        .unwrap();
        assert!(
            db.newsletter_pending("hash-a", now)
                .await
                .unwrap()
                .is_some()
        );
        let id = db.confirm_newsletter("hash-a", now).await.unwrap().unwrap();
        assert_eq!(
            db.confirm_newsletter("hash-a", now).await.unwrap(),
            None,
            "once"
        );
        let confirmed = db.newsletter_subscriber(id).await.unwrap().unwrap();
        assert!(confirmed.confirmed());
        // Subscribed on the English page: its mails are English.
        assert_eq!(confirmed.lang, "en");
        assert!(
            db.set_newsletter_topics(id, events, "de", now)
                .await
                .unwrap()
        );
        assert_eq!(
            db.newsletter_subscriber(id).await.unwrap().unwrap().lang,
            "de"
        );
        assert!(
            db.set_newsletter_topics(id, events, "en", now)
                .await
                .unwrap()
        );
        // Subscribing the confirmed address again keeps its topics and state.
        let again = db
            .subscribe_newsletter(
                ("a@example.org", "de"),
                Topics::ALL,
                ("hash-c", now + time::Duration::hours(48)),
                now,
                &confirmation,
            )
            .await
            .unwrap();
        assert_eq!(again, store::newsletter::Subscribed::AlreadyConfirmed(id));
        let s = db.newsletter_subscriber(id).await.unwrap().unwrap();
        assert_eq!(s.topics, events);
        // … and takes the language of the page it was asked on.
        assert_eq!(s.lang, "de");
        assert_eq!(db.confirm_newsletter("hash-c", now).await.unwrap(), None);
        assert_eq!(db.mail_stats().await.unwrap().queued, 4);
        // Deleting the account of that address takes the subscription along.
        let user = db
            .create_user("a@example.org", "A", &[domain::accounts::Role::Citizen])
            .await
            .unwrap();
        db.delete_account(user).await.unwrap();
        assert_eq!(db.newsletter_subscriber(id).await.unwrap(), None);
        // An ended subscription keeps its address 30 days, then only the row stays.
        let user = db
            .create_user("c@example.org", "C", &[domain::accounts::Role::Citizen])
            .await
            .unwrap();
        db.subscribe_account(user, ("c@example.org", "en"), Topics::ALL, now)
            .await
            .unwrap();
        db.subscribe_account(user, ("c@example.org", "de"), Topics::default(), now)
            .await
            .unwrap();
        let ended = db
            .newsletter_subscriber_by_email("c@example.org")
            .await
            .unwrap()
            .unwrap();
        assert!(!ended.confirmed());
        let month = now + store::newsletter::KEEP_UNSUBSCRIBED;
        assert_eq!(
            db.purge_unconfirmed_newsletter(month - time::Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            db.purge_unconfirmed_newsletter(month + time::Duration::hours(1))
                .await
                .unwrap(),
            1
        );
        let row = db.newsletter_subscriber(ended.id).await.unwrap().unwrap();
        assert!(
            row.email.starts_with("removed-") && row.email.ends_with("@invalid"),
            "{}",
            row.email
        );
        assert_eq!(
            db.newsletter_subscriber_by_email("c@example.org")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.purge_unconfirmed_newsletter(month + time::Duration::hours(1))
                .await
                .unwrap(),
            0,
            "once"
        );
    }
);

db_test!(
    concurrent_rounds_queue_each_recipient_once,
    |db| async move {
        assert_eq!(
            db.generate_newsletter_subscribers(120, "bench.invalid")
                .await
                .unwrap(),
            120
        );
        // One waiting and one unsubscribed address: they get nothing.
        let now = OffsetDateTime::now_utc();
        db.subscribe_newsletter(
            ("wartet@example.org", "de"),
            Topics::ALL,
            ("h", now + time::Duration::hours(1)),
            now,
            &confirmation,
        )
        .await
        .unwrap();
        db.unsubscribe_newsletter(1, now).await.unwrap();
        let id = issue(&db, Topics::parse(["offers"]).unwrap()).await;
        let p = db.newsletter_progress(id).await.unwrap();
        assert_eq!((p.queued, p.waiting), (0, 119));
        let mail_fn: &(dyn Fn(&Recipient) -> Outgoing + Send + Sync) = &mail;
        // A round of 50, then three at once (as after a restart, or on two instances).
        let first = db.expand_newsletter(id, 50, now, mail_fn).await.unwrap();
        assert_eq!((first.queued, first.done), (50, false));
        let (a, b, c) = tokio::join!(
            db.expand_newsletter(id, 40, now, mail_fn),
            db.expand_newsletter(id, 40, now, mail_fn),
            db.expand_newsletter(id, 40, now, mail_fn),
        );
        let more: usize = [a, b, c].into_iter().map(|e| e.unwrap().queued).sum();
        let mut rest = 0;
        loop {
            let e = db.expand_newsletter(id, 40, now, mail_fn).await.unwrap();
            rest += e.queued;
            if e.done {
                break;
            }
        }
        assert_eq!(50 + more + rest, 119);
        assert_eq!(db.mail_stats().await.unwrap().queued, 1 + 119);
        let distinct: i64 = store::on_db!(&db, p => sqlx::query_scalar("SELECT COUNT(DISTINCT to_address) FROM mail_queue WHERE subject = 'Neues'").fetch_one(p).await.unwrap());
        assert_eq!(distinct, 119);
        let p = db.newsletter_progress(id).await.unwrap();
        assert_eq!((p.queued, p.waiting, p.left()), (119, 0, 119));
        let issue = db.newsletter_issue(id).await.unwrap().unwrap();
        assert_eq!(issue.state, "sent");
        assert_eq!(db.newsletter_archive(1, 10).await.unwrap().1, 1);
        // Once sent, nothing more is queued.
        let e = db.expand_newsletter(id, 40, now, mail_fn).await.unwrap();
        assert_eq!((e.queued, e.done), (0, true));
    }
);

db_test!(
    a_scheduled_issue_begins_when_its_time_comes,
    |db| async move {
        let editor = db
            .create_user(
                "redaktion@example.org",
                "Redaktion",
                &[domain::accounts::Role::Editor],
            )
            .await
            .unwrap();
        let id = db
            .create_newsletter_issue(
                editor,
                &IssueInput {
                    subject: "Später",
                    body: "Text",
                    body_html: "<p>Text</p>",
                    topics: Topics::ALL,
                },
            )
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let at = now + time::Duration::hours(2);
        assert!(
            db.send_newsletter_issue(editor, id, Some(at), now)
                .await
                .unwrap()
        );
        assert!(db.start_due_newsletters(now).await.unwrap().is_empty());
        assert_eq!(db.newsletter_archive(1, 10).await.unwrap().1, 0);
        assert_eq!(db.start_due_newsletters(at).await.unwrap(), vec![id]);
        let sending = db.sending_newsletters().await.unwrap();
        assert_eq!(sending.len(), 1);
        assert_eq!(sending[0].queued, 0);
        // It can no longer be changed nor sent again.
        assert!(
            !db.send_newsletter_issue(editor, id, None, at)
                .await
                .unwrap()
        );
        let input = IssueInput {
            subject: "Anders",
            body: "x",
            body_html: "x",
            topics: Topics::ALL,
        };
        assert!(
            !db.update_newsletter_issue(editor, id, &input)
                .await
                .unwrap()
        );
        let (log, _) = db
            .audit_entries(Some("newsletter.schedule"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
    }
);
