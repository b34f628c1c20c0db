//! The connection to the SMTP server: one at a time, kept open between messages, with
//! `TCP_NODELAY` set.
//!
//! Why not lettre's own transport: it writes a message's body and its closing `.` in two writes
//! on a socket with Nagle's algorithm on, so the small closing write waits for the server's
//! acknowledgement of the body, which the server delays (about 40 ms on Linux) because it has
//! nothing to answer yet. That held every message for 40 ms: about 20 mails a second, whatever
//! the server. Here the socket is opened by us, with `TCP_NODELAY`, and handed to lettre's
//! connection, which still speaks SMTP (EHLO, STARTTLS, AUTH, the message).

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

use super::Security;

/// How long connecting, or one message, may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// A connection idle longer than this is checked (NOOP) before it is used again; servers close
/// idle connections after a minute or more.
const FRESH: Duration = Duration::from_secs(5);

pub(super) struct Smtp {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    /// For implicit TLS (`tls`, port 465).
    connector: Option<tokio_rustls::TlsConnector>,
    idle: Mutex<Option<(AsyncSmtpConnection, Instant)>>,
}

impl Smtp {
    pub(super) fn new(
        host: &str,
        port: u16,
        security: Security,
        credentials: Option<(String, String)>,
    ) -> Result<Smtp, String> {
        let connector = match security {
            Security::Tls => {
                let roots = rustls::RootCertStore::from_iter(
                    webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
                );
                let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?
                .with_root_certificates(roots)
                .with_no_client_auth();
                Some(tokio_rustls::TlsConnector::from(Arc::new(config)))
            }
            _ => None,
        };
        // The name is checked here, so a bad host stops start-up rather than every message.
        if security != Security::None {
            rustls::pki_types::ServerName::try_from(host.to_string())
                .map_err(|e| format!("setting smtp_host: {host:?}: {e}"))?;
        }
        Ok(Smtp {
            host: host.to_string(),
            port,
            security,
            credentials: credentials.map(|(u, p)| Credentials::new(u, p)),
            hello: ClientId::default(),
            connector,
            idle: Mutex::new(None),
        })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("connecting to {}:{}: {e}", self.host, self.port))?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        let stream: Box<dyn AsyncTokioStream> = match &self.connector {
            Some(connector) => {
                let name = rustls::pki_types::ServerName::try_from(self.host.clone())
                    .map_err(|e| e.to_string())?;
                let tls = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS with {}: {e}", self.host))?;
                Box::new(Tls(tls))
            }
            None => Box::new(tcp),
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| e.to_string())?;
        if self.security == Security::StartTls {
            let tls = TlsParameters::new(self.host.clone()).map_err(|e| e.to_string())?;
            conn.starttls(tls, &self.hello)
                .await
                .map_err(|e| format!("STARTTLS: {e}"))?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| format!("login: {e}"))?;
        }
        Ok(conn)
    }

    /// One attempt to hand a message to the server, on the open connection if there is one.
    pub(super) async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), String> {
        let mut idle = self.idle.lock().await;
        let mut conn = match idle.take() {
            Some((mut conn, since)) => {
                if since.elapsed() < FRESH
                    || tokio::time::timeout(TIMEOUT, conn.test_connected())
                        .await
                        .unwrap_or(false)
                {
                    conn
                } else {
                    // QUIT on a connection that may be dead: not waited for long.
                    let _ = tokio::time::timeout(Duration::from_secs(2), conn.abort()).await;
                    self.fresh().await?
                }
            }
            None => self.fresh().await?,
        };
        let sent = tokio::time::timeout(TIMEOUT, conn.send(envelope, message)).await;
        match sent {
            Ok(Ok(_)) => {
                *idle = Some((conn, Instant::now()));
                Ok(())
            }
            Ok(Err(e)) => {
                // A refusal of this one message leaves the connection usable.
                if !conn.has_broken() {
                    *idle = Some((conn, Instant::now()));
                }
                Err(e.to_string())
            }
            Err(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
        }
    }

    async fn fresh(&self) -> Result<AsyncSmtpConnection, String> {
        tokio::time::timeout(TIMEOUT, self.connect())
            .await
            .unwrap_or_else(|_| Err(format!("no connection within {} s", TIMEOUT.as_secs())))
    }
}

/// A TLS stream as lettre's connection takes it.
struct Tls(tokio_rustls::client::TlsStream<TcpStream>);

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls")
    }
}

impl AsyncTokioStream for Tls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for Tls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
