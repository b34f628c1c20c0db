//! The parts of an event beside its main fields: its fields of action and target groups (ticked
//! in the event form), its image with alternative text (an upload of its own on the event's
//! page in the back office), the organisers an admin lets run it beside its owner, and the
//! public address of the image.

use super::office::own_event;
use super::office_forms::{EventForm, edit_page};
use crate::AppState;
use crate::error::AppError;
use crate::extract::{CsrfForm, Path, RequireRole, role};
use crate::i18n::Tr;
use crate::layout::PageResult;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::programme::topics::{Topic, Topics};

/// The body limit of an image upload: the largest image plus room for the form around it.
pub const IMAGE_BODY_LIMIT: usize = domain::programme::image::MAX_BYTES + 64 * 1024;

/// The ticked fields of action and target groups of a form (ids), or the problem.
pub(super) type Ticked = Result<(Vec<i64>, Vec<i64>), (&'static str, String)>;

/// The event form from its fields as pairs: the boxes (`field` and `target_group`, once per
/// ticked box) apart, checked against what may be chosen; the rest as [`EventForm`]. The form
/// keeps the known ticks, so a form shown again with problems shows them.
pub(super) async fn read_form(
    state: &AppState,
    t: &Tr,
    pairs: Vec<(String, String)>,
) -> Result<(EventForm, Ticked), AppError> {
    let (mut fields, mut groups, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for (k, v) in pairs {
        match k.as_str() {
            "field" => fields.push(v),
            "target_group" => groups.push(v),
            _ => rest.push((k, v)),
        }
    }
    let mut form = EventForm::deserialize(serde::de::value::MapDeserializer::<
        _,
        serde::de::value::Error,
    >::new(rest.into_iter()))
    .map_err(|e| AppError::InvalidForm {
        field: "form".into(),
        reason: e.to_string(),
    })?;
    let choices = state.db.topic_choices().await?;
    let known = |given: &[String], of: &[Topic]| -> (Vec<i64>, bool) {
        let mut ids: Vec<i64> = given
            .iter()
            .filter_map(|v| v.trim().parse::<i64>().ok())
            .filter(|id| of.iter().any(|k| k.id == *id))
            .collect();
        let all = ids.len() == given.len();
        ids.sort_unstable();
        ids.dedup();
        (ids, all)
    };
    let (field_ids, fields_ok) = known(&fields, &choices.fields);
    let (group_ids, groups_ok) = known(&groups, &choices.groups);
    form.fields.clone_from(&field_ids);
    form.groups.clone_from(&group_ids);
    let ticked = if !fields_ok {
        Err(("fields", t.get("office-topic-unknown")))
    } else if !groups_ok {
        Err(("groups", t.get("office-topic-unknown")))
    } else {
        Ok((field_ids, group_ids))
    };
    Ok((form, ticked))
}

/// A box of the form: the topic's id, its name, and whether it is ticked.
pub(super) struct TopicBox {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

/// The boxes of fields of action and of target groups, the form's ticks set.
pub(super) fn boxes(choices: &Topics, f: &EventForm) -> (Vec<TopicBox>, Vec<TopicBox>) {
    let of = |topics: &[Topic], ticked: &[i64]| {
        topics
            .iter()
            .map(|x| TopicBox {
                id: x.id,
                name: x.name.clone(),
                checked: ticked.contains(&x.id),
            })
            .collect()
    };
    (
        of(&choices.fields, &f.fields),
        of(&choices.groups, &f.groups),
    )
}

/// The image section of an event's page in the back office.
pub(super) struct ImageSection {
    pub action: String,
    pub remove_action: String,
    /// The current image: its address, width and height.
    pub current: Option<(String, i64, i64)>,
    pub alt: String,
}

/// An organiser beside the owner, or one who may be added: id and "name (address)".
pub(super) struct OrganiserSection {
    pub add_action: String,
    pub current: Vec<(String, String, String)>,
    pub candidates: Vec<(String, String)>,
}

/// What the edit page shows beside the form: the image, and for admins the further
/// organisers.
pub(super) async fn sections(
    state: &AppState,
    event: &store::programme::Event,
    admin: bool,
) -> Result<(ImageSection, Option<OrganiserSection>), AppError> {
    let head = state.db.event_image_head(event.id).await?;
    let image = ImageSection {
        action: format!("/veranstalten/{}/bild", event.id),
        remove_action: format!("/veranstalten/{}/bild/entfernen", event.id),
        // The back office's own address: a draft's image is not public yet.
        current: head.as_ref().map(|h| {
            (
                format!("/veranstalten/{}/bild?v={}", event.id, h.etag),
                h.width,
                h.height,
            )
        }),
        alt: event.input.image_alt.clone(),
    };
    let organisers = if admin {
        let current = state.db.event_organisers(event.id).await?;
        let candidates = state
            .db
            .organisers()
            .await?
            .into_iter()
            .filter(|(id, _, _)| {
                Some(*id) != event.owner_id && !current.iter().any(|(c, _, _)| c == id)
            })
            .map(|(id, name, email)| (id.to_string(), format!("{name} ({email})")))
            .collect();
        Some(OrganiserSection {
            add_action: format!("/veranstalten/{}/organisation", event.id),
            current: current
                .into_iter()
                .map(|(id, name, email)| {
                    (
                        id.to_string(),
                        format!("{name} ({email})"),
                        format!("/veranstalten/{}/organisation/{id}/entfernen", event.id),
                    )
                })
                .collect(),
            candidates,
        })
    } else {
        None
    };
    Ok((image, organisers))
}

/// The public address of an event's image in version `etag` (cached for a year).
pub(crate) fn image_href(slug: &str, etag: &str) -> String {
    format!("/veranstaltungen/{slug}/bild?v={etag}")
}

/// `POST /veranstalten/{id}/bild` (multipart: `csrf`, `image`, `image_alt`): a new image with
/// its alternative text, or (without a file) a new text for the current image. The file's type
/// and size come from its first bytes; the text is required.
pub async fn upload_image(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let t = ctx.t;
    let up = crate::upload::read(
        form,
        "image",
        "image_alt",
        domain::programme::image::MAX_BYTES,
        || AppError::bad("image", t.get("event-image-broken")),
    )
    .await?;
    let file = up.file;
    ctx.check_csrf(&up.csrf)?;
    let event = own_event(&state, &user, id).await?;
    let alt = up.text.replace("\r\n", " ").replace('\n', " ");
    let alt = alt.trim();
    let has_image = state.db.event_image_head(id).await?.is_some();
    let problem = if alt.chars().count() > domain::programme::image::MAX_ALT {
        Some(t.get("office-image-alt-long"))
    } else if alt.is_empty() && (has_image || !file.is_empty()) {
        Some(t.get("office-image-alt-missing"))
    } else {
        None
    };
    let checked = match (&problem, file.is_empty()) {
        (Some(_), _) => None,
        (None, true) if !has_image => {
            return edit_page(
                &state,
                &ctx,
                &user,
                &event,
                None,
                image_error(&t, "event-image-empty"),
            )
            .await;
        }
        (None, true) => None,
        (None, false) => match domain::programme::image::check(&file) {
            Ok(c) => Some(c),
            Err(key) => {
                return edit_page(&state, &ctx, &user, &event, None, image_error(&t, key)).await;
            }
        },
    };
    if let Some(p) = problem {
        return edit_page(&state, &ctx, &user, &event, None, vec![("image_alt", p)]).await;
    }
    let etag = crate::ops::branding::etag_of(&file);
    let image = checked.map(|c| store::programme::images::NewImage {
        mime: c.kind.mime(),
        body: &file,
        width: c.width,
        height: c.height,
        etag: &etag,
    });
    if !state
        .db
        .set_event_image(Some(user.user.id), id, image, alt)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/veranstalten/{id}/bearbeiten?hinweis=bild")).into_response())
}

fn image_error(t: &Tr, key: &str) -> Vec<(&'static str, String)> {
    vec![("image", t.get(key))]
}

/// `POST /veranstalten/{id}/bild/entfernen`
pub async fn remove_image(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    CsrfForm(crate::extract::NoFields {}): CsrfForm<crate::extract::NoFields>,
) -> PageResult {
    own_event(&state, &user, id).await?;
    state.db.remove_event_image(user.user.id, id).await?;
    Ok(Redirect::to(&format!(
        "/veranstalten/{id}/bearbeiten?hinweis=bild-entfernt"
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct OrganiserForm {
    #[serde(default)]
    organiser: String,
}

/// `POST /veranstalten/{id}/organisation` (admins): one more person runs the event; only
/// people who may run events can be added.
pub async fn add_organiser(
    State(state): State<AppState>,
    RequireRole { ctx, user, .. }: RequireRole<role::Admin>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<OrganiserForm>,
) -> PageResult {
    let event = own_event(&state, &user, id).await?;
    let chosen = f
        .organiser
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|o| Some(*o) != event.owner_id);
    let known = match chosen {
        Some(o) => state.db.organisers().await?.iter().any(|(x, _, _)| *x == o),
        None => false,
    };
    let Some(organiser) = chosen.filter(|_| known) else {
        return edit_page(
            &state,
            &ctx,
            &user,
            &event,
            None,
            vec![("further_organiser", ctx.t.get("office-choose"))],
        )
        .await;
    };
    state
        .db
        .set_event_organiser(user.user.id, id, organiser, true)
        .await?;
    Ok(Redirect::to(&format!(
        "/veranstalten/{id}/bearbeiten?hinweis=organisation"
    ))
    .into_response())
}

/// `POST /veranstalten/{id}/organisation/{user}/entfernen` (admins)
pub async fn remove_organiser(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Admin>,
    Path((id, organiser)): Path<(i64, i64)>,
    CsrfForm(crate::extract::NoFields {}): CsrfForm<crate::extract::NoFields>,
) -> PageResult {
    own_event(&state, &user, id).await?;
    state
        .db
        .set_event_organiser(user.user.id, id, organiser, false)
        .await?;
    Ok(Redirect::to(&format!(
        "/veranstalten/{id}/bearbeiten?hinweis=organisation-entfernt"
    ))
    .into_response())
}

/// `GET /veranstalten/{id}/bild`: the image of an event its organisers run, drafts included
/// (the back office shows it before the event is public).
pub async fn own_image(
    State(state): State<AppState>,
    RequireRole { user, .. }: RequireRole<role::Organiser>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    own_event(&state, &user, id).await?;
    let image = state.db.event_image(id).await?.ok_or(AppError::NotFound)?;
    serve(&headers, image, "private, max-age=31536000, immutable")
}

/// An image with its type, version, caching and the logo's strict policy.
fn serve(
    headers: &HeaderMap,
    image: store::programme::images::EventImage,
    cache: &'static str,
) -> Result<Response, AppError> {
    let mime = crate::ops::branding::image_mime(&image.mime, false).ok_or(AppError::NotFound)?;
    Ok(crate::ops::branding::serve_image(
        headers,
        mime,
        &image.etag,
        image.body,
        cache,
        "inline; filename=\"bild\"",
    ))
}

/// `GET /veranstaltungen/{slug}/bild`: the image of a public event. Pages link it with its
/// version (`?v=<etag>`), so browsers keep it for a year and a new image has a new address; the
/// page cache keeps it too (tagged with the event), so a crowd opening the event's page reads
/// it from the database once per instance. Served with the logo's strict policy.
pub async fn event_image(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let event = super::public_event(&state, &slug).await?;
    let image = state
        .db
        .event_image(event.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let res = serve(&headers, image, "public, max-age=31536000, immutable")?;
    Ok(crate::cache::tagged(
        res,
        [
            domain::tags::event(event.id),
            domain::tags::SITE.to_string(),
        ],
    ))
}
