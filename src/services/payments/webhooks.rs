//! PayPal webhook deliveries: verified over the raw body or refused (400, nothing changes),
//! deduplicated by event id, and applied only forwards (a late or out-of-order event never moves
//! a payment back).

use std::collections::HashMap;

use sea_orm::TransactionTrait;

use super::{COMPLETED, CREATED, DENIED, PENDING, Payments, payment_event};
use crate::domain::subscription::SubscriptionStatus;
use crate::integrations::paypal::{
    webhook::{PaypalWebhookVerifier, SignatureHeaders},
    wire::WebhookEvent,
};
use crate::persistence::{
    admin as admin_repo,
    payments::{self as repo, PARTIALLY_REFUNDED},
    subscriptions as subs_repo,
    transactions::{self, Movement},
    webhooks,
};
use crate::services::{ServiceError, ServiceResult};

pub const REFUNDED: &str = "refunded";
pub const REVERSED: &str = "reversed";

/// What a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    Applied,
    /// This event id was already processed (a redelivery).
    Duplicate,
    /// Verified but nothing to change (type not handled, stale or unknown resource).
    Ignored,
}

/// A verified delivery and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandledWebhook {
    pub event_id: String,
    pub event_type: String,
    pub outcome: WebhookOutcome,
}

impl Payments {
    pub(crate) fn verifier(&self) -> ServiceResult<&PaypalWebhookVerifier> {
        self.webhooks.as_deref().ok_or_else(|| {
            ServiceError::FailedPrecondition(
                "PayPal webhooks are not configured (paypal.webhook_id)".into(),
            )
        })
    }

    /// Verifies and applies one delivery. `body` is the raw request body.
    pub async fn handle_webhook(
        &self,
        headers: &HashMap<String, String>,
        body: &[u8],
    ) -> ServiceResult<HandledWebhook> {
        let verifier = self.verifier()?;
        let signature = SignatureHeaders::from_map(headers)
            .map_err(|e| ServiceError::invalid("headers", format!("unverified webhook: {e}")))?;
        if let Err(error) = verifier.verify(&signature, body, self.clock.now()).await {
            tracing::warn!(error = %error, "webhook refused");
            if error == crate::integrations::paypal::webhook::WebhookError::FetchLimited {
                // Not a verdict on this delivery: PayPal redelivers after a non-2xx answer.
                return Err(ServiceError::Unavailable(
                    "PayPal certificate fetches (rate-limited)",
                ));
            }
            return Err(ServiceError::invalid(
                "signature",
                format!("unverified webhook: {error}"),
            ));
        }
        self.pin_transmission(&signature.transmission_id, body)
            .await?;
        let event: WebhookEvent = serde_json::from_slice(body)
            .map_err(|e| ServiceError::invalid("body", format!("not a PayPal event: {e}")))?;
        let outcome = match event.event_type.as_str() {
            "CHECKOUT.ORDER.APPROVED" => self.order_approved(&event).await,
            "PAYMENT.CAPTURE.COMPLETED" => self.capture_settled(&event, COMPLETED).await,
            "PAYMENT.CAPTURE.DENIED" => self.capture_settled(&event, DENIED).await,
            "PAYMENT.CAPTURE.REFUNDED" => self.money_returned(&event, REFUNDED).await,
            "PAYMENT.CAPTURE.REVERSED" => self.money_returned(&event, REVERSED).await,
            _ => {
                self.record_only(&event, "ignored: event type not handled")
                    .await
            }
        }?;
        Ok(HandledWebhook {
            event_id: event.id,
            event_type: event.event_type,
            outcome,
        })
    }

    /// The signature covers only a CRC-32 of the body, which can be forged: one transmission id
    /// may only ever carry one body (redeliveries repeat it byte for byte).
    async fn pin_transmission(&self, transmission_id: &str, body: &[u8]) -> ServiceResult<()> {
        let key = format!("transmission:{transmission_id}");
        let digest = crate::domain::secrets::sha256_hex(body);
        let first = webhooks::record_once(
            &self.db,
            &key,
            "TRANSMISSION",
            "",
            &digest,
            self.clock.now(),
        )
        .await?;
        if !first
            && let Some((_, known)) = webhooks::find(&self.db, &key).await?
            && known != digest
        {
            tracing::warn!(
                transmission_id,
                "webhook body differs from an earlier delivery"
            );
            return Err(ServiceError::invalid(
                "body",
                "unverified webhook: transmission replayed with another body",
            ));
        }
        Ok(())
    }

    async fn record_only(
        &self,
        event: &WebhookEvent,
        outcome: &str,
    ) -> ServiceResult<WebhookOutcome> {
        let first = webhooks::record_once(
            &self.db,
            &event.id,
            &event.event_type,
            &event.resource_id(),
            outcome,
            self.clock.now(),
        )
        .await?;
        Ok(if first {
            WebhookOutcome::Ignored
        } else {
            WebhookOutcome::Duplicate
        })
    }

    /// The buyer approved but our client never came back: capture server-side.
    async fn order_approved(&self, event: &WebhookEvent) -> ServiceResult<WebhookOutcome> {
        let order_id = event.resource_id();
        if repo::by_order_id(&self.db, &order_id).await?.is_none() {
            return self.record_only(event, "ignored: unknown order").await;
        }
        // Capturing is idempotent, so a redelivery racing this one is harmless.
        self.capture(&order_id).await?;
        Ok(match self.record_only(event, "captured").await? {
            WebhookOutcome::Duplicate => WebhookOutcome::Duplicate,
            _ => WebhookOutcome::Applied,
        })
    }

    /// A capture completed (e.g. after PENDING review) or was denied.
    async fn capture_settled(
        &self,
        event: &WebhookEvent,
        status: &'static str,
    ) -> ServiceResult<WebhookOutcome> {
        let capture_id = event.resource_id();
        let now = self.clock.now();
        let Some(order_id) = event.related_order_id() else {
            return self.record_only(event, "ignored: no related order").await;
        };
        let txn = self.db.begin().await?;
        let subscription_id = repo::by_order_id(&txn, &order_id)
            .await?
            .map(|p| p.subscription_id)
            .unwrap_or_default();
        admin_repo::serialize_on(&txn, "subscription-payment", &subscription_id).await?;
        if !webhooks::record_once(&txn, &event.id, &event.event_type, &capture_id, status, now)
            .await?
        {
            return Ok(WebhookOutcome::Duplicate);
        }
        let Some(payment) = repo::by_order_id(&txn, &order_id).await? else {
            txn.commit().await?;
            return Ok(WebhookOutcome::Ignored);
        };
        if payment.status != CREATED && payment.status != PENDING {
            // Already settled: never move backwards.
            txn.commit().await?;
            return Ok(WebhookOutcome::Ignored);
        }
        let subscription = subs_repo::find_by_id(&txn, &payment.subscription_id)
            .await?
            .ok_or_else(|| {
                ServiceError::Internal(format!("payment {} has no subscription", payment.id))
            })?;
        let amount_ok = event.amount().is_some_and(|amount| {
            amount.currency_code == payment.currency && amount.cents() == Some(payment.amount_cents)
        }) && event.custom_id().as_deref() == Some(subscription.id.as_str());
        let (status, reason) = match (status, amount_ok) {
            (COMPLETED, false) => (
                super::FAILED,
                "captured amount does not match the plan price; refund needed",
            ),
            (COMPLETED, true) => (COMPLETED, ""),
            _ => (DENIED, "denied by PayPal"),
        };
        repo::record_capture(
            &txn,
            &payment.id,
            &payment.status,
            status,
            Some(&capture_id),
            reason,
            now,
        )
        .await?;
        // Money taken that does not buy the plan goes back (see owed_refunds).
        let owed = (status == super::FAILED).then(|| {
            event
                .amount()
                .and_then(|amount| amount.cents())
                .unwrap_or(payment.amount_cents)
                .max(1)
        });
        if let Some(cents) = owed {
            repo::owe_refund(&txn, &payment.id, cents).await?;
        }
        let updated = repo::by_id(&txn, &payment.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &updated, &payment.status, "webhook").await?;
        if status == COMPLETED {
            super::record_capture_movement(&txn, &updated, &capture_id, now).await?;
        }
        let activation =
            if status == COMPLETED && subscription.status == SubscriptionStatus::PendingPayment {
                Some(
                    self.subscriptions
                        .mark_paid(&txn, subscription, &updated, now)
                        .await?,
                )
            } else {
                None
            };
        txn.commit().await?;
        if let Some((_, email_ids)) = activation {
            self.subscriptions.deliver_emails(&email_ids).await;
        }
        if owed.is_some() {
            self.refund_owed_now().await;
        }
        Ok(WebhookOutcome::Applied)
    }

    /// A refund or reversal: the payment records it; a full one ends the subscription.
    async fn money_returned(
        &self,
        event: &WebhookEvent,
        kind: &'static str,
    ) -> ServiceResult<WebhookOutcome> {
        let capture_id = if kind == REFUNDED {
            event.refunded_capture_id()
        } else {
            Some(event.resource_id())
        };
        let Some(capture_id) = capture_id else {
            return self.record_only(event, "ignored: no capture").await;
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let payment_id = repo::by_capture_id(&txn, &capture_id).await?.map(|p| p.id);
        let Some(payment_id) = payment_id else {
            // Before the capture we know of: PayPal redelivers on a non-2xx answer.
            return Err(ServiceError::Aborted(format!(
                "capture {capture_id} is not known yet; retry later"
            )));
        };
        admin_repo::serialize_on(&txn, "refund", &payment_id).await?;
        if !webhooks::record_once(&txn, &event.id, &event.event_type, &capture_id, kind, now)
            .await?
        {
            txn.commit().await?;
            // A redelivery: finish what an interrupted first delivery may have left undone.
            if let Some(payment) = repo::by_id(&self.db, &payment_id).await? {
                self.end_refunded_subscription(&payment, kind).await?;
            }
            return Ok(WebhookOutcome::Duplicate);
        }
        // A refund our admin already applied arrives here too: apply each refund id once.
        if kind == REFUNDED {
            let refund_key = format!("refund:{}", event.resource_id());
            if !webhooks::record_once(&txn, &refund_key, &event.event_type, &capture_id, kind, now)
                .await?
            {
                txn.commit().await?;
                return Ok(WebhookOutcome::Ignored);
            }
        }
        let Some(payment) = repo::by_id(&txn, &payment_id).await? else {
            return Err(ServiceError::Aborted(
                "payment vanished; retry later".into(),
            ));
        };
        if payment.status != COMPLETED && payment.status != PARTIALLY_REFUNDED {
            if payment.status == REFUNDED || payment.status == REVERSED {
                txn.commit().await?;
                return Ok(WebhookOutcome::Ignored);
            }
            // Not settled yet (e.g. the refund overtook the capture's completion): retry later.
            return Err(ServiceError::Aborted(format!(
                "payment {} is {}; retry later",
                payment.id, payment.status
            )));
        }
        let returned = event
            .amount()
            .and_then(|a| a.cents())
            .unwrap_or(payment.amount_cents);
        let refunded = (payment.refunded_cents + returned).min(payment.amount_cents);
        let status = if kind == REFUNDED && refunded < payment.amount_cents {
            PARTIALLY_REFUNDED
        } else {
            kind
        };
        repo::record_refund(
            &txn,
            &payment.id,
            &payment.status,
            status,
            refunded,
            kind,
            now,
        )
        .await?;
        let reference = if kind == REFUNDED {
            event.resource_id()
        } else {
            format!("reversal:{capture_id}")
        };
        transactions::record(
            &txn,
            &payment,
            Movement {
                kind: if kind == REFUNDED {
                    "refund"
                } else {
                    "reversal"
                },
                status: "completed",
                amount_cents: refunded - payment.refunded_cents,
                provider_reference: &reference,
                reason: &format!("PayPal {}", event.event_type),
                actor_user_id: "",
            },
            now,
        )
        .await?;
        let updated = repo::by_id(&txn, &payment.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
        payment_event(&txn, &updated, &payment.status, "webhook").await?;
        txn.commit().await?;
        self.end_refunded_subscription(&updated, kind).await?;
        Ok(WebhookOutcome::Applied)
    }

    /// A fully refunded or reversed payment ends its live subscription (idempotent).
    pub(super) async fn end_refunded_subscription(
        &self,
        payment: &crate::persistence::payments::PaymentRow,
        kind: &str,
    ) -> ServiceResult<()> {
        if payment.status != REFUNDED && payment.status != REVERSED {
            return Ok(());
        }
        let subscription = self.subscriptions.by_id(&payment.subscription_id).await?;
        if subscription.status.is_live() {
            self.subscriptions
                .cancel(subscription, &format!("payment {kind}"), None)
                .await?;
        }
        Ok(())
    }
}
