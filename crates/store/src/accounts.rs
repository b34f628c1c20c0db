//! People, roles, sessions, one-time tokens and rate-limit buckets. Secrets are never stored:
//! sessions and tokens are kept as SHA-256 hashes computed by the caller.

use crate::{Db, Result, on_db};
use domain::accounts::Role;
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub email_confirmed_at: Option<OffsetDateTime>,
    pub locked: bool,
    pub created_at: OffsetDateTime,
}

const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, email_confirmed_at, locked, created_at";

/// A signed-in person, as the session extractor sees them.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub roles: Vec<Role>,
    pub csrf_token: String,
    pub session_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    SetPassword,
    ConfirmEmail,
    ResetPassword,
    ChangeEmail,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SetPassword => "set_password",
            TokenPurpose::ConfirmEmail => "confirm_email",
            TokenPurpose::ResetPassword => "reset_password",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }
}

/// Why a one-time token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Used,
    Expired,
}

/// What confirming a change of e-mail address did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailChange {
    /// The address was swapped; the other sessions of the person ended.
    Changed {
        user_id: i64,
        old: String,
        new: String,
    },
    /// The link cannot be used (nothing changed).
    Token(TokenProblem),
    /// Another account took the new address after the link was sent (nothing changed).
    Taken,
}

impl Db {
    /// Registers a citizen: the account (unconfirmed), the confirmation token and the mail with
    /// the link are committed together, or not at all.
    pub async fn register_user(
        &self,
        email: &str,
        display_name: &str,
        password_hash: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
        mail: &crate::mail::Outgoing,
    ) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let id = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, display_name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id"
            ).bind(email).bind(display_name).bind(password_hash).bind(now).fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'citizen')").bind(id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, 'confirm_email', $3, $4)")
                .bind(token_hash).bind(id).bind(now).bind(expires_at).execute(&mut *tx).await?;
            crate::mail::enqueue_in!(tx, mail, now);
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Creates a one-time token and queues the mail that carries it, in one transaction.
    pub async fn token_with_mail(
        &self,
        user_id: i64,
        purpose: TokenPurpose,
        token_hash: &str,
        expires_at: OffsetDateTime,
        mail: &crate::mail::Outgoing,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash).bind(user_id).bind(purpose.as_str()).bind(now).bind(expires_at).execute(&mut *tx).await?;
            crate::mail::enqueue_in!(tx, mail, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Uses an e-mail confirmation token once; returns the confirmed user's id.
    pub async fn confirm_email(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        let id = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE user_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 AND purpose = 'confirm_email' RETURNING user_id"
            ).bind(token_hash).bind(now).fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                sqlx::query("UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $2), updated_at = $2 WHERE id = $1")
                    .bind(id).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// A request to change the address: earlier unused change links of the person stop working,
    /// the new link (its hash and the new address) is stored, and every mail is queued, all in
    /// one transaction.
    pub async fn request_email_change(
        &self,
        user_id: i64,
        new_email: &str,
        token_hash: Option<&str>,
        expires_at: OffsetDateTime,
        mails: &[crate::mail::Outgoing],
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("DELETE FROM user_tokens WHERE user_id = $1 AND purpose = 'change_email' AND used_at IS NULL")
                .bind(user_id).execute(&mut *tx).await?;
            if let Some(hash) = token_hash {
                sqlx::query("INSERT INTO user_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at) \
                             VALUES ($1, $2, 'change_email', $3, $4, $5)")
                    .bind(hash).bind(user_id).bind(new_email).bind(now).bind(expires_at).execute(&mut *tx).await?;
            }
            for m in mails {
                crate::mail::enqueue_in!(tx, m, now);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The person and the new address of a change link, if it can still be used (without using it).
    pub async fn check_email_change(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Result<(User, String), TokenProblem>> {
        let new: Option<Option<String>> = on_db!(self, p => sqlx::query_scalar(
            "SELECT new_email FROM user_tokens WHERE token_hash = $1 AND purpose = 'change_email'"
        ).bind(token_hash).fetch_optional(p).await?);
        let user = self
            .check_token(token_hash, &[TokenPurpose::ChangeEmail], now)
            .await?;
        Ok(match (user, new.flatten()) {
            (Ok(u), Some(new)) => Ok((u, new)),
            (Ok(_), None) => Err(TokenProblem::Unknown),
            (Err(e), _) => Err(e),
        })
    }

    /// Uses a change link once: the address is swapped (if no other account holds the new one by
    /// now), the link is marked used, every session of the person except `keep_session` ends and
    /// the audit log records the old and new address, all in one transaction.
    pub async fn confirm_email_change(
        &self,
        token_hash: &str,
        keep_session: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<EmailChange> {
        let outcome = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let row: Option<(i64, Option<String>, OffsetDateTime, Option<OffsetDateTime>)> = sqlx::query_as(
                "SELECT user_id, new_email, expires_at, used_at FROM user_tokens WHERE token_hash = $1 AND purpose = 'change_email'"
            ).bind(token_hash).fetch_optional(&mut *tx).await?;
            match row {
                None | Some((_, None, _, _)) => EmailChange::Token(TokenProblem::Unknown),
                Some((_, _, _, Some(_))) => EmailChange::Token(TokenProblem::Used),
                Some((_, _, expires, None)) if expires <= now => EmailChange::Token(TokenProblem::Expired),
                Some((user_id, Some(new), _, None)) => {
                    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND id <> $2")
                        .bind(&new).bind(user_id).fetch_optional(&mut *tx).await?;
                    let old: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL")
                        .bind(user_id).fetch_optional(&mut *tx).await?;
                    match (taken, old) {
                        (Some(_), _) => EmailChange::Taken,
                        (None, None) => EmailChange::Token(TokenProblem::Unknown),
                        (None, Some(old)) => {
                            let used = sqlx::query("UPDATE user_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                                .bind(token_hash).bind(now).execute(&mut *tx).await?.rows_affected();
                            if used == 0 {
                                EmailChange::Token(TokenProblem::Used)
                            } else {
                                let swapped = sqlx::query("UPDATE users SET email = $2, email_confirmed_at = COALESCE(email_confirmed_at, $3), updated_at = $3 WHERE id = $1")
                                    .bind(user_id).bind(&new).bind(now).execute(&mut *tx).await;
                                match swapped {
                                    // Another account took the address between the check and now.
                                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => EmailChange::Taken,
                                    Err(e) => return Err(e.into()),
                                    Ok(_) => {
                                        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                                            .bind(user_id).bind(keep_session.unwrap_or("")).execute(&mut *tx).await?;
                                        sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(user_id).bind("user.email_change")
                                            .bind("user").bind(user_id).bind(&old).bind(&new).execute(&mut *tx).await?;
                                        tx.commit().await?;
                                        EmailChange::Changed { user_id, old, new }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        Ok(outcome)
    }

    /// A new password from the account page: every other session of the person ends.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: &str,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id).bind(password_hash).bind(now).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(user_id).bind(keep_session).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes an account: the address (also former ones in the audit log), name, password,
    /// roles, sessions and tokens go; the row
    /// stays as "gelöschtes Konto" so contributions of later modules keep an author.
    pub async fn delete_account(&self, user_id: i64) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM user_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            // Their newsletter subscription (in the account or by the public form) goes.
            sqlx::query("DELETE FROM newsletter_subscribers WHERE user_id = $1 OR email = (SELECT email FROM users WHERE id = $1)")
                .bind(user_id).execute(&mut *tx).await?;
            // What they followed and were told, and their settings, go with them.
            for sql in crate::notifications::DELETE_PERSONAL {
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
            // The notes of their reports go; the counts they added stay until the next review.
            sqlx::query("DELETE FROM comment_reports WHERE reporter = $1").bind(format!("user:{user_id}")).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM idea_reports WHERE reporter = $1").bind(format!("user:{user_id}")).execute(&mut *tx).await?;
            // Their personal programme goes; their event registrations and questions stay as
            // a guest's would (a registration is run by its link, and its name and address go
            // 30 days after the event), their votes on questions go.
            sqlx::query("DELETE FROM personal_programmes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE programme_registrations SET user_id = NULL WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE session_questions SET user_id = NULL WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM question_votes WHERE voter = $1").bind(format!("user:{user_id}")).execute(&mut *tx).await?;
            // Former addresses in the audit log go too; the entry itself stays.
            sqlx::query("UPDATE audit_log SET before_value = NULL, after_value = NULL WHERE action = 'user.email_change' AND subject_id = $1")
                .bind(user_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE users SET email = 'deleted-' || CAST(id AS TEXT) || '@invalid', display_name = 'gelöschtes Konto', \
                         password_hash = NULL, locked = TRUE, deleted_at = $2, updated_at = $2 WHERE id = $1")
                .bind(user_id).bind(now).execute(&mut *tx).await?;
            // Pages that show the person's display name (change histories) must forget it.
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([domain::tags::person(user_id)])]);
        });
        Ok(())
    }

    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        roles: &[Role],
    ) -> Result<i64> {
        let now = OffsetDateTime::now_utc();
        let id = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, display_name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id"
            ).bind(email).bind(display_name).bind(now).fetch_one(&mut *tx).await?;
            for r in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(r.as_str()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let u = on_db!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?);
        Ok(u)
    }

    pub async fn count_users(&self) -> Result<i64> {
        let n: i64 =
            on_db!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await?);
        Ok(n)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let u = on_db!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(p).await?);
        Ok(u)
    }

    pub async fn users(&self, limit: i64, offset: i64) -> Result<Vec<(User, Vec<Role>)>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email LIMIT $1 OFFSET $2");
        let users: Vec<User> = on_db!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).bind(offset).fetch_all(p).await?);
        let roles: Vec<(i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT r.user_id, r.role FROM user_roles r JOIN (SELECT id FROM users ORDER BY email LIMIT $1 OFFSET $2) u ON u.id = r.user_id ORDER BY r.role"
        ).bind(limit).bind(offset).fetch_all(p).await?);
        Ok(users
            .into_iter()
            .map(|u| {
                let r = roles
                    .iter()
                    .filter(|(id, _)| *id == u.id)
                    .filter_map(|(_, r)| Role::parse(r))
                    .collect();
                (u, r)
            })
            .collect())
    }

    pub async fn roles_of(&self, user_id: i64) -> Result<Vec<Role>> {
        let rows: Vec<String> = on_db!(self, p => sqlx::query_scalar(
            "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role"
        ).bind(user_id).fetch_all(p).await?);
        Ok(rows.iter().filter_map(|r| Role::parse(r)).collect())
    }

    /// Gives and takes roles; the change goes into the audit log with the roles before and after.
    /// `actor`: who did it (`None`: the command line).
    pub async fn set_roles(
        &self,
        actor: Option<i64>,
        user_id: i64,
        add: &[Role],
        remove: &[Role],
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user_id).fetch_all(&mut *tx).await?;
            for r in add {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(user_id).bind(r.as_str()).execute(&mut *tx).await?;
            }
            for r in remove {
                sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
                    .bind(user_id).bind(r.as_str()).execute(&mut *tx).await?;
            }
            let after: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user_id).fetch_all(&mut *tx).await?;
            if before != after {
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind("user.roles").bind("user").bind(user_id)
                    .bind(before.join(",")).bind(after.join(",")).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Locks or unlocks an account; locking also ends all its sessions. Audited.
    pub async fn set_locked(&self, actor: Option<i64>, user_id: i64, locked: bool) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let before: Option<bool> = sqlx::query_scalar("SELECT locked FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *tx).await?;
            if before.is_some_and(|b| b != locked) {
                sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(actor).bind(if locked { "user.lock" } else { "user.unlock" })
                    .bind("user").bind(user_id).bind(before.map(|b| b.to_string())).bind(locked.to_string()).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE users SET locked = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id).bind(locked).bind(OffsetDateTime::now_utc()).execute(&mut *tx).await?;
            if locked {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn create_token(
        &self,
        user_id: i64,
        purpose: TokenPurpose,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        on_db!(self, p => {
            sqlx::query("INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash).bind(user_id).bind(purpose.as_str()).bind(OffsetDateTime::now_utc()).bind(expires_at)
                .execute(p).await?;
        });
        Ok(())
    }

    /// The user a token belongs to, if it can still be used (without using it).
    pub async fn check_token(
        &self,
        token_hash: &str,
        purposes: &[TokenPurpose],
        now: OffsetDateTime,
    ) -> Result<Result<User, TokenProblem>> {
        let row: Option<(i64, String, OffsetDateTime, Option<OffsetDateTime>)> = on_db!(self, p => sqlx::query_as(
            "SELECT user_id, purpose, expires_at, used_at FROM user_tokens WHERE token_hash = $1"
        ).bind(token_hash).fetch_optional(p).await?);
        let Some((user_id, purpose, expires, used)) = row else {
            return Ok(Err(TokenProblem::Unknown));
        };
        if !purposes.iter().any(|p| p.as_str() == purpose) {
            return Ok(Err(TokenProblem::Unknown));
        }
        if used.is_some() {
            return Ok(Err(TokenProblem::Used));
        }
        if expires <= now {
            return Ok(Err(TokenProblem::Expired));
        }
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let user = on_db!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(p).await?);
        Ok(user.ok_or(TokenProblem::Unknown))
    }

    /// Uses a set-password or reset token: stores the new hash, confirms the e-mail address (the
    /// link reached it) and ends all sessions — in one transaction, and only once.
    pub async fn set_password_with_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let done = on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            let user_id: Option<i64> = sqlx::query_scalar(
                "UPDATE user_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 AND purpose IN ('set_password', 'reset_password') RETURNING user_id"
            ).bind(token_hash).bind(now).fetch_optional(&mut *tx).await?;
            match user_id {
                Some(id) => {
                    sqlx::query("UPDATE users SET password_hash = $2, email_confirmed_at = COALESCE(email_confirmed_at, $3), updated_at = $3 WHERE id = $1")
                        .bind(id).bind(password_hash).bind(now).execute(&mut *tx).await?;
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                    tx.commit().await?;
                    true
                }
                None => false,
            }
        });
        Ok(done)
    }

    pub async fn create_session(
        &self,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        on_db!(self, p => {
            sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id_hash).bind(user_id).bind(csrf).bind(OffsetDateTime::now_utc()).bind(expires_at)
                .execute(p).await?;
        });
        Ok(())
    }

    /// The signed-in person of a session, if it is valid, not expired and the account not locked.
    pub async fn session_user(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SessionUser>> {
        // The person and their roles in one query: a row per role (one without a role).
        let sql: &str = "SELECT u.id, u.email, u.display_name, u.password_hash, u.email_confirmed_at, u.locked, u.created_at, s.csrf_token, r.role \
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.locked ORDER BY r.role";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            csrf_token: String,
            role: Option<String>,
        }
        let rows: Vec<Row> =
            on_db!(self, p => sqlx::query_as(sql).bind(id_hash).bind(now).fetch_all(p).await?);
        let roles: Vec<Role> = rows
            .iter()
            .filter_map(|r| r.role.as_deref().and_then(Role::parse))
            .collect();
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        Ok(Some(SessionUser {
            user: row.user,
            roles,
            csrf_token: row.csrf_token,
            session_hash: id_hash.to_string(),
        }))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        on_db!(self, p => {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(p).await?;
        });
        Ok(())
    }

    /// "Log out everywhere": ends every session of a person; returns how many.
    pub async fn delete_sessions_of(&self, user_id: i64) -> Result<u64> {
        let n = on_db!(self, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(p).await?.rows_affected());
        Ok(n)
    }

    /// Counts a hit in a fixed-window bucket; returns the hits in the current window and when the
    /// window ends. The same on every instance, since the bucket lives in the database.
    pub async fn hit_rate_limit(
        &self,
        bucket: &str,
        now: OffsetDateTime,
        window: time::Duration,
    ) -> Result<(i64, OffsetDateTime)> {
        let (hits, start): (i64, OffsetDateTime) = on_db!(self, p => sqlx::query_as(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
             hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
             window_start = CASE WHEN rate_limits.window_start <= $3 THEN excluded.window_start ELSE rate_limits.window_start END \
             RETURNING hits, window_start"
        ).bind(bucket).bind(now).bind(now - window).fetch_one(p).await?);
        Ok((hits, start + window))
    }

    /// The hits of a bucket in its current window, without counting one: (hits, window end).
    /// A bucket that does not exist or whose window has passed has 0.
    pub async fn rate_limit_hits(
        &self,
        bucket: &str,
        now: OffsetDateTime,
        window: time::Duration,
    ) -> Result<(i64, OffsetDateTime)> {
        let row: Option<(i64, OffsetDateTime)> = on_db!(self, p => sqlx::query_as(
            "SELECT hits, window_start FROM rate_limits WHERE bucket = $1 AND window_start > $2"
        ).bind(bucket).bind(now - window).fetch_optional(p).await?);
        Ok(match row {
            Some((hits, start)) => (hits, start + window),
            None => (0, now + window),
        })
    }

    /// A named random secret shared by all instances, created on first use.
    pub async fn site_secret(&self, name: &str, fresh: &str) -> Result<String> {
        let v: String = on_db!(self, p => {
            sqlx::query("INSERT INTO site_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name).bind(fresh).execute(p).await?;
            sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = $1").bind(name).fetch_one(p).await?
        });
        Ok(v)
    }
}

impl Db {
    /// People who may run events (organisers and admins, not locked or deleted), by name: whom
    /// an admin may give an event to. At most 500.
    pub async fn organisers(&self) -> Result<Vec<(i64, String, String)>> {
        let rows: Vec<(i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT DISTINCT u.id, u.display_name, u.email FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role IN ('organiser', 'admin') AND NOT u.locked AND u.deleted_at IS NULL \
             ORDER BY u.display_name, u.id LIMIT 500"
        ).fetch_all(p).await?);
        Ok(rows)
    }
}
