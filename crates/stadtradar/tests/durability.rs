//! A comment whose POST was answered is stored for good: the server is killed with SIGKILL while
//! six people post comments, and after the restart every answered comment is there, on SQLite
//! and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: a failed set-up is a failed test

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MEASURE: &str = "/massnahmen/digitaltag-musterstadt";
const PW: &str = "Gruene+Ampel+am+Rathausplatz";
const PEOPLE: usize = 6;
/// Posts per person: the limit per account and minute.
const POSTS: usize = 6;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request; the status, the head and the body, or `None` when the server is not
/// answering.
fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> Option<(u16, String, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let origin = format!("http://127.0.0.1:{port}");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nConnection: close\r\n"
    );
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head.to_string(), body.to_string()))
}

fn serve(url: &str, port: u16, outbox: &std::path::Path) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
        .arg("--database-url")
        .arg(url)
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("serve")
        .env("STADTRADAR_LOG", "warn")
        .env("STADTRADAR_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("STADTRADAR_OUTBOX_DIR", outbox)
        .env_remove("STADTRADAR_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if http(port, "GET", MEASURE, "", "").is_some_and(|(s, ..)| s == 200) {
            return child;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not come up on {url}");
}

fn cookie_of(head: &str) -> String {
    head.lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a CSRF token")
        .to_string()
}

/// Kills the server while six people post, restarts it and checks every answered comment.
fn answered_comments_survive(url: &str, label: &str) {
    let dir = std::env::temp_dir().join(format!("stadtradar-kill-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The people, with one-time links for their passwords.
    let mut links = Vec::new();
    for i in 0..PEOPLE {
        let out = Command::new(env!("CARGO_BIN_EXE_stadtradar"))
            .arg("--database-url")
            .arg(url)
            .args([
                "user",
                "add",
                "--email",
                &format!("person{i}@musterstadt.example"),
            ])
            .args(["--name", &format!("Person {i}"), "--role", "citizen"])
            .env_remove("STADTRADAR_DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let link = String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .to_string();
        links.push(link.rsplit_once("token=").unwrap().1.to_string());
    }
    let port = free_port();
    let mut server = serve(url, port, &dir.join("outbox"));
    let mut people = Vec::new();
    for (i, token) in links.iter().enumerate() {
        let (status, ..) = http(
            port,
            "POST",
            "/konto/passwort-setzen",
            "",
            &format!("token={token}&password={PW}&password2={PW}"),
        )
        .unwrap();
        assert!(status < 400, "password set: {status}");
        let (status, head, _) = http(
            port,
            "POST",
            "/anmelden",
            "",
            &format!("email=person{i}%40musterstadt.example&password={PW}"),
        )
        .unwrap();
        assert_eq!(status, 303, "login");
        let cookie = cookie_of(&head);
        let (_, _, page) = http(port, "GET", MEASURE, &cookie, "").unwrap();
        people.push((cookie, csrf_of(&page)));
    }
    // Everyone posts at once; the server is killed while they do.
    let answered: Arc<Mutex<Vec<String>>> = Arc::default();
    let errors: Arc<Mutex<Vec<u16>>> = Arc::default();
    let threads: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(i, (cookie, csrf))| {
            let answered = answered.clone();
            let errors = errors.clone();
            std::thread::spawn(move || {
                for n in 0..POSTS {
                    let text = format!("Dauerhaft-{i}-{n}");
                    match http(
                        port,
                        "POST",
                        &format!("{MEASURE}/kommentare"),
                        &cookie,
                        &format!("csrf={csrf}&body={text}"),
                    ) {
                        Some((303, ..)) => answered.lock().unwrap().push(text),
                        Some((status, ..)) => errors.lock().unwrap().push(status),
                        // Killed: no answer, so no promise.
                        None => return,
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    while answered.lock().unwrap().len() < PEOPLE * POSTS / 3
        && start.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(2));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    for t in threads {
        t.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        errors.lock().unwrap().is_empty(),
        "errors: {:?}",
        errors.lock().unwrap()
    );
    assert!(!answered.is_empty(), "no post was answered before the kill");
    eprintln!(
        "{label}: {} of {} posts answered before the kill",
        answered.len(),
        PEOPLE * POSTS
    );
    // After the restart every answered comment is there.
    let port = free_port();
    let mut server = serve(url, port, &dir.join("outbox"));
    let (status, _, feed) =
        http(port, "GET", &format!("{MEASURE}/kommentare.atom"), "", "").unwrap();
    assert_eq!(status, 200);
    let missing: Vec<&String> = answered
        .iter()
        .filter(|t| !feed.contains(t.as_str()))
        .collect();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        missing.is_empty(),
        "{label}: {} of {} answered comments lost: {missing:?}",
        missing.len(),
        answered.len()
    );
}

#[test]
fn answered_comments_survive_a_sigkill_on_sqlite() {
    let db: PathBuf =
        std::env::temp_dir().join(format!("stadtradar-kill-{}.db", std::process::id()));
    answered_comments_survive(&format!("sqlite://{}", db.display()), "sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[test]
fn answered_comments_survive_a_sigkill_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(store::testing::postgres_url("kill_durability")) else {
        return;
    };
    answered_comments_survive(&url, "postgres");
}
