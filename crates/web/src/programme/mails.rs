//! The mails of registrations: confirm the address, registered (with the calendar file) or
//! waiting, already registered, a place offered from the waiting list, a reminder, a change.
//! Every one is written in the language its person registered in and carries the registration's
//! own link, which is kept apart from the stored mail until it is sent.

use super::manage::registration_url;
use super::{clock, day, fee_label, span};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Lang, Tr};
use crate::mails::{Letter, compose};
use domain::programme::registration::RegState;
use store::mail::Outgoing;
use store::programme::registrations::{Notice, Registration};

/// What the mails of one language share: the language, the site's name in it, the fee and the
/// change as said in it.
struct InLang {
    t: Tr,
    site: String,
    fee: Option<String>,
    changed: Option<String>,
}

/// Builds the mails of one change (see [`store::programme::registrations::Mailer`]), each in
/// its person's language.
pub(crate) struct Mails {
    state: AppState,
    /// German and English.
    langs: [InLang; 2],
    /// The calendar file of the event or session, sent with a confirmed registration.
    calendar: Option<String>,
}

impl Mails {
    /// The mails of a change; `calendar` and `fee` (in cents, and how it is paid) go into
    /// confirmations.
    pub(crate) async fn new(
        state: &AppState,
        calendar: Option<String>,
        fee: Option<(Option<i64>, String)>,
    ) -> Result<Mails, AppError> {
        let mut langs = Vec::with_capacity(2);
        for lang in [Lang::De, Lang::En] {
            let t = Tr::new(lang);
            langs.push(InLang {
                t,
                site: crate::accounts::site_label(state, &t).await?,
                fee: fee
                    .as_ref()
                    .and_then(|(cents, note)| fee_text(&t, *cents, note)),
                changed: None,
            });
        }
        let [de, en]: [InLang; 2] = langs
            .try_into()
            .map_err(|_| AppError::Internal("two languages".into()))?;
        Ok(Mails {
            state: state.clone(),
            langs: [de, en],
            calendar,
        })
    }

    /// The same mails, telling of a change (`Notice::Changed`) as `text` says it in a language.
    pub(crate) fn telling(mut self, text: impl Fn(&Tr) -> String) -> Mails {
        for l in &mut self.langs {
            l.changed = Some(text(&l.t));
        }
        self
    }

    /// The mail of `notice` for registration `r`, in the language `r` was made in.
    pub(crate) fn mail(&self, r: &Registration, notice: Notice) -> Option<Outgoing> {
        let l = match Lang::parse(&r.lang) {
            Some(Lang::En) => &self.langs[1],
            _ => &self.langs[0],
        };
        let t = &l.t;
        let what = what(t, r);
        let when = span(t, r.starts_at, r.ends_at);
        let arg = |k: &'static str, v: &str| (k, Arg::Str(v.to_string()));
        let (subject, mut paragraphs, closing) = match (notice, r.state) {
            (Notice::ConfirmAddress, _) => (
                "registration-mail-confirm-subject",
                vec![t.args("registration-mail-confirm-text", &[arg("what", &what)])],
                "registration-mail-ignore",
            ),
            (Notice::Registered, RegState::Confirmed) => (
                "registration-mail-confirmed-subject",
                vec![t.args("registration-mail-confirmed-text", &[arg("what", &what)])],
                "registration-mail-cancel-hint",
            ),
            (Notice::Registered, _) => (
                "registration-mail-waiting-subject",
                vec![t.args(
                    "registration-mail-waiting-text",
                    &[
                        arg("what", &what),
                        ("position", Arg::Num(r.position.unwrap_or(1))),
                    ],
                )],
                "registration-mail-waiting-closing",
            ),
            (Notice::Already, _) => (
                "registration-mail-already-subject",
                vec![t.args("registration-mail-already-text", &[arg("what", &what)])],
                "registration-mail-ignore",
            ),
            (Notice::Reminder, _) => (
                "registration-mail-reminder-subject",
                vec![t.args(
                    "registration-mail-reminder-text",
                    &[arg("what", &what), arg("when", &when)],
                )],
                "registration-mail-cancel-hint",
            ),
            (Notice::Changed, _) => (
                "registration-mail-changed-subject",
                vec![l.changed.clone().unwrap_or_default()],
                "registration-mail-changed-closing",
            ),
            (Notice::Offer, _) => {
                let until = r.offer_expires_at.unwrap_or(r.starts_at);
                (
                    "registration-mail-offer-subject",
                    vec![t.args(
                        "registration-mail-offer-text",
                        &[
                            arg("what", &what),
                            arg("day", &day(until)),
                            arg("time", &clock(until)),
                        ],
                    )],
                    "registration-mail-offer-closing",
                )
            }
        };
        paragraphs.push(t.s("registration-mail-when", "when", &when));
        let confirmed = notice == Notice::Registered && r.state == RegState::Confirmed;
        if confirmed && let Some(fee) = &l.fee {
            paragraphs.push(fee.clone());
        }
        paragraphs.push(t.get(match (notice, r.state) {
            (Notice::ConfirmAddress, _) => "registration-mail-link-confirm",
            (Notice::Offer, _) => "registration-mail-link-offer",
            _ => "registration-mail-link",
        }));
        let link = registration_url(&self.state, r);
        let mut m = compose(
            t,
            Letter {
                site: &l.site,
                to: &r.email,
                name: &r.name,
                subject: &t.args(subject, &[arg("what", &what)]),
                paragraphs: &paragraphs,
                link: Some((&link, true)),
                closing: &t.get(closing),
            },
        );
        if confirmed {
            m.calendar = self.calendar.clone();
        }
        Some(m)
    }
}

/// "Workshop (Digitaltag 2026)", or the event's title.
pub(crate) fn what(t: &Tr, r: &Registration) -> String {
    match &r.session {
        Some((_, session)) => t.args(
            "registration-what-session",
            &[
                ("session", Arg::Str(session.clone())),
                ("event", Arg::Str(r.event_title.clone())),
            ],
        ),
        None => r.event_title.clone(),
    }
}

/// The fee and how it is paid, for the confirmation (`None` when free).
pub(crate) fn fee_text(t: &Tr, cents: Option<i64>, note: &str) -> Option<String> {
    cents.filter(|c| *c > 0).map(|c| {
        let fee = t.s("registration-mail-fee", "fee", &fee_label(t, Some(c)));
        if note.trim().is_empty() {
            fee
        } else {
            format!("{fee} {}", note.trim())
        }
    })
}
