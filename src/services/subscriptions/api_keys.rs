//! Customer API keys after creation: rotation (with the key), revocation (by the customer or an
//! admin) and recovery through a single-use, expiring token emailed to the customer. A key is
//! never emailed and never stored in clear.

use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;

use super::{Subscriptions, validate_text};
use crate::domain::{
    secrets::{API_KEY_PREFIX, KEY_RECOVERY_TOKEN_PREFIX, new_secret, secret_hash},
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::subscriptions as repo;
use crate::services::audit::AdminAction;
use crate::services::{ServiceError, ServiceResult, email::key_recovery_email, events};

/// What a revocation answers.
#[derive(Debug, Clone)]
pub struct Revoked {
    pub subscription_id: String,
    pub revoked_at: DateTime<Utc>,
    /// None for a destroyed subscription (no recovery).
    pub recovery_expires_at: Option<DateTime<Utc>>,
}

impl Subscriptions {
    /// Replaces the API key; the old one stops working at once.
    pub async fn rotate_api_key(&self, api_key: &str) -> ServiceResult<(String, DateTime<Utc>)> {
        let old_hash = secret_hash(api_key.trim());
        let subscription = self.by_api_key(api_key).await?;
        if !subscription.status.is_live() {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription is {}; its key cannot be rotated",
                subscription.status
            )));
        }
        let now = self.clock.now();
        let new_key = new_secret(API_KEY_PREFIX);
        let txn = self.db.begin().await?;
        let replaced = repo::replace_api_key_hash(
            &txn,
            &subscription.id,
            &old_hash,
            &secret_hash(&new_key),
            now,
        )
        .await?;
        if !replaced {
            return Err(ServiceError::Unauthenticated(
                "invalid or revoked API key".into(),
            ));
        }
        events::api_key_rotated(&txn, now, &subscription).await?;
        txn.commit().await?;
        Ok((new_key, now))
    }

    /// Revokes the subscription's API key at once and emails the customer a recovery link (not
    /// for a destroyed subscription: its key just dies); an admin's revocation is audited.
    /// Repeating it sends a new link (the earlier one stops).
    pub async fn revoke_api_key(
        &self,
        subscription: &Subscription,
        reason: &str,
        admin: Option<&AdminAction>,
    ) -> ServiceResult<Revoked> {
        let reason = validate_text("reason", reason, 500)?;
        let now = self.clock.now();
        let recovery = (subscription.status != SubscriptionStatus::Destroyed).then(|| {
            (
                new_secret(KEY_RECOVERY_TOKEN_PREFIX),
                now + self.settings.activation_ttl,
            )
        });
        // The key column keeps a hash, of a secret nobody ever sees: no key matches it.
        let unusable = secret_hash(&new_secret(API_KEY_PREFIX));
        let txn = self.db.begin().await?;
        let revoked = repo::revoke_api_key(
            &txn,
            &subscription.id,
            &unusable,
            recovery
                .as_ref()
                .map(|(token, expires_at)| (secret_hash(token), *expires_at)),
            now,
        )
        .await?;
        if !revoked {
            return Err(ServiceError::NotFound(format!(
                "subscription {} not found",
                subscription.id
            )));
        }
        events::api_key_revoked(&txn, now, subscription, admin.is_some()).await?;
        if let Some(admin) = admin {
            admin
                .record(
                    &txn,
                    now,
                    "subscription.revoke_api_key",
                    ("subscription", &subscription.id),
                    serde_json::json!({"reason": reason}),
                )
                .await?;
        }
        let email_id = match &recovery {
            Some((token, expires_at)) => {
                let link = self.link("recover-key", token);
                let message = key_recovery_email(
                    subscription.email.as_str(),
                    self.display_name(subscription),
                    subscription.language,
                    &link,
                    *expires_at,
                );
                Some(self.emails.enqueue(&txn, &message).await?)
            }
            None => None,
        };
        txn.commit().await?;
        if let Some(id) = email_id {
            self.emails.deliver(&id).await;
        }
        Ok(Revoked {
            subscription_id: subscription.id.clone(),
            revoked_at: now,
            recovery_expires_at: recovery.map(|(_, expires_at)| expires_at),
        })
    }

    /// Spends a recovery token for a new API key (shown once, to the caller).
    pub async fn recover_api_key(
        &self,
        token: &str,
    ) -> ServiceResult<(Subscription, String, DateTime<Utc>)> {
        let token = token.trim();
        if token.is_empty() {
            return Err(ServiceError::invalid("recovery_token", "is required"));
        }
        let hash = secret_hash(token);
        let Some((subscription, expires_at)) =
            repo::find_by_recovery_token_hash(&self.db, &hash).await?
        else {
            return Err(ServiceError::NotFound(
                "recovery token not found (or already used)".into(),
            ));
        };
        if subscription.status == SubscriptionStatus::Destroyed {
            return Err(ServiceError::FailedPrecondition(
                "the subscription is destroyed; it gets no new key".into(),
            ));
        }
        let now = self.clock.now();
        if expires_at.is_none_or(|at| at <= now) {
            return Err(ServiceError::FailedPrecondition(
                "recovery token expired; ask for the key to be revoked again".into(),
            ));
        }
        let api_key = new_secret(API_KEY_PREFIX);
        let txn = self.db.begin().await?;
        if !repo::recover_api_key(&txn, &subscription.id, &hash, &secret_hash(&api_key), now)
            .await?
        {
            return Err(ServiceError::NotFound(
                "recovery token not found (or already used)".into(),
            ));
        }
        events::api_key_rotated(&txn, now, &subscription).await?;
        txn.commit().await?;
        Ok((subscription, api_key, now))
    }
}
