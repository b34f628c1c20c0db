//! Site settings and texts: imprint, contact, privacy notice, and the branding — logo and
//! accent colour (admins only).

use super::{PageResult, chrome, render};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, NoFields, Query, RequireRole, role};
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::{IntoResponse, Redirect};
use domain::branding::{MAX_LOGO, MIN_CONTRAST};
use domain::colour::{contrast_on_white, parse_hex};
use serde::Deserialize;
use store::branding::ACCENT_KEY;

/// The body limit of the logo upload: the largest logo plus room for the form around it.
pub const LOGO_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    #[serde(default)]
    pub(crate) hinweis: Option<String>,
}

pub async fn settings_form(
    State(state): State<AppState>,
    _: RequireRole<role::Admin>,
    ctx: Ctx,
    Query(q): Query<SettingsQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("logo") => Some(ctx.t.get("branding-logo-saved")),
        Some("logo-entfernt") => Some(ctx.t.get("branding-logo-removed")),
        Some("farbe") => Some(ctx.t.get("branding-accent-saved")),
        Some("beteiligung") => Some(ctx.t.get("settings-participation-saved")),
        _ => None,
    };
    settings_page(&state, &ctx, notice, None, None).await
}

async fn settings_page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<String>,
    accent: Option<String>,
) -> PageResult {
    let me = ctx.require_user()?;
    let mut values = Vec::new();
    for key in store::settings::KEYS {
        values.push((
            key,
            ctx.t.get(&format!("settings-{key}")),
            state.db.setting(key).await?.unwrap_or_default(),
        ));
    }
    let branding = state.db.branding().await?;
    render(crate::admin::views::SettingsPage {
        c: chrome(state, ctx).await?,
        title: ctx.t.get("settings-title"),
        csrf: me.csrf_token.clone(),
        values,
        notice,
        error,
        logo: branding.logo_etag.map(|e| format!("/logo?v={e}")),
        accent: accent.unwrap_or_else(|| branding.accent.unwrap_or_default()),
        premoderation: crate::comments::premoderation(state).await?,
        threshold: crate::comments::report_threshold(state).await?,
        first_post_review: crate::comments::first_post_review(state).await?,
        words: state
            .db
            .setting(crate::comments::WORDS_KEY)
            .await?
            .unwrap_or_default(),
        digest_time: crate::notifications::digest_time(state).await?.format(),
    })
}

/// A refused branding change: the settings page with the reason, status 422, nothing stored.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    message: String,
    accent: Option<String>,
) -> PageResult {
    let mut res = settings_page(state, ctx, None, Some(message), accent).await?;
    *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// The texts of the settings page, one field per `store::settings::KEYS`; a field left out of
/// the form keeps its stored text.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    imprint: Option<String>,
    privacy: Option<String>,
    contact: Option<String>,
}

impl SettingsForm {
    fn get(&self, key: &str) -> Option<&String> {
        match key {
            "imprint" => self.imprint.as_ref(),
            "privacy" => self.privacy.as_ref(),
            "contact" => self.contact.as_ref(),
            _ => None,
        }
    }
}

pub async fn save_settings(
    State(state): State<AppState>,
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> PageResult {
    if store::settings::KEYS
        .iter()
        .any(|k| form.get(k).is_some_and(|v| v.chars().count() > 50_000))
    {
        return Err(AppError::bad("settings", "settings-too-long"));
    }
    for key in store::settings::KEYS {
        if let Some(v) = form.get(key) {
            state
                .db
                .set_setting(me.user.id, key, &v.replace("\r\n", "\n"))
                .await?;
        }
    }
    settings_page(&state, &ctx, Some(ctx.t.get("settings-saved")), None, None).await
}

/// Uploads the logo (multipart: `csrf`, `logo`). The file's type comes from its first bytes.
pub async fn upload_logo(
    State(state): State<AppState>,
    RequireRole { ctx, .. }: RequireRole<role::Admin>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let up = crate::upload::read(form, "logo", "", MAX_LOGO, || {
        AppError::bad("logo", "branding-logo-broken")
    })
    .await?;
    let me = ctx.check_csrf(&up.csrf)?;
    let bytes = up.file;
    let kind = match domain::branding::check_logo(&bytes) {
        Ok(k) => k,
        Err(key) => return refused(&state, &ctx, ctx.t.get(key), None).await,
    };
    let etag = crate::ops::branding::etag_of(&bytes);
    state
        .db
        .set_logo(me.user.id, kind.mime(), &bytes, &etag)
        .await?;
    Ok(Redirect::to("/admin/einstellungen?hinweis=logo").into_response())
}

pub async fn remove_logo(
    State(state): State<AppState>,
    RequireRole { user: me, .. }: RequireRole<role::Admin>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    state.db.remove_logo(me.user.id).await?;
    Ok(Redirect::to("/admin/einstellungen?hinweis=logo-entfernt").into_response())
}

#[derive(Deserialize)]
pub struct AccentForm {
    #[serde(default)]
    pub(crate) accent: String,
}

/// `1,23` in German, `1.23` in English; cut, never rounded up to a passing value.
fn ratio(t: &crate::i18n::Tr, r: f64) -> String {
    let s = format!("{:.2}", (r * 100.0).floor() / 100.0);
    match t.lang {
        crate::i18n::Lang::De => s.replace('.', ","),
        crate::i18n::Lang::En => s,
    }
}

/// Saves the accent colour (`#rrggbb`, or empty for the shipped one). A colour whose contrast
/// against white is below WCAG AA (4.5:1) is refused with the measured ratio.
pub async fn save_accent(
    State(state): State<AppState>,
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    CsrfForm(form): CsrfForm<AccentForm>,
) -> PageResult {
    let typed: String = form.accent.trim().chars().take(20).collect();
    let value = if typed.is_empty() {
        String::new()
    } else {
        let Some(rgb) = parse_hex(typed.trim()) else {
            let message = ctx.t.get("branding-accent-invalid");
            return refused(&state, &ctx, message, Some(typed)).await;
        };
        let r = contrast_on_white(rgb);
        if r < MIN_CONTRAST {
            let message = ctx.t.args(
                "branding-accent-contrast",
                &[("ratio", crate::i18n::Arg::Str(ratio(&ctx.t, r)))],
            );
            return refused(&state, &ctx, message, Some(typed)).await;
        }
        typed.to_lowercase()
    };
    state.db.set_setting(me.user.id, ACCENT_KEY, &value).await?;
    Ok(Redirect::to("/admin/einstellungen?hinweis=farbe").into_response())
}

#[derive(Deserialize)]
pub struct ParticipationForm {
    #[serde(default)]
    premoderation: Option<String>,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    first_post_review: Option<String>,
    #[serde(default)]
    words: String,
    /// Left out of the form: the stored time stays.
    #[serde(default)]
    digest_time: Option<String>,
}

/// The longest word list, in characters.
const MAX_WORDS: usize = 10_000;

/// Saves the participation settings: pre-moderation of guest comments, the report threshold
/// (1 to 100), the review of first posts, the word list and the time of the daily digest of
/// notifications (`hh:mm`, German time).
pub async fn save_participation(
    State(state): State<AppState>,
    RequireRole { ctx, user: me, .. }: RequireRole<role::Admin>,
    CsrfForm(form): CsrfForm<ParticipationForm>,
) -> PageResult {
    let Some(threshold) = form
        .threshold
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=100).contains(n))
    else {
        return refused(&state, &ctx, ctx.t.get("settings-threshold-invalid"), None).await;
    };
    if form.words.chars().count() > MAX_WORDS {
        return refused(&state, &ctx, ctx.t.get("settings-words-too-long"), None).await;
    }
    let digest_time = match form.digest_time.as_deref() {
        None => None,
        Some(v) => match domain::notifications::DigestTime::parse(v) {
            Some(t) => Some(t),
            None => {
                let message = ctx.t.get("settings-digest-time-invalid");
                return refused(&state, &ctx, message, None).await;
            }
        },
    };
    if let Some(t) = digest_time {
        state
            .db
            .set_setting(
                me.user.id,
                crate::notifications::DIGEST_TIME_KEY,
                &t.format(),
            )
            .await?;
    }
    let first = if form.first_post_review.is_some() {
        "1"
    } else {
        ""
    };
    state
        .db
        .set_setting(me.user.id, crate::comments::FIRST_POST_KEY, first)
        .await?;
    state
        .db
        .set_setting(
            me.user.id,
            crate::comments::WORDS_KEY,
            &domain::comments::word_list(&form.words).join("\n"),
        )
        .await?;
    let on = if form.premoderation.is_some() {
        "1"
    } else {
        ""
    };
    state
        .db
        .set_setting(me.user.id, crate::comments::PREMODERATION_KEY, on)
        .await?;
    state
        .db
        .set_setting(
            me.user.id,
            crate::comments::THRESHOLD_KEY,
            &threshold.to_string(),
        )
        .await?;
    Ok(Redirect::to("/admin/einstellungen?hinweis=beteiligung").into_response())
}
