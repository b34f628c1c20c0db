//! The provider's side of requests: `/anbieten/{provider}/anfragen` lists the requests for the
//! provider's offers (the open ones first, filtered by state, a page at a time), and
//! `/anbieten/{provider}/anfragen/{id}` shows one with the decision: accept, decline with a
//! reason, or propose another day. Only the provider's people (and admins) see or decide them.

use super::mails::Mails;
use super::{group, refused, state_name, when};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, Query, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use crate::offers::{PER_PAGE, today};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::requests::{RequestState, check_note, day_ok};
use serde::Deserialize;
use store::offers::requests::Refusal;
use store::offers::requests::changes::Decision;

struct Row {
    href: String,
    offer: String,
    when: String,
    who: String,
    group: String,
    state: String,
}

#[derive(Template)]
#[template(path = "offers/office_requests.html")]
struct ListPage {
    c: Chrome,
    title: String,
    back: String,
    rows: Vec<Row>,
    summary: String,
    /// The state filter: value, label, chosen.
    states: Vec<(&'static str, String, bool)>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

/// `GET /anbieten/{provider}/anfragen`
pub async fn office_requests(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = ctx.t;
    let p = crate::offers::office::own_provider(&state, &user, id).await?;
    let chosen = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            RequestState::parse(s)
                .filter(|s| *s != RequestState::Unconfirmed)
                .ok_or_else(|| AppError::bad("state", t.get("request-bad-state")))?,
        ),
    };
    let page = match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page")))?,
    };
    let (list, total) = state
        .db
        .provider_requests(id, chosen, page, PER_PAGE)
        .await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let filter = chosen.map_or(String::new(), |s| format!("state={}&", s.as_str()));
    crate::accounts::render(ListPage {
        c: crate::layout::chrome(&state, &ctx, "provide").await?,
        title: t.s("request-office-title", "provider", &p.input.name),
        back: format!("/anbieten/{id}"),
        rows: list
            .iter()
            .map(|r| Row {
                href: format!("/anbieten/{id}/anfragen/{}", r.id),
                offer: r.offer_title.clone(),
                when: when(&t, r),
                who: if r.institution.is_empty() {
                    r.name.clone()
                } else {
                    format!("{} ({})", r.institution, r.name)
                },
                group: group(&t, r),
                state: state_name(&t, r.state),
            })
            .collect(),
        summary: t.n("request-count", "count", total),
        states: RequestState::ALL
            .into_iter()
            .filter(|s| *s != RequestState::Unconfirmed)
            .map(|s| (s.as_str(), state_name(&t, s), chosen == Some(s)))
            .collect(),
        previous: (page > 1).then(|| format!("/anbieten/{id}/anfragen?{filter}page={}", page - 1)),
        next: (page < pages).then(|| format!("/anbieten/{id}/anfragen?{filter}page={}", page + 1)),
    })
}

#[derive(Template)]
#[template(path = "offers/office_request.html")]
struct OnePage {
    c: Chrome,
    title: String,
    back: String,
    action: String,
    csrf: String,
    notice: Option<String>,
    offer_title: String,
    offer_href: String,
    when: String,
    name: String,
    email: String,
    phone: String,
    institution: String,
    group: String,
    message: String,
    state: String,
    note: String,
    open: bool,
    f: DecisionForm,
    errors: Vec<(&'static str, String)>,
    min_day: String,
}

impl OnePage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DecisionForm {
    /// `accept`, `decline` or `propose`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    words: String,
}

#[derive(Deserialize)]
pub struct OneQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

/// The request `rid` if it is for an offer of provider `id`, which `user` manages.
async fn own_request(
    state: &AppState,
    user: &store::accounts::SessionUser,
    id: i64,
    rid: i64,
) -> Result<store::offers::requests::Request, AppError> {
    crate::offers::office::own_provider(state, user, id).await?;
    state
        .db
        .offer_request(rid)
        .await?
        .filter(|r| r.provider_id == id && r.state != RequestState::Unconfirmed)
        .ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
async fn one_page(
    state: &AppState,
    ctx: &crate::extract::Ctx,
    user: &store::accounts::SessionUser,
    id: i64,
    r: store::offers::requests::Request,
    f: DecisionForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let bad = !errors.is_empty();
    let mut res = crate::accounts::render(OnePage {
        c: crate::layout::chrome(state, ctx, "provide").await?,
        title: t.s("request-office-one-title", "number", &r.id.to_string()),
        back: format!("/anbieten/{id}/anfragen"),
        action: format!("/anbieten/{id}/anfragen/{}", r.id),
        csrf: user.csrf_token.clone(),
        notice,
        offer_href: format!("/angebote/{}", r.offer_slug),
        when: when(&t, &r),
        group: group(&t, &r),
        state: state_name(&t, r.state),
        open: r.state.open_to_provider(),
        offer_title: r.offer_title,
        name: r.name,
        email: r.email,
        phone: r.phone,
        institution: r.institution,
        message: r.message,
        note: r.note,
        f,
        errors,
        min_day: today().to_string(),
    })?;
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /anbieten/{provider}/anfragen/{id}`
pub async fn office_request(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((id, rid)): Path<(i64, i64)>,
    Query(q): Query<OneQuery>,
) -> PageResult {
    let r = own_request(&state, &user, id, rid).await?;
    let notice =
        (q.hinweis.as_deref() == Some("entschieden")).then(|| ctx.t.get("request-office-decided"));
    one_page(
        &state,
        &ctx,
        &user,
        id,
        r,
        DecisionForm::default(),
        Vec::new(),
        notice,
    )
    .await
}

/// `POST /anbieten/{provider}/anfragen/{id}`: the decision.
pub async fn decide_request(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> PageResult {
    let t = ctx.t;
    let r = own_request(&state, &user, id, rid).await?;
    let decision = match f.action.as_str() {
        "accept" => Ok(Decision::Accept),
        "decline" => check_note(&f.reason, true)
            .map(|()| Decision::Decline(f.reason.trim().to_string()))
            .map_err(|k| ("reason", t.get(k))),
        "propose" => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(f.day.trim(), &format) {
                Err(_) => Err(("day", t.get("request-day-invalid"))),
                Ok(d) => day_ok(d, today())
                    .and_then(|()| check_note(&f.words, false))
                    .map(|()| Decision::Propose(d, f.words.trim().to_string()))
                    .map_err(|k| {
                        if k == "request-note-invalid" {
                            ("words", t.get(k))
                        } else {
                            ("day", t.get(k))
                        }
                    }),
            }
        }
        _ => return Err(AppError::bad("action", "error-reason-invalid")),
    };
    let decision = match decision {
        Ok(d) => d,
        Err(e) => return one_page(&state, &ctx, &user, id, r, f, vec![e], None).await,
    };
    let mails = Mails::new(&state, id).await?;
    match state
        .db
        .decide_request(rid, &decision, today(), &|r, n| mails.mail(r, n))
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/anbieten/{id}/anfragen/{rid}?hinweis=entschieden"
        ))
        .into_response()),
        Err(refusal @ (Refusal::Full { .. } | Refusal::Past)) => {
            let reason = match refused(&t, refusal, "day") {
                AppError::InvalidForm { reason, .. } => reason,
                other => return Err(other),
            };
            one_page(&state, &ctx, &user, id, r, f, vec![("day", reason)], None).await
        }
        Err(refusal) => Err(refused(&t, refusal, "action")),
    }
}
