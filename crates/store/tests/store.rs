//! Storage tests: every body runs on SQLite and, with STADTRADAR_TEST_PG_URL, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: a failed set-up is a failed test

use domain::Status;
use domain::import::{parse, validate};
use store::strategy::{MeasureFilter, Sort};
use store::{Db, db_test};

const FIXTURE: &str = include_str!("fixture.json");

#[path = "store/comments.rs"]
mod comments;
#[path = "store/ideas.rs"]
mod ideas;
#[path = "store/newsletter.rs"]
mod newsletter;
#[path = "store/notifications.rs"]
mod notifications;
#[path = "store/offer_requests.rs"]
mod offer_requests;
#[path = "store/offers.rs"]
mod offers;
#[path = "store/offers_bulk.rs"]
mod offers_bulk;
#[path = "store/offers_near.rs"]
mod offers_near;
#[path = "store/participation.rs"]
mod participation;
#[path = "store/programme.rs"]
mod programme;
#[path = "store/provider_logos.rs"]
mod provider_logos;
#[path = "store/questions.rs"]
mod questions;
#[path = "store/registrations.rs"]
mod registrations;
#[path = "store/role_search.rs"]
mod role_search;
#[path = "store/search.rs"]
mod search;
#[path = "store/volunteering.rs"]
mod volunteering;
#[path = "store/writer.rs"]
mod writer;

async fn load(db: &Db, bytes: &[u8]) -> store::import::ImportSummary {
    let (_, doc) = parse(bytes).unwrap();
    let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap()
}

fn titles(items: &[store::strategy::MeasureCard]) -> Vec<&str> {
    items.iter().map(|m| m.title.as_str()).collect()
}

#[test]
fn both_migration_folders_hold_the_same_versions() {
    let names = |dir: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

db_test!(import_creates_the_whole_tree, |db| async move {
    let s = load(&db, FIXTURE.as_bytes()).await;
    assert_eq!((s.created, s.updated, s.unchanged), (6, 0, 0));
    assert_eq!(s.core_areas_created, 2);
    let strategy = db.strategy().await.unwrap().unwrap();
    assert_eq!(strategy.city, "Teststadt");
    assert!(strategy.vision_html.contains("<strong>digitale</strong>"));
    let tax = db.taxonomy().await.unwrap();
    assert_eq!(
        tax.fields
            .iter()
            .map(|f| f.slug.as_str())
            .collect::<Vec<_>>(),
        ["digital-government", "bildung", "gemeinschaft"]
    );
    assert_eq!(db.editions().await.unwrap().len(), 2);
    assert!(db.topic_head(store::events::CACHE_TOPIC).await.unwrap() >= 1);
});

db_test!(
    reimport_updates_in_place_and_skips_unchanged,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let changed = FIXTURE.replace("\"progress\": 40", "\"progress\": 55");
        let s = load(&db, changed.as_bytes()).await;
        assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 5));
        let id = db
            .measure_id_by_slug("online-antraege")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            db.measure_detail(id).await.unwrap().unwrap().card.progress,
            55
        );
    }
);

db_test!(dry_run_reports_but_changes_nothing, |db| async move {
    let (_, doc) = parse(FIXTURE.as_bytes()).unwrap();
    let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
    let before = db.topic_head(store::events::CACHE_TOPIC).await.unwrap();
    let s = db.apply_import(&plan, true).await.unwrap();
    assert_eq!(s.created, 6);
    assert!(db.strategy().await.unwrap().is_none());
    assert_eq!(
        db.count_measures(&MeasureFilter::default()).await.unwrap(),
        0
    );
    assert_eq!(
        db.topic_head(store::events::CACHE_TOPIC).await.unwrap(),
        before
    );
});

db_test!(progress_rolls_up_from_weighted_children, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let id = db
        .measure_id_by_slug("bildungsportal-fuer-kitas")
        .await
        .unwrap()
        .unwrap();
    let d = db.measure_detail(id).await.unwrap().unwrap();
    // (3 × 20 + 1 × 100) / 4 = 40
    assert_eq!(d.card.progress, 40);
    assert_eq!(d.children.len(), 2);
    assert_eq!(d.measure.progress_entered, None);
});

db_test!(measure_detail_carries_everything, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let id = db
        .measure_id_by_slug("online-antraege")
        .await
        .unwrap()
        .unwrap();
    let d = db.measure_detail(id).await.unwrap().unwrap();
    assert_eq!(d.card.status(), Status::InProgress);
    assert_eq!(d.card.previous_status(), Some(Status::Planned));
    assert_eq!(d.departments[0].name, "IT-Referat");
    assert_eq!(d.decisions[0].number, "20-26 / V 02000");
    assert_eq!(d.kpis[0].target_value, Some(575.0));
    assert!(d.milestones[0].reached);
    assert_eq!(d.reports[0].year, 2023);
    assert_eq!(d.focus_area.unwrap().slug, "online-dienste");
    assert!(db.measure_detail(999_999).await.unwrap().is_none());
});

db_test!(filters_sorting_and_pagination, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let all = MeasureFilter::default();
    let p = db.measures(&all, Sort::Title, 1, 4).await.unwrap();
    assert_eq!(p.total, 6);
    assert_eq!(
        titles(&p.items),
        [
            "Bildungsportal für Kitas",
            "Online-Anträge",
            "PC-Treffs für Seniorinnen und Senioren",
            "Portal bauen"
        ]
    );
    let p2 = db.measures(&all, Sort::Title, 2, 4).await.unwrap();
    assert_eq!(
        titles(&p2.items),
        ["Träger gewinnen", "WLAN für alle Schulen"]
    );
    let beyond = db.measures(&all, Sort::Title, 9, 4).await.unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 6);
    let f = MeasureFilter {
        field: Some("bildung".into()),
        status: Some(Status::Done),
        ..Default::default()
    };
    assert_eq!(
        titles(&db.measures(&f, Sort::Title, 1, 10).await.unwrap().items),
        ["Träger gewinnen", "WLAN für alle Schulen"]
    );
    let f = MeasureFilter {
        department: Some("it-referat".into()),
        ..Default::default()
    };
    assert_eq!(db.count_measures(&f).await.unwrap(), 2);
    let f = MeasureFilter {
        target_group: Some("seniorinnen-und-senioren".into()),
        ..Default::default()
    };
    assert_eq!(
        titles(&db.measures(&f, Sort::Title, 1, 10).await.unwrap().items),
        ["PC-Treffs für Seniorinnen und Senioren"]
    );
    let f = MeasureFilter {
        core_area: Some("verwaltung".into()),
        ..Default::default()
    };
    assert_eq!(db.count_measures(&f).await.unwrap(), 1);
    let f = MeasureFilter {
        year: Some(2027),
        ..Default::default()
    };
    assert_eq!(db.count_measures(&f).await.unwrap(), 1);
    let p = db.measures(&all, Sort::ProgressDesc, 1, 2).await.unwrap();
    assert_eq!(p.items[0].progress, 100);
    assert_eq!(db.all_measures(&all).await.unwrap().len(), 6);
});

db_test!(german_search_stems_plurals, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let search = |q: &str| MeasureFilter {
        q: Some(q.into()),
        ..Default::default()
    };
    let p = db
        .measures(&search("Schulen"), Sort::Relevance, 1, 10)
        .await
        .unwrap();
    assert_eq!(titles(&p.items), ["WLAN für alle Schulen"]);
    assert_eq!(p.total, 1);
    let p = db
        .measures(&search("kitas"), Sort::Relevance, 1, 10)
        .await
        .unwrap();
    assert_eq!(titles(&p.items), ["Bildungsportal für Kitas"]);
    let p = db
        .measures(&search("Kita Angebote"), Sort::Relevance, 1, 10)
        .await
        .unwrap();
    assert_eq!(p.total, 1);
    let p = db
        .measures(&search("Senior"), Sort::Relevance, 1, 10)
        .await
        .unwrap();
    assert_eq!(p.total, 1);
    // Punctuation and quotes cannot break the query syntax.
    let p = db
        .measures(&search("\"WLAN\" OR * -"), Sort::Relevance, 1, 10)
        .await
        .unwrap();
    assert_eq!(p.total, 0);
    let p = db
        .measures(&search("  ;; "), Sort::Title, 1, 10)
        .await
        .unwrap();
    assert_eq!(p.total, 6);
    let f = MeasureFilter {
        q: Some("Schule".into()),
        field: Some("digital-government".into()),
        ..Default::default()
    };
    assert_eq!(db.count_measures(&f).await.unwrap(), 0);
    assert_eq!(db.all_measures(&search("schule")).await.unwrap().len(), 1);
});

/// Measures whose texts a spreadsheet would run as formulas, added to the fixture's fields.
const FORMULA_TEXTS: &str = r#"{ "format": "stadtradar-strategy", "version": 1, "measures": [
  { "external_id": "=X-1", "slug": "formel-1", "title": "=HYPERLINK(\"http://x\",\"y\")",
    "summary": "@SUM(A1)", "description": "-5 % Kosten\n\n=1+1", "goals": "+49 89 123",
    "field": "bildung", "status": "planned", "progress": 10,
    "departments": ["=Amt", "Kämmerei"], "tags": ["-minus", "@at"] },
  { "external_id": "X-2", "slug": "formel-2", "title": "'=schon zitiert", "summary": "''@zweimal",
    "description": "'s Rathaus", "field": "bildung", "status": "planned", "progress": 0,
    "target_groups": ["+Plus"], "decisions": [ { "number": "-1/2024", "date": "2024-01-31", "url": null } ] }
] }"#;

db_test!(export_import_export_is_identical, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    load(&db, FORMULA_TEXTS.as_bytes()).await;
    let first = db.export_document().await.unwrap();
    let json = serde_json::to_vec_pretty(&first).unwrap();
    let csv = domain::import::to_csv(&first).unwrap();
    let other = store::testing::sqlite().await;
    load(&other, &json).await;
    let second = other.export_document().await.unwrap();
    assert_eq!(serde_json::to_vec_pretty(&second).unwrap(), json);
    assert_eq!(domain::import::to_csv(&second).unwrap(), csv);
    // The CSV alone also round-trips through an empty database.
    let third_db = store::testing::sqlite().await;
    load(&third_db, &csv).await;
    let third = third_db.export_document().await.unwrap();
    assert_eq!(domain::import::to_csv(&third).unwrap(), csv);
    // No cell of the export starts like a formula; the texts came back unchanged.
    let text = String::from_utf8(csv.clone()).unwrap();
    for cell in [
        "\n'=X-1;",
        "'=HYPERLINK(",
        ";'@SUM(A1);",
        "\"'-5 % Kosten",
        ";'+49 89 123;",
        ";''=schon zitiert;",
        ";'''@zweimal;",
        ";'=Amt|Kämmerei;",
        ";'-minus|@at;",
        ";'+Plus;",
        ";'-1/2024;",
    ] {
        assert!(text.contains(cell), "{cell} missing in {text}");
    }
    let texts = |d: &domain::import::Document, id: &str| {
        d.measures
            .iter()
            .find(|m| m.external_id == id)
            .map(|m| (m.title.clone(), m.summary.clone(), m.departments.clone()))
    };
    assert_eq!(
        texts(&third, "=X-1"),
        Some((
            "=HYPERLINK(\"http://x\",\"y\")".into(),
            "@SUM(A1)".into(),
            vec!["=Amt".into(), "Kämmerei".into()]
        ))
    );
    assert_eq!(
        texts(&third, "X-2").map(|t| (t.0, t.1)),
        Some(("'=schon zitiert".into(), "''@zweimal".into()))
    );
});

db_test!(latest_reports_and_counts, |db| async move {
    load(&db, FIXTURE.as_bytes()).await;
    let r = db.latest_reports(10).await.unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].measure_title, "WLAN für alle Schulen");
    let counts = db.status_counts().await.unwrap();
    assert_eq!(counts.iter().map(|c| c.2).sum::<i64>(), 6);
    let (departments, groups, years) = db.facets().await.unwrap();
    assert_eq!(departments.len(), 3);
    assert_eq!(groups.len(), 3);
    assert!(years.contains(&2027));
});

mod mail {
    use super::*;
    use store::mail::{Outgoing, SECRET_PLACEHOLDER};
    use time::{Duration, OffsetDateTime};

    fn message(i: usize) -> Outgoing {
        Outgoing {
            to: format!("person{i}@musterstadt.example"),
            subject: format!("Nachricht {i}"),
            text: "Grüße aus dem Rathaus".into(),
            html: None,
            secret: None,
            one_click_unsubscribe: false,
            calendar: None,
        }
    }

    db_test!(
        each_message_is_leased_retried_with_backoff_and_sent_once,
        |db| async move {
            let id = db.enqueue_mail(&message(1)).await.unwrap();
            let now = OffsetDateTime::now_utc();
            let lease = now + Duration::minutes(2);
            let first = db.claim_mail("a", now, lease, 10).await.unwrap();
            assert_eq!(first.len(), 1);
            assert_eq!((first[0].id, first[0].attempts), (id, 1));
            assert!(
                db.claim_mail("b", now, lease, 10).await.unwrap().is_empty(),
                "a leased message is not handed out twice"
            );
            assert!(
                db.mail_failed(
                    id,
                    "a",
                    "connection refused",
                    1,
                    now + Duration::seconds(30)
                )
                .await
                .unwrap()
            );
            assert!(
                db.claim_mail("b", now + Duration::seconds(10), lease, 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let second = db
                .claim_mail("c", now + Duration::seconds(31), lease, 10)
                .await
                .unwrap();
            assert_eq!(second[0].attempts, 2);
            assert!(db.mail_sent(id, "c", now).await.unwrap());
            assert!(
                db.claim_mail("d", now + Duration::days(1), now + Duration::days(2), 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let stats = db.mail_stats().await.unwrap();
            assert_eq!((stats.queued, stats.sent, stats.failed), (0, 1, 0));
        }
    );

    db_test!(
        only_the_holder_of_a_lease_marks_a_message,
        |db| async move {
            let id = db.enqueue_mail(&message(1)).await.unwrap();
            let now = OffsetDateTime::now_utc();
            // Worker A's lease runs out (it stalled); worker B takes the message over.
            let a = db
                .claim_mail("A", now, now + Duration::seconds(1), 10)
                .await
                .unwrap();
            assert_eq!(a.len(), 1);
            let later = now + Duration::seconds(5);
            let b = db
                .claim_mail("B", later, later + Duration::minutes(2), 10)
                .await
                .unwrap();
            assert_eq!(b.len(), 1);
            // A can neither renew, nor mark the message sent or failed.
            assert!(
                db.renew_mail_lease("A", later + Duration::minutes(2), None, later)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert!(!db.mail_sent(id, "A", later).await.unwrap());
            assert!(!db.mail_failed(id, "A", "late", 1, later).await.unwrap());
            assert_eq!(db.mail_stats().await.unwrap().queued, 1);
            // B can.
            assert_eq!(
                db.renew_mail_lease("B", later + Duration::minutes(2), None, later)
                    .await
                    .unwrap(),
                vec![id]
            );
            assert!(db.mail_sent(id, "B", later).await.unwrap());
            assert!(!db.mail_sent(id, "B", later).await.unwrap(), "sent once");
            assert_eq!(db.mail_stats().await.unwrap().sent, 1);
        }
    );

    db_test!(
        a_crash_mid_delivery_sends_list_mail_at_most_once_and_personal_mail_again,
        |db| async move {
            let personal = db.enqueue_mail(&message(1)).await.unwrap();
            let list = db
                .enqueue_mail(&Outgoing {
                    secret: Some(
                        "https://musterstadt.example/newsletter/abbestellen?token=x".into(),
                    ),
                    one_click_unsubscribe: true,
                    ..message(2)
                })
                .await
                .unwrap();
            let untouched = db.enqueue_mail(&message(3)).await.unwrap();
            let now = OffsetDateTime::now_utc();
            let lease = now + Duration::minutes(2);
            let batch = db.claim_mail("A", now, lease, 10).await.unwrap();
            assert_eq!(batch.len(), 3);
            // Worker A hands both to the server and dies before it hears back; the third
            // message of its batch it never began.
            for id in [personal, list] {
                let held = db
                    .renew_mail_lease("A", lease, Some(id), now)
                    .await
                    .unwrap();
                assert!(held.contains(&id));
            }
            // While the lease runs, nobody touches them.
            assert!(
                db.claim_mail("B", now + Duration::seconds(60), lease, 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            // After it: the personal mail and the one never begun go out again; the list mail is
            // given up (it may have arrived), its link forgotten.
            let later = lease + Duration::seconds(1);
            let again = db
                .claim_mail("B", later, later + Duration::minutes(2), 10)
                .await
                .unwrap();
            let ids: Vec<i64> = again.iter().map(|m| m.id).collect();
            assert_eq!(ids, vec![personal, untouched]);
            let (state, error, secret): (String, Option<String>, Option<String>) = store::on_db!(&db, p => sqlx::query_as(
                "SELECT state, last_error, secret FROM mail_queue WHERE id = $1"
            ).bind(list).fetch_one(p).await.unwrap());
            assert_eq!(state, "failed");
            assert_eq!(error.as_deref(), Some(store::mail::INTERRUPTED));
            assert_eq!(secret, None);
            // A failed attempt that the server answered clears the mark: it is simply retried.
            assert!(
                db.mail_failed(personal, "B", "421 try later", 2, later)
                    .await
                    .unwrap()
            );
            let retry = db
                .claim_mail(
                    "C",
                    later + Duration::minutes(1),
                    later + Duration::minutes(5),
                    10,
                )
                .await
                .unwrap();
            assert_eq!(
                retry.iter().map(|m| m.id).collect::<Vec<_>>(),
                vec![personal]
            );
            let stats = db.mail_stats().await.unwrap();
            assert_eq!((stats.queued, stats.sent, stats.failed), (2, 0, 1));
        }
    );

    db_test!(renewing_keeps_a_long_batch_leased, |db| async move {
        for i in 0..3 {
            db.enqueue_mail(&message(i)).await.unwrap();
        }
        let now = OffsetDateTime::now_utc();
        let batch = db
            .claim_mail("A", now, now + Duration::minutes(2), 10)
            .await
            .unwrap();
        assert_eq!(batch.len(), 3);
        // Sending takes long: before each message the rest of the batch is leased anew.
        let mut t = now;
        for m in &batch {
            t += Duration::seconds(100);
            let held = db
                .renew_mail_lease("A", t + Duration::minutes(2), Some(m.id), t)
                .await
                .unwrap();
            assert!(held.contains(&m.id), "message {} lost at {t}", m.id);
            assert!(
                db.claim_mail("B", t, t + Duration::minutes(2), 10)
                    .await
                    .unwrap()
                    .is_empty(),
                "another worker took a message of a renewed batch"
            );
            assert!(db.mail_sent(m.id, "A", t).await.unwrap());
        }
        assert_eq!(db.mail_stats().await.unwrap().sent, 3);
    });

    db_test!(
        a_one_time_link_is_kept_only_until_the_message_is_sent_or_given_up,
        |db| async move {
            let link = "https://radar.example/konto/bestaetigen?token=geheim-0123456789";
            let with_link = |i: usize| Outgoing {
                text: format!("Bitte bestätigen: {SECRET_PLACEHOLDER}"),
                html: Some(format!(
                    "<a href=\"{SECRET_PLACEHOLDER}\">{SECRET_PLACEHOLDER}</a>"
                )),
                secret: Some(format!("{link}&n={i}")),
                one_click_unsubscribe: false,
                calendar: None,
                ..message(i)
            };
            let sent = db.enqueue_mail(&with_link(1)).await.unwrap();
            let given_up = db.enqueue_mail(&with_link(2)).await.unwrap();
            let now = OffsetDateTime::now_utc();
            let batch = db
                .claim_mail("A", now, now + Duration::minutes(2), 10)
                .await
                .unwrap();
            // The sender gets the link and puts it in place of the placeholder.
            let (text, html) = batch[0].bodies(|s| s.replace('&', "&amp;"));
            assert_eq!(text, format!("Bitte bestätigen: {link}&n=1"));
            assert!(html.unwrap().contains(&format!("{link}&amp;n=1")));
            assert!(db.mail_sent(sent, "A", now).await.unwrap());
            assert!(
                db.mail_failed(given_up, "A", "550", domain::mail::MAX_ATTEMPTS, now)
                    .await
                    .unwrap()
            );
            // No column of the queue holds the token any more.
            type Row = (
                String,
                String,
                Option<String>,
                Option<String>,
                Option<String>,
            );
            let rows: Vec<Row> = store::on_db!(&db, p =>
                sqlx::query_as("SELECT to_address, body_text, body_html, secret, last_error FROM mail_queue")
                    .fetch_all(p).await.unwrap());
            assert_eq!(rows.len(), 2);
            for row in rows {
                let all = format!("{row:?}");
                assert!(!all.contains("geheim"), "the token is still stored: {all}");
            }
        }
    );

    /// Workers on two handles of one database (as two instances have), each with several
    /// connections, claim at the same time: no message goes to two of them.
    async fn no_message_twice(a: Db, b: Db) {
        for i in 0..60 {
            a.enqueue_mail(&message(i)).await.unwrap();
        }
        let now = OffsetDateTime::now_utc();
        let mut workers = Vec::new();
        for w in 0..6 {
            let db = if w % 2 == 0 { a.clone() } else { b.clone() };
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let batch = db
                        .claim_mail(&format!("w{w}"), now, now + Duration::minutes(2), 3)
                        .await
                        .unwrap();
                    if batch.is_empty() {
                        break mine;
                    }
                    mine.extend(batch.into_iter().map(|m| m.id));
                    tokio::task::yield_now().await;
                }
            }));
        }
        let mut all = Vec::new();
        for w in workers {
            all.extend(w.await.unwrap());
        }
        all.sort();
        let n = all.len();
        all.dedup();
        assert_eq!((n, all.len()), (60, 60));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_workers_never_share_a_message_sqlite() {
        let (a, path) = store::testing::sqlite_file(None).await;
        let (b, _) = store::testing::sqlite_file(Some(&path)).await;
        no_message_twice(a, b).await;
        store::testing::remove_sqlite_file(&path);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_workers_never_share_a_message_postgres() {
        let Some((a, b)) = store::testing::postgres_pair("store_mail_concurrent_workers").await
        else {
            return;
        };
        no_message_twice(a, b).await;
    }
}

mod accounts {
    use super::*;
    use domain::accounts::Role;
    use store::accounts::{TokenProblem, TokenPurpose};
    use time::{Duration, OffsetDateTime};

    db_test!(users_roles_tokens_and_sessions, |db| async move {
        let id = db
            .create_user(
                "anna@musterstadt.example",
                "Anna",
                &[Role::Admin, Role::Citizen],
            )
            .await
            .unwrap();
        assert!(
            db.create_user("anna@musterstadt.example", "Doppelt", &[])
                .await
                .is_err(),
            "e-mail is unique"
        );
        assert_eq!(
            db.roles_of(id).await.unwrap(),
            vec![Role::Admin, Role::Citizen]
        );
        db.set_roles(None, id, &[Role::Editor], &[Role::Citizen])
            .await
            .unwrap();
        assert_eq!(
            db.roles_of(id).await.unwrap(),
            vec![Role::Admin, Role::Editor]
        );
        let now = OffsetDateTime::now_utc();
        db.create_token(
            id,
            TokenPurpose::SetPassword,
            "t1",
            now + Duration::hours(1),
        )
        .await
        .unwrap();
        db.create_token(
            id,
            TokenPurpose::SetPassword,
            "old",
            now - Duration::hours(1),
        )
        .await
        .unwrap();
        assert_eq!(
            db.check_token("old", &[TokenPurpose::SetPassword], now)
                .await
                .unwrap()
                .unwrap_err(),
            TokenProblem::Expired
        );
        assert_eq!(
            db.check_token("t1", &[TokenPurpose::ConfirmEmail], now)
                .await
                .unwrap()
                .unwrap_err(),
            TokenProblem::Unknown
        );
        assert_eq!(
            db.check_token("t1", &[TokenPurpose::SetPassword], now)
                .await
                .unwrap()
                .unwrap()
                .id,
            id
        );
        db.create_session(id, "s-before", "c0", now + Duration::days(1))
            .await
            .unwrap();
        assert!(
            db.set_password_with_token("t1", "$argon2id$hash", now)
                .await
                .unwrap()
        );
        assert!(
            !db.set_password_with_token("t1", "$argon2id$other", now)
                .await
                .unwrap(),
            "a token works once"
        );
        assert!(
            !db.set_password_with_token("old", "$argon2id$other", now)
                .await
                .unwrap(),
            "an expired token never"
        );
        assert_eq!(
            db.check_token("t1", &[TokenPurpose::SetPassword], now)
                .await
                .unwrap()
                .unwrap_err(),
            TokenProblem::Used
        );
        let u = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.password_hash.as_deref(), Some("$argon2id$hash"));
        assert!(u.email_confirmed_at.is_some());
        assert!(
            db.session_user("s-before", now).await.unwrap().is_none(),
            "setting a password ends old sessions"
        );
        db.create_session(id, "s1", "csrf1", now + Duration::days(1))
            .await
            .unwrap();
        db.create_session(id, "s2", "csrf2", now + Duration::days(1))
            .await
            .unwrap();
        let s = db.session_user("s1", now).await.unwrap().unwrap();
        assert_eq!((s.user.id, s.csrf_token.as_str()), (id, "csrf1"));
        assert!(
            db.session_user("s1", now + Duration::days(2))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert_eq!(db.delete_sessions_of(id).await.unwrap(), 2);
        db.create_session(id, "s3", "csrf3", now + Duration::days(1))
            .await
            .unwrap();
        db.set_locked(None, id, true).await.unwrap();
        assert!(
            db.session_user("s3", now).await.unwrap().is_none(),
            "locking ends sessions"
        );
        let (log, total) = db.audit_entries(None, 10, 0).await.unwrap();
        assert_eq!(total, 2);
        assert_eq!(
            (log[0].action.as_str(), log[0].after_value.as_deref()),
            ("user.lock", Some("true"))
        );
        assert_eq!(log[1].action, "user.roles");
        assert_eq!(
            (
                log[1].before_value.as_deref(),
                log[1].after_value.as_deref()
            ),
            (Some("admin,citizen"), Some("admin,editor"))
        );
        assert_eq!(
            db.audit_entries(Some("user.roles"), 10, 0).await.unwrap().1,
            1
        );
        let list = db.users(10, 0).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].1, vec![Role::Admin, Role::Editor]);
    });

    db_test!(rate_limit_buckets_count_per_window, |db| async move {
        let now = OffsetDateTime::now_utc();
        let w = Duration::minutes(15);
        for i in 1..=3 {
            assert_eq!(db.hit_rate_limit("login:a", now, w).await.unwrap().0, i);
        }
        assert_eq!(db.hit_rate_limit("login:b", now, w).await.unwrap().0, 1);
        let (hits, until) = db
            .hit_rate_limit("login:a", now + Duration::minutes(16), w)
            .await
            .unwrap();
        assert_eq!(hits, 1, "a new window starts over");
        assert!(until > now + Duration::minutes(30));
        // Looking does not count.
        let later = now + Duration::minutes(16);
        assert_eq!(db.rate_limit_hits("login:a", later, w).await.unwrap().0, 1);
        assert_eq!(db.rate_limit_hits("login:a", later, w).await.unwrap().0, 1);
        assert_eq!(
            db.rate_limit_hits("login:nie", later, w).await.unwrap().0,
            0
        );
        assert_eq!(
            db.rate_limit_hits("login:a", later + Duration::minutes(16), w)
                .await
                .unwrap()
                .0,
            0,
            "a passed window counts nothing"
        );
        let s1 = db.site_secret("ip", "first").await.unwrap();
        let s2 = db.site_secret("ip", "second").await.unwrap();
        assert_eq!((s1.as_str(), s2.as_str()), ("first", "first"));
    });
}

mod back_office {
    use super::*;
    use domain::accounts::Role;
    use store::editing::{CreateOutcome, EditOutcome};
    use store::taxonomy::{ArchiveOutcome, StrategyEdit, TaxEdit, TaxKind, TaxOutcome};

    async fn editor(db: &Db) -> i64 {
        db.create_user("redaktion@teststadt.example", "Redaktion", &[Role::Editor])
            .await
            .unwrap()
    }

    fn no_label(_: &str, _: &str, _: i64, _: i64) -> String {
        "Bericht".into()
    }

    db_test!(drafts_stay_out_of_every_public_read, |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let actor = editor(&db).await;
        let b1 = db.measure_id_by_slug("b-1").await.unwrap();
        let id = match b1 {
            Some(id) => id,
            None => {
                db.measures(&MeasureFilter::default(), Sort::Title, 1, 50)
                    .await
                    .unwrap()
                    .items[0]
                    .id
            }
        };
        let (version, mut edit) = db.measure_version(id).await.unwrap().unwrap();
        let public = db.count_measures(&MeasureFilter::default()).await.unwrap();
        edit.state = "draft".into();
        let out = db
            .update_measure(actor, id, version, &edit, &no_label)
            .await
            .unwrap();
        assert!(matches!(out, EditOutcome::Saved { .. }));
        assert_eq!(
            db.count_measures(&MeasureFilter::default()).await.unwrap(),
            public - 1
        );
        let slug = db.measure_detail(id).await.unwrap().unwrap().card.slug;
        assert_eq!(db.measure_id_by_slug(&slug).await.unwrap(), None);
        let all = db.all_measures(&MeasureFilter::default()).await.unwrap();
        assert!(all.iter().all(|m| m.id != id));
        let doc = db.export_document().await.unwrap();
        assert!(
            doc.measures
                .iter()
                .all(|m| m.slug.as_deref() != Some(slug.as_str()))
        );
        assert_eq!(
            db.admin_measures(Some("draft"), None, None, 10, 0)
                .await
                .unwrap()
                .1,
            1
        );
        // Saving it unchanged is no new version.
        let (v2, same) = db.measure_version(id).await.unwrap().unwrap();
        let out = db
            .update_measure(actor, id, v2, &same, &no_label)
            .await
            .unwrap();
        assert_eq!(out, EditOutcome::Saved { version: v2 });
        // A second writer with the old version gets the stored fields back.
        let out = db
            .update_measure(actor, id, version, &edit, &no_label)
            .await
            .unwrap();
        assert!(matches!(out, EditOutcome::Conflict { version, .. } if version == v2));
    });

    db_test!(concurrent_saves_of_one_version_save_once, |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let actor = editor(&db).await;
        let id = db.admin_measures(None, None, None, 1, 0).await.unwrap().0[0].id;
        let (version, edit) = db.measure_version(id).await.unwrap().unwrap();
        let mut tasks = Vec::new();
        for i in 0..8 {
            let (db, mut edit) = (db.clone(), edit.clone());
            edit.goals = format!("Ziel {i}");
            tasks.push(tokio::spawn(async move {
                db.update_measure(actor, id, version, &edit, &no_label)
                    .await
                    .unwrap()
            }));
        }
        let mut saved = 0;
        for t in tasks {
            match t.await.unwrap() {
                EditOutcome::Saved { .. } => saved += 1,
                EditOutcome::Conflict { version: v, .. } => assert_eq!(v, version + 1),
                EditOutcome::NotFound => panic!("measure vanished"),
            }
        }
        assert_eq!(
            saved, 1,
            "exactly one of eight editors of the same version saves"
        );
        assert_eq!(
            db.measure_version(id).await.unwrap().unwrap().0,
            version + 1
        );
    });

    db_test!(a_created_measure_carries_its_lists, |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let actor = editor(&db).await;
        let field = db
            .taxonomy()
            .await
            .unwrap()
            .field_by_slug("bildung")
            .unwrap()
            .id;
        let (_, mut edit) = db
            .measure_version(db.admin_measures(None, None, None, 1, 0).await.unwrap().0[0].id)
            .await
            .unwrap()
            .unwrap();
        edit.title = "Neue Lernorte".into();
        edit.field_id = field;
        edit.focus_area_id = None;
        edit.parent_id = None;
        edit.state = "published".into();
        edit.departments = vec!["Schulamt".into(), "IT".into()];
        edit.kpis = vec![domain::import::ValidKpi {
            name: "Orte".into(),
            unit: String::new(),
            target: Some(10.0),
            current: Some(2.5),
            as_of: None,
        }];
        let CreateOutcome::Created { id } = db.create_measure(actor, "NL-1", &edit).await.unwrap()
        else {
            panic!("not created")
        };
        assert_eq!(
            db.create_measure(actor, "NL-1", &edit).await.unwrap(),
            CreateOutcome::ExternalIdTaken
        );
        let (_, stored) = db.measure_version(id).await.unwrap().unwrap();
        assert_eq!(stored.departments, vec!["Schulamt", "IT"]);
        assert_eq!(stored.kpis, edit.kpis);
        let d = db.measure_detail(id).await.unwrap().unwrap();
        assert_eq!(d.card.slug, "neue-lernorte");
        assert_eq!(d.measure.external_id, "NL-1");
        let (log, _) = db
            .audit_entries(Some("measure.create"), 5, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
    });

    db_test!(
        taxonomy_entries_move_and_archive_by_the_rules,
        |db| async move {
            load(&db, FIXTURE.as_bytes()).await;
            let actor = editor(&db).await;
            let tax = db.taxonomy().await.unwrap();
            let order = |t: &store::strategy::Taxonomy| -> Vec<String> {
                t.fields
                    .iter()
                    .filter(|f| f.core_area_id == t.field_by_slug("bildung").unwrap().core_area_id)
                    .map(|f| f.slug.clone())
                    .collect()
            };
            assert_eq!(order(&tax), vec!["bildung", "gemeinschaft"]);
            let gemeinschaft = tax.field_by_slug("gemeinschaft").unwrap().id;
            assert!(
                db.move_tax(actor, TaxKind::Field, gemeinschaft, true)
                    .await
                    .unwrap()
            );
            assert_eq!(
                order(&db.taxonomy().await.unwrap()),
                vec!["gemeinschaft", "bildung"]
            );
            // The first one cannot move further up: nothing changes, nothing is audited.
            assert!(
                db.move_tax(actor, TaxKind::Field, gemeinschaft, true)
                    .await
                    .unwrap()
            );
            assert_eq!(
                db.audit_entries(Some("field.move"), 5, 0).await.unwrap().1,
                1
            );
            assert!(
                !db.move_tax(actor, TaxKind::Field, 999_999, true)
                    .await
                    .unwrap()
            );
            // A field with a measure that is not archived stays.
            assert_eq!(
                db.archive_tax(actor, TaxKind::Field, gemeinschaft, true)
                    .await
                    .unwrap(),
                ArchiveOutcome::StillInUse(1)
            );
            let g1 = db
                .all_measures(&MeasureFilter {
                    field: Some("gemeinschaft".into()),
                    ..Default::default()
                })
                .await
                .unwrap()[0]
                .id;
            let (v, mut e) = db.measure_version(g1).await.unwrap().unwrap();
            e.state = "archived".into();
            db.update_measure(actor, g1, v, &e, &no_label)
                .await
                .unwrap();
            assert_eq!(
                db.archive_tax(actor, TaxKind::Field, gemeinschaft, true)
                    .await
                    .unwrap(),
                ArchiveOutcome::Done
            );
            assert!(
                db.taxonomy()
                    .await
                    .unwrap()
                    .field_by_slug("gemeinschaft")
                    .is_none()
            );
            assert!(
                db.taxonomy_all()
                    .await
                    .unwrap()
                    .field_by_slug("gemeinschaft")
                    .unwrap()
                    .archived
            );
            assert!(
                db.known()
                    .await
                    .unwrap()
                    .archived_fields
                    .contains("gemeinschaft")
            );
            // New entries: a slug in use is refused, a missing parent too.
            let edit = TaxEdit {
                title: "Bildung 2".into(),
                slug: "bildung".into(),
                parent_id: tax.core_areas[0].id,
                ..Default::default()
            };
            assert_eq!(
                db.save_tax(actor, TaxKind::Field, None, &edit)
                    .await
                    .unwrap(),
                TaxOutcome::SlugTaken
            );
            let edit = TaxEdit {
                slug: "bildung-2".into(),
                parent_id: 999_999,
                ..edit
            };
            assert_eq!(
                db.save_tax(actor, TaxKind::Field, None, &edit)
                    .await
                    .unwrap(),
                TaxOutcome::NoParent
            );
            let edit = TaxEdit {
                parent_id: tax.core_areas[0].id,
                ..edit
            };
            let TaxOutcome::Saved { id } = db
                .save_tax(actor, TaxKind::Field, None, &edit)
                .await
                .unwrap()
            else {
                panic!("not saved")
            };
            assert_eq!(
                db.tax_entry(TaxKind::Field, id)
                    .await
                    .unwrap()
                    .unwrap()
                    .0
                    .slug,
                "bildung-2"
            );
        }
    );

    db_test!(
        strategy_saves_and_editor_fields_are_audited,
        |db| async move {
            load(&db, FIXTURE.as_bytes()).await;
            let actor = editor(&db).await;
            let s = StrategyEdit {
                title: "Strategie".into(),
                city: "Neustadt".into(),
                target_year: Some(2031),
                vision: "Vision".into(),
            };
            db.save_strategy(actor, &s).await.unwrap();
            db.save_strategy(actor, &s).await.unwrap();
            assert_eq!(db.strategy().await.unwrap().unwrap().city, "Neustadt");
            assert_eq!(
                db.audit_entries(Some("strategy.update"), 5, 0)
                    .await
                    .unwrap()
                    .1,
                1,
                "an unchanged save writes nothing"
            );
            let bildung = db
                .taxonomy()
                .await
                .unwrap()
                .field_by_slug("bildung")
                .unwrap()
                .id;
            db.set_editor_fields(actor, actor, &[bildung, bildung, 999_999])
                .await
                .unwrap();
            assert_eq!(
                db.editor_fields(actor).await.unwrap(),
                vec![bildung],
                "unknown fields are not stored"
            );
            db.set_editor_fields(actor, actor, &[]).await.unwrap();
            assert!(db.editor_fields(actor).await.unwrap().is_empty());
            assert_eq!(
                db.audit_entries(Some("user.editor_fields"), 5, 0)
                    .await
                    .unwrap()
                    .1,
                2
            );
        }
    );

    db_test!(an_upload_is_classified_and_applied_once, |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let actor = editor(&db).await;
        let csv = "external_id;title;field;status\nDG-1;Neu betitelt;digital-government;Geplant\nN-1;Ganz neu;bildung;Geplant\n";
        let id = db
            .save_upload(actor, "liste.csv", csv.as_bytes())
            .await
            .unwrap();
        let upload = db.upload(id).await.unwrap().unwrap();
        assert_eq!(upload.content, csv.as_bytes());
        assert!(upload.applied_at.is_none());
        let (_, doc) = parse(&upload.content).unwrap();
        let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
        let classes: Vec<_> = db
            .classify(&plan)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.2)
            .collect();
        assert_eq!(
            classes,
            vec![store::import::Change::Changed, store::import::Change::New]
        );
        let s = db.apply_upload(actor, id, &plan).await.unwrap().unwrap();
        assert_eq!((s.created, s.updated), (1, 1));
        assert_eq!(
            db.apply_upload(actor, id, &plan).await.unwrap(),
            None,
            "applied once"
        );
        assert!(db.upload(id).await.unwrap().unwrap().applied_at.is_some());
        assert_eq!(
            db.audit_entries(Some("import.apply"), 5, 0)
                .await
                .unwrap()
                .1,
            1
        );
    });
}

mod demo {
    use super::*;
    use domain::accounts::Role;

    const MUSTERSTADT: &str = include_str!("../../stadtradar/demo/musterstadt.json");

    async fn load_demo(db: &Db) -> Option<store::import::ImportSummary> {
        let (_, doc) = parse(MUSTERSTADT.as_bytes()).unwrap();
        let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap()
    }

    async fn total_measures(db: &Db) -> i64 {
        db.admin_measures(None, None, None, 1, 0).await.unwrap().1
    }

    db_test!(
        removing_the_demo_removes_its_discussions_and_people,
        |db| async move {
            load_demo(&db).await.unwrap();
            let m = db
                .measure_id_by_slug("digitaltag-musterstadt")
                .await
                .unwrap()
                .unwrap();
            let domain = store::demo::DEMO_PEOPLE_DOMAIN;
            let demo_person = db
                .create_user(&format!("person-1@{domain}"), "Anna K.", &[Role::Citizen])
                .await
                .unwrap();
            let real = db
                .create_user("echt@musterstadt.example", "Echte Person", &[Role::Citizen])
                .await
                .unwrap();
            let s = domain::comments::Subject::measure(m);
            let top = db
                .post_comment(&store::comments::NewComment {
                    subject: s,
                    parent_id: None,
                    author: store::comments::Author::Account(demo_person),
                    body: "Demo",
                    body_html: "Demo",
                    official: false,
                    limits: &[],
                    posted_at: None,
                    hold: false,
                })
                .await
                .unwrap()
                .unwrap();
            db.vote_comment(top, real, true).await.unwrap().unwrap();
            db.remove_demo(None).await.unwrap().unwrap();
            assert_eq!(db.comment(top).await.unwrap(), None);
            assert_eq!(db.comment_count(s).await.unwrap(), 0);
            assert!(db.comment_votes_of_user(real).await.unwrap().is_empty());
            assert!(
                db.user_by_email(&format!("person-1@{domain}"))
                    .await
                    .unwrap()
                    .is_none()
            );
            assert!(
                db.user_by_email("echt@musterstadt.example")
                    .await
                    .unwrap()
                    .is_some(),
                "real accounts stay"
            );
        }
    );

    db_test!(loading_the_demo_sets_the_flag, |db| async move {
        assert!(!db.demo_active().await.unwrap());
        let s = load_demo(&db).await.unwrap();
        assert_eq!(s.created, 70);
        assert!(db.demo_active().await.unwrap());
        assert_eq!(db.strategy().await.unwrap().unwrap().city, "Musterstadt");
        assert_eq!(db.demo_removed_at().await.unwrap(), None);
        // Loading it again changes nothing and keeps the flag.
        assert_eq!(load_demo(&db).await.unwrap().unchanged, 70);
        assert!(db.demo_active().await.unwrap());
    });

    db_test!(
        the_demo_is_never_loaded_over_a_real_strategy,
        |db| async move {
            load(&db, FIXTURE.as_bytes()).await;
            assert_eq!(load_demo(&db).await, None, "nothing written");
            assert!(!db.demo_active().await.unwrap());
            assert_eq!(total_measures(&db).await, 6);
            assert_eq!(db.strategy().await.unwrap().unwrap().city, "Teststadt");
        }
    );

    db_test!(
        a_real_import_replaces_the_demo_and_clears_the_flag,
        |db| async move {
            load_demo(&db).await.unwrap();
            // Validation and the preview see what the import will find: no demo.
            assert!(db.known().await.unwrap().fields.is_empty());
            let head = db.topic_head(store::events::CACHE_TOPIC).await.unwrap();
            let s = load(&db, FIXTURE.as_bytes()).await;
            assert_eq!((s.created, s.updated, s.core_areas_created), (6, 0, 2));
            assert!(!db.demo_active().await.unwrap());
            assert_eq!(total_measures(&db).await, 6, "no demo measure is left");
            assert_eq!(db.strategy().await.unwrap().unwrap().city, "Teststadt");
            assert_eq!(
                db.taxonomy().await.unwrap().fields.len(),
                3,
                "only the import's fields of action"
            );
            assert!(db.topic_head(store::events::CACHE_TOPIC).await.unwrap() > head);
            let (entries, n) = db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap();
            assert_eq!(n, 1);
            let after = entries[0].after_value.as_deref().unwrap();
            assert!(after.contains("\"how\":\"import\""), "{after}");
            assert!(after.contains("\"measures\":70"), "{after}");
        }
    );

    db_test!(
        a_dry_run_import_over_the_demo_changes_nothing,
        |db| async move {
            load_demo(&db).await.unwrap();
            let (_, doc) = parse(FIXTURE.as_bytes()).unwrap();
            let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
            let s = db.apply_import(&plan, true).await.unwrap();
            assert_eq!(s.created, 6, "the summary is that of the real run");
            assert!(db.demo_active().await.unwrap());
            assert_eq!(total_measures(&db).await, 70);
            assert_eq!(
                db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1,
                0
            );
        }
    );

    db_test!(
        removing_the_demo_deletes_the_strategy_and_keeps_accounts_and_settings,
        |db| async move {
            load_demo(&db).await.unwrap();
            let admin = db
                .create_user("it@musterstadt.example", "IT", &[Role::Admin])
                .await
                .unwrap();
            let restricted = db
                .create_user(
                    "feld@musterstadt.example",
                    "Feld",
                    &[Role::Editor, Role::Citizen],
                )
                .await
                .unwrap();
            let field = db.taxonomy().await.unwrap().fields[0].id;
            db.set_editor_fields(admin, restricted, &[field])
                .await
                .unwrap();
            db.set_setting(admin, "imprint", "Impressum der Stadt")
                .await
                .unwrap();
            let head = db.topic_head(store::events::CACHE_TOPIC).await.unwrap();
            // A real person follows a demo measure, its field and an idea (their numbers will be
            // given again to the city's own; ideas go with the demo's fields): the follows go
            // with the demo.
            let some = db
                .measures(&MeasureFilter::default(), Sort::Title, 1, 1)
                .await
                .unwrap()
                .items[0]
                .id;
            use domain::notifications::FollowKind;
            db.set_follow(restricted, FollowKind::Measure, some, true)
                .await
                .unwrap();
            db.set_follow(restricted, FollowKind::Field, field, true)
                .await
                .unwrap();
            // A real person's idea in a demo field of action, supported and discussed: it goes
            // with its field.
            let proposal = domain::ideas::check_proposal(
                Some(field),
                "Eine echte Idee",
                "Eine echte Beschreibung der Idee für die Stadt.",
                "Weil sie hilft.",
                "",
            )
            .unwrap();
            let idea = db
                .propose_idea(&store::ideas::NewIdea {
                    proposal: &proposal,
                    author_id: restricted,
                    description_html: "<p>x</p>",
                    limits: &[],
                    created_at: None,
                    hold: false,
                })
                .await
                .unwrap()
                .unwrap();
            db.support_idea(idea, admin, true).await.unwrap().unwrap();
            db.set_follow(restricted, FollowKind::Idea, idea, true)
                .await
                .unwrap();

            let removed = db.remove_demo(Some(admin)).await.unwrap().unwrap();
            assert!(db.follows_of_user(restricted).await.unwrap().is_empty());
            assert_eq!(db.idea_count(Default::default()).await.unwrap(), 0);
            assert!(db.idea(idea).await.unwrap().is_none());
            assert!(db.supports_of(admin).await.unwrap().is_empty());
            assert_eq!(removed.measures, 70);
            assert_eq!((removed.core_areas, removed.fields), (3, 9));
            assert!(removed.reports > 0);
            assert_eq!(removed.restricted_editors, 1);

            assert!(!db.demo_active().await.unwrap());
            assert!(db.demo_removed_at().await.unwrap().is_some());
            assert_eq!(total_measures(&db).await, 0);
            assert!(db.strategy().await.unwrap().is_none());
            assert!(db.taxonomy_all().await.unwrap().fields.is_empty());
            assert!(db.editions().await.unwrap().is_empty());
            assert!(db.latest_reports(5).await.unwrap().is_empty());
            let (departments, groups, _) = db.facets().await.unwrap();
            assert!(departments.is_empty() && groups.is_empty());
            // Accounts and settings stay; the restricted editor is no unrestricted editor now.
            assert_eq!(db.roles_of(admin).await.unwrap(), vec![Role::Admin]);
            assert_eq!(db.roles_of(restricted).await.unwrap(), vec![Role::Citizen]);
            assert_eq!(
                db.setting("imprint").await.unwrap().as_deref(),
                Some("Impressum der Stadt")
            );
            // Audited with what went, and every cached page hears of it.
            let (entries, n) = db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap();
            assert_eq!(n, 1);
            assert_eq!(entries[0].actor_id, Some(admin));
            assert!(
                entries[0]
                    .after_value
                    .as_deref()
                    .unwrap()
                    .contains("\"how\":\"remove\"")
            );
            assert_eq!(
                db.audit_entries(Some("user.roles"), 5, 0).await.unwrap().1,
                1
            );
            let events = db
                .events_since(store::events::CACHE_TOPIC, head, 10)
                .await
                .unwrap();
            assert!(
                events
                    .iter()
                    .any(|e| store::events::tags_of(e) == vec![domain::tags::SITE.to_string()])
            );

            // A second removal finds nothing to remove and changes nothing.
            assert_eq!(db.remove_demo(Some(admin)).await.unwrap(), None);
            assert_eq!(
                db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1,
                1
            );
            // The city's own strategy goes in as usual afterwards.
            load(&db, FIXTURE.as_bytes()).await;
            assert_eq!(total_measures(&db).await, 6);
            assert!(!db.demo_active().await.unwrap());
        }
    );

    // Two imports at once over the demo: the demo is removed once, and neither import deletes
    // what the other brought.
    db_test!(concurrent two_imports_over_the_demo_both_land, |db| async move {
        load_demo(&db).await.unwrap();
        let csv = "external_id;title;core_area;field;status\nX-1;Eigene Maßnahme;Verwaltung;Eigenes Feld;Geplant\n";
        let mut tasks = Vec::new();
        for bytes in [FIXTURE.as_bytes().to_vec(), csv.as_bytes().to_vec()] {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let (_, doc) = parse(&bytes).unwrap();
                let plan = validate(&doc, &db.known().await.unwrap()).unwrap();
                db.apply_import(&plan, false).await.unwrap()
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert!(!db.demo_active().await.unwrap());
        assert_eq!(total_measures(&db).await, 7, "both files, no demo measure");
        assert_eq!(db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1, 1);
    });

    fn no_label(_: &str, _: &str, _: i64, _: i64) -> String {
        String::new()
    }

    db_test!(
        measures_are_found_by_their_external_ids_when_published,
        |db| async move {
            load_demo(&db).await.unwrap();
            let cards = db
                .measures(&MeasureFilter::default(), Sort::Title, 1, 2)
                .await
                .unwrap()
                .items;
            let (a, b) = (&cards[0], &cards[1]);
            let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            assert_eq!(
                db.measure_ids_by_external(&ids(&[
                    &b.external_id,
                    "GIBT-ES-NICHT",
                    &a.external_id,
                    &b.external_id
                ]))
                .await
                .unwrap(),
                vec![b.id, a.id],
                "in the order given, unknown and repeated ones left out"
            );
            // A draft is not found.
            let editor = db
                .create_user(
                    "redaktion@musterstadt.example",
                    "Redaktion",
                    &[Role::Editor],
                )
                .await
                .unwrap();
            let (version, mut edit) = db.measure_version(a.id).await.unwrap().unwrap();
            edit.state = "draft".into();
            db.update_measure(editor, a.id, version, &edit, &no_label)
                .await
                .unwrap();
            assert_eq!(
                db.measure_ids_by_external(&ids(&[&a.external_id, &b.external_id]))
                    .await
                    .unwrap(),
                vec![b.id]
            );
            assert!(db.measure_ids_by_external(&[]).await.unwrap().is_empty());
        }
    );

    db_test!(
        removing_the_demo_removes_its_offers_providers_and_places,
        |db| async move {
            use domain::offers::ProviderInput;
            use domain::offers::geo::Point;
            use store::offers::OfferParts;
            use store::offers::search::OfferFilter;
            load_demo(&db).await.unwrap();
            let centre = Point::new(50.93, 10.1).unwrap();
            let category = db.offer_categories().await.unwrap()[0].id;
            let measure = db
                .measures(&MeasureFilter::default(), Sort::Title, 1, 1)
                .await
                .unwrap()
                .items[0]
                .id;
            let group = db.topic_choices().await.unwrap().groups[0].id;
            let provider = |name: &str, district_id| ProviderInput {
                name: name.into(),
                description: String::new(),
                email: String::new(),
                phone: String::new(),
                website: String::new(),
                district_id,
            };
            // The demo's place, provider and offer.
            let altstadt = db
                .save_district(None, "Altstadt", centre, true)
                .await
                .unwrap();
            db.save_postcode(None, "36251", Some(altstadt), centre, true)
                .await
                .unwrap();
            let (demo_provider, demo_slug) = db
                .create_provider(
                    None,
                    &provider("Stadtbibliothek", Some(altstadt)),
                    "",
                    true,
                    true,
                )
                .await
                .unwrap();
            let mut at_altstadt = super::offers::offer("IT-Café", category, Some(centre));
            at_altstadt.postcode = "36251".into();
            let schedules = [super::offers::tuesdays()];
            let parts = OfferParts {
                description_html: "",
                schedules: &schedules,
                groups: &[group],
                measures: &[measure],
                district_id: Some(altstadt),
            };
            let (demo_offer, _) = db
                .create_offer(None, demo_provider, &at_altstadt, &parts, true)
                .await
                .unwrap();
            // The city's own: a district and postcode, and a provider with an offer in the
            // demo's district, for the demo's target group and measure.
            let hafen = db
                .save_district(None, "Hafen", centre, false)
                .await
                .unwrap();
            db.save_postcode(None, "36299", Some(hafen), centre, false)
                .await
                .unwrap();
            let (own_provider, own_slug) = db
                .create_provider(
                    None,
                    &provider("Volkshochschule", Some(hafen)),
                    "",
                    true,
                    false,
                )
                .await
                .unwrap();
            let (own_offer, own_offer_slug) = db
                .create_offer(None, own_provider, &at_altstadt, &parts, false)
                .await
                .unwrap();
            let today = time::macros::date!(2026 - 12 - 01);
            let public = |db: Db| async move {
                db.public_offers(today, &OfferFilter::default(), 1, 10)
                    .await
                    .unwrap()
                    .0
                    .into_iter()
                    .map(|f| f.offer.id)
                    .collect::<Vec<_>>()
            };
            assert_eq!(public(db.clone()).await.len(), 2);

            db.remove_demo(None).await.unwrap().unwrap();
            assert!(db.offer_by_id(demo_offer).await.unwrap().is_none());
            assert!(db.provider_by_id(demo_provider).await.unwrap().is_none());
            assert!(db.public_provider(&demo_slug).await.unwrap().is_none());
            assert!(db.postcode("36251").await.unwrap().is_none());
            let districts = db.districts().await.unwrap();
            assert_eq!(
                districts.iter().map(|d| d.id).collect::<Vec<_>>(),
                [hafen],
                "the demo's district went, the city's stays"
            );
            // The city's own stay, public, at their place; they lose the demo's district,
            // target group and measure.
            assert_eq!(public(db.clone()).await, [own_offer]);
            let own = db.public_offer(&own_offer_slug).await.unwrap().unwrap();
            assert_eq!(own.district, None);
            assert_eq!(own.input.point, Some(centre));
            assert_eq!(own.input.postcode, "36251");
            assert_eq!(own.schedules, schedules);
            assert_eq!(
                db.offer_links(own_offer).await.unwrap(),
                store::offers::Links::default()
            );
            let own_p = db.public_provider(&own_slug).await.unwrap().unwrap();
            assert_eq!((own_p.id, own_p.offers), (own_provider, 1));
            assert_eq!(
                db.postcode("36299").await.unwrap().unwrap().district_id,
                Some(hafen)
            );
        }
    );

    db_test!(nothing_is_removed_without_a_demo, |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        assert_eq!(db.remove_demo(None).await.unwrap(), None);
        assert_eq!(total_measures(&db).await, 6);
        assert_eq!(
            db.audit_entries(Some("demo.remove"), 5, 0).await.unwrap().1,
            0
        );
    });
}

/// Eight pooled connections writing at once to a file database: every write lands. (A plain
/// deferred BEGIN lets SQLite refuse the lock upgrade at once with "database is locked".)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_a_sqlite_file_all_land() {
    let dir = std::env::temp_dir().join(format!("stadtradar-concurrency-{}", std::process::id()));
    let db = Db::connect(&format!("sqlite://{}/c.db", dir.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    load(&db, FIXTURE.as_bytes()).await;
    let actor = db
        .create_user("redaktion@teststadt.example", "Redaktion", &[])
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let s = store::taxonomy::StrategyEdit {
                title: "Strategie".into(),
                city: "Teststadt".into(),
                target_year: None,
                vision: format!("Fassung {i}"),
            };
            db.save_strategy(actor, &s).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let (_, n) = db
        .audit_entries(Some("strategy.update"), 100, 0)
        .await
        .unwrap();
    assert_eq!(n, 40);
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
