//! Applications to volunteering roles: a person applies with a message (a guest confirms the
//! address first), the provider accepts or declines with a reason, the person may withdraw.
//! A role never accepts more people than it needs: accepting takes a place by `UPDATE
//! volunteer_roles SET accepted = accepted + 1 WHERE … accepted < needed`, as requests take
//! theirs; withdrawing an accepted application gives it back. Mails go out in the transaction
//! of the change, built by the caller.

use crate::comments::{Limit, count_hits};
use crate::mail::{Outgoing, enqueue_in};
use crate::offers::requests::{Notice, Refusal};
use crate::{Db, Result, StoreError, on_db};
use domain::offers::requests::RequestState;
use domain::offers::volunteering::ApplicationInput;
use time::OffsetDateTime;

/// An application as both sides and the mails see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub role_id: i64,
    pub role_slug: String,
    pub role_title: String,
    pub provider_id: i64,
    pub provider_name: String,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub lang: String,
    pub message: String,
    /// One of unconfirmed, open, accepted, declined, withdrawn, expired.
    pub state: RequestState,
    /// The provider's reason for declining.
    pub note: String,
    pub created_at: OffsetDateTime,
}

/// Builds the mails of a notice about an application (`Notice::Proposed` and
/// `ProposalAccepted` never happen to one).
pub type Mailer<'a> = &'a (dyn Fn(&Application, Notice) -> Vec<Outgoing> + Sync);

/// A new application, checked by `ApplicationInput::check` before.
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    pub role_id: i64,
    pub user_id: Option<i64>,
    pub input: &'a ApplicationInput,
    pub address_confirmed: bool,
    pub lang: &'a str,
    pub limits: &'a [Limit],
}

const COLUMNS: &str = "a.id, a.role_id, r.slug AS role_slug, r.title AS role_title, r.provider_id, v.name AS provider_name, \
     a.user_id, a.name, a.email, a.phone, a.lang, a.message, a.state, a.note, a.created_at \
     FROM volunteer_applications a JOIN volunteer_roles r ON r.id = a.role_id JOIN providers v ON v.id = r.provider_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    role_id: i64,
    role_slug: String,
    role_title: String,
    provider_id: i64,
    provider_name: String,
    user_id: Option<i64>,
    name: String,
    email: String,
    phone: String,
    lang: String,
    message: String,
    state: String,
    note: String,
    created_at: OffsetDateTime,
}

fn application_of(r: Row) -> Result<Application> {
    Ok(Application {
        state: RequestState::parse(&r.state).ok_or_else(|| {
            StoreError::Invalid(format!("application {}: state {:?}", r.id, r.state))
        })?,
        id: r.id,
        role_id: r.role_id,
        role_slug: r.role_slug,
        role_title: r.role_title,
        provider_id: r.provider_id,
        provider_name: r.provider_name,
        user_id: r.user_id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        lang: r.lang,
        message: r.message,
        note: r.note,
        created_at: r.created_at,
    })
}

macro_rules! application_in {
    ($tx:ident, $id:expr) => {{
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE a.id = $1"
        )))
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?;
        row.map(application_of).transpose()?
    }};
}

/// The cache event of a change of a role's places (its page shows how many are still needed).
fn places_event(role_id: i64) -> crate::events::NewEvent {
    crate::events::cache_event([domain::tags::role(role_id)])
}

/// What a change did to the role's places.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Places {
    Same,
    Took,
    GaveBack,
}

impl Db {
    /// Files an application to a public role. Refused with nothing written: no such public
    /// role, a second active application of the address, a limit reached.
    pub async fn apply(
        &self,
        a: &NewApplication<'_>,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Application, Refusal>> {
        let now = OffsetDateTime::now_utc();
        let i = a.input;
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let public: Option<i64> = sqlx::query_scalar(
                "SELECT r.id FROM volunteer_roles r JOIN providers v ON v.id = r.provider_id \
                 WHERE r.id = $1 AND r.state = 'open' AND v.state = 'approved'",
            )
            .bind(a.role_id).fetch_optional(&mut *tx).await?;
            if public.is_none() {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            }
            if let Some(until) = count_hits!(tx, a.limits, now) {
                tx.rollback().await?;
                return Ok(Err(Refusal::RateLimited(until)));
            }
            let state = if a.address_confirmed { RequestState::Open } else { RequestState::Unconfirmed };
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO volunteer_applications (role_id, user_id, name, email, phone, lang, message, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(a.role_id).bind(a.user_id).bind(i.name.trim()).bind(&i.email).bind(i.phone.trim())
            .bind(if a.lang == "en" { "en" } else { "de" }).bind(i.message.trim()).bind(state.as_str()).bind(now)
            .fetch_optional(&mut *tx).await?;
            let Some(id) = id else {
                tx.rollback().await?;
                return Ok(Err(Refusal::Twice));
            };
            let Some(app): Option<Application> = application_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the application vanished"));
            };
            let notice = if a.address_confirmed { Notice::Sent } else { Notice::ConfirmAddress };
            for m in mail(&app, notice) {
                enqueue_in!(tx, m, now);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(Ok(app))
        })
    }

    /// Moves application `id` from `from` (one of them) to `to`, with `note`, taking or giving
    /// back a place of its role; `Refusal::Full` when accepting finds every place taken,
    /// `Unchanged` when it is not in `from`. The caller checks who may do it.
    async fn move_application(
        &self,
        id: i64,
        from: &[RequestState],
        to: RequestState,
        note: Option<&str>,
        notice: Notice,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Application, Refusal>> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let Some(app): Option<Application> = application_in!(tx, id) else {
                tx.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            if !from.contains(&app.state) {
                tx.rollback().await?;
                return Ok(Err(Refusal::Unchanged));
            }
            let places = match (app.state, to) {
                (_, RequestState::Accepted) => Places::Took,
                (RequestState::Accepted, _) => Places::GaveBack,
                _ => Places::Same,
            };
            if places == Places::Took {
                let took: Option<i64> = sqlx::query_scalar(
                    "UPDATE volunteer_roles SET accepted = accepted + 1 WHERE id = $1 AND accepted < needed RETURNING accepted",
                )
                .bind(app.role_id).fetch_optional(&mut *tx).await?;
                if took.is_none() {
                    tx.rollback().await?;
                    return Ok(Err(Refusal::Full { free: 0 }));
                }
            } else if places == Places::GaveBack {
                sqlx::query("UPDATE volunteer_roles SET accepted = accepted - 1 WHERE id = $1 AND accepted > 0")
                    .bind(app.role_id).execute(&mut *tx).await?;
            }
            let done = sqlx::query(
                "UPDATE volunteer_applications SET state = $3, note = COALESCE($4, note), updated_at = $5 WHERE id = $1 AND state = $2",
            )
            .bind(id).bind(app.state.as_str()).bind(to.as_str()).bind(note).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                tx.rollback().await?;
                return Ok(Err(Refusal::Unchanged));
            }
            let Some(app): Option<Application> = application_in!(tx, id) else {
                tx.rollback().await?;
                return Err(StoreError::Conflict("the application vanished"));
            };
            for m in mail(&app, notice) {
                enqueue_in!(tx, m, now);
            }
            if places == Places::Same {
                tx.commit().await?;
            } else {
                crate::commit_with_events!(self, p, tx, [places_event(app.role_id)]);
            }
            Ok::<_, StoreError>(Ok(app))
        })
    }

    /// A guest confirms the address: the application goes to the provider.
    pub async fn confirm_application(
        &self,
        id: i64,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Application, Refusal>> {
        self.move_application(
            id,
            &[RequestState::Unconfirmed],
            RequestState::Open,
            None,
            Notice::Sent,
            mail,
        )
        .await
    }

    /// The provider accepts an open application (`Full` when the role has all it needs) or
    /// declines it with a reason.
    pub async fn decide_application(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Application, Refusal>> {
        if accept {
            self.move_application(
                id,
                &[RequestState::Open],
                RequestState::Accepted,
                None,
                Notice::Accepted,
                mail,
            )
            .await
        } else {
            self.move_application(
                id,
                &[RequestState::Open],
                RequestState::Declined,
                Some(reason.trim()),
                Notice::Declined,
                mail,
            )
            .await
        }
    }

    /// The person withdraws an active application (an accepted one gives its place back).
    pub async fn withdraw_application(
        &self,
        id: i64,
        mail: Mailer<'_>,
    ) -> Result<std::result::Result<Application, Refusal>> {
        self.move_application(
            id,
            &[
                RequestState::Unconfirmed,
                RequestState::Open,
                RequestState::Accepted,
            ],
            RequestState::Withdrawn,
            None,
            Notice::Withdrawn,
            mail,
        )
        .await
    }

    /// An application by its number.
    pub async fn application(&self, id: i64) -> Result<Option<Application>> {
        let sql = format!("SELECT {COLUMNS} WHERE a.id = $1");
        let row: Option<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        row.map(application_of).transpose()
    }

    /// The confirmed applications to role `role_id`, open ones first, oldest first (at most
    /// 500).
    pub async fn applications_of_role(&self, role_id: i64) -> Result<Vec<Application>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE a.role_id = $1 AND a.state <> 'unconfirmed' \
             ORDER BY CASE a.state WHEN 'open' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END, a.id LIMIT 500"
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(role_id).fetch_all(p).await?);
        rows.into_iter().map(application_of).collect()
    }

    /// The applications of account `user_id`, newest first (at most 200).
    pub async fn applications_of_user(&self, user_id: i64) -> Result<Vec<Application>> {
        let sql = format!("SELECT {COLUMNS} WHERE a.user_id = $1 ORDER BY a.id DESC LIMIT 200");
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(p).await?);
        rows.into_iter().map(application_of).collect()
    }

    /// Guests' applications not confirmed within `requests::CONFIRM_VALID` expire.
    pub async fn expire_applications(&self, now: OffsetDateTime) -> Result<u64> {
        let before = now - domain::offers::requests::CONFIRM_VALID;
        Ok(on_db!(self, p => sqlx::query(
            "UPDATE volunteer_applications SET state = 'expired', updated_at = $2 WHERE state = 'unconfirmed' AND created_at < $1",
        )
        .bind(before).bind(now).execute(p).await?.rows_affected()))
    }
}
