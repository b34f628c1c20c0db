//! Registrations: confirmed while places are free, then the waiting list; offers when a place
//! frees up, accepted or run out; one active registration per address; closed and unknown
//! places refused; never overbooked under concurrent registrations. On both engines.

use super::*;
use domain::programme::registration::RegState;
use domain::programme::{Attendance, EventInput, EventState};
use std::sync::{Arc, Mutex};
use store::mail::Outgoing;
use store::programme::registrations::{
    NewRegistration, Notice, Place, Refusal, Registered, Registration,
};
use time::{Duration, OffsetDateTime};

fn event(capacity: Option<i64>, state: EventState) -> EventInput {
    let starts = OffsetDateTime::now_utc() + Duration::days(10);
    EventInput {
        title: "Digitaltag Test".into(),
        description: String::new(),
        organiser: "Stadt Teststadt".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(9),
        attendance: Attendance::Online,
        place: String::new(),
        fee_cents: None,
        fee_note: String::new(),
        capacity,
        registration_opens_at: None,
        registration_closes_at: None,
        image_alt: String::new(),
        state,
    }
}

/// A mailer that notes every notice (by address) and writes a mail for each.
#[derive(Clone, Default)]
struct Notes(Arc<Mutex<Vec<(String, Notice, RegState)>>>);

impl Notes {
    fn mailer(&self) -> impl Fn(&Registration, Notice) -> Option<Outgoing> + Sync + use<> {
        let notes = self.0.clone();
        move |r: &Registration, n: Notice| {
            notes.lock().unwrap().push((r.email.clone(), n, r.state));
            Some(Outgoing {
                to: r.email.clone(),
                subject: format!("{n:?}"),
                text: format!("{} {:?}", r.event_title, r.state),
                html: None,
                secret: None,
                one_click_unsubscribe: false,
                calendar: (n == Notice::Registered && r.state == RegState::Confirmed)
                    .then(|| "BEGIN:VCALENDAR".to_string()),
            })
        }
    }

    fn take(&self) -> Vec<(String, Notice, RegState)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn person<'a>(place: Place, email: &'a str, confirmed: bool) -> NewRegistration<'a> {
    NewRegistration {
        place,
        user_id: None,
        name: "Anna Muster",
        email,
        address_confirmed: confirmed,
        lang: "de",
        limits: &[],
    }
}

fn state_of(r: Result<Registered, Refusal>) -> (i64, RegState, Option<i64>) {
    match r {
        Ok(Registered::New(r)) => (r.id, r.state, r.position),
        other => panic!("expected a new registration, got {other:?}"),
    }
}

db_test!(
    a_full_event_fills_its_waiting_list_and_offers_freed_places_in_turn,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let (event_id, _) = db
            .create_event(
                None,
                None,
                &event(Some(2), EventState::Published),
                "",
                false,
            )
            .await
            .unwrap();
        let place = Place {
            event_id,
            session_id: None,
        };
        let reg = |email: &'static str, confirmed: bool| {
            let db = db.clone();
            let mail = &mail;
            async move {
                db.register(&person(place, email, confirmed), mail)
                    .await
                    .unwrap()
            }
        };
        let (a, sa, _) = state_of(reg("a@example.org", true).await);
        let (b, sb, _) = state_of(reg("b@example.org", true).await);
        let (c, sc, pc) = state_of(reg("c@example.org", true).await);
        assert_eq!(
            (sa, sb, sc, pc),
            (
                RegState::Confirmed,
                RegState::Confirmed,
                RegState::Waiting,
                Some(1)
            )
        );
        // A guest's address is confirmed first; then they wait behind c.
        let (d, sd, _) = state_of(reg("d@example.org", false).await);
        assert_eq!(sd, RegState::Unconfirmed);
        assert_eq!(db.places(place).await.unwrap(), Some((2, Some(2), 1)));
        let confirmed = db.confirm_registration(d, &mail).await.unwrap().unwrap();
        assert_eq!(
            (confirmed.state, confirmed.position),
            (RegState::Waiting, Some(2))
        );
        assert_eq!(
            db.confirm_registration(d, &mail).await.unwrap(),
            Err(Refusal::Unchanged),
            "a link used twice changes nothing"
        );
        // The same address again: the registration stays as it is.
        match reg("a@example.org", true).await {
            Ok(Registered::Already(r)) => assert_eq!((r.id, r.state), (a, RegState::Confirmed)),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            notes
                .take()
                .into_iter()
                .map(|(e, n, s)| (e.chars().next().unwrap(), n, s))
                .collect::<Vec<_>>(),
            [
                ('a', Notice::Registered, RegState::Confirmed),
                ('b', Notice::Registered, RegState::Confirmed),
                ('c', Notice::Registered, RegState::Waiting),
                ('d', Notice::ConfirmAddress, RegState::Unconfirmed),
                ('d', Notice::Registered, RegState::Waiting),
                ('a', Notice::Already, RegState::Confirmed),
            ]
        );
        // b cancels: c gets the offer, the place stays held for c.
        let cancelled = db.cancel_registration(b, &mail).await.unwrap().unwrap();
        assert_eq!(cancelled.state, RegState::Cancelled);
        let offered = db.registration(c).await.unwrap().unwrap();
        assert_eq!(offered.state, RegState::Offered);
        let until = offered.offer_expires_at.unwrap();
        assert!(until > OffsetDateTime::now_utc() + Duration::hours(23));
        assert_eq!(
            notes.take(),
            [(
                "c@example.org".to_string(),
                Notice::Offer,
                RegState::Offered
            )]
        );
        assert_eq!(db.places(place).await.unwrap(), Some((2, Some(2), 1)));
        assert_eq!(db.registration(d).await.unwrap().unwrap().position, Some(1));
        assert_eq!(
            db.cancel_registration(b, &mail).await.unwrap(),
            Err(Refusal::Unchanged)
        );
        // c accepts.
        let accepted = db.accept_offer(c, &mail).await.unwrap().unwrap();
        assert_eq!(accepted.state, RegState::Confirmed);
        assert_eq!(
            db.accept_offer(c, &mail).await.unwrap(),
            Err(Refusal::Unchanged)
        );
        notes.take();
        // a cancels: d gets the offer and lets it run out; nobody else waits, the place is free.
        db.cancel_registration(a, &mail).await.unwrap().unwrap();
        assert_eq!(
            db.registration(d).await.unwrap().unwrap().state,
            RegState::Offered
        );
        assert_eq!(
            db.expire_offers(OffsetDateTime::now_utc(), &mail)
                .await
                .unwrap(),
            0
        );
        let later = OffsetDateTime::now_utc() + Duration::hours(25);
        assert_eq!(db.expire_offers(later, &mail).await.unwrap(), 1);
        assert_eq!(db.expire_offers(later, &mail).await.unwrap(), 0, "once");
        assert_eq!(
            db.registration(d).await.unwrap().unwrap().state,
            RegState::Expired
        );
        assert_eq!(
            db.accept_offer(d, &mail).await.unwrap(),
            Err(Refusal::Expired)
        );
        assert_eq!(db.places(place).await.unwrap(), Some((1, Some(2), 0)));
        // The next one gets the free place at once; the mails were queued with the changes.
        let (_, se, _) = state_of(reg("e@example.org", true).await);
        assert_eq!(se, RegState::Confirmed);
        let queued: i64 = db.mail_stats().await.unwrap().queued;
        assert_eq!(queued, 10);
        let confirmed = db
            .registrations_of(place, RegState::Confirmed, 0, 10)
            .await
            .unwrap();
        let emails: Vec<&str> = confirmed.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(emails, ["c@example.org", "e@example.org"]);
    }
);

db_test!(
    registration_is_refused_where_it_is_not_open,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let (draft, _) = db
            .create_event(None, None, &event(None, EventState::Draft), "", false)
            .await
            .unwrap();
        let mut closed = event(None, EventState::Published);
        closed.registration_closes_at = Some(OffsetDateTime::now_utc() - Duration::hours(1));
        let (closed, _) = db
            .create_event(None, None, &closed, "", false)
            .await
            .unwrap();
        let (open, _) = db
            .create_event(None, None, &event(None, EventState::Published), "", false)
            .await
            .unwrap();
        let try_at = |event_id, session_id| {
            let db = db.clone();
            let mail = &mail;
            async move {
                db.register(
                    &person(
                        Place {
                            event_id,
                            session_id,
                        },
                        "a@example.org",
                        true,
                    ),
                    mail,
                )
                .await
                .unwrap()
            }
        };
        assert_eq!(try_at(draft, None).await, Err(Refusal::NotFound));
        assert_eq!(try_at(closed, None).await, Err(Refusal::Closed));
        assert_eq!(try_at(open, Some(999_999)).await, Err(Refusal::NotFound));
        // Without a capacity, an event takes everyone.
        for i in 0..5 {
            let email = format!("p{i}@example.org");
            let r = db
                .register(
                    &person(
                        Place {
                            event_id: open,
                            session_id: None,
                        },
                        &email,
                        true,
                    ),
                    &mail,
                )
                .await
                .unwrap();
            assert_eq!(state_of(r).1, RegState::Confirmed);
        }
        // Limits: the second registration from one bucket in an hour is refused and not stored.
        let limits = [store::comments::Limit {
            bucket: "registration:test".into(),
            max: 1,
            window: Duration::hours(1),
        }];
        let mut r = person(
            Place {
                event_id: open,
                session_id: None,
            },
            "x@example.org",
            false,
        );
        r.limits = &limits;
        assert!(matches!(
            db.register(&r, &mail).await.unwrap(),
            Ok(Registered::New(_))
        ));
        r.email = "y@example.org";
        assert!(matches!(
            db.register(&r, &mail).await.unwrap(),
            Err(Refusal::RateLimited(_))
        ));
        assert_eq!(
            db.places(Place {
                event_id: open,
                session_id: None
            })
            .await
            .unwrap(),
            Some((5, None, 0))
        );
        // Unconfirmed addresses expire after two days and hold nothing.
        assert_eq!(
            db.expire_unconfirmed_registrations(OffsetDateTime::now_utc() + Duration::days(3))
                .await
                .unwrap(),
            1
        );
    }
);

db_test!(concurrent never_overbooked_under_concurrent_registrations_and_cancellations, |db| async move {
    let notes = Notes::default();
    let (event_id, _) = db
        .create_event(None, None, &event(Some(20), EventState::Published), "", false)
        .await
        .unwrap();
    let place = Place { event_id, session_id: None };
    let mut tasks = Vec::new();
    for i in 0..60 {
        let db = db.clone();
        let mail = notes.mailer();
        tasks.push(tokio::spawn(async move {
            let email = format!("p{i}@example.org");
            // Every third asks twice at once: one registration per address all the same.
            let r = person(place, &email, true);
            let first = db.register(&r, &mail);
            if i % 3 == 0 {
                let (a, b) = tokio::join!(first, db.register(&r, &mail));
                let news = [a.unwrap(), b.unwrap()]
                    .into_iter()
                    .filter(|r| matches!(r, Ok(Registered::New(_))))
                    .count();
                assert_eq!(news, 1);
            } else {
                first.await.unwrap().unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(db.places(place).await.unwrap(), Some((20, Some(20), 40)));
    let confirmed = db.registrations_of(place, RegState::Confirmed, 0, 100).await.unwrap();
    assert_eq!(confirmed.len(), 20);
    // Ten cancel at once: ten offers to the first ten waiting, the places stay held.
    let mut tasks = Vec::new();
    for r in confirmed.into_iter().take(10) {
        let db = db.clone();
        let mail = notes.mailer();
        tasks.push(tokio::spawn(async move { db.cancel_registration(r.id, &mail).await.unwrap().unwrap() }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let offered = db.registrations_of(place, RegState::Offered, 0, 100).await.unwrap();
    let waiting = db.registrations_of(place, RegState::Waiting, 0, 100).await.unwrap();
    assert_eq!((offered.len(), waiting.len()), (10, 30));
    assert!(
        offered.iter().map(|r| r.id).max() < waiting.iter().map(|r| r.id).min(),
        "the first waiting get the offers"
    );
    assert_eq!(db.places(place).await.unwrap(), Some((20, Some(20), 30)));
});

db_test!(
    names_and_addresses_go_thirty_days_after_the_event,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let (event_id, _) = db
            .create_event(
                None,
                None,
                &event(Some(5), EventState::Published),
                "",
                false,
            )
            .await
            .unwrap();
        let place = Place {
            event_id,
            session_id: None,
        };
        let r = db
            .register(&person(place, "anna@example.org", true), &mail)
            .await
            .unwrap();
        let (id, _, _) = state_of(r);
        let ends = event(None, EventState::Published).ends_at;
        // Not before: 29 days after the end everything is there.
        assert_eq!(
            db.prune_registrations(ends + Duration::days(29))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            db.registration(id).await.unwrap().unwrap().email,
            "anna@example.org"
        );
        assert_eq!(
            db.prune_registrations(ends + Duration::days(31))
                .await
                .unwrap(),
            1
        );
        let pruned = db.registration(id).await.unwrap().unwrap();
        assert_eq!((pruned.name.as_str(), pruned.user_id), ("", None));
        assert!(!pruned.email.contains("anna"), "{}", pruned.email);
        // The state stays for the figures; a second run has nothing to do.
        assert_eq!(pruned.state, RegState::Confirmed);
        assert_eq!(
            db.prune_registrations(ends + Duration::days(40))
                .await
                .unwrap(),
            0
        );
    }
);

db_test!(
    reminders_go_once_a_day_and_an_hour_before_and_not_to_late_registrants,
    |db| async move {
        use store::programme::registrations::Reminder;
        let notes = Notes::default();
        let mail = notes.mailer();
        let now = OffsetDateTime::now_utc();
        let mut soon = event(None, EventState::Published);
        soon.starts_at = now + Duration::hours(23);
        soon.ends_at = soon.starts_at + Duration::hours(2);
        let (tomorrow, _) = db.create_event(None, None, &soon, "", false).await.unwrap();
        let mut sooner = soon.clone();
        sooner.starts_at = now + Duration::hours(10);
        sooner.ends_at = sooner.starts_at + Duration::hours(2);
        let (tonight, _) = db
            .create_event(None, None, &sooner, "", false)
            .await
            .unwrap();
        let (quiet, _) = db.create_event(None, None, &soon, "", false).await.unwrap();
        db.set_reminders(quiet, false, false).await.unwrap();
        for event_id in [tomorrow, tonight, quiet] {
            let place = Place {
                event_id,
                session_id: None,
            };
            db.register(&person(place, "anna@example.org", true), &mail)
                .await
                .unwrap()
                .unwrap();
        }
        notes.take();
        // A day before: the event of tomorrow; not the one tonight (registered just now, ten
        // hours ahead), not the quiet one; and only once.
        assert_eq!(
            db.send_reminders(now, Reminder::Day, &mail).await.unwrap(),
            1
        );
        assert_eq!(
            db.send_reminders(now, Reminder::Day, &mail).await.unwrap(),
            0
        );
        let sent = notes.take();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].1, Notice::Reminder);
        // An hour before each: both that were registered two hours ahead or more.
        let later = now + Duration::hours(9) + Duration::minutes(30);
        assert_eq!(
            db.send_reminders(later, Reminder::Hour, &mail)
                .await
                .unwrap(),
            1,
            "tonight's"
        );
        let later = now + Duration::hours(22) + Duration::minutes(30);
        assert_eq!(
            db.send_reminders(later, Reminder::Hour, &mail)
                .await
                .unwrap(),
            1,
            "tomorrow's"
        );
        assert_eq!(
            db.send_reminders(later, Reminder::Hour, &mail)
                .await
                .unwrap(),
            0
        );
    }
);
