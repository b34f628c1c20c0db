//! The public pages: radar, list, measure, field of action, timeline and statistics, in German
//! and (through the i18n layer) English.
use super::*;

db_test!(every_page_renders_in_german, |db| async move {
    let app = app(&db).await;
    for uri in [
        "/",
        "/radar",
        "/radar?rings=year",
        "/massnahmen",
        "/zeitleiste",
        "/statistik",
        "/handlungsfelder/bildung",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.body.contains("<html lang=\"de\">"), "{uri}");
        assert!(r.body.contains("Zum Inhalt springen"), "{uri}");
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{uri}"
        );
        assert!(
            !r.headers.contains_key(header::SET_COOKIE),
            "{uri} sets a cookie"
        );
        assert!(
            !r.body.contains("style=\""),
            "{uri} has an inline style the CSP would block"
        );
        assert!(!r.body.contains("<script"), "{uri} has a script");
    }
});

db_test!(radar_draws_one_linked_dot_per_measure, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar").await;
    let total = db.count_measures(&Default::default()).await.unwrap() as usize;
    assert_eq!(count(&r.body, "<a class=\"dot\""), total);
    assert_eq!(count(&r.body, "<tr><th scope=\"row\">"), total);
    assert!(
        r.body
            .contains("aria-label=\"PC-Treffs für Seniorinnen und Senioren – ")
    );
    // Nine fields of action, nine numbered sectors in the legend.
    assert_eq!(count(&r.body, "href=\"/handlungsfelder/"), 9);
    let done = get(&app, "/radar?status=done").await;
    let n_done = db
        .count_measures(&store::strategy::MeasureFilter {
            status: Some(domain::Status::Done),
            ..Default::default()
        })
        .await
        .unwrap() as usize;
    assert!(n_done > 0 && n_done < total);
    assert_eq!(count(&done.body, "<a class=\"dot\""), n_done);
    assert!(done.body.contains("<option value=\"done\" selected>"));
});

db_test!(filters_apply_on_submit_only, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar").await;
    assert!(
        r.body
            .contains("<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/radar\">")
    );
    assert!(
        r.body
            .contains("<button type=\"submit\">Filter anwenden</button>")
    );
    assert!(!r.body.contains("onchange"));
});

db_test!(list_paginates_and_searches_in_german, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/massnahmen").await;
    assert_eq!(count(&r.body, "class=\"measure-card\""), 25);
    assert!(r.body.contains("<nav class=\"pagination\""));
    assert!(r.body.contains("href=\"/massnahmen?page=2\" rel=\"next\""));
    let p3 = get(&app, "/massnahmen?page=3").await;
    assert_eq!(count(&p3.body, "class=\"measure-card\""), 70 - 50);
    let s = get(&app, "/massnahmen?q=Kitas").await;
    assert!(s.body.contains("Bildungsportal für Kitas"));
    assert!(s.body.contains("Ergebnisse für „Kitas“"));
    let none = get(&app, "/massnahmen?q=Quantencomputer").await;
    assert!(none.body.contains("Keine Maßnahme gefunden."));
});

db_test!(measure_page_shows_everything, |db| async move {
    let app = app(&db).await;
    let slug = db
        .measures(&Default::default(), store::strategy::Sort::Title, 1, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|m| m.external_id == "DG-01")
        .unwrap()
        .slug;
    let r = get(&app, &format!("/massnahmen/{slug}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<progress max=\"100\" value=\""));
    assert!(r.body.contains("Teilmaßnahmen"));
    assert!(r.body.contains("aus den Teilmaßnahmen berechnet"));
    assert!(r.body.contains("Eckdaten"));
    let with_reports = db.latest_reports(1).await.unwrap().remove(0);
    let r = get(&app, &format!("/massnahmen/{}", with_reports.measure_slug)).await;
    assert!(
        r.body
            .contains(&format!("id=\"bericht-{}\"", with_reports.id))
    );
});

db_test!(field_page_counts_measures_by_status, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/handlungsfelder/bildung").await;
    let re = r
        .body
        .split("<p class=\"lead\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap()
        .to_string();
    assert!(
        re.contains(" geplant, ")
            && re.contains(" in Umsetzung, ")
            && re.contains(" eingestellt von 9"),
        "{re}"
    );
    assert_eq!(
        get(&app, "/handlungsfelder/gibt-es-nicht").await.status,
        StatusCode::NOT_FOUND
    );
});

db_test!(english_through_the_i18n_layer, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/radar?lang=en").await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Apply filters"));
    assert!(r.body.contains("href=\"/massnahmen?lang=en\""));
    let r = get_with(&app, "/statistik", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(r.body.contains("Statistics"));
    let r = get_with(&app, "/statistik", &[("accept-language", "de-DE")]).await;
    assert!(r.body.contains("Statistik"));
});

db_test!(
    no_edition_marks_without_a_previous_edition,
    |db| async move {
        let csv = "external_id;title;core_area;field;status\nX-1;Neue Maßnahme;Verwaltung;Digitales;Geplant\n";
        let (_, doc) = domain::import::parse(csv.as_bytes()).unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.apply_import(&plan, false).await.unwrap();
        let app = web::router(
            web::AppState::new(db.clone(), "https://radar.example")
                .await
                .unwrap(),
        );
        let r = get(&app, "/radar").await;
        assert!(r.body.contains("class=\"m-unchanged\""));
        assert!(!r.body.contains("m-new"));
        assert!(!r.body.contains("Gegenüber Vorversion"));
        let v = json(&get(&app, "/api/v1/measures").await);
        assert!(v["items"][0]["edition_mark"].is_null());
        // With the demo strategy's two editions the marks are there.
        let demo = self::app(&db).await;
        assert!(get(&demo, "/radar").await.body.contains("m-new"));
    }
);
