//! The e-mails stadtradar sends, in the reader's language, as plain text and HTML.

use crate::i18n::{Arg, Tr};
use crate::radar::svg::esc;
use store::mail::Outgoing;

/// Which message.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    ConfirmEmail,
    ResetPassword,
    AlreadyRegistered,
    /// To the new address: the link that confirms the change.
    ChangeEmail,
    /// To the old address: a change was requested (the link leads to a new password).
    ChangeEmailNotice,
    /// To the new address when it already has an account: nothing changes.
    ChangeEmailTaken,
    /// To a guest: the link that publishes their comment.
    ConfirmComment,
    /// To a guest: the link that counts their rating (`$address`: the measure's title).
    ConfirmRating,
}

/// Builds a message with a greeting, the explanation, the link and a closing note.
pub fn build(t: &Tr, kind: Kind, site: &str, to: &str, name: &str, link: &str) -> Outgoing {
    build_with(t, kind, site, to, name, link, "")
}

/// [`build`] for messages that also name an address (`$address`: the new one of a change).
pub fn build_with(
    t: &Tr,
    kind: Kind,
    site: &str,
    to: &str,
    name: &str,
    link: &str,
    address: &str,
) -> Outgoing {
    let (subject, text, closing) = match kind {
        Kind::ConfirmEmail => ("mail-confirm-subject", "mail-confirm-text", "mail-ignore"),
        Kind::ResetPassword => ("mail-reset-subject", "mail-reset-text", "mail-ignore"),
        Kind::AlreadyRegistered => ("mail-exists-subject", "mail-exists-text", "mail-ignore"),
        Kind::ChangeEmail => (
            "mail-email-change-subject",
            "mail-email-change-text",
            "mail-ignore",
        ),
        Kind::ChangeEmailNotice => (
            "mail-email-notice-subject",
            "mail-email-notice-text",
            "mail-email-notice-closing",
        ),
        Kind::ChangeEmailTaken => (
            "mail-email-taken-subject",
            "mail-email-taken-text",
            "mail-ignore",
        ),
        Kind::ConfirmComment => ("mail-guest-subject", "mail-guest-text", "mail-guest-ignore"),
        Kind::ConfirmRating => (
            "mail-rating-subject",
            "mail-rating-text",
            "mail-rating-ignore",
        ),
    };
    let args = [
        ("site", Arg::Str(site.to_string())),
        ("address", Arg::Str(address.to_string())),
    ];
    let body = t.args(text, &args);
    compose(
        t,
        Letter {
            site,
            to,
            name,
            subject: &t.args(subject, &args[..1]),
            paragraphs: &[body],
            link: Some((link, kind.carries_token())),
            closing: &t.get(closing),
        },
    )
}

/// What a mail says: the greeting goes to `name` (none: a plain one), then the paragraphs, the
/// link and the closing note, signed by the site.
pub struct Letter<'a> {
    pub site: &'a str,
    pub to: &'a str,
    pub name: &'a str,
    pub subject: &'a str,
    pub paragraphs: &'a [String],
    /// The link, and whether it is a secret (stored apart, put in only when sent).
    pub link: Option<(&'a str, bool)>,
    pub closing: &'a str,
}

/// Writes a [`Letter`] as plain text and HTML.
pub fn compose(t: &Tr, l: Letter<'_>) -> Outgoing {
    let greeting = if l.name.is_empty() {
        t.get("mail-greeting-plain")
    } else {
        t.s("mail-greeting", "name", l.name)
    };
    // A link with a token is stored apart and put in only when the message is sent.
    let (link, secret) = match l.link {
        Some((link, true)) => (
            Some(store::mail::SECRET_PLACEHOLDER),
            Some(link.to_string()),
        ),
        Some((link, false)) => (Some(link), None),
        None => (None, None),
    };
    let mut plain = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body><p>{}</p>",
        t.lang.code(),
        esc(&greeting)
    );
    for p in l.paragraphs {
        plain.push_str(p);
        plain.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", esc(p)));
    }
    if let Some(link) = link {
        plain.push_str(link);
        plain.push_str("\n\n");
        html.push_str(&format!("<p><a href=\"{l}\">{l}</a></p>", l = esc(link)));
    }
    plain.push_str(&format!("{}\n\n-- \n{}\n", l.closing, l.site));
    html.push_str(&format!(
        "<p>{}</p><p>– {}</p></body></html>",
        esc(l.closing),
        esc(l.site)
    ));
    Outgoing {
        to: l.to.to_string(),
        subject: l.subject.to_string(),
        text: plain,
        html: Some(html),
        secret,
        one_click_unsubscribe: false,
        calendar: None,
    }
}

impl Kind {
    /// Whether the message's link holds a one-time token.
    pub fn carries_token(self) -> bool {
        matches!(
            self,
            Kind::ConfirmEmail
                | Kind::ResetPassword
                | Kind::ChangeEmail
                | Kind::ConfirmComment
                | Kind::ConfirmRating
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn mails_carry_link_and_site_in_both_languages() {
        let m = build(
            &Tr::new(Lang::De),
            Kind::ConfirmEmail,
            "Digitalisierungsradar Musterstadt",
            "a@b.de",
            "Anna <3",
            "https://x/k?token=1&a=2",
        );
        assert_eq!(
            m.subject,
            "Bitte bestätigen Sie Ihre E-Mail-Adresse – Digitalisierungsradar Musterstadt"
        );
        assert!(m.text.starts_with("Guten Tag Anna <3,"));
        // The link with its token is kept apart; the stored bodies hold the placeholder.
        assert_eq!(m.secret.as_deref(), Some("https://x/k?token=1&a=2"));
        assert!(!m.text.contains("token=1"));
        assert!(!m.html.as_deref().unwrap_or("").contains("token=1"));
        let queued = store::mail::QueuedMail {
            id: 1,
            to_address: m.to.clone(),
            subject: m.subject.clone(),
            body_text: m.text.clone(),
            body_html: m.html.clone(),
            attempts: 1,
            lease_id: "l".into(),
            secret: m.secret.clone(),
            one_click_unsubscribe: false,
            calendar: None,
        };
        let (text, html) = queued.bodies(esc);
        assert!(text.contains("https://x/k?token=1&a=2"));
        let html = html.unwrap();
        assert!(html.contains("Anna &lt;3"), "names are escaped in HTML");
        assert!(html.contains("href=\"https://x/k?token=1&amp;a=2\""));
        // A notice without a token keeps its link in the body.
        let notice = build(
            &Tr::new(Lang::De),
            Kind::ChangeEmailNotice,
            "Radar",
            "a@b.de",
            "Anna",
            "https://x/passwort-vergessen",
        );
        assert!(notice.secret.is_none());
        assert!(notice.text.contains("https://x/passwort-vergessen"));
        let en = build(
            &Tr::new(Lang::En),
            Kind::ResetPassword,
            "Radar",
            "a@b.de",
            "Anna",
            "https://x",
        );
        assert!(en.subject.starts_with("Set a new password"));
    }
}
