//! Rating a measure: "Wie wichtig ist Ihnen diese Maßnahme?" on a scale of 1 to 5.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, SignedIn};
use crate::i18n::{Arg, Tr};
use crate::layout::PageResult;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::participation::{Rating, RatingTotals};
use serde::Deserialize;

/// One bar of the distribution: drawn in the SVG and listed in the table beside it.
pub struct Bar {
    pub value: i64,
    pub label: String,
    pub count: i64,
    pub percent: i64,
    /// Top of the bar in the drawing; its width is `percent` (of 100).
    pub y: i64,
}

/// The rating section of a measure page: totals for everyone, the form in a personal slot.
#[derive(Template)]
#[template(path = "participation/rating.html")]
pub struct RatingBox {
    pub t: Tr,
    /// `<id>-<slug>`: the argument of the personal slot.
    pub slot: String,
    pub summary: String,
    pub bars: Vec<Bar>,
    pub count: i64,
    /// The slot's content rendered for the reader when the page is not cached (no page cache):
    /// the form of a signed-in reader; `None` shows the anonymous content.
    pub mine: Option<String>,
    /// The guests' form: where it posts, and its token.
    pub guest_action: String,
    pub guest_token: String,
}

impl RatingBox {
    pub fn html(&self) -> Result<String, AppError> {
        self.render().map_err(|e| AppError::Internal(e.to_string()))
    }
}

const BAR_HEIGHT: i64 = 24;

/// The rating section of the published measure `id` with address `slug`.
pub fn rating_box(
    state: &AppState,
    t: Tr,
    id: i64,
    slug: &str,
    totals: &RatingTotals,
) -> RatingBox {
    let summary = match totals.mean_tenths() {
        None => t.get("rating-none"),
        Some(m) => t.args(
            "rating-mean",
            &[
                ("mean", Arg::Str(decimal(&t, m))),
                ("count", Arg::Num(totals.count)),
            ],
        ),
    };
    let bars = Rating::scale()
        .rev()
        .enumerate()
        .map(|(i, r)| Bar {
            value: r.value(),
            label: value_label(&t, r),
            count: totals.of(r),
            percent: totals.percent(r),
            y: i as i64 * (BAR_HEIGHT + 8),
        })
        .collect();
    RatingBox {
        t,
        slot: format!("{id}-{slug}"),
        summary,
        bars,
        count: totals.count,
        mine: None,
        guest_action: format!("/massnahmen/{slug}/bewertung/gast"),
        guest_token: guest_token(state, id),
    }
}

/// The token of the guests' rating form of measure `id`.
fn guest_token(state: &AppState, id: i64) -> String {
    crate::comments::form_token(state, &format!("rating:{id}"))
}

/// Ratings a guest's address may ask to confirm in an hour …
pub const GUEST_RATINGS_PER_ADDRESS_HOUR: i64 = 10;
/// … and guests from one client address.
pub const GUEST_RATINGS_PER_CLIENT_HOUR: i64 = 60;

#[derive(Deserialize)]
pub struct GuestRateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    email: String,
    /// The hidden field: filled in only by bots.
    #[serde(default)]
    website: String,
}

/// `POST /massnahmen/{slug}/bewertung/gast`: a guest's rating, counted once they confirm it
/// by the link in a mail; one rating per address (a new one replaces it).
pub async fn rate_guest(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    crate::extract::ClientAddr(client): crate::extract::ClientAddr,
    ctx: crate::extract::Ctx,
    crate::extract::Form(form): crate::extract::Form<GuestRateForm>,
) -> PageResult {
    use crate::session::{random_token, same_secret, sha256_hex};
    let t = ctx.t;
    let (id, _, title, _) = state
        .db
        .published_measure_head(Some(&slug), 0)
        .await?
        .ok_or(AppError::NotFound)?;
    if !same_secret(&guest_token(&state, id), &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let sent = || async {
        crate::accounts::notice(
            &state,
            &ctx,
            "rating-guest-sent-title",
            "rating-guest-sent-text",
        )
        .await
    };
    if !form.website.is_empty() {
        tracing::info!("guest rating with the hidden field filled in: dropped");
        return sent().await;
    }
    let Some(rating) = form
        .value
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .and_then(Rating::new)
    else {
        return Err(AppError::InvalidForm {
            field: "value".into(),
            reason: t.get("rating-choose"),
        });
    };
    let email = domain::accounts::normalise_email(&form.email);
    if !domain::mail::is_address(&email) {
        return Err(AppError::InvalidForm {
            field: "email".into(),
            reason: t.get("email-invalid"),
        });
    }
    let address = crate::comments::address_hash(&state, &email);
    let client = crate::accounts::client_key(&state, client);
    let limits = [
        store::comments::Limit {
            bucket: format!("rating:guest-address:{address}"),
            max: GUEST_RATINGS_PER_ADDRESS_HOUR,
            window: time::Duration::hours(1),
        },
        store::comments::Limit {
            bucket: format!("rating:guest-client:{client}"),
            max: GUEST_RATINGS_PER_CLIENT_HOUR,
            window: time::Duration::hours(1),
        },
    ];
    let token = random_token()?;
    let mail = crate::mails::build_with(
        &t,
        crate::mails::Kind::ConfirmRating,
        &crate::accounts::site_label(&state, &t).await?,
        &email,
        "",
        &state.url(&format!("/bewertung/bestaetigen?token={token}")),
        &title,
    );
    let outcome = state
        .db
        .request_guest_rating(&store::participation::GuestRating {
            measure_id: id,
            address_hash: &address,
            token_hash: &sha256_hex(&token),
            rating,
            expires_at: time::OffsetDateTime::now_utc() + domain::comments::GUEST_CONFIRM_VALID,
            mail: &mail,
            limits: &limits,
        })
        .await?;
    match outcome {
        Ok(()) => sent().await,
        Err(store::participation::GuestRatingRefusal::NotFound) => Err(AppError::NotFound),
        Err(store::participation::GuestRatingRefusal::RateLimited(until)) => {
            let secs = (until - time::OffsetDateTime::now_utc())
                .whole_seconds()
                .max(1);
            Err(AppError::TooManyRequests(secs as u64))
        }
    }
}

#[derive(Template)]
#[template(path = "participation/rating_confirm.html")]
struct ConfirmRatingPage {
    c: crate::layout::Chrome,
    title: String,
    text: String,
    token: String,
}

/// `GET /bewertung/bestaetigen?token=…`: the rating to confirm and the button that counts it.
pub async fn confirm_rating_form(
    State(state): State<AppState>,
    ctx: crate::extract::Ctx,
    crate::extract::Query(q): crate::extract::Query<crate::accounts::TokenQuery>,
) -> PageResult {
    let t = ctx.t;
    let Some((measure, rating)) = state
        .db
        .guest_rating_link(&crate::session::sha256_hex(&q.token))
        .await?
    else {
        return Err(AppError::bad("token", "token-unknown"));
    };
    let title = state
        .db
        .published_measure_head(None, measure)
        .await?
        .map(|(_, _, title, _)| title)
        .ok_or(AppError::NotFound)?;
    let mut res = crate::accounts::render(ConfirmRatingPage {
        c: crate::layout::chrome(&state, &ctx, "measures").await?,
        title: t.get("rating-confirm-title"),
        text: t.args(
            "rating-confirm-text",
            &[
                ("title", Arg::Str(title)),
                ("value", Arg::Num(rating.value())),
                ("label", Arg::Str(value_label(&t, rating))),
            ],
        ),
        token: q.token,
    })?;
    res.headers_mut().insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// `POST /bewertung/bestaetigen`: counts the guest's rating; back to the measure.
pub async fn confirm_rating(
    State(state): State<AppState>,
    crate::extract::Form(form): crate::extract::Form<crate::accounts::TokenForm>,
) -> PageResult {
    let hash = crate::session::sha256_hex(&form.token);
    let Some(measure) = state.db.confirm_guest_rating(&hash).await? else {
        return Err(AppError::bad("token", "token-unknown"));
    };
    let slug = state
        .db
        .published_measure_head(None, measure)
        .await?
        .map(|(_, slug, _, _)| slug)
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/massnahmen/{slug}?hinweis=bewertet#bewertung")).into_response())
}

/// Tenths as a decimal number in the reader's language: "3,8" in German, "3.8" in English.
fn decimal(t: &Tr, tenths: i64) -> String {
    let sep = match t.lang {
        crate::i18n::Lang::De => ',',
        crate::i18n::Lang::En => '.',
    };
    format!("{}{sep}{}", tenths / 10, tenths % 10)
}

fn value_label(t: &Tr, r: Rating) -> String {
    t.get(&format!("rating-value-{}", r.value()))
}

/// The form of a signed-in reader (the content of the personal slot).
#[derive(Template)]
#[template(path = "participation/rating_form.html")]
struct SlotRating {
    t: Tr,
    action: String,
    csrf: String,
    current: Option<i64>,
    choices: Vec<(i64, String)>,
}

/// The HTML of the slot `<id>-<slug>` for a reader whose rating of the measure is `current`
/// (empty for an argument that is not one): from the cache's slot filling and from a page
/// rendered with the reader's session alike.
pub fn rating_slot(
    t: Tr,
    arg: &str,
    csrf: &str,
    current: Option<Rating>,
) -> Result<String, askama::Error> {
    let Some((_, slug)) = parse_slot(arg) else {
        return Ok(String::new());
    };
    SlotRating {
        t,
        action: format!("/massnahmen/{slug}/bewertung"),
        csrf: csrf.to_string(),
        current: current.map(Rating::value),
        choices: Rating::scale()
            .map(|r| (r.value(), value_label(&t, r)))
            .collect(),
    }
    .render()
}

/// The measure id and slug of a rating slot's argument.
pub fn parse_slot(arg: &str) -> Option<(i64, &str)> {
    let (id, slug) = arg.split_once('-')?;
    Some((id.parse().ok()?, slug))
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    value: Option<String>,
    /// The "withdraw" button of the form.
    #[serde(default)]
    withdraw: Option<String>,
}

/// `POST /massnahmen/{slug}/bewertung`: sets, changes or withdraws the reader's rating.
pub async fn rate(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<RateForm>,
) -> PageResult {
    let id = crate::radar::measure_to_write(&state, &slug).await?;
    let rating = if form.withdraw.is_some() {
        None
    } else {
        let value = form.value.as_deref().unwrap_or("").trim();
        Some(
            value
                .parse::<i64>()
                .ok()
                .and_then(Rating::new)
                .ok_or_else(|| AppError::InvalidForm {
                    field: "value".into(),
                    reason: ctx.t.get("rating-choose"),
                })?,
        )
    };
    state
        .db
        .rate(id, user.user.id, rating)
        .await?
        .ok_or(AppError::NotFound)?;
    // Back to the page, where the form shows the rating as it now stands.
    Ok(Redirect::to(&format!("/massnahmen/{slug}#bewertung")).into_response())
}
