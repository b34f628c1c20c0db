//! "Mein Programm": sessions starred from an event's programme, without an account and without
//! a cookie. The first star creates a programme and leads to its private link
//! (`/mein-programm?token=<number>.<HMAC>`, nothing stored), which shows the starred sessions,
//! stars more from an event's full list and serves the iCalendar feed that a calendar app
//! subscribes to. Signed-in people star into their account's programme (`/konto/programm`).

use super::public_event;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Form, Path, Query, SignedIn};
use crate::layout::{Chrome, PageResult};
use crate::session::{hmac_hex, same_secret};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::programme::personal::Owner;
use store::programme::{Event, Session};

/// What the link's token is for (mixed into its HMAC).
const PURPOSE: &str = "personal-programme";

/// The private link's token of programme `id`.
pub(crate) fn token(state: &AppState, id: i64) -> String {
    let mac = hmac_hex(state.pepper.as_bytes(), &format!("{PURPOSE}:{id}"));
    format!("{id}.{}", &mac[..32])
}

/// The programme a token was made for, if it is one of this site's.
fn programme_of(state: &AppState, token: &str) -> Result<i64, AppError> {
    let unknown = || AppError::bad("token", "token-unknown");
    let id: i64 = token
        .split_once('.')
        .and_then(|(id, _)| id.parse().ok())
        .filter(|id| *id > 0)
        .ok_or_else(unknown)?;
    if same_secret(&self::token(state, id), token) {
        Ok(id)
    } else {
        Err(unknown())
    }
}

/// The token of the star buttons on the (cached) programme pages: see `comments::form_token`.
pub(crate) fn star_token(state: &AppState) -> String {
    crate::comments::form_token(state, "star")
}

#[derive(Deserialize)]
pub struct StarForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
    /// The private link's token, on the programme's own pages.
    #[serde(default)]
    token: String,
    /// `1` stars, `0` unstars.
    #[serde(default)]
    on: String,
    /// Where to go back to: the event's list on the personal pages (its slug), else the
    /// programme.
    #[serde(default)]
    back: String,
}

/// New programmes without an account from one client address in 15 minutes (a star without a
/// link makes one; bots must not fill the database).
pub const NEW_PER_CLIENT: i64 = 30;

/// `POST /mein-programm/merken`: a session starred or unstarred.
pub async fn star(
    State(state): State<AppState>,
    crate::extract::ClientAddr(client): crate::extract::ClientAddr,
    ctx: Ctx,
    Form(f): Form<StarForm>,
) -> Result<Response, AppError> {
    if !same_secret(&star_token(&state), &f.csrf) {
        return Err(AppError::Forbidden);
    }
    let session: i64 = f
        .session
        .trim()
        .parse()
        .map_err(|_| AppError::bad("session", "error-reason-invalid"))?;
    let on = match f.on.as_str() {
        "" | "1" => true,
        "0" => false,
        _ => return Err(AppError::bad("on", "error-reason-invalid")),
    };
    let owner = match (&ctx.user, f.token.trim()) {
        (Some(u), _) => Owner::Account(u.user.id),
        (None, "") => {
            let client = crate::accounts::client_key(&state, client);
            crate::accounts::limit(
                &state,
                &format!("programme:new:{client}"),
                NEW_PER_CLIENT,
                time::OffsetDateTime::now_utc(),
            )
            .await?;
            Owner::New
        }
        (None, t) => Owner::Link(programme_of(&state, t)?),
    };
    let Some(id) = state.db.star(owner, session, on).await? else {
        return Err(AppError::NotFound);
    };
    let token = token(&state, id);
    let to = match f.back.trim() {
        "" => format!("/mein-programm?token={token}#session-{session}"),
        slug => format!(
            "/mein-programm/veranstaltungen/{}?token={token}#session-{session}",
            urlencode(slug)
        ),
    };
    Ok(Redirect::to(&to).into_response())
}

fn urlencode(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A starred (or starrable) session as the personal pages list it.
struct Item {
    id: i64,
    title: String,
    href: String,
    when: String,
    room: String,
    event: String,
    starred: bool,
    cancelled: bool,
}

fn item(t: &crate::i18n::Tr, event: &Event, s: &Session, starred: bool) -> Item {
    Item {
        id: s.id,
        title: s.input.title.clone(),
        href: format!("/veranstaltungen/{}/sessions/{}", event.slug, s.slug),
        when: super::span(t, s.input.starts_at, s.input.ends_at),
        room: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        event: event.input.title.clone(),
        starred,
        cancelled: s.input.state == domain::programme::SessionState::Cancelled,
    }
}

/// The starred sessions of programme `id` with their events, by start.
async fn starred(state: &AppState, id: i64) -> Result<Vec<(Event, Session)>, AppError> {
    let rows = state.db.starred(id).await?;
    let mut events: Vec<(Event, Vec<Session>)> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (event_id, session_id) in rows {
        if !events.iter().any(|(e, _)| e.id == event_id) {
            let Some(e) = state.db.event_by_id(event_id).await? else {
                continue;
            };
            let sessions = state.db.programme(event_id).await?;
            events.push((e, sessions));
        }
        if let Some((e, sessions)) = events.iter().find(|(e, _)| e.id == event_id)
            && let Some(s) = sessions.iter().find(|s| s.id == session_id)
        {
            out.push((e.clone(), s.clone()));
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "programme/personal.html")]
struct PersonalPage {
    c: Chrome,
    title: String,
    token: String,
    link: String,
    calendar: String,
    star_token: String,
    items: Vec<Item>,
    /// The events of the starred sessions: (title, the page to star more of them).
    events: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn private(mut res: Response) -> Response {
    // The token is in the address: it must not travel on with a click.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// `GET /mein-programm?token=…`
pub async fn personal(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let t = ctx.t;
    let id = programme_of(&state, &q.token)?;
    if state
        .db
        .personal_programme(Owner::Link(id))
        .await?
        .is_none()
    {
        return Err(AppError::bad("token", "token-unknown"));
    }
    let rows = starred(&state, id).await?;
    let mut events: Vec<(String, String)> = Vec::new();
    for (e, _) in &rows {
        let href = format!(
            "/mein-programm/veranstaltungen/{}?token={}",
            e.slug, q.token
        );
        if !events.iter().any(|(_, h)| *h == href) {
            events.push((e.input.title.clone(), href));
        }
    }
    let res = crate::accounts::render(PersonalPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: t.get("personal-title"),
        token: q.token.clone(),
        link: state.url(&format!("/mein-programm?token={}", q.token)),
        calendar: format!("/mein-programm/kalender.ics?token={}", q.token),
        star_token: star_token(&state),
        items: rows.iter().map(|(e, s)| item(&t, e, s, true)).collect(),
        events,
    })?;
    Ok(private(res))
}

#[derive(Template)]
#[template(path = "programme/personal_event.html")]
struct PersonalEventPage {
    c: Chrome,
    title: String,
    token: String,
    slug: String,
    back: String,
    star_token: String,
    items: Vec<Item>,
}

/// `GET /mein-programm/veranstaltungen/{slug}?token=…`: an event's sessions to star or unstar.
pub async fn personal_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let t = ctx.t;
    let id = programme_of(&state, &q.token)?;
    if state
        .db
        .personal_programme(Owner::Link(id))
        .await?
        .is_none()
    {
        return Err(AppError::bad("token", "token-unknown"));
    }
    let event = public_event(&state, &slug).await?;
    let mine: Vec<i64> = state
        .db
        .starred(id)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let sessions = state.db.programme(event.id).await?;
    let res = crate::accounts::render(PersonalEventPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: t.s("personal-event-title", "event", &event.input.title),
        token: q.token.clone(),
        slug: event.slug.clone(),
        back: format!("/mein-programm?token={}", q.token),
        star_token: star_token(&state),
        items: sessions
            .iter()
            .map(|s| item(&t, &event, s, mine.contains(&s.id)))
            .collect(),
    })?;
    Ok(private(res))
}

/// `GET /mein-programm/kalender.ics?token=…`: the starred sessions as iCalendar, for a
/// calendar app to subscribe to.
pub async fn personal_calendar(
    State(state): State<AppState>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let id = programme_of(&state, &q.token)?;
    if state
        .db
        .personal_programme(Owner::Link(id))
        .await?
        .is_none()
    {
        return Err(AppError::bad("token", "token-unknown"));
    }
    let rows = starred(&state, id).await?;
    let body = super::calendar::sessions_ics(&state, "Mein Programm", &rows);
    Ok(private(
        (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
    ))
}

/// `GET /konto/programm`: the signed-in person's programme (its private link), or a note that
/// nothing is starred yet.
pub async fn account_programme(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
) -> PageResult {
    match state
        .db
        .personal_programme(Owner::Account(user.user.id))
        .await?
    {
        Some(id) => Ok(
            Redirect::to(&format!("/mein-programm?token={}", token(&state, id))).into_response(),
        ),
        None => {
            crate::accounts::notice(&state, &ctx, "personal-title", "personal-empty-account").await
        }
    }
}
