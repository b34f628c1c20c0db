//! Live Q&A: questions queued or visible by the session's setting, one upvote per voter (exact
//! under concurrent votes), the moderation's steps, one pinned question, closed sessions. On
//! both engines.

use super::*;
use domain::programme::questions::{Moderation, QuestionSource, QuestionState};
use domain::programme::{Attendance, EventInput, EventState, SessionInput, SessionState};
use store::programme::questions::{QuestionOrder, QuestionRefusal};
use time::{Duration, OffsetDateTime};

async fn session(db: &Db, ends_in: Duration) -> i64 {
    let now = OffsetDateTime::now_utc();
    let (event, _) = db
        .create_event(
            None,
            None,
            &EventInput {
                title: "Digitaltag".into(),
                description: String::new(),
                organiser: "Stadt".into(),
                starts_at: now - Duration::hours(2),
                ends_at: now + Duration::days(2),
                attendance: Attendance::Online,
                place: String::new(),
                fee_cents: None,
                fee_note: String::new(),
                capacity: None,
                registration_opens_at: None,
                registration_closes_at: None,
                image_alt: String::new(),
                state: EventState::Published,
            },
            "",
            false,
        )
        .await
        .unwrap();
    let (id, _) = db
        .add_session(
            None,
            event,
            &SessionInput {
                title: "Im Gespräch mit dem CDO".into(),
                abstract_text: String::new(),
                format_id: None,
                track: String::new(),
                room_id: None,
                starts_at: now - Duration::hours(1),
                ends_at: now + ends_in,
                language: "de".into(),
                sign_language: false,
                live_captions: false,
                easy_language: false,
                capacity: None,
                do_not_record: false,
                state: SessionState::Confirmed,
                people: Vec::new(),
            },
            "",
        )
        .await
        .unwrap();
    id
}

db_test!(questions_are_moderated_voted_and_pinned, |db| async move {
    let s = session(&db, Duration::hours(1)).await;
    let me = super::participation::people(&db, 1).await[0];
    let ask = |body: &'static str, source| {
        let db = db.clone();
        async move {
            db.ask(s, body, "", None, source, &[])
                .await
                .unwrap()
                .unwrap()
        }
    };
    // Moderated (the default): a question waits; one added from a mail is visible at once.
    let a = ask("Wann kommt das WLAN?", QuestionSource::Web).await;
    assert_eq!(a.state, QuestionState::Queued);
    let m = ask("Per Mail: Wie steht es um Open Data?", QuestionSource::Mail).await;
    assert_eq!(
        (m.state, m.source),
        (QuestionState::Visible, QuestionSource::Mail)
    );
    assert_eq!(
        db.public_questions(s, QuestionOrder::Votes, 50)
            .await
            .unwrap()
            .len(),
        1
    );
    // A queued question takes no votes; shown, it does, once per voter.
    assert_eq!(
        db.vote_question(a.id, "client:x").await.unwrap(),
        Err(QuestionRefusal::NotAllowed)
    );
    db.moderate_question(me, s, a.id, &Moderation::Show)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(db.vote_question(a.id, "client:x").await.unwrap(), Ok(true));
    assert_eq!(db.vote_question(a.id, "client:x").await.unwrap(), Ok(false));
    assert_eq!(db.vote_question(a.id, "user:7").await.unwrap(), Ok(true));
    let list = db
        .public_questions(s, QuestionOrder::Votes, 50)
        .await
        .unwrap();
    assert_eq!(
        list.iter().map(|q| (q.id, q.votes)).collect::<Vec<_>>(),
        [(a.id, 2), (m.id, 0)]
    );
    // Pinning the mailed one puts it first; pinning another moves the pin.
    db.moderate_question(me, s, m.id, &Moderation::Pin)
        .await
        .unwrap()
        .unwrap();
    let list = db
        .public_questions(s, QuestionOrder::Votes, 50)
        .await
        .unwrap();
    assert_eq!(list[0].id, m.id);
    assert!(list[0].pinned);
    db.moderate_question(me, s, a.id, &Moderation::Pin)
        .await
        .unwrap()
        .unwrap();
    let pinned: Vec<i64> = db
        .all_questions(s, 50)
        .await
        .unwrap()
        .iter()
        .filter(|q| q.pinned)
        .map(|q| q.id)
        .collect();
    assert_eq!(pinned, [a.id]);
    // Answered stays public; rejected with a reason does not, and loses its pin.
    db.moderate_question(me, s, a.id, &Moderation::Answer)
        .await
        .unwrap()
        .unwrap();
    let b = ask("Warum ist hier alles so langsam?", QuestionSource::Web).await;
    db.moderate_question(
        me,
        s,
        b.id,
        &Moderation::Reject("Bitte sachlich bleiben.".into()),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        db.moderate_question(me, s, b.id, &Moderation::Pin)
            .await
            .unwrap(),
        Err(QuestionRefusal::NotAllowed)
    );
    assert_eq!(
        db.moderate_question(me, s, 999_999, &Moderation::Show)
            .await
            .unwrap(),
        Err(QuestionRefusal::NotFound)
    );
    let all = db.all_questions(s, 50).await.unwrap();
    let rejected = all.iter().find(|q| q.id == b.id).unwrap();
    assert_eq!(
        (rejected.state, rejected.reason.as_str()),
        (QuestionState::Rejected, "Bitte sachlich bleiben.")
    );
    let public = db
        .public_questions(s, QuestionOrder::Newest, 50)
        .await
        .unwrap();
    assert_eq!(public.len(), 2);
    // Unmoderated and closed: questions go straight up, then none at all.
    db.set_qa(Some(me), s, true, false).await.unwrap();
    assert_eq!(
        ask("Noch eine Frage ohne Warten?", QuestionSource::Web)
            .await
            .state,
        QuestionState::Visible
    );
    db.set_qa(Some(me), s, false, false).await.unwrap();
    assert_eq!(
        db.ask(s, "Zu spät gefragt?", "", None, QuestionSource::Web, &[])
            .await
            .unwrap(),
        Err(QuestionRefusal::Closed)
    );
    // A session that is over takes neither questions nor votes.
    let over = session(&db, -Duration::minutes(1)).await;
    assert_eq!(
        db.ask(
            over,
            "Nach dem Ende gefragt?",
            "",
            None,
            QuestionSource::Web,
            &[]
        )
        .await
        .unwrap(),
        Err(QuestionRefusal::Closed)
    );
});

db_test!(concurrent concurrent_upvotes_lose_none, |db| async move {
    let s = session(&db, Duration::hours(1)).await;
    let me = super::participation::people(&db, 1).await[0];
    db.set_qa(Some(me), s, true, false).await.unwrap();
    let q = db.ask(s, "Wie viele stimmen zu?", "Erika", None, QuestionSource::Web, &[]).await.unwrap().unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            // Every voter votes twice at once: one counts.
            let voter = format!("client:{i}");
            let (a, b) = tokio::join!(db.vote_question(q.id, &voter), db.vote_question(q.id, &voter));
            assert_eq!([a.unwrap().unwrap(), b.unwrap().unwrap()].iter().filter(|x| **x).count(), 1);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(db.public_questions(s, QuestionOrder::Votes, 5).await.unwrap()[0].votes, 40);
});
