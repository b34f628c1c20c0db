//! The e-mails stadtradar sends, in the reader's language, as plain text and HTML.

use crate::i18n::{Arg, Tr};
use crate::radar::esc;
use store::mail::Outgoing;

/// Which message.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    ConfirmEmail,
    ResetPassword,
    AlreadyRegistered,
}

/// Builds a message with a greeting, the explanation, the link and a closing note.
pub fn build(t: &Tr, kind: Kind, site: &str, to: &str, name: &str, link: &str) -> Outgoing {
    let (subject, text) = match kind {
        Kind::ConfirmEmail => ("mail-confirm-subject", "mail-confirm-text"),
        Kind::ResetPassword => ("mail-reset-subject", "mail-reset-text"),
        Kind::AlreadyRegistered => ("mail-exists-subject", "mail-exists-text"),
    };
    let site_arg = [("site", Arg::Str(site.to_string()))];
    let greeting = t.s("mail-greeting", "name", name);
    let body = t.args(text, &site_arg);
    let ignore = t.get("mail-ignore");
    let plain = format!("{greeting}\n\n{body}\n\n{link}\n\n{ignore}\n\n-- \n{site}\n");
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><body><p>{g}</p><p>{b}</p><p><a href=\"{l}\">{l}</a></p><p>{i}</p><p>– {s}</p></body></html>",
        lang = t.lang.code(),
        g = esc(&greeting),
        b = esc(&body),
        l = esc(link),
        i = esc(&ignore),
        s = esc(site),
    );
    Outgoing {
        to: to.to_string(),
        subject: t.args(subject, &site_arg),
        text: plain,
        html: Some(html),
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
        assert!(m.text.contains("https://x/k?token=1&a=2"));
        let html = m.html.unwrap();
        assert!(html.contains("Anna &lt;3"), "names are escaped in HTML");
        assert!(html.contains("href=\"https://x/k?token=1&amp;a=2\""));
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
