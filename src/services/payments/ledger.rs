//! The money ledger as operators read it: movements (captures, refunds, reversals) filtered by
//! payment, customer, mode, kind and time, each with its payment.

use chrono::{DateTime, Utc};

use super::Payments;
use crate::domain::mode::PaymentMode;
use crate::persistence::{
    payments::{self as payments_repo, PaymentRow},
    transactions::{self as repo, LedgerFilter, TransactionRow},
};
use crate::services::{ServiceError, ServiceResult};

/// Which movements to list (every field optional).
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    pub payment_id: Option<String>,
    pub customer_email: Option<String>,
    pub mode: Option<PaymentMode>,
    pub subscription_id: Option<String>,
    pub kind: Option<&'static str>,
    pub status: Option<&'static str>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// A movement with the payment it belongs to.
pub type Movement = (TransactionRow, Option<PaymentRow>);

impl Payments {
    /// One page of movements, newest first, and how many match.
    pub async fn ledger(
        &self,
        query: LedgerQuery,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<Movement>, u64)> {
        // Email and mode live on the payment: narrow to those payments first.
        let mut payment_ids = query.payment_id.map(|id| vec![id]);
        let scope = match (query.customer_email, query.mode) {
            (Some(email), mode) => Some(
                payments_repo::for_email(&self.db, &email.to_lowercase())
                    .await?
                    .into_iter()
                    .filter(|p| mode.is_none_or(|m| p.mode == m.as_str()))
                    .collect::<Vec<_>>(),
            ),
            (None, Some(mode)) => Some(payments_repo::in_mode(&self.db, mode).await?),
            (None, None) => None,
        };
        if let Some(scope) = scope {
            let ids: Vec<String> = scope.into_iter().map(|p| p.id).collect();
            payment_ids = Some(match payment_ids {
                Some(one) => one.into_iter().filter(|id| ids.contains(id)).collect(),
                None => ids,
            });
        }
        let filter = LedgerFilter {
            payment_ids,
            subscription_id: query.subscription_id,
            kind: query.kind,
            status: query.status,
            since: query.since,
            until: query.until,
        };
        let (rows, total) = repo::list(&self.db, &filter, offset, limit).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.payment_id.clone()).collect();
        let payments = payments_repo::by_ids(&self.db, &ids).await?;
        let movements = rows
            .into_iter()
            .map(|row| {
                let payment = payments.iter().find(|p| p.id == row.payment_id).cloned();
                (row, payment)
            })
            .collect();
        Ok((movements, total))
    }

    /// One movement with its payment.
    pub async fn movement(&self, id: &str) -> ServiceResult<Movement> {
        let row = repo::by_id(&self.db, id.trim())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("transaction {id} not found")))?;
        let payment = payments_repo::by_id(&self.db, &row.payment_id).await?;
        Ok((row, payment))
    }

    /// The ledger id of the movement PayPal knows as `reference` (empty when none is recorded).
    pub async fn movement_id(&self, reference: &str) -> ServiceResult<String> {
        Ok(repo::by_reference(&self.db, reference)
            .await?
            .map(|row| row.id)
            .unwrap_or_default())
    }

    /// The payment mode in force.
    pub async fn mode(&self) -> ServiceResult<PaymentMode> {
        self.subscriptions.mode().await
    }
}
