//! Offers as Open Referral HSDS 3.0: the services and organizations have the fields HSDS
//! requires, stable UUIDs and the numbers of the `Page` object; nothing of a pending provider
//! or a draft is in them; unknown ids are 404 problems, malformed ones 400.

use super::super::*;
use super::{assert_problem, city};

/// `id` with its last 12 hexadecimal digits (the row's number) replaced by `n`'s.
fn with_number(id: &str, n: i64) -> String {
    format!("{}{:012x}", &id[..24], n)
}

db_test!(
    hsds_services_and_organizations_have_the_required_fields_and_stable_ids,
    |db| async move {
        let app = app(&db).await;
        let (lib, pending, hidden, _) = city(&db).await;
        let root = json(&get(&app, "/api/hsds").await);
        assert_eq!(root["version"], "3.0");
        // The Page object's numbers.
        let first = json(&get(&app, "/api/hsds/services?per_page=1").await);
        assert_eq!(first["total_items"], 2);
        assert_eq!(first["total_pages"], 2);
        assert_eq!(first["page_number"], 1);
        assert_eq!(first["size"], 1);
        assert_eq!(
            (
                first["first_page"].as_bool(),
                first["last_page"].as_bool(),
                first["empty"].as_bool()
            ),
            (Some(true), Some(false), Some(false))
        );
        let last = json(&get(&app, "/api/hsds/services?per_page=1&page=2").await);
        assert_eq!(
            (last["first_page"].as_bool(), last["last_page"].as_bool()),
            (Some(false), Some(true))
        );
        let beyond = json(&get(&app, "/api/hsds/services?per_page=1&page=3").await);
        assert_eq!(
            (beyond["size"].as_i64(), beyond["empty"].as_bool()),
            (Some(0), Some(true))
        );
        let all = json(&get(&app, "/api/hsds/services").await);
        let item = &all["contents"][0];
        for key in [
            "id",
            "name",
            "status",
            "organization_id",
            "description",
            "url",
        ] {
            assert!(item[key].is_string(), "{key}: {item}");
        }
        assert_eq!(item["status"], "active");
        let id = item["id"].as_str().unwrap().to_string();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8", "a version-8 UUID");
        // The full service, the same twice.
        let url = format!("/api/hsds/services/{id}");
        let service = json(&get(&app, &url).await);
        assert_eq!(service, json(&get(&app, &url).await), "ids are stable");
        assert_eq!(service["id"], id);
        assert_eq!(service["name"], "IT-Café in der Bibliothek");
        let org = &service["organization"];
        assert_eq!(org["name"], "Stadtbibliothek");
        assert!(org["id"].is_string() && org["description"].is_string());
        let s = &service["schedules"][0];
        assert_eq!(
            (
                s["freq"].as_str(),
                s["byday"].as_str(),
                s["interval"].as_i64()
            ),
            (Some("WEEKLY"), Some("TU"), Some(1))
        );
        assert!(s["opens_at"].as_str().unwrap().starts_with("14:00+0"));
        assert!(
            s["notes"]
                .as_str()
                .unwrap()
                .contains("RRULE:FREQ=WEEKLY;BYDAY=TU")
        );
        assert!(
            s["notes"]
                .as_str()
                .unwrap()
                .contains("EXDATE;TZID=Europe/Berlin:")
        );
        assert!(s["id"].is_string() && s["valid_from"].is_string() && s.get("valid_to").is_none());
        let location = &service["service_at_locations"][0]["location"];
        assert_eq!(location["location_type"], "physical");
        let address = &location["addresses"][0];
        for key in [
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ] {
            assert!(address[key].is_string(), "{key}: {address}");
        }
        assert_eq!(
            (address["postal_code"].as_str(), address["country"].as_str()),
            (Some("36251"), Some("DE"))
        );
        assert_eq!(location["accessibility"][0]["details"], "hearing_loop");
        assert_eq!(service["languages"][1]["code"], "tr");
        assert_eq!(service["cost_options"][0]["amount"], 0.0);
        let term = &service["attributes"][0]["taxonomy_term"];
        assert!(
            term["id"].is_string() && term["name"].is_string() && term["description"].is_string()
        );
        assert_eq!(
            service["attributes"].as_array().unwrap().len(),
            2,
            "the category and the target group"
        );
        assert!(service.get("minimum_age").is_none(), "no null in HSDS");
        let kurs = json(
            &get(
                &app,
                &format!(
                    "/api/hsds/services/{}",
                    all["contents"][1]["id"].as_str().unwrap()
                ),
            )
            .await,
        );
        assert_eq!(
            (
                kurs["minimum_age"].as_i64(),
                kurs["cost_options"][0]["amount"].as_f64()
            ),
            (Some(18), Some(15.0))
        );
        // Organizations.
        let orgs = json(&get(&app, "/api/hsds/organizations").await);
        assert_eq!(
            (orgs["total_items"].as_i64(), orgs["total_pages"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(orgs["contents"][0]["id"], org["id"]);
        let org_id = org["id"].as_str().unwrap();
        let full = json(&get(&app, &format!("/api/hsds/organizations/{org_id}")).await);
        assert_eq!(
            full["services"].as_array().unwrap().len(),
            2,
            "not the draft"
        );
        assert_eq!(full["phones"][0]["number"], "+49 36251 1234");
        assert_eq!(org_id, with_number(org_id, lib));
        // Nothing of the pending provider; unknown ids are 404 problems, bad ones 400.
        assert_problem(
            &get(
                &app,
                &format!("/api/hsds/organizations/{}", with_number(org_id, pending)),
            )
            .await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_problem(
            &get(
                &app,
                &format!("/api/hsds/services/{}", with_number(&id, hidden)),
            )
            .await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_problem(
            &get(&app, &format!("/api/hsds/services/{org_id}")).await,
            StatusCode::NOT_FOUND,
            None,
        );
        assert_problem(
            &get(&app, "/api/hsds/services/42").await,
            StatusCode::BAD_REQUEST,
            Some("id"),
        );
        assert_problem(
            &get(&app, "/api/hsds/services?category=nein").await,
            StatusCode::BAD_REQUEST,
            Some("category"),
        );
    }
);
