//! Subscribing: the public page `/newsletter` with the address and the topics, and the
//! confirmation. The form is session-less (it carries the site's form token for this purpose;
//! the cross-site check of the middleware is its CSRF defence). Every valid request gets the
//! same "check your mail" answer, so the form tells nobody whether an address is subscribed.
//! The confirmation link opens a page with a button; only its POST confirms, so a mail
//! scanner that follows links confirms nothing.

use super::{TopicBox, field, topic_boxes, topics_of};
use crate::AppState;
use crate::accounts::{TokenForm, TokenQuery, client_key, notice, render};
use crate::comments::form_token;
use crate::error::AppError;
use crate::extract::{ClientAddr, Ctx, Form, Query};
use crate::layout::{Chrome, PageResult, chrome};
use crate::mails::{Letter, compose};
use crate::session::{random_token, same_secret, sha256_hex};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use domain::newsletter::{CONFIRM_VALID, PER_ADDRESS_HOUR, PER_CLIENT_HOUR, Topics};
use store::newsletter::Subscribed;
use time::OffsetDateTime;

/// The purpose of the subscription form's token.
const FORM: &str = "newsletter-subscribe";

#[derive(Template)]
#[template(path = "newsletter/subscribe.html")]
struct SubscribePage {
    c: Chrome,
    title: String,
    token: String,
    email: String,
    topics: Vec<TopicBox>,
    all: bool,
    /// (field, message)
    errors: Vec<(&'static str, String)>,
}

impl SubscribePage {
    fn error_of(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    email: &str,
    topics: Topics,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let failed = !errors.is_empty();
    let mut res = render(SubscribePage {
        c: chrome(state, ctx, "").await?,
        title: ctx.t.get("newsletter-title"),
        token: form_token(state, FORM),
        email: email.to_string(),
        topics: topic_boxes(&ctx.t, topics),
        all: topics == Topics::ALL,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /newsletter`: the form.
pub async fn subscribe_page(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    page(&state, &ctx, "", Topics::ALL, Vec::new()).await
}

/// `POST /newsletter`: records the subscription and sends the confirmation mail (or, for an
/// address already subscribed, a mail with the link to its topics). Limited per address and
/// per client, so nobody can flood another person's mailbox.
pub async fn subscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(peer): ClientAddr,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t;
    if !same_secret(&form_token(&state, FORM), field(&pairs, "csrf")) {
        return Err(AppError::Forbidden);
    }
    let email = domain::accounts::normalise_email(field(&pairs, "email"));
    let mut errors = Vec::new();
    if !domain::mail::is_address(&email) {
        errors.push(("email", t.get("email-invalid")));
    }
    let topics = match topics_of(&t, &pairs) {
        Ok(topics) if topics.is_empty() => {
            errors.push(("topics", t.get("newsletter-topics-missing")));
            topics
        }
        Ok(topics) => topics,
        Err(_) => {
            errors.push(("topics", t.get("newsletter-topic-unknown")));
            Topics::default()
        }
    };
    if !errors.is_empty() {
        return page(&state, &ctx, &email, topics, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let address = sha256_hex(&format!("{}|newsletter-address|{email}", state.pepper));
    for (bucket, max) in [
        (
            format!("newsletter:client:{}", client_key(&state, peer)),
            PER_CLIENT_HOUR,
        ),
        (format!("newsletter:address:{address}"), PER_ADDRESS_HOUR),
    ] {
        let (hits, until) = state
            .db
            .hit_rate_limit(&bucket, now, time::Duration::hours(1))
            .await?;
        if hits > max {
            return Err(AppError::TooManyRequests(
                (until - now).whole_seconds().max(1) as u64,
            ));
        }
    }
    let token = random_token()?;
    let site = crate::accounts::site_label(&state, &t).await?;
    let confirm_link = state.url(&format!("/newsletter/bestaetigen?token={token}"));
    let topic_names = super::topic_names(&t, topics);
    let mail = |outcome: Subscribed| {
        let (subject, text, link) = match outcome {
            Subscribed::Pending(_) => (
                t.s("newsletter-mail-confirm-subject", "site", &site),
                t.s("newsletter-mail-confirm-text", "topics", &topic_names),
                confirm_link.clone(),
            ),
            Subscribed::AlreadyConfirmed(id) => (
                t.s("newsletter-mail-known-subject", "site", &site),
                t.get("newsletter-mail-known-text"),
                state.url(&format!(
                    "/newsletter/themen?token={}",
                    super::token(&state, id)
                )),
            ),
        };
        compose(
            &t,
            Letter {
                site: &site,
                to: &email,
                name: "",
                subject: &subject,
                paragraphs: &[text],
                link: Some((link.as_str(), true)),
                closing: &t.get("newsletter-mail-ignore"),
            },
        )
    };
    state
        .db
        .subscribe_newsletter(
            (&email, t.lang.code()),
            topics,
            (&sha256_hex(&token), now + CONFIRM_VALID),
            now,
            &mail,
        )
        .await?;
    notice(
        &state,
        &ctx,
        "newsletter-sent-title",
        "newsletter-sent-text",
    )
    .await
}

#[derive(Template)]
#[template(path = "newsletter/confirm.html")]
struct ConfirmPage {
    c: Chrome,
    title: String,
    token: String,
    topics: String,
}

/// `GET /newsletter/bestaetigen?token=…`: the page with the button (400 for a link that does
/// not confirm: unknown, used or expired).
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    let Some(s) = state
        .db
        .newsletter_pending(&sha256_hex(&q.token), OffsetDateTime::now_utc())
        .await?
    else {
        return Err(AppError::bad("token", "newsletter-bad-link"));
    };
    let mut res = render(ConfirmPage {
        c: chrome(&state, &ctx, "").await?,
        title: ctx.t.get("newsletter-confirm-title"),
        token: q.token,
        topics: super::topic_names(&ctx.t, s.topics),
    })?;
    no_referrer(&mut res);
    Ok(res)
}

/// `POST /newsletter/bestaetigen`: confirms the subscription of the form's token, once.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TokenForm>,
) -> PageResult {
    match state
        .db
        .confirm_newsletter(&sha256_hex(&f.token), OffsetDateTime::now_utc())
        .await?
    {
        Some(_) => {
            notice(
                &state,
                &ctx,
                "newsletter-confirmed-title",
                "newsletter-confirmed-text",
            )
            .await
        }
        None => Err(AppError::bad("token", "newsletter-bad-link")),
    }
}

/// Pages whose URL holds a token must not send it on in a `Referer`.
pub(crate) fn no_referrer(res: &mut axum::response::Response) {
    res.headers_mut().insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
}
