//! The real server on 127.0.0.1:0: connections that send nothing, half a request line or stay
//! idle are closed within the timeout; the connection's address reaches the rate limits; the
//! shutdown signal stops the server even with connections open.
use super::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMITS: web::server::Limits = web::server::Limits {
    header_read_timeout: Duration::from_millis(700),
    idle_timeout: Duration::from_secs(3),
    shutdown_grace: Duration::from_secs(2),
};

pub(super) struct Running {
    pub(super) addr: SocketAddr,
    pub(super) stop: tokio::sync::oneshot::Sender<()>,
    pub(super) done: tokio::task::JoinHandle<()>,
}

/// Serves `app` on a free port of 127.0.0.1 with short limits.
pub(super) async fn start(app: axum::Router) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(web::server::serve(listener, app, LIMITS, async move {
        let _ = stopped.await;
    }));
    Running { addr, stop, done }
}

/// Reads until the server closes the connection; returns what came and how long it took.
pub(super) async fn until_closed(s: &mut TcpStream) -> (String, Duration) {
    let t = Instant::now();
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (String::from_utf8_lossy(&all).into_owned(), t.elapsed())
}

/// One request with `Connection: close`; the status code of the answer.
async fn request(addr: SocketAddr, raw: &str) -> u16 {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw.as_bytes()).await.unwrap();
    let (answer, _) = until_closed(&mut s).await;
    answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"))
}

db_test!(
    silent_and_slow_connections_are_closed_in_time,
    |db| async move {
        let server = start(app(&db).await).await;
        let opened = Instant::now();
        // Nothing at all.
        let mut silent = TcpStream::connect(server.addr).await.unwrap();
        // Half a request line.
        let mut half = TcpStream::connect(server.addr).await.unwrap();
        half.write_all(b"GET /healthz HT").await.unwrap();
        for s in [&mut silent, &mut half] {
            until_closed(s).await;
            let took = opened.elapsed();
            assert!(
                took >= Duration::from_millis(500) && took < Duration::from_secs(3),
                "closed after {took:?}"
            );
        }
        // A kept-alive connection after its answer: closed once it has been idle that long.
        let mut kept = TcpStream::connect(server.addr).await.unwrap();
        kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: radar.example\r\n\r\n")
            .await
            .unwrap();
        let (answer, took) = until_closed(&mut kept).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(took < Duration::from_secs(3), "closed after {took:?}");
        // A body that stops coming: closed once nothing has moved for the idle limit.
        let mut stalled = TcpStream::connect(server.addr).await.unwrap();
        stalled
            .write_all(
                b"POST /anmelden HTTP/1.1\r\nHost: radar.example\r\nOrigin: https://radar.example\r\n\
                  Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
            )
            .await
            .unwrap();
        let (_, took) = until_closed(&mut stalled).await;
        assert!(
            took >= Duration::from_millis(2500) && took < Duration::from_secs(6),
            "closed after {took:?}"
        );
        // A normal request still gets its answer.
        assert_eq!(
            request(
                server.addr,
                "GET /healthz HTTP/1.1\r\nHost: radar.example\r\nConnection: close\r\n\r\n"
            )
            .await,
            200
        );
        // Shutdown with a connection open stops the server within the grace period.
        let _open = TcpStream::connect(server.addr).await.unwrap();
        let t = Instant::now();
        server.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server.done)
            .await
            .expect("the server stopped")
            .unwrap();
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
        assert!(TcpStream::connect(server.addr).await.is_err());
    }
);

db_test!(
    the_connection_address_reaches_the_rate_limits,
    |db| async move {
        // Behind a trusted proxy on 127.0.0.1: only with the connection's address does the
        // server believe X-Forwarded-For, so two forwarded clients have two buckets.
        let server = start(super::client_addr::app_behind_proxy(&db).await).await;
        let login = |client: &str, n: i64| {
            let body = format!("email=wer{n}%40example.org&password=falsch-falsch");
            format!(
                "POST /anmelden HTTP/1.1\r\nHost: radar.example\r\nOrigin: https://radar.example\r\n\
                 X-Forwarded-For: {client}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        };
        for n in 0..web::accounts::LOGIN_PER_CLIENT {
            assert_eq!(request(server.addr, &login("203.0.113.5", n)).await, 401);
        }
        assert_eq!(request(server.addr, &login("203.0.113.5", 99)).await, 429);
        assert_eq!(request(server.addr, &login("203.0.113.6", 99)).await, 401);
        server.stop.send(()).unwrap();
        server.done.await.unwrap();
    }
);
