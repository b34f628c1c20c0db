//! Offers, the admins' back office for providers (`/admin/anbieter`): every provider, those
//! waiting for approval first, to approve or to decline with a reason, and the people who
//! manage one, added by the e-mail address of their account. The categories, districts and
//! postcodes are in `admin_places`.

use crate::AppState;
use crate::admin::{chrome, render};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, Query, RequireRole, role};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult, Pagination};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::ProviderState;
use serde::Deserialize;
use store::offers::providers::Provider;

/// Providers per page of the back office.
pub(crate) const PROVIDERS_PER_PAGE: i64 = 50;

/// The longest reason for a decline, in characters.
pub(crate) const REASON_MAX: usize = 500;

/// The highest page number asked for.
const PAGE_MAX: i64 = 1_000_000;

/// One provider as the back office lists it, with what its forms show.
struct ProviderRow {
    id: i64,
    name: String,
    /// Its public page, once approved.
    href: Option<String>,
    state: String,
    approved: bool,
    declined: bool,
    decline_reason: String,
    district: Option<String>,
    created: String,
    offers: i64,
    /// Its logo (from the back office's address) and the page with its details and logo.
    logo: Option<super::logo::Shown>,
    edit_href: String,
    /// The decline form's text and problem after a refused decline.
    reason: String,
    reason_error: Option<String>,
    /// The person form's address and problem after a refused addition.
    email: String,
    email_error: Option<String>,
}

#[derive(Template)]
#[template(path = "offers/admin_providers.html")]
struct ProvidersPage {
    c: Chrome,
    title: String,
    csrf: String,
    rows: Vec<ProviderRow>,
    total: i64,
    pending: i64,
    /// The page of the list, sent back with every form.
    page: i64,
    pagination: Option<Pagination>,
    notice: Option<String>,
    /// A refused form's problem for the summary: the field's id and the message.
    errors: Vec<(String, String)>,
}

/// A form of one provider that was refused: which field, what was typed, why.
struct Failed {
    id: i64,
    /// `reason` or `email`.
    field: &'static str,
    typed: String,
    message: String,
}

fn state_label(t: &Tr, s: ProviderState) -> String {
    t.get(&format!("offers-admin-state-{}", s.as_str()))
}

fn row(t: &Tr, p: Provider) -> ProviderRow {
    let logo = super::logo::own(&p, domain::offers::logo::OFFER_BOX);
    ProviderRow {
        logo,
        edit_href: format!("/anbieten/{}/bearbeiten", p.id),
        id: p.id,
        href: (p.state == ProviderState::Approved).then(|| format!("/anbieter/{}", p.slug)),
        name: p.input.name,
        state: state_label(t, p.state),
        approved: p.state == ProviderState::Approved,
        declined: p.state == ProviderState::Declined,
        decline_reason: p.decline_reason,
        district: p.district,
        created: domain::dates::german(crate::programme::local(p.created_at).date()),
        offers: p.offers,
        reason: String::new(),
        reason_error: None,
        email: String::new(),
        email_error: None,
    }
}

/// The page of the list `page`; after a refused form that provider's form shows what was typed
/// and the problem (the provider is put first when it is not on the page), with status 422.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    page: i64,
    notice: Option<String>,
    failed: Option<Failed>,
) -> PageResult {
    let t = ctx.t;
    let csrf = crate::admin::csrf_of(ctx)?;
    let (providers, total) = state
        .db
        .providers_in(None, page, PROVIDERS_PER_PAGE)
        .await?;
    let (_, pending) = state
        .db
        .providers_in(Some(ProviderState::Pending), 1, 1)
        .await?;
    let mut rows: Vec<ProviderRow> = providers.into_iter().map(|p| row(&t, p)).collect();
    let mut errors = Vec::new();
    if let Some(f) = failed {
        if !rows.iter().any(|r| r.id == f.id)
            && let Some(p) = state.db.provider_by_id(f.id).await?
        {
            rows.insert(0, row(&t, p));
        }
        if let Some(r) = rows.iter_mut().find(|r| r.id == f.id) {
            errors.push((format!("{}-{}", f.field, f.id), f.message.clone()));
            if f.field == "reason" {
                r.reason = f.typed;
                r.reason_error = Some(f.message);
            } else {
                r.email = f.typed;
                r.email_error = Some(f.message);
            }
        }
    }
    let refused = !errors.is_empty();
    let mut res = render(ProvidersPage {
        c: chrome(state, ctx).await?,
        title: t.get("offers-admin-providers-title"),
        csrf,
        rows,
        total,
        pending,
        page,
        pagination: Pagination::for_query("/admin/anbieter", &[], page, PROVIDERS_PER_PAGE, total),
        notice,
        errors,
    })?;
    if refused {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProvidersQuery {
    page: Option<String>,
    hinweis: Option<String>,
}

/// A page number of the list (`1` when none is given).
fn page_number(v: Option<&str>) -> Option<i64> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Some(1),
        Some(v) => v.parse().ok().filter(|n| (1..=PAGE_MAX).contains(n)),
    }
}

/// `GET /admin/anbieter`: the providers, those waiting for approval first, 50 a page.
pub async fn admin_providers(
    State(state): State<AppState>,
    RequireRole { ctx, .. }: RequireRole<role::Admin>,
    Query(q): Query<ProvidersQuery>,
) -> PageResult {
    let n = page_number(q.page.as_deref())
        .ok_or_else(|| AppError::bad("page", "error-reason-invalid"))?;
    let notice = match q.hinweis.as_deref() {
        Some("freigegeben") => Some(ctx.t.get("offers-admin-approved")),
        Some("abgelehnt") => Some(ctx.t.get("offers-admin-declined")),
        Some("person") => Some(ctx.t.get("offers-admin-member-added")),
        _ => None,
    };
    page(&state, &ctx, n, notice, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    /// `approve` or `decline`.
    decision: String,
    /// Why it is declined (needed for a decline).
    reason: String,
    /// The page of the list the form was on.
    page: String,
}

/// `POST /admin/anbieter/{id}/entscheiden`: approves the provider (its people get the role
/// `provider` and its published offers become public) or declines it with a reason of 1 to 500
/// characters.
pub async fn decide_provider(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> PageResult {
    if state.db.provider_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let approve = match f.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => {
            return Err(AppError::InvalidForm {
                field: "decision".into(),
                reason: "error-reason-invalid".into(),
            });
        }
    };
    let reason = f.reason.trim();
    if !approve {
        let problem = match reason.chars().count() {
            0 => Some("offers-admin-reason-missing"),
            n if n > REASON_MAX => Some("offers-admin-reason-too-long"),
            _ => None,
        };
        if let Some(key) = problem {
            let failed = Failed {
                id,
                field: "reason",
                typed: f.reason.clone(),
                message: ctx.t.get(key),
            };
            let n = page_number(Some(&f.page)).unwrap_or(1);
            return page(&state, &ctx, n, None, Some(failed)).await;
        }
    }
    if !state
        .db
        .decide_provider(user.user.id, id, approve, reason)
        .await?
    {
        return Err(AppError::NotFound);
    }
    tell_people(&state, id, approve, reason).await?;
    let notice = if approve { "freigegeben" } else { "abgelehnt" };
    Ok(Redirect::to(&format!("/admin/anbieter?hinweis={notice}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    /// The e-mail address of the person's account.
    email: String,
    /// The page of the list the form was on.
    page: String,
}

/// `POST /admin/anbieter/{id}/personen`: one more person manages the provider; they are found
/// by the e-mail address of their account and, when the provider is approved, get the role
/// `provider`.
pub async fn add_provider_member(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<MemberForm>,
) -> PageResult {
    if state.db.provider_by_id(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let email = domain::accounts::normalise_email(&f.email);
    let person = if email.is_empty() {
        None
    } else {
        state.db.user_by_email(&email).await?
    };
    let Some(person) = person else {
        let key = if email.is_empty() {
            "offers-admin-email-missing"
        } else {
            "offers-admin-email-unknown"
        };
        let failed = Failed {
            id,
            field: "email",
            typed: f.email.trim().to_string(),
            message: ctx.t.get(key),
        };
        let n = page_number(Some(&f.page)).unwrap_or(1);
        return page(&state, &ctx, n, None, Some(failed)).await;
    };
    if !state
        .db
        .add_provider_member(user.user.id, id, person.id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    // A new role shows in the header of cached pages at once on this instance.
    state.cache.sessions.forget_person(person.id);
    Ok(Redirect::to("/admin/anbieter?hinweis=person").into_response())
}

/// Tells the people of provider `id` by mail that the city approved it (and where they enter
/// offers now) or declined it (with the reason); their new role shows at once in the header of
/// this instance's cached pages.
async fn tell_people(
    state: &AppState,
    id: i64,
    approved: bool,
    reason: &str,
) -> Result<(), AppError> {
    let Some(provider) = state.db.provider_by_id(id).await? else {
        return Ok(());
    };
    let site = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    // The people's language is not stored: the mail is German, as the site is first.
    let t = crate::i18n::Tr::new(crate::i18n::Lang::De);
    let name = provider.input.name.as_str();
    let (subject, text, link) = if approved {
        (
            t.args(
                "offers-admin-mail-approved-subject",
                &[
                    ("provider", crate::i18n::Arg::Str(name.into())),
                    ("site", crate::i18n::Arg::Str(site.clone())),
                ],
            ),
            t.s("offers-admin-mail-approved-text", "provider", name),
            state.url(&format!("/anbieten/{id}")),
        )
    } else {
        (
            t.args(
                "offers-admin-mail-declined-subject",
                &[
                    ("provider", crate::i18n::Arg::Str(name.into())),
                    ("site", crate::i18n::Arg::Str(site.clone())),
                ],
            ),
            t.args(
                "offers-admin-mail-declined-text",
                &[
                    ("provider", crate::i18n::Arg::Str(name.into())),
                    ("reason", crate::i18n::Arg::Str(reason.into())),
                ],
            ),
            state.url("/anbieten"),
        )
    };
    for (person, email, display_name) in state.db.provider_people(id).await? {
        state.cache.sessions.forget_person(person);
        let m = crate::mails::compose(
            &t,
            crate::mails::Letter {
                site: &site,
                to: &email,
                name: &display_name,
                subject: &subject,
                paragraphs: std::slice::from_ref(&text),
                link: Some((&link, false)),
                closing: &t.get("offers-admin-mail-closing"),
            },
        );
        state.db.enqueue_mail(&m).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        assert_eq!(page_number(None), Some(1));
        assert_eq!(page_number(Some("")), Some(1));
        assert_eq!(page_number(Some("3")), Some(3));
        assert_eq!(page_number(Some("0")), None);
        assert_eq!(page_number(Some("zwei")), None);
    }
}
