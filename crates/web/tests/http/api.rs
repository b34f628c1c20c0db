//! The JSON API: lists with filters and pages, one measure, the strategy tree, the OpenAPI document.
use super::*;

db_test!(api_lists_filters_and_paginates, |db| async move {
    let app = app(&db).await;
    let r = get(&app, "/api/v1/measures?per_page=10&page=2&sort=title").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = json(&r);
    assert_eq!(v["total"], 70);
    assert_eq!(v["page"], 2);
    assert_eq!(v["items"].as_array().unwrap().len(), 10);
    let first = &v["items"][0];
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("https://radar.example/massnahmen/")
    );
    assert!(
        first["api_url"]
            .as_str()
            .unwrap()
            .starts_with("https://radar.example/api/v1/measures/")
    );
    let v = json(&get(&app, "/api/v1/measures?q=Schulen&per_page=100").await);
    assert!(v["total"].as_i64().unwrap() >= 1);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !m["title"].as_str().unwrap().is_empty())
    );
    let v = json(&get(&app, "/api/v1/measures?status=dropped&field=bildung").await);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["status"] == "dropped" && m["field"]["slug"] == "bildung")
    );
});

db_test!(api_detail_and_strategy_tree, |db| async move {
    let app = app(&db).await;
    let list = json(&get(&app, "/api/v1/measures?per_page=1").await);
    let id = list["items"][0]["id"].as_i64().unwrap();
    let v = json(&get(&app, &format!("/api/v1/measures/{id}")).await);
    assert_eq!(v["measure"]["id"], id);
    assert!(v["departments"].is_array());
    let s = json(&get(&app, "/api/v1/strategy").await);
    assert_eq!(s["strategy"]["city"], "Musterstadt");
    assert_eq!(s["core_areas"].as_array().unwrap().len(), 3);
    let fields: usize = s["core_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fields"].as_array().unwrap().len())
        .sum();
    assert_eq!(fields, 9);
    let total: i64 = s["core_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["counts"]["total"].as_i64().unwrap())
        })
        .sum();
    assert_eq!(total, 70);
});
