//! Following a measure, a field of action or an idea: the button on their (cached) pages is the personal
//! slot `<!--slot:follow:<kind>-<id>-<slug>-->`, filled for signed-in readers; following and
//! unfollowing are plain POST forms.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, SignedIn};
use crate::i18n::Tr;
use crate::layout::PageResult;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::notifications::FollowKind;
use serde::Deserialize;

/// The follow box of a page: its slot's argument and the anonymous content.
#[derive(Template)]
#[template(path = "notifications/follow.html")]
pub struct FollowBox {
    pub t: Tr,
    /// `<kind>-<id>-<slug>`.
    pub slot: String,
    /// The slot's content rendered for the reader when the page is not cached; `None` shows the
    /// anonymous content.
    pub mine: Option<String>,
    pub kind: &'static str,
}

/// The signed-in reader's form (the content of the slot).
#[derive(Template)]
#[template(path = "notifications/follow_form.html")]
struct FollowForm {
    t: Tr,
    action: String,
    csrf: String,
    following: bool,
    kind: &'static str,
}

/// The kind, id and slug of a follow slot's argument.
pub fn parse_slot(arg: &str) -> Option<(FollowKind, i64, &str)> {
    let (kind, rest) = arg.split_once('-')?;
    let (id, slug) = rest.split_once('-')?;
    let kind = FollowKind::parse(kind)?;
    Some((kind, id.parse().ok()?, slug))
}

fn action(kind: FollowKind, slug: &str) -> String {
    match kind {
        FollowKind::Field => format!("/handlungsfelder/{slug}/folgen"),
        FollowKind::Measure => format!("/massnahmen/{slug}/folgen"),
        // An idea's "slug" is its id.
        FollowKind::Idea => format!("/ideen/{slug}/folgen"),
    }
}

/// The HTML of the slot `arg` for a reader who follows (`true`) or not.
pub fn follow_slot(t: Tr, arg: &str, csrf: &str, following: bool) -> Result<String, AppError> {
    let Some((kind, _, slug)) = parse_slot(arg) else {
        return Ok(String::new());
    };
    Ok(FollowForm {
        t,
        action: action(kind, slug),
        csrf: csrf.to_string(),
        following,
        kind: kind.as_str(),
    }
    .render()?)
}

/// The follow box of subject `id` at `slug`, filled for `user` when the page is rendered with
/// the reader's session (no page cache).
pub async fn follow_box(
    state: &AppState,
    t: Tr,
    kind: FollowKind,
    id: i64,
    slug: &str,
    user: Option<&store::accounts::SessionUser>,
) -> Result<String, AppError> {
    let slot = format!("{}-{id}-{slug}", kind.as_str());
    let mine = match user {
        Some(u) => {
            let following = state.db.follows(u.user.id, kind, id).await?;
            Some(follow_slot(t, &slot, &u.csrf_token, following)?)
        }
        None => None,
    };
    Ok(FollowBox {
        t,
        slot,
        mine,
        kind: kind.as_str(),
    }
    .render()?)
}

#[derive(Deserialize)]
pub struct FollowChoice {
    #[serde(default)]
    follow: Option<String>,
}

impl FollowChoice {
    fn on(&self, t: &Tr) -> Result<bool, AppError> {
        match self.follow.as_deref() {
            Some("1") => Ok(true),
            Some("0") => Ok(false),
            _ => Err(AppError::InvalidForm {
                field: "follow".into(),
                reason: t.get("follow-choose"),
            }),
        }
    }
}

/// `POST /massnahmen/{slug}/folgen`: follows (`follow=1`) or unfollows (`follow=0`) a
/// published measure.
pub async fn follow_measure(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<FollowChoice>,
) -> PageResult {
    let on = form.on(&ctx.t)?;
    let id = crate::radar::published_measure(&state, &slug).await?;
    state
        .db
        .set_follow(user.user.id, FollowKind::Measure, id, on)
        .await?;
    Ok(Redirect::to(&format!("/massnahmen/{slug}#folgen")).into_response())
}

/// `POST /ideen/{id}/folgen`: follows or unfollows an idea shown in the lists.
pub async fn follow_idea(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<FollowChoice>,
) -> PageResult {
    let on = form.on(&ctx.t)?;
    state
        .db
        .idea(id)
        .await?
        .filter(|i| !i.hidden)
        .ok_or(AppError::NotFound)?;
    state
        .db
        .set_follow(user.user.id, FollowKind::Idea, id, on)
        .await?;
    Ok(Redirect::to(&format!("/ideen/{id}#folgen")).into_response())
}

/// `POST /handlungsfelder/{slug}/folgen`: follows or unfollows a field of action.
pub async fn follow_field(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<FollowChoice>,
) -> PageResult {
    let on = form.on(&ctx.t)?;
    let tax = state.db.taxonomy().await?;
    let id = tax.field_by_slug(&slug).ok_or(AppError::NotFound)?.id;
    state
        .db
        .set_follow(user.user.id, FollowKind::Field, id, on)
        .await?;
    Ok(Redirect::to(&format!("/handlungsfelder/{slug}#folgen")).into_response())
}
