//! Notification mail: every minute each instance asks who has notifications due (written "at
//! once", or for the daily digest up to today's digest time) and queues one mail per person,
//! claiming the notifications in the same transaction (`Db::mail_notifications`), so each is
//! mailed once however many instances ask. Every mail carries the one-click unsubscribe
//! (`List-Unsubscribe`, `List-Unsubscribe-Post`).

use super::views::{describe, local_time};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::radar::svg::esc;
use domain::notifications::DigestTime;
use store::mail::{Outgoing, SECRET_PLACEHOLDER};
use store::notifications::{DigestRecipient, Notification};
use time::OffsetDateTime;

/// The site setting with the digest's time of day (`HH:MM`, German time).
pub const DIGEST_TIME_KEY: &str = "notification_digest_time";

/// People asked per round of the task.
const BATCH: i64 = 100;

/// The time of day of the daily digest (07:00 unless the admins chose another).
pub async fn digest_time(state: &AppState) -> Result<DigestTime, AppError> {
    Ok(state
        .db
        .setting(DIGEST_TIME_KEY)
        .await?
        .as_deref()
        .and_then(DigestTime::parse)
        .unwrap_or_default())
}

/// Queues the notification mail due at `now`; returns how many mails were queued.
pub async fn send_due(state: &AppState, now: OffsetDateTime) -> Result<usize, AppError> {
    let due = digest_time(state).await?.last_due(now);
    let site = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    let mut queued = 0;
    let mut after = 0;
    loop {
        let people = state.db.notification_mail_due(due, after, BATCH).await?;
        for &id in &people {
            let build =
                |to: &DigestRecipient, list: &[Notification]| Some(message(state, &site, to, list));
            if state.db.mail_notifications(id, due, now, &build).await? {
                queued += 1;
            }
        }
        match people.last() {
            Some(last) if people.len() as i64 == BATCH => after = *last,
            _ => break,
        }
    }
    Ok(queued)
}

/// The mail to `to` with `list`: one line and its text per notification, with links, and the
/// unsubscribe link (stored apart from the body until the mail is sent, and put in the
/// `List-Unsubscribe` header as well).
pub fn message(
    state: &AppState,
    site: &str,
    to: &DigestRecipient,
    list: &[Notification],
) -> Outgoing {
    let t = Tr::new(Lang::De);
    let count = list.len() as i64;
    let subject = t.args(
        "notification-mail-subject",
        &[
            ("count", crate::i18n::Arg::Num(count)),
            ("site", crate::i18n::Arg::Str(site.to_string())),
        ],
    );
    let greeting = t.s("mail-greeting", "name", &to.display_name);
    let intro = t.n("notification-mail-intro", "count", count);
    let mut plain = format!("{greeting}\n\n{intro}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"de\"><body><p>{}</p><p>{}</p><ul>",
        esc(&greeting),
        esc(&intro)
    );
    for n in list {
        let d = describe(&t, n);
        let link = state.url(&n.link);
        let when = local_time(n.created_at);
        plain.push_str(&format!("* {} ({when})\n", d.heading));
        if !d.text.is_empty() {
            plain.push_str(&format!("  {}\n", d.text));
        }
        plain.push_str(&format!("  {link}\n\n"));
        html.push_str(&format!(
            "<li><p><a href=\"{}\">{}</a> ({})</p>{}</li>",
            esc(&link),
            esc(&d.heading),
            esc(&when),
            if d.text.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", esc(&d.text))
            }
        ));
    }
    let settings = state.url("/konto/benachrichtigungen");
    let why = t.get("notification-mail-why");
    let stop = t.get("notification-mail-unsubscribe");
    plain.push_str(&format!(
        "{why} {settings}\n\n{stop}\n{SECRET_PLACEHOLDER}\n\n-- \n{site}\n"
    ));
    html.push_str(&format!(
        "</ul><p>{} <a href=\"{}\">{}</a></p><p>{} <a href=\"{SECRET_PLACEHOLDER}\">{SECRET_PLACEHOLDER}</a></p><p>– {}</p></body></html>",
        esc(&why),
        esc(&settings),
        esc(&settings),
        esc(&stop),
        esc(site)
    ));
    Outgoing {
        to: to.email.clone(),
        subject,
        text: plain,
        html: Some(html),
        secret: Some(super::unsubscribe_url(state, to.user_id)),
        one_click_unsubscribe: true,
        calendar: None,
    }
}
