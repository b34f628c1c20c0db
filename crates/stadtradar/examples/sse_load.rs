//! Load generator for bench/run.sh (events rows): opens N server-sent-event streams of one
//! session's questions, then asks a question in that (unmoderated) session ROUNDS times and
//! measures, for every stream, the time from sending the question to receiving the stream's
//! event. Plain HTTP/1.1 over tokio's TCP, no client library.
//!
//! Usage: sse_load --addr 127.0.0.1:18080 --page /veranstaltungen/x/sessions/y/fragen \
//!                 --connections 10000 --rounds 5
//! Prints "ready <n>" on stderr when every stream is open (the bench reads the server's memory
//! then) and one JSON object on stdout.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a load generator: a failed set-up is a failed run

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::watch;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// One plain request; the status and the body.
async fn request(addr: &str, head: String, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The CPU time this process has used so far (user and system), in clock ticks.
fn cpu_ticks() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((p / 100.0) * (sorted.len() - 1) as f64).round() as usize]
}

#[tokio::main]
async fn main() {
    let addr = arg("--addr", "127.0.0.1:18080");
    let page = arg("--page", "");
    let n: usize = arg("--connections", "10000").parse().unwrap();
    let rounds: usize = arg("--rounds", "5").parse().unwrap();
    assert!(!page.is_empty(), "--page is required");
    let host = addr.clone();

    // The ask form's token, from the page.
    let (status, html) = request(
        &addr,
        format!("GET {page} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"),
        "",
    )
    .await;
    assert_eq!(status, 200, "GET {page}");
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the ask form's token")
        .to_string();

    // Every stream: connected, headers read, then each event noted against the round's start.
    let (round_tx, round_rx) = watch::channel::<Option<(usize, Instant)>>(None);
    let latencies: Arc<Mutex<Vec<Vec<f64>>>> = Arc::new(Mutex::new(vec![Vec::new(); rounds]));
    let open = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let addr = addr.clone();
        let host = host.clone();
        let page = page.clone();
        let rx = round_rx.clone();
        let latencies = latencies.clone();
        let open = open.clone();
        let failed = failed.clone();
        tasks.push(tokio::spawn(async move {
            // Connections are opened in waves, as a crowd arrives.
            tokio::time::sleep(Duration::from_micros((i as u64) * 300)).await;
            let Ok(mut s) = TcpStream::connect(&addr).await else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            let head = format!(
                "GET {page}/live HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\nX-Forwarded-For: 10.9.{}.{}\r\n\r\n",
                i / 256 % 256,
                i % 256
            );
            if s.write_all(head.as_bytes()).await.is_err() {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let mut lines = BufReader::new(s).lines();
            // The status line and headers.
            match lines.next_line().await {
                Ok(Some(l)) if l.contains(" 200 ") => {}
                _ => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
            while let Ok(Some(l)) = lines.next_line().await {
                if l.is_empty() {
                    break;
                }
            }
            open.fetch_add(1, Ordering::Relaxed);
            // The stream stays open after the last round (until the measurement is over), as a
            // page does: ten thousand clients hanging up the moment their last event arrives
            // would load the server with closing connections while it still delivers the
            // round to the others.
            let mut seen = vec![false; rounds];
            while let Ok(Some(l)) = lines.next_line().await {
                if !l.starts_with("data:") {
                    continue;
                }
                let now = Instant::now();
                let current = *rx.borrow();
                if let Some((round, at)) = current
                    && !seen[round]
                {
                    seen[round] = true;
                    let ms = now.duration_since(at).as_secs_f64() * 1000.0;
                    latencies.lock().unwrap()[round].push(ms);
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while open.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < n
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let opened = open.load(Ordering::Relaxed);
    eprintln!("ready {opened}");
    // Time for the bench to read the server's memory with every stream open.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let cpu_before = cpu_ticks();
    for round in 0..rounds {
        let body = format!(
            "csrf={token}&name=Bench&website=&body=Frage+{round}+aus+dem+Benchmark%3A+wie+schnell+kommt+sie+an%3F"
        );
        let head = format!(
            "POST {page} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nX-Forwarded-For: 10.8.0.{}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            round + 1,
            body.len()
        );
        round_tx.send(Some((round, Instant::now()))).unwrap();
        let (status, _) = request(&addr, head, &body).await;
        assert!(status == 303 || status == 200, "asking answered {status}");
        // Wait until every open stream has it, or five seconds.
        let until = Instant::now() + Duration::from_secs(5);
        while latencies.lock().unwrap()[round].len() < opened && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let cpu_ms = (cpu_ticks() - cpu_before) * 10;
    let all: Vec<Vec<f64>> = latencies.lock().unwrap().clone();
    let mut flat: Vec<f64> = all.iter().flatten().copied().collect();
    flat.sort_by(|a, b| a.total_cmp(b));
    let missed: usize = all.iter().map(|r| opened.saturating_sub(r.len())).sum();
    // Per round: the first delivery (the question's own way through the server) and the p99.
    let per_round: Vec<String> = all
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.sort_by(|a, b| a.total_cmp(b));
            format!(
                "[{:.1}, {:.1}]",
                r.first().copied().unwrap_or(0.0),
                percentile(&r, 99.0)
            )
        })
        .collect();
    println!(
        "{{\"connections\": {n}, \"open\": {opened}, \"failed\": {}, \"rounds\": {rounds}, \"deliveries\": {}, \"missed\": {missed}, \"p50_ms\": {:.1}, \"p90_ms\": {:.1}, \"p99_ms\": {:.1}, \"max_ms\": {:.1}, \"generator_cpu_ms\": {cpu_ms}, \"rounds_first_p99_ms\": [{}]}}",
        failed.load(Ordering::Relaxed),
        flat.len(),
        percentile(&flat, 50.0),
        percentile(&flat, 90.0),
        percentile(&flat, 99.0),
        flat.last().copied().unwrap_or(0.0),
        per_round.join(", ")
    );
    for t in tasks {
        t.abort();
    }
}
