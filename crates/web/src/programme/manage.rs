//! A registration's own page, reached by the link in its mails (`/anmeldung?token=…`): its
//! state, and the buttons that confirm the address, accept an offered place or cancel; the
//! calendar file of a confirmed registration; and from 15 minutes before a session in a
//! virtual room, its join link. The token is `<id>.<HMAC of id and address under the site's
//! secret>`: nothing is stored, and it works for guests and accounts alike.

use super::mails::{Mails, fee_text, what};
use super::{clock, day, span};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Form, Query};
use crate::layout::{Chrome, PageResult};
use crate::session::{hmac_hex, same_secret};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::programme::registration::RegState;
use domain::programme::{JOIN_LINK_BEFORE, RoomKind};
use store::programme::registrations::{Refusal, Registration};
use time::OffsetDateTime;

/// What the token is for (mixed into its HMAC, so it proves nothing else).
const PURPOSE: &str = "programme-registration";

/// The token of registration `id` made with address `email`.
pub(crate) fn registration_token(state: &AppState, id: i64, email: &str) -> String {
    let mac = hmac_hex(state.pepper.as_bytes(), &format!("{PURPOSE}:{id}:{email}"));
    format!("{id}.{}", &mac[..32])
}

/// The absolute link of a registration's page.
pub(crate) fn registration_url(state: &AppState, r: &Registration) -> String {
    state.url(&format!(
        "/anmeldung?token={}",
        registration_token(state, r.id, &r.email)
    ))
}

/// The registration a token was made for; a wrong token is a clear error, whatever is wrong.
pub(crate) async fn by_token(state: &AppState, token: &str) -> Result<Registration, AppError> {
    let unknown = || AppError::bad("token", "token-unknown");
    let id: i64 = token
        .split_once('.')
        .and_then(|(id, _)| id.parse().ok())
        .filter(|id| *id > 0)
        .ok_or_else(unknown)?;
    let r = state.db.registration(id).await?.ok_or_else(unknown)?;
    if same_secret(&registration_token(state, r.id, &r.email), token) {
        Ok(r)
    } else {
        Err(unknown())
    }
}

/// A join link shown on the page.
struct Join {
    session: String,
    when: String,
    url: String,
}

#[derive(Template)]
#[template(path = "programme/registration.html")]
struct Page {
    c: Chrome,
    title: String,
    what: String,
    event_href: String,
    when: String,
    state: &'static str,
    text: String,
    token: String,
    fee: Option<String>,
    calendar_href: String,
    joins: Vec<Join>,
    /// Sessions in virtual rooms whose link is not shown yet.
    joins_later: bool,
}

/// `GET /anmeldung?token=…`
pub async fn registration_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<crate::accounts::TokenQuery>,
) -> PageResult {
    let r = by_token(&state, &q.token).await?;
    page(&state, &ctx, r, &q.token).await
}

async fn page(state: &AppState, ctx: &Ctx, r: Registration, token: &str) -> PageResult {
    let t = ctx.t;
    let now = OffsetDateTime::now_utc();
    let text = match r.state {
        RegState::Unconfirmed => t.get("registration-state-unconfirmed"),
        RegState::Confirmed => t.get("registration-state-confirmed"),
        RegState::Waiting => t.n(
            "registration-state-waiting",
            "position",
            r.position.unwrap_or(1),
        ),
        RegState::Offered => {
            let until = r.offer_expires_at.unwrap_or(r.starts_at);
            t.args(
                "registration-state-offered",
                &[
                    ("day", crate::i18n::Arg::Str(day(until))),
                    ("time", crate::i18n::Arg::Str(clock(until))),
                ],
            )
        }
        RegState::Cancelled => t.get("registration-state-cancelled"),
        RegState::Expired if r.offer_expires_at.is_some() => t.get("registration-state-lapsed"),
        RegState::Expired => t.get("registration-state-expired"),
    };
    let event = state.db.event_by_slug(&r.event_slug, false).await?;
    let mut joins = Vec::new();
    let mut joins_later = false;
    let mut fee = None;
    if let Some(event) = event.as_ref().filter(|_| r.state == RegState::Confirmed) {
        fee = fee_text(&t, event.input.fee_cents, &event.input.fee_note);
        let rooms = state.db.event_rooms(event.id).await?;
        let sessions = state.db.programme(event.id).await?;
        for s in sessions.iter().filter(|s| match &r.session {
            Some((slug, _)) => &s.slug == slug,
            None => true,
        }) {
            let Some((room, RoomKind::Virtual)) = &s.room else {
                continue;
            };
            let Some(url) = rooms
                .iter()
                .find(|x| &x.name == room)
                .map(|x| x.join_url.clone())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            else {
                continue;
            };
            if now >= s.input.ends_at {
                continue;
            }
            if now >= s.input.starts_at - JOIN_LINK_BEFORE {
                joins.push(Join {
                    session: s.input.title.clone(),
                    when: span(&t, s.input.starts_at, s.input.ends_at),
                    url,
                });
            } else {
                joins_later = true;
            }
        }
    }
    let mut res = crate::accounts::render(Page {
        c: crate::layout::chrome(state, ctx, "events").await?,
        title: t.get("registration-page-title"),
        what: what(&t, &r),
        event_href: match &r.session {
            Some((slug, _)) => format!("/veranstaltungen/{}/sessions/{slug}", r.event_slug),
            None => format!("/veranstaltungen/{}", r.event_slug),
        },
        when: span(&t, r.starts_at, r.ends_at),
        state: r.state.as_str(),
        text,
        token: token.to_string(),
        fee,
        calendar_href: format!("/anmeldung/kalender.ics?token={token}"),
        joins,
        joins_later,
    })?;
    // The token is in the address: it must not travel on with a click.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// The mails of a change of registration `r`, with its calendar file and fee.
pub(crate) async fn mails_for(state: &AppState, r: &Registration) -> Result<Mails, AppError> {
    let event = state.db.event_by_slug(&r.event_slug, false).await?;
    let (calendar, fee) = match &event {
        Some(e) => (
            calendar_of(state, e, r).await?,
            Some((e.input.fee_cents, e.input.fee_note.clone())),
        ),
        None => (None, None),
    };
    Mails::new(state, calendar, fee).await
}

/// The calendar file of what `r` is for: the session, or the whole event as one entry.
async fn calendar_of(
    state: &AppState,
    event: &store::programme::Event,
    r: &Registration,
) -> Result<Option<String>, AppError> {
    Ok(match &r.session {
        Some((slug, _)) => state
            .db
            .session_by_slug(event.id, slug)
            .await?
            .map(|s| super::calendar::session_ics(state, event, &s)),
        None => Some(super::calendar::whole_event_ics(state, event)),
    })
}

fn back(token: &str) -> Response {
    Redirect::to(&format!("/anmeldung?token={token}")).into_response()
}

fn refused(t: &crate::i18n::Tr, r: Refusal) -> AppError {
    let key = match r {
        Refusal::Closed => "registration-closed",
        Refusal::Expired => "registration-offer-expired",
        Refusal::NotFound => return AppError::NotFound,
        Refusal::RateLimited(until) => {
            let secs = (until - OffsetDateTime::now_utc()).whole_seconds().max(1);
            return AppError::TooManyRequests(secs as u64);
        }
        Refusal::Unchanged => "registration-unchanged",
    };
    AppError::InvalidForm {
        field: "token".into(),
        reason: t.get(key),
    }
}

/// `POST /anmeldung/bestaetigen`: the address is confirmed; a place, or the waiting list.
pub async fn confirm_registration(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let r = by_token(&state, &form.token).await?;
    let mails = mails_for(&state, &r).await?;
    match state
        .db
        .confirm_registration(r.id, &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(_) | Err(Refusal::Unchanged) => Ok(back(&form.token)),
        Err(refusal) => Err(refused(&ctx.t, refusal)),
    }
}

/// `POST /anmeldung/annehmen`: an offered place is taken.
pub async fn accept_offer(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let r = by_token(&state, &form.token).await?;
    let mails = mails_for(&state, &r).await?;
    match state
        .db
        .accept_offer(r.id, &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(_) => Ok(back(&form.token)),
        Err(Refusal::Unchanged) if r.state == RegState::Confirmed => Ok(back(&form.token)),
        Err(refusal) => Err(refused(&ctx.t, refusal)),
    }
}

/// `POST /anmeldung/abmelden`: the registration is cancelled; a place it held passes on.
pub async fn cancel_registration(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let r = by_token(&state, &form.token).await?;
    // The place passes to someone else: their offer is written in their language.
    let mails = Mails::new(&state, None, None).await?;
    match state
        .db
        .cancel_registration(r.id, &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(_) | Err(Refusal::Unchanged) => Ok(back(&form.token)),
        Err(refusal) => Err(refused(&ctx.t, refusal)),
    }
}

/// `GET /anmeldung/kalender.ics?token=…`: the calendar file of a registration.
pub async fn registration_calendar(
    State(state): State<AppState>,
    Query(q): Query<crate::accounts::TokenQuery>,
) -> Result<Response, AppError> {
    let r = by_token(&state, &q.token).await?;
    let event = state
        .db
        .event_by_slug(&r.event_slug, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = calendar_of(&state, &event, &r)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response())
}

/// The registrations' share of every instance's minute task: offers that ran out pass on
/// (each mail in the language its person registered in), unconfirmed registrations lapse, and
/// names and addresses go 30 days after an event.
pub(crate) async fn housekeeping(state: &AppState, now: OffsetDateTime) -> Result<(), AppError> {
    let mails = Mails::new(state, None, None).await?;
    let offers = state
        .db
        .expire_offers(now, &|r, n| mails.mail(r, n))
        .await?;
    let lapsed = state.db.expire_unconfirmed_registrations(now).await?;
    let mut reminded = 0;
    for which in [
        store::programme::registrations::Reminder::Day,
        store::programme::registrations::Reminder::Hour,
    ] {
        reminded += state
            .db
            .send_reminders(now, which, &|r, n| mails.mail(r, n))
            .await?;
    }
    let pruned = state.db.prune_registrations(now).await?;
    // Programmes without an account whose events all ended 90 days ago go too.
    state
        .db
        .prune_personal_programmes(now - time::Duration::days(90))
        .await?;
    if offers + reminded + lapsed as usize + pruned as usize > 0 {
        tracing::info!(
            offers,
            reminded,
            lapsed,
            pruned,
            "registrations: offers run out, reminders queued, unconfirmed lapsed, events pruned"
        );
    }
    Ok(())
}
