//! One search over everything: a word finds the public measure, idea, event, session, offer,
//! volunteering role and provider that hold it (German stemming: "Schulen" finds "Schule"), never
//! a draft, a hidden idea or anything of a provider not approved; counts per kind; pages in the
//! same order on both engines. On both engines.

use super::offers::{offer, tuesdays};
use super::participation::people;
use super::programme::{event, session};
use super::*;
use domain::accounts::Role;
use domain::offers::volunteering::{RoleInput, RoleState};
use domain::offers::{OfferState, ProviderInput};
use domain::programme::EventState;
use domain::search::Kind;
use store::ideas::NewIdea;
use store::offers::OfferParts;
use store::search::{Hit, Terms};
use time::macros::datetime;

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Hilfe rund um Computer.".into(),
        email: "kontakt@teststadt.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

async fn propose(db: &Db, author: i64, title: &str) -> i64 {
    let field = db.idea_fields().await.unwrap()[0].0;
    let p = domain::ideas::check_proposal(
        Some(field),
        title,
        "Eine ausführliche Beschreibung der Idee für die Stadt.",
        "Weil es vielen Menschen hilft.",
        "",
    )
    .unwrap();
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

async fn found(db: &Db, kind: Kind, q: &str) -> Vec<String> {
    let terms = Terms::of(q).unwrap();
    db.search_page(kind, &terms, 1, 20)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect()
}

/// The offers' test category: the first the migration presets.
async fn category(db: &Db) -> i64 {
    db.offer_categories().await.unwrap()[0].id
}

db_test!(
    a_word_finds_every_public_kind_and_nothing_unpublished,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let p = people(&db, 2).await;
        let admin = db
            .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        // Ideas: one shown, one hidden by the moderation.
        propose(&db, p[0], "Tablets für jede Schule").await;
        let hidden = propose(&db, p[1], "Schule am Abend öffnen").await;
        assert!(
            db.moderate_idea(hidden, Some(admin), Some("Werbung"))
                .await
                .unwrap()
        );
        // Events: a published one with two sessions, a draft with one.
        let day = datetime!(2026-09-19 10:00 UTC);
        let (public, _) = db
            .create_event(
                None,
                None,
                &event("Digitale Schule", EventState::Published, day),
                "",
                false,
            )
            .await
            .unwrap();
        let (draft, _) = db
            .create_event(
                None,
                None,
                &event("Schule von morgen", EventState::Draft, day),
                "",
                false,
            )
            .await
            .unwrap();
        db.add_session(
            None,
            public,
            &session("Medien in der Schule", day, None, None),
            "",
        )
        .await
        .unwrap();
        db.add_session(None, public, &session("Eröffnung", day, None, None), "")
            .await
            .unwrap();
        db.add_session(None, draft, &session("Schule testen", day, None, None), "")
            .await
            .unwrap();
        // Offers: an approved provider's published and draft offer; a pending provider's
        // published offer; an approved provider of that name without offers.
        let cat = category(&db).await;
        let (library, _) = db
            .create_provider(None, &provider("Stadtbibliothek"), "", true, false)
            .await
            .unwrap();
        let schedules = [tuesdays()];
        let parts = OfferParts {
            schedules: &schedules,
            ..OfferParts::default()
        };
        db.create_offer(
            None,
            library,
            &offer("Lernhilfe für die Schule", cat, None),
            &parts,
            false,
        )
        .await
        .unwrap();
        let mut unpublished = offer("Schule am Computer", cat, None);
        unpublished.state = OfferState::Draft;
        db.create_offer(None, library, &unpublished, &parts, false)
            .await
            .unwrap();
        let (pending, _) = db
            .create_provider(None, &provider("Förderverein der Schule"), "", false, false)
            .await
            .unwrap();
        db.create_offer(
            None,
            pending,
            &offer("Hausaufgaben", cat, None),
            &parts,
            false,
        )
        .await
        .unwrap();
        db.create_provider(None, &provider("Schule des Lebens"), "", true, false)
            .await
            .unwrap();
        // Volunteering: the approved provider's open role and its draft.
        let mut helper = RoleInput {
            title: "Hilfe in der Schule".into(),
            description: "Nachmittags beim Lernen helfen.".into(),
            when: "wöchentlich".into(),
            needed: 2,
            requirements: String::new(),
            district_id: None,
            state: RoleState::Open,
        };
        db.create_role(None, library, &helper, "", false)
            .await
            .unwrap();
        helper.title = "Schulweg begleiten".into();
        helper.state = RoleState::Draft;
        db.create_role(None, library, &helper, "", false)
            .await
            .unwrap();

        // "Schulen" is stemmed as "Schule" is: every kind finds its public thing only.
        assert_eq!(
            found(&db, Kind::Measures, "Schulen").await,
            ["WLAN für alle Schulen"]
        );
        assert_eq!(
            found(&db, Kind::Ideas, "Schulen").await,
            ["Tablets für jede Schule"]
        );
        assert_eq!(
            found(&db, Kind::Events, "Schulen").await,
            ["Digitale Schule"]
        );
        assert_eq!(
            found(&db, Kind::Sessions, "Schulen").await,
            ["Medien in der Schule"]
        );
        assert_eq!(
            found(&db, Kind::Offers, "Schulen").await,
            ["Lernhilfe für die Schule"]
        );
        assert_eq!(
            found(&db, Kind::Roles, "Schulen").await,
            ["Hilfe in der Schule"]
        );
        assert_eq!(
            found(&db, Kind::Providers, "Schulen").await,
            ["Schule des Lebens"]
        );
        let counts = db
            .search_counts(&Terms::of("Schulen").unwrap())
            .await
            .unwrap();
        assert_eq!(
            counts,
            Kind::ALL.iter().map(|k| (*k, 1)).collect::<Vec<_>>(),
            "one of each kind, in the page's order"
        );

        // A session names its event; an offer and a role their provider.
        let terms = Terms::of("Schule").unwrap();
        let s: Vec<Hit> = db.search_page(Kind::Sessions, &terms, 1, 20).await.unwrap();
        assert_eq!(s[0].parent, "digitale-schule");
        assert_eq!(s[0].text, "Worum es geht");
        let o = db.search_page(Kind::Offers, &terms, 1, 20).await.unwrap();
        assert_eq!(o[0].parent, "Stadtbibliothek");
        let r = db.search_page(Kind::Roles, &terms, 1, 20).await.unwrap();
        assert_eq!(r[0].parent, "Stadtbibliothek");

        // Every word must occur; a word nothing holds finds nothing of any kind.
        assert_eq!(
            found(&db, Kind::Events, "Schule Digitalisierung").await,
            ["Digitale Schule"]
        );
        assert!(found(&db, Kind::Events, "Schule Kochkurs").await.is_empty());
        let none = db
            .search_counts(&Terms::of("Quantenfeld").unwrap())
            .await
            .unwrap();
        assert!(none.iter().all(|(_, n)| *n == 0));
        // A person of a session is found by name.
        assert_eq!(found(&db, Kind::Sessions, "Erika").await.len(), 2);
    }
);

db_test!(
    results_come_by_where_the_word_first_stands_then_by_id_a_page_at_a_time,
    |db| async move {
        let day = datetime!(2026-09-19 10:00 UTC);
        let titles = [
            "Tag der offenen Tür", // the word only in the description
            "Schule und Medien",   // first word of the title
            "Die digitale Schule", // stemmed "die digital schul": at character 13
            "Schule im Wandel",    // first word again: after the first by id
            "Lesen in der Schule", // stemmed "les in der schul": at character 12
        ];
        for (i, t) in titles.iter().enumerate() {
            let mut e = event(t, EventState::Published, day);
            if i == 0 {
                e.description = "Ein Blick in die Schule".into();
            }
            db.create_event(None, None, &e, "", false).await.unwrap();
        }
        let terms = Terms::of("Schulen").unwrap();
        let counts = db.search_counts(&terms).await.unwrap();
        assert_eq!(counts[2], (Kind::Events, 5));
        let mut pages = Vec::new();
        for page in 1..=3 {
            let hits = db.search_page(Kind::Events, &terms, page, 2).await.unwrap();
            assert_eq!(hits.len(), if page == 3 { 1 } else { 2 }, "page {page}");
            pages.extend(hits.into_iter().map(|h| h.title));
        }
        assert_eq!(
            pages,
            [
                "Schule und Medien",
                "Schule im Wandel",
                "Lesen in der Schule",
                "Die digitale Schule",
                "Tag der offenen Tür"
            ]
        );
        assert!(
            db.search_page(Kind::Events, &terms, 4, 2)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

db_test!(
    events_saved_before_the_search_column_are_filled_when_migrating,
    |db| async move {
        let day = datetime!(2026-09-19 10:00 UTC);
        let (id, _) = db
            .create_event(
                None,
                None,
                &event("Digitale Schule", EventState::Published, day),
                "",
                false,
            )
            .await
            .unwrap();
        db.add_session(
            None,
            id,
            &session("Medien in der Schule", day, None, None),
            "",
        )
        .await
        .unwrap();
        // As a database from before migration 0038 holds them: no search text.
        store::on_db!(&db, p => {
            sqlx::query("UPDATE programme_events SET search_text = ''").execute(p).await.unwrap();
            sqlx::query("UPDATE programme_sessions SET search_text = ''").execute(p).await.unwrap();
        });
        let terms = Terms::of("Schule").unwrap();
        assert!(
            db.search_counts(&terms)
                .await
                .unwrap()
                .iter()
                .all(|(_, n)| *n == 0)
        );
        db.migrate().await.unwrap();
        assert_eq!(
            found(&db, Kind::Events, "Schule").await,
            ["Digitale Schule"]
        );
        assert_eq!(
            found(&db, Kind::Sessions, "Schule").await,
            ["Medien in der Schule"]
        );
        assert_eq!(
            found(&db, Kind::Sessions, "Muster").await,
            ["Medien in der Schule"],
            "with its people"
        );
    }
);
