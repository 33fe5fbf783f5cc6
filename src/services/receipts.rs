//! Resending a payment receipt (admin): the email really goes out or the call fails; a replay with
//! the same idempotency key answers the first result without a second email.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde_json::json;

use super::{
    ServiceError, ServiceResult,
    audit::AdminAction,
    clock::Clock,
    email::{EmailSender, receipt_message},
};
use crate::domain::email::EmailAddress;
use crate::persistence::{
    admin as admin_repo,
    audit::{self as audit_repo, AuditFilter},
    payments::{self, COMPLETED, PaymentRow},
    subscriptions as subs_repo,
};

/// Which payment's receipt to send.
#[derive(Debug, Clone)]
pub enum ReceiptTarget {
    Payment(String),
    /// The customer's newest completed payment.
    Customer(String),
}

/// What was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReceipt {
    pub payment_id: String,
    pub sent_to: String,
    pub message_id: String,
}

const ACTION: &str = "receipt.resend";

#[derive(Debug, Clone)]
pub struct Receipts {
    pub db: DatabaseConnection,
    pub email: Arc<dyn EmailSender>,
    pub clock: Arc<dyn Clock>,
}

impl Receipts {
    async fn payment(&self, target: &ReceiptTarget) -> ServiceResult<PaymentRow> {
        let payment = match target {
            ReceiptTarget::Payment(id) => payments::by_id(&self.db, id.trim()).await?,
            ReceiptTarget::Customer(email) => {
                let email = EmailAddress::parse(email)
                    .map_err(|e| ServiceError::invalid("customer_email", e.to_string()))?;
                payments::for_email(&self.db, email.as_str())
                    .await?
                    .into_iter()
                    .find(|p| p.status == COMPLETED)
            }
        };
        let payment =
            payment.ok_or_else(|| ServiceError::NotFound("no completed payment found".into()))?;
        if payment.status != COMPLETED {
            return Err(ServiceError::FailedPrecondition(format!(
                "payment {} is {}; receipts are for completed payments",
                payment.id, payment.status
            )));
        }
        Ok(payment)
    }

    /// The earlier result of the same idempotency key, if any.
    async fn replayed(
        &self,
        txn: &DatabaseTransaction,
        payment_id: &str,
        key: &str,
    ) -> ServiceResult<Option<SentReceipt>> {
        let filter = AuditFilter {
            action: Some(ACTION.into()),
            resource_id: Some(payment_id.into()),
            ..AuditFilter::default()
        };
        let (rows, _) = audit_repo::list(txn, &filter, None, true, 1_000).await?;
        Ok(rows.into_iter().find_map(|row| {
            let details: serde_json::Value = serde_json::from_str(&row.details_json).ok()?;
            (details["idempotency_key"] == key).then(|| SentReceipt {
                payment_id: payment_id.to_owned(),
                sent_to: details["sent_to"].as_str().unwrap_or_default().to_owned(),
                message_id: details["message_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            })
        }))
    }

    pub async fn resend(
        &self,
        target: ReceiptTarget,
        idempotency_key: &str,
        admin: &AdminAction,
    ) -> ServiceResult<SentReceipt> {
        let payment = self.payment(&target).await?;
        let key = idempotency_key.trim();
        // One resend per payment at a time, so a replayed key cannot race its first use.
        let txn = self.db.begin().await?;
        admin_repo::serialize_on(&txn, "receipt", &payment.id).await?;
        if !key.is_empty()
            && let Some(earlier) = self.replayed(&txn, &payment.id, key).await?
        {
            return Ok(earlier);
        }
        let subscription = subs_repo::find_by_id(&txn, &payment.subscription_id)
            .await?
            .ok_or_else(|| {
                ServiceError::Internal(format!("payment {} has no subscription", payment.id))
            })?;
        let email = receipt_message(&payment, &subscription);
        let message_id = self.email.send(&email).await.map_err(|e| {
            tracing::warn!(payment_id = %payment.id, error = %e, "receipt not sent");
            ServiceError::Unavailable("email")
        })?;
        let sent = SentReceipt {
            payment_id: payment.id.clone(),
            sent_to: payment.customer_email.clone(),
            message_id,
        };
        admin
            .record(&txn, self.clock.now(), ACTION, ("payment", &payment.id), json!({"sent_to": sent.sent_to, "message_id": sent.message_id, "idempotency_key": key}))
            .await?;
        txn.commit().await?;
        Ok(sent)
    }
}
