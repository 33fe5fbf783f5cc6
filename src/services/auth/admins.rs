//! Admin accounts and the super admin's switches: create and deactivate admins, read the audit
//! log, switch the payment mode. Every change is audited.

use super::*;
use crate::services::{attempts::Quota, audit::AdminAction};

/// Mode switches allowed per hour (the contract's bound: a live/sandbox flip is rare and
/// consequential).
const SWITCHES: Quota = Quota {
    scope: "mode_switch",
    limit: 5,
    window: Duration::hours(1),
};

impl Auth {
    /// Creates an admin user. `actor` is `None` only for the bootstrap command.
    pub async fn create_user(
        &self,
        actor: Option<&Principal>,
        email: &str,
        name: &str,
        password: &str,
        role: Role,
        origin: &RequestOrigin,
    ) -> ServiceResult<AdminUserRow> {
        if let Some(actor) = actor {
            actor.require(Role::SuperAdmin)?;
        }
        let email = EmailAddress::parse(email)
            .map_err(|e| ServiceError::invalid("email", e.to_string()))?;
        check_password_policy(password)?;
        let name = name.trim().chars().take(200).collect::<String>();
        let password_hash = self.passwords.hash(password).await?;
        let now = self.clock.now();
        let row = AdminUserRow {
            id: new_id("adm_"),
            email: email.to_string(),
            name,
            role: role.as_str().to_owned(),
            password_hash,
            active: true,
            failed_attempts: 0,
            locked_until: None,
            created_at: now,
            last_login_at: None,
        };
        let txn = self.db.begin().await?;
        if repo::user_by_email(&txn, email.as_str()).await?.is_some() {
            return Err(ServiceError::AlreadyExists(format!(
                "admin user {email} already exists"
            )));
        }
        if let Err(error) = repo::insert_user(&txn, row.clone()).await {
            return Err(match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                    ServiceError::AlreadyExists(format!("admin user {email} already exists"))
                }
                _ => error.into(),
            });
        }
        let actor = actor.map(Principal::actor).unwrap_or(Actor {
            user_id: "bootstrap".into(),
            email: "cli".into(),
        });
        audit::record(
            &txn,
            now,
            origin,
            AuditEntry {
                actor: &actor,
                action: "admin_user.create",
                resource_type: "admin_user",
                resource_id: &row.id,
                success: true,
                details: json!({"email": row.email, "role": row.role}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Deactivates an admin account (super_admin; audited): its sessions are revoked, so its
    /// access and refresh tokens stop working at once. Nobody deactivates themself (a deployment
    /// must never lose its last super admin by a slip). Deactivating an inactive account returns
    /// it unchanged.
    pub async fn deactivate_user(
        &self,
        actor: &Principal,
        user_id: &str,
        reason: &str,
        origin: &RequestOrigin,
    ) -> ServiceResult<AdminUserRow> {
        actor.require(Role::SuperAdmin)?;
        let user_id = user_id.trim();
        if user_id.is_empty() {
            return Err(ServiceError::invalid("user_id", "is required"));
        }
        let reason = reason.trim();
        if reason.chars().count() > 500 {
            return Err(ServiceError::invalid(
                "reason",
                "must be at most 500 characters",
            ));
        }
        if user_id == actor.user_id {
            return Err(ServiceError::FailedPrecondition(
                "you cannot deactivate your own account; ask another super admin".into(),
            ));
        }
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let Some(mut user) = repo::user_by_id(&txn, user_id).await? else {
            return Err(ServiceError::NotFound(format!(
                "admin user {user_id} not found"
            )));
        };
        if !repo::deactivate_user(&txn, user_id).await? {
            txn.rollback().await.ok();
            user.active = false;
            return Ok(user);
        }
        let sessions = repo::revoke_user_sessions(&txn, user_id, now).await?;
        AdminAction {
            actor: actor.actor(),
            origin: origin.clone(),
        }
        .record(
            &txn,
            now,
            "admin_user.deactivate",
            ("admin_user", user_id),
            json!({"email": user.email, "reason": reason, "sessions_revoked": sessions}),
        )
        .await?;
        txn.commit().await?;
        user.active = false;
        Ok(user)
    }

    /// Audit log rows after `cursor`, filtered, with the total that match (super_admin).
    pub async fn audit_log(
        &self,
        actor: &Principal,
        filter: &crate::persistence::audit::AuditFilter,
        cursor: Option<i64>,
        newest_first: bool,
        limit: u64,
    ) -> ServiceResult<(Vec<crate::persistence::audit::AuditRow>, u64)> {
        actor.require(Role::SuperAdmin)?;
        Ok(crate::persistence::audit::list(&self.db, filter, cursor, newest_first, limit).await?)
    }

    /// Re-checks the whole audit hash chain (super_admin).
    pub async fn verify_audit_log(
        &self,
        actor: &Principal,
    ) -> ServiceResult<crate::services::audit::Verification> {
        actor.require(Role::SuperAdmin)?;
        crate::services::audit::verify(&self.db).await
    }

    /// Switches the payment mode (super_admin; audited); returns the mode before and when.
    pub async fn switch_mode(
        &self,
        actor: &Principal,
        target: PaymentMode,
        default: PaymentMode,
        reason: &str,
        origin: &RequestOrigin,
    ) -> ServiceResult<(PaymentMode, DateTime<Utc>)> {
        actor.require(Role::SuperAdmin)?;
        let reason = reason.trim();
        if reason.chars().count() > 500 {
            return Err(ServiceError::invalid(
                "reason",
                "must be at most 500 characters",
            ));
        }
        let now = self.clock.now();
        let current = crate::services::mode::current(&self.db, default).await?;
        if current == target {
            // The contract: switching to the mode in force returns it unchanged.
            return Ok((current, now));
        }
        SWITCHES
            .take(self.attempts.as_ref(), "payment_mode", now, || {
                format!(
                    "the payment mode was switched {} times this hour; try again later",
                    SWITCHES.limit
                )
            })
            .await?;
        let txn = self.db.begin().await?;
        let previous = crate::services::mode::current(&txn, default).await?;
        crate::services::mode::set(&txn, target, now).await?;
        AdminAction {
            actor: actor.actor(),
            origin: origin.clone(),
        }
        .record(
            &txn,
            now,
            "mode.switch",
            ("settings", "payment_mode"),
            json!({"from": previous.as_str(), "to": target.as_str(), "reason": reason}),
        )
        .await?;
        txn.commit().await?;
        Ok((previous, now))
    }
}
