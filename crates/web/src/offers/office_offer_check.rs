//! Checking the offer form: the fields as typed become an offer with its schedules, target
//! groups, measures and district, or every problem at its field. The place takes the
//! coordinates typed in, else the centroid of the city's postcode; the district comes from the
//! postcode.

use super::office_offer::OfferForm;
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use domain::offers::geo::{Point, parse_postcode};
use domain::offers::{Access, Accessibility, Attendance, LANGUAGES, OfferInput, OfferState};
use domain::programme::parse_fee;

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
pub(crate) struct Checked {
    pub input: OfferInput,
    pub schedules: Vec<domain::offers::recurrence::Schedule>,
    pub groups: Vec<i64>,
    pub measures: Vec<i64>,
    pub district_id: Option<i64>,
}

/// The offer with its parts, or every problem (field, message).
pub(crate) async fn check(
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
