//! SubscriptionService use cases: create (idempotent, one live trial per email), activate
//! (idempotent under races), status, API keys (in `api_keys`) and cancellation.

mod activation;
mod signup;
mod signups;
pub use activation::ResendBy;
mod api_keys;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, SqlErr, TransactionTrait};

use super::{
    ServiceError, ServiceResult,
    attempts::AttemptCounter,
    audit::AdminAction,
    clock::Clock,
    email::vendor_sale_email,
    email_queue::{EmailQueue, Queued},
    events, mode,
};
use crate::domain::{
    email::EmailAddress,
    identity::{Strictness, check_identity},
    mode::PaymentMode,
    plan::{CURRENCY, Plan, PlanCatalogue},
    secrets::{
        ACTIVATION_TOKEN_PREFIX, API_KEY_PREFIX, new_id, new_secret, secret_hash, sha256_hex,
    },
    signup::{Language, signup_requirements},
    subscription::{Subscription, SubscriptionStatus, transition},
};
use crate::persistence::subscriptions::{self as repo, NewSubscriptionSecrets};

/// Settings of the subscription use cases.
#[derive(Debug, Clone)]
pub struct SubscriptionSettings {
    pub activation_ttl: Duration,
    /// A paid subscription still unpaid after this long is expired.
    pub unpaid_ttl: Duration,
    /// Pods are reached at `https://<pod_id>.<pod_domain>`.
    pub pod_domain: String,
    /// Base of links in emails (the activation page).
    pub public_base_url: String,
    /// Country whose signup rules apply when no trusted edge header says otherwise.
    pub default_country: String,
    /// Who hears of each new sale (unset: nobody).
    pub vendor_email: Option<String>,
    /// Sandbox or live until an admin switches (the stored mode wins once set).
    pub default_mode: PaymentMode,
}

/// A signup request, as received (validated here).
#[derive(Debug, Clone, Default)]
pub struct NewSubscription {
    pub email: String,
    pub name: String,
    pub plan: Option<Plan>,
    /// Country stated by the customer; recorded, but requirements follow `trusted_country`.
    pub country_code: String,
    /// Country from configuration or a trusted edge header (never from the request body).
    pub trusted_country: Option<String>,
    pub tax_id: String,
    pub language: Option<Language>,
    pub phone_number: String,
    /// Proof from VerifyPhoneOtp, when the signup country requires a verified phone.
    pub phone_verification_token: String,
    pub idempotency_key: String,
}

/// The result of a create: credentials are shown once, here.
#[derive(Debug, Clone)]
pub struct Created {
    pub subscription: Subscription,
    pub api_key: String,
    /// When the emailed activation link expires (trials, on the first create).
    pub activation_expires_at: Option<DateTime<Utc>>,
    /// True when the idempotency key matched an earlier create (the API key was reissued).
    pub replayed: bool,
}

#[derive(Debug, Clone)]
pub struct Subscriptions {
    db: DatabaseConnection,
    catalogue: PlanCatalogue,
    pods: Arc<dyn PodRequests>,
    emails: EmailQueue,
    clock: Arc<dyn Clock>,
    settings: SubscriptionSettings,
    /// Set when signups that need a tax id must also prove their phone.
    phone: Option<super::otp::PhoneVerification>,
    /// Bounds how often an activation link is sent again.
    attempts: Arc<dyn AttemptCounter>,
    /// Signups written together (group commit).
    signups: super::batches::Batches<signups::Writer>,
}

/// What the subscription lifecycle asks of the pod service, inside its transaction.
#[async_trait::async_trait]
pub trait PodRequests: Send + Sync + std::fmt::Debug {
    /// The subscription entered `provisioning`: request its pod (idempotent per subscription).
    async fn start(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
    ) -> ServiceResult<()>;
    /// The subscription ended or was suspended: stop its pod (idempotent).
    async fn stop(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
        reason: &str,
    ) -> ServiceResult<()>;
    /// The transaction of a request committed: act on it soon.
    fn wake(&self);
}

use super::input::text as validate_text;

impl Subscriptions {
    pub fn new(
        db: DatabaseConnection,
        catalogue: PlanCatalogue,
        pods: Arc<dyn PodRequests>,
        emails: EmailQueue,
        clock: Arc<dyn Clock>,
        settings: SubscriptionSettings,
        attempts: Arc<dyn AttemptCounter>,
    ) -> Self {
        let signups = super::batches::Batches::start(signups::Writer {
            db: db.clone(),
            default_mode: settings.default_mode,
        });
        Self {
            db,
            catalogue,
            pods,
            emails,
            clock,
            settings,
            phone: None,
            attempts,
            signups,
        }
    }

    /// Requires a verified phone for signups that need a tax id.
    pub fn with_phone_verification(mut self, phone: super::otp::PhoneVerification) -> Self {
        self.phone = Some(phone);
        self
    }

    pub fn requires_phone_verification(&self) -> bool {
        self.phone.is_some()
    }

    /// The payment mode in force (the stored switch, else the configured default).
    pub async fn mode(&self) -> ServiceResult<PaymentMode> {
        mode::current(&self.db, self.settings.default_mode).await
    }

    /// Subscriptions for operators, newest first, one page, and how many match.
    pub async fn list(
        &self,
        filter: &repo::ListFilter,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<Subscription>, u64)> {
        Ok(repo::list(&self.db, filter, offset, limit).await?)
    }

    /// The email outbox (other use cases queue their messages in their own transactions).
    pub(crate) fn emails(&self) -> &EmailQueue {
        &self.emails
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn catalogue(&self) -> &PlanCatalogue {
        &self.catalogue
    }

    pub fn settings(&self) -> &SubscriptionSettings {
        &self.settings
    }

    /// A link of the public site carrying a single-use token (`<base>/<page>?token=…`).
    fn link(&self, page: &str, token: &str) -> String {
        format!(
            "{}/{page}?token={token}",
            self.settings.public_base_url.trim_end_matches('/')
        )
    }

    /// How emails greet the customer: their name, or their email's local part.
    fn display_name<'a>(&self, subscription: &'a Subscription) -> &'a str {
        if subscription.name.is_empty() {
            subscription.email.local_part()
        } else {
            &subscription.name
        }
    }

    /// Sends a queued email now (best effort: the background worker retries what fails).
    pub(crate) async fn deliver_emails(&self, queued: &[Queued]) {
        for message in queued {
            self.emails.deliver(message).await;
        }
    }

    /// A verified payment: `pending_payment` → `pending_activation` inside the payment's
    /// transaction, with a new activation token (returned once, to be emailed after commit).
    pub(crate) async fn mark_paid(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        current: Subscription,
        payment: &crate::persistence::payments::PaymentRow,
        now: DateTime<Utc>,
    ) -> ServiceResult<(Subscription, Vec<Queued>)> {
        let next = move_status(
            txn,
            &current,
            SubscriptionStatus::PendingActivation,
            "payment verified",
            now,
            |_| {},
        )
        .await?
        .ok_or_else(|| {
            ServiceError::FailedPrecondition("subscription changed concurrently; retry".into())
        })?;
        let token = new_secret(ACTIVATION_TOKEN_PREFIX);
        let expires_at = now + self.settings.activation_ttl;
        if !repo::set_activation_token(txn, &next.id, &secret_hash(&token), expires_at).await? {
            return Err(ServiceError::Internal(
                "a paid subscription lost its activation state inside its own transaction".into(),
            ));
        }
        let message = self.activation_message(&next, &token, expires_at);
        // The activation link, the receipt and the vendor's notice go out with the payment's
        // commit, or not at all.
        let mut emails = vec![self.emails.enqueue(txn, &message).await?];
        emails.push(
            self.emails
                .enqueue(txn, &super::email::receipt_message(payment, &next))
                .await?,
        );
        if let Some(vendor) = &self.settings.vendor_email {
            let notice = vendor_sale_email(
                vendor,
                next.email.as_str(),
                next.plan.display_name(false),
                &super::email::amount_text(payment.amount_cents),
                &next.id,
            );
            emails.push(self.emails.enqueue(txn, &notice).await?);
        }
        Ok((next, emails))
    }

    /// The subscription an API key belongs to.
    pub async fn by_api_key(&self, api_key: &str) -> ServiceResult<Subscription> {
        let api_key = api_key.trim();
        if !api_key.starts_with(API_KEY_PREFIX) {
            return Err(ServiceError::Unauthenticated(
                "a customer API key (gpk_…) is required".into(),
            ));
        }
        repo::find_by_api_key_hash(&self.db, &secret_hash(api_key))
            .await?
            .ok_or_else(|| ServiceError::Unauthenticated("invalid or revoked API key".into()))
    }

    pub async fn by_id(&self, id: &str) -> ServiceResult<Subscription> {
        repo::find_by_id(&self.db, id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("subscription {id} not found")))
    }

    /// Cancels: the subscription ends now and its pod is asked to stop. Cancelling a cancelled
    /// subscription returns it unchanged.
    pub async fn cancel(
        &self,
        subscription: Subscription,
        reason: &str,
        admin: Option<&AdminAction>,
    ) -> ServiceResult<Subscription> {
        let reason = validate_text("reason", reason, 500)?;
        if subscription.status == SubscriptionStatus::Cancelled {
            return Ok(subscription);
        }
        let now = self.clock.now();
        let reason = if reason.is_empty() {
            "cancelled".to_owned()
        } else {
            reason
        };
        let id = subscription.id.clone();
        match self
            .change_status(
                subscription,
                SubscriptionStatus::Cancelled,
                &reason,
                now,
                admin,
                |next| {
                    next.cancelled_at = Some(now);
                },
            )
            .await
        {
            // Lost a race with another cancel: the subscription is cancelled, as asked.
            Err(ServiceError::FailedPrecondition(message)) => {
                let latest = self.by_id(&id).await?;
                if latest.status == SubscriptionStatus::Cancelled {
                    Ok(latest)
                } else {
                    Err(ServiceError::FailedPrecondition(message))
                }
            }
            other => other,
        }
    }

    /// One guarded status change with its event (and a pod stop when leaving a pod state).
    pub(crate) async fn change_status(
        &self,
        current: Subscription,
        to: SubscriptionStatus,
        reason: &str,
        now: DateTime<Utc>,
        admin: Option<&AdminAction>,
        adjust: impl FnOnce(&mut Subscription),
    ) -> ServiceResult<Subscription> {
        let from = current.status;
        let txn = self.db.begin().await?;
        let Some(next) = move_status(&txn, &current, to, reason, now, adjust).await? else {
            txn.rollback().await.ok();
            let latest = self.by_id(&current.id).await?;
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription changed concurrently (now {}); retry",
                latest.status
            )));
        };
        if from.has_pod() || from == SubscriptionStatus::Suspended {
            self.pods.stop(&txn, &next, reason).await?;
        }
        if let Some(admin) = admin {
            admin
                .record(
                    &txn,
                    now,
                    "subscription.status",
                    ("subscription", &next.id),
                    serde_json::json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
                )
                .await?;
        }
        txn.commit().await?;
        self.pods.wake();
        Ok(next)
    }
}

/// One guarded status change with its event, in the caller's transaction. `None` when the row
/// left `current.status` meanwhile (nothing written).
pub(crate) async fn move_status(
    txn: &sea_orm::DatabaseTransaction,
    current: &Subscription,
    to: SubscriptionStatus,
    reason: &str,
    now: DateTime<Utc>,
    adjust: impl FnOnce(&mut Subscription),
) -> ServiceResult<Option<Subscription>> {
    let from = current.status;
    let mut next = current.clone();
    next.status = transition(from, to)?;
    next.status_reason = reason.to_owned();
    next.updated_at = now;
    adjust(&mut next);
    if !repo::compare_and_set_status(txn, &next, from).await? {
        return Ok(None);
    }
    events::status_changed(txn, now, &next, from).await?;
    Ok(Some(next))
}
