//! The providers' side: `/anbieten` (the providers a person manages, and the form with which
//! anybody signed in signs a provider up — an admin approves it before anything of it is
//! public), a provider's offers (`/anbieten/{provider}`) and its details
//! (`/anbieten/{provider}/bearbeiten`). Who may act is checked here for every action
//! ([`own_provider`]): the people of that provider holding the `provider` role, and admins.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, Query, RequireRole, SignedIn, role};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::accounts::Role;
use domain::offers::{OfferState, ProviderInput, ProviderState};
use serde::Deserialize;
use store::accounts::SessionUser;
use store::offers::providers::Provider;

/// The most providers one person may have waiting for approval at once.
const PENDING_MAX: usize = 3;
/// Sign-ups per person and day (a bucket in the database, so on every instance).
const SIGN_UPS_PER_DAY: i64 = 5;
/// Offers per page of a provider's list.
const PER_PAGE: i64 = 50;

/// Provider `id` for a person who may manage it: admins, and its people holding the
/// `provider` role; 404 when there is none, 403 for anybody else.
pub(crate) async fn own_provider(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<Provider, AppError> {
    let p = state
        .db
        .provider_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let admin = user.roles.contains(&Role::Admin);
    if admin
        || (user.roles.contains(&Role::Provider)
            && state.db.manages_provider(user.user.id, id).await?)
    {
        Ok(p)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The provider form's fields as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ProviderForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub district: String,
}

impl ProviderForm {
    fn of(p: &ProviderInput) -> ProviderForm {
        ProviderForm {
            name: p.name.clone(),
            description: p.description.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            website: p.website.clone(),
            district: p.district_id.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The provider, or every problem (field, message).
    fn input(
        &self,
        t: &Tr,
        districts: &[store::offers::places::District],
    ) -> Result<ProviderInput, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let district_id = match self.district.trim() {
            "" => None,
            v => match v
                .parse::<i64>()
                .ok()
                .filter(|id| districts.iter().any(|d| d.id == *id))
            {
                Some(id) => Some(id),
                None => {
                    errors.push(("district", t.get("offers-filter-bad")));
                    None
                }
            },
        };
        let input = ProviderInput {
            name: self.name.trim().to_string(),
            description: self.description.trim().to_string(),
            email: domain::accounts::normalise_email(&self.email),
            phone: self.phone.trim().to_string(),
            website: self.website.trim().to_string(),
            district_id,
        };
        if let Err(problems) = input.check() {
            errors.extend(problems.into_iter().map(|p| (p.field, t.get(p.key))));
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// A provider as the overview lists it.
struct Row {
    name: String,
    state: String,
    pending: bool,
    declined: Option<String>,
    href: String,
    public_href: Option<String>,
    offers: i64,
}

#[derive(Template)]
#[template(path = "offers/office.html")]
struct OfficePage {
    c: Chrome,
    title: String,
    csrf: String,
    notice: Option<String>,
    rows: Vec<Row>,
    f: ProviderForm,
    errors: Vec<(&'static str, String)>,
    districts: Vec<(String, String, bool)>,
}

impl OfficePage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    hinweis: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

fn notice(t: &Tr, q: &NoticeQuery) -> Option<String> {
    match q.hinweis.as_deref() {
        Some("eingereicht") => Some(t.get("offers-office-signed-up")),
        Some("gespeichert") => Some(t.get("offers-office-saved")),
        Some("angelegt") => Some(t.get("offers-office-created")),
        _ => None,
    }
}

pub(crate) fn district_options(
    districts: &[store::offers::places::District],
    chosen: &str,
) -> Vec<(String, String, bool)> {
    districts
        .iter()
        .map(|d| (d.id.to_string(), d.name.clone(), d.id.to_string() == chosen))
        .collect()
}

async fn office_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    f: ProviderForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let providers = state.db.providers_of(user.user.id).await?;
    let districts = state.db.districts().await?;
    let rows = providers
        .iter()
        .map(|p| Row {
            name: p.input.name.clone(),
            state: t.get(&format!("offers-office-state-{}", p.state.as_str())),
            pending: p.state == ProviderState::Pending,
            declined: (p.state == ProviderState::Declined).then(|| p.decline_reason.clone()),
            href: format!("/anbieten/{}", p.id),
            public_href: (p.state == ProviderState::Approved)
                .then(|| format!("/anbieter/{}", p.slug)),
            offers: p.offers,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = crate::accounts::render(OfficePage {
        c: crate::layout::chrome(state, ctx, "provide").await?,
        title: t.get("offers-office-title"),
        csrf: user.csrf_token.clone(),
        notice,
        rows,
        districts: district_options(&districts, &f.district),
        f,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /anbieten`
pub async fn office(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let n = notice(&ctx.t, &q);
    office_page(&state, &ctx, &user, ProviderForm::default(), Vec::new(), n).await
}

/// `POST /anbieten/registrieren`: signs a provider up for the person, who manages it once an
/// admin approved it. At most [`PENDING_MAX`] waiting at once and [`SIGN_UPS_PER_DAY`] a day.
pub async fn sign_up(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(f): CsrfForm<ProviderForm>,
) -> PageResult {
    let t = ctx.t;
    let districts = state.db.districts().await?;
    let input = match f.input(&t, &districts) {
        Ok(i) => i,
        Err(errors) => return office_page(&state, &ctx, &user, f, errors, None).await,
    };
    let waiting = state
        .db
        .providers_of(user.user.id)
        .await?
        .iter()
        .filter(|p| p.state == ProviderState::Pending)
        .count();
    if waiting >= PENDING_MAX {
        return office_page(
            &state,
            &ctx,
            &user,
            f,
            vec![("name", t.get("offers-office-too-many-pending"))],
            None,
        )
        .await;
    }
    let now = time::OffsetDateTime::now_utc();
    let bucket = format!("provider-sign-up:{}", user.user.id);
    let (hits, _) = state
        .db
        .hit_rate_limit(&bucket, now, time::Duration::days(1))
        .await?;
    if hits > SIGN_UPS_PER_DAY {
        return office_page(
            &state,
            &ctx,
            &user,
            f,
            vec![("name", t.get("offers-office-too-many-sign-ups"))],
            None,
        )
        .await;
    }
    let html = domain::comments::comment_html(&input.description);
    state
        .db
        .create_provider(Some(user.user.id), &input, &html, false, false)
        .await?;
    Ok(Redirect::to("/anbieten?hinweis=eingereicht").into_response())
}

#[derive(Template)]
#[template(path = "offers/office_provider.html")]
struct ProviderOffice {
    c: Chrome,
    title: String,
    notice: Option<String>,
    edit_href: String,
    new_href: String,
    requests_href: String,
    roles_href: String,
    public_href: Option<String>,
    offers: Vec<(String, String, String, bool)>,
    summary: String,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /anbieten/{provider}`: the provider's offers, drafts and archived ones included.
pub async fn provider_office(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let t = ctx.t;
    let p = own_provider(&state, &user, id).await?;
    let page = match q.page.as_deref().filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| AppError::bad("page", t.get("programme-bad-page")))?,
    };
    let (offers, total) = state.db.provider_offers(id, true, page, PER_PAGE).await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    crate::accounts::render(ProviderOffice {
        c: crate::layout::chrome(&state, &ctx, "provide").await?,
        title: p.input.name.clone(),
        notice: notice(&t, &q),
        edit_href: format!("/anbieten/{id}/bearbeiten"),
        new_href: format!("/anbieten/{id}/angebote/neu"),
        requests_href: format!("/anbieten/{id}/anfragen"),
        roles_href: format!("/anbieten/{id}/ehrenamt"),
        public_href: (p.state == ProviderState::Approved).then(|| format!("/anbieter/{}", p.slug)),
        offers: offers
            .iter()
            .map(|o| {
                (
                    format!("/anbieten/{id}/angebote/{}", o.id),
                    o.input.title.clone(),
                    t.get(&format!("offers-office-offer-{}", o.input.state.as_str())),
                    o.input.state == OfferState::Published,
                )
            })
            .collect(),
        summary: t.n("offers-count", "count", total),
        previous: (page > 1).then(|| format!("/anbieten/{id}?page={}", page - 1)),
        next: (page < pages).then(|| format!("/anbieten/{id}?page={}", page + 1)),
    })
}

#[derive(Template)]
#[template(path = "offers/office_provider_form.html")]
struct ProviderFormPage {
    c: Chrome,
    title: String,
    csrf: String,
    action: String,
    back: String,
    notice: Option<String>,
    f: ProviderForm,
    errors: Vec<(&'static str, String)>,
    districts: Vec<(String, String, bool)>,
    logo: super::logo::LogoSection,
}

impl ProviderFormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The provider's details page: its form (`f`, or the stored details) and its logo's forms
/// (`logo_alt`: the text typed into a refused logo form). With `errors`, status 422.
#[allow(clippy::too_many_arguments)]
pub(super) async fn provider_form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    p: &Provider,
    f: Option<ProviderForm>,
    errors: Vec<(&'static str, String)>,
    logo_alt: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let districts = state.db.districts().await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let f = f.unwrap_or_else(|| ProviderForm::of(&p.input));
    let mut res = crate::accounts::render(ProviderFormPage {
        c: crate::layout::chrome(state, ctx, "provide").await?,
        title: ctx.t.get("offers-office-provider-edit"),
        csrf: user.csrf_token.clone(),
        action: format!("/anbieten/{}/bearbeiten", p.id),
        back: format!("/anbieten/{}", p.id),
        notice,
        districts: district_options(&districts, &f.district),
        f,
        errors,
        logo: super::logo::section(p, logo_alt),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /anbieten/{provider}/bearbeiten`
pub async fn edit_provider_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let p = own_provider(&state, &user, id).await?;
    let n = match q.hinweis.as_deref() {
        Some("logo") => Some(ctx.t.get("provider-logo-saved")),
        Some("logo-entfernt") => Some(ctx.t.get("provider-logo-removed")),
        _ => None,
    };
    provider_form_page(&state, &ctx, &user, &p, None, Vec::new(), None, n).await
}

/// `POST /anbieten/{provider}/bearbeiten`
pub async fn update_provider(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ProviderForm>,
) -> PageResult {
    let p = own_provider(&state, &user, id).await?;
    let districts = state.db.districts().await?;
    match f.input(&ctx.t, &districts) {
        Err(errors) => {
            provider_form_page(&state, &ctx, &user, &p, Some(f), errors, None, None).await
        }
        Ok(input) => {
            let html = domain::comments::comment_html(&input.description);
            if !state
                .db
                .update_provider(user.user.id, id, &input, &html)
                .await?
            {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/anbieten/{id}?hinweis=gespeichert")).into_response())
        }
    }
}
