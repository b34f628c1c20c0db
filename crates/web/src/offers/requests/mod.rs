//! Requests for offers that ask for one: the form (`/angebote/{slug}/anfragen`), the person's
//! own page reached by the link in every mail (`/anfrage?token=…`, where a guest confirms the
//! address, accepts a proposed day or withdraws), the account's list (`/konto/anfragen`), and
//! the provider's list and decision (`/anbieten/{provider}/anfragen`). Both sides are told by
//! mail of every change.

mod form;
mod mails;
mod manage;
pub(crate) use mails::Mails as ProviderMails;
pub(crate) use manage::export;
mod office;

pub use form::{create_request, request_form};
pub use manage::{answer_request, confirm_request, my_requests, request_page};
pub use office::{decide_request, office_request, office_requests};

use super::{dated, hm};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Arg, Tr};
use crate::session::{hmac_hex, same_secret};
use domain::offers::requests::RequestState;
use store::offers::requests::{Refusal, Request};
use time::OffsetDateTime;

/// What the token is for (mixed into its HMAC, so it proves nothing else).
const PURPOSE: &str = "offer-request";

/// The token of request `id` made with address `email`: `<id>.<HMAC>`, nothing stored.
pub(crate) fn request_token(state: &AppState, id: i64, email: &str) -> String {
    let mac = hmac_hex(state.pepper.as_bytes(), &format!("{PURPOSE}:{id}:{email}"));
    format!("{id}.{}", &mac[..32])
}

/// The path of a request's own page.
pub(crate) fn request_path(state: &AppState, r: &Request) -> String {
    format!("/anfrage?token={}", request_token(state, r.id, &r.email))
}

/// The request a token was made for; a wrong token is a clear error, whatever is wrong.
pub(crate) async fn by_token(state: &AppState, token: &str) -> Result<Request, AppError> {
    let unknown = || AppError::bad("token", "token-unknown");
    let id: i64 = token
        .split_once('.')
        .and_then(|(id, _)| id.parse().ok())
        .filter(|id| *id > 0)
        .ok_or_else(unknown)?;
    let r = state.db.offer_request(id).await?.ok_or_else(unknown)?;
    if same_secret(&request_token(state, r.id, &r.email), token) {
        Ok(r)
    } else {
        Err(unknown())
    }
}

/// "Di., 15.12.2026, 09:00 Uhr", or the day alone for a proposed day.
pub(crate) fn when(t: &Tr, r: &Request) -> String {
    match r.starts.as_deref() {
        Some(at) => t.args(
            "request-when-time",
            &[
                ("date", Arg::Str(dated(t, r.day))),
                ("time", Arg::Str(at.to_string())),
            ],
        ),
        None => dated(t, r.day),
    }
}

/// "12 Personen (4 bis 6 Jahre)".
pub(crate) fn group(t: &Tr, r: &Request) -> String {
    let n = t.n("request-group-size", "count", r.group_size);
    if r.ages.is_empty() {
        n
    } else {
        format!("{n} ({})", r.ages)
    }
}

/// Where the request stands, as a sentence for its person.
pub(crate) fn state_text(t: &Tr, r: &Request) -> String {
    t.get(&format!("request-state-{}", r.state.as_str()))
}

/// The name of a state, for lists.
pub(crate) fn state_name(t: &Tr, s: RequestState) -> String {
    t.get(&format!("request-state-name-{}", s.as_str()))
}

/// A refusal as a clear answer; `field` is where a form shows it.
pub(crate) fn refused(t: &Tr, r: Refusal, field: &str) -> AppError {
    let reason = match r {
        Refusal::NotFound => return AppError::NotFound,
        Refusal::RateLimited(until) => {
            let secs = (until - OffsetDateTime::now_utc()).whole_seconds().max(1);
            return AppError::TooManyRequests(secs as u64);
        }
        Refusal::Past => t.get("request-day-past"),
        Refusal::Twice => t.get("request-twice"),
        Refusal::Full { free } => t.n("request-full", "free", free),
        Refusal::Unchanged => t.get("request-unchanged"),
    };
    AppError::InvalidForm {
        field: field.into(),
        reason,
    }
}

/// An hour's limits of a public write of kind `kind` (`offer-request`, `volunteer-application`):
/// `per_client` from one client address, and `per_account` for a signed-in person or
/// `per_address` for a guest's (hashed) address.
pub(crate) fn hourly_limits(
    state: &AppState,
    kind: &str,
    client: Option<std::net::IpAddr>,
    user: Option<&store::accounts::SessionUser>,
    email: &str,
    (per_client, per_account, per_address): (i64, i64, i64),
) -> Vec<store::comments::Limit> {
    let hour = time::Duration::hours(1);
    let client = crate::accounts::client_key(state, client);
    let (bucket, max) = match user {
        Some(u) => (format!("{kind}:account:{}", u.user.id), per_account),
        None => (
            format!(
                "{kind}:address:{}",
                crate::comments::address_hash(state, email)
            ),
            per_address,
        ),
    };
    vec![
        store::comments::Limit {
            bucket: format!("{kind}:client:{client}"),
            max: per_client,
            window: hour,
        },
        store::comments::Limit {
            bucket,
            max,
            window: hour,
        },
    ]
}

/// `09:00` of a schedule's start, as stored with a request.
pub(crate) fn starts_text(at: time::Time) -> String {
    hm(at)
}
