//! SubscriptionService use cases: create (idempotent, one live trial per email), activate
//! (idempotent under races), status, API keys (in `api_keys`) and cancellation.

mod activation;
pub use activation::ResendBy;
mod api_keys;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr, SqlErr, TransactionTrait};

use super::{
    ServiceError, ServiceResult,
    attempts::AttemptCounter,
    audit::{self, Actor, AuditEntry, RequestOrigin},
    clock::Clock,
    email::vendor_sale_email,
    email_queue::EmailQueue,
    events, mode,
    pods::PodRequests,
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
}

/// An admin acting on a subscription: recorded in the audit log with the change.
#[derive(Debug, Clone)]
pub struct AdminAction {
    pub actor: Actor,
    pub origin: RequestOrigin,
}

impl AdminAction {
    /// Writes the audit entry of this admin's successful `action` on a resource, in `txn`.
    pub async fn record(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        now: DateTime<Utc>,
        action: &str,
        (resource_type, resource_id): (&str, &str),
        details: serde_json::Value,
    ) -> ServiceResult<()> {
        audit::record(
            txn,
            now,
            &self.origin,
            AuditEntry {
                actor: &self.actor,
                action,
                resource_type,
                resource_id,
                success: true,
                details,
            },
        )
        .await?;
        Ok(())
    }
}

struct ValidSignup {
    needs_phone: bool,
    email: EmailAddress,
    name: String,
    plan: Plan,
    country_code: String,
    tax_id: String,
    language: Language,
    phone_number: String,
    idempotency_key: Option<String>,
    fingerprint: String,
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
        Self {
            db,
            catalogue,
            pods,
            emails,
            clock,
            settings,
            phone: None,
            attempts,
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

    pub fn default_mode(&self) -> PaymentMode {
        self.settings.default_mode
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

    fn validate(&self, request: &NewSubscription) -> ServiceResult<ValidSignup> {
        let email = EmailAddress::parse(&request.email)
            .map_err(|e| ServiceError::invalid("email", e.to_string()))?;
        let plan = request.plan.ok_or_else(|| {
            ServiceError::invalid("plan", "is required: trial, basic, pro, corp or enterprise")
        })?;
        let name = validate_text("name", &request.name, 200)?;
        let idempotency_key = validate_text("idempotency_key", &request.idempotency_key, 128)?;
        let trusted = request
            .trusted_country
            .clone()
            .unwrap_or_else(|| self.settings.default_country.clone());
        let requirements = signup_requirements(&trusted)
            .map_err(|e| ServiceError::invalid("country_code", e.to_string()))?;
        // The stated country must be well-formed, but the record keeps the resolved one: a
        // client cannot claim its way out of the tax-id requirement.
        let stated = request.country_code.trim();
        if !stated.is_empty() {
            signup_requirements(stated)
                .map_err(|e| ServiceError::invalid("country_code", e.to_string()))?;
        }
        let country_code = requirements.country_code.clone();
        let tax_id = if requirements.requires_tax_id {
            if request.tax_id.trim().is_empty() {
                return Err(ServiceError::invalid(
                    "tax_id",
                    format!(
                        "a RUC or cédula is required for signups from {}",
                        requirements.country_code
                    ),
                ));
            }
            let check = check_identity(&request.tax_id, Strictness::Lenient);
            if !check.is_valid() {
                return Err(ServiceError::invalid("tax_id", check.message()));
            }
            check.normalized
        } else {
            validate_text("tax_id", &request.tax_id, 20)?
        };
        let phone_number = validate_text("phone_number", &request.phone_number, 20)?;
        let language = request.language.unwrap_or(requirements.language);
        let fingerprint = sha256_hex(
            format!("{email}\n{plan}\n{country_code}\n{tax_id}\n{name}\n{phone_number}").as_bytes(),
        );
        Ok(ValidSignup {
            needs_phone: requirements.requires_tax_id && self.phone.is_some(),
            email,
            name,
            plan,
            country_code,
            tax_id,
            language,
            phone_number,
            idempotency_key: (!idempotency_key.is_empty()).then_some(idempotency_key),
            fingerprint,
        })
    }

    /// Creates a subscription: a trial waits for activation, a paid plan for its payment.
    #[tracing::instrument(skip_all, fields(plan = ?request.plan))]
    pub async fn create(&self, request: NewSubscription) -> ServiceResult<Created> {
        let signup = self.validate(&request)?;
        if let Some(key) = &signup.idempotency_key
            && let Some(replayed) = self.replay(key, &signup.fingerprint).await?
        {
            return Ok(replayed);
        }
        let mut signup = signup;
        if signup.needs_phone {
            let phone = self
                .phone
                .as_ref()
                .ok_or_else(|| ServiceError::Internal("phone verification not wired".into()))?;
            if request.phone_number.trim().is_empty() {
                return Err(ServiceError::invalid(
                    "phone_number",
                    "a verified +593 mobile is required for this signup",
                ));
            }
            let proven = phone
                .consume_proof(&request.phone_verification_token, &request.phone_number)
                .await?;
            signup.phone_number = proven.to_string();
        }
        let now = self.clock.now();
        let mode = mode::current(&self.db, self.settings.default_mode).await?;
        let terms = self.catalogue.terms(signup.plan);
        let status = if self.catalogue.requires_payment(signup.plan) {
            SubscriptionStatus::PendingPayment
        } else {
            SubscriptionStatus::PendingActivation
        };
        let subscription = Subscription {
            id: new_id("sub_"),
            email: signup.email,
            name: signup.name,
            plan: signup.plan,
            status,
            status_reason: String::new(),
            country_code: signup.country_code,
            tax_id: signup.tax_id,
            phone_number: signup.phone_number,
            language: signup.language,
            mode,
            price_cents: terms.price_cents,
            currency: CURRENCY.to_owned(),
            token_limit: terms.token_limit,
            tokens_used: 0,
            pod_id: new_id("pod-"),
            created_at: now,
            updated_at: now,
            activated_at: None,
            provisioning_started_at: None,
            period_start_at: None,
            period_end_at: None,
            cancelled_at: None,
            destroyed_at: None,
        };
        let api_key = new_secret(API_KEY_PREFIX);
        let activation = (status == SubscriptionStatus::PendingActivation).then(|| {
            (
                new_secret(ACTIVATION_TOKEN_PREFIX),
                now + self.settings.activation_ttl,
            )
        });
        let txn = self.db.begin().await?;
        let inserted = repo::insert(
            &txn,
            &subscription,
            NewSubscriptionSecrets {
                api_key_hash: secret_hash(&api_key),
                activation_token_hash: activation.as_ref().map(|(token, _)| secret_hash(token)),
                activation_token_expires_at: activation.as_ref().map(|(_, at)| *at),
                idempotency_key: signup.idempotency_key.clone(),
                request_fingerprint: signup.fingerprint.clone(),
            },
        )
        .await;
        if let Err(error) = inserted {
            txn.rollback().await.ok();
            return self
                .insert_conflict(error, &signup.idempotency_key, &signup.fingerprint)
                .await;
        }
        events::subscription_created(&txn, &subscription).await?;
        let email_id = match &activation {
            Some((token, expires_at)) => {
                let message = self.activation_message(&subscription, token, *expires_at);
                Some(self.emails.enqueue(&txn, &message).await?)
            }
            None => None,
        };
        txn.commit().await?;
        if let Some(id) = email_id {
            self.emails.deliver(&id).await;
        }
        Ok(Created {
            subscription,
            api_key,
            activation_expires_at: activation.map(|(_, at)| at),
            replayed: false,
        })
    }

    /// A unique-constraint conflict: a live trial for the email, or a concurrent create with
    /// the same idempotency key (which then replays).
    async fn insert_conflict(
        &self,
        error: DbErr,
        idempotency_key: &Option<String>,
        fingerprint: &str,
    ) -> ServiceResult<Created> {
        let Some(SqlErr::UniqueConstraintViolation(message)) = error.sql_err() else {
            return Err(error.into());
        };
        if message.contains("live_trial_email") {
            return Err(ServiceError::AlreadyExists(
                "a trial is already live for this email".into(),
            ));
        }
        if let Some(key) = idempotency_key
            && let Some(replayed) = self.replay(key, fingerprint).await?
        {
            return Ok(replayed);
        }
        Err(ServiceError::Internal(format!(
            "unexpected conflict: {message}"
        )))
    }

    /// Replays a create: the same subscription with a fresh API key (the earlier one, which only
    /// the first response carried, stops working; the emailed activation link stands). Only
    /// before activation.
    async fn replay(&self, key: &str, fingerprint: &str) -> ServiceResult<Option<Created>> {
        let Some((mut subscription, stored)) = repo::find_by_idempotency_key(&self.db, key).await?
        else {
            return Ok(None);
        };
        if stored != fingerprint {
            return Err(ServiceError::AlreadyExists(
                "idempotency_key was already used for a different request".into(),
            ));
        }
        if !matches!(
            subscription.status,
            SubscriptionStatus::PendingPayment | SubscriptionStatus::PendingActivation
        ) {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription {} is already {}; its API key was shown when it was created (rotate it with RotateApiKey)",
                subscription.id, subscription.status
            )));
        }
        let now = self.clock.now();
        let api_key = new_secret(API_KEY_PREFIX);
        let reissued =
            repo::reissue_api_key(&self.db, &subscription.id, &secret_hash(&api_key), now).await?;
        if !reissued {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription {} moved on meanwhile (activated, or its key was rotated or revoked); its current key stands",
                subscription.id
            )));
        }
        subscription.updated_at = now;
        Ok(Some(Created {
            subscription,
            api_key,
            activation_expires_at: None,
            replayed: true,
        }))
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
    pub(crate) async fn deliver_emails(&self, ids: &[String]) {
        for id in ids {
            self.emails.deliver(id).await;
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
    ) -> ServiceResult<(Subscription, Vec<String>)> {
        let from = current.status;
        let mut next = current;
        next.status = transition(from, SubscriptionStatus::PendingActivation)?;
        next.status_reason = "payment verified".into();
        next.updated_at = now;
        if !repo::compare_and_set_status(txn, &next, from).await? {
            return Err(ServiceError::FailedPrecondition(
                "subscription changed concurrently; retry".into(),
            ));
        }
        let token = new_secret(ACTIVATION_TOKEN_PREFIX);
        let expires_at = now + self.settings.activation_ttl;
        if !repo::set_activation_token(txn, &next.id, &secret_hash(&token), expires_at).await? {
            return Err(ServiceError::Internal(
                "a paid subscription lost its activation state inside its own transaction".into(),
            ));
        }
        events::status_changed(txn, &next, from).await?;
        let message = self.activation_message(&next, &token, expires_at);
        // The activation link, the receipt and the vendor's notice go out with the payment's
        // commit, or not at all.
        let mut emails = vec![self.emails.enqueue(txn, &message).await?];
        emails.push(
            self.emails
                .enqueue(txn, &super::receipts::receipt_message(payment, &next))
                .await?,
        );
        if let Some(vendor) = &self.settings.vendor_email {
            let notice = vendor_sale_email(
                vendor,
                next.email.as_str(),
                next.plan.display_name(false),
                &super::receipts::amount_text(payment.amount_cents),
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
    events::status_changed(txn, &next, from).await?;
    Ok(Some(next))
}
