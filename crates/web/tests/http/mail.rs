//! The mail queue: delivery over SMTP through an outage, the outbox folder without SMTP, and
//! bad recipients.
use super::*;

/// A minimal SMTP server for tests: accepts every message and keeps its text.
mod smtp_sink {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// Each message's body, with the number of the connection it came over.
    pub type Inbox = Arc<Mutex<Vec<(usize, String)>>>;

    pub async fn start(port: u16) -> (Inbox, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let inbox: Inbox = Arc::default();
        let keep = inbox.clone();
        let task = tokio::spawn(async move {
            for connection in 1.. {
                let Ok((sock, _)) = listener.accept().await else {
                    break;
                };
                let inbox = keep.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let cmd = line.to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if cmd.starts_with("DATA") {
                            let _ = w.write_all(b"354 go on\r\n").await;
                            let mut body = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                body.push_str(&l);
                                body.push('\n');
                            }
                            inbox.lock().unwrap().push((connection, body));
                            b"250 queued\r\n"
                        } else if cmd.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (inbox, task)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ten_messages() -> Vec<store::mail::Outgoing> {
    (0..10)
        .map(|i| store::mail::Outgoing {
            to: format!("buerger{i}@musterstadt.example"),
            subject: format!("Bestätigung {i}"),
            text: format!("Hallo {i}, Ihre Anmeldung ist eingegangen."),
            html: Some(format!("<p>Hallo {i}, Ihre Anmeldung ist eingegangen.</p>")),
            secret: None,
            one_click_unsubscribe: false,
            // The first carries a calendar file, as a registration's confirmation does.
            calendar: (i == 0)
                .then(|| "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".to_string()),
        })
        .collect()
}

db_test!(
    mail_survives_an_smtp_outage_and_arrives_once,
    |db| async move {
        use time::{Duration, OffsetDateTime};
        let port = free_port();
        let mailer = web::mail::Mailer::smtp(
            "127.0.0.1",
            port,
            web::mail::Security::None,
            None,
            "Radar <radar@musterstadt.example>",
        )
        .unwrap();
        for m in ten_messages() {
            db.enqueue_mail(&m).await.unwrap();
        }
        let now = OffsetDateTime::now_utc();
        // The SMTP server is down: every attempt fails and nothing is lost.
        assert_eq!(
            web::mail::run_once(&db, &mailer, now).await.unwrap(),
            (0, 10)
        );
        assert_eq!(db.mail_stats().await.unwrap().queued, 10);
        let (inbox, sink) = smtp_sink::start(port).await;
        // Not due again before the back-off has passed.
        assert_eq!(
            web::mail::run_once(&db, &mailer, now).await.unwrap(),
            (0, 0)
        );
        assert_eq!(
            web::mail::run_once(&db, &mailer, now + Duration::seconds(31))
                .await
                .unwrap(),
            (10, 0)
        );
        assert_eq!(
            web::mail::run_once(&db, &mailer, now + Duration::hours(1))
                .await
                .unwrap(),
            (0, 0)
        );
        let (connections, received): (Vec<usize>, Vec<String>) =
            inbox.lock().unwrap().iter().cloned().unzip();
        assert_eq!(received.len(), 10);
        // All ten over one connection, kept open between messages.
        assert!(connections.iter().all(|&c| c == 1), "{connections:?}");
        for i in 0..10 {
            let n = received
                .iter()
                .filter(|m| m.contains(&format!("buerger{i}@musterstadt.example")))
                .count();
            assert_eq!(n, 1, "message {i} arrived {n} times");
        }
        assert!(received[0].contains("From: Radar <radar@musterstadt.example>"));
        assert!(received[0].contains("multipart/alternative"));
        let stats = db.mail_stats().await.unwrap();
        assert_eq!((stats.queued, stats.sent, stats.failed), (0, 10, 0));
        sink.abort();
    }
);

db_test!(
    without_smtp_mail_lands_in_the_outbox_folder,
    |db| async move {
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-outbox-{}-{}",
            std::process::id(),
            free_port()
        ));
        let mailer = web::mail::Mailer::outbox(&dir, "Radar <radar@musterstadt.example>").unwrap();
        for m in ten_messages() {
            db.enqueue_mail(&m).await.unwrap();
        }
        let sent = web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        assert_eq!(sent, (10, 0));
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 10);
        let one =
            std::fs::read_to_string(files.iter().find(|p| p.ends_with("00000001.eml")).unwrap())
                .unwrap();
        assert!(one.contains("To: buerger0@musterstadt.example"));
        // The calendar file is an attachment beside the text and HTML.
        assert!(one.contains("multipart/mixed"), "{one}");
        assert!(one.contains("multipart/alternative"));
        assert!(one.contains("text/calendar"));
        assert!(one.contains("filename=\"termin.ics\""), "{one}");
        let two =
            std::fs::read_to_string(files.iter().find(|p| p.ends_with("00000002.eml")).unwrap())
                .unwrap();
        assert!(!two.contains("text/calendar") && !two.contains("multipart/mixed"));
        assert!(
            one.contains("Subject: =?utf-8?") || one.contains("Subject: Best"),
            "{one}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
);

db_test!(
    a_bad_recipient_is_retried_and_reported_not_crashed,
    |db| async move {
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-outbox-bad-{}-{}",
            std::process::id(),
            free_port()
        ));
        let mailer = web::mail::Mailer::outbox(&dir, "radar@musterstadt.example").unwrap();
        db.enqueue_mail(&store::mail::Outgoing {
            to: "kein empfänger".into(),
            subject: "x".into(),
            text: "x".into(),
            html: None,
            secret: None,
            one_click_unsubscribe: false,
            calendar: None,
        })
        .await
        .unwrap();
        assert_eq!(
            web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc())
                .await
                .unwrap(),
            (0, 1)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
);

db_test!(
    a_sent_confirmation_leaves_no_usable_link_in_the_queue,
    |db| async move {
        use super::accounts::post;
        let app = app(&db).await;
        let r = post(
            &app,
            "/registrieren",
            "name=Lena&email=lena%40musterstadt.example&password=Gruene+Ampel+am+Rathausplatz&password2=Gruene+Ampel+am+Rathausplatz",
            None,
        )
        .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let dir = std::env::temp_dir().join(format!(
            "stadtradar-outbox-link-{}-{}",
            std::process::id(),
            free_port()
        ));
        let mailer = web::mail::Mailer::outbox(&dir, "radar@musterstadt.example").unwrap();
        let (sent, failed) = web::mail::run_once(&db, &mailer, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        assert_eq!((sent, failed), (1, 0));
        // The delivered message (the outbox is the mailbox of an install without SMTP) has the
        // link; it is the one a person follows.
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        // Undo quoted-printable: soft line breaks and the escaped `=`.
        let eml = std::fs::read_to_string(&file)
            .unwrap()
            .replace("=\r\n", "")
            .replace("=3D", "=");
        let token = eml
            .split("konto/bestaetigen?token=")
            .nth(1)
            .expect("the link in the delivered mail")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect::<String>();
        assert!(token.len() >= 20, "{eml}");
        assert!(!eml.contains(store::mail::SECRET_PLACEHOLDER));
        // The queue keeps no trace of it, in any column.
        let rows: Vec<(String, String, Option<String>, Option<String>)> = store::on_db!(&db, p =>
            sqlx::query_as("SELECT subject, body_text, body_html, secret FROM mail_queue")
                .fetch_all(p).await.unwrap());
        assert_eq!(rows.len(), 1);
        let stored = format!("{:?}", rows[0]);
        assert!(
            !stored.contains(&token),
            "the queue still holds the link: {stored}"
        );
        assert!(stored.contains(store::mail::SECRET_PLACEHOLDER));
        let _ = std::fs::remove_dir_all(&dir);
    }
);
