//! Registering for an event, or for a session with places of its own: the page with the free
//! places and the form (`GET …/anmelden`), for signed-in people one button (`POST …/anmelden`,
//! their account's address), for guests name and address confirmed by a link
//! (`POST …/anmelden/gast`). A full event puts people on the waiting list; the page says so
//! before anyone sends the form.

use super::manage::registration_url;
use super::{fee_label, span};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Form, Path, SignedIn};
use crate::layout::{Chrome, PageResult};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::programme::registration as rules;
use serde::Deserialize;
use store::comments::Limit;
use store::programme::registrations::{NewRegistration, Place, Refusal, Registered};
use store::programme::{Event, Session};
use time::OffsetDateTime;

/// Registrations a guest's address may start in an hour (each sends a mail) …
pub const PER_ADDRESS_HOUR: i64 = 5;
/// … and registrations from one client address in an hour.
pub const PER_CLIENT_HOUR: i64 = 30;

/// What is registered for: an event, or a session of it with places of its own.
pub(crate) struct Target {
    event: Event,
    session: Option<Session>,
}

impl Target {
    async fn load(state: &AppState, slug: &str, session: Option<&str>) -> Result<Target, AppError> {
        let event = super::public_event(state, slug).await?;
        let session = match session {
            None => None,
            Some(s) => Some(
                state
                    .db
                    .session_by_slug(event.id, s)
                    .await?
                    .filter(|s| s.input.capacity.is_some())
                    .ok_or(AppError::NotFound)?,
            ),
        };
        Ok(Target { event, session })
    }

    fn place(&self) -> Place {
        Place {
            event_id: self.event.id,
            session_id: self.session.as_ref().map(|s| s.id),
        }
    }

    fn href(&self) -> String {
        match &self.session {
            Some(s) => format!("/veranstaltungen/{}/sessions/{}", self.event.slug, s.slug),
            None => format!("/veranstaltungen/{}", self.event.slug),
        }
    }

    fn title(&self) -> &str {
        match &self.session {
            Some(s) => &s.input.title,
            None => &self.event.input.title,
        }
    }

    /// When it opens (if later) and closes.
    fn window(&self) -> (Option<OffsetDateTime>, OffsetDateTime) {
        let e = &self.event.input;
        (
            e.registration_opens_at,
            rules::closes_at(
                e.registration_closes_at,
                e.ends_at,
                self.session.as_ref().map(|s| s.input.ends_at),
            ),
        )
    }

    /// The reason registration is not open at `now`, if it is not.
    fn closed(&self, t: &crate::i18n::Tr, now: OffsetDateTime) -> Option<String> {
        let (opens, closes) = self.window();
        let cancelled = self.event.input.state == domain::programme::EventState::Cancelled
            || self
                .session
                .as_ref()
                .is_some_and(|s| s.input.state == domain::programme::SessionState::Cancelled);
        if cancelled {
            Some(t.get("registration-cancelled"))
        } else if let Some(o) = opens.filter(|o| now < *o) {
            Some(t.args(
                "registration-opens",
                &[
                    ("day", crate::i18n::Arg::Str(super::day(o))),
                    ("time", crate::i18n::Arg::Str(super::clock(o))),
                ],
            ))
        } else if now >= closes {
            Some(t.get("registration-closed"))
        } else {
            None
        }
    }
}

#[derive(Template)]
#[template(path = "programme/register.html")]
struct Page {
    c: Chrome,
    title: String,
    back_href: String,
    back_label: String,
    when: String,
    fee: String,
    fee_note: String,
    places: String,
    full: bool,
    closed: Option<String>,
    /// Whom a signed-in person registers as: their name and address.
    person: Option<String>,
    csrf: String,
    action: String,
    guest_action: String,
    guest_token: String,
    name: String,
    email: String,
    errors: Vec<String>,
}

/// "Noch 12 von 500 Plätzen frei", "Ausgebucht – 3 Personen warten", or no limit; and whether
/// it is full.
async fn places_text(
    state: &AppState,
    t: &crate::i18n::Tr,
    place: Place,
) -> Result<(String, bool), AppError> {
    let (held, capacity, waiting) = state.db.places(place).await?.ok_or(AppError::NotFound)?;
    Ok(match capacity {
        None => (t.get("registration-places-unlimited"), false),
        Some(cap) if held >= cap => (t.n("registration-places-full", "count", waiting), true),
        Some(cap) => (
            t.args(
                "registration-places-free",
                &[
                    ("free", crate::i18n::Arg::Num(cap - held)),
                    ("count", crate::i18n::Arg::Num(cap)),
                ],
            ),
            false,
        ),
    })
}

/// What an event's (or a session's) page says of registration: the free places and the
/// registration page; `None` for a cancelled one.
pub(crate) async fn summary(
    state: &AppState,
    t: &crate::i18n::Tr,
    event: &Event,
    session: Option<&Session>,
) -> Result<Option<(String, String)>, AppError> {
    let cancelled = event.input.state == domain::programme::EventState::Cancelled
        || session.is_some_and(|s| s.input.state == domain::programme::SessionState::Cancelled);
    if cancelled {
        return Ok(None);
    }
    let place = Place {
        event_id: event.id,
        session_id: session.map(|s| s.id),
    };
    // Afterwards: how many came (checked in at the door), if the organisers counted.
    let ends = session.map_or(event.input.ends_at, |s| s.input.ends_at);
    if OffsetDateTime::now_utc() >= ends {
        let came: i64 = state
            .db
            .registration_figures(event.id)
            .await?
            .iter()
            .filter(|f| f.place == place)
            .map(|f| f.checked_in)
            .sum();
        return Ok((came > 0).then(|| (t.n("programme-attended", "count", came), String::new())));
    }
    let (places, _) = places_text(state, t, place).await?;
    let href = match session {
        Some(s) => format!(
            "/veranstaltungen/{}/sessions/{}/anmelden",
            event.slug, s.slug
        ),
        None => format!("/veranstaltungen/{}/anmelden", event.slug),
    };
    Ok(Some((places, href)))
}

/// The token of the guests' form of `place` (see `comments::form_token`).
fn guest_token(state: &AppState, place: Place) -> String {
    crate::comments::form_token(
        state,
        &format!(
            "register:{}:{}",
            place.event_id,
            place.session_id.unwrap_or(0)
        ),
    )
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    target: &Target,
    values: (&str, &str),
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let (places, full) = places_text(state, &t, target.place()).await?;
    let base = format!("{}/anmelden", target.href());
    let e = &target.event.input;
    let (from, to) = match &target.session {
        Some(s) => (s.input.starts_at, s.input.ends_at),
        None => (e.starts_at, e.ends_at),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(Page {
        c: crate::layout::chrome(state, ctx, "events").await?,
        title: t.s("registration-title", "what", target.title()),
        back_href: target.href(),
        back_label: t.s("programme-back-to", "event", target.title()),
        when: span(&t, from, to),
        fee: fee_label(&t, e.fee_cents),
        fee_note: e.fee_note.clone(),
        places,
        full,
        closed: target.closed(&t, OffsetDateTime::now_utc()),
        person: ctx.user.as_ref().map(|u| {
            t.args(
                "registration-as",
                &[
                    ("name", crate::i18n::Arg::Str(u.user.display_name.clone())),
                    ("email", crate::i18n::Arg::Str(u.user.email.clone())),
                ],
            )
        }),
        csrf: ctx
            .user
            .as_ref()
            .map(|u| u.csrf_token.clone())
            .unwrap_or_default(),
        action: base.clone(),
        guest_action: format!("{base}/gast"),
        guest_token: guest_token(state, target.place()),
        name: values.0.to_string(),
        email: values.1.to_string(),
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstaltungen/{slug}/anmelden`
pub async fn register_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let target = Target::load(&state, &slug, None).await?;
    page(&state, &ctx, &target, ("", ""), Vec::new()).await
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/anmelden`
pub async fn register_session_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, session)): Path<(String, String)>,
) -> PageResult {
    let target = Target::load(&state, &slug, Some(&session)).await?;
    page(&state, &ctx, &target, ("", ""), Vec::new()).await
}

#[derive(Deserialize)]
pub struct AccountForm {}

/// `POST /veranstaltungen/{slug}/anmelden`: a signed-in person registers with their account.
pub async fn register(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    signed_in: SignedIn,
    CsrfForm(_): CsrfForm<AccountForm>,
) -> PageResult {
    let target = Target::load(&state, &slug, None).await?;
    register_account(&state, signed_in, &target).await
}

/// `POST /veranstaltungen/{slug}/sessions/{session}/anmelden`
pub async fn register_session(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    signed_in: SignedIn,
    CsrfForm(_): CsrfForm<AccountForm>,
) -> PageResult {
    let target = Target::load(&state, &slug, Some(&session)).await?;
    register_account(&state, signed_in, &target).await
}

fn refused(t: &crate::i18n::Tr, r: Refusal) -> AppError {
    match r {
        Refusal::NotFound => AppError::NotFound,
        Refusal::RateLimited(until) => {
            let secs = (until - OffsetDateTime::now_utc()).whole_seconds().max(1);
            AppError::TooManyRequests(secs as u64)
        }
        Refusal::Closed | Refusal::Expired | Refusal::Unchanged => AppError::InvalidForm {
            field: "registration".into(),
            reason: t.get("registration-closed"),
        },
    }
}

async fn register_account(
    state: &AppState,
    SignedIn { ctx, user }: SignedIn,
    target: &Target,
) -> PageResult {
    let t = ctx.t;
    let mails = mails_for_target(state, target).await?;
    let confirmed = user.user.email_confirmed_at.is_some();
    let outcome = state
        .db
        .register(
            &NewRegistration {
                place: target.place(),
                user_id: Some(user.user.id),
                name: &user.user.display_name,
                email: &domain::accounts::normalise_email(&user.user.email),
                address_confirmed: confirmed,
                lang: t.lang.code(),
                limits: &[],
            },
            // The page shows what happened; a mail goes out with the calendar file, or with
            // the link that confirms an address not yet confirmed.
            &|r, n| match n {
                store::programme::registrations::Notice::Already => None,
                _ => mails.mail(r, n),
            },
        )
        .await?;
    match outcome {
        Ok(Registered::New(r) | Registered::Already(r)) => {
            let url = registration_url(state, &r);
            let path = url.strip_prefix(&state.url("")).unwrap_or(&url).to_string();
            Ok(Redirect::to(&path).into_response())
        }
        Err(r) => Err(refused(&t, r)),
    }
}

/// The calendar file of a registration for `target`: the session, or the whole event.
fn calendar(state: &AppState, target: &Target) -> String {
    match &target.session {
        Some(s) => super::calendar::session_ics(state, &target.event, s),
        None => super::calendar::whole_event_ics(state, &target.event),
    }
}

#[derive(Deserialize)]
pub struct GuestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

/// `POST /veranstaltungen/{slug}/anmelden/gast`
pub async fn register_guest(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    client: ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let target = Target::load(&state, &slug, None).await?;
    guest(&state, ctx, client, &target, form).await
}

/// `POST /veranstaltungen/{slug}/sessions/{session}/anmelden/gast`
pub async fn register_session_guest(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    client: ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let target = Target::load(&state, &slug, Some(&session)).await?;
    guest(&state, ctx, client, &target, form).await
}

async fn guest(
    state: &AppState,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    target: &Target,
    form: GuestForm,
) -> PageResult {
    let t = ctx.t;
    let place = target.place();
    if !same_secret(&guest_token(state, place), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let sent = || async {
        crate::accounts::notice(
            state,
            &ctx,
            "registration-sent-title",
            "registration-sent-text",
        )
        .await
    };
    if !form.website.is_empty() {
        tracing::info!("registration with the hidden field filled in: dropped");
        return sent().await;
    }
    let email = domain::accounts::normalise_email(&form.email);
    if let Err(problems) = rules::check_registrant(&form.name, &email) {
        let errors = problems.iter().map(|p| t.get(p.key)).collect();
        return page(state, &ctx, target, (&form.name, &form.email), errors).await;
    }
    if let Some(closed) = target.closed(&t, OffsetDateTime::now_utc()) {
        return page(state, &ctx, target, (&form.name, &form.email), vec![closed]).await;
    }
    let address = crate::comments::address_hash(state, &email);
    let client = crate::accounts::client_key(state, client);
    let limits = [
        Limit {
            bucket: format!("event-registration:address:{address}"),
            max: PER_ADDRESS_HOUR,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("event-registration:client:{client}"),
            max: PER_CLIENT_HOUR,
            window: time::Duration::hours(1),
        },
    ];
    let mails = mails_for_target(state, target).await?;
    let outcome = state
        .db
        .register(
            &NewRegistration {
                place,
                user_id: None,
                name: form.name.trim(),
                email: &email,
                address_confirmed: false,
                lang: t.lang.code(),
                limits: &limits,
            },
            &|r, n| mails.mail(r, n),
        )
        .await?;
    match outcome {
        // Whether the address was registered already is told by mail, not on the page.
        Ok(_) => sent().await,
        Err(Refusal::Closed) => {
            let closed = t.get("registration-closed");
            page(state, &ctx, target, (&form.name, &form.email), vec![closed]).await
        }
        Err(r) => Err(refused(&t, r)),
    }
}

async fn mails_for_target(
    state: &AppState,
    target: &Target,
) -> Result<super::mails::Mails, AppError> {
    let e = &target.event.input;
    super::mails::Mails::new(
        state,
        Some(calendar(state, target)),
        Some((e.fee_cents, e.fee_note.clone())),
    )
    .await
}
