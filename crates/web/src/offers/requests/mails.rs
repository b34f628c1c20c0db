//! The mails of requests. The person's are written in the language they asked in and carry the
//! request's own link (kept apart from the stored mail until it is sent); the provider's people
//! are written to in German with the link to the request in their office.

use super::{group, request_token, when};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Lang, Tr};
use crate::mails::{Letter, compose};
use store::mail::Outgoing;
use store::offers::requests::{Notice, Request};

/// Whom a provider's mails go to: its people (address and name), or its public address if it
/// has none (a provider the city entered).
pub(crate) async fn people(
    state: &AppState,
    provider_id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let mut people: Vec<(String, String)> = state
        .db
        .provider_people(provider_id)
        .await?
        .into_iter()
        .map(|(_, email, name)| (email, name))
        .collect();
    // A provider the city entered without people of its own hears at its public address.
    if people.is_empty()
        && let Some(p) = state.db.provider_by_id(provider_id).await?
        && domain::mail::is_address(&p.input.email)
    {
        people.push((p.input.email, p.input.name));
    }
    Ok(people)
}

/// Builds the mails of one change (see [`store::offers::requests::Mailer`]).
pub(crate) struct Mails {
    pub(crate) state: AppState,
    /// The site's name in German and English.
    pub(crate) sites: [String; 2],
    /// The provider's people (address and name), or its public address if it has none.
    people: Vec<(String, String)>,
}

impl Mails {
    /// The mails of a change of a request for an offer of provider `provider_id`.
    pub(crate) async fn new(state: &AppState, provider_id: i64) -> Result<Mails, AppError> {
        let de = crate::accounts::site_label(state, &Tr::new(Lang::De)).await?;
        let en = crate::accounts::site_label(state, &Tr::new(Lang::En)).await?;
        let people = people(state, provider_id).await?;
        Ok(Mails {
            state: state.clone(),
            sites: [de, en],
            people,
        })
    }

    /// The facts of a request, as paragraphs.
    fn facts(t: &Tr, r: &Request) -> Vec<String> {
        let mut p = vec![
            t.s("request-mail-offer", "offer", &r.offer_title),
            t.s("request-mail-when", "when", &when(t, r)),
            t.s("request-mail-group", "group", &group(t, r)),
        ];
        if !r.institution.is_empty() {
            p.push(t.s("request-mail-institution", "institution", &r.institution));
        }
        p
    }

    /// The mails of `notice` about `r`: to its person, to the provider's people, or both.
    pub(crate) fn mail(&self, r: &Request, notice: Notice) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let person = match notice {
            Notice::ConfirmAddress => Some(("confirm", "request-mail-confirm-closing")),
            Notice::Sent => Some(("sent", "request-mail-closing")),
            Notice::Accepted => Some(("accepted", "request-mail-closing")),
            Notice::Declined => Some(("declined", "request-mail-closing")),
            Notice::Proposed => Some(("proposed", "request-mail-proposed-closing")),
            Notice::ProposalAccepted | Notice::Withdrawn => None,
        };
        if let Some((what, closing)) = person {
            let (t, site) = match Lang::parse(&r.lang) {
                Some(Lang::En) => (Tr::new(Lang::En), &self.sites[1]),
                _ => (Tr::new(Lang::De), &self.sites[0]),
            };
            let arg = |k: &'static str, v: &str| (k, Arg::Str(v.to_string()));
            let mut paragraphs = vec![t.args(
                &format!("request-mail-{what}-text"),
                &[
                    arg("offer", &r.offer_title),
                    arg("provider", &r.provider_name),
                ],
            )];
            if !r.note.is_empty() && matches!(notice, Notice::Declined | Notice::Proposed) {
                paragraphs.push(t.s("request-mail-note", "note", &r.note));
            }
            paragraphs.extend(Self::facts(&t, r));
            let link = self.state.url(&format!(
                "/anfrage?token={}",
                request_token(&self.state, r.id, &r.email)
            ));
            out.push(compose(
                &t,
                Letter {
                    site,
                    to: &r.email,
                    name: &r.name,
                    subject: &t.s(
                        &format!("request-mail-{what}-subject"),
                        "offer",
                        &r.offer_title,
                    ),
                    paragraphs: &paragraphs,
                    link: Some((&link, true)),
                    closing: &t.get(closing),
                },
            ));
        }
        let provider = match notice {
            Notice::Sent => Some("new"),
            Notice::ProposalAccepted => Some("proposal-accepted"),
            Notice::Withdrawn => Some("withdrawn"),
            _ => None,
        };
        if let Some(what) = provider {
            let t = Tr::new(Lang::De);
            let mut paragraphs = vec![t.args(
                &format!("request-mail-provider-{what}-text"),
                &[
                    ("offer", Arg::Str(r.offer_title.clone())),
                    ("name", Arg::Str(r.name.clone())),
                ],
            )];
            paragraphs.extend(Self::facts(&t, r));
            if !r.message.is_empty() {
                paragraphs.push(t.s("request-mail-message", "message", &r.message));
            }
            let link = self
                .state
                .url(&format!("/anbieten/{}/anfragen/{}", r.provider_id, r.id));
            let subject = t.s(
                &format!("request-mail-provider-{what}-subject"),
                "offer",
                &r.offer_title,
            );
            out.extend(self.to_people(&subject, &paragraphs, &link));
        }
        out
    }

    /// The same letter, in German, to each of the provider's people, with `link` to their
    /// office.
    pub(crate) fn to_people(
        &self,
        subject: &str,
        paragraphs: &[String],
        link: &str,
    ) -> Vec<Outgoing> {
        let t = Tr::new(Lang::De);
        let closing = t.get("request-mail-provider-closing");
        self.people
            .iter()
            .map(|(email, name)| {
                compose(
                    &t,
                    Letter {
                        site: &self.sites[0],
                        to: email,
                        name,
                        subject,
                        paragraphs,
                        link: Some((link, false)),
                        closing: &closing,
                    },
                )
            })
            .collect()
    }
}
