//! Activation: the single-use token reaches the customer only by email, so activating proves
//! they own the address. Activate (idempotent under races) and send the link again
//! (rate-limited, the earlier link dies).

use chrono::{DateTime, Duration, Utc};
use sea_orm::TransactionTrait;

use super::Subscriptions;
use crate::domain::{
    secrets::{ACTIVATION_TOKEN_PREFIX, new_secret, secret_hash},
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::subscriptions as repo;
use crate::services::attempts::Quota;
use crate::services::{
    ServiceError, ServiceResult,
    email::{OutgoingEmail, activation_email},
};

/// How many activation links one subscription may ask for again per hour.
const RESEND: Quota = Quota {
    scope: "activation_resend",
    limit: 3,
    window: Duration::hours(1),
};

/// Who asks for the link again: the customer's API key, or an activation token once emailed.
#[derive(Debug, Clone, Copy)]
pub enum ResendBy<'a> {
    ApiKey(&'a str),
    ActivationToken(&'a str),
}

impl Subscriptions {
    /// The activation email: the link with the single-use token, never the API key.
    pub(super) fn activation_message(
        &self,
        subscription: &Subscription,
        token: &str,
        expires_at: DateTime<Utc>,
    ) -> OutgoingEmail {
        let link = self.link("activate", token);
        activation_email(
            subscription.email.as_str(),
            self.display_name(subscription),
            subscription.language,
            &link,
            expires_at,
        )
    }

    /// Activates with the emailed token: `provisioning`, the period starts, the pod is requested.
    /// Repeating it (even concurrently) returns the same state and requests nothing twice.
    #[tracing::instrument(skip_all)]
    pub async fn activate(&self, token: &str) -> ServiceResult<Subscription> {
        let (subscription, expires_at) = self.by_activation_token(token).await?;
        let now = self.clock.now();
        match subscription.status {
            SubscriptionStatus::PendingActivation | SubscriptionStatus::Failed => {
                // The token also gates retries after a failure: an old token starts nothing.
                if expires_at.is_none_or(|at| at <= now) {
                    return Err(ServiceError::FailedPrecondition(
                        "activation token expired; ask for a new one".into(),
                    ));
                }
                self.start_provisioning(subscription, now).await
            }
            _ => Ok(subscription),
        }
    }

    async fn start_provisioning(
        &self,
        current: Subscription,
        now: DateTime<Utc>,
    ) -> ServiceResult<Subscription> {
        let period_end = now + Duration::days(self.catalogue.period_days);
        let txn = self.db.begin().await?;
        let moved = super::move_status(
            &txn,
            &current,
            SubscriptionStatus::Provisioning,
            "",
            now,
            |next| {
                next.provisioning_started_at = Some(now);
                if next.activated_at.is_none() {
                    next.activated_at = Some(now);
                    next.period_start_at = Some(now);
                    next.period_end_at = Some(period_end);
                }
            },
        )
        .await?;
        let Some(next) = moved else {
            // Another request activated it first: report what it did.
            txn.rollback().await.ok();
            return repo::find_by_id(&self.db, &current.id)
                .await?
                .ok_or_else(|| ServiceError::NotFound("subscription not found".into()));
        };
        crate::services::budgets::open_budget(&txn, &next, now).await?;
        self.pods.start(&txn, &next).await?;
        txn.commit().await?;
        self.pods.wake();
        Ok(next)
    }

    /// Emails a new activation link (the earlier one dies) while activating means something.
    /// The link goes to the subscription's address only, whoever asks.
    #[tracing::instrument(skip_all)]
    pub async fn resend_activation(
        &self,
        by: ResendBy<'_>,
    ) -> ServiceResult<(Subscription, DateTime<Utc>)> {
        let subscription = match by {
            ResendBy::ApiKey(key) => self.by_api_key(key).await?,
            ResendBy::ActivationToken(token) => self.by_activation_token(token).await?.0,
        };
        let waiting = [
            SubscriptionStatus::PendingActivation,
            SubscriptionStatus::Failed,
        ];
        if !waiting.contains(&subscription.status) {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription is {}; there is nothing to activate",
                subscription.status
            )));
        }
        let now = self.clock.now();
        RESEND
            .take(self.attempts.as_ref(), &subscription.id, now, || {
                format!(
                    "an activation link was sent {} times this hour; check the inbox (and spam) of the subscription's address, or try again later",
                    RESEND.limit
                )
            })
            .await?;
        let token = new_secret(ACTIVATION_TOKEN_PREFIX);
        let expires_at = now + self.settings.activation_ttl;
        let txn = self.db.begin().await?;
        if !repo::set_activation_token(&txn, &subscription.id, &secret_hash(&token), expires_at)
            .await?
        {
            txn.rollback().await.ok();
            return Err(ServiceError::FailedPrecondition(
                "subscription was activated meanwhile; there is nothing to activate".into(),
            ));
        }
        let message = self.activation_message(&subscription, &token, expires_at);
        let email_id = self.emails.enqueue(&txn, &message).await?;
        txn.commit().await?;
        self.emails.deliver(&email_id).await;
        Ok((subscription, expires_at))
    }

    /// The subscription an activation token (expired or not) belongs to, with its expiry.
    async fn by_activation_token(
        &self,
        token: &str,
    ) -> ServiceResult<(Subscription, Option<DateTime<Utc>>)> {
        let token = token.trim();
        if token.is_empty() {
            return Err(ServiceError::invalid("activation_token", "is required"));
        }
        repo::find_by_activation_token_hash(&self.db, &secret_hash(token))
            .await?
            .ok_or_else(|| ServiceError::NotFound("activation token not found".into()))
    }
}
