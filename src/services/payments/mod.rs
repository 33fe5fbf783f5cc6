//! PaymentService use cases: a PayPal order for exactly the plan's price, and a capture that
//! activates the subscription only after PayPal reports a completed capture of that exact amount
//! and currency. Captures of one order are serialised and idempotent: however many requests race,
//! there is one payment, one subscription transition and one event.

mod ledger;
mod owed_refunds;
mod refunds;
mod webhooks;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use super::{ServiceError, ServiceResult, clock::Clock, subscriptions::Subscriptions};
use crate::domain::{
    mode::PaymentMode,
    plan::CURRENCY,
    secrets::new_id,
    subscription::{Subscription, SubscriptionStatus},
};
pub use ledger::{LedgerQuery, Movement as LedgerMovement};
pub use owed_refunds::OwedRefunds;
pub use refunds::RefundResult;
pub use webhooks::{HandledWebhook, WebhookOutcome};

use crate::integrations::paypal::{
    PaypalClient, PaypalError,
    webhook::PaypalWebhookVerifier,
    wire::{
        self, ExperienceContext, OrderRequest, PaymentSource, PaypalSource, PurchaseUnitRequest,
    },
};
use crate::persistence::{
    admin as admin_repo,
    payments::{self as repo, COMPLETED, NewPayment, PaymentRow},
    transactions::{self, Movement},
};
use crate::proto::{self, v1 as pb};

/// Payment statuses as stored.
pub use crate::persistence::payments::{CREATED, PENDING};
pub const DENIED: &str = "denied";
pub const FAILED: &str = "failed";

/// Where PayPal sends the buyer back.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    pub return_url: String,
    pub cancel_url: String,
    pub brand_name: String,
    /// How long a capture holds its payment (longer than a PayPal call may take).
    pub capture_claim: chrono::Duration,
}

#[derive(Debug, Clone)]
pub struct Payments {
    db: DatabaseConnection,
    paypal: Option<Arc<PaypalClient>>,
    webhooks: Option<Arc<PaypalWebhookVerifier>>,
    subscriptions: Subscriptions,
    clock: Arc<dyn Clock>,
    settings: PaymentSettings,
    flights: CaptureFlights,
}

/// How long a payment attempt's PayPal order stays open for the buyer (PayPal lets an order be
/// approved for about three hours).
pub const ORDER_VALIDITY: chrono::Duration = chrono::Duration::hours(3);

/// Payment attempts one subscription may open (a bound on PayPal orders per signup).
pub const MAX_ORDER_ATTEMPTS: u64 = 10;

/// Where a capture stands after its claim step.
enum Claim {
    Settled(Captured),
    /// Another capture of the subscription is in flight.
    Busy,
    Claimed(PaymentRow, Subscription),
}

/// Striped locks: racing captures of one order in one process queue instead of all calling.
#[derive(Debug, Clone)]
pub struct CaptureFlights(Arc<[tokio::sync::Mutex<()>; 64]>);

impl Default for CaptureFlights {
    fn default() -> Self {
        Self(Arc::new(std::array::from_fn(|_| {
            tokio::sync::Mutex::new(())
        })))
    }
}

impl CaptureFlights {
    async fn lock(&self, order_id: &str) -> tokio::sync::MutexGuard<'_, ()> {
        let digest = crate::domain::secrets::sha256_hex(order_id.as_bytes());
        let stripe = usize::from_str_radix(&digest[..4], 16).unwrap_or(0) % self.0.len();
        self.0[stripe].lock().await
    }
}

/// The result of a capture request.
#[derive(Debug, Clone)]
pub struct Captured {
    pub payment: PaymentRow,
    pub subscription: Subscription,
}

fn unavailable(error: PaypalError) -> ServiceError {
    tracing::warn!(error = %error, "PayPal call failed");
    match error {
        PaypalError::Unavailable(_) | PaypalError::Decode(_) => ServiceError::Unavailable("PayPal"),
        rejected @ PaypalError::Rejected { .. } => ServiceError::FailedPrecondition(format!(
            "PayPal refused the request: {}",
            rejected.issue().unwrap_or("unknown")
        )),
    }
}

/// PayPal order ids are `^[A-Z0-9]+$`, 1..36 characters.
fn check_order_id(order_id: &str) -> ServiceResult<&str> {
    let order_id = order_id.trim();
    if order_id.is_empty()
        || order_id.len() > 36
        || !order_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(ServiceError::invalid(
            "order_id",
            "must be a PayPal order id (A-Z, 0-9, at most 36)",
        ));
    }
    Ok(order_id)
}

async fn payment_event(
    txn: &DatabaseTransaction,
    payment: &PaymentRow,
    previous: &str,
    source: &str,
) -> ServiceResult<()> {
    let status = proto::payment_status;
    let mut events = vec![pb::domain_event::Event::PaymentStatusChanged(
        pb::PaymentStatusChanged {
            payment_id: payment.id.clone(),
            subscription_id: payment.subscription_id.clone(),
            previous_status: status(previous) as i32,
            status: status(&payment.status) as i32,
            source: source.to_owned(),
            reason: payment.status_reason.clone(),
        },
    )];
    if payment.status == COMPLETED {
        events.push(pb::domain_event::Event::PaymentCaptured(
            pb::PaymentCaptured {
                payment_id: payment.id.clone(),
                subscription_id: payment.subscription_id.clone(),
                transaction_id: payment.paypal_capture_id.clone().unwrap_or_default(),
                paypal_order_id: payment.paypal_order_id.clone().unwrap_or_default(),
                paypal_capture_id: payment.paypal_capture_id.clone().unwrap_or_default(),
                amount: Some(proto::usd(payment.amount_cents)),
                plan: crate::domain::plan::Plan::parse(&payment.plan)
                    .map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
                customer_email: payment.customer_email.clone(),
            },
        ));
    }
    let mode = PaymentMode::parse(&payment.mode)
        .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from);
    for event in events {
        super::events::append(txn, payment.updated_at, "payment", &payment.id, mode, event).await?;
    }
    Ok(())
}

/// The ledger row of a verified capture (once per capture id).
async fn record_capture_movement(
    txn: &DatabaseTransaction,
    payment: &PaymentRow,
    capture_id: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    transactions::record(
        txn,
        payment,
        Movement {
            kind: "capture",
            status: "completed",
            amount_cents: payment.amount_cents,
            provider_reference: capture_id,
            reason: "",
            actor_user_id: "",
        },
        now,
    )
    .await?;
    Ok(())
}

impl Payments {
    pub fn new(
        db: DatabaseConnection,
        paypal: Option<Arc<PaypalClient>>,
        webhooks: Option<Arc<PaypalWebhookVerifier>>,
        subscriptions: Subscriptions,
        clock: Arc<dyn Clock>,
        settings: PaymentSettings,
    ) -> Self {
        Self {
            db,
            paypal,
            webhooks,
            subscriptions,
            clock,
            settings,
            flights: CaptureFlights::default(),
        }
    }

    pub fn configured(&self) -> bool {
        self.paypal.is_some()
    }

    fn paypal(&self) -> ServiceResult<&PaypalClient> {
        self.paypal.as_deref().ok_or_else(|| {
            ServiceError::FailedPrecondition(
                "PayPal is not configured on this server (paypal.client_id/client_secret)".into(),
            )
        })
    }

    /// Opens a PayPal order for a subscription waiting for payment; the amount is the plan's.
    /// Idempotent: while an attempt is open (not captured, younger than [`ORDER_VALIDITY`]) every
    /// call returns its order, and a subscription gets at most [`MAX_ORDER_ATTEMPTS`] attempts.
    /// The PayPal call happens outside any transaction; the attempt's id is its
    /// PayPal-Request-Id, so concurrent or repeated calls for one attempt get one order.
    pub async fn create_order(&self, subscription_id: &str) -> ServiceResult<(PaymentRow, String)> {
        let paypal = self.paypal()?;
        if subscription_id.trim().is_empty() {
            return Err(ServiceError::invalid("subscription_id", "is required"));
        }
        let subscription = self.subscriptions.by_id(subscription_id.trim()).await?;
        let attempt = self.order_attempt(&subscription).await?;
        if attempt.paypal_order_id.is_some() && !attempt.approve_url.is_empty() {
            let url = attempt.approve_url.clone();
            return Ok((attempt, url));
        }
        let request = OrderRequest {
            intent: "CAPTURE",
            purchase_units: vec![PurchaseUnitRequest {
                reference_id: subscription.id.clone(),
                custom_id: subscription.id.clone(),
                invoice_id: attempt.id.clone(),
                description: format!(
                    "GPUBROKER {} plan, {} days",
                    subscription.plan,
                    self.subscriptions.catalogue().period_days
                ),
                amount: wire::Money::from_cents(&attempt.currency, attempt.amount_cents),
            }],
            payment_source: PaymentSource {
                paypal: PaypalSource {
                    experience_context: ExperienceContext {
                        return_url: self.settings.return_url.clone(),
                        cancel_url: self.settings.cancel_url.clone(),
                        user_action: "PAY_NOW",
                        shipping_preference: "NO_SHIPPING",
                        brand_name: self.settings.brand_name.clone(),
                    },
                },
            },
        };
        let order = paypal
            .create_order(&request, &attempt.id)
            .await
            .map_err(unavailable)?;
        let approve_url = order
            .approval_url()
            .ok_or(ServiceError::Unavailable("PayPal (no approval link)"))?;
        repo::set_order(&self.db, &attempt.id, &order.id, approve_url).await?;
        // The first recorded order of the attempt stands (a racing call got the same one).
        let row = repo::by_id(&self.db, &attempt.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        let url = row.approve_url.clone();
        Ok((row, url))
    }

    /// The subscription's open payment attempt, or a new one (with its event).
    async fn order_attempt(&self, subscription: &Subscription) -> ServiceResult<PaymentRow> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "subscription-payment", &subscription.id).await?;
        let subscription = crate::persistence::subscriptions::find_by_id(&txn, &subscription.id)
            .await?
            .ok_or_else(|| {
                ServiceError::NotFound(format!("subscription {} not found", subscription.id))
            })?;
        if subscription.status != SubscriptionStatus::PendingPayment {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription {} is {}, not waiting for payment",
                subscription.id, subscription.status
            )));
        }
        if let Some(open) = repo::open_attempt(&txn, &subscription.id, now - ORDER_VALIDITY).await?
        {
            txn.commit().await?;
            return Ok(open);
        }
        if repo::attempts(&txn, &subscription.id).await? >= MAX_ORDER_ATTEMPTS {
            return Err(ServiceError::ResourceExhausted {
                message: format!(
                    "subscription {} has had {MAX_ORDER_ATTEMPTS} payment attempts; contact support",
                    subscription.id
                ),
                retry_after_secs: ORDER_VALIDITY.num_seconds().unsigned_abs(),
            });
        }
        let payment_id = new_id("pay_");
        repo::insert(
            &txn,
            NewPayment {
                id: payment_id.clone(),
                subscription_id: subscription.id.clone(),
                status: CREATED.into(),
                amount_cents: subscription.price_cents,
                currency: CURRENCY.into(),
                mode: subscription.mode,
                customer_email: subscription.email.to_string(),
                plan: subscription.plan.as_str().into(),
                created_at: now,
                completed_at: None,
            },
        )
        .await?;
        let row = repo::by_id(&txn, &payment_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &row, "", "create_order").await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Captures an approved order. Verified completion of the exact plan amount activates the
    /// subscription (pending_activation + activation email); a retry returns the stored result.
    ///
    /// No transaction is held across the PayPal call: the capture is claimed first (durably, with
    /// an expiry), so no second capture of the subscription starts meanwhile, in this process or
    /// another; the call is idempotent at PayPal (`capture-<order>` request id), so a capture
    /// interrupted by a crash is completed by the next attempt once the claim expires.
    pub async fn capture(&self, order_id: &str) -> ServiceResult<Captured> {
        let order_id = check_order_id(order_id)?;
        let paypal = self.paypal()?;
        // Racing captures of one order in this process queue here, holding no connection.
        let _flight = self.flights.lock(order_id).await;
        let payment = repo::by_order_id(&self.db, order_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no payment for order {order_id}")))?;
        let (payment, subscription) = match self.claim_capture(&payment).await? {
            Claim::Settled(captured) => return Ok(captured),
            Claim::Busy => return self.await_other_capture(&payment).await,
            Claim::Claimed(payment, subscription) => (payment, subscription),
        };
        let request_id = format!("capture-{order_id}");
        let called = match paypal.capture_order(order_id, &request_id).await {
            Err(error) if error.issue() == Some("ORDER_ALREADY_CAPTURED") => {
                paypal.get_order(order_id).await.map_err(unavailable)
            }
            other => other.map_err(unavailable),
        };
        let capture = called.and_then(|order| {
            order.capture().cloned().ok_or_else(|| {
                ServiceError::FailedPrecondition(format!(
                    "order {order_id} has no capture yet (status {})",
                    order.status
                ))
            })
        });
        match capture {
            Ok(capture) => self.record_capture(payment, subscription, &capture).await,
            Err(error) => {
                // Nothing was recorded: free the claim so a retry can go at once.
                repo::set_capture_claim(&self.db, &payment.id, self.clock.now(), None).await?;
                Err(error)
            }
        }
    }

    /// Takes the capture claim of `payment` (or says why not), in one short transaction that
    /// serialises the subscription's payments.
    async fn claim_capture(&self, payment: &PaymentRow) -> ServiceResult<Claim> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "subscription-payment", &payment.subscription_id).await?;
        let payment = repo::by_id(&txn, &payment.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        let subscription =
            crate::persistence::subscriptions::find_by_id(&txn, &payment.subscription_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::Internal(format!("payment {} has no subscription", payment.id))
                })?;
        if payment.status != CREATED && payment.status != PENDING {
            // Already settled: the stored outcome, nothing called or written again.
            txn.commit().await?;
            return Ok(Claim::Settled(Captured {
                payment,
                subscription,
            }));
        }
        if subscription.status != SubscriptionStatus::PendingPayment {
            // Paid by another order, or ended: never take the buyer's money for it.
            let reason = format!("not captured: subscription is {}", subscription.status);
            repo::record_capture(
                &txn,
                &payment.id,
                &payment.status,
                FAILED,
                None,
                &reason,
                now,
            )
            .await?;
            let updated = repo::by_id(&txn, &payment.id)
                .await?
                .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
            payment_event(&txn, &updated, &payment.status, "capture").await?;
            txn.commit().await?;
            return Ok(Claim::Settled(Captured {
                payment: updated,
                subscription,
            }));
        }
        let until = now + self.settings.capture_claim;
        if repo::capture_in_flight(&txn, &subscription.id, &payment.id, now).await?
            || !repo::set_capture_claim(&txn, &payment.id, now, Some(until)).await?
        {
            txn.commit().await?;
            return Ok(Claim::Busy);
        }
        txn.commit().await?;
        Ok(Claim::Claimed(payment, subscription))
    }

    /// Another process captures this subscription now: wait (a bounded time, holding no
    /// connection between looks) for its outcome.
    async fn await_other_capture(&self, payment: &PaymentRow) -> ServiceResult<Captured> {
        let deadline =
            tokio::time::Instant::now() + self.settings.capture_claim.to_std().unwrap_or_default();
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let latest = self.payment(&payment.id).await?;
            if latest.status != CREATED && latest.status != PENDING {
                let subscription = self.subscriptions.by_id(&latest.subscription_id).await?;
                return Ok(Captured {
                    payment: latest,
                    subscription,
                });
            }
        }
        Err(ServiceError::Aborted(
            "a capture for this subscription is in progress; retry".into(),
        ))
    }

    /// Records what PayPal said of a claimed capture (and frees the claim), in one transaction.
    async fn record_capture(
        &self,
        claimed: PaymentRow,
        subscription: Subscription,
        capture: &wire::Capture,
    ) -> ServiceResult<Captured> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "subscription-payment", &claimed.subscription_id).await?;
        repo::set_capture_claim(&txn, &claimed.id, now, None).await?;
        let payment = repo::by_id(&txn, &claimed.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        let amount_ok = capture.amount.currency_code == payment.currency
            && capture.amount.cents() == Some(payment.amount_cents)
            && capture.custom_id.as_deref() == Some(subscription.id.as_str());
        let (status, reason) = match (capture.status.as_str(), amount_ok) {
            ("COMPLETED", true) => (COMPLETED, String::new()),
            ("COMPLETED", false) => (
                FAILED,
                format!(
                    "captured {} {} does not match the plan price; refund needed",
                    capture.amount.value, capture.amount.currency_code
                ),
            ),
            ("PENDING", _) => (
                PENDING,
                capture
                    .status_details
                    .as_ref()
                    .map(|d| d.reason.clone())
                    .unwrap_or_default(),
            ),
            ("DECLINED", _) => (DENIED, "declined by PayPal".into()),
            (other, _) => (FAILED, format!("capture status {other}")),
        };
        // Settled meanwhile (a webhook), or nothing new: the stored outcome stands.
        if status == payment.status || (payment.status != CREATED && payment.status != PENDING) {
            txn.commit().await?;
            let subscription = self.subscriptions.by_id(&payment.subscription_id).await?;
            return Ok(Captured {
                payment,
                subscription,
            });
        }
        repo::record_capture(
            &txn,
            &payment.id,
            &payment.status,
            status,
            Some(&capture.id),
            &reason,
            now,
        )
        .await?;
        // Money taken that does not buy the plan goes back (see owed_refunds).
        let owed = (capture.status == "COMPLETED" && status == FAILED).then(|| {
            capture
                .amount
                .cents()
                .unwrap_or(payment.amount_cents)
                .max(1)
        });
        if let Some(cents) = owed {
            repo::owe_refund(&txn, &payment.id, cents).await?;
        }
        let updated = repo::by_id(&txn, &payment.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &updated, &payment.status, "capture").await?;
        if status == COMPLETED {
            record_capture_movement(&txn, &updated, &capture.id, now).await?;
        }
        let subscription = crate::persistence::subscriptions::find_by_id(&txn, &subscription.id)
            .await?
            .unwrap_or(subscription);
        let (subscription, activation) =
            if status == COMPLETED && subscription.status == SubscriptionStatus::PendingPayment {
                let (next, email_id) = self
                    .subscriptions
                    .mark_paid(&txn, subscription, &updated, now)
                    .await?;
                (next, Some(email_id))
            } else {
                (subscription, None)
            };
        txn.commit().await?;
        if let Some(email_ids) = activation {
            self.subscriptions.deliver_emails(&email_ids).await;
        }
        let payment = if owed.is_some() {
            self.refund_owed_now().await;
            self.payment(&updated.id).await?
        } else {
            updated
        };
        Ok(Captured {
            payment,
            subscription,
        })
    }

    pub async fn payment(&self, payment_id: &str) -> ServiceResult<PaymentRow> {
        repo::by_id(&self.db, payment_id.trim())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("payment {payment_id} not found")))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
