//! Ideas: proposals in a field (window, block and limits in their transaction), one support per
//! person with the counter kept, the city's decisions audited, the list by cursor in every
//! order with its filters, similar measures and ideas, comments on ideas; on both engines.

use super::participation::{people, published};
use super::*;
use domain::comments::Subject;
use domain::ideas::{IdeaCursor, IdeaSort, IdeaStatus, Proposal, check_decision, check_proposal};
use domain::participation::{Scope, Window};
use store::comments::Limit;
use store::ideas::{IdeaFilter, IdeaRefusal, NewIdea};

async fn fields(db: &Db) -> Vec<i64> {
    db.idea_fields()
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.0)
        .collect()
}

fn proposal(field: i64, title: &str) -> Proposal {
    check_proposal(
        Some(field),
        title,
        "Eine ausführliche Beschreibung der Idee für die Stadt.",
        "Weil es vielen Menschen hilft.",
        "Marktplatz",
    )
    .unwrap()
}

async fn propose(db: &Db, field: i64, author: i64, title: &str) -> i64 {
    let p = proposal(field, title);
    db.propose_idea(&NewIdea {
        proposal: &p,
        author_id: author,
        description_html: "<p>Beschreibung</p>",
        limits: &[],
        created_at: None,
        hold: false,
    })
    .await
    .unwrap()
    .unwrap()
}

db_test!(ideas_are_proposed_supported_and_decided, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let f = fields(&db).await;
    assert_eq!(f.len(), 3);
    let p = people(&db, 4).await;
    let id = propose(&db, f[1], p[0], "Offenes WLAN in allen Schulen").await;
    let idea = db.idea(id).await.unwrap().unwrap();
    assert_eq!(idea.status, IdeaStatus::Submitted);
    assert_eq!(idea.author_name.as_deref(), Some("Person 0"));
    assert_eq!(idea.field_title, "Bildung");
    assert_eq!((idea.supports, idea.comments), (0, 0));

    // One support per person; one's own idea cannot be supported; withdrawing works once.
    assert_eq!(
        db.support_idea(id, p[0], true).await.unwrap(),
        Err(IdeaRefusal::Own)
    );
    assert_eq!(db.support_idea(id, p[1], true).await.unwrap(), Ok(1));
    assert_eq!(db.support_idea(id, p[1], true).await.unwrap(), Ok(1));
    assert_eq!(db.support_idea(id, p[2], true).await.unwrap(), Ok(2));
    assert_eq!(db.support_idea(id, p[2], false).await.unwrap(), Ok(1));
    assert_eq!(db.support_idea(id, p[2], false).await.unwrap(), Ok(1));
    assert_eq!(
        db.support_idea(id + 99, p[2], true).await.unwrap(),
        Err(IdeaRefusal::NotFound)
    );
    let views = db.my_idea_views(p[1], &[id, id + 99]).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(
        views[&id],
        store::ideas::MyIdeaView {
            mine: false,
            supported: true
        }
    );
    assert!(db.my_idea_views(p[0], &[id]).await.unwrap()[&id].mine);
    assert_eq!(db.supports_of(p[1]).await.unwrap()[0].idea_id, id);

    // The city decides: a linked measure must be published; the decision is audited.
    let m = published(&db).await;
    let bad = check_decision(IdeaStatus::Accepted, "", Some(m + 1000)).unwrap();
    assert_eq!(
        db.decide_idea(id, Some(p[3]), &bad).await.unwrap(),
        Err(IdeaRefusal::NoSuchMeasure)
    );
    let ok = check_decision(IdeaStatus::Accepted, "Wird umgesetzt.", Some(m)).unwrap();
    let d = db.decide_idea(id, Some(p[3]), &ok).await.unwrap().unwrap();
    assert_eq!((d.author_id, d.before), (Some(p[0]), IdeaStatus::Submitted));
    let idea = db.idea(id).await.unwrap().unwrap();
    assert_eq!(idea.status, IdeaStatus::Accepted);
    assert_eq!(idea.status_reason, "Wird umgesetzt.");
    assert_eq!(
        idea.measure.as_ref().map(|m| m.0.as_str()),
        Some("online-antraege")
    );
    let (audit, _) = db.audit_entries(Some("idea.status"), 10, 0).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].subject_id, Some(id));
    // A decided idea takes no more supports; a withdrawal neither.
    assert_eq!(
        db.support_idea(id, p[3], true).await.unwrap(),
        Err(IdeaRefusal::Decided)
    );
    assert_eq!(db.ideas_of_author(p[0]).await.unwrap().len(), 1);
});

db_test!(
    proposals_respect_windows_blocks_and_limits,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let f = fields(&db).await;
        let p = people(&db, 3).await;
        let prop = proposal(f[0], "Digitale Bürgersprechstunde");
        let new = |author: i64, limits: &'static [Limit]| NewIdea {
            proposal: &prop,
            author_id: author,
            description_html: "<p>x</p>",
            limits,
            created_at: None,
            hold: false,
        };
        // Closed field: refused, nothing written.
        let closed = Window {
            closed_at: Some(time::OffsetDateTime::now_utc()),
            opens_at: None,
            closes_at: None,
        };
        db.set_window(p[2], Scope::Field, f[0], Some(closed))
            .await
            .unwrap();
        assert_eq!(
            db.propose_idea(&new(p[0], &[])).await.unwrap(),
            Err(IdeaRefusal::Closed)
        );
        db.set_window(p[2], Scope::Field, f[0], None).await.unwrap();
        // A blocked person proposes nothing.
        db.set_blocked(p[2], p[1], true).await.unwrap();
        assert_eq!(
            db.propose_idea(&new(p[1], &[])).await.unwrap(),
            Err(IdeaRefusal::Blocked)
        );
        // An unknown field.
        let elsewhere = proposal(f[0] + 1000, "Digitale Bürgersprechstunde");
        let r = db
            .propose_idea(&NewIdea {
                proposal: &elsewhere,
                ..new(p[0], &[])
            })
            .await
            .unwrap();
        assert_eq!(r, Err(IdeaRefusal::NotFound));
        // The limit: the second proposal within the window is refused and not counted.
        static ONE: std::sync::LazyLock<Vec<Limit>> = std::sync::LazyLock::new(|| {
            vec![Limit {
                bucket: "idea:test".into(),
                max: 1,
                window: time::Duration::hours(1),
            }]
        });
        assert!(db.propose_idea(&new(p[0], &ONE)).await.unwrap().is_ok());
        assert!(matches!(
            db.propose_idea(&new(p[0], &ONE)).await.unwrap(),
            Err(IdeaRefusal::RateLimited(_))
        ));
        assert_eq!(db.idea_count(IdeaFilter::default()).await.unwrap(), 1);
    }
);

db_test!(the_list_pages_by_cursor_in_every_order, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let f = fields(&db).await;
    let p = people(&db, 6).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(propose(&db, f[i % 2], p[0], &format!("Idee Nummer {i} für alle")).await);
    }
    // Supports: idea 3 gets 3, idea 5 gets 2, idea 1 gets 1.
    for (idea, n) in [(ids[3], 3), (ids[5], 2), (ids[1], 1)] {
        for voter in &p[1..=n] {
            db.support_idea(idea, *voter, true).await.unwrap().unwrap();
        }
    }
    let d = check_decision(IdeaStatus::Rejected, "Nicht zuständig.", None).unwrap();
    db.decide_idea(ids[0], None, &d).await.unwrap().unwrap();
    let d = check_decision(IdeaStatus::InReview, "", None).unwrap();
    db.decide_idea(ids[6], None, &d).await.unwrap().unwrap();
    let all = |sort: IdeaSort, filter: IdeaFilter| {
        let db = db.clone();
        async move {
            let mut out = Vec::new();
            let mut after: Option<IdeaCursor> = None;
            loop {
                let page = db.idea_page(filter, sort, after, 2).await.unwrap();
                assert!(page.ideas.len() <= 2);
                out.extend(page.ideas.iter().map(|i| i.id));
                match page.next {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            out
        }
    };
    let none = IdeaFilter::default();
    let newest: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(all(IdeaSort::Newest, none).await, newest);
    let supported = all(IdeaSort::Supported, none).await;
    assert_eq!(&supported[..3], &[ids[3], ids[5], ids[1]]);
    assert_eq!(supported.len(), 7);
    let by_status = all(IdeaSort::Status, none).await;
    assert_eq!(by_status[0], ids[6]);
    assert_eq!(*by_status.last().unwrap(), ids[0]);
    let field = IdeaFilter {
        field_id: Some(f[1]),
        status: None,
    };
    assert_eq!(
        all(IdeaSort::Newest, field).await,
        vec![ids[5], ids[3], ids[1]]
    );
    let rejected = IdeaFilter {
        field_id: None,
        status: Some(IdeaStatus::Rejected),
    };
    assert_eq!(all(IdeaSort::Supported, rejected).await, vec![ids[0]]);
    assert_eq!(db.idea_count(field).await.unwrap(), 3);
    // A hidden idea leaves the lists, takes no comments and no supports, and comes back.
    let before = db.unread_notifications(p[0]).await.unwrap();
    assert!(
        db.moderate_idea(ids[3], Some(p[5]), Some("Werbung"))
            .await
            .unwrap()
    );
    assert_eq!(
        db.unread_notifications(p[0]).await.unwrap(),
        before + 1,
        "the author is told"
    );
    assert_eq!(db.idea_count(none).await.unwrap(), 6);
    assert_eq!(
        db.support_idea(ids[3], p[5], true).await.unwrap(),
        Err(IdeaRefusal::NotFound)
    );
    let c = db
        .post_comment(&store::comments::NewComment {
            subject: Subject::idea(ids[3]),
            parent_id: None,
            author: store::comments::Author::Account(p[1]),
            body: "Gut",
            body_html: "Gut",
            official: false,
            limits: &[],
            posted_at: None,
            hold: false,
        })
        .await
        .unwrap();
    assert_eq!(c, Err(store::comments::Refusal::NotFound));
    assert!(db.moderate_idea(ids[3], Some(p[5]), None).await.unwrap());
    assert_eq!(db.idea_count(none).await.unwrap(), 7);
});

db_test!(comments_on_ideas_and_similar_proposals, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let f = fields(&db).await;
    let p = people(&db, 2).await;
    let id = propose(&db, f[1], p[0], "Tablets für Grundschulen").await;
    let s = Subject::idea(id);
    let c = db
        .post_comment(&store::comments::NewComment {
            subject: s,
            parent_id: None,
            author: store::comments::Author::Account(p[1]),
            body: "Sehr gut",
            body_html: "<p>Sehr gut</p>",
            official: false,
            limits: &[],
            posted_at: None,
            hold: false,
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(db.comment(c).await.unwrap().unwrap().subject, s);
    assert_eq!(db.comment_count(s).await.unwrap(), 1);
    assert_eq!(db.idea(id).await.unwrap().unwrap().comments, 1);
    // A closed field closes the idea's discussion.
    let closed = Window {
        closed_at: Some(time::OffsetDateTime::now_utc()),
        opens_at: None,
        closes_at: None,
    };
    db.set_window(p[0], Scope::Field, f[1], Some(closed))
        .await
        .unwrap();
    assert!(
        !db.discussion_window(s)
            .await
            .unwrap()
            .state(time::OffsetDateTime::now_utc())
            .is_open()
    );
    // Similar: the idea by a shared stem ("Grundschule"), a measure by its text ("Anträge").
    let terms = domain::ideas::similarity_terms("Mehr Tablets an Grundschulen", "");
    let (_, ideas) = db.similar(&terms, 5).await.unwrap();
    assert_eq!(ideas.len(), 1);
    assert_eq!(ideas[0].href, format!("/ideen/{id}"));
    let terms = domain::ideas::similarity_terms("Online-Anträge für alles", "");
    let (measures, _) = db.similar(&terms, 5).await.unwrap();
    assert!(
        measures
            .iter()
            .any(|m| m.href == "/massnahmen/online-antraege"),
        "{measures:?}"
    );
    assert_eq!(db.similar(&[], 5).await.unwrap(), (vec![], vec![]));
});

db_test!(
    deciding_an_idea_tells_its_author_and_followers,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let f = fields(&db).await;
        let p = people(&db, 3).await;
        let id = propose(&db, f[1], p[0], "Mehr Lesepaten an Grundschulen").await;
        // The supporter follows the idea; the author does already.
        db.support_idea(id, p[1], true).await.unwrap().unwrap();
        let follows = db.follows_of_user(p[1]).await.unwrap();
        assert_eq!(follows.len(), 1);
        assert_eq!(
            follows[0].title.as_deref(),
            Some("Mehr Lesepaten an Grundschulen")
        );
        assert_eq!(
            follows[0].link.as_deref(),
            Some(format!("/ideen/{id}").as_str())
        );
        let d = check_decision(
            IdeaStatus::Rejected,
            "Dafür gibt es schon ein Programm.",
            None,
        )
        .unwrap();
        db.decide_idea(id, Some(p[2]), &d).await.unwrap().unwrap();
        for person in [p[0], p[1]] {
            assert_eq!(
                db.unread_notifications(person).await.unwrap(),
                1,
                "person {person}"
            );
        }
        // Never the one deciding.
        assert_eq!(db.unread_notifications(p[2]).await.unwrap(), 0);
    }
);
