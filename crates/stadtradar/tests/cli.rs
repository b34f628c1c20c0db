//! The binary as an operator uses it: import, export, dry runs, bad files and bad settings.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: a failed set-up is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stadtradar-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .env("STADTRADAR_LOG", "warn")
        .env_remove("STADTRADAR_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const EXCEL: &[u8] = "\u{feff}external_id;title;core_area;field;status;progress;start;end;departments;tags\r\n\
    K-1;Glasfaser für alle Grundschulen;Stadtgesellschaft;Bildung;In Umsetzung;45;01.09.2024;31.12.2025;Referat für Bildung und Sport;Schule|Glasfaser\r\n\
    K-2;Bürgerbüro-Termine online;Verwaltung;Digital Government;Abgeschlossen;100;;30.06.2024;Kreisverwaltungsreferat;\r\n"
    .as_bytes();

#[test]
fn german_excel_csv_imports_and_exports() {
    let d = dir("excel");
    let db = d.join("r.db");
    let file = d.join("massnahmen.csv");
    std::fs::write(&file, EXCEL).unwrap();
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 created, 0 updated, 0 unchanged"));
    let out = run(&db, &["export", "--format", "csv"]);
    let csv = text(&out.stdout);
    assert!(csv.contains("Glasfaser für alle Grundschulen"));
    assert!(csv.contains("2025-12-31"));
    assert!(csv.contains("Schule|Glasfaser"));
    // Importing the same file again changes nothing.
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn three_bad_rows_import_nothing_and_are_all_named() {
    let d = dir("bad");
    let db = d.join("r.db");
    let file = d.join("bad.csv");
    std::fs::write(
        &file,
        "external_id;title;core_area;field;status;progress;end\n\
         A-1;Gut;Verwaltung;Digital Government;Geplant;0;\n\
         A-2;Falscher Status;Verwaltung;Digital Government;fertig;0;\n\
         A-3;Zu viel;Verwaltung;Digital Government;Abgeschlossen;140;\n\
         A-4;Kein Datum;Verwaltung;Digital Government;Abgeschlossen;100;31.02.2025\n",
    )
    .unwrap();
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("3 error(s), nothing was imported"), "{err}");
    assert!(
        err.contains("line 3, column status: \"fertig\" is not a status"),
        "{err}"
    );
    assert!(
        err.contains("line 4, column progress: 140 is not between 0 and 100"),
        "{err}"
    );
    assert!(
        err.contains("line 5, column end: \"31.02.2025\" is not a calendar date"),
        "{err}"
    );
    let out = run(&db, &["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["measures"].as_array().unwrap().len(),
        0,
        "the good row must not be imported either"
    );
}

#[test]
fn dry_run_reports_without_writing() {
    let d = dir("dry");
    let db = d.join("r.db");
    let file = d.join("m.csv");
    std::fs::write(&file, EXCEL).unwrap();
    let out = run(&db, &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains("dry run (nothing written): 2 created"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&db, &["export", "--format", "csv"]);
    assert_eq!(text(&out.stdout).lines().count(), 1, "only the header");
}

#[test]
fn export_import_export_gives_the_same_files() {
    let d = dir("roundtrip");
    let first = d.join("a.db");
    // Serving once loads the demo strategy; `migrate` plus an import of the demo file does the same.
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/musterstadt.json");
    assert!(run(&first, &["import", demo]).status.success());
    for format in ["json", "csv"] {
        let a = d.join(format!("a.{format}"));
        assert!(
            run(
                &first,
                &[
                    "export",
                    "--format",
                    format,
                    "--output",
                    a.to_str().unwrap()
                ]
            )
            .status
            .success()
        );
        let second = d.join(format!("b-{format}.db"));
        let out = run(&second, &["import", a.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let b = d.join(format!("b.{format}"));
        assert!(
            run(
                &second,
                &[
                    "export",
                    "--format",
                    format,
                    "--output",
                    b.to_str().unwrap()
                ]
            )
            .status
            .success()
        );
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{format} differs after a round trip"
        );
    }
}

#[test]
fn thoughtworks_radar_csv_imports() {
    let d = dir("tw");
    let db = d.join("r.db");
    let file = d.join("tw.csv");
    std::fs::write(&file, "name,ring,quadrant,isNew,description\nKI-Assistent,assess,Dienste,TRUE,Test\nOpen Data,adopt,Daten,FALSE,\"Offen, maschinenlesbar\"\n").unwrap();
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains("2 created"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("1 core areas and 2 fields of action created"));
}

#[test]
fn bad_settings_stop_with_one_line_naming_the_setting() {
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("migrate")
        .env("STADTRADAR_ADDR", "irgendwo")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("setting addr"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("migrate")
        .env("STADTRADAR_TRUSTED_PROXIES", "127.0.0.1, proxy.intern")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("setting trusted_proxies") && err.contains("proxy.intern"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("migrate")
        .env("STADTRADAR_IDLE_TIMEOUT_SECS", "5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("setting idle_timeout_secs"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("migrate")
        .env("STADTRADAR_DATABSE_URL", "sqlite://x.db")
        .env("STADTRADAR_UNKNOWN_KEY", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn missing_files_and_unreadable_input_fail_clearly() {
    let d = dir("missing");
    let db = d.join("r.db");
    let out = run(&db, &["import", "/nonexistent/file.csv"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cannot read /nonexistent/file.csv"));
    let file = d.join("latin1.csv");
    std::fs::write(
        &file,
        b"external_id;title;field;status\nA;Gr\xfcn;x;planned\n",
    )
    .unwrap();
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("line 2, column -: the file is not UTF-8 text"));
}

#[test]
fn demo_data_generates_a_large_strategy() {
    let d = dir("demo");
    let db = d.join("r.db");
    let out = run(&db, &["demo-data", "--measures", "120", "--updates", "600"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&db, &["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let measures = doc["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 120);
    let reports: usize = measures
        .iter()
        .map(|m| m["reports"].as_array().unwrap().len())
        .sum();
    assert_eq!(reports, 600);
}

#[test]
fn demo_data_generates_discussions() {
    let d = dir("demo-comments");
    let db = d.join("r.db");
    let out = run(
        &db,
        &[
            "demo-data",
            "--measures",
            "40",
            "--updates",
            "40",
            "--people",
            "700",
            "--comments",
            "3001",
            "--largest",
            "1200",
            "--ideas",
            "250",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains("discussions: 3001 comments by 700 people"),
        "{said}"
    );
    assert!(said.contains("ideas: 250 ideas by 700 people"), "{said}");
    let slug = said
        .split("the largest: /massnahmen/")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .to_string();
    // The largest discussion holds its comments, counted, and pages through them.
    let page = serve_once(&db, &["--no-demo"]);
    assert!(page.starts_with("HTTP/1.1 200"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = store::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        // The ideas: counted, supported as their counters say, in every status.
        assert_eq!(store.idea_count(Default::default()).await.unwrap(), 250);
        let top = store
            .idea_page(
                Default::default(),
                domain::ideas::IdeaSort::Supported,
                None,
                5,
            )
            .await
            .unwrap();
        assert_eq!(top.ideas[0].supports, 19);
        let supporters = store
            .my_idea_views(top.ideas[0].author_id.unwrap(), &[top.ideas[0].id])
            .await
            .unwrap();
        assert!(supporters[&top.ideas[0].id].mine);
        for status in domain::ideas::IdeaStatus::ALL {
            let f = store::ideas::IdeaFilter {
                field_id: None,
                status: Some(status),
            };
            assert!(store.idea_count(f).await.unwrap() > 0, "{status:?}");
        }
        let id = store.measure_id_by_slug(&slug).await.unwrap().unwrap();
        let subject = domain::comments::Subject::measure(id);
        assert_eq!(store.comment_count(subject).await.unwrap(), 1200);
        let first = store
            .comment_page(subject, domain::comments::Sort::Newest, None, 20, 10)
            .await
            .unwrap();
        assert_eq!(first.threads.len(), 20);
        assert!(first.next.is_some());
        let all: i64 = {
            let mut n = 0;
            for m in store
                .all_measures(&store::strategy::MeasureFilter::default())
                .await
                .unwrap()
            {
                n += store
                    .comment_count(domain::comments::Subject::measure(m.id))
                    .await
                    .unwrap();
            }
            n
        };
        assert_eq!(all, 3001);
    });
}

/// GET `path` from a server on 127.0.0.1:`port`: the whole answer, or `None` while it is not up.
fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// Runs `serve` on a free port until the start page answers, then stops it; returns the page.
fn serve_once(db: &Path, extra: &[&str]) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", db.display()))
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("serve")
        .args(extra)
        .env("STADTRADAR_LOG", "warn")
        .env("STADTRADAR_OUTBOX_DIR", db.with_extension("outbox"))
        .env_remove("STADTRADAR_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut page = None;
    for _ in 0..100 {
        if let Some(p) = http_get(port, "/").filter(|p| p.starts_with("HTTP/1.1 200")) {
            page = Some(p);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    page.expect("the server answered")
}

/// The public offers in database `db` today: how many, and from how many providers.
/// The public offers, their providers, and the public volunteering roles.
fn public_offers(db: &Path) -> (i64, usize, i64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = store::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let now = time::OffsetDateTime::now_utc();
        let today = now
            .to_offset(domain::notifications::german_offset(now))
            .date();
        let (list, total) = store
            .public_offers(
                today,
                &store::offers::search::OfferFilter::default(),
                1,
                100,
            )
            .await
            .unwrap();
        let providers: std::collections::BTreeSet<i64> =
            list.iter().map(|f| f.offer.provider_id).collect();
        let roles = store.public_roles(None, 1, 20).await.unwrap().1;
        store.close().await;
        (total, providers.len(), roles)
    })
}

#[test]
fn the_demo_is_loaded_removed_and_not_loaded_again() {
    let d = dir("demo-remove");
    let db = d.join("r.db");
    // `serve` loads the demo into an empty database, and every page says so.
    let page = serve_once(&db, &[]);
    assert!(
        page.contains("Demodaten – diese Stadt ist erfunden"),
        "{page}"
    );
    // With its offers: 43 from 12 providers, and 6 volunteering roles, public; gone with the
    // demo.
    assert_eq!(public_offers(&db), (43, 12, 6));
    let out = run(&db, &["demo", "remove"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(
            "demo removed: 70 measures, 98 progress reports, 3 core areas, 9 fields of action"
        ),
        "{}",
        text(&out.stdout)
    );
    let out = run(&db, &["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["measures"].as_array().unwrap().len(), 0);
    assert_eq!(public_offers(&db), (0, 0, 0));
    let out = run(&db, &["demo", "remove"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("nothing removed"));
    // Removed once, the demo does not come back with the next start.
    let page = serve_once(&db, &[]);
    assert!(!page.contains("Demodaten"), "{page}");
    // `demo load` brings it back on purpose; a real import replaces it.
    let out = run(&db, &["demo", "load"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("demo loaded: 70 measures created"));
    assert_eq!(public_offers(&db), (43, 12, 6));
    // Loaded again, the demo keeps its offers once.
    let out = run(&db, &["demo", "load"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(public_offers(&db), (43, 12, 6));
    let file = d.join("massnahmen.csv");
    std::fs::write(&file, EXCEL).unwrap();
    let out = run(&db, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 created, 0 updated, 0 unchanged"));
    let out = run(&db, &["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["measures"].as_array().unwrap().len(), 2);
    // Over a real strategy neither the demo nor synthetic data is loaded.
    let out = run(&db, &["demo", "load"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("holds a real strategy"));
    let out = run(&db, &["demo-data", "--measures", "5", "--updates", "5"]);
    assert_eq!(out.status.code(), Some(1));
    let page = serve_once(&db, &[]);
    assert!(!page.contains("Demodaten"), "{page}");
}

#[test]
fn test_mail_goes_to_the_outbox_without_smtp() {
    let d = dir("mail");
    let db = d.join("r.db");
    let outbox = d.join("outbox");
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .args([
            "--database-url",
            &format!("sqlite://{}", db.display()),
            "send-test-mail",
            "--to",
            "it@musterstadt.example",
        ])
        .env("STADTRADAR_OUTBOX_DIR", &outbox)
        .env("STADTRADAR_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("sent via outbox folder"));
    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
    assert_eq!(files.len(), 1);
    let out = run(&db, &["send-test-mail", "--to", "keine adresse"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not an e-mail address"));
    let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .args(["migrate"])
        .env("STADTRADAR_SMTP_SECURITY", "ssl")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("setting smtp_security"));
}

#[test]
fn first_admin_is_created_with_a_one_time_link() {
    let d = dir("user");
    let db = d.join("r.db");
    let out = run(
        &db,
        &[
            "user",
            "add",
            "--email",
            "Chefin@Musterstadt.example",
            "--name",
            "Amtsleitung",
            "--role",
            "admin",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = text(&out.stdout).lines().last().unwrap().to_string();
    assert!(
        link.starts_with("http://127.0.0.1:8080/konto/passwort-setzen?token="),
        "{link}"
    );
    assert_eq!(
        link.len(),
        "http://127.0.0.1:8080/konto/passwort-setzen?token=".len() + 64
    );
    let out = run(
        &db,
        &["user", "add", "--email", "chefin@musterstadt.example"],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("exists already"));
    let out = run(&db, &["user", "add", "--email", "x@y.de", "--role", "chef"]);
    assert!(text(&out.stderr).contains("\"chef\" is not a role"));
    let out = run(
        &db,
        &[
            "user",
            "role",
            "--email",
            "chefin@musterstadt.example",
            "--add",
            "editor",
            "--remove",
            "admin",
        ],
    );
    assert_eq!(
        text(&out.stdout).trim(),
        "chefin@musterstadt.example: editor"
    );
    let out = run(
        &db,
        &["user", "lock", "--email", "chefin@musterstadt.example"],
    );
    assert!(text(&out.stdout).contains("locked"));
    let list = text(&run(&db, &["user", "list"]).stdout);
    assert!(
        list.contains("chefin@musterstadt.example\tAmtsleitung\teditor\tlocked"),
        "{list}"
    );
    let out = run(
        &db,
        &["user", "link", "--email", "niemand@musterstadt.example"],
    );
    assert!(text(&out.stderr).contains("no account with the address"));
}
