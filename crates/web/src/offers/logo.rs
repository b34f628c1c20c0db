//! A provider's logo with its alternative text: the upload, the new text and the removal on the
//! provider's details page (`/anbieten/{provider}/bearbeiten`, for its people and admins; who
//! may act is [`own_provider`]'s one check), the back office's own address of the file (a
//! waiting provider's logo is not public), the public address of an approved provider's logo,
//! and what pages show of it.

use super::office::{own_provider, provider_form_page};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, NoFields, Path, RequireRole, role};
use crate::layout::PageResult;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use domain::offers::logo;
use store::offers::logos::{LogoHead, LogoSaved, NewImage, ProviderLogo};
use store::offers::providers::Provider;

/// A logo as a page shows it: address, width and height in CSS pixels, alternative text.
pub(crate) struct Shown {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The public address of provider `slug`'s logo in version `etag` (cached for a year).
pub(crate) fn public_href(slug: &str, etag: &str) -> String {
    format!("/anbieter/{slug}/logo?v={etag}")
}

/// The logo of a provider at `href`, fitted into `area` (width, height) keeping its shape.
fn shown(href: String, head: &LogoHead, area: (u32, u32)) -> Shown {
    let side = |v: i64| u32::try_from(v).unwrap_or(1);
    let (width, height) = domain::image::fit(side(head.width), side(head.height), area.0, area.1);
    Shown {
        src: href,
        width,
        height,
        alt: head.alt.clone(),
    }
}

/// The logo of an approved provider as its public pages show it, if it has one.
pub(crate) fn public(p: &Provider, area: (u32, u32)) -> Option<Shown> {
    p.logo
        .as_ref()
        .map(|h| shown(public_href(&p.slug, &h.etag), h, area))
}

/// The logo of a provider from the back office's address (whatever the provider's state), for
/// its people and admins.
pub(crate) fn own(p: &Provider, area: (u32, u32)) -> Option<Shown> {
    p.logo
        .as_ref()
        .map(|h| shown(format!("/anbieten/{}/logo?v={}", p.id, h.etag), h, area))
}

/// The logo part of the provider's details page: the forms' addresses, the current logo (from
/// the back office's address) and the text in the field.
pub(crate) struct LogoSection {
    pub action: String,
    pub remove_action: String,
    pub current: Option<Shown>,
    pub alt: String,
}

pub(crate) fn section(p: &Provider, typed_alt: Option<String>) -> LogoSection {
    LogoSection {
        action: format!("/anbieten/{}/logo", p.id),
        remove_action: format!("/anbieten/{}/logo/entfernen", p.id),
        current: own(p, logo::PAGE_BOX),
        alt: typed_alt
            .unwrap_or_else(|| p.logo.as_ref().map(|h| h.alt.clone()).unwrap_or_default()),
    }
}

/// `POST /anbieten/{provider}/logo` (multipart: `csrf`, `logo`, `logo_alt`): a new logo with
/// its alternative text, or (without a file) a new text for the current logo. The file's type
/// and size come from its first bytes (PNG, JPEG or WebP; never SVG); the text is required.
/// A refusal shows the details page again with the problem at its field (422), nothing changed.
pub async fn upload_provider_logo(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let t = ctx.t;
    let up = crate::upload::read(form, "logo", "logo_alt", logo::MAX_BYTES, || {
        AppError::bad("logo", t.get("provider-logo-broken"))
    })
    .await?;
    ctx.check_csrf(&up.csrf)?;
    let p = own_provider(&state, &user, id).await?;
    let refuse = |field: &'static str, key: &str| vec![(field, t.get(key))];
    // Both fields are checked, so every problem is named at once.
    let checked = if up.file.is_empty() && p.logo.is_some() {
        Ok(None)
    } else {
        logo::check(&up.file).map(Some)
    };
    let (checked, alt) = match (checked, logo::alt(&up.text)) {
        (Ok(c), Ok(a)) => (c, a),
        (c, a) => {
            let mut errors = Vec::new();
            if let Err(key) = c {
                errors.extend(refuse("logo", key));
            }
            if let Err(key) = a {
                errors.extend(refuse("logo_alt", key));
            }
            return provider_form_page(&state, &ctx, &user, &p, None, errors, Some(up.text), None)
                .await;
        }
    };
    let etag = crate::ops::branding::etag_of(&up.file);
    let image = checked.map(|c| NewImage {
        mime: c.kind.mime(),
        body: &up.file,
        width: c.width,
        height: c.height,
        etag: &etag,
    });
    match state
        .db
        .set_provider_logo(Some(user.user.id), id, image, &alt)
        .await?
    {
        LogoSaved::Saved => {
            Ok(Redirect::to(&format!("/anbieten/{id}/bearbeiten?hinweis=logo")).into_response())
        }
        LogoSaved::NoProvider => Err(AppError::NotFound),
        LogoSaved::Refused(key) => {
            let field = if key.starts_with("provider-logo-alt") {
                "logo_alt"
            } else {
                "logo"
            };
            let errors = refuse(field, key);
            provider_form_page(&state, &ctx, &user, &p, None, errors, Some(alt), None).await
        }
    }
}

/// `POST /anbieten/{provider}/logo/entfernen`
pub async fn remove_provider_logo(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    own_provider(&state, &user, id).await?;
    state.db.remove_provider_logo(user.user.id, id).await?;
    Ok(Redirect::to(&format!("/anbieten/{id}/bearbeiten?hinweis=logo-entfernt")).into_response())
}

fn serve(headers: &HeaderMap, l: ProviderLogo, cache: &'static str) -> Result<Response, AppError> {
    let mime = crate::ops::branding::image_mime(&l.mime, false).ok_or(AppError::NotFound)?;
    Ok(crate::ops::branding::serve_image(
        headers,
        mime,
        &l.etag,
        l.body,
        cache,
        "inline; filename=\"logo\"",
    ))
}

/// `GET /anbieten/{provider}/logo`: the logo of a provider one manages, whatever its state (the
/// details page shows it before the provider is approved).
pub async fn own_provider_logo(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    own_provider(&state, &user, id).await?;
    let l = state
        .db
        .provider_logo(id)
        .await?
        .ok_or(AppError::NotFound)?;
    serve(&headers, l, "private, max-age=31536000, immutable")
}

/// `GET /anbieter/{slug}/logo`: the logo of an approved provider (404 for any other, and when
/// it has none). Pages link it with its version (`?v=<etag>`), so browsers keep it for a year
/// and a new logo has a new address; the page cache keeps it too, tagged with the provider.
/// Served with the site logo's strict policy.
pub async fn provider_logo(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (id, l) = state
        .db
        .public_provider_logo(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let res = serve(&headers, l, "public, max-age=31536000, immutable")?;
    Ok(crate::cache::tagged(res, [domain::tags::provider(id)]))
}
