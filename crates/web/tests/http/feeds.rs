//! The Atom feed and the CSV and JSON exports.
use super::*;

db_test!(feed_and_exports, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/feeds/updates.atom").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
    );
    assert!(count(&r.body, "<entry>") > 5);
    assert!(r.body.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://radar.example/massnahmen/"
    ));
    let csv = get(&app, "/export/strategie.csv").await;
    assert!(csv.body.starts_with("\u{feff}external_id;slug;title"));
    let (_, parsed) = domain::import::parse(csv.body.as_bytes()).unwrap();
    assert_eq!(parsed.measures.len(), 70);
    let json_export = json(&get(&app, "/export/strategie.json").await);
    assert_eq!(json_export["measures"].as_array().unwrap().len(), 70);
});
