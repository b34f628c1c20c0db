//! Live Q&A of a session, public side: the questions (`…/sessions/{session}/fragen`, the pinned
//! one first, by upvotes or newest), the form to ask (anonymous unless a name is given; open
//! before and during the session), one upvote per person (an account, or a client address),
//! the projector view (`…/fragen/leinwand`: large type, the top questions) and the live stream
//! (`…/fragen/live`) that tells every open page on every instance that the questions changed.
//! Without script, a reload shows the same.

use super::public_event;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{ClientAddr, Ctx, Form, Path, Query};
use crate::layout::{Chrome, PageResult, html};
use crate::session::same_secret;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::programme::questions::{QuestionSource, QuestionState, check_question};
use serde::Deserialize;
use std::sync::Arc;
use store::comments::Limit;
use store::events::{CACHE_TOPIC, Event as BusEvent};
use store::programme::questions::{QaSettings, Question, QuestionOrder, QuestionRefusal};
use store::programme::{Event, Session};
use time::OffsetDateTime;

/// Questions an account or a client address may ask in an hour.
pub const QUESTIONS_PER_HOUR: i64 = 20;
/// The questions a list shows (the projector: the top ones).
const LIST_MAX: i64 = 300;
const PROJECTOR_MAX: i64 = 8;

/// A session with its event and Q&A settings.
pub(crate) struct Place {
    pub event: Event,
    pub session: Session,
    pub qa: QaSettings,
}

impl Place {
    pub(crate) async fn load(
        state: &AppState,
        slug: &str,
        session: &str,
    ) -> Result<Place, AppError> {
        let event = public_event(state, slug).await?;
        let session = state
            .db
            .session_by_slug(event.id, session)
            .await?
            .ok_or(AppError::NotFound)?;
        let qa = state
            .db
            .qa_settings(session.id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Place { event, session, qa })
    }

    fn base(&self) -> String {
        format!(
            "/veranstaltungen/{}/sessions/{}/fragen",
            self.event.slug, self.session.slug
        )
    }
}

/// The token of the session's public forms (ask, upvote): see `comments::form_token`.
fn form_token(state: &AppState, session_id: i64) -> String {
    crate::comments::form_token(state, &format!("questions:{session_id}"))
}

/// A question as the lists show it.
pub(crate) struct Item {
    pub id: i64,
    pub body: String,
    pub asker: String,
    pub by_mail: bool,
    pub answered: bool,
    pub pinned: bool,
    pub votes: i64,
    pub votable: bool,
}

fn item(q: &Question, open: bool) -> Item {
    Item {
        id: q.id,
        body: q.body.clone(),
        asker: q.asker.clone(),
        by_mail: q.source == QuestionSource::Mail,
        answered: q.state == QuestionState::Answered,
        pinned: q.pinned,
        votes: q.votes,
        votable: open && q.state == QuestionState::Visible,
    }
}

#[derive(Template)]
#[template(path = "programme/questions.html")]
struct QuestionsPage {
    c: Chrome,
    title: String,
    session_title: String,
    session_href: String,
    base: String,
    token: String,
    open: bool,
    moderated: bool,
    newest: bool,
    items: Vec<Item>,
    errors: Vec<String>,
    name: String,
    body: String,
}

#[derive(Deserialize)]
pub struct SortQuery {
    #[serde(default)]
    sort: Option<String>,
}

fn order(t: &crate::i18n::Tr, q: &SortQuery) -> Result<QuestionOrder, AppError> {
    match q.sort.as_deref() {
        None | Some("") | Some("votes") => Ok(QuestionOrder::Votes),
        Some("newest") => Ok(QuestionOrder::Newest),
        Some(_) => Err(AppError::bad("sort", t.get("question-bad-sort"))),
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    place: &Place,
    order: QuestionOrder,
    typed: (&str, &str),
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let open = place.qa.takes_questions(OffsetDateTime::now_utc());
    let questions = state
        .db
        .public_questions(place.session.id, order, LIST_MAX)
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let res = html(QuestionsPage {
        c: crate::layout::chrome(state, ctx, "events").await?,
        title: t.s("question-title", "session", &place.session.input.title),
        session_title: place.session.input.title.clone(),
        session_href: format!(
            "/veranstaltungen/{}/sessions/{}",
            place.event.slug, place.session.slug
        ),
        base: place.base(),
        token: form_token(state, place.session.id),
        open,
        moderated: place.qa.moderated,
        newest: order == QuestionOrder::Newest,
        items: questions.iter().map(|q| item(q, open)).collect(),
        errors,
        name: typed.0.to_string(),
        body: typed.1.to_string(),
    })?;
    let mut res = res;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/fragen`
pub async fn questions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, session)): Path<(String, String)>,
    Query(q): Query<SortQuery>,
) -> PageResult {
    let order = order(&ctx.t, &q)?;
    let place = Place::load(&state, &slug, &session).await?;
    page(&state, &ctx, &place, order, ("", ""), Vec::new())
        .await
        .map(|r| crate::cache::tagged(r, tags(&place)))
}

/// What a page of the session's questions shows: its questions, the event, the site.
fn tags(place: &Place) -> Vec<String> {
    vec![
        domain::tags::questions(place.session.id),
        domain::tags::event(place.event.id),
        domain::tags::SITE.to_string(),
    ]
}

#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    body: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

/// `POST /veranstaltungen/{slug}/sessions/{session}/fragen`: a question, for the moderation or
/// at once on the list.
pub async fn ask(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(f): Form<AskForm>,
) -> PageResult {
    let t = ctx.t;
    let place = Place::load(&state, &slug, &session).await?;
    if !same_secret(&form_token(&state, place.session.id), &f.csrf) {
        return Err(AppError::Forbidden);
    }
    let thanks = || async {
        crate::accounts::notice(&state, &ctx, "question-sent-title", "question-sent-text").await
    };
    if !f.website.is_empty() {
        tracing::info!("question with the hidden field filled in: dropped");
        return thanks().await;
    }
    if let Err(problems) = check_question(&f.body, &f.name) {
        let errors = problems.iter().map(|p| t.get(p.key)).collect();
        return page(
            &state,
            &ctx,
            &place,
            QuestionOrder::Votes,
            (&f.name, &f.body),
            errors,
        )
        .await;
    }
    let client = crate::accounts::client_key(&state, client);
    let mut limits = vec![Limit {
        bucket: format!("question:client:{client}"),
        max: QUESTIONS_PER_HOUR,
        window: time::Duration::hours(1),
    }];
    if let Some(u) = &ctx.user {
        limits.push(Limit {
            bucket: format!("question:user:{}", u.user.id),
            max: QUESTIONS_PER_HOUR,
            window: time::Duration::hours(1),
        });
    }
    let asked = state
        .db
        .ask(
            place.session.id,
            &f.body,
            &f.name,
            ctx.user.as_ref().map(|u| u.user.id),
            QuestionSource::Web,
            &limits,
        )
        .await?;
    match asked {
        Ok(q) if q.state == QuestionState::Queued => thanks().await,
        Ok(q) => Ok(Redirect::to(&format!("{}#frage-{}", place.base(), q.id)).into_response()),
        Err(QuestionRefusal::Closed) => {
            let closed = t.get("question-closed");
            page(
                &state,
                &ctx,
                &place,
                QuestionOrder::Votes,
                (&f.name, &f.body),
                vec![closed],
            )
            .await
        }
        Err(r) => Err(refused(r)),
    }
}

pub(crate) fn refused(r: QuestionRefusal) -> AppError {
    match r {
        QuestionRefusal::RateLimited(until) => {
            let secs = (until - OffsetDateTime::now_utc()).whole_seconds().max(1);
            AppError::TooManyRequests(secs as u64)
        }
        QuestionRefusal::NotFound => AppError::NotFound,
        QuestionRefusal::Closed => AppError::bad("question", "question-closed"),
        QuestionRefusal::NotAllowed => AppError::bad("question", "question-not-votable"),
    }
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    sort: String,
}

/// `POST /fragen/{id}/stimme`: one upvote per person (an account, else the client address);
/// back to the list.
pub async fn vote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(f): Form<VoteForm>,
) -> Result<Response, AppError> {
    let (session_id, session_slug, event_slug) = state
        .db
        .question_place(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !same_secret(&form_token(&state, session_id), &f.csrf) {
        return Err(AppError::Forbidden);
    }
    let voter = match &ctx.user {
        Some(u) => format!("user:{}", u.user.id),
        None => format!("client:{}", crate::accounts::client_key(&state, client)),
    };
    match state.db.vote_question(id, &voter).await? {
        Ok(_) => {
            let sort = if f.sort == "newest" {
                "?sort=newest"
            } else {
                ""
            };
            Ok(Redirect::to(&format!(
                "/veranstaltungen/{event_slug}/sessions/{session_slug}/fragen{sort}#frage-{id}"
            ))
            .into_response())
        }
        Err(r) => Err(refused(r)),
    }
}

#[derive(Template)]
#[template(path = "programme/projector.html")]
struct ProjectorPage {
    c: Chrome,
    title: String,
    live: String,
    items: Vec<Item>,
    open: bool,
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/fragen/leinwand`: for the stream or the room.
pub async fn projector(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, session)): Path<(String, String)>,
) -> PageResult {
    let place = Place::load(&state, &slug, &session).await?;
    let questions = state
        .db
        .public_questions(place.session.id, QuestionOrder::Votes, PROJECTOR_MAX)
        .await?;
    html(ProjectorPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: place.session.input.title.clone(),
        live: format!("{}/live", place.base()),
        items: questions
            .iter()
            .filter(|q| q.state == QuestionState::Visible || q.pinned)
            .map(|q| item(q, false))
            .collect(),
        open: place.qa.takes_questions(OffsetDateTime::now_utc()),
    })
    .map(|r| crate::cache::tagged(r, tags(&place)))
}

/// `GET /veranstaltungen/{slug}/sessions/{session}/fragen/live`: "changed", whenever the
/// session's questions change (replaying from `Last-Event-ID`).
pub async fn live(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (event_id, session_id) = state
        .db
        .session_ids(&slug, &session)
        .await?
        .ok_or(AppError::NotFound)?;
    // Every open page of a session runs this for every cache event: the tags are looked for
    // as quoted strings in the payload (`{"tags":["questions:5",…]}`) rather than parsed, so
    // ten thousand streams cost no ten thousand parses per event.
    let wanted = [
        format!("\"{}\"", domain::tags::questions(session_id)),
        format!("\"{}\"", domain::tags::event(event_id)),
        format!("\"{}\"", domain::tags::SITE),
    ];
    let pick = Arc::new(move |e: &BusEvent| {
        wanted
            .iter()
            .any(|w| e.payload.contains(w.as_str()))
            .then(|| "{}".to_string())
    });
    let last = crate::events::last_event_id(&headers);
    crate::events::sse_picking(&state, CACHE_TOPIC, last, pick).await
}
