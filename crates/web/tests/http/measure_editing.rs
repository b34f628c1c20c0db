//! Editing a measure in the back office: validation, the public page after saving, conflicts.

use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

/// The edit form as the browser sends it, with status, progress and title changed.
fn form(page: &str, id: i64, status: &str, progress: &str, title: &str) -> String {
    with_fields(
        &form_of(page, &format!("/admin/massnahmen/{id}")),
        &[
            ("status", status),
            ("progress", progress),
            ("title", title),
            ("summary", "Kurz"),
            ("description", "Neu"),
            ("goals", "Ziel"),
        ],
    )
}

db_test!(
    an_editor_changes_a_status_and_the_public_page_shows_it,
    |db| async move {
        let app = app(&db).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let id = db
            .measure_id_by_slug("digitaltag-musterstadt")
            .await
            .unwrap()
            .unwrap();
        let before = get(&app, "/massnahmen/digitaltag-musterstadt").await;
        assert!(before.body.contains("In Umsetzung"));
        let page = get_with(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &[("cookie", &editor)],
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        // Bad input: every problem named, nothing saved.
        let bad = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &form(&page.body, id, "fertig", "140", ""),
            Some(&editor),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for m in [
            "Der Titel darf nicht leer",
            "Bitte wählen Sie einen Status",
            "ganze Zahl von 0 bis 100",
        ] {
            assert!(bad.body.contains(m), "{m}");
        }
        let ok = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &form(&page.body, id, "done", "100", "Digitaltag Musterstadt"),
            Some(&editor),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(
            ok.headers[header::LOCATION],
            "/massnahmen/digitaltag-musterstadt"
        );
        // The public (cached) page shows the new status, a dated report and the change history.
        let after = get(&app, "/massnahmen/digitaltag-musterstadt").await;
        assert!(
            after
                .body
                .contains("<span class=\"status s-done\">Abgeschlossen</span>")
        );
        assert!(
            after
                .body
                .contains("Status: In Umsetzung → Abgeschlossen; Fortschritt:")
        );
        assert!(after.body.contains("Änderungsverlauf"));
        assert!(
            after.body.contains("(von Amtsleitung)"),
            "the editor's display name, never the address"
        );
        assert!(!after.body.contains("redaktion@musterstadt.example"));
        // A second editor who started from the old version gets a conflict, not an overwrite.
        let late = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &form(&page.body, id, "dropped", "10", "Digitaltag alt"),
            Some(&editor),
        )
        .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert!(late.body.contains("Gespeicherte Fassung") && late.body.contains("Ihre Fassung"));
        assert!(
            late.body.contains("Digitaltag alt"),
            "their text is kept in the form"
        );
        assert_eq!(
            db.measure_version(id).await.unwrap().unwrap().1.status,
            "done"
        );
        let (log, _) = db
            .audit_entries(Some("measure.update"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
    }
);
