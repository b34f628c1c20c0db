//! Volunteering roles and applications: public only while open and the provider approved; one
//! active application per address; a role never accepts more people than it needs, also when
//! its provider accepts 30 applications at once; withdrawing an accepted one frees its place.
//! On both engines.

use super::*;
use domain::accounts::Role;
use domain::offers::ProviderInput;
use domain::offers::requests::RequestState;
use domain::offers::volunteering::{ApplicationInput, RoleInput, RoleState};
use store::mail::Outgoing;
use store::offers::requests::{Notice, Refusal};
use store::offers::volunteering::applications::{Application, NewApplication};

fn no_mail(_: &Application, _: Notice) -> Vec<Outgoing> {
    Vec::new()
}

async fn role(db: &Db, needed: i64) -> (i64, i64) {
    let admin = db
        .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
        .await
        .unwrap();
    let p = ProviderInput {
        name: "Freiwilligenagentur".into(),
        description: String::new(),
        email: "info@freiwillig.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    };
    let (pid, _) = db
        .create_provider(None, &p, "", false, false)
        .await
        .unwrap();
    let input = RoleInput {
        title: "Helfer am Digitaltag".into(),
        description: String::new(),
        when: "einmalig".into(),
        needed,
        requirements: String::new(),
        district_id: None,
        state: RoleState::Open,
    };
    let (rid, slug) = db.create_role(None, pid, &input, "", false).await.unwrap();
    // Pending provider: nothing public, no applications.
    assert!(db.public_role(&slug).await.unwrap().is_none());
    let a = ApplicationInput {
        name: "X".into(),
        email: "x@example.org".into(),
        phone: String::new(),
        message: "Hallo".into(),
    };
    let new = NewApplication {
        role_id: rid,
        user_id: None,
        input: &a,
        address_confirmed: true,
        lang: "de",
        limits: &[],
    };
    assert_eq!(
        db.apply(&new, &no_mail).await.unwrap(),
        Err(Refusal::NotFound)
    );
    assert!(db.decide_provider(admin, pid, true, "").await.unwrap());
    assert_eq!(
        db.public_role(&slug).await.unwrap().unwrap().open_places(),
        needed
    );
    (pid, rid)
}

fn person(i: usize) -> ApplicationInput {
    ApplicationInput {
        name: format!("Person {i}"),
        email: format!("p{i}@example.org"),
        phone: String::new(),
        message: "Ich helfe gern.".into(),
    }
}

db_test!(
    an_application_once_per_address_and_withdrawing_frees_the_place,
    |db| async move {
        let (pid, rid) = role(&db, 1).await;
        let a = person(1);
        let new = NewApplication {
            role_id: rid,
            user_id: None,
            input: &a,
            address_confirmed: false,
            lang: "de",
            limits: &[],
        };
        let first = db.apply(&new, &no_mail).await.unwrap().unwrap();
        assert_eq!(first.state, RequestState::Unconfirmed);
        assert_eq!(db.apply(&new, &no_mail).await.unwrap(), Err(Refusal::Twice));
        // Unconfirmed: the provider does not see it and cannot decide it.
        assert!(db.applications_of_role(rid).await.unwrap().is_empty());
        assert_eq!(
            db.decide_application(first.id, true, "", &no_mail)
                .await
                .unwrap(),
            Err(Refusal::Unchanged)
        );
        db.confirm_application(first.id, &no_mail)
            .await
            .unwrap()
            .unwrap();
        let ok = db
            .decide_application(first.id, true, "", &no_mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ok.state, RequestState::Accepted);
        assert_eq!(db.role_by_id(rid).await.unwrap().unwrap().open_places(), 0);
        db.withdraw_application(first.id, &no_mail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(db.role_by_id(rid).await.unwrap().unwrap().open_places(), 1);
        assert_eq!(
            db.withdraw_application(first.id, &no_mail).await.unwrap(),
            Err(Refusal::Unchanged)
        );
        // Withdrawn, the address may apply again; a closed role takes no applications.
        assert!(db.apply(&new, &no_mail).await.unwrap().is_ok());
        let mut r = db.role_by_id(rid).await.unwrap().unwrap();
        r.input.state = RoleState::Closed;
        assert!(db.update_role(pid, rid, &r.input, "").await.unwrap());
        assert!(
            !db.update_role(pid + 1000, rid, &r.input, "").await.unwrap(),
            "another provider's role"
        );
        let b = person(2);
        let other = NewApplication {
            role_id: rid,
            user_id: None,
            input: &b,
            address_confirmed: true,
            lang: "de",
            limits: &[],
        };
        assert_eq!(
            db.apply(&other, &no_mail).await.unwrap(),
            Err(Refusal::NotFound)
        );
        assert_eq!(db.public_roles(None, 1, 20).await.unwrap().1, 0);
        // The clock: an unconfirmed application expires after two days.
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(3);
        assert_eq!(db.expire_applications(later).await.unwrap(), 1);
        // Thirty days after an application was withdrawn or expired its personal data goes; the
        // row stays for the figures, and every other one is kept.
        let today = later.date();
        assert_eq!(db.prune_request_data(later, today).await.unwrap(), 0);
        let month = later + time::Duration::days(31);
        assert_eq!(db.prune_request_data(month, today).await.unwrap(), 2);
        let gone = db.application(first.id).await.unwrap().unwrap();
        assert_eq!(
            (gone.name.as_str(), gone.message.as_str(), gone.state),
            ("", "", RequestState::Withdrawn)
        );
        assert!(gone.email.starts_with("removed-"), "{}", gone.email);
        let all = db.applications_of_role(rid).await.unwrap();
        let closed = [
            RequestState::Withdrawn,
            RequestState::Expired,
            RequestState::Declined,
        ];
        for a in &all {
            assert_eq!(a.name.is_empty(), closed.contains(&a.state), "{a:?}");
        }
        assert_eq!(
            db.prune_request_data(month, today).await.unwrap(),
            0,
            "once"
        );
    }
);

db_test!(concurrent a_role_never_accepts_more_than_it_needs, |db| async move {
    let (_, rid) = role(&db, 5).await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let a = person(i);
        let new = NewApplication { role_id: rid, user_id: None, input: &a, address_confirmed: true, lang: "de", limits: &[] };
        ids.push(db.apply(&new, &no_mail).await.unwrap().unwrap().id);
    }
    let mut tasks = Vec::new();
    for id in ids {
        let db = db.clone();
        tasks.push(tokio::spawn(async move { db.decide_application(id, true, "", &no_mail).await.unwrap() }));
    }
    let mut accepted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(Refusal::Full { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(accepted, 5);
    let r = db.role_by_id(rid).await.unwrap().unwrap();
    assert_eq!((r.accepted, r.open_places()), (5, 0));
    let apps = db.applications_of_role(rid).await.unwrap();
    assert_eq!(apps.iter().filter(|a| a.state == RequestState::Accepted).count(), 5);
    assert_eq!(apps.iter().filter(|a| a.state == RequestState::Open).count(), 25);
});
