//! Signup: validate the request (identity, phone proof), create the subscription with its event
//! and, for a trial, the emailed activation link, in one transaction (shared with the signups
//! queued meanwhile: [`super::signups`]); replay by idempotency key.

use super::signups::Signup;
use super::*;
use crate::persistence::email_outbox;

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

impl Subscriptions {
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
        let terms = self.catalogue.terms(signup.plan);
        let status = if self.catalogue.requires_payment(signup.plan) {
            SubscriptionStatus::PendingPayment
        } else {
            SubscriptionStatus::PendingActivation
        };
        let mut subscription = Subscription {
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
            // The batch that writes it reads the mode in force.
            mode: self.settings.default_mode,
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
        let secrets = NewSubscriptionSecrets {
            api_key_hash: secret_hash(&api_key),
            activation_token_hash: activation.as_ref().map(|(token, _)| secret_hash(token)),
            activation_token_expires_at: activation.as_ref().map(|(_, at)| *at),
            idempotency_key: signup.idempotency_key.clone(),
            request_fingerprint: signup.fingerprint.clone(),
        };
        let email = activation.as_ref().map(|(token, expires_at)| {
            self.emails
                .prepare(&self.activation_message(&subscription, token, *expires_at))
        });
        let batched = self
            .signups
            .ask(Signup {
                row: repo::new_row(&subscription, secrets.clone()),
                subscription: subscription.clone(),
                email: email.clone(),
            })
            .await;
        match batched {
            Some(mode) => subscription.mode = mode,
            // Refused by a unique index (or the batch failed): alone, which says why.
            None => {
                subscription.mode = mode::current(&self.db, self.settings.default_mode).await?;
                let txn = self.db.begin().await?;
                if let Err(error) = repo::insert(&txn, &subscription, secrets).await {
                    txn.rollback().await.ok();
                    return self
                        .insert_conflict(error, &signup.idempotency_key, &signup.fingerprint)
                        .await;
                }
                events::subscription_created(&txn, now, &subscription).await?;
                if let Some(email) = &email {
                    email_outbox::enqueue(&txn, email).await?;
                }
                txn.commit().await?;
            }
        }
        if let Some(email) = &email {
            self.emails.deliver(email).await;
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
    pub(super) async fn insert_conflict(
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
    pub(super) async fn replay(
        &self,
        key: &str,
        fingerprint: &str,
    ) -> ServiceResult<Option<Created>> {
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
}
