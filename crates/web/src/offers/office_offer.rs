//! The offer form: a new offer of a provider (`/anbieten/{provider}/angebote/neu`) and an
//! offer's changes (`/anbieten/{provider}/angebote/{id}`). The place's coordinates are typed
//! in or come from the postcode's centroid (no map service is asked); the dates are rows of a
//! first date, times and a repetition (weekly, every two weeks, monthly on the same weekday,
//! …, or a rule of one's own), with dates left out. A failed save shows the form again with
//! what was typed and every problem named; an offer of another provider is 403.

use super::office::own_provider;
use super::office_schedules::{ROWS_EMPTY, ScheduleRow, read_rows, rows_of};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::{Access, Accessibility, Attendance, LANGUAGES, OfferState};
use domain::programme::fee_text;
use store::accounts::SessionUser;
use store::offers::{Offer, OfferParts};

/// The form's fields as typed (the rows of dates apart: [`ScheduleRow`]).
#[derive(Default, Clone)]
pub(crate) struct OfferForm {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) category: String,
    pub(super) groups: Vec<String>,
    pub(super) age_min: String,
    pub(super) age_max: String,
    pub(super) attendance: String,
    pub(super) place_name: String,
    pub(super) street: String,
    pub(super) postcode: String,
    pub(super) coordinates: String,
    pub(super) online_url: String,
    pub(super) capacity: String,
    pub(super) cost: String,
    pub(super) cost_note: String,
    pub(super) access: String,
    pub(super) features: Vec<String>,
    pub(super) languages: Vec<String>,
    pub(super) measures: String,
    pub(super) state: String,
    pub(super) rows: Vec<ScheduleRow>,
}

impl OfferForm {
    /// Reads the posted pairs (boxes come once per tick; the rows of dates by their index).
    fn read(pairs: &[(String, String)]) -> OfferForm {
        let mut f = OfferForm::default();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "title" => f.title = v,
                "description" => f.description = v,
                "category" => f.category = v,
                "target_group" => f.groups.push(v),
                "age_min" => f.age_min = v,
                "age_max" => f.age_max = v,
                "attendance" => f.attendance = v,
                "place_name" => f.place_name = v,
                "street" => f.street = v,
                "postcode" => f.postcode = v,
                "coordinates" => f.coordinates = v,
                "online_url" => f.online_url = v,
                "capacity" => f.capacity = v,
                "cost" => f.cost = v,
                "cost_note" => f.cost_note = v,
                "access" => f.access = v,
                "feature" => f.features.push(v),
                "language" => f.languages.push(v),
                "measures" => f.measures = v,
                "state" => f.state = v,
                _ => {}
            }
        }
        f.rows = read_rows(pairs);
        f
    }

    /// The form of a stored offer.
    fn of(o: &Offer, groups: &[i64], measures: &[(i64, String, String)]) -> OfferForm {
        let p = &o.input;
        OfferForm {
            title: p.title.clone(),
            description: p.description.clone(),
            category: p.category_id.to_string(),
            groups: groups.iter().map(i64::to_string).collect(),
            age_min: p.age_min.map(|a| a.to_string()).unwrap_or_default(),
            age_max: p.age_max.map(|a| a.to_string()).unwrap_or_default(),
            attendance: p.attendance.as_str().into(),
            place_name: p.place_name.clone(),
            street: p.street.clone(),
            postcode: p.postcode.clone(),
            coordinates: p
                .point
                .map(|x| format!("{:.6}, {:.6}", x.lat, x.lon))
                .unwrap_or_default(),
            online_url: p.online_url.clone(),
            capacity: p.capacity.map(|c| c.to_string()).unwrap_or_default(),
            cost: p
                .cost_cents
                .filter(|c| *c > 0)
                .map(fee_text)
                .unwrap_or_default(),
            cost_note: p.cost_note.clone(),
            access: p.access.as_str().into(),
            features: p
                .accessibility
                .keys()
                .into_iter()
                .map(str::to_string)
                .collect(),
            languages: p.languages.clone(),
            measures: measures
                .iter()
                .map(|m| m.1.clone())
                .collect::<Vec<_>>()
                .join(", "),
            state: p.state.as_str().into(),
            rows: rows_of(&o.schedules),
        }
    }
}

/// A checkbox or radio of the form: value, label, checked.
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "offers/office_offer_form.html")]
struct FormPage {
    c: Chrome,
    title: String,
    csrf: String,
    action: String,
    back: String,
    public_href: Option<String>,
    f: OfferForm,
    errors: Vec<(&'static str, String)>,
    categories: Vec<Choice>,
    groups: Vec<Choice>,
    attendances: Vec<Choice>,
    accesses: Vec<Choice>,
    features: Vec<Choice>,
    languages: Vec<Choice>,
    states: Vec<Choice>,
    repeats: Vec<(String, String)>,
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
    ctx: &crate::extract::Ctx,
    user: &SessionUser,
    action: String,
    back: String,
    title: String,
    public_href: Option<String>,
    mut f: OfferForm,
    errors: Vec<(&'static str, String)>,
) -> PageResult {
    let t = ctx.t;
    let categories = state.db.offer_categories().await?;
    let groups = state.db.topic_choices().await?.groups;
    while f.rows.len() < domain::offers::SCHEDULES_MAX
        && f.rows.iter().filter(|r| r.is_empty()).count() < ROWS_EMPTY
    {
        f.rows.push(ScheduleRow::default());
    }
    for (i, r) in f.rows.iter_mut().enumerate() {
        r.index = i;
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        c: crate::layout::chrome(state, ctx, "provide").await?,
        title,
        csrf: user.csrf_token.clone(),
        action,
        back,
        public_href,
        categories: categories
            .iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    c.name.clone(),
                    c.id.to_string() == f.category,
                )
            })
            .collect(),
        groups: groups
            .iter()
            .map(|g| {
                (
                    g.id.to_string(),
                    g.name.clone(),
                    f.groups.contains(&g.id.to_string()),
                )
            })
            .collect(),
        attendances: Attendance::ALL
            .iter()
            .map(|a| {
                (
                    a.as_str().to_string(),
                    crate::programme::attendance_label(&t, *a),
                    f.attendance == a.as_str(),
                )
            })
            .collect(),
        accesses: Access::ALL
            .iter()
            .map(|a| {
                (
                    a.as_str().to_string(),
                    t.get(&format!("offers-access-{}-long", a.as_str())),
                    f.access == a.as_str(),
                )
            })
            .collect(),
        features: Accessibility::KEYS
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    t.get(&format!("offers-feature-{k}")),
                    f.features.iter().any(|x| x == k),
                )
            })
            .collect(),
        languages: LANGUAGES
            .iter()
            .map(|l| {
                (
                    l.to_string(),
                    super::language_name(&t, l),
                    f.languages.iter().any(|x| x == l),
                )
            })
            .collect(),
        states: OfferState::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    t.get(&format!("offers-office-offer-{}", s.as_str())),
                    f.state == s.as_str(),
                )
            })
            .collect(),
        repeats: super::office_schedules::REPEATS
            .iter()
            .map(|r| (r.to_string(), t.get(&format!("offers-office-repeat-{r}"))))
            .collect(),
        f,
        errors,
    };
    let mut res = crate::accounts::render(page)?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /anbieten/{provider}/angebote/neu`
pub async fn new_offer_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(provider): Path<i64>,
) -> PageResult {
    own_provider(&state, &user, provider).await?;
    let f = OfferForm {
        attendance: Attendance::InPerson.as_str().into(),
        access: Access::DropIn.as_str().into(),
        state: OfferState::Draft.as_str().into(),
        languages: vec!["de".into()],
        ..OfferForm::default()
    };
    let title = ctx.t.get("offers-office-new-offer");
    form_page(
        &state,
        &ctx,
        &user,
        format!("/anbieten/{provider}/angebote/neu"),
        format!("/anbieten/{provider}"),
        title,
        None,
        f,
        Vec::new(),
    )
    .await
}

/// `POST /anbieten/{provider}/angebote/neu`: the offer is created; to the provider's offers.
pub async fn create_offer(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path(provider): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    own_provider(&state, &user, provider).await?;
    let f = OfferForm::read(&pairs);
    match super::office_offer_check::check(&state, &ctx.t, &f).await? {
        Err(errors) => {
            let title = ctx.t.get("offers-office-new-offer");
            form_page(
                &state,
                &ctx,
                &user,
                format!("/anbieten/{provider}/angebote/neu"),
                format!("/anbieten/{provider}"),
                title,
                None,
                f,
                errors,
            )
            .await
        }
        Ok(c) => {
            let html = domain::comments::comment_html(&c.input.description);
            let parts = OfferParts {
                description_html: &html,
                schedules: &c.schedules,
                groups: &c.groups,
                measures: &c.measures,
                district_id: c.district_id,
            };
            state
                .db
                .create_offer(Some(user.user.id), provider, &c.input, &parts, false)
                .await?;
            Ok(Redirect::to(&format!("/anbieten/{provider}?hinweis=angelegt")).into_response())
        }
    }
}

/// Offer `id` of provider `provider` (404 when that provider has none such).
async fn offer_of(state: &AppState, provider: i64, id: i64) -> Result<Offer, AppError> {
    state
        .db
        .offer_by_id(id)
        .await?
        .filter(|o| o.provider_id == provider)
        .ok_or(AppError::NotFound)
}

/// `GET /anbieten/{provider}/angebote/{id}`
pub async fn edit_offer_form(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((provider, id)): Path<(i64, i64)>,
) -> PageResult {
    own_provider(&state, &user, provider).await?;
    let o = offer_of(&state, provider, id).await?;
    let links = state.db.offer_links(id).await?;
    let groups: Vec<i64> = links.groups.iter().map(|g| g.id).collect();
    let f = OfferForm::of(&o, &groups, &links.measures);
    let public = o.is_public().then(|| format!("/angebote/{}", o.slug));
    form_page(
        &state,
        &ctx,
        &user,
        format!("/anbieten/{provider}/angebote/{id}"),
        format!("/anbieten/{provider}"),
        o.input.title.clone(),
        public,
        f,
        Vec::new(),
    )
    .await
}

/// `POST /anbieten/{provider}/angebote/{id}`
pub async fn update_offer(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Provider>,
    Path((provider, id)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    own_provider(&state, &user, provider).await?;
    let o = offer_of(&state, provider, id).await?;
    let f = OfferForm::read(&pairs);
    match super::office_offer_check::check(&state, &ctx.t, &f).await? {
        Err(errors) => {
            let public = o.is_public().then(|| format!("/angebote/{}", o.slug));
            form_page(
                &state,
                &ctx,
                &user,
                format!("/anbieten/{provider}/angebote/{id}"),
                format!("/anbieten/{provider}"),
                o.input.title.clone(),
                public,
                f,
                errors,
            )
            .await
        }
        Ok(c) => {
            let html = domain::comments::comment_html(&c.input.description);
            let parts = OfferParts {
                description_html: &html,
                schedules: &c.schedules,
                groups: &c.groups,
                measures: &c.measures,
                district_id: c.district_id,
            };
            if !state
                .db
                .update_offer(user.user.id, provider, id, &c.input, &parts)
                .await?
            {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/anbieten/{provider}?hinweis=gespeichert")).into_response())
        }
    }
}
