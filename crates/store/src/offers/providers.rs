//! Providers: who offers something (a library, an association, a city office). A person who
//! signs a provider up manages it; an admin approves it before anything of it is public, and
//! approving gives its people the `provider` role. Every write is audited and publishes the
//! provider's tag (its page and the pages of its offers) and `offers` (the lists).

use crate::{Db, Result, StoreError, on_db};
use domain::offers::{ProviderInput, ProviderState};
use domain::tags::{OFFERS as TAG, VOLUNTEERING, provider as provider_tag};
use time::OffsetDateTime;

/// A provider as its page and the back office show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: i64,
    pub slug: String,
    pub input: ProviderInput,
    pub description_html: String,
    pub district: Option<String>,
    pub state: ProviderState,
    pub decline_reason: String,
    /// Its published offers.
    pub offers: i64,
    pub created_at: OffsetDateTime,
    /// Its logo, if it has one (`logos.rs`).
    pub logo: Option<super::logos::LogoHead>,
}

#[derive(sqlx::FromRow)]
struct ProviderRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    description_html: String,
    email: String,
    phone: String,
    website: String,
    district_id: Option<i64>,
    district: Option<String>,
    state: String,
    decline_reason: String,
    offers: i64,
    created_at: OffsetDateTime,
    logo_etag: Option<String>,
    logo_width: Option<i64>,
    logo_height: Option<i64>,
    logo_alt: Option<String>,
}

const PROVIDER_COLUMNS: &str = "v.id, v.slug, v.name, v.description, v.description_html, v.email, v.phone, v.website, \
     v.district_id, d.name AS district, v.state, v.decline_reason, \
     (SELECT COUNT(*) FROM offers o WHERE o.provider_id = v.id AND o.state = 'published') AS offers, v.created_at, \
     l.etag AS logo_etag, l.width AS logo_width, l.height AS logo_height, l.alt AS logo_alt \
     FROM providers v LEFT JOIN districts d ON d.id = v.district_id LEFT JOIN provider_logos l ON l.provider_id = v.id";

fn provider_of(r: ProviderRow) -> Result<Provider> {
    let logo = match (r.logo_etag, r.logo_width, r.logo_height, r.logo_alt) {
        (Some(etag), Some(width), Some(height), Some(alt)) => Some(super::logos::LogoHead {
            etag,
            width,
            height,
            alt,
        }),
        _ => None,
    };
    Ok(Provider {
        id: r.id,
        slug: r.slug,
        input: ProviderInput {
            name: r.name,
            description: r.description,
            email: r.email,
            phone: r.phone,
            website: r.website,
            district_id: r.district_id,
        },
        description_html: r.description_html,
        district: r.district,
        state: ProviderState::parse(&r.state).ok_or_else(|| {
            StoreError::Invalid(format!("provider {}: state {:?}", r.id, r.state))
        })?,
        decline_reason: r.decline_reason,
        offers: r.offers,
        created_at: r.created_at,
        logo,
    })
}

/// The words a provider is found by.
fn search_text(p: &ProviderInput) -> String {
    domain::text::search_document(&[&p.name, &p.description])
}

impl Db {
    /// Signs up a provider (checked by the caller with [`ProviderInput::check`]) for `by`, who
    /// manages it from then on; pending until an admin approves it unless `approved` (an admin
    /// adding one, the demo). Its id and slug. Audited as `provider.create`.
    pub async fn create_provider(
        &self,
        by: Option<i64>,
        v: &ProviderInput,
        description_html: &str,
        approved: bool,
        demo: bool,
    ) -> Result<(i64, String)> {
        let now = OffsetDateTime::now_utc();
        let state = if approved {
            ProviderState::Approved
        } else {
            ProviderState::Pending
        };
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM providers WHERE slug LIKE $1 ESCAPE '\\'")
                .bind(super::slug_pattern(&v.name)).fetch_all(&mut *tx).await?;
            let slug = super::free_slug(&v.name, "anbieter", &taken);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO providers (slug, name, sort_key, description, description_html, email, phone, website, district_id, \
                 state, search_text, created_by, demo, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT id FROM districts WHERE id = $9), $10, $11, $12, $13, $14, $14) RETURNING id",
            )
            .bind(&slug).bind(v.name.trim()).bind(domain::text::sort_key(&v.name)).bind(v.description.trim()).bind(description_html)
            .bind(v.email.trim()).bind(v.phone.trim()).bind(v.website.trim()).bind(v.district_id).bind(state.as_str())
            .bind(search_text(v)).bind(by).bind(demo).bind(now)
            .fetch_one(&mut *tx).await?;
            if let Some(by) = by {
                sqlx::query("INSERT INTO provider_members (provider_id, user_id) VALUES ($1, $2)").bind(id).bind(by).execute(&mut *tx).await?;
                if approved {
                    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'provider') ON CONFLICT DO NOTHING")
                        .bind(by).execute(&mut *tx).await?;
                }
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(by).bind("provider.create").bind("provider").bind(id)
                .bind(None::<String>).bind(v.name.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), provider_tag(id)])]);
            Ok::<_, StoreError>((id, slug))
        })
    }

    /// Saves provider `id` (checked by the caller); `false` when there is none. Its offers' and
    /// roles' search words follow its name. Audited as `provider.update`.
    pub async fn update_provider(
        &self,
        actor: i64,
        id: i64,
        v: &ProviderInput,
        description_html: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT name FROM providers WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(
                "UPDATE providers SET name = $2, sort_key = $3, description = $4, description_html = $5, email = $6, phone = $7, \
                 website = $8, district_id = (SELECT id FROM districts WHERE id = $9), search_text = $10, version = version + 1, \
                 updated_at = $11 WHERE id = $1",
            )
            .bind(id).bind(v.name.trim()).bind(domain::text::sort_key(&v.name)).bind(v.description.trim()).bind(description_html)
            .bind(v.email.trim()).bind(v.phone.trim()).bind(v.website.trim()).bind(v.district_id).bind(search_text(v)).bind(now)
            .execute(&mut *tx).await?;
            if before != v.name.trim() {
                let offers: Vec<i64> = sqlx::query_scalar("SELECT id FROM offers WHERE provider_id = $1")
                    .bind(id).fetch_all(&mut *tx).await?;
                for offer in offers {
                    super::renew_search_text!(tx, offer);
                }
                let roles: Vec<i64> = sqlx::query_scalar("SELECT id FROM volunteer_roles WHERE provider_id = $1")
                    .bind(id).fetch_all(&mut *tx).await?;
                for role in roles {
                    super::volunteering::renew_role_search!(tx, role);
                }
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("provider.update").bind("provider").bind(id)
                .bind(Some(before)).bind(v.name.trim()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), VOLUNTEERING.to_string(), provider_tag(id)])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Approves provider `id` (its people get the `provider` role) or declines it with a
    /// reason; `false` when there is none. Audited as `provider.approve` / `provider.decline`.
    pub async fn decide_provider(
        &self,
        actor: i64,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        let (state, action) = if approve {
            (ProviderState::Approved, "provider.approve")
        } else {
            (ProviderState::Declined, "provider.decline")
        };
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT state FROM providers WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query("UPDATE providers SET state = $2, decline_reason = $3, updated_at = $4 WHERE id = $1")
                .bind(id).bind(state.as_str()).bind(if approve { "" } else { reason.trim() }).bind(now).execute(&mut *tx).await?;
            if approve {
                sqlx::query("INSERT INTO user_roles (user_id, role) SELECT user_id, 'provider' FROM provider_members \
                             WHERE provider_id = $1 ON CONFLICT DO NOTHING")
                    .bind(id).execute(&mut *tx).await?;
            }
            sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind(action).bind("provider").bind(id)
                .bind(Some(before)).bind(state.as_str()).execute(&mut *tx).await?;
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), VOLUNTEERING.to_string(), provider_tag(id)])]);
            Ok::<_, StoreError>(true)
        })
    }

    /// Lets `user` manage provider `id` too (an admin's act); when the provider is approved they
    /// get the `provider` role. `false` when either is missing. Audited as `provider.member`.
    pub async fn add_provider_member(&self, actor: i64, id: i64, user: i64) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let added = sqlx::query(
                "INSERT INTO provider_members (provider_id, user_id) SELECT v.id, u.id FROM providers v, users u \
                 WHERE v.id = $1 AND u.id = $2 ON CONFLICT DO NOTHING",
            ).bind(id).bind(user).execute(&mut *tx).await?.rows_affected();
            let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM provider_members WHERE provider_id = $1 AND user_id = $2)")
                .bind(id).bind(user).fetch_one(&mut *tx).await?;
            if !exists {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query("INSERT INTO user_roles (user_id, role) SELECT $2, 'provider' FROM providers WHERE id = $1 AND state = 'approved' \
                         ON CONFLICT DO NOTHING")
                .bind(id).bind(user).execute(&mut *tx).await?;
            if added > 0 {
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(Some(actor)).bind("provider.member").bind("provider").bind(id)
                    .bind(None::<String>).bind(user.to_string()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    /// Provider `id`, whatever its state (the back office).
    pub async fn provider_by_id(&self, id: i64) -> Result<Option<Provider>> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} WHERE v.id = $1");
        let row: Option<ProviderRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        row.map(provider_of).transpose()
    }

    /// The approved provider with address `slug` (the public page).
    pub async fn public_provider(&self, slug: &str) -> Result<Option<Provider>> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} WHERE v.slug = $1 AND v.state = 'approved'");
        let row: Option<ProviderRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slug).fetch_optional(p).await?);
        row.map(provider_of).transpose()
    }

    /// Approved providers by name; a page of `per_page` and the total.
    pub async fn public_providers(&self, page: i64, per_page: i64) -> Result<(Vec<Provider>, i64)> {
        self.providers_in(Some(ProviderState::Approved), page, per_page)
            .await
    }

    /// Providers in `state` (`None`: all), pending first then by name; a page and the total.
    pub async fn providers_in(
        &self,
        state: Option<ProviderState>,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Provider>, i64)> {
        let sql = format!(
            "SELECT {PROVIDER_COLUMNS} WHERE ($1 IS NULL OR v.state = $1) \
             ORDER BY CASE v.state WHEN 'pending' THEN 0 ELSE 1 END, v.sort_key, v.id LIMIT $2 OFFSET $3"
        );
        let state = state.map(ProviderState::as_str);
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total): (Vec<ProviderRow>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(state).bind(per_page).bind(offset).fetch_all(p).await?;
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM providers WHERE ($1 IS NULL OR state = $1)")
                .bind(state).fetch_one(p).await?;
            (rows, total)
        });
        Ok((
            rows.into_iter().map(provider_of).collect::<Result<_>>()?,
            total,
        ))
    }

    /// The providers `user` manages, by name.
    pub async fn providers_of(&self, user: i64) -> Result<Vec<Provider>> {
        let sql = format!(
            "SELECT {PROVIDER_COLUMNS} WHERE v.id IN (SELECT provider_id FROM provider_members WHERE user_id = $1) \
             ORDER BY v.sort_key, v.id"
        );
        let rows: Vec<ProviderRow> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user).fetch_all(p).await?);
        rows.into_iter().map(provider_of).collect()
    }

    /// The people who manage provider `id` (id, e-mail address, display name), by address;
    /// locked accounts and deleted ones (no address) left out.
    pub async fn provider_people(&self, id: i64) -> Result<Vec<(i64, String, String)>> {
        Ok(on_db!(self, p => sqlx::query_as(
            "SELECT u.id, u.email, u.display_name FROM provider_members m JOIN users u ON u.id = m.user_id \
             WHERE m.provider_id = $1 AND NOT u.locked AND u.email <> '' ORDER BY u.email"
        ).bind(id).fetch_all(p).await?))
    }

    /// Whether `user` manages provider `id`.
    pub async fn manages_provider(&self, user: i64, id: i64) -> Result<bool> {
        Ok(on_db!(self, p => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM provider_members WHERE provider_id = $1 AND user_id = $2)"
        ).bind(id).bind(user).fetch_one(p).await?))
    }
}
