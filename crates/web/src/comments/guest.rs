//! Guests: a comment or a reply with a display name and an e-mail address, published when the
//! guest confirms it through the link in a mail (a button on the link's page: mail scanners
//! follow links). The address goes into the mail and nowhere else: the store keeps a keyed hash
//! of it for the limits per address. An optional setting holds confirmed guest comments for
//! the moderation. A hidden field that people leave empty catches simple bots.

use super::post::{FormPage, form_page};
use super::views::comment_html;
use super::*;
use crate::extract::{ClientAddr, Ctx, Form, Path, Query};
use crate::layout::PageResult;
use crate::session::{random_token, same_secret, sha256_hex};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::comments::{Author, Guest, GuestLink, Limit, NewComment, Refusal};
use time::OffsetDateTime;

/// Comments a guest's address may send for confirmation in an hour …
pub const GUEST_PER_ADDRESS_HOUR: i64 = 5;
/// … and guest comments from one client address in an hour.
pub const GUEST_PER_CLIENT_HOUR: i64 = 20;

/// The setting that holds confirmed guest comments for the moderation ("1": on).
pub const PREMODERATION_KEY: &str = "guest_premoderation";

/// The token of a public form for `purpose` (`comment:measure:4`, `report:17`): it ties the
/// form to this site's pages, where session-less forms cannot carry a session's token; the
/// cross-site check (`middleware`) is their CSRF defence.
pub fn form_token(state: &AppState, purpose: &str) -> String {
    sha256_hex(&format!("{}|form|{purpose}", state.pepper))[..32].to_string()
}

/// The token of a form that signed-in people and guests both send (a request, an application):
/// the reader's session token, or for a guest the form's own token for `purpose`.
pub fn reader_token(state: &AppState, ctx: &crate::extract::Ctx, purpose: &str) -> String {
    match &ctx.user {
        Some(u) => u.csrf_token.clone(),
        None => form_token(state, purpose),
    }
}

/// The purpose of the guest form of a discussion.
fn comment_purpose(target: &Target) -> String {
    format!(
        "comment:{}:{}",
        target.subject.kind.as_str(),
        target.subject.id
    )
}

/// The keyed hash of a guest's (normalised) address: the store never sees the address.
pub(crate) fn address_hash(state: &AppState, email: &str) -> String {
    sha256_hex(&format!("{}|guest-address|{email}", state.pepper))
}

/// Whether confirmed guest comments wait for the moderation.
pub async fn premoderation(state: &AppState) -> Result<bool, AppError> {
    Ok(state
        .cache
        .settings
        .one(&state.db, PREMODERATION_KEY)
        .await?
        .as_deref()
        == Some("1"))
}

#[derive(Deserialize)]
pub struct GuestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    body: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

#[derive(Template)]
#[template(path = "comments/guest_form.html")]
struct GuestFormHtml<'a> {
    t: crate::i18n::Tr,
    action: &'a str,
    token: &'a str,
    field_id: &'a str,
    label: String,
    name: &'a str,
    email: &'a str,
    body: &'a str,
    submit: String,
}

/// The guest form of `target` posting to `action` (a new comment, or a reply).
pub fn guest_form_html(
    t: crate::i18n::Tr,
    action: &str,
    token: &str,
    reply: bool,
    values: (&str, &str, &str),
) -> Result<String, askama::Error> {
    let (label, submit) = if reply {
        ("comment-reply-label", "comment-reply-submit")
    } else {
        ("comments-new", "comments-submit")
    };
    GuestFormHtml {
        t,
        action,
        token,
        field_id: "comment-body",
        label: t.get(label),
        name: values.0,
        email: values.1,
        body: values.2,
        submit: t.get(submit),
    }
    .render()
}

/// The guest form's token of `target`.
pub fn guest_token(state: &AppState, target: &Target) -> String {
    form_token(state, &comment_purpose(target))
}

/// The limits a guest's post counts against.
fn limits(state: &AppState, client: Option<std::net::IpAddr>, address: &str) -> Vec<Limit> {
    let client = crate::accounts::client_key(state, client);
    vec![
        Limit {
            bucket: format!("comment:guest-address:{address}"),
            max: GUEST_PER_ADDRESS_HOUR,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("comment:guest-client:{client}"),
            max: GUEST_PER_CLIENT_HOUR,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("comment:client:{client}"),
            max: state.comment_limits.per_client_minute,
            window: time::Duration::minutes(1),
        },
    ]
}

/// Posts a guest's comment (a reply when `parent` is given): the "check your mail" page, or the
/// form again with what is wrong.
async fn submit(
    state: &AppState,
    ctx: &Ctx,
    client: Option<std::net::IpAddr>,
    target: &Target,
    parent: Option<&store::comments::Comment>,
    form: &GuestForm,
) -> PageResult {
    let t = ctx.t;
    if !same_secret(&guest_token(state, target), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if let Some(key) = target.closed {
        return Err(AppError::InvalidForm {
            field: "comment".into(),
            reason: t.get(key),
        });
    }
    let sent = || async {
        crate::accounts::notice(state, ctx, "guest-sent-title", "guest-sent-text").await
    };
    // A bot filled in the hidden field: it is told what a person is told, and nothing happens.
    if !form.website.is_empty() {
        tracing::info!("guest comment with the hidden field filled in: dropped");
        return sent().await;
    }
    let email = domain::accounts::normalise_email(&form.email);
    let mut errors = Vec::new();
    let name = domain::comments::check_guest_name(&form.name);
    if name.is_none() {
        errors.push(t.get("guest-name-invalid"));
    }
    if !domain::mail::is_address(&email) {
        errors.push(t.get("email-invalid"));
    }
    let body = match domain::comments::check_body(&form.body) {
        Ok(b) => Some(b),
        Err(p) => {
            errors.push(t.get(p.key()));
            None
        }
    };
    if let Some(p) = parent {
        if p.state != domain::comments::State::Published {
            errors.push(t.get("comment-parent-closed"));
        } else if !domain::comments::may_reply_at(p.depth) {
            errors.push(t.get("comment-too-deep"));
        }
    }
    let (Some(name), Some(body), true) = (name, body, errors.is_empty()) else {
        return guest_page(state, ctx, target, parent, form, errors).await;
    };
    let token = random_token()?;
    let address = address_hash(state, &email);
    let mail = crate::mails::build(
        &t,
        crate::mails::Kind::ConfirmComment,
        &crate::accounts::site_label(state, &t).await?,
        &email,
        &name,
        &state.url(&format!("/kommentare/bestaetigen?token={token}")),
    );
    let html = domain::comments::comment_html(&body);
    let limits = limits(state, client, &address);
    let token_hash = sha256_hex(&token);
    let guest = Guest {
        name: &name,
        address_hash: &address,
        token_hash: &token_hash,
        expires_at: OffsetDateTime::now_utc() + domain::comments::GUEST_CONFIRM_VALID,
        mail: &mail,
    };
    let outcome = state
        .db
        .post_comment(&NewComment {
            subject: target.subject,
            parent_id: parent.map(|p| p.id),
            author: Author::Guest(&guest),
            body: &body,
            body_html: &html,
            official: false,
            limits: &limits,
            posted_at: None,
            hold: false,
        })
        .await?;
    match outcome {
        Ok(_) => sent().await,
        Err(r @ (Refusal::TooDeep | Refusal::ParentClosed | Refusal::Closed)) => {
            guest_page(
                state,
                ctx,
                target,
                parent,
                form,
                vec![refusal_reason(&t, r)],
            )
            .await
        }
        // The address is blocked by the moderation: said with the form, nothing sent.
        Err(Refusal::Blocked) => {
            let errors = vec![t.get("comment-guest-blocked")];
            guest_page(state, ctx, target, parent, form, errors).await
        }
        Err(r) => Err(refusal(&t, r)),
    }
}

/// The guest form on its own page (a reply, or a comment to correct).
pub(crate) async fn guest_page(
    state: &AppState,
    ctx: &Ctx,
    target: &Target,
    parent: Option<&store::comments::Comment>,
    form: &GuestForm,
    errors: Vec<String>,
) -> PageResult {
    let t = ctx.t;
    let (title, action, context, back_href, back_label) = match parent {
        Some(p) => (
            t.get("comment-reply-title"),
            format!("/kommentare/{}/antworten/gast", p.id),
            Some(comment_html(t, p, String::new())?),
            format!("/kommentare/{}#kommentar-{}", p.id, p.id),
            t.s("comment-on", "title", &target.title),
        ),
        None => (
            t.get("comments-new"),
            format!("{}/gast", target.comments_path()),
            None,
            target.page.clone(),
            t.s("comments-back", "title", &target.title),
        ),
    };
    let html = guest_form_html(
        t,
        &action,
        &guest_token(state, target),
        parent.is_some(),
        (
            &form.name.chars().take(60).collect::<String>(),
            &form.email.chars().take(254).collect::<String>(),
            &form.body,
        ),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    form_page(FormPage {
        c: crate::layout::chrome(state, ctx, "measures").await?,
        title,
        hint: None,
        context,
        errors,
        form: html,
        back_href,
        back_label,
    })
}

/// An empty guest form, for the reply page of a person who is not signed in.
pub(crate) fn empty_form() -> GuestForm {
    GuestForm {
        csrf: String::new(),
        name: String::new(),
        email: String::new(),
        body: String::new(),
        website: String::new(),
    }
}

/// `POST /massnahmen/{slug}/kommentare/gast`: a guest's comment under the measure.
pub async fn create_guest(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let target = measure_target(&state, &slug).await?;
    submit(&state, &ctx, client, &target, None, &form).await
}

/// `POST /ideen/{id}/kommentare/gast`: a guest's comment under the idea.
pub async fn create_guest_on_idea(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let target = idea_target(&state, id).await?;
    submit(&state, &ctx, client, &target, None, &form).await
}

/// `POST /veranstaltungen/{slug}/sessions/{session}/kommentare/gast`
pub async fn create_guest_on_session(
    State(state): State<AppState>,
    Path((slug, session)): Path<(String, String)>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let target = session_target(&state, &slug, &session).await?;
    submit(&state, &ctx, client, &target, None, &form).await
}

/// `POST /kommentare/{id}/antworten/gast`: a guest's reply.
pub async fn reply_guest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ClientAddr(client): ClientAddr,
    ctx: Ctx,
    Form(form): Form<GuestForm>,
) -> PageResult {
    let c = state.db.comment(id).await?.ok_or(AppError::NotFound)?;
    if c.state == domain::comments::State::Pending {
        return Err(AppError::NotFound);
    }
    let target = target_of(&state, c.subject).await?;
    submit(&state, &ctx, client, &target, Some(&c), &form).await
}

#[derive(Template)]
#[template(path = "comments/confirm.html")]
struct ConfirmPage {
    c: crate::layout::Chrome,
    title: String,
    comment: String,
    token: String,
}

/// `GET /kommentare/bestaetigen?token=…`: the comment and the button that publishes it.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<crate::accounts::TokenQuery>,
) -> PageResult {
    let id = match state.db.guest_link(&sha256_hex(&q.token)).await? {
        GuestLink::Open(id) => id,
        GuestLink::Used(id) => return Ok(Redirect::to(&already(&state, id).await?).into_response()),
        GuestLink::Unknown => return Err(AppError::bad("token", "token-unknown")),
    };
    let c = state.db.comment(id).await?.ok_or(AppError::NotFound)?;
    // The guest's own text, shown to whoever holds the link.
    let shown = store::comments::Comment {
        state: domain::comments::State::Published,
        ..c
    };
    let mut res = crate::accounts::render(ConfirmPage {
        c: crate::layout::chrome(&state, &ctx, "measures").await?,
        title: ctx.t.get("guest-confirm-title"),
        comment: comment_html(ctx.t, &shown, String::new())?,
        token: q.token,
    })?;
    // The token is in this page's URL: it must not go out in a `Referer`.
    res.headers_mut().insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// Where a used link leads: the comment if it is shown, else the notice that it is confirmed.
async fn already(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(match state.db.comment(id).await? {
        Some(c) if c.state != domain::comments::State::Pending => {
            format!("/kommentare/{id}#kommentar-{id}")
        }
        _ => "/kommentare/bestaetigt".to_string(),
    })
}

/// `POST /kommentare/bestaetigen`: publishes the comment (or hands it to the moderation).
pub async fn confirm(
    State(state): State<AppState>,
    Form(form): Form<crate::accounts::TokenForm>,
) -> PageResult {
    let hash = sha256_hex(&form.token);
    // Pre-moderation, or a text with a word of the list: the moderation looks first.
    let review = premoderation(&state).await?
        || match state.db.guest_link(&hash).await? {
            GuestLink::Open(id) => match state.db.comment(id).await? {
                Some(c) => super::moderation::holds(&state, None, &c.body).await?,
                None => false,
            },
            _ => false,
        };
    match state.db.confirm_guest_comment(&hash, review).await? {
        Some((id, _, domain::comments::State::Published)) => {
            Ok(Redirect::to(&format!("/kommentare/{id}#kommentar-{id}")).into_response())
        }
        Some(_) => Ok(Redirect::to("/kommentare/bestaetigt").into_response()),
        None => match state.db.guest_link(&hash).await? {
            GuestLink::Used(id) => Ok(Redirect::to(&already(&state, id).await?).into_response()),
            _ => Err(AppError::bad("token", "token-unknown")),
        },
    }
}

/// `GET /kommentare/bestaetigt`: a confirmed comment that waits for the moderation.
pub async fn confirmed(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    crate::accounts::notice(&state, &ctx, "guest-held-title", "guest-held-text").await
}
