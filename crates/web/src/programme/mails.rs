//! The mails of registrations: confirm the address, registered (with the calendar file) or
//! waiting, already registered, and a place offered from the waiting list. Every one carries
//! the registration's own link, which is kept apart from the stored mail until it is sent.

use super::manage::registration_url;
use super::{clock, day, fee_label, span};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Tr};
use crate::mails::{Letter, compose};
use domain::programme::registration::RegState;
use store::mail::Outgoing;
use store::programme::registrations::{Notice, Registration};

/// Builds the mails of one change (see [`store::programme::registrations::Mailer`]).
pub(crate) struct Mails {
    state: AppState,
    t: Tr,
    site: String,
    /// The calendar file of the event or session, sent with a confirmed registration.
    calendar: Option<String>,
    /// What taking part costs and how it is paid, for the confirmation.
    fee: Option<String>,
    /// What changed, for `Notice::Changed` (a session moved or was cancelled).
    changed: Option<String>,
}

impl Mails {
    /// Mails in the language of `t`; `calendar` and `fee` go into confirmations.
    pub(crate) async fn new(
        state: &AppState,
        t: Tr,
        calendar: Option<String>,
        fee: Option<String>,
    ) -> Result<Mails, AppError> {
        Ok(Mails {
            state: state.clone(),
            t,
            site: crate::accounts::site_label(state, &t).await?,
            calendar,
            fee,
            changed: None,
        })
    }

    /// The same mails, telling of a change (`Notice::Changed`) with `text`.
    pub(crate) fn telling(mut self, text: String) -> Mails {
        self.changed = Some(text);
        self
    }

    /// The mail of `notice` for registration `r`.
    pub(crate) fn mail(&self, r: &Registration, notice: Notice) -> Option<Outgoing> {
        let t = &self.t;
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
                vec![self.changed.clone().unwrap_or_default()],
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
        if confirmed && let Some(fee) = &self.fee {
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
                site: &self.site,
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
