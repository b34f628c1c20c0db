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
}

impl RatingBox {
    pub fn html(&self) -> Result<String, AppError> {
        self.render().map_err(|e| AppError::Internal(e.to_string()))
    }
}

const BAR_HEIGHT: i64 = 24;

/// The rating section of the published measure `id` with address `slug`.
pub fn rating_box(t: Tr, id: i64, slug: &str, totals: &RatingTotals) -> RatingBox {
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
    }
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
    let id = crate::radar::published_measure(&state, &slug).await?;
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
