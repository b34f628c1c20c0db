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
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::offers::geo::{Point, parse_postcode};
use domain::offers::{Access, Accessibility, Attendance, LANGUAGES, OfferInput, OfferState};
use domain::programme::{fee_text, parse_fee};
use store::accounts::SessionUser;
use store::offers::{Offer, OfferParts};

/// The form's fields as typed (the rows of dates apart: [`ScheduleRow`]).
#[derive(Default, Clone)]
pub(crate) struct OfferForm {
    title: String,
    description: String,
    category: String,
    groups: Vec<String>,
    age_min: String,
    age_max: String,
    attendance: String,
    place_name: String,
    street: String,
    postcode: String,
    coordinates: String,
    online_url: String,
    capacity: String,
    cost: String,
    cost_note: String,
    access: String,
    features: Vec<String>,
    languages: Vec<String>,
    measures: String,
    state: String,
    rows: Vec<ScheduleRow>,
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

/// A whole number in `field`, or the problem.
fn number(
    t: &Tr,
    errors: &mut Vec<(&'static str, String)>,
    field: &'static str,
    v: &str,
) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push((field, t.get("offers-office-not-a-number")));
            None
        }
    }
}

/// What a checked form saves.
struct Checked {
    input: OfferInput,
    schedules: Vec<domain::offers::recurrence::Schedule>,
    groups: Vec<i64>,
    measures: Vec<i64>,
    district_id: Option<i64>,
}

/// The offer with its parts, or every problem (field, message).
async fn check(
    state: &AppState,
    t: &Tr,
    f: &OfferForm,
) -> Result<Result<Checked, Vec<(&'static str, String)>>, AppError> {
    let mut errors = Vec::new();
    let categories = state.db.offer_categories().await?;
    let category_id = match categories
        .iter()
        .find(|c| c.id.to_string() == f.category.trim())
    {
        Some(c) => c.id,
        None => {
            errors.push(("category", t.get("offers-office-category-missing")));
            0
        }
    };
    let choices = state.db.topic_choices().await?.groups;
    let mut groups = Vec::new();
    for g in &f.groups {
        match choices.iter().find(|c| c.id.to_string() == *g) {
            Some(c) => groups.push(c.id),
            None => errors.push(("groups", t.get("offers-filter-bad"))),
        }
    }
    let attendance = Attendance::parse(&f.attendance).unwrap_or_else(|| {
        errors.push(("attendance", t.get("offers-filter-bad")));
        Attendance::InPerson
    });
    let access = Access::parse(&f.access).unwrap_or_else(|| {
        errors.push(("access", t.get("offers-filter-bad")));
        Access::DropIn
    });
    let offer_state = OfferState::parse(&f.state).unwrap_or_else(|| {
        errors.push(("state", t.get("offers-filter-bad")));
        OfferState::Draft
    });
    let mut accessibility = Accessibility::default();
    for k in &f.features {
        if !accessibility.set(k) {
            errors.push(("features", t.get("offers-filter-bad")));
        }
    }
    let languages: Vec<String> = LANGUAGES
        .iter()
        .filter(|l| f.languages.iter().any(|x| x == *l))
        .map(|l| l.to_string())
        .collect();
    if f.languages.iter().any(|l| !LANGUAGES.contains(&l.as_str())) {
        errors.push(("languages", t.get("offers-language-unknown")));
    }
    // The place: typed coordinates, else the postcode's centroid; its district from the postcode.
    let on_site = attendance != Attendance::Online;
    let code = f.postcode.trim();
    let mut point = None;
    let mut district_id = None;
    let mut postcode = String::new();
    if on_site {
        if !code.is_empty() {
            match parse_postcode(code) {
                Some(c) => {
                    if let Some(known) = state.db.postcode(&c).await? {
                        point = Some(known.centre);
                        district_id = known.district_id;
                    }
                    postcode = c;
                }
                None => errors.push((
                    "postcode",
                    t.s("offers-filter-postcode-bad", "postcode", code),
                )),
            }
        }
        if !f.coordinates.trim().is_empty() {
            match Point::parse(&f.coordinates) {
                Some(p) => point = Some(p),
                None => errors.push(("coordinates", t.get("offers-office-coordinates-bad"))),
            }
        }
    }
    let age_min = number(t, &mut errors, "age_min", &f.age_min);
    let age_max = number(t, &mut errors, "age_max", &f.age_max);
    let capacity = number(t, &mut errors, "capacity", &f.capacity);
    let cost_cents = match f.cost.trim() {
        "" => None,
        v => match parse_fee(v) {
            Some(c) => Some(c),
            None => {
                errors.push(("cost", t.get("offers-cost-invalid")));
                None
            }
        },
    };
    let input = OfferInput {
        title: f.title.trim().to_string(),
        description: f.description.trim().to_string(),
        category_id,
        age_min,
        age_max,
        attendance,
        place_name: if on_site {
            f.place_name.trim().to_string()
        } else {
            String::new()
        },
        street: if on_site {
            f.street.trim().to_string()
        } else {
            String::new()
        },
        postcode,
        point,
        online_url: if attendance == Attendance::InPerson {
            String::new()
        } else {
            f.online_url.trim().to_string()
        },
        capacity,
        cost_cents,
        cost_note: f.cost_note.trim().to_string(),
        access,
        accessibility,
        languages,
        state: offer_state,
    };
    if let Err(problems) = input.check() {
        for p in problems {
            // A place without coordinates: the postcode is unknown to the city.
            let message = if p.key == "offers-place-unknown" && !code.is_empty() {
                t.s("offers-office-postcode-unknown", "postcode", code)
            } else {
                t.get(p.key)
            };
            if !errors.iter().any(|(f, _)| *f == p.field) {
                errors.push((p.field, message));
            }
        }
    }
    let schedules = match super::office_schedules::schedules(t, &f.rows) {
        Ok(s) => s,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    let measures = match crate::programme::measure_ids(state, t, &f.measures).await? {
        Ok(ids) => ids,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    Ok(if errors.is_empty() {
        Ok(Checked {
            input,
            schedules,
            groups,
            measures,
            district_id,
        })
    } else {
        Err(errors)
    })
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
    match check(&state, &ctx.t, &f).await? {
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
    match check(&state, &ctx.t, &f).await? {
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
