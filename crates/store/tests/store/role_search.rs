//! Volunteering roles in the one search over everything: an open role of an approved provider is
//! found by the words of its title, description, when, requirements, district and provider's name
//! and names its provider; a draft, a closed role and a role of a provider not approved are not;
//! a changed role and a renamed provider are found by their new words only; roles saved before
//! the search column are filled when migrating. On both engines.

use super::*;
use domain::offers::ProviderInput;
use domain::offers::geo::Point;
use domain::offers::volunteering::{RoleInput, RoleState};
use domain::search::Kind;
use store::search::Terms;

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Wir vermitteln Ehrenämter.".into(),
        email: "info@freiwillig.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

fn role(title: &str, description: &str, state: RoleState) -> RoleInput {
    RoleInput {
        title: title.into(),
        description: description.into(),
        when: "wöchentlich zwei Stunden".into(),
        needed: 3,
        requirements: "Geduld und Führungszeugnis".into(),
        district_id: None,
        state,
    }
}

async fn found(db: &Db, q: &str) -> Vec<String> {
    let terms = Terms::of(q).unwrap();
    db.search_page(Kind::Roles, &terms, 1, 20)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect()
}

async fn count(db: &Db, q: &str) -> i64 {
    let counts = db.search_counts(&Terms::of(q).unwrap()).await.unwrap();
    counts
        .into_iter()
        .find(|(k, _)| *k == Kind::Roles)
        .map(|(_, n)| n)
        .unwrap()
}

db_test!(
    an_open_role_of_an_approved_provider_is_found_by_its_words_and_nothing_else,
    |db| async move {
        let admin = db
            .create_user(
                "admin@teststadt.example",
                "Admin",
                &[domain::accounts::Role::Admin],
            )
            .await
            .unwrap();
        let north = db
            .save_district(
                Some(admin),
                "Nordstadt",
                Point::new(50.9, 10.1).unwrap(),
                false,
            )
            .await
            .unwrap();
        let (agency, _) = db
            .create_provider(None, &provider("Freiwilligenagentur"), "", true, false)
            .await
            .unwrap();
        let (pending, _) = db
            .create_provider(None, &provider("Lesepaten e. V."), "", false, false)
            .await
            .unwrap();
        let mut open = role(
            "Lesepate in der Bibliothek",
            "Sie lesen **Kindern** am Nachmittag vor.",
            RoleState::Open,
        );
        open.district_id = Some(north);
        let (open_id, open_slug) = db
            .create_role(None, agency, &open, "", false)
            .await
            .unwrap();
        db.create_role(
            None,
            agency,
            &role(
                "Lesepate im Entwurf",
                "Noch nicht fertig.",
                RoleState::Draft,
            ),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_role(
            None,
            agency,
            &role(
                "Lesepate gesucht, besetzt",
                "Schon vergeben.",
                RoleState::Closed,
            ),
            "",
            false,
        )
        .await
        .unwrap();
        db.create_role(
            None,
            pending,
            &role("Lesepate beim Verein", "Kindern vorlesen.", RoleState::Open),
            "",
            false,
        )
        .await
        .unwrap();

        // A word of the title (stemmed: "Lesepaten" finds "Lesepate"), of the description, of
        // when, of the requirements, of the district and of the provider's name.
        for q in [
            "Lesepaten",
            "Kinder",
            "wöchentlich",
            "Führungszeugnis",
            "Nordstadt",
            "Freiwilligenagentur",
        ] {
            assert_eq!(found(&db, q).await, ["Lesepate in der Bibliothek"], "{q}");
        }
        assert_eq!(count(&db, "Lesepate").await, 1);
        // The hit names its provider and links by slug; the excerpt is the description's start.
        let terms = Terms::of("Lesepate").unwrap();
        let hits = db.search_page(Kind::Roles, &terms, 1, 20).await.unwrap();
        assert_eq!(
            (hits[0].id, hits[0].slug.as_str(), hits[0].parent.as_str()),
            (open_id, open_slug.as_str(), "Freiwilligenagentur")
        );
        assert!(hits[0].text.starts_with("Sie lesen"));
        // Draft, closed and the pending provider's role are not found by their own words.
        for q in ["Entwurf", "besetzt", "Verein"] {
            assert!(found(&db, q).await.is_empty(), "{q}");
        }

        // A changed role is found by its new word, no longer by the old.
        let mut renamed = open.clone();
        renamed.title = "Vorleserin im Stadtteilzentrum".into();
        assert!(db.update_role(agency, open_id, &renamed, "").await.unwrap());
        assert_eq!(
            found(&db, "Stadtteilzentrum").await,
            ["Vorleserin im Stadtteilzentrum"]
        );
        assert!(found(&db, "Bibliothek").await.is_empty());
        // Closing it takes it out of the search.
        let mut closed = renamed.clone();
        closed.state = RoleState::Closed;
        assert!(db.update_role(agency, open_id, &closed, "").await.unwrap());
        assert_eq!(count(&db, "Stadtteilzentrum").await, 0);
        assert!(db.update_role(agency, open_id, &renamed, "").await.unwrap());

        // A renamed provider: its role follows the new name.
        let mut p = provider("Ehrenamtsbörse");
        p.description = "Wir vermitteln Ehrenämter.".into();
        assert!(db.update_provider(admin, agency, &p, "").await.unwrap());
        assert_eq!(
            found(&db, "Ehrenamtsbörse").await,
            ["Vorleserin im Stadtteilzentrum"]
        );
        assert!(found(&db, "Freiwilligenagentur").await.is_empty());
        let hits = db
            .search_page(Kind::Roles, &Terms::of("Vorleserin").unwrap(), 1, 20)
            .await
            .unwrap();
        assert_eq!(hits[0].parent, "Ehrenamtsbörse");

        // Approving the other provider makes its open role public, and only that one.
        assert!(db.decide_provider(admin, pending, true, "").await.unwrap());
        assert_eq!(found(&db, "Verein").await, ["Lesepate beim Verein"]);
        assert!(found(&db, "Entwurf").await.is_empty());
    }
);

db_test!(
    roles_saved_before_the_search_column_are_filled_when_migrating,
    |db| async move {
        let (agency, _) = db
            .create_provider(None, &provider("Freiwilligenagentur"), "", true, false)
            .await
            .unwrap();
        db.create_role(
            None,
            agency,
            &role(
                "Lesepate in der Bibliothek",
                "Kindern vorlesen.",
                RoleState::Open,
            ),
            "",
            false,
        )
        .await
        .unwrap();
        // As a database from before migration 0042 holds them: no search text.
        store::on_db!(&db, p => {
            sqlx::query("UPDATE volunteer_roles SET search_text = ''").execute(p).await.unwrap();
        });
        assert_eq!(count(&db, "Bibliothek").await, 0);
        db.migrate().await.unwrap();
        assert_eq!(
            found(&db, "Bibliothek").await,
            ["Lesepate in der Bibliothek"]
        );
        assert_eq!(
            found(&db, "Freiwilligenagentur Führungszeugnis").await,
            ["Lesepate in der Bibliothek"],
            "with its provider's name and requirements"
        );
    }
);
