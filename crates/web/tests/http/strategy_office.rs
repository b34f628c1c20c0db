//! The strategy back office: measures from draft to publication, the taxonomy, restricted editors
//! and the browser import — good and bad input, on both databases.

use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const NEW: &str = "/admin/massnahmen/neu";

async fn page(app: &axum::Router, uri: &str, cookie: &str) -> Res {
    get_with(app, uri, &[("cookie", cookie)]).await
}

fn field_id(body: &str, title: &str) -> String {
    // The option of the field-of-action menu with this title.
    let at = body.find(&format!(">{title}</option>")).unwrap();
    let before = &body[..at];
    let v = before.rfind("value=\"").unwrap() + 7;
    before[v..v + before[v..].find('"').unwrap()].to_string()
}

async fn multipart(app: &axum::Router, uri: &str, csrf: &str, file: &[u8], cookie: &str) -> Res {
    post_file(
        app,
        uri,
        cookie,
        csrf,
        ("file", "massnahmen.csv", "text/csv"),
        file,
    )
    .await
}

db_test!(
    a_draft_is_hidden_until_published_and_carries_every_field,
    |db| async move {
        let app = app(&db).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let form = page(&app, NEW, &editor).await;
        assert_eq!(form.status, StatusCode::OK);
        let bildung = field_id(&form.body, "Bildung");
        let fields = form_of(&form.body, NEW);
        let body = with_fields(
            &fields,
            &[
                ("title", "WLAN in allen Stadtteilbibliotheken"),
                ("external_id", "BI-99"),
                ("state", "draft"),
                ("field", &bildung),
                ("status", "in_progress"),
                ("progress", "40"),
                ("planned_start", "01.03.2026"),
                ("planned_end", "2027-06-30"),
                ("summary", "Freies WLAN für alle Lesenden."),
                ("departments", "Stadtbibliothek\nIT-Referat"),
                ("target_groups", "Seniorinnen und Senioren"),
                ("tags", "WLAN"),
                ("decision_number_0", "V-2026/123"),
                ("decision_date_0", "2026-02-11"),
                (
                    "decision_url_0",
                    "https://ris.musterstadt.example/V-2026-123",
                ),
                ("kpi_name_0", "Bibliotheken mit WLAN"),
                ("kpi_unit_0", "Standorte"),
                ("kpi_current_0", "3"),
                ("kpi_target_0", "12"),
                ("milestone_title_0", "Ausschreibung vergeben"),
                ("milestone_date_0", "2026-05-01"),
                ("milestone_reached_0", "on"),
            ],
        );
        let r = post(&app, NEW, &body, Some(&editor)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let preview = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(preview.ends_with("/vorschau"), "{preview}");
        let id: i64 = preview.split('/').nth(3).unwrap().parse().unwrap();
        // Not public: not by its address, not in the list, the API, the radar or the counts.
        let slug = "wlan-in-allen-stadtteilbibliotheken";
        assert_eq!(
            get(&app, &format!("/massnahmen/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, &format!("/api/v1/measures/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        for uri in [
            "/massnahmen?q=Stadtteilbibliotheken",
            "/radar",
            "/export/strategie.csv",
        ] {
            let r = get(&app, uri).await;
            assert!(
                !r.body.contains("wlan-in-allen-stadtteilbibliotheken")
                    && !r.body.contains("BI-99"),
                "{uri} shows the draft"
            );
        }
        let ids = |v: serde_json::Value| -> Vec<String> {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["external_id"].as_str().unwrap().to_string())
                .collect()
        };
        let api = json(&get(&app, "/api/v1/measures?q=Stadtteilbibliotheken").await);
        assert!(!ids(api).contains(&"BI-99".to_string()));
        // The preview shows it, with every field, to the editor only.
        let shown = page(&app, &preview, &editor).await;
        assert_eq!(shown.status, StatusCode::OK);
        for part in [
            "Vorschau: Diese Maßnahme ist „Entwurf“",
            "Stadtbibliothek",
            "Seniorinnen und Senioren",
            "V-2026/123",
            "Bibliotheken mit WLAN",
            "Ausschreibung vergeben",
            "01.03.2026",
        ] {
            assert!(shown.body.contains(part), "{part}");
        }
        assert_eq!(
            get(&app, &preview).await.status,
            StatusCode::SEE_OTHER,
            "anonymous readers are sent to the login"
        );
        // Publish: the address and the lists show it now.
        let edit = page(&app, &format!("/admin/massnahmen/{id}"), &editor).await;
        let fields = form_of(&edit.body, &format!("/admin/massnahmen/{id}"));
        assert!(
            fields
                .iter()
                .any(|(k, v)| k == "kpi_name_0" && v == "Bibliotheken mit WLAN")
        );
        let r = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &with_fields(&fields, &[("state", "published")]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.headers[header::LOCATION], format!("/massnahmen/{slug}"));
        let public = get(&app, &format!("/massnahmen/{slug}")).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("Bibliotheken mit WLAN"));
        assert!(public.body.contains("Veröffentlichung: Veröffentlicht"));
        assert!(public.body.contains("Maßnahme angelegt"));
        assert!(
            !public.body.contains("status-"),
            "no untranslated key in the history"
        );
        let api = json(&get(&app, "/api/v1/measures?q=Stadtteilbibliotheken").await);
        assert!(ids(api).contains(&"BI-99".to_string()));
        // Archive: gone from the public again, kept in the back office.
        let edit = page(&app, &format!("/admin/massnahmen/{id}"), &editor).await;
        let fields = form_of(&edit.body, &format!("/admin/massnahmen/{id}"));
        let r = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &with_fields(&fields, &[("state", "archived")]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&app, &format!("/massnahmen/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        // Saving the form unchanged writes nothing: no new version, no empty history entry.
        let (version, _) = db.measure_version(id).await.unwrap().unwrap();
        let edit = page(&app, &format!("/admin/massnahmen/{id}"), &editor).await;
        let fields = form_of(&edit.body, &format!("/admin/massnahmen/{id}"));
        let r = post(
            &app,
            &format!("/admin/massnahmen/{id}"),
            &with_fields(&fields, &[]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(db.measure_version(id).await.unwrap().unwrap().0, version);
        // The back office finds it by a word of its title (stemmed, as the public search does).
        let found = page(&app, "/admin/massnahmen?q=Stadtteilbibliothek", &editor).await;
        assert!(found.body.contains("WLAN in allen Stadtteilbibliotheken"));
        assert!(found.body.contains("value=\"Stadtteilbibliothek\""));
        let long = format!("/admin/massnahmen?q={}", "x".repeat(201));
        assert_eq!(
            page(&app, &long, &editor).await.status,
            StatusCode::BAD_REQUEST
        );
        let list = page(&app, "/admin/massnahmen?state=archived", &editor).await;
        assert!(list.body.contains("WLAN in allen Stadtteilbibliotheken"));
        assert!(list.body.contains("1 Maßnahme"));
        let (log, _) = db
            .audit_entries(Some("measure.create"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        let (log, _) = db
            .audit_entries(Some("measure.update"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 2);
    }
);

db_test!(
    bad_measure_input_is_named_and_changes_nothing,
    |db| async move {
        let app = app(&db).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let before = db.count_measures(&Default::default()).await.unwrap();
        let (_, drafts_before) = db.admin_measures(None, None, None, 1, 0).await.unwrap();
        let form = page(&app, NEW, &editor).await;
        let fields = form_of(&form.body, NEW);
        let r = post(
            &app,
            NEW,
            &with_fields(
                &fields,
                &[
                    ("title", "Neue Maßnahme"),
                    ("planned_start", "31.02.2026"),
                    ("planned_end", "2026-01-01"),
                    ("target_year", "1999"),
                    ("progress", "abc"),
                    ("decision_url_0", "javascript:alert(1)"),
                    ("decision_number_0", "V-1"),
                    ("kpi_current_1", "12"),
                    ("kpi_target_0", "viele"),
                    ("kpi_name_0", "Zahl"),
                    ("milestone_date_0", "2026-01-01"),
                    ("focus_area", "999999"),
                    ("field", "999999"),
                    ("status", "fertig"),
                    ("state", "public"),
                ],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for m in [
            "„31.02.2026“ ist kein Datum",
            "„1999“ ist kein Zieljahr",
            "ganze Zahl von 0 bis 100",
            "„javascript:alert(1)“ ist keine Webadresse",
            "Eine Kennzahl braucht einen Namen",
            "„viele“ ist keine Zahl",
            "Ein Meilenstein braucht einen Titel",
            "Diesen Handlungsschwerpunkt gibt es nicht",
            "Bitte wählen Sie ein Handlungsfeld",
            "Bitte wählen Sie einen Status",
            "Entwurf, veröffentlicht oder archiviert",
        ] {
            assert!(r.body.contains(m), "missing message: {m}");
        }
        assert!(
            r.body.contains("value=\"31.02.2026\""),
            "what was typed stays in the form"
        );
        // Start after end; focus area of another field; external id taken.
        let bildung = field_id(&form.body, "Bildung");
        let r = post(
            &app,
            NEW,
            &with_fields(
                &fields,
                &[
                    ("title", "Neue Maßnahme"),
                    ("field", &bildung),
                    ("planned_start", "2026-05-01"),
                    ("planned_end", "2026-01-01"),
                ],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Das geplante Ende liegt vor dem geplanten Beginn")
        );
        let r = post(
            &app,
            NEW,
            &with_fields(
                &fields,
                &[
                    ("title", "Neue Maßnahme"),
                    ("field", &bildung),
                    ("external_id", "DG-01"),
                ],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body
                .contains("Die Kennung „DG-01“ hat schon eine andere Maßnahme")
        );
        // A measure cannot become its own grandparent.
        let parent = db
            .measure_id_by_slug("digitale-verwaltungsleistungen")
            .await
            .unwrap()
            .unwrap();
        let detail = db.measure_detail(parent).await.unwrap().unwrap();
        let child = detail.children.first().expect("DG-01 has sub-measures").id;
        let edit = page(&app, &format!("/admin/massnahmen/{parent}"), &editor).await;
        let f = form_of(&edit.body, &format!("/admin/massnahmen/{parent}"));
        let r = post(
            &app,
            &format!("/admin/massnahmen/{parent}"),
            &with_fields(&f, &[("parent", &child.to_string())]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("nicht Teil von sich selbst"));
        assert_eq!(
            db.measure_version(parent)
                .await
                .unwrap()
                .unwrap()
                .1
                .parent_id,
            None
        );
        assert_eq!(
            db.count_measures(&Default::default()).await.unwrap(),
            before
        );
        assert_eq!(
            db.admin_measures(None, None, None, 1, 0).await.unwrap().1,
            drafts_before
        );
        // Without a token nothing is created either.
        let r = post(
            &app,
            NEW,
            &with_fields(
                &fields,
                &[("csrf", "falsch"), ("title", "X"), ("field", &bildung)],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            db.admin_measures(None, None, None, 1, 0).await.unwrap().1,
            drafts_before
        );
    }
);

db_test!(
    a_restricted_editor_changes_only_their_fields_of_action,
    |db| async move {
        let app = app(&db).await;
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let editor = signed_in(&app, &db, "schule@musterstadt.example", &[Role::Editor]).await;
        let person = db
            .user_by_email("schule@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        let tax = db.taxonomy().await.unwrap();
        let bildung = tax.field_by_slug("bildung").unwrap().id;
        // The admin ticks "Bildung" for this editor; a forged field id is refused.
        let fields_page = page(&app, &format!("/admin/benutzer/{}", person.id), &admin).await;
        assert_eq!(fields_page.status, StatusCode::OK);
        let csrf = super::accounts::csrf_of(&fields_page.body);
        let action = format!("/admin/benutzer/{}/handlungsfelder", person.id);
        let r = post(
            &app,
            &action,
            &format!("csrf={csrf}&field=999999"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(db.editor_fields(person.id).await.unwrap().is_empty());
        let r = post(
            &app,
            &action,
            &format!("csrf={csrf}&field={bildung}"),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Die Handlungsfelder sind gespeichert"));
        assert_eq!(db.editor_fields(person.id).await.unwrap(), vec![bildung]);
        let (log, _) = db
            .audit_entries(Some("user.editor_fields"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        // Their own field: yes. Another field, the strategy, the import: no.
        let school = db
            .measure_id_by_slug("glasfaser-wlan-schulen")
            .await
            .unwrap()
            .unwrap();
        let other = db
            .measure_id_by_slug("digitale-verwaltungsleistungen")
            .await
            .unwrap()
            .unwrap();
        let own = page(&app, &format!("/admin/massnahmen/{school}"), &editor).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains(">Digital Government</option>"),
            "only their fields are offered"
        );
        for uri in [
            format!("/admin/massnahmen/{other}"),
            format!("/admin/massnahmen/{other}/vorschau"),
            "/admin/strategie".to_string(),
            "/admin/import".to_string(),
        ] {
            assert_eq!(
                page(&app, &uri, &editor).await.status,
                StatusCode::FORBIDDEN,
                "{uri}"
            );
        }
        // Moving their measure into a field of action that is not theirs is refused.
        let f = form_of(&own.body, &format!("/admin/massnahmen/{school}"));
        let dg = tax
            .field_by_slug("digital-government")
            .unwrap()
            .id
            .to_string();
        let r = post(
            &app,
            &format!("/admin/massnahmen/{school}"),
            &with_fields(&f, &[("field", &dg)]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("nur Maßnahmen der Ihnen zugewiesenen Handlungsfelder")
        );
        assert_eq!(
            db.measure_version(school)
                .await
                .unwrap()
                .unwrap()
                .1
                .field_id,
            bildung
        );
        // A forged post to another field's measure changes nothing.
        let other_form = page(&app, &format!("/admin/massnahmen/{other}"), &admin).await;
        let f = form_of(&other_form.body, &format!("/admin/massnahmen/{other}"));
        let mut f: Vec<(String, String)> = f.into_iter().filter(|(k, _)| k != "csrf").collect();
        f.push(("csrf".into(), super::accounts::csrf_of(&own.body)));
        let r = post(
            &app,
            &format!("/admin/massnahmen/{other}"),
            &with_fields(&f, &[("title", "Übernommen")]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_ne!(
            db.measure_version(other).await.unwrap().unwrap().1.title,
            "Übernommen"
        );
        let r = post(
            &app,
            &format!("/admin/massnahmen/{school}"),
            &with_fields(
                &form_of(&own.body, &format!("/admin/massnahmen/{school}")),
                &[("goals", "Neue Ziele")],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            db.measure_version(school).await.unwrap().unwrap().1.goals,
            "Neue Ziele"
        );
    }
);

db_test!(
    the_taxonomy_is_created_reordered_and_archived,
    |db| async move {
        let app = app(&db).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let strategy = page(&app, "/admin/strategie", &editor).await;
        assert_eq!(strategy.status, StatusCode::OK);
        let csrf = super::accounts::csrf_of(&strategy.body);
        // The strategy: the city's name shows in every page's header.
        let f = form_of(&strategy.body, "/admin/strategie");
        let r = post(
            &app,
            "/admin/strategie",
            &with_fields(&f, &[("target_year", "1800")]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("„1800“ ist kein Zieljahr"));
        let r = post(
            &app,
            "/admin/strategie",
            &with_fields(&f, &[("city", "Beispielstadt")]),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Die Strategie ist gespeichert"));
        assert!(get(&app, "/").await.body.contains("Beispielstadt · "));
        // A core area: bad colour, weak contrast, then right.
        let form = page(&app, "/admin/strategie/kernbereich/neu", &editor).await;
        let f = form_of(&form.body, "/admin/strategie/kernbereich/neu");
        let post_new = |changes: Vec<(&'static str, &'static str)>| {
            let body = with_fields(&f, &changes);
            let app = app.clone();
            let editor = editor.clone();
            async move {
                post(
                    &app,
                    "/admin/strategie/kernbereich/neu",
                    &body,
                    Some(&editor),
                )
                .await
            }
        };
        let r = post_new(vec![("title", "Smarte Region"), ("colour", "blau")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("„blau“ ist keine Farbe"));
        let r = post_new(vec![("title", "Smarte Region"), ("colour", "#ffff00")]).await;
        assert!(r.body.contains("Kontrast zu Weiß"), "{}", r.body);
        let r = post_new(vec![
            ("title", "Smarte Region"),
            ("slug", "verwaltung"),
            ("colour", "#5c5c00"),
        ])
        .await;
        assert!(
            r.body
                .contains("Die Adresse „verwaltung“ ist schon vergeben")
        );
        let r = post_new(vec![("title", "Smarte Region"), ("colour", "#5c5c00")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let tax = db.taxonomy().await.unwrap();
        let region = tax
            .core_areas
            .iter()
            .find(|c| c.slug == "smarte-region")
            .unwrap()
            .id;
        // A field of action in it, then reorder: it moves up past "Infrastruktur und Umwelt".
        let form = page(&app, "/admin/strategie/handlungsfeld/neu", &editor).await;
        let f = form_of(&form.body, "/admin/strategie/handlungsfeld/neu");
        let r = post(
            &app,
            "/admin/strategie/handlungsfeld/neu",
            &with_fields(
                &f,
                &[
                    ("title", "Digitale Dörfer"),
                    ("parent", &region.to_string()),
                ],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let order = |t: &store::strategy::Taxonomy| {
            t.core_areas
                .iter()
                .map(|c| c.slug.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            order(&db.taxonomy().await.unwrap()).last().unwrap(),
            "smarte-region"
        );
        let r = post(
            &app,
            &format!("/admin/strategie/kernbereich/{region}/verschieben"),
            &format!("csrf={csrf}&direction=up"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let now = order(&db.taxonomy().await.unwrap());
        assert_eq!(now[now.len() - 2], "smarte-region");
        assert!(get(&app, "/radar").await.body.contains("Digitale Dörfer"));
        // Archiving: refused while something below is in use, then done, then restored.
        let r = post(
            &app,
            &format!("/admin/strategie/kernbereich/{region}/archivieren"),
            &format!("csrf={csrf}&archived=true"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body
                .contains("noch 1 Handlungsfeld, das nicht archiviert ist")
        );
        let bildung = db
            .taxonomy()
            .await
            .unwrap()
            .field_by_slug("bildung")
            .unwrap()
            .id;
        let r = post(
            &app,
            &format!("/admin/strategie/handlungsfeld/{bildung}/archivieren"),
            &format!("csrf={csrf}&archived=true"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("nicht archiviert"));
        let doerfer = db
            .taxonomy()
            .await
            .unwrap()
            .field_by_slug("digitale-doerfer")
            .unwrap()
            .id;
        for (kind, id) in [("handlungsfeld", doerfer), ("kernbereich", region)] {
            let r = post(
                &app,
                &format!("/admin/strategie/{kind}/{id}/archivieren"),
                &format!("csrf={csrf}&archived=true"),
                Some(&editor),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}");
        }
        assert!(!get(&app, "/radar").await.body.contains("Digitale Dörfer"));
        // Nothing published may land in an archived field: not from the form, not by import.
        let form = page(&app, NEW, &editor).await;
        let r = post(
            &app,
            NEW,
            &with_fields(
                &form_of(&form.body, NEW),
                &[
                    ("title", "Dorf-WLAN"),
                    ("field", &doerfer.to_string()),
                    ("state", "published"),
                ],
            ),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Dieses Handlungsfeld ist archiviert"));
        let csv = "external_id;title;field;status\nDORF-1;Dorf-WLAN;digitale-doerfer;Geplant\n";
        let import = page(&app, "/admin/import", &editor).await;
        let r = multipart(
            &app,
            "/admin/import",
            &super::accounts::csrf_of(&import.body),
            csv.as_bytes(),
            &editor,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("is archived"), "{}", r.body);
        assert_eq!(db.measure_id_by_slug("dorf-wlan").await.unwrap(), None);
        assert_eq!(
            get(&app, "/handlungsfelder/digitale-doerfer").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            page(&app, "/admin/strategie", &editor)
                .await
                .body
                .contains("Digitale Dörfer <span class=\"meta\">(Archiviert)</span>")
        );
        let r = post(
            &app,
            &format!("/admin/strategie/kernbereich/{region}/archivieren"),
            &format!("csrf={csrf}&archived=false"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            db.taxonomy()
                .await
                .unwrap()
                .core_areas
                .iter()
                .any(|c| c.id == region)
        );
        // Unknown kinds and ids are 404; a bad direction is a 400 naming the field.
        assert_eq!(
            page(&app, "/admin/strategie/ebene/1", &editor).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            page(&app, "/admin/strategie/kernbereich/999999", &editor)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = post(
            &app,
            &format!("/admin/strategie/kernbereich/{region}/verschieben"),
            &format!("csrf={csrf}&direction=sideways"),
            Some(&editor),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let (log, _) = db
            .audit_entries(Some("core_area.archive"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        let (log, _) = db
            .audit_entries(Some("core_area.move"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
    }
);

const CSV: &str = "external_id;title;field;status;progress\n\
DG-01;Digitale Verwaltungsleistungen nach dem Onlinezugangsgesetz;digital-government;Abgeschlossen;100\n\
NEU-1;Offenes WLAN am Marktplatz;infrastruktur;Geplant;\n";

db_test!(an_import_is_previewed_then_applied_once, |db| async move {
    let app = app(&db).await;
    let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
    let form = page(&app, "/admin/import", &editor).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = super::accounts::csrf_of(&form.body);
    let before = db.count_measures(&Default::default()).await.unwrap();
    // Errors: listed by line and column, nothing stored.
    let bad = "external_id;title;field;status;progress\nX-1;Titel;bildung;fertig;140\n";
    let r = multipart(&app, "/admin/import", &csrf, bad.as_bytes(), &editor).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Die Datei enthält 2 Fehler; es wurde nichts übernommen."),
        "{}",
        r.body
    );
    assert!(r.body.contains("<td>2</td><td>status</td>"));
    // A wrong token stores nothing.
    let r = multipart(&app, "/admin/import", "falsch", CSV.as_bytes(), &editor).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Too large.
    let huge = vec![b'x'; web::admin::MAX_UPLOAD + 10];
    let r = multipart(&app, "/admin/import", &csrf, &huge, &editor).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Die Datei ist zu groß: höchstens 5 MB."));
    // Empty file.
    let r = multipart(&app, "/admin/import", &csrf, b"", &editor).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Bitte wählen Sie eine Datei aus."));
    assert_eq!(
        db.count_measures(&Default::default()).await.unwrap(),
        before
    );
    // A good file: the preview names what would change, and nothing has changed yet.
    let r = multipart(&app, "/admin/import", &csrf, CSV.as_bytes(), &editor).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let preview = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let shown = page(&app, &preview, &editor).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.body.contains("1 neu, 1 geändert, 0 unverändert."),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Offenes WLAN am Marktplatz"));
    assert_eq!(
        db.count_measures(&Default::default()).await.unwrap(),
        before
    );
    // Someone else's upload is not theirs to see.
    let other = signed_in(&app, &db, "zweite@musterstadt.example", &[Role::Editor]).await;
    assert_eq!(
        page(&app, &preview, &other).await.status,
        StatusCode::NOT_FOUND
    );
    // Apply: once.
    let r = post(&app, &preview, &format!("csrf={csrf}"), Some(&editor)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("Import übernommen: 1 neu, 1 geändert, 0 unverändert.")
    );
    assert_eq!(
        db.count_measures(&Default::default()).await.unwrap(),
        before + 1
    );
    let r = post(&app, &preview, &format!("csrf={csrf}"), Some(&editor)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("bereits übernommen"));
    assert_eq!(
        db.count_measures(&Default::default()).await.unwrap(),
        before + 1
    );
    let (log, _) = db.audit_entries(Some("import.apply"), 10, 0).await.unwrap();
    assert_eq!(log.len(), 1);
    assert!(
        log[0]
            .after_value
            .as_deref()
            .unwrap_or("")
            .contains("\"created\":1")
    );
    let public = get(&app, "/massnahmen/offenes-wlan-am-marktplatz").await;
    assert_eq!(public.status, StatusCode::OK);
});
