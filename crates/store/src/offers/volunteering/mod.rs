//! Volunteering roles of providers: written by the provider's people, public while open and
//! the provider approved. Their applications are in `applications`.

pub mod applications;

use crate::{Db, Result, StoreError, on_db};
use domain::offers::volunteering::{RoleInput, RoleState};
use time::OffsetDateTime;

/// The texts a role's search words are made of ([`crate::search::role_search`]), after its id;
/// a `WHERE` on `r` follows.
pub(crate) const SEARCH_TEXTS: &str = "SELECT r.id, r.title, v.name, r.when_text, r.requirements, r.description, d.name \
     FROM volunteer_roles r JOIN providers v ON v.id = r.provider_id LEFT JOIN districts d ON d.id = r.district_id";

/// A role's id and texts as [`SEARCH_TEXTS`] reads them: title, provider, when, requirements,
/// description, district.
pub(crate) type SearchTexts = (i64, String, String, String, String, String, Option<String>);

/// Renews the search words of role `$id` from its texts and the names it shows (its provider
/// and district), inside transaction `$tx`.
macro_rules! renew_role_search {
    ($tx:ident, $id:expr) => {{
        let id: i64 = $id;
        let sql = format!(
            "{} WHERE r.id = $1",
            $crate::offers::volunteering::SEARCH_TEXTS
        );
        let texts: Option<$crate::offers::volunteering::SearchTexts> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&mut *$tx)
                .await?;
        if let Some(t) = texts {
            sqlx::query("UPDATE volunteer_roles SET search_text = $2 WHERE id = $1")
                .bind(id)
                .bind($crate::search::role_search(&t))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use renew_role_search;

/// A role as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: i64,
    pub slug: String,
    pub provider_id: i64,
    pub provider_slug: String,
    pub provider_name: String,
    /// Whether the provider is approved (the role is public only then, and while open).
    pub provider_approved: bool,
    pub input: RoleInput,
    pub description_html: String,
    pub district: Option<String>,
    /// Applications accepted so far.
    pub accepted: i64,
    pub updated_at: OffsetDateTime,
}

impl Role {
    /// Whether anybody may see it and apply.
    pub fn is_public(&self) -> bool {
        self.provider_approved && self.input.state == RoleState::Open
    }

    /// People still needed.
    pub fn open_places(&self) -> i64 {
        (self.input.needed - self.accepted).max(0)
    }
}

const COLUMNS: &str = "r.id, r.slug, r.provider_id, v.slug AS provider_slug, v.name AS provider_name, \
     v.state AS provider_state, r.title, r.description, r.description_html, r.when_text, r.needed, r.accepted, \
     r.requirements, r.district_id, d.name AS district, r.state, r.updated_at \
     FROM volunteer_roles r JOIN providers v ON v.id = r.provider_id LEFT JOIN districts d ON d.id = r.district_id";

/// Public: open, by an approved provider.
const PUBLIC: &str = "r.state = 'open' AND v.state = 'approved'";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    slug: String,
    provider_id: i64,
    provider_slug: String,
    provider_name: String,
    provider_state: String,
    title: String,
    description: String,
    description_html: String,
    when_text: String,
    needed: i64,
    accepted: i64,
    requirements: String,
    district_id: Option<i64>,
    district: Option<String>,
    state: String,
    updated_at: OffsetDateTime,
}

fn role_of(r: Row) -> Result<Role> {
    let state = RoleState::parse(&r.state)
        .ok_or_else(|| StoreError::Invalid(format!("role {}: state {:?}", r.id, r.state)))?;
    Ok(Role {
        id: r.id,
        slug: r.slug,
        provider_id: r.provider_id,
        provider_slug: r.provider_slug,
        provider_name: r.provider_name,
        provider_approved: r.provider_state == "approved",
        input: RoleInput {
            title: r.title,
            description: r.description,
            when: r.when_text,
            needed: r.needed,
            requirements: r.requirements,
            district_id: r.district_id,
            state,
        },
        description_html: r.description_html,
        district: r.district,
        accepted: r.accepted,
        updated_at: r.updated_at,
    })
}

/// The cache event of a change of a role: the lists and the role's page.
fn role_event(id: i64) -> crate::events::NewEvent {
    crate::events::cache_event([
        domain::tags::VOLUNTEERING.to_string(),
        domain::tags::role(id),
    ])
}

impl Db {
    /// Adds a role of provider `provider_id`; its id and slug.
    pub async fn create_role(
        &self,
        by: Option<i64>,
        provider_id: i64,
        v: &RoleInput,
        description_html: &str,
        demo: bool,
    ) -> Result<(i64, String)> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM volunteer_roles WHERE slug LIKE $1 ESCAPE '\\'")
                .bind(super::slug_pattern(&v.title)).fetch_all(&mut *tx).await?;
            let slug = super::free_slug(&v.title, "ehrenamt", &taken);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO volunteer_roles (slug, provider_id, title, description, description_html, when_text, needed, \
                 requirements, district_id, state, demo, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT id FROM districts WHERE id = $9), $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(&slug).bind(provider_id).bind(v.title.trim()).bind(v.description.trim()).bind(description_html)
            .bind(v.when.trim()).bind(v.needed).bind(v.requirements.trim()).bind(v.district_id)
            .bind(v.state.as_str()).bind(demo).bind(by).bind(now)
            .fetch_one(&mut *tx).await?;
            renew_role_search!(tx, id);
            crate::commit_with_events!(self, p, tx, [role_event(id)]);
            Ok::<_, StoreError>((id, slug))
        })
    }

    /// Changes role `id` of provider `provider_id` (`false`: no such role of that provider).
    /// Fewer people needed than already accepted is allowed: the role then has no open place.
    pub async fn update_role(
        &self,
        provider_id: i64,
        id: i64,
        v: &RoleInput,
        description_html: &str,
    ) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let n = sqlx::query(
                "UPDATE volunteer_roles SET title = $3, description = $4, description_html = $5, when_text = $6, needed = $7, \
                 requirements = $8, district_id = (SELECT id FROM districts WHERE id = $9), state = $10, updated_at = $11 \
                 WHERE id = $1 AND provider_id = $2",
            )
            .bind(id).bind(provider_id).bind(v.title.trim()).bind(v.description.trim()).bind(description_html)
            .bind(v.when.trim()).bind(v.needed).bind(v.requirements.trim()).bind(v.district_id)
            .bind(v.state.as_str()).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            renew_role_search!(tx, id);
            crate::commit_with_events!(self, p, tx, [role_event(id)]);
            Ok::<_, StoreError>(true)
        })
    }

    /// A role by its number, public or not.
    pub async fn role_by_id(&self, id: i64) -> Result<Option<Role>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(role_of).transpose()
    }

    /// A public role by its slug.
    pub async fn public_role(&self, slug: &str) -> Result<Option<Role>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.slug = $1 AND {PUBLIC}");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(p).await?);
        row.map(role_of).transpose()
    }

    /// The public roles, newest first (of provider `provider` only, if given): a page and the
    /// total.
    pub async fn public_roles(
        &self,
        provider: Option<i64>,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Role>, i64)> {
        let filter = format!("{PUBLIC} AND ($1 IS NULL OR r.provider_id = $1)");
        let sql = format!("SELECT {COLUMNS} WHERE {filter} ORDER BY r.id DESC LIMIT $2 OFFSET $3");
        let count = format!(
            "SELECT COUNT(*) FROM volunteer_roles r JOIN providers v ON v.id = r.provider_id WHERE {filter}"
        );
        let (rows, total): (Vec<Row>, i64) = on_db!(self, p => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(provider).bind(per_page)
                .bind((page.max(1) - 1) * per_page).fetch_all(p).await?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count)).bind(provider).fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows.into_iter().map(role_of).collect::<Result<_>>()?, total))
    }

    /// Every role of provider `provider_id`, whatever its state, newest first (at most 200).
    pub async fn provider_roles(&self, provider_id: i64) -> Result<Vec<Role>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.provider_id = $1 ORDER BY r.id DESC LIMIT 200");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(provider_id).fetch_all(p).await?);
        rows.into_iter().map(role_of).collect()
    }
}
