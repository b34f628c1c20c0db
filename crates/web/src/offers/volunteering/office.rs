//! The provider's side of volunteering: `/anbieten/{provider}/ehrenamt` lists its roles,
//! `…/ehrenamt/neu` and `…/ehrenamt/{id}` write and change one, and the role's page in the
//! office lists its applications with the decision (accept, decline with a reason). Only the
//! provider's people (and admins) get here (`own_provider`); a role of another provider under
//! one's own address is 404.

use super::{Mails, state_name};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, Path, Query, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use crate::offers::office::{district_options, own_provider};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::requests::RequestState;
use domain::offers::volunteering::{RoleInput, RoleState};
use serde::Deserialize;
use store::accounts::SessionUser;
use store::offers::requests::Refusal;
use store::offers::volunteering::Role;

#[derive(Template)]
#[template(path = "offers/office_roles.html")]
struct ListPage {
    c: Chrome,
    title: String,
    back: String,
    new_href: String,
    notice: Option<String>,
    /// Link, title, state, people accepted of needed.
    roles: Vec<(String, String, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    hinweis: Option<String>,
}

fn notice(t: &crate::i18n::Tr, q: &NoticeQuery) -> Option<String> {
    match q.hinweis.as_deref() {
        Some("gespeichert") => Some(t.get("offers-office-saved")),
        Some("angelegt") => Some(t.get("volunteer-office-created")),
        Some("entschieden") => Some(t.get("request-office-decided")),
        _ => None,
    }
}

/// `GET /anbieten/{provider}/ehrenamt`
pub async fn office_roles(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let t = ctx.t;
    let p = own_provider(&state, &user, id).await?;
    let roles = state.db.provider_roles(id).await?;
    crate::accounts::render(ListPage {
        c: crate::layout::chrome(&state, &ctx, "provide").await?,
        title: t.s("volunteer-office-title", "provider", &p.input.name),
        back: format!("/anbieten/{id}"),
        new_href: format!("/anbieten/{id}/ehrenamt/neu"),
        notice: notice(&t, &q),
        roles: roles
            .iter()
            .map(|r| {
                (
                    format!("/anbieten/{id}/ehrenamt/{}", r.id),
                    r.input.title.clone(),
                    t.get(&format!("volunteer-role-state-{}", r.input.state.as_str())),
                    t.args(
                        "volunteer-office-filled",
                        &[
                            ("accepted", crate::i18n::Arg::Num(r.accepted)),
                            ("needed", crate::i18n::Arg::Num(r.input.needed)),
                        ],
                    ),
                )
            })
            .collect(),
    })
}

/// The role form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RoleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    when: String,
    #[serde(default)]
    needed: String,
    #[serde(default)]
    requirements: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    state: String,
}

impl RoleForm {
    fn of(r: &RoleInput) -> RoleForm {
        RoleForm {
            title: r.title.clone(),
            description: r.description.clone(),
            when: r.when.clone(),
            needed: r.needed.to_string(),
            requirements: r.requirements.clone(),
            district: r.district_id.map(|d| d.to_string()).unwrap_or_default(),
            state: r.state.as_str().to_string(),
        }
    }

    fn input(
        &self,
        t: &crate::i18n::Tr,
        districts: &[store::offers::places::District],
    ) -> Result<RoleInput, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let district_id = match self.district.trim() {
            "" => None,
            v => match v
                .parse::<i64>()
                .ok()
                .filter(|d| districts.iter().any(|x| x.id == *d))
            {
                Some(d) => Some(d),
                None => {
                    errors.push(("district", t.get("offers-filter-bad")));
                    None
                }
            },
        };
        let state = RoleState::parse(self.state.trim()).unwrap_or_else(|| {
            errors.push(("state", t.get("volunteer-state-invalid")));
            RoleState::Draft
        });
        let input = RoleInput {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            when: self.when.trim().to_string(),
            needed: self.needed.trim().parse().unwrap_or(0),
            requirements: self.requirements.trim().to_string(),
            district_id,
            state,
        };
        if let Err(problems) = input.check() {
            errors.extend(problems.iter().map(|p| (p.field, t.get(p.key))));
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// One application as the office lists it.
struct Applicant {
    id: i64,
    name: String,
    email: String,
    phone: String,
    message: String,
    state: String,
    open: bool,
    note: String,
}

#[derive(Template)]
#[template(path = "offers/office_role.html")]
struct FormPage {
    c: Chrome,
    title: String,
    back: String,
    action: String,
    csrf: String,
    notice: Option<String>,
    public_href: Option<String>,
    f: RoleForm,
    errors: Vec<(&'static str, String)>,
    districts: Vec<(String, String, bool)>,
    states: Vec<(&'static str, String, bool)>,
    /// The applications, for a role that exists.
    applicants: Option<Vec<Applicant>>,
    decide_base: String,
    /// The application whose decline was refused: its reason field is `reason`, which the
    /// error summary links to.
    declining: Option<i64>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: i64,
    role: Option<&Role>,
    f: RoleForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
    declining: Option<i64>,
) -> PageResult {
    let t = ctx.t;
    let districts = state.db.districts().await?;
    let applicants = match role {
        None => None,
        Some(r) => Some(
            state
                .db
                .applications_of_role(r.id)
                .await?
                .into_iter()
                .map(|a| Applicant {
                    id: a.id,
                    state: state_name(&t, a.state),
                    open: a.state == RequestState::Open,
                    name: a.name,
                    email: a.email,
                    phone: a.phone,
                    message: a.message,
                    note: a.note,
                })
                .collect(),
        ),
    };
    let bad = !errors.is_empty();
    let mut res = crate::accounts::render(FormPage {
        c: crate::layout::chrome(state, ctx, "provide").await?,
        title: match role {
            Some(r) => r.input.title.clone(),
            None => t.get("volunteer-office-new"),
        },
        back: format!("/anbieten/{id}/ehrenamt"),
        action: match role {
            Some(r) => format!("/anbieten/{id}/ehrenamt/{}", r.id),
            None => format!("/anbieten/{id}/ehrenamt/neu"),
        },
        csrf: user.csrf_token.clone(),
        notice,
        public_href: role
            .filter(|r| r.is_public())
            .map(|r| format!("/ehrenamt/{}", r.slug)),
        districts: district_options(&districts, &f.district),
        states: RoleState::ALL
            .into_iter()
            .map(|s| {
                (
                    s.as_str(),
                    t.get(&format!("volunteer-role-state-{}", s.as_str())),
                    f.state == s.as_str(),
                )
            })
            .collect(),
        decide_base: match role {
            Some(r) => format!("/anbieten/{id}/ehrenamt/{}/bewerbungen", r.id),
            None => String::new(),
        },
        f,
        errors,
        applicants,
        declining,
    })?;
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /anbieten/{provider}/ehrenamt/neu`
pub async fn new_role_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
) -> PageResult {
    own_provider(&state, &user, id).await?;
    let f = RoleForm {
        needed: "1".into(),
        state: RoleState::Open.as_str().into(),
        ..RoleForm::default()
    };
    form_page(&state, &ctx, &user, id, None, f, Vec::new(), None, None).await
}

/// `POST /anbieten/{provider}/ehrenamt/neu`
pub async fn create_role(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> PageResult {
    own_provider(&state, &user, id).await?;
    let districts = state.db.districts().await?;
    match f.input(&ctx.t, &districts) {
        Err(errors) => form_page(&state, &ctx, &user, id, None, f, errors, None, None).await,
        Ok(input) => {
            let html = domain::comments::comment_html(&input.description);
            let (rid, _) = state
                .db
                .create_role(Some(user.user.id), id, &input, &html, false)
                .await?;
            Ok(
                Redirect::to(&format!("/anbieten/{id}/ehrenamt/{rid}?hinweis=angelegt"))
                    .into_response(),
            )
        }
    }
}

/// Role `rid` of provider `id`, which `user` manages.
async fn own_role(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    rid: i64,
) -> Result<Role, AppError> {
    own_provider(state, user, id).await?;
    state
        .db
        .role_by_id(rid)
        .await?
        .filter(|r| r.provider_id == id)
        .ok_or(AppError::NotFound)
}

/// `GET /anbieten/{provider}/ehrenamt/{id}`: the form and the applications.
pub async fn edit_role_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((id, rid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let r = own_role(&state, &user, id, rid).await?;
    let n = notice(&ctx.t, &q);
    form_page(
        &state,
        &ctx,
        &user,
        id,
        Some(&r),
        RoleForm::of(&r.input),
        Vec::new(),
        n,
        None,
    )
    .await
}

/// `POST /anbieten/{provider}/ehrenamt/{id}`
pub async fn update_role(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> PageResult {
    let r = own_role(&state, &user, id, rid).await?;
    let districts = state.db.districts().await?;
    match f.input(&ctx.t, &districts) {
        Err(errors) => form_page(&state, &ctx, &user, id, Some(&r), f, errors, None, None).await,
        Ok(input) => {
            let html = domain::comments::comment_html(&input.description);
            if !state.db.update_role(id, rid, &input, &html).await? {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!(
                "/anbieten/{id}/ehrenamt/{rid}?hinweis=gespeichert"
            ))
            .into_response())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DecideForm {
    /// `accept` or `decline`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// `POST /anbieten/{provider}/ehrenamt/{id}/bewerbungen/{application}`
pub async fn decide_application(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((id, rid, aid)): Path<(i64, i64, i64)>,
    CsrfForm(f): CsrfForm<DecideForm>,
) -> PageResult {
    let t = ctx.t;
    let r = own_role(&state, &user, id, rid).await?;
    let a = state
        .db
        .application(aid)
        .await?
        .filter(|a| a.role_id == rid && a.state != RequestState::Unconfirmed)
        .ok_or(AppError::NotFound)?;
    let accept = match f.action.as_str() {
        "accept" => true,
        "decline" => {
            if let Err(key) = domain::offers::requests::check_note(&f.reason, true) {
                let errors = vec![("reason", t.get(key))];
                return form_page(
                    &state,
                    &ctx,
                    &user,
                    id,
                    Some(&r),
                    RoleForm::of(&r.input),
                    errors,
                    None,
                    Some(a.id),
                )
                .await;
            }
            false
        }
        _ => return Err(AppError::bad("action", "error-reason-invalid")),
    };
    let mails = Mails::new(&state, id).await?;
    match state
        .db
        .decide_application(a.id, accept, &f.reason, &|a, n| mails.mail(a, n))
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/anbieten/{id}/ehrenamt/{rid}?hinweis=entschieden"
        ))
        .into_response()),
        Err(Refusal::Full { .. }) => {
            let errors = vec![("needed", t.get("volunteer-full"))];
            form_page(
                &state,
                &ctx,
                &user,
                id,
                Some(&r),
                RoleForm::of(&r.input),
                errors,
                None,
                None,
            )
            .await
        }
        Err(other) => Err(crate::offers::requests::refused(&t, other, "action")),
    }
}
