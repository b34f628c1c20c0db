//! `GET /angebote/{slug}/anfragen` (the request form: one of the offer's coming dates with the
//! places still free, or a day of one's own; who asks, the group, a message) and `POST` (files
//! it). Signed-in people ask with their account; guests give name and address and confirm the
//! address by the link in the mail before anything is held.

use super::mails::Mails;
use super::{refused, request_path, starts_text};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{ClientAddr, Ctx, Form, Path};
use crate::i18n::{Arg, Tr};
use crate::layout::{Chrome, PageResult};
use crate::offers::{HORIZON_DAYS, dated, hm, today};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::Access;
use domain::offers::requests::RequestInput;
use serde::Deserialize;
use store::offers::Offer;
use store::offers::requests::{NewRequest, Refusal};
use time::Date;

/// How many coming dates the form offers.
const DATES_OFFERED: usize = 16;
/// Requests per hour: per address (guests), per account, per client address.
const PER_ADDRESS_HOUR: i64 = 5;
const PER_ACCOUNT_HOUR: i64 = 10;
const PER_CLIENT_HOUR: i64 = 20;

/// One of the offer's coming dates as the form offers it.
struct DateChoice {
    value: String,
    label: String,
    full: bool,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "offers/request_form.html")]
struct FormPage {
    c: Chrome,
    title: String,
    offer_title: String,
    offer_href: String,
    csrf: String,
    /// The signed-in person as they ask ("Anna Beispiel, anna@example.org").
    person: Option<String>,
    dates: Vec<DateChoice>,
    f: RequestForm,
    errors: Vec<(&'static str, String)>,
    min_day: String,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    /// One of the offer's dates (`2026-12-15 09:00`), or empty for a day of one's own.
    #[serde(default)]
    date: String,
    /// A day of one's own (`2026-12-15`).
    #[serde(default)]
    proposed: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    institution: String,
    #[serde(default)]
    group_size: String,
    #[serde(default)]
    ages: String,
    #[serde(default)]
    message: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

/// The form's token (see `comments::reader_token`).
fn token(state: &AppState, ctx: &Ctx, id: i64) -> String {
    crate::comments::reader_token(state, ctx, &format!("offer-request:{id}"))
}

/// The public offer `slug` if it takes requests.
async fn requestable(state: &AppState, slug: &str) -> Result<Offer, AppError> {
    state
        .db
        .public_offer(slug)
        .await?
        .filter(|o| o.input.access == Access::Request)
        .ok_or(AppError::NotFound)
}

/// The offer's coming dates with their start, in order.
fn coming(o: &Offer, day: Date) -> Vec<(Date, time::Time, time::Time)> {
    let to = day + time::Duration::days(HORIZON_DAYS);
    let mut all: Vec<_> = o
        .schedules
        .iter()
        .flat_map(|s| {
            s.dates(day, to, DATES_OFFERED)
                .into_iter()
                .map(|d| (d, s.starts, s.ends))
        })
        .collect();
    all.sort();
    all.dedup_by_key(|(d, from, _)| (*d, *from));
    all.truncate(DATES_OFFERED);
    all
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    o: &Offer,
    f: RequestForm,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let t = ctx.t;
    let day = today();
    let dates = coming(o, day);
    let days: Vec<Date> = dates.iter().map(|(d, ..)| *d).collect();
    let held = state.db.held_places(o.id, &days).await?;
    let capacity = o.input.capacity;
    let choices = dates
        .iter()
        .map(|(d, from, to)| {
            let taken = held.iter().find(|(h, _)| h == d).map_or(0, |(_, n)| *n);
            let free = capacity.map(|c| (c - taken).max(0));
            let value = format!("{d} {}", hm(*from));
            let mut label = t.args(
                "offers-date-times",
                &[
                    ("date", Arg::Str(dated(&t, *d))),
                    ("from", Arg::Str(hm(*from))),
                    ("to", Arg::Str(hm(*to))),
                ],
            );
            if let Some(free) = free {
                label = format!("{label} – {}", t.n("request-free-places", "count", free));
            }
            DateChoice {
                chosen: f.date == value,
                value,
                label,
                full: free == Some(0),
            }
        })
        .collect();
    let bad = !errors.is_empty();
    let mut res = crate::accounts::render(FormPage {
        c: crate::layout::chrome(state, ctx, "offers").await?,
        title: t.get("request-form-title"),
        offer_title: o.input.title.clone(),
        offer_href: format!("/angebote/{}", o.slug),
        csrf: token(state, ctx, o.id),
        person: ctx
            .user
            .as_ref()
            .map(|u| format!("{}, {}", u.user.display_name, u.user.email)),
        dates: choices,
        f,
        errors,
        min_day: day.to_string(),
    })?;
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /angebote/{slug}/anfragen`
pub async fn request_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let o = requestable(&state, &slug).await?;
    let f = RequestForm {
        group_size: "1".into(),
        ..RequestForm::default()
    };
    page(&state, &ctx, &o, f, Vec::new()).await
}

/// The day and start asked for, or the field and reason.
fn chosen_day(
    t: &Tr,
    o: &Offer,
    f: &RequestForm,
) -> Result<(Date, Option<String>), (&'static str, String)> {
    let date = f.date.trim();
    if !date.is_empty() {
        let found = coming(o, today())
            .into_iter()
            .find(|(d, from, _)| format!("{d} {}", hm(*from)) == date);
        return match found {
            Some((d, from, _)) => Ok((d, Some(starts_text(from)))),
            None => Err(("date", t.get("request-day-unknown"))),
        };
    }
    let proposed = f.proposed.trim();
    if proposed.is_empty() {
        return Err(("date", t.get("request-day-missing")));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let d =
        Date::parse(proposed, &format).map_err(|_| ("proposed", t.get("request-day-invalid")))?;
    match domain::offers::requests::day_ok(d, today()) {
        Ok(()) => Ok((d, None)),
        Err(key) => Err(("proposed", t.get(key))),
    }
}

/// `POST /angebote/{slug}/anfragen`
pub async fn create_request(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    Form(f): Form<RequestForm>,
) -> PageResult {
    let t = ctx.t;
    let o = requestable(&state, &slug).await?;
    if !same_secret(&token(&state, &ctx, o.id), &f.csrf) {
        return Err(AppError::Forbidden);
    }
    if !f.website.is_empty() {
        tracing::info!("offer request with the hidden field filled in: dropped");
        return crate::accounts::notice(&state, &ctx, "request-sent-title", "request-sent-text")
            .await;
    }
    let (name, email) = match &ctx.user {
        Some(u) => (u.user.display_name.clone(), u.user.email.clone()),
        None => (f.name.clone(), domain::accounts::normalise_email(&f.email)),
    };
    let input = RequestInput {
        name,
        email,
        phone: f.phone.trim().to_string(),
        institution: f.institution.trim().to_string(),
        group_size: f.group_size.trim().parse().unwrap_or(0),
        ages: f.ages.trim().to_string(),
        message: f.message.trim().to_string(),
    };
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let day = chosen_day(&t, &o, &f).map_err(|e| errors.push(e)).ok();
    if let Err(problems) = input.check() {
        errors.extend(problems.iter().map(|p| (p.field, t.get(p.key))));
    }
    let Some((day, starts)) = day.filter(|_| errors.is_empty()) else {
        return page(&state, &ctx, &o, f, errors).await;
    };
    let limits = super::hourly_limits(
        &state,
        "offer-request",
        client,
        ctx.user.as_ref(),
        &input.email,
        (PER_CLIENT_HOUR, PER_ACCOUNT_HOUR, PER_ADDRESS_HOUR),
    );
    let mails = Mails::new(&state, o.provider_id).await?;
    let outcome = state
        .db
        .create_request(
            &NewRequest {
                offer_id: o.id,
                day,
                starts: starts.as_deref(),
                user_id: ctx.user.as_ref().map(|u| u.user.id),
                input: &input,
                address_confirmed: ctx.user.is_some(),
                lang: t.lang.code(),
                limits: &limits,
            },
            today(),
            &|r, n| mails.mail(r, n),
        )
        .await?;
    match outcome {
        Ok(r) if ctx.user.is_some() => Ok(Redirect::to(&format!(
            "{}&hinweis=gesendet",
            request_path(&state, &r)
        ))
        .into_response()),
        Ok(_) => {
            crate::accounts::notice(
                &state,
                &ctx,
                "request-confirm-title",
                "request-confirm-text",
            )
            .await
        }
        Err(r @ (Refusal::Past | Refusal::Twice | Refusal::Full { .. })) => {
            let field = if starts.is_some() { "date" } else { "proposed" };
            let reason = match refused(&t, r, field) {
                AppError::InvalidForm { reason, .. } => reason,
                other => return Err(other),
            };
            page(&state, &ctx, &o, f, vec![(field, reason)]).await
        }
        Err(r) => Err(refused(&t, r, "date")),
    }
}
