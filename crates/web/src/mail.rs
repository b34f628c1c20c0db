//! Sending queued mail: over SMTP (lettre), or — with no SMTP server configured — as `.eml` files
//! in an outbox folder, so the one-command start works and a person can read what was sent.

use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use store::Db;
use store::mail::QueuedMail;
use time::OffsetDateTime;

mod smtp;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

impl Security {
    pub fn parse(v: &str) -> Option<Security> {
        match v {
            "starttls" => Some(Security::StartTls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

enum Transport {
    Outbox(PathBuf),
    Smtp(Box<smtp::Smtp>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// Writes messages as `.eml` files into `dir` (created when missing).
    pub fn outbox(dir: impl Into<PathBuf>, from: &str) -> Result<Mailer, String> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create the outbox {}: {e}", dir.display()))?;
        Ok(Mailer {
            transport: Transport::Outbox(dir),
            from: parse_from(from)?,
        })
    }

    pub fn smtp(
        host: &str,
        port: u16,
        security: Security,
        credentials: Option<(String, String)>,
        from: &str,
    ) -> Result<Mailer, String> {
        Ok(Mailer {
            transport: Transport::Smtp(Box::new(smtp::Smtp::new(
                host,
                port,
                security,
                credentials,
            )?)),
            from: parse_from(from)?,
        })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Outbox(dir) => format!("outbox folder {}", dir.display()),
            Transport::Smtp(_) => "SMTP".to_string(),
        }
    }

    fn message(&self, m: &QueuedMail) -> Result<Message, String> {
        let to: Mailbox = m
            .to_address
            .parse()
            .map_err(|e| format!("bad recipient {:?}: {e}", m.to_address))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<mail-{}@stadtradar>", m.id)));
        // A notification mail's link unsubscribes it in one click (RFC 8058).
        let builder = match (&m.secret, m.one_click_unsubscribe) {
            (Some(link), true) => builder
                .header(ListUnsubscribe(format!("<{link}>")))
                .header(ListUnsubscribePost),
            _ => builder,
        };
        // The one-time link goes in here, at the last moment; the queue keeps a placeholder.
        let (text, html) = m.bodies(crate::radar::svg::esc);
        let message = match (html, &m.calendar) {
            (Some(html), None) => builder.multipart(MultiPart::alternative_plain_html(text, html)),
            (None, None) => builder.header(ContentType::TEXT_PLAIN).body(text),
            // A calendar file goes along as an attachment (multipart/mixed), which every mail
            // program offers to add to the calendar.
            (html, Some(ics)) => {
                let content = match html {
                    Some(html) => MultiPart::alternative_plain_html(text, html),
                    None => MultiPart::mixed().singlepart(SinglePart::plain(text)),
                };
                let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                    .map_err(|e| e.to_string())?;
                builder.multipart(MultiPart::mixed().multipart(content).singlepart(
                    Attachment::new("termin.ics".to_string()).body(ics.clone(), calendar),
                ))
            }
        };
        message.map_err(|e| e.to_string())
    }

    /// One attempt to deliver a message.
    pub async fn send(&self, m: &QueuedMail) -> Result<(), String> {
        let message = self.message(m)?;
        match &self.transport {
            Transport::Outbox(dir) => {
                let path = dir.join(format!("{:08}.eml", m.id));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                tracing::info!(id = m.id, path = %path.display(), "mail written to the outbox");
                Ok(())
            }
            Transport::Smtp(t) => t.send(message.envelope(), &message.formatted()).await,
        }
    }
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the link unsubscribes by a
/// POST without anything else.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

fn parse_from(from: &str) -> Result<Mailbox, String> {
    from.parse()
        .map_err(|e| format!("setting mail_from: {from:?} is not an address: {e}"))
}

/// How long a claimed message stays reserved for this worker; renewed before every message of
/// a batch, so it only has to outlast one attempt (SMTP gives up after 15 s).
pub const LEASE: Duration = Duration::from_secs(120);

/// Sends what is due at `now`: (sent, failed) counts of this round.
pub async fn run_once(
    db: &Db,
    mailer: &Mailer,
    now: OffsetDateTime,
) -> Result<(usize, usize), store::StoreError> {
    let lease = crate::session::random_token()
        .map_err(|e| store::StoreError::Invalid(format!("no lease id: {e}")))?;
    let batch = db
        .claim_mail(&lease, now, now + LEASE, BATCH as i64)
        .await?;
    let (mut sent, mut failed) = (0, 0);
    for m in &batch {
        // The lease covers what is left of the batch from now on; a message whose lease ran out
        // (this worker stalled) may be another worker's now and is left to it.
        // … and the message is marked as being handed to the server, in the same write.
        let at = OffsetDateTime::now_utc().max(now);
        let held = db
            .renew_mail_lease(&lease, at + LEASE, Some(m.id), at)
            .await?;
        if held.binary_search(&m.id).is_err() {
            tracing::warn!(
                id = m.id,
                "mail lease lost before sending; left to its new holder"
            );
            continue;
        }
        match mailer.send(m).await {
            Ok(()) => {
                if !db
                    .mail_sent(m.id, &lease, OffsetDateTime::now_utc())
                    .await?
                {
                    tracing::warn!(
                        id = m.id,
                        "mail sent, but its lease had passed to another worker"
                    );
                }
                sent += 1;
            }
            Err(e) => {
                let retry = now + domain::mail::backoff(m.attempts);
                tracing::warn!(id = m.id, attempt = m.attempts, error = %e, "mail not sent, will retry");
                db.mail_failed(m.id, &lease, &e, m.attempts, retry).await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// Messages claimed per round of the worker.
const BATCH: usize = 50;

/// The background worker of `serve`.
pub fn spawn_worker(db: Db, mailer: Arc<Mailer>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A full batch means more is waiting (a registration rush, a digest round): the
            // next batch goes at once, not a tick later.
            loop {
                match run_once(&db, &mailer, OffsetDateTime::now_utc()).await {
                    Ok((sent, failed)) if sent + failed >= BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "mail worker could not read the queue");
                        break;
                    }
                }
            }
        }
    })
}
