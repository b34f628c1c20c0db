//! Requests for offers: a guest's request holds nothing until its address is confirmed; a day is
//! never overbooked, also under 120 concurrent requests; past days, second requests and groups
//! too big are refused with nothing written; the provider accepts, declines (places back) or
//! proposes another day; the person accepts or withdraws. On both engines.

use super::offers::offer;
use super::*;
use domain::accounts::Role;
use domain::offers::requests::{RequestInput, RequestState};
use domain::offers::{Access, ProviderInput};
use std::sync::{Arc, Mutex};
use store::mail::Outgoing;
use store::offers::OfferParts;
use store::offers::requests::changes::{Answer, Decision};
use store::offers::requests::{NewRequest, Notice, Refusal, Request};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 07);
const DAY: time::Date = date!(2026 - 12 - 15);

#[derive(Clone, Default)]
struct Notes(Arc<Mutex<Vec<(String, Notice, RequestState)>>>);

impl Notes {
    fn mailer(&self) -> impl Fn(&Request, Notice) -> Vec<Outgoing> + Sync + use<> {
        let notes = self.0.clone();
        move |r: &Request, n: Notice| {
            notes.lock().unwrap().push((r.email.clone(), n, r.state));
            vec![Outgoing {
                to: r.email.clone(),
                subject: format!("{n:?}"),
                text: format!("{} {:?}", r.offer_title, r.state),
                html: None,
                secret: None,
                one_click_unsubscribe: false,
                calendar: None,
            }]
        }
    }

    fn take(&self) -> Vec<(String, Notice, RequestState)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// An approved provider with a published offer taking requests, `capacity` places a date.
async fn requestable(db: &Db, capacity: Option<i64>) -> i64 {
    let person = db
        .create_user(
            "kuubu@teststadt.example",
            "Medienwerkstatt",
            &[Role::Citizen],
        )
        .await
        .unwrap();
    let admin = db
        .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
        .await
        .unwrap();
    let p = ProviderInput {
        name: "Medienwerkstatt".into(),
        description: "Medienbildung für Kitas.".into(),
        email: "kontakt@medien.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    };
    let (pid, _) = db
        .create_provider(Some(person), &p, "", false, false)
        .await
        .unwrap();
    assert!(db.decide_provider(admin, pid, true, "").await.unwrap());
    let cats = db.offer_categories().await.unwrap();
    let mut o = offer("Trickfilm in der Kita", cats[4].id, None);
    o.access = Access::Request;
    o.capacity = capacity;
    let (oid, _) = db
        .create_offer(Some(person), pid, &o, &OfferParts::default(), false)
        .await
        .unwrap();
    oid
}

fn input(email: &str, group: i64) -> RequestInput {
    RequestInput {
        name: "Frau Beispiel".into(),
        email: email.into(),
        phone: String::new(),
        institution: "Kita Sonnenblume".into(),
        group_size: group,
        ages: "4 bis 6 Jahre".into(),
        message: "Wir kommen gern.".into(),
    }
}

fn new<'a>(oid: i64, day: time::Date, i: &'a RequestInput, confirmed: bool) -> NewRequest<'a> {
    NewRequest {
        offer_id: oid,
        day,
        starts: Some("09:00"),
        user_id: None,
        input: i,
        address_confirmed: confirmed,
        lang: "de",
        limits: &[],
    }
}

async fn held(db: &Db, oid: i64, day: time::Date) -> i64 {
    db.held_places(oid, &[day])
        .await
        .unwrap()
        .first()
        .map_or(0, |(_, n)| *n)
}

db_test!(
    a_guest_request_holds_places_once_confirmed_and_the_provider_decides,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let oid = requestable(&db, Some(20)).await;
        let i = input("kita@example.org", 12);
        let r = db
            .create_request(&new(oid, DAY, &i, false), TODAY, &mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.state, RequestState::Unconfirmed);
        assert_eq!(
            (r.institution.as_str(), r.group_size),
            ("Kita Sonnenblume", 12)
        );
        assert_eq!(
            held(&db, oid, DAY).await,
            0,
            "no place before the address is confirmed"
        );
        // The same address again for the same day: refused, nothing written.
        assert_eq!(
            db.create_request(&new(oid, DAY, &i, false), TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Twice)
        );
        let r = db
            .confirm_request(r.id, TODAY, &mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.state, RequestState::Open);
        assert_eq!(held(&db, oid, DAY).await, 12);
        assert_eq!(
            db.confirm_request(r.id, TODAY, &mail).await.unwrap(),
            Err(Refusal::Unchanged)
        );
        // Another group of 12 does not fit into the 8 places left.
        let other = input("schule@example.org", 12);
        assert_eq!(
            db.create_request(&new(oid, DAY, &other, true), TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Full { free: 8 })
        );
        let a = db
            .decide_request(r.id, &Decision::Accept, TODAY, &mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.state, RequestState::Accepted);
        assert_eq!(
            db.decide_request(r.id, &Decision::Accept, TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Unchanged)
        );
        assert_eq!(held(&db, oid, DAY).await, 12);
        let notices: Vec<Notice> = notes.take().into_iter().map(|(_, n, _)| n).collect();
        assert_eq!(
            notices,
            [Notice::ConfirmAddress, Notice::Sent, Notice::Accepted]
        );
        // Withdrawn: the places are free again.
        let w = db
            .answer_request(r.id, Answer::Withdraw, &mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(w.state, RequestState::Withdrawn);
        assert_eq!(held(&db, oid, DAY).await, 0);
        assert_eq!(
            db.answer_request(r.id, Answer::Withdraw, &mail)
                .await
                .unwrap(),
            Err(Refusal::Unchanged)
        );
        // Once withdrawn, the address may ask for the day again.
        assert!(
            db.create_request(&new(oid, DAY, &i, true), TODAY, &mail)
                .await
                .unwrap()
                .is_ok()
        );
    }
);

db_test!(
    declining_gives_places_back_and_a_proposal_moves_them,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let oid = requestable(&db, Some(10)).await;
        let a = db
            .create_request(
                &new(oid, DAY, &input("a@example.org", 6), true),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        let b = db
            .create_request(
                &new(oid, DAY, &input("b@example.org", 4), true),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(held(&db, oid, DAY).await, 10);
        let d = db
            .decide_request(
                a.id,
                &Decision::Decline("Der Termin entfällt.".into()),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (d.state, d.note.as_str()),
            (RequestState::Declined, "Der Termin entfällt.")
        );
        assert_eq!(held(&db, oid, DAY).await, 4);
        // A proposal to a past day is refused; to a full day too; to a free one it moves the places.
        assert_eq!(
            db.decide_request(
                b.id,
                &Decision::Propose(date!(2026 - 12 - 01), String::new()),
                TODAY,
                &mail
            )
            .await
            .unwrap(),
            Err(Refusal::Past)
        );
        let later = date!(2026 - 12 - 22);
        db.create_request(
            &new(oid, later, &input("c@example.org", 8), true),
            TODAY,
            &mail,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            db.decide_request(b.id, &Decision::Propose(later, String::new()), TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Full { free: 2 })
        );
        let free_day = date!(2027 - 01 - 05);
        let p = db
            .decide_request(
                b.id,
                &Decision::Propose(free_day, "Passt der 5. Januar?".into()),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.state, p.day, p.starts.as_deref()),
            (RequestState::Proposed, free_day, None)
        );
        assert_eq!(
            (held(&db, oid, DAY).await, held(&db, oid, free_day).await),
            (0, 4)
        );
        // Only an open request is decided on; the person accepts the proposal.
        assert_eq!(
            db.decide_request(b.id, &Decision::Accept, TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Unchanged)
        );
        let ok = db
            .answer_request(b.id, Answer::AcceptProposal, &mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ok.state, RequestState::Accepted);
        assert_eq!(
            db.answer_request(b.id, Answer::AcceptProposal, &mail)
                .await
                .unwrap(),
            Err(Refusal::Unchanged)
        );
        let (list, n) = db
            .provider_requests(ok.provider_id, None, 1, 20)
            .await
            .unwrap();
        assert_eq!(n, 3);
        let states: Vec<RequestState> = list.iter().map(|r| r.state).collect();
        assert_eq!(
            states,
            [
                RequestState::Open,
                RequestState::Accepted,
                RequestState::Declined
            ],
            "the ones to decide on first"
        );
        let (declined, n) = db
            .provider_requests(ok.provider_id, Some(RequestState::Declined), 1, 20)
            .await
            .unwrap();
        assert_eq!((declined[0].id, n), (a.id, 1));
    }
);

db_test!(
    past_days_unknown_offers_and_drop_in_offers_are_refused,
    |db| async move {
        let mail = Notes::default().mailer();
        let oid = requestable(&db, None).await;
        let i = input("kita@example.org", 3);
        assert_eq!(
            db.create_request(&new(oid, date!(2026 - 12 - 06), &i, true), TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::Past)
        );
        assert_eq!(
            db.create_request(&new(9999, DAY, &i, true), TODAY, &mail)
                .await
                .unwrap(),
            Err(Refusal::NotFound)
        );
        // Without a capacity any group fits.
        let big = input("gross@example.org", 500);
        assert!(
            db.create_request(&new(oid, DAY, &big, true), TODAY, &mail)
                .await
                .unwrap()
                .is_ok()
        );
        let u = db
            .create_request(&new(oid, DAY, &i, false), TODAY, &mail)
            .await
            .unwrap()
            .unwrap();
        // The clock: an unconfirmed request expires after two days, an open one once its day passed.
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(3);
        assert_eq!(
            db.expire_requests(later, date!(2026 - 12 - 16))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            db.offer_request(u.id).await.unwrap().unwrap().state,
            RequestState::Expired
        );
        assert_eq!(held(&db, oid, DAY).await, 0);
        assert_eq!(
            db.confirm_request(u.id, TODAY, &mail).await.unwrap(),
            Err(Refusal::Unchanged)
        );
    }
);

db_test!(concurrent a_day_is_never_overbooked_under_concurrent_requests, |db| async move {
    let notes = Notes::default();
    let oid = requestable(&db, Some(50)).await;
    let mut tasks = Vec::new();
    for i in 0..120 {
        let db = db.clone();
        let mail = notes.mailer();
        tasks.push(tokio::spawn(async move {
            let i = input(&format!("p{i}@example.org"), 1);
            db.create_request(&new(oid, DAY, &i, true), TODAY, &mail).await.unwrap()
        }));
    }
    let mut taken = 0;
    let mut full = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => taken += 1,
            Err(Refusal::Full { free: 0 }) => full += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((taken, full), (50, 70));
    assert_eq!(held(&db, oid, DAY).await, 50);
    let (_, open) = db.provider_requests(
        db.offer_by_id(oid).await.unwrap().unwrap().provider_id,
        Some(RequestState::Open), 1, 200,
    ).await.unwrap();
    assert_eq!(open, 50);
});

db_test!(
    personal_data_of_requests_goes_thirty_days_after_their_day_or_their_end,
    |db| async move {
        let notes = Notes::default();
        let mail = notes.mailer();
        let oid = requestable(&db, Some(20)).await;
        let soon = db
            .create_request(
                &new(oid, DAY, &input("a@example.org", 3), true),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        let later_day = date!(2027 - 03 - 02);
        let ahead = db
            .create_request(
                &new(oid, later_day, &input("b@example.org", 3), true),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        let withdrawn = db
            .create_request(
                &new(oid, later_day, &input("c@example.org", 3), true),
                TODAY,
                &mail,
            )
            .await
            .unwrap()
            .unwrap();
        assert!(
            db.answer_request(withdrawn.id, Answer::Withdraw, &mail)
                .await
                .unwrap()
                .is_ok()
        );
        let now = time::OffsetDateTime::now_utc();
        // 29 days after the day: everything is kept.
        let day29 = DAY + time::Duration::days(29);
        assert_eq!(db.prune_request_data(now, day29).await.unwrap(), 0);
        // 31 days after: the past request's name, address, phone and message go.
        let day31 = DAY + time::Duration::days(31);
        assert_eq!(db.prune_request_data(now, day31).await.unwrap(), 1);
        let r = db.offer_request(soon.id).await.unwrap().unwrap();
        assert_eq!(
            (r.name.as_str(), r.phone.as_str(), r.message.as_str()),
            ("", "", "")
        );
        assert!(r.email.starts_with("removed-"), "{}", r.email);
        assert_eq!(
            (r.institution.as_str(), r.group_size, r.day),
            ("Kita Sonnenblume", 3, DAY)
        );
        // A withdrawn request goes 30 days after it was withdrawn, though its day is ahead;
        // the open one with its day ahead stays.
        let month = now + time::Duration::days(31);
        assert_eq!(db.prune_request_data(month, day31).await.unwrap(), 1);
        assert_eq!(
            db.offer_request(withdrawn.id).await.unwrap().unwrap().name,
            ""
        );
        assert_eq!(
            db.offer_request(ahead.id).await.unwrap().unwrap().name,
            "Frau Beispiel"
        );
        assert_eq!(
            db.prune_request_data(month, day31).await.unwrap(),
            0,
            "once"
        );
    }
);
