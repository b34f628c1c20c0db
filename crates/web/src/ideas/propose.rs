//! Proposing an idea: `GET /ideen/neu` (the form), `POST /ideen` (checked; the first time
//! similar measures and ideas are shown, so that nobody proposes what exists; "Trotzdem
//! einreichen" sends it).

use crate::AppState;
use crate::extract::{ClientAddr, CsrfForm, Ctx, Query, SignedIn};
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::comments::Limit;
use store::ideas::{IdeaRefusal, NewIdea, Similar};

/// Where the author of an idea held for the moderation is sent.
const HELD_PAGE: &str = "/ideen/in-pruefung";

/// `GET /ideen/in-pruefung`: an idea that waits for the moderation.
pub async fn held(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    crate::accounts::notice(&state, &ctx, "idea-held-title", "idea-held-text").await
}

/// Ideas one person proposes at most in an hour …
pub const PER_ACCOUNT_HOUR: i64 = 5;
/// … and all people behind one client address.
pub const PER_CLIENT_HOUR: i64 = 30;

#[derive(Deserialize, Default)]
pub struct ProposeForm {
    #[serde(default)]
    field: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    benefit: String,
    #[serde(default)]
    place: String,
    /// Set once the similar ones were shown: the proposal is sent.
    #[serde(default)]
    checked: Option<String>,
}

#[derive(Template)]
#[template(path = "ideas/propose.html")]
struct ProposePage<'a> {
    c: Chrome,
    title: String,
    csrf: &'a str,
    form: &'a ProposeForm,
    fields: Vec<(String, String)>,
    /// Problems by field: (field, message).
    errors: Vec<(&'static str, String)>,
    similar_measures: Vec<Similar>,
    similar_ideas: Vec<Similar>,
    /// The similar ones were looked for: the next submit sends.
    checked: bool,
}

impl ProposePage<'_> {
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| e.1.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    field: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    csrf: &str,
    form: &ProposeForm,
    errors: Vec<(&'static str, String)>,
    similar: (Vec<Similar>, Vec<Similar>),
    checked: bool,
) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let fields = state
        .db
        .idea_fields()
        .await?
        .into_iter()
        .map(|(_, slug, title)| (slug, title))
        .collect();
    let mut res = crate::accounts::render(ProposePage {
        c: crate::layout::chrome(state, ctx, "ideas").await?,
        title: ctx.t.get("idea-propose-title"),
        csrf,
        form,
        fields,
        errors,
        similar_measures: similar.0,
        similar_ideas: similar.1,
        checked,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /ideen/neu`: the form, with the field of action `?field=` chosen.
pub async fn propose_form(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let form = ProposeForm {
        field: q.field.unwrap_or_default(),
        ..ProposeForm::default()
    };
    page(
        &state,
        &ctx,
        &user.csrf_token,
        &form,
        Vec::new(),
        Default::default(),
        false,
    )
    .await
}

/// `POST /ideen`: checks the proposal; shows similar measures and ideas once; then proposes it.
pub async fn propose(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<ProposeForm>,
) -> PageResult {
    let t = ctx.t;
    let fields = state.db.idea_fields().await?;
    let field_id = fields.iter().find(|f| f.1 == form.field).map(|f| f.0);
    let proposal = match domain::ideas::check_proposal(
        field_id,
        &form.title,
        &form.description,
        &form.benefit,
        &form.place,
    ) {
        Ok(p) => p,
        Err(problems) => {
            let errors = problems.iter().map(|p| (p.field, t.get(p.key))).collect();
            return page(
                &state,
                &ctx,
                &user.csrf_token,
                &form,
                errors,
                Default::default(),
                false,
            )
            .await;
        }
    };
    if form.checked.is_none() {
        let terms = domain::ideas::similarity_terms(&proposal.title, &proposal.description);
        let similar = state
            .db
            .similar(&terms, domain::ideas::SIMILAR_SHOWN)
            .await?;
        if !similar.0.is_empty() || !similar.1.is_empty() {
            return page(
                &state,
                &ctx,
                &user.csrf_token,
                &form,
                Vec::new(),
                similar,
                true,
            )
            .await;
        }
    }
    let client_key = crate::accounts::client_key(&state, client);
    let limits = [
        Limit {
            bucket: format!("idea:account:{}", user.user.id),
            max: PER_ACCOUNT_HOUR,
            window: time::Duration::hours(1),
        },
        Limit {
            bucket: format!("idea:client:{client_key}"),
            max: PER_CLIENT_HOUR,
            window: time::Duration::hours(1),
        },
    ];
    let html = domain::comments::comment_html(&proposal.description);
    // The word list and the review of first posts hold ideas as they hold comments.
    let text = [
        proposal.title.as_str(),
        &proposal.description,
        &proposal.benefit,
        &proposal.place,
    ]
    .join("\n");
    let hold = crate::comments::holds(&state, Some(&user), &text).await?;
    let outcome = state
        .db
        .propose_idea(&NewIdea {
            proposal: &proposal,
            author_id: user.user.id,
            description_html: &html,
            limits: &limits,
            created_at: None,
            hold,
        })
        .await?;
    match outcome {
        Ok(_) if hold => Ok(Redirect::to(HELD_PAGE).into_response()),
        Ok(id) => Ok(Redirect::to(&format!("/ideen/{id}")).into_response()),
        Err(r @ (IdeaRefusal::Closed | IdeaRefusal::Blocked | IdeaRefusal::NotFound)) => {
            let (field, key) = match r {
                IdeaRefusal::Closed => ("field", "idea-closed"),
                IdeaRefusal::Blocked => ("title", "comment-blocked"),
                _ => ("field", "idea-field-missing"),
            };
            let errors = vec![(field, t.get(key))];
            page(
                &state,
                &ctx,
                &user.csrf_token,
                &form,
                errors,
                Default::default(),
                false,
            )
            .await
        }
        Err(r) => Err(super::page::refusal(&t, r)),
    }
}
