//! Captures of the wrong amount (or for another subscription): the buyer's money goes back in
//! full without anyone having to notice, and the vendor is told. The debt is recorded with the
//! capture; this settles it at once and, should PayPal fail, on the payments job's next pass.

use sea_orm::TransactionTrait;
use serde_json::json;

use super::Payments;
use crate::integrations::paypal::{PaypalClient, wire::RefundRequest};
use crate::persistence::{
    payments::{self as repo, PaymentRow},
    transactions::{self, Movement},
    webhooks,
};
use crate::services::{
    ServiceError, ServiceResult,
    audit::{self, Actor, AuditEntry, RequestOrigin},
    email::{amount_text, wrong_capture_email},
};

/// What one pass settled.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OwedRefunds {
    pub refunded: usize,
    pub failed: usize,
}

impl Payments {
    /// After a capture of the wrong amount committed: refund at once (best effort; the payments
    /// job retries what fails).
    pub(super) async fn refund_owed_now(&self) {
        if let Err(error) = self.refund_owed_once().await {
            tracing::warn!(%error, "owed refunds wait for the payments job");
        }
    }

    /// Refunds every capture that took the wrong amount (at most a batch per pass).
    pub async fn refund_owed_once(&self) -> ServiceResult<OwedRefunds> {
        let paypal = self.paypal()?;
        let mut report = OwedRefunds::default();
        for payment in repo::refunds_owed(&self.db, 50).await? {
            match self.refund_owed(paypal, &payment).await {
                Ok(true) => report.refunded += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(payment_id = %payment.id, %error, "cannot refund a capture of the wrong amount yet");
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// One owed refund: all of the capture back at PayPal (idempotent per payment), then, in one
    /// transaction, the payment, its refund movement, an audit entry and the vendor's alert.
    async fn refund_owed(
        &self,
        paypal: &PaypalClient,
        payment: &PaymentRow,
    ) -> ServiceResult<bool> {
        let Some(capture_id) = payment.paypal_capture_id.as_deref() else {
            return Ok(false);
        };
        let request = RefundRequest {
            // No amount: PayPal returns everything the capture took, whatever it was.
            amount: None,
            note_to_payer: Some(
                "The amount taken did not match the plan's price; it is returned in full.".into(),
            ),
        };
        let refund = paypal
            .refund_capture(capture_id, &request, &format!("auto-refund-{}", payment.id))
            .await
            .map_err(super::unavailable)?;
        let status = match refund.status.as_str() {
            "COMPLETED" => "completed",
            "PENDING" => "pending",
            other => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "PayPal refund {} is {other}",
                    refund.id
                )));
            }
        };
        let owed = payment.refund_owed_cents;
        let now = self.clock.now();
        let reason = format!(
            "the capture did not match the plan price; {} refunded automatically ({})",
            amount_text(owed),
            refund.id
        );
        let txn = self.db.begin().await?;
        if !repo::settle_owed_refund(&txn, &payment.id, owed, &reason, now).await? {
            // Another process settled it (PayPal answered both with the same refund).
            txn.rollback().await.ok();
            return Ok(false);
        }
        // PayPal's webhook for this refund then changes nothing.
        webhooks::record_once(
            &txn,
            &format!("refund:{}", refund.id),
            "AUTO.REFUND",
            &refund.id,
            "applied",
            now,
        )
        .await?;
        transactions::record(
            &txn,
            payment,
            Movement {
                kind: "refund",
                status,
                amount_cents: owed,
                provider_reference: &refund.id,
                reason: &reason,
                actor_user_id: "system",
            },
            now,
        )
        .await?;
        audit::record(
            &txn,
            now,
            &RequestOrigin::default(),
            AuditEntry {
                actor: &Actor {
                    user_id: "system".into(),
                    email: "payments".into(),
                },
                action: "payment.auto_refund",
                resource_type: "payment",
                resource_id: &payment.id,
                success: true,
                details: json!({"refund_id": refund.id, "status": refund.status, "amount_cents": owed, "capture_id": capture_id}),
            },
        )
        .await?;
        let vendor = self.subscriptions.settings().vendor_email.clone();
        let alert = match vendor {
            Some(to) => {
                let message = wrong_capture_email(
                    &to,
                    &payment.customer_email,
                    &payment.id,
                    &amount_text(owed),
                    &amount_text(payment.amount_cents),
                    &refund.id,
                );
                Some(self.subscriptions.emails().enqueue(&txn, &message).await?)
            }
            None => None,
        };
        txn.commit().await?;
        tracing::warn!(payment_id = %payment.id, refund_id = %refund.id, "a capture of the wrong amount was refunded automatically");
        if let Some(id) = alert {
            self.subscriptions.deliver_emails(&[id]).await;
        }
        Ok(true)
    }
}
