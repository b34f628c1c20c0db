//! Offers, the admins' back office for what the directory is sorted and measured by
//! (`/admin/orte`): the categories, the districts and the postcodes of the city with their
//! centroids. Distances on `/angebote` are measured from these centroids; no map service is
//! asked. A refused form shows the page again with the problem at its field (status 422) and
//! changes nothing.

use crate::AppState;
use crate::admin::{chrome, render};
use crate::error::AppError;
use crate::extract::{CsrfForm, Ctx, NoFields, Path, Query, RequireRole, role};
use crate::layout::{Chrome, Opt, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::offers::geo::{Point, parse_postcode};
use serde::Deserialize;

/// The length of a category's or district's name, in characters.
const NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=80;

/// A form of the page: the values it shows and the problems of its last sending, by field.
#[derive(Default)]
struct Form {
    values: Vec<(&'static str, String)>,
    errors: Vec<(&'static str, String)>,
}

impl Form {
    /// A category's form: its name, and why it was refused.
    fn named(name: &str, error: Option<String>) -> Form {
        Form {
            values: vec![("name", name.to_string())],
            errors: error.map(|e| ("name", e)).into_iter().collect(),
        }
    }

    fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str())
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// Which form of the page was refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    NewCategory,
    Category(i64),
    District,
    Postcode,
}

impl Which {
    /// The id of `field`'s input in the page.
    fn field_id(self, field: &str) -> String {
        match self {
            Which::NewCategory => "category-new".into(),
            Which::Category(id) => format!("category-{id}"),
            Which::District => format!("district-{field}"),
            Which::Postcode => format!("postcode-{field}"),
        }
    }
}

struct CategoryRow {
    id: i64,
    name: String,
    form: Form,
}

struct DistrictRow {
    id: i64,
    name: String,
    centre: String,
    postcodes: i64,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

struct PostcodeRow {
    code: String,
    district: Option<String>,
    centre: String,
}

#[derive(Template)]
#[template(path = "offers/admin_places.html")]
struct PlacesPage {
    c: Chrome,
    title: String,
    csrf: String,
    notice: Option<String>,
    /// A refused form's problems for the summary: the field's id and the message.
    errors: Vec<(String, String)>,
    categories: Vec<CategoryRow>,
    new_category: Form,
    districts: Vec<DistrictRow>,
    district: Form,
    postcodes: Vec<PostcodeRow>,
    postcode: Form,
    /// The choices of the postcode form's district.
    district_options: Vec<Opt>,
    /// How many categories, districts and postcodes the city keeps.
    counts: (i64, i64, i64),
}

/// `50.93, 10.1`: as the forms read it back.
fn centre_text(p: Point) -> String {
    format!("{}, {}", p.lat, p.lon)
}

/// The page, after a refused form with what was typed into it and its problems (status 422).
async fn page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    failed: Option<(Which, Form)>,
) -> PageResult {
    let t = ctx.t;
    let csrf = crate::admin::csrf_of(ctx)?;
    let categories = state.db.offer_categories().await?;
    let districts = state.db.districts().await?;
    let postcodes = state.db.postcodes().await?;
    let mut errors = Vec::new();
    let (mut new_category, mut district, mut postcode) =
        (Form::default(), Form::default(), Form::default());
    let mut failed_category = None;
    if let Some((which, form)) = failed {
        errors = form
            .errors
            .iter()
            .map(|(f, m)| (which.field_id(f), m.clone()))
            .collect();
        match which {
            Which::NewCategory => new_category = form,
            Which::Category(id) => failed_category = Some((id, form)),
            Which::District => district = form,
            Which::Postcode => postcode = form,
        }
    }
    let chosen = postcode.value("district").to_string();
    let mut categories: Vec<CategoryRow> = categories
        .into_iter()
        .map(|c| CategoryRow {
            id: c.id,
            form: Form::named(&c.name, None),
            name: c.name,
        })
        .collect();
    if let Some((id, form)) = failed_category
        && let Some(row) = categories.iter_mut().find(|r| r.id == id)
    {
        row.form = form;
    }
    let refused = !errors.is_empty();
    let counts = (
        count(categories.len()),
        count(districts.len()),
        count(postcodes.len()),
    );
    let mut res = render(PlacesPage {
        c: chrome(state, ctx).await?,
        title: t.get("offers-admin-places-title"),
        csrf,
        notice,
        errors,
        categories,
        new_category,
        district_options: std::iter::once(Opt {
            value: String::new(),
            label: t.get("offers-admin-no-district"),
            selected: chosen.is_empty(),
        })
        .chain(districts.iter().map(|d| Opt {
            value: d.id.to_string(),
            label: d.name.clone(),
            selected: chosen == d.id.to_string(),
        }))
        .collect(),
        districts: districts
            .iter()
            .map(|d| DistrictRow {
                id: d.id,
                name: d.name.clone(),
                centre: centre_text(d.centre),
                postcodes: count(
                    postcodes
                        .iter()
                        .filter(|p| p.district_id == Some(d.id))
                        .count(),
                ),
            })
            .collect(),
        district,
        postcodes: postcodes
            .iter()
            .map(|p| PostcodeRow {
                code: p.code.clone(),
                district: p
                    .district_id
                    .and_then(|id| districts.iter().find(|d| d.id == id))
                    .map(|d| d.name.clone()),
                centre: centre_text(p.centre),
            })
            .collect(),
        postcode,
        counts,
    })?;
    if refused {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacesQuery {
    hinweis: Option<String>,
}

/// `GET /admin/orte`: the categories, districts and postcodes with their forms.
pub async fn admin_places(
    State(state): State<AppState>,
    RequireRole { ctx, .. }: RequireRole<role::Admin>,
    Query(q): Query<PlacesQuery>,
) -> PageResult {
    let key = match q.hinweis.as_deref() {
        Some("kategorie-angelegt") => Some("offers-admin-category-added"),
        Some("kategorie-umbenannt") => Some("offers-admin-category-renamed"),
        Some("stadtteil") => Some("offers-admin-district-saved"),
        Some("stadtteil-entfernt") => Some("offers-admin-district-removed"),
        Some("postleitzahl") => Some("offers-admin-postcode-saved"),
        Some("postleitzahl-entfernt") => Some("offers-admin-postcode-removed"),
        _ => None,
    };
    page(&state, &ctx, key.map(|k| ctx.t.get(k)), None).await
}

/// Back to the page with a notice.
fn done(notice: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(&format!("/admin/orte?hinweis={notice}")).into_response())
}

/// A name of 2 to 80 characters with a letter or digit in it (so it has an address).
fn name_ok(name: &str) -> bool {
    NAME_CHARS.contains(&name.chars().count()) && name.chars().any(char::is_alphanumeric)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    name: String,
}

/// `POST /admin/angebote/kategorien`: a new category at the end of the list.
pub async fn add_category(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    CsrfForm(f): CsrfForm<CategoryForm>,
) -> PageResult {
    let name = f.name.trim();
    let problem = if !name_ok(name) {
        "offers-admin-name-invalid"
    } else if state
        .db
        .add_offer_category(user.user.id, name)
        .await?
        .is_some()
    {
        return done("kategorie-angelegt");
    } else {
        "offers-admin-category-taken"
    };
    let form = Form::named(&f.name, Some(ctx.t.get(problem)));
    page(&state, &ctx, None, Some((Which::NewCategory, form))).await
}

/// `POST /admin/angebote/kategorien/{id}`: a category renamed (its address stays).
pub async fn rename_category(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CategoryForm>,
) -> PageResult {
    if !state
        .db
        .offer_categories()
        .await?
        .iter()
        .any(|c| c.id == id)
    {
        return Err(AppError::NotFound);
    }
    let name = f.name.trim();
    let problem = if !name_ok(name) {
        "offers-admin-name-invalid"
    } else if state
        .db
        .rename_offer_category(user.user.id, id, name)
        .await?
    {
        return done("kategorie-umbenannt");
    } else {
        "offers-admin-category-taken"
    };
    let form = Form::named(&f.name, Some(ctx.t.get(problem)));
    page(&state, &ctx, None, Some((Which::Category(id), form))).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DistrictForm {
    name: String,
    /// `50.93, 10.10`.
    centre: String,
}

/// `POST /admin/orte/stadtteile`: a new district, or a district of that name moved.
pub async fn save_district(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    CsrfForm(f): CsrfForm<DistrictForm>,
) -> PageResult {
    let t = ctx.t;
    let name = f.name.trim();
    let mut errors = Vec::new();
    if !name_ok(name) {
        errors.push(("name", t.get("offers-admin-name-invalid")));
    } else {
        // Another district whose name differs only in case or punctuation would have the
        // same address.
        let slug = domain::text::slugify(name);
        if let Some(other) = state
            .db
            .districts()
            .await?
            .into_iter()
            .find(|d| d.slug == slug && d.name != name)
        {
            errors.push((
                "name",
                t.s("offers-admin-district-similar", "name", &other.name),
            ));
        }
    }
    let centre = Point::parse(&f.centre);
    if centre.is_none() {
        errors.push(("centre", t.get("offers-admin-centre-invalid")));
    }
    match centre {
        Some(centre) if errors.is_empty() => {
            state
                .db
                .save_district(Some(user.user.id), name, centre, false)
                .await?;
            done("stadtteil")
        }
        _ => {
            let form = Form {
                values: vec![("name", f.name.clone()), ("centre", f.centre.clone())],
                errors,
            };
            page(&state, &ctx, None, Some((Which::District, form))).await
        }
    }
}

/// `POST /admin/orte/stadtteile/{id}/entfernen`: its postcodes and offers keep their
/// coordinates and lose the district.
pub async fn remove_district(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Admin>,
    Path(id): Path<i64>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    if !state.db.remove_district(user.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    done("stadtteil-entfernt")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostcodeForm {
    code: String,
    /// A district's id, or empty for none.
    district: String,
    /// `50.93, 10.10`, or empty for the district's centre.
    centre: String,
}

/// `POST /admin/orte/postleitzahlen`: a new postcode, or a postcode's district and centre
/// changed. Without a centre it takes its district's.
pub async fn save_postcode(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    CsrfForm(f): CsrfForm<PostcodeForm>,
) -> PageResult {
    let t = ctx.t;
    let mut errors = Vec::new();
    let code = parse_postcode(&f.code);
    if code.is_none() {
        errors.push(("code", t.get("offers-admin-code-invalid")));
    }
    let chosen = f.district.trim();
    let district = if chosen.is_empty() {
        Ok(None)
    } else {
        let known = state.db.districts().await?;
        chosen
            .parse::<i64>()
            .ok()
            .and_then(|id| known.into_iter().find(|d| d.id == id))
            .map(Some)
            .ok_or(())
    };
    if district.is_err() {
        errors.push(("district", t.get("offers-admin-district-unknown")));
    }
    let centre = match (f.centre.trim(), &district) {
        ("", Ok(Some(d))) => Some(d.centre),
        ("", Ok(None)) => {
            errors.push(("centre", t.get("offers-admin-centre-needed")));
            None
        }
        // Its district is unknown: that is the problem to name.
        ("", Err(())) => None,
        (typed, _) => {
            let p = Point::parse(typed);
            if p.is_none() {
                errors.push(("centre", t.get("offers-admin-centre-invalid")));
            }
            p
        }
    };
    match (code, district, centre) {
        (Some(code), Ok(district), Some(centre)) if errors.is_empty() => {
            state
                .db
                .save_postcode(
                    Some(user.user.id),
                    &code,
                    district.map(|d| d.id),
                    centre,
                    false,
                )
                .await?;
            done("postleitzahl")
        }
        _ => {
            let form = Form {
                values: vec![
                    ("code", f.code.clone()),
                    ("district", f.district.clone()),
                    ("centre", f.centre.clone()),
                ],
                errors,
            };
            page(&state, &ctx, None, Some((Which::Postcode, form))).await
        }
    }
}

/// `POST /admin/orte/postleitzahlen/{code}/entfernen`: offers keep their coordinates.
pub async fn remove_postcode(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Admin>,
    Path(code): Path<String>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> PageResult {
    let code = parse_postcode(&code).ok_or(AppError::NotFound)?;
    if !state.db.remove_postcode(user.user.id, &code).await? {
        return Err(AppError::NotFound);
    }
    done("postleitzahl-entfernt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_two_to_eighty_characters_with_a_letter() {
        assert!(name_ok("Nordstadt"));
        assert!(name_ok("Süd"));
        assert!(!name_ok("N"));
        assert!(!name_ok("--"));
        assert!(!name_ok(&"a".repeat(81)));
    }
}
