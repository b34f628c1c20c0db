//! One search over everything, through the router: `/suche` groups what a word finds by kind
//! with counts, filters by kind, pages one kind, names a bad parameter (400), speaks English, is
//! cached and follows writes of every kind; `/api/v1/search` answers the same as JSON.
//! Volunteering roles: grouped, linked to `/ehrenamt/{slug}` with their provider, paged on their
//! own, dropped from the cache by a role's write, in the API with their page's address only.

use super::*;
use domain::accounts::Role;
use domain::offers::geo::Point;
use domain::offers::volunteering::{RoleInput, RoleState};
use domain::programme::EventState;
use store::offers::OfferParts;

/// A published event with a session, an approved provider with a published offer, a pending
/// provider with one, and a shown idea, each holding the word "Zauberwort"; the demo strategy's
/// measures do not.
async fn things(db: &Db) {
    let (event, _) = db
        .create_event(
            None,
            None,
            &programme::event("Zauberwort im Rathaus", EventState::Published, None),
            "",
            false,
        )
        .await
        .unwrap();
    db.add_session(
        None,
        event,
        &programme::session("Das Zauberwort erklärt", 9, "de"),
        "",
    )
    .await
    .unwrap();
    let cat = db.offer_categories().await.unwrap()[0].id;
    let at = Point::new(50.93, 10.10).unwrap();
    let schedules = [offers::tuesdays()];
    let parts = OfferParts {
        schedules: &schedules,
        ..OfferParts::default()
    };
    let (approved, _) = db
        .create_provider(
            None,
            &offers::provider("Zauberwort-Werkstatt"),
            "",
            true,
            false,
        )
        .await
        .unwrap();
    db.create_offer(
        None,
        approved,
        &offers::offer("Zauberwort für Kinder", cat, at),
        &parts,
        false,
    )
    .await
    .unwrap();
    let (pending, _) = db
        .create_provider(
            None,
            &offers::provider("Zauberwort-Verein"),
            "",
            false,
            false,
        )
        .await
        .unwrap();
    db.create_offer(
        None,
        pending,
        &offers::offer("Geheimes Zauberwort", cat, at),
        &parts,
        false,
    )
    .await
    .unwrap();
    let author = db
        .create_user("idee@musterstadt.example", "Ida", &[Role::Citizen])
        .await
        .unwrap();
    let field = db.idea_fields().await.unwrap()[0].0;
    let proposal = domain::ideas::check_proposal(
        Some(field),
        "Ein Zauberwort für das Bürgerbüro",
        "Eine ausführliche Beschreibung der Idee für die Stadt.",
        "Weil es hilft.",
        "",
    )
    .unwrap();
    db.propose_idea(&store::ideas::NewIdea {
        proposal: &proposal,
        author_id: author,
        description_html: "<p>Beschreibung</p>",
        limits: &[],
        created_at: None,
        hold: false,
    })
    .await
    .unwrap()
    .unwrap();
}

db_test!(
    the_search_groups_what_a_word_finds_by_kind_with_counts,
    |db| async move {
        let app = app(&db).await;
        things(&db).await;
        // An empty query shows the form only.
        let r = get(&app, "/suche").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("role=\"search\""));
        assert!(
            r.body
                .contains("<label for=\"search-q\">Suchbegriff</label>")
        );
        assert!(!r.body.contains("<h2 id=\"search-"));
        assert!(
            !r.body.contains("id=\"site-q\""),
            "no second field in the header here"
        );

        let r = get(&app, "/suche?q=Zauberwort").await;
        assert_eq!(r.status, StatusCode::OK);
        let b = &r.body;
        assert!(b.contains("5 Ergebnisse gefunden."), "{b}");
        for (id, heading) in [
            ("ideas", "Ideen (1)"),
            ("events", "Veranstaltungen (1)"),
            ("sessions", "Programmpunkte (1)"),
            ("offers", "Angebote (1)"),
            ("providers", "Anbieter (1)"),
        ] {
            assert!(
                b.contains(&format!("<h2 id=\"search-{id}\">{heading}</h2>")),
                "{heading}"
            );
        }
        // No group for a kind without results, but its filter link with its count.
        assert!(!b.contains("id=\"search-measures\""));
        assert!(b.contains(">Maßnahmen (0)</a>"));
        assert!(b.contains("href=\"/veranstaltungen/zauberwort-im-rathaus\""));
        assert!(b.contains(
            "href=\"/veranstaltungen/zauberwort-im-rathaus/sessions/das-zauberwort-erklaert\""
        ));
        assert!(b.contains(">Zauberwort für Kinder</a> · Zauberwort-Werkstatt"));
        assert!(b.contains("href=\"/ideen/"));
        // Nothing of the pending provider; excerpts without Markdown.
        assert!(!b.contains("Geheimes Zauberwort") && !b.contains("Zauberwort-Verein"));
        assert!(b.contains("<p class=\"excerpt\">Ein Tag voller Sessions</p>"));

        // One kind: only its group, marked in the filter.
        let r = get(&app, "/suche?q=Zauberwort&kind=offers").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body
                .contains("<h2 id=\"search-offers\">Angebote (1)</h2>")
        );
        assert!(!r.body.contains("<h2 id=\"search-events\""));
        assert!(r.body.contains("aria-current=\"page\">Angebote (1)</a>"));
        assert!(r.body.contains("name=\"kind\" value=\"offers\""));

        // English.
        let r = get(&app, "/suche?q=Zauberwort&lang=en").await;
        assert!(
            r.body
                .contains("<h2 id=\"search-sessions\">Sessions (1)</h2>")
        );
        assert!(r.body.contains("5 results found."));
    }
);

db_test!(
    the_search_pages_one_kind_and_follows_writes_of_every_kind,
    |db| async move {
        let app = app(&db).await;
        // The demo strategy: more than a page of measures say "digital".
        let v = json(&get(&app, "/api/v1/search?q=digital").await);
        let n = v["counts"]["measures"].as_i64().unwrap();
        assert!(n > 20, "{n} measures");
        let r = get(&app, "/suche?q=digital").await;
        assert!(r.body.contains(&format!("Alle {n} Maßnahmen anzeigen")));
        assert!(
            !r.body.contains("rel=\"next\""),
            "the overview has no pager"
        );
        let r = get(&app, "/suche?q=digital&kind=measures").await;
        assert!(
            r.body.contains("kind=measures&#38;page=2\" rel=\"next\""),
            "{}",
            r.body
        );
        assert!(!r.body.contains("rel=\"prev\""));
        let r = get(&app, "/suche?q=digital&kind=measures&page=2").await;
        assert!(r.body.contains("kind=measures\" rel=\"prev\""));
        assert_eq!(
            r.body.matches("<li><a href=\"/massnahmen/").count() as i64,
            (n - 20).min(20)
        );

        // Cached, then dropped by a write of another kind.
        let r = get(&app, "/suche?q=Zauberwort").await;
        assert!(r.body.contains("Nichts gefunden."));
        things(&db).await;
        let r = get(&app, "/suche?q=Zauberwort").await;
        assert!(r.body.contains("5 Ergebnisse gefunden."), "{}", r.body);
    }
);

db_test!(
    bad_search_parameters_are_named_and_answered_with_400,
    |db| async move {
        let app = app(&db).await;
        let long = "a".repeat(201);
        for (uri, field) in [
            ("/suche?q=digital&kind=dinge".to_string(), "kind"),
            ("/suche?q=digital&kind=measures&page=0".to_string(), "page"),
            (
                "/suche?q=digital&kind=measures&page=zwei".to_string(),
                "page",
            ),
            ("/suche?q=digital&page=2".to_string(), "page"),
            (format!("/suche?q={long}"), "q"),
        ] {
            let r = get(&app, &uri).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(r.body.contains(field), "{uri} names {field}");
            let api = get(&app, &uri.replace("/suche", "/api/v1/search")).await;
            assert_eq!(api.status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(json(&api)["errors"][0]["field"], field, "{uri}");
        }
        let r = get(&app, "/suche?q=digital&kind=dinge").await;
        assert!(r.body.contains(
            "Die Art muss measures, ideas, events, sessions, offers, roles oder providers sein."
        ));
        // The kinds are lower-case names: a near miss is still a 400 naming `kind`.
        let api = get(&app, "/api/v1/search?q=digital&kind=Roles").await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(json(&api)["errors"][0]["field"], "kind");
    }
);

db_test!(
    the_api_search_answers_grouped_with_counts_and_links,
    |db| async move {
        let app = app(&db).await;
        things(&db).await;
        let r = get(&app, "/api/v1/search?q=Zauberwort").await;
        assert_eq!(r.status, StatusCode::OK);
        let v = json(&r);
        assert_eq!(v["total"], 5);
        assert_eq!(v["counts"]["measures"], 0);
        assert_eq!(v["counts"]["offers"], 1);
        let kinds: Vec<&str> = v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["ideas", "events", "sessions", "offers", "providers"]
        );
        let session = &v["groups"][2]["items"][0];
        assert_eq!(session["title"], "Das Zauberwort erklärt");
        assert_eq!(
            session["url"],
            "https://radar.example/veranstaltungen/zauberwort-im-rathaus/sessions/das-zauberwort-erklaert"
        );
        assert_eq!(
            session["api_url"],
            "https://radar.example/api/v1/events/zauberwort-im-rathaus"
        );
        let v = json(&get(&app, "/api/v1/search?q=Zauberwort&kind=events").await);
        assert_eq!(v["kind"], "events");
        assert_eq!(v["groups"].as_array().unwrap().len(), 1);
        assert_eq!(v["groups"][0]["links"]["next"], serde_json::Value::Null);
        // An empty query finds nothing and counts nought.
        let v = json(&get(&app, "/api/v1/search").await);
        assert_eq!(
            (v["total"].as_i64(), v["groups"].as_array().map(Vec::len)),
            (Some(0), Some(0))
        );
    }
);

/// `n` open roles saying "Vorlesepate" of an approved provider, and a draft saying it; the
/// first role's id and slug.
async fn roles(db: &Db, n: usize) -> (i64, i64, String) {
    let (provider, _) = db
        .create_provider(
            None,
            &offers::provider("Lesenetz Musterstadt"),
            "",
            true,
            false,
        )
        .await
        .unwrap();
    let role = |title: &str, state| RoleInput {
        title: title.into(),
        description: "Sie lesen **Kindern** vor.".into(),
        when: "wöchentlich".into(),
        needed: 2,
        requirements: String::new(),
        district_id: None,
        state,
    };
    let mut first = None;
    for i in 0..n {
        let r = role(&format!("Vorlesepate Nummer {}", i + 1), RoleState::Open);
        let made = db.create_role(None, provider, &r, "", false).await.unwrap();
        first.get_or_insert(made);
    }
    db.create_role(
        None,
        provider,
        &role("Vorlesepate im Entwurf", RoleState::Draft),
        "",
        false,
    )
    .await
    .unwrap();
    let (id, slug) = first.unwrap();
    (provider, id, slug)
}

db_test!(
    volunteering_roles_are_found_linked_paged_and_followed,
    |db| async move {
        let app = app(&db).await;
        // Cached while nothing says the word; a role's write drops the search pages.
        let r = get(&app, "/suche?q=Vorlesepaten").await;
        assert!(r.body.contains("Nichts gefunden."));
        assert!(r.body.contains(">Ehrenamt (0)</a>"), "{}", r.body);
        let (provider, id, slug) = roles(&db, 21).await;

        let r = get(&app, "/suche?q=Vorlesepaten").await;
        assert_eq!(r.status, StatusCode::OK);
        let b = &r.body;
        assert!(b.contains("21 Ergebnisse gefunden."), "{b}");
        assert!(b.contains("<h2 id=\"search-roles\">Ehrenamt (21)</h2>"));
        assert!(b.contains(&format!(
            "<a href=\"/ehrenamt/{slug}\">Vorlesepate Nummer 1</a> · Lesenetz Musterstadt"
        )));
        assert!(b.contains("<p class=\"excerpt\">Sie lesen Kindern vor.</p>"));
        assert!(!b.contains("im Entwurf"));
        assert_eq!(b.matches("<li><a href=\"/ehrenamt/").count(), 20);
        assert!(b.contains("Alle 21 Ehrenämter anzeigen"));
        assert!(b.contains("kind=roles\">Alle 21"));

        // One kind: its group only, marked, paged.
        let r = get(&app, "/suche?q=Vorlesepaten&kind=roles").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("aria-current=\"page\">Ehrenamt (21)</a>"));
        assert!(r.body.contains("name=\"kind\" value=\"roles\""));
        assert!(
            r.body.contains("kind=roles&#38;page=2\" rel=\"next\""),
            "{}",
            r.body
        );
        let r = get(&app, "/suche?q=Vorlesepaten&kind=roles&page=2").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body.matches("<li><a href=\"/ehrenamt/").count(), 1);
        assert!(r.body.contains("kind=roles\" rel=\"prev\""));
        let r = get(&app, "/suche?q=Vorlesepaten&kind=measures").await;
        assert!(!r.body.contains("href=\"/ehrenamt/"));

        // English.
        let r = get(&app, "/suche?q=Vorlesepaten&lang=en").await;
        assert!(
            r.body
                .contains("<h2 id=\"search-roles\">Volunteering (21)</h2>")
        );
        assert!(r.body.contains("Show all 21 volunteering roles"));

        // The API: the page's address, no API answer (there is none for roles).
        let r = get(&app, "/api/v1/search?q=Vorlesepaten&kind=roles").await;
        assert_eq!(r.status, StatusCode::OK);
        let v = json(&r);
        assert_eq!(v["kind"], "roles");
        assert_eq!(v["counts"]["roles"], 21);
        let g = &v["groups"][0];
        assert_eq!(
            (g["kind"].as_str(), g["total"].as_i64()),
            (Some("roles"), Some(21))
        );
        let item = &g["items"][0];
        assert_eq!(item["id"], id);
        assert_eq!(item["title"], "Vorlesepate Nummer 1");
        assert_eq!(
            item["url"],
            format!("https://radar.example/ehrenamt/{slug}")
        );
        assert_eq!(item["api_url"], serde_json::Value::Null);
        assert_eq!(
            g["links"]["next"],
            "https://radar.example/api/v1/search?q=Vorlesepaten&kind=roles&page=2"
        );

        // A role's new title is found at once: the search pages were dropped.
        let r = get(&app, "/suche?q=Bilderbuchkino").await;
        assert!(r.body.contains("Nichts gefunden."));
        let role = db.role_by_id(id).await.unwrap().unwrap();
        let mut input = role.input.clone();
        input.title = "Bilderbuchkino im Stadtteil".into();
        assert!(db.update_role(provider, id, &input, "").await.unwrap());
        let r = get(&app, "/suche?q=Bilderbuchkino").await;
        assert!(
            r.body.contains("<h2 id=\"search-roles\">Ehrenamt (1)</h2>"),
            "{}",
            r.body
        );
        assert!(r.body.contains(&format!("href=\"/ehrenamt/{slug}\"")));
    }
);
