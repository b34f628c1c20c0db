//! Volunteering: the roles providers need people for (`/ehrenamt`, `/ehrenamt/{slug}`), the
//! application with a message (`/ehrenamt/{slug}/bewerben`; guests confirm their address by
//! the link in a mail), an application's own page (`/bewerbung?token=…`), and the provider's
//! side (`/anbieten/{provider}/ehrenamt`): roles written and changed, applications accepted or
//! declined with a reason. Both sides are told by mail.

mod apply;
mod office;
mod pages;

pub use apply::{application_page, apply, apply_form, confirm_application, withdraw_application};
pub use office::{
    create_role, decide_application, edit_role_form, new_role_form, office_roles, update_role,
};
pub use pages::{role_page, roles};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Lang, Tr};
use crate::mails::{Letter, compose};
use crate::session::{hmac_hex, same_secret};
use store::mail::Outgoing;
use store::offers::requests::Notice;
use store::offers::volunteering::applications::Application;

/// What the token is for (mixed into its HMAC).
const PURPOSE: &str = "volunteer-application";

/// The token of application `id` made with address `email`: `<id>.<HMAC>`, nothing stored.
pub(crate) fn application_token(state: &AppState, id: i64, email: &str) -> String {
    let mac = hmac_hex(state.pepper.as_bytes(), &format!("{PURPOSE}:{id}:{email}"));
    format!("{id}.{}", &mac[..32])
}

/// The application a token was made for; a wrong token is a clear error.
pub(crate) async fn by_token(state: &AppState, token: &str) -> Result<Application, AppError> {
    let unknown = || AppError::bad("token", "token-unknown");
    let id: i64 = token
        .split_once('.')
        .and_then(|(id, _)| id.parse().ok())
        .filter(|id| *id > 0)
        .ok_or_else(unknown)?;
    let a = state.db.application(id).await?.ok_or_else(unknown)?;
    if same_secret(&application_token(state, a.id, &a.email), token) {
        Ok(a)
    } else {
        Err(unknown())
    }
}

/// Builds the mails of a change of an application: to its person (in their language, with
/// the application's link) and to the provider's people (in German, with the office's link).
pub(crate) struct Mails {
    /// The site's names, and whom the provider's mails go to (as for requests).
    base: super::requests::ProviderMails,
}

impl Mails {
    pub(crate) async fn new(state: &AppState, provider_id: i64) -> Result<Mails, AppError> {
        Ok(Mails {
            base: super::requests::ProviderMails::new(state, provider_id).await?,
        })
    }

    pub(crate) fn mail(&self, a: &Application, notice: Notice) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let person = match notice {
            Notice::ConfirmAddress => Some(("confirm", "volunteer-mail-confirm-closing")),
            Notice::Sent => Some(("sent", "volunteer-mail-closing")),
            Notice::Accepted => Some(("accepted", "volunteer-mail-closing")),
            Notice::Declined => Some(("declined", "volunteer-mail-closing")),
            _ => None,
        };
        if let Some((what, closing)) = person {
            let (t, site) = match Lang::parse(&a.lang) {
                Some(Lang::En) => (Tr::new(Lang::En), &self.base.sites[1]),
                _ => (Tr::new(Lang::De), &self.base.sites[0]),
            };
            let mut paragraphs = vec![t.args(
                &format!("volunteer-mail-{what}-text"),
                &[
                    ("role", Arg::Str(a.role_title.clone())),
                    ("provider", Arg::Str(a.provider_name.clone())),
                ],
            )];
            if notice == Notice::Declined && !a.note.is_empty() {
                paragraphs.push(t.s("request-mail-note", "note", &a.note));
            }
            let link = self.base.state.url(&format!(
                "/bewerbung?token={}",
                application_token(&self.base.state, a.id, &a.email)
            ));
            out.push(compose(
                &t,
                Letter {
                    site,
                    to: &a.email,
                    name: &a.name,
                    subject: &t.s(
                        &format!("volunteer-mail-{what}-subject"),
                        "role",
                        &a.role_title,
                    ),
                    paragraphs: &paragraphs,
                    link: Some((&link, true)),
                    closing: &t.get(closing),
                },
            ));
        }
        let provider = match notice {
            Notice::Sent => Some("new"),
            Notice::Withdrawn => Some("withdrawn"),
            _ => None,
        };
        if let Some(what) = provider {
            let t = Tr::new(Lang::De);
            let mut paragraphs = vec![t.args(
                &format!("volunteer-mail-provider-{what}-text"),
                &[
                    ("role", Arg::Str(a.role_title.clone())),
                    ("name", Arg::Str(a.name.clone())),
                ],
            )];
            if notice == Notice::Sent {
                paragraphs.push(t.s("request-mail-message", "message", &a.message));
            }
            let link = self.base.state.url(&format!(
                "/anbieten/{}/ehrenamt/{}",
                a.provider_id, a.role_id
            ));
            let subject = t.s(
                &format!("volunteer-mail-provider-{what}-subject"),
                "role",
                &a.role_title,
            );
            out.extend(self.base.to_people(&subject, &paragraphs, &link));
        }
        out
    }
}

/// The name of an application's state, for lists.
pub(crate) fn state_name(t: &Tr, s: domain::offers::requests::RequestState) -> String {
    t.get(&format!("volunteer-state-name-{}", s.as_str()))
}
