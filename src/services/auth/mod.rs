//! Admin authentication: argon2id passwords, short-lived JWT access tokens, rotating refresh
//! tokens stored hashed (reuse of a rotated one revokes the whole login), per-account lockout and
//! per-client-IP throttling. Every attempt is audited.

mod admins;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    ServiceError, ServiceResult,
    attempts::AttemptCounter,
    audit::{self, Actor, AuditEntry, RequestOrigin},
    clock::Clock,
    passwords::{PasswordWork, check_password_policy, hash_password},
};
use crate::domain::{
    email::EmailAddress,
    mode::PaymentMode,
    role::Role,
    secrets::{REFRESH_TOKEN_PREFIX, new_id, new_secret, secret_hash},
};
use crate::persistence::admin::{self as repo, AdminUserRow, SessionRow};

/// Settings of admin authentication.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub jwt_secret: SecretString,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Failed passwords in a row before the account locks.
    pub max_failed_logins: i32,
    pub lockout: Duration,
    /// Failed logins from one client IP within `ip_window` before it is throttled.
    pub ip_max_failures: u64,
    pub ip_window: Duration,
}

const ISSUER: &str = "gpubroker";
const AUDIENCE: &str = "gpubroker-admin";
const ACCESS_TYPE: &str = "access";

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    email: String,
    role: String,
    /// Login family: revoking it (logout, reuse) kills its access tokens too.
    sid: String,
    typ: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    jti: String,
}

/// An authenticated admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub family_id: String,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id.clone(),
            email: self.email.clone(),
        }
    }

    /// PERMISSION_DENIED unless the role includes `required`.
    pub fn require(&self, required: Role) -> ServiceResult<()> {
        if self.role.allows(required) {
            Ok(())
        } else {
            Err(ServiceError::PermissionDenied(format!(
                "requires the {} role; you are {}",
                required.as_str(),
                self.role.as_str()
            )))
        }
    }
}

/// Tokens issued by a login or refresh.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub user: AdminUserRow,
}

#[derive(Clone)]
pub struct Auth {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: AuthSettings,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Verifies a hash when the email is unknown, so timing does not reveal accounts.
    dummy_hash: String,
    attempts: Arc<dyn AttemptCounter>,
    passwords: PasswordWork,
}

/// Counter scopes of failed logins.
const IP_SCOPE: &str = "login-ip";
const ACCOUNT_SCOPE: &str = "login-account";

/// What a login attempt came to before anything is written.
enum Verdict {
    Refused(ServiceError, &'static str),
    Verified(AdminUserRow),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").finish_non_exhaustive()
    }
}

fn unauthenticated(message: &str) -> ServiceError {
    ServiceError::Unauthenticated(message.to_owned())
}

impl Auth {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        attempts: Arc<dyn AttemptCounter>,
        passwords: PasswordWork,
        settings: AuthSettings,
    ) -> ServiceResult<Self> {
        let secret = settings.jwt_secret.expose_secret().as_bytes().to_vec();
        Ok(Self {
            db,
            clock,
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            dummy_hash: hash_password("not-a-real-password-for-timing")?,
            attempts,
            passwords,
            settings,
        })
    }

    /// Logs in with email and password. Each attempt takes its place in the address's and the
    /// account's failure counts *before* the password is checked (atomic counters), so parallel
    /// guesses cannot slip past the throttle or the lockout; a success gives the place back. The
    /// password check runs outside any transaction, a bounded number at a time.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        origin: &RequestOrigin,
    ) -> ServiceResult<Tokens> {
        let now = self.clock.now();
        let email = EmailAddress::parse(email)
            .map_err(|e| ServiceError::invalid("email", e.to_string()))?;
        if password.is_empty() {
            return Err(ServiceError::invalid("password", "is required"));
        }
        let user = repo::user_by_email(&self.db, email.as_str())
            .await?
            .filter(|u| u.active);
        let actor = Actor {
            user_id: user.as_ref().map(|u| u.id.clone()).unwrap_or_default(),
            email: email.to_string(),
        };
        let verdict = self.decide(user, &email, password, origin, now).await?;
        let txn = self.db.begin().await?;
        let (result, outcome) = match verdict {
            Verdict::Refused(error, "bad_password") => {
                let locked = repo::record_failure(
                    &txn,
                    &actor.user_id,
                    self.settings.max_failed_logins,
                    now + self.settings.lockout,
                )
                .await?;
                let outcome = if locked {
                    "bad_password_locked"
                } else {
                    "bad_password"
                };
                (Err(error), outcome)
            }
            Verdict::Refused(error, outcome) => (Err(error), outcome),
            Verdict::Verified(user) => {
                repo::record_success(&txn, &user.id, now).await?;
                let tokens = self.issue(&txn, &user, &new_id("fam_"), now).await?;
                (Ok(tokens), "ok")
            }
        };
        self.audit_login(&txn, &actor, origin, result.is_ok(), outcome)
            .await?;
        txn.commit().await?;
        if result.is_ok() {
            // A success is no failure: it gives back its place in both counts.
            self.attempts
                .add(
                    IP_SCOPE,
                    &origin.client_ip,
                    self.settings.ip_window,
                    now,
                    -1,
                )
                .await?;
            self.attempts.clear(ACCOUNT_SCOPE, email.as_str()).await?;
        }
        result
    }

    /// Decides one attempt: throttled, locked, wrong password or verified. Unknown accounts answer
    /// exactly like real ones, lockout and timing included.
    async fn decide(
        &self,
        user: Option<AdminUserRow>,
        email: &EmailAddress,
        password: &str,
        origin: &RequestOrigin,
        now: DateTime<Utc>,
    ) -> ServiceResult<Verdict> {
        let from_ip = self
            .attempts
            .add(IP_SCOPE, &origin.client_ip, self.settings.ip_window, now, 1)
            .await?;
        if from_ip > i64::try_from(self.settings.ip_max_failures).unwrap_or(i64::MAX) {
            let error = ServiceError::ResourceExhausted {
                message: "too many failed logins from this address; try again later".into(),
                retry_after_secs: self.settings.ip_window.num_seconds().unsigned_abs(),
            };
            return Ok(Verdict::Refused(error, "ip_throttled"));
        }
        let locked = ServiceError::ResourceExhausted {
            message: "too many failed logins for this account; try again later".into(),
            retry_after_secs: self.settings.lockout.num_seconds().unsigned_abs(),
        };
        let for_account = self
            .attempts
            .add(ACCOUNT_SCOPE, email.as_str(), self.settings.lockout, now, 1)
            .await?;
        if for_account > i64::from(self.settings.max_failed_logins)
            || user
                .as_ref()
                .is_some_and(|u| u.locked_until.is_some_and(|until| until > now))
        {
            return Ok(Verdict::Refused(locked, "locked"));
        }
        let wrong = || unauthenticated("invalid email or password");
        let Some(user) = user else {
            self.passwords.verify(password, &self.dummy_hash).await?;
            return Ok(Verdict::Refused(wrong(), "unknown_account"));
        };
        if self.passwords.verify(password, &user.password_hash).await? {
            Ok(Verdict::Verified(user))
        } else {
            Ok(Verdict::Refused(wrong(), "bad_password"))
        }
    }

    async fn audit_login(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        origin: &RequestOrigin,
        success: bool,
        outcome: &str,
    ) -> ServiceResult<()> {
        audit::record(
            txn,
            self.clock.now(),
            origin,
            AuditEntry {
                actor,
                action: "auth.login",
                resource_type: "admin_user",
                resource_id: &actor.email,
                success,
                details: json!({"outcome": outcome}),
            },
        )
        .await?;
        Ok(())
    }

    /// A new refresh session in `family` and an access token bound to it.
    async fn issue<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        user: &AdminUserRow,
        family_id: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<Tokens> {
        let refresh_token = new_secret(REFRESH_TOKEN_PREFIX);
        repo::insert_session(
            conn,
            SessionRow {
                id: new_id("ses_"),
                family_id: family_id.to_owned(),
                user_id: user.id.clone(),
                refresh_token_hash: secret_hash(&refresh_token),
                expires_at: now + self.settings.refresh_ttl,
                revoked_at: None,
                replaced_by: None,
                created_at: now,
            },
        )
        .await?;
        let claims = AccessClaims {
            sub: user.id.clone(),
            email: user.email.clone(),
            role: user.role.clone(),
            sid: family_id.to_owned(),
            typ: ACCESS_TYPE.to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: (now + self.settings.access_ttl).timestamp(),
            jti: new_id("jti_"),
        };
        let access_token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
                .map_err(|e| ServiceError::Internal(format!("cannot sign token: {e}")))?;
        Ok(Tokens {
            access_token,
            refresh_token,
            access_ttl: self.settings.access_ttl,
            refresh_ttl: self.settings.refresh_ttl,
            user: user.clone(),
        })
    }

    /// Exchanges a refresh token for new tokens; the old refresh token stops working. Presenting
    /// an already-rotated token means it was stolen or replayed: the whole login is revoked.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        origin: &RequestOrigin,
    ) -> ServiceResult<Tokens> {
        let now = self.clock.now();
        if refresh_token.trim().is_empty() {
            return Err(ServiceError::invalid("refresh_token", "is required"));
        }
        let session = repo::session_by_token_hash(&self.db, &secret_hash(refresh_token.trim()))
            .await?
            .ok_or_else(|| unauthenticated("invalid refresh token"))?;
        if session.replaced_by.is_some() {
            let txn = self.db.begin().await?;
            repo::revoke_family(&txn, &session.family_id, now).await?;
            audit::record(
                &txn,
                now,
                origin,
                AuditEntry {
                    actor: &Actor {
                        user_id: session.user_id.clone(),
                        email: String::new(),
                    },
                    action: "auth.refresh_reuse",
                    resource_type: "admin_session",
                    resource_id: &session.family_id,
                    success: false,
                    details: json!({"session_id": session.id}),
                },
            )
            .await?;
            txn.commit().await?;
            return Err(unauthenticated(
                "refresh token was already used; the session is revoked",
            ));
        }
        if session.revoked_at.is_some() || session.expires_at <= now {
            return Err(unauthenticated("refresh token expired or revoked"));
        }
        let user = repo::user_by_id(&self.db, &session.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| unauthenticated("account disabled"))?;
        let txn = self.db.begin().await?;
        let tokens = self.issue(&txn, &user, &session.family_id, now).await?;
        let next_id = repo::session_by_token_hash(&txn, &secret_hash(&tokens.refresh_token))
            .await?
            .map(|s| s.id)
            .unwrap_or_default();
        if !repo::mark_rotated(&txn, &session.id, &next_id, now).await? {
            // Lost a race with another refresh of the same token: treat as reuse.
            txn.rollback().await.ok();
            repo::revoke_family(&self.db, &session.family_id, now).await?;
            return Err(unauthenticated(
                "refresh token was already used; the session is revoked",
            ));
        }
        txn.commit().await?;
        Ok(tokens)
    }

    /// Ends the login the refresh token belongs to (its access tokens stop working too).
    pub async fn logout(&self, refresh_token: &str) -> ServiceResult<()> {
        if let Some(session) =
            repo::session_by_token_hash(&self.db, &secret_hash(refresh_token.trim())).await?
        {
            repo::revoke_family(&self.db, &session.family_id, self.clock.now()).await?;
        }
        Ok(())
    }

    /// Verifies an access token: signature (HS256 only), issuer, audience, expiry, type, and
    /// that its login has not been revoked.
    pub async fn authenticate(&self, token: &str) -> ServiceResult<Principal> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked below against the service clock (the one that issued the token).
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map_err(|e| ServiceError::Unauthenticated(format!("invalid access token: {e}")))?
            .claims;
        if claims.exp <= self.clock.now().timestamp() {
            return Err(unauthenticated("access token expired"));
        }
        if claims.typ != ACCESS_TYPE {
            return Err(unauthenticated("not an access token"));
        }
        if !repo::family_is_live(&self.db, &claims.sid, self.clock.now()).await? {
            return Err(unauthenticated("session revoked or expired"));
        }
        // The account is read on every call: a deactivated admin's tokens stop at once, and the
        // role is the account's current one, not the one the token was issued with.
        let user = repo::user_by_id(&self.db, &claims.sub)
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| unauthenticated("account disabled"))?;
        let role = Role::parse(&user.role).ok_or_else(|| unauthenticated("unknown role"))?;
        Ok(Principal {
            user_id: claims.sub,
            email: claims.email,
            role,
            family_id: claims.sid,
        })
    }
}
