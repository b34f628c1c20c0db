//! The account page, the data export and deleting an account.

use crate::AppState;
use crate::accounts::views::*;
use crate::accounts::*;
use crate::extract::{CsrfForm, Ctx, Query, SignedIn};
use crate::layout::*;
use crate::session::*;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    pub(crate) hinweis: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    SignedIn { ctx, .. }: SignedIn,
    Query(q): Query<AccountQuery>,
) -> PageResult {
    let notice = match q.hinweis.as_deref() {
        Some("passwort") => Some(ctx.t.get("account-password-changed")),
        Some("adresse-gesendet") => Some(ctx.t.get("account-email-sent")),
        Some("adresse") => Some(ctx.t.get("account-email-changed")),
        _ => None,
    };
    account_page(&state, &ctx, None, notice).await
}

pub(crate) async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<String>,
) -> PageResult {
    account_page_with(state, ctx, error, notice, String::new()).await
}

pub(crate) async fn account_page_with(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<String>,
    new_email: String,
) -> PageResult {
    let user = ctx.require_user()?;
    render(AccountPage {
        c: crate::layout::chrome(state, ctx, "account").await?,
        title: ctx.t.get("account-title"),
        name: user.user.display_name.clone(),
        email: user.user.email.clone(),
        roles: user
            .roles
            .iter()
            .map(|r| ctx.t.get(&format!("role-{}", r.as_str())))
            .collect(),
        csrf: user.csrf_token.clone(),
        error,
        notice,
        new_email,
    })
}

/// Everything held about the signed-in person, as a JSON download.
pub async fn export(State(state): State<AppState>, SignedIn { user, .. }: SignedIn) -> PageResult {
    let fmt = |t: Option<OffsetDateTime>| {
        t.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    let ratings: Vec<serde_json::Value> = state
        .db
        .ratings_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "measure_id": r.measure_id,
                "measure": r.measure_title,
                "value": r.value,
                "updated_at": fmt(Some(r.updated_at)),
            })
        })
        .collect();
    let comments: Vec<serde_json::Value> = state
        .db
        .comments_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "on": { "kind": c.subject.kind.as_str(), "id": c.subject.id },
                "parent_id": c.parent_id,
                "state": c.state.as_str(),
                "official": c.official,
                "text": c.body,
                "upvotes": c.upvotes,
                "created_at": fmt(Some(c.created_at)),
                "edited_at": fmt(c.edited_at),
            })
        })
        .collect();
    let mut upvoted: Vec<i64> = state
        .db
        .comment_votes_of_user(user.user.id)
        .await?
        .into_iter()
        .collect();
    upvoted.sort_unstable();
    let reports: Vec<serde_json::Value> = state
        .db
        .reports_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|(comment, reason, note, at)| {
            serde_json::json!({
                "comment_id": comment,
                "reason": reason,
                "note": note,
                "created_at": fmt(Some(at)),
            })
        })
        .collect();
    let ideas: Vec<serde_json::Value> = state
        .db
        .ideas_of_author(user.user.id)
        .await?
        .into_iter()
        .map(|i| {
            serde_json::json!({
                "id": i.id,
                "field": i.field_slug,
                "title": i.title,
                "description": i.description,
                "benefit": i.benefit,
                "place": i.place,
                "status": i.status.as_str(),
                "status_reason": i.status_reason,
                "supports": i.supports,
                "hidden": i.hidden,
                "created_at": fmt(Some(i.created_at)),
            })
        })
        .collect();
    let idea_reports: Vec<serde_json::Value> = state
        .db
        .idea_reports_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|(idea, reason, note, at)| {
            serde_json::json!({
                "idea_id": idea,
                "reason": reason,
                "note": note,
                "created_at": fmt(Some(at)),
            })
        })
        .collect();
    let supports: Vec<serde_json::Value> = state
        .db
        .supports_of(user.user.id)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "idea_id": s.idea_id,
                "idea": s.idea_title,
                "created_at": fmt(Some(s.created_at)),
            })
        })
        .collect();
    let (follows, notifications, notification_settings) =
        crate::notifications::export(&state, user.user.id).await?;
    let (offer_requests, volunteer_applications) =
        crate::offers::requests::export(&state, user.user.id).await?;
    let body = serde_json::json!({
        "account": {
            "email": user.user.email,
            "display_name": user.user.display_name,
            "roles": user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "created_at": fmt(Some(user.user.created_at)),
            "email_confirmed_at": fmt(user.user.email_confirmed_at),
        },
        "ratings": ratings,
        "comments": comments,
        "upvoted_comments": upvoted,
        "reports": reports,
        "ideas": ideas,
        "supported_ideas": supports,
        "newsletter": crate::newsletter::export(&state, &user.user.email).await?,
        "idea_reports": idea_reports,
        "follows": follows,
        "notifications": notifications,
        "notification_settings": notification_settings,
        "offer_requests": offer_requests,
        "volunteer_applications": volunteer_applications,
        "exported_at": fmt(Some(OffsetDateTime::now_utc())),
        "site": state.base_url.as_ref(),
    });
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"meine-daten.json\""),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    pub(crate) password: String,
}

pub async fn delete_account(
    State(state): State<AppState>,
    SignedIn { ctx, user }: SignedIn,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> PageResult {
    let ok = password_of(&user, form.password).await;
    if !ok {
        let mut res = account_page(
            &state,
            &ctx,
            Some(ctx.t.get("account-password-wrong")),
            None,
        )
        .await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    state.db.delete_account(user.user.id).await?;
    state.cache.sessions.forget_person(user.user.id);
    let anonymous = Ctx {
        t: ctx.t,
        uri: ctx.uri.clone(),
        user: None,
    };
    let mut res = notice(
        &state,
        &anonymous,
        "account-deleted-title",
        "account-deleted-text",
    )
    .await?;
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}
