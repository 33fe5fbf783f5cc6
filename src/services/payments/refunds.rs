//! Admin refunds through PayPal's captures refund API: full or partial, idempotent by key,
//! serialised per payment, audited. A full refund ends the subscription.

use sea_orm::TransactionTrait;
use serde_json::json;

use super::{COMPLETED, Payments, payment_event, webhooks::REFUNDED};
use crate::integrations::paypal::wire::{Money, RefundRequest};
use crate::persistence::{
    admin as admin_repo,
    payments::{self as repo, PARTIALLY_REFUNDED, PaymentRow},
    transactions::{self, Movement},
    webhooks,
};
use crate::services::{ServiceError, ServiceResult, audit::AdminAction};

/// A refund as PayPal reported it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundResult {
    pub refund_id: String,
    /// PayPal's refund status: COMPLETED, PENDING, FAILED, CANCELLED.
    pub status: String,
    pub amount_cents: i64,
}

fn stored_outcome(outcome: &str) -> ServiceResult<RefundResult> {
    serde_json::from_str(outcome)
        .map_err(|e| ServiceError::Internal(format!("stored refund outcome: {e}")))
}

/// A refund request seen before (its stored outcome), or a new one (the payment as it is).
enum Replay {
    Earlier(PaymentRow, RefundResult),
    New(PaymentRow),
}

impl Payments {
    /// The payment and, when this request key was already refunded, its stored outcome.
    async fn refund_replay(&self, payment_id: &str, request_key: &str) -> ServiceResult<Replay> {
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "refund", payment_id).await?;
        let payment = repo::by_id(&txn, payment_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("payment {payment_id} not found")))?;
        let earlier = webhooks::find(&txn, request_key).await?;
        txn.commit().await?;
        match earlier {
            Some((_, outcome)) => Ok(Replay::Earlier(payment, stored_outcome(&outcome)?)),
            None => Ok(Replay::New(payment)),
        }
    }

    /// Refunds `amount_cents` (default: all not yet refunded) of a completed payment.
    pub async fn refund(
        &self,
        payment_id: &str,
        amount_cents: Option<i64>,
        reason: &str,
        idempotency_key: &str,
        admin: &AdminAction,
    ) -> ServiceResult<(PaymentRow, RefundResult)> {
        let paypal = self.paypal()?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 255 {
            return Err(ServiceError::invalid(
                "reason",
                "is required (at most 255 characters)",
            ));
        }
        let key = idempotency_key.trim();
        if key.is_empty() || key.len() > 64 {
            return Err(ServiceError::invalid(
                "idempotency_key",
                "is required (at most 64 characters)",
            ));
        }
        let request_key = format!("admin-refund:{payment_id}:{key}");
        // Check in one short transaction; PayPal is called outside any (a slow PayPal must not
        // hold a connection), and the outcome recorded in a second one.
        let payment = match self.refund_replay(payment_id, &request_key).await? {
            Replay::Earlier(payment, earlier) => {
                // A replay also finishes what an interrupted first request may have left undone.
                self.end_refunded_subscription(&payment, REFUNDED).await?;
                return Ok((payment, earlier));
            }
            Replay::New(payment) => payment,
        };
        if payment.status != COMPLETED && payment.status != PARTIALLY_REFUNDED {
            return Err(ServiceError::FailedPrecondition(format!(
                "payment {} is {}; only completed payments can be refunded",
                payment.id, payment.status
            )));
        }
        let remaining = payment.amount_cents - payment.refunded_cents;
        let amount = amount_cents.unwrap_or(remaining);
        if amount <= 0 || amount > remaining {
            return Err(ServiceError::invalid(
                "amount",
                format!(
                    "must be between 0.01 and the {}.{:02} not yet refunded",
                    remaining / 100,
                    remaining % 100
                ),
            ));
        }
        let capture_id = payment.paypal_capture_id.clone().ok_or_else(|| {
            ServiceError::Internal(format!("completed payment {} has no capture", payment.id))
        })?;
        let request = RefundRequest {
            amount: Some(Money::from_cents(&payment.currency, amount)),
            note_to_payer: Some(reason.to_owned()),
        };
        // Idempotent at PayPal by key: a concurrent twin of this request gets the same refund,
        // and PayPal itself refuses more than the capture took.
        let refund = paypal
            .refund_capture(
                &capture_id,
                &request,
                &format!("refund-{}-{key}", payment.id),
            )
            .await
            .map_err(super::unavailable)?;
        let result = RefundResult {
            refund_id: refund.id.clone(),
            status: refund.status.clone(),
            amount_cents: amount,
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "refund", payment_id).await?;
        if let Some((_, outcome)) = webhooks::find(&txn, &request_key).await? {
            // The twin recorded it first.
            txn.commit().await?;
            return Ok((self.payment(payment_id).await?, stored_outcome(&outcome)?));
        }
        // The state now, after the call: a webhook or another refund may have moved it.
        let payment = repo::by_id(&txn, payment_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("payment {payment_id} not found")))?;
        let mut updated = payment.clone();
        // Apply each refund id once: PayPal's webhook for it may have applied it already (e.g.
        // after this request was dropped and is now retried).
        let first_time = refund.status == "COMPLETED"
            && webhooks::record_once(
                &txn,
                &format!("refund:{}", refund.id),
                "ADMIN.REFUND",
                &refund.id,
                "applied",
                now,
            )
            .await?;
        let full = first_time && payment.refunded_cents + amount >= payment.amount_cents;
        if first_time {
            let status = if full { REFUNDED } else { PARTIALLY_REFUNDED };
            let applied = repo::record_refund(
                &txn,
                &payment.id,
                &payment.status,
                status,
                (payment.refunded_cents + amount).min(payment.amount_cents),
                reason,
                now,
            )
            .await?;
            if !applied {
                return Err(ServiceError::Aborted(
                    "payment changed concurrently; retry".into(),
                ));
            }
            updated = repo::by_id(&txn, &payment.id)
                .await?
                .ok_or_else(|| ServiceError::Internal("payment vanished".into()))?;
            payment_event(&txn, &updated, &payment.status, "admin_refund").await?;
        }
        transactions::record(
            &txn,
            &payment,
            Movement {
                kind: "refund",
                status: match refund.status.as_str() {
                    "COMPLETED" => "completed",
                    "PENDING" => "pending",
                    _ => "failed",
                },
                amount_cents: amount,
                provider_reference: &refund.id,
                reason,
                actor_user_id: &admin.actor.user_id,
            },
            now,
        )
        .await?;
        let outcome =
            serde_json::to_string(&result).map_err(|e| ServiceError::Internal(e.to_string()))?;
        webhooks::record_once(
            &txn,
            &request_key,
            "ADMIN.REFUND.REQUEST",
            &refund.id,
            &outcome,
            now,
        )
        .await?;
        admin
            .record(&txn, now, "payment.refund", ("payment", &payment.id), json!({"refund_id": refund.id, "status": refund.status, "amount_cents": amount, "reason": reason}))
            .await?;
        txn.commit().await?;
        if full {
            let subscription = self.subscriptions.by_id(&payment.subscription_id).await?;
            if subscription.status.is_live() {
                self.subscriptions
                    .cancel(subscription, "payment refunded", Some(admin))
                    .await?;
            }
        }
        Ok((updated, result))
    }
}
