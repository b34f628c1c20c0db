//! `/konto/benachrichtigungen`: how a person hears of each kind of notification, whether writing
//! on something follows it, and what they follow (with "Nicht mehr folgen").

use super::views::{Followed, KindChoice, SettingsPage};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Query, SignedIn};
use crate::layout::{PageResult, chrome};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::notifications::{Delivery, FollowKind, Kind};
use serde::Deserialize;
use store::accounts::SessionUser;

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

/// `GET /konto/benachrichtigungen`.
pub async fn settings_page(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    Query(q): Query<SettingsQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("gespeichert") => Some(ctx.t.get("notification-settings-saved")),
        Some("entfolgt") => Some(ctx.t.get("notification-unfollowed")),
        _ => None,
    };
    page(&state, &ctx, &user, notice).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let prefs = state.db.notification_prefs(user.user.id).await?;
    let kinds = Kind::ALL
        .iter()
        .map(|k| KindChoice {
            kind: k.as_str(),
            label: t.get(&format!("notification-kind-{}", k.as_str())),
            hint: t.get(&format!("notification-kind-{}-hint", k.as_str())),
            options: Delivery::ALL
                .iter()
                .map(|d| {
                    (
                        d.as_str(),
                        t.get(&format!("notification-delivery-{}", d.as_str())),
                        prefs.of(*k) == *d,
                    )
                })
                .collect(),
        })
        .collect();
    let follows = state
        .db
        .follows_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|f| Followed {
            kind: f.kind.as_str(),
            kind_label: t.get(&format!("follow-kind-{}", f.kind.as_str())),
            id: f.id,
            title: f
                .title
                .unwrap_or_else(|| t.n("follow-untitled", "id", f.id)),
            link: f.link,
        })
        .collect();
    crate::accounts::render(SettingsPage {
        c: chrome(state, ctx, "account").await?,
        title: t.get("notification-settings-title"),
        csrf: user.csrf_token.clone(),
        notice,
        kinds,
        auto_follow: prefs.auto_follow,
        digest_time: super::digest_time(state).await?.format(),
        follows,
    })
}

/// The settings form: one choice per kind (each required), and the auto-follow box.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    progress: Option<String>,
    #[serde(default)]
    reply: Option<String>,
    #[serde(default)]
    official: Option<String>,
    #[serde(default)]
    idea_status: Option<String>,
    #[serde(default)]
    moderation: Option<String>,
    #[serde(default)]
    auto_follow: Option<String>,
}

impl SettingsForm {
    fn choice(&self, kind: Kind) -> Option<&str> {
        match kind {
            Kind::Progress => self.progress.as_deref(),
            Kind::Reply => self.reply.as_deref(),
            Kind::Official => self.official.as_deref(),
            Kind::IdeaStatus => self.idea_status.as_deref(),
            Kind::Moderation => self.moderation.as_deref(),
        }
    }
}

/// `POST /konto/benachrichtigungen`: saves the settings; a missing or unknown choice is refused
/// (422, naming the kind) and nothing is saved.
pub async fn save_settings(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> PageResult {
    let mut prefs = store::notifications::Prefs {
        auto_follow: form.auto_follow.is_some(),
        ..Default::default()
    };
    for kind in Kind::ALL {
        let Some(d) = form.choice(kind).and_then(Delivery::parse) else {
            return Err(AppError::InvalidForm {
                field: kind.as_str().into(),
                reason: ctx.t.s(
                    "notification-settings-choose",
                    "kind",
                    &ctx.t.get(&format!("notification-kind-{}", kind.as_str())),
                ),
            });
        };
        prefs.delivery.insert(kind, d);
    }
    state
        .db
        .save_notification_prefs(user.user.id, &prefs)
        .await?;
    Ok(Redirect::to("/konto/benachrichtigungen?hinweis=gespeichert").into_response())
}

#[derive(Deserialize)]
pub struct UnfollowForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: Option<i64>,
}

/// `POST /konto/benachrichtigungen/entfolgen`: stops following something from the list.
pub async fn unfollow(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<UnfollowForm>,
) -> PageResult {
    let (Some(kind), Some(id)) = (FollowKind::parse(&form.kind), form.id) else {
        return Err(AppError::InvalidForm {
            field: "kind".into(),
            reason: ctx.t.get("follow-choose"),
        });
    };
    state.db.set_follow(user.user.id, kind, id, false).await?;
    Ok(Redirect::to("/konto/benachrichtigungen?hinweis=entfolgt").into_response())
}
