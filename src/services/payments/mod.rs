//! PaymentService use cases: a PayPal order for exactly the plan's price, and a capture that
//! activates the subscription only after PayPal reports a completed capture of that exact amount
//! and currency. Captures of one order are serialised and idempotent: however many requests race,
//! there is one payment, one subscription transition and one event.

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
pub const CREATED: &str = "created";
pub const PENDING: &str = "pending";
pub const DENIED: &str = "denied";
pub const FAILED: &str = "failed";

/// Where PayPal sends the buyer back.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    pub return_url: String,
    pub cancel_url: String,
    pub brand_name: String,
}

#[derive(Debug, Clone)]
pub struct Payments {
    db: DatabaseConnection,
    paypal: Option<Arc<PaypalClient>>,
    webhooks: Option<Arc<PaypalWebhookVerifier>>,
    subscriptions: Subscriptions,
    clock: Arc<dyn Clock>,
    settings: PaymentSettings,
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
    let mut events = vec![(
        "gpubroker.v1.PaymentStatusChanged",
        pb::domain_event::Event::PaymentStatusChanged(pb::PaymentStatusChanged {
            payment_id: payment.id.clone(),
            subscription_id: payment.subscription_id.clone(),
            previous_status: status(previous) as i32,
            status: status(&payment.status) as i32,
            source: source.to_owned(),
            reason: payment.status_reason.clone(),
        }),
    )];
    if payment.status == COMPLETED {
        events.push((
            "gpubroker.v1.PaymentCaptured",
            pb::domain_event::Event::PaymentCaptured(pb::PaymentCaptured {
                payment_id: payment.id.clone(),
                subscription_id: payment.subscription_id.clone(),
                transaction_id: payment.paypal_capture_id.clone().unwrap_or_default(),
                paypal_order_id: payment.paypal_order_id.clone().unwrap_or_default(),
                paypal_capture_id: payment.paypal_capture_id.clone().unwrap_or_default(),
                amount: Some(proto::usd(payment.amount_cents)),
                plan: crate::domain::plan::Plan::parse(&payment.plan)
                    .map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
                customer_email: payment.customer_email.clone(),
            }),
        ));
    }
    let mode = PaymentMode::parse(&payment.mode)
        .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from);
    for (event_type, event) in events {
        super::events::append(txn, "payment", &payment.id, mode, event_type, event).await?;
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
    pub async fn create_order(&self, subscription_id: &str) -> ServiceResult<(PaymentRow, String)> {
        let paypal = self.paypal()?;
        if subscription_id.trim().is_empty() {
            return Err(ServiceError::invalid("subscription_id", "is required"));
        }
        let subscription = self.subscriptions.by_id(subscription_id.trim()).await?;
        if subscription.status != SubscriptionStatus::PendingPayment {
            return Err(ServiceError::FailedPrecondition(format!(
                "subscription {} is {}, not waiting for payment",
                subscription.id, subscription.status
            )));
        }
        let now = self.clock.now();
        let payment_id = new_id("pay_");
        let request = OrderRequest {
            intent: "CAPTURE",
            purchase_units: vec![PurchaseUnitRequest {
                reference_id: subscription.id.clone(),
                custom_id: subscription.id.clone(),
                invoice_id: payment_id.clone(),
                description: format!(
                    "GPUBROKER {} plan, {} days",
                    subscription.plan,
                    self.subscriptions.catalogue().period_days
                ),
                amount: wire::Money::from_cents(CURRENCY, subscription.price_cents),
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
        // The payment id is the PayPal-Request-Id: a retry of this attempt cannot open a second order.
        let order = paypal
            .create_order(&request, &payment_id)
            .await
            .map_err(unavailable)?;
        let approve_url = order
            .approval_url()
            .ok_or(ServiceError::Unavailable("PayPal (no approval link)"))?
            .to_owned();
        let payment = NewPayment {
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
        };
        let txn = self.db.begin().await?;
        repo::insert(&txn, payment).await?;
        repo::set_order_id(&txn, &payment_id, &order.id).await?;
        let row = repo::by_id(&txn, &payment_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &row, "", "create_order").await?;
        txn.commit().await?;
        Ok((row, approve_url))
    }

    /// Captures an approved order. Verified completion of the exact plan amount activates the
    /// subscription (pending_activation + activation email); a retry returns the stored result.
    pub async fn capture(&self, order_id: &str) -> ServiceResult<Captured> {
        let order_id = check_order_id(order_id)?;
        let paypal = self.paypal()?;
        if repo::by_order_id(&self.db, order_id).await?.is_none() {
            return Err(ServiceError::NotFound(format!(
                "no payment for order {order_id}"
            )));
        }
        let txn = self.db.begin().await?;
        let subscription_id = repo::by_order_id(&txn, order_id)
            .await?
            .map(|p| p.subscription_id)
            .unwrap_or_default();
        // One settlement per subscription at a time: two orders of one subscription cannot both
        // be captured.
        admin_repo::serialize_on(&txn, "subscription-payment", &subscription_id).await?;
        let payment = repo::by_order_id(&txn, order_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no payment for order {order_id}")))?;
        let subscription =
            crate::persistence::subscriptions::find_by_id(&txn, &payment.subscription_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::Internal(format!("payment {} has no subscription", payment.id))
                })?;
        if payment.status != CREATED && payment.status != PENDING {
            // Already settled: the stored outcome, nothing called or written again.
            txn.commit().await?;
            return Ok(Captured {
                payment,
                subscription,
            });
        }
        if subscription.status != SubscriptionStatus::PendingPayment {
            // Paid by another order, or ended: never take the buyer's money for it.
            let reason = format!("not captured: subscription is {}", subscription.status);
            let now = self.clock.now();
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
            return Ok(Captured {
                payment: updated,
                subscription,
            });
        }
        let request_id = format!("capture-{order_id}");
        let order = match paypal.capture_order(order_id, &request_id).await {
            Ok(order) => order,
            Err(error) if error.issue() == Some("ORDER_ALREADY_CAPTURED") => {
                paypal.get_order(order_id).await.map_err(unavailable)?
            }
            Err(error) => return Err(unavailable(error)),
        };
        let Some(capture) = order.capture() else {
            return Err(ServiceError::FailedPrecondition(format!(
                "order {order_id} has no capture yet (status {})",
                order.status
            )));
        };
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
        let now = self.clock.now();
        if status == payment.status {
            txn.commit().await?;
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
        let updated = repo::by_id(&txn, &payment.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &updated, &payment.status, "capture").await?;
        if status == COMPLETED {
            record_capture_movement(&txn, &updated, &capture.id, now).await?;
        }
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
        Ok(Captured {
            payment: updated,
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
