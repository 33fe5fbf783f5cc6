//! PaymentService: PayPal orders and captures (public), webhooks (gateway), refunds (admin),
//! payments and the money ledger (viewer), config (public).

use tonic::{Request, Response, Status};

use super::field;
use super::guard::Guard;
use super::subscription::payment_to_pb;
use crate::domain::{mode::PaymentMode, plan::CURRENCY, role::Role};
use crate::persistence::{
    payments::{self as payments_repo, PaymentRow},
    transactions::{self as ledger, LedgerFilter, TransactionRow},
};
use crate::proto::{self, v1 as pb};
use crate::services::{
    ServiceError, mode,
    payments::{Payments, WebhookOutcome},
};
use pb::payment_service_server::PaymentService;

#[derive(Debug, Clone)]
pub struct PaymentApi {
    pub payments: Payments,
    pub guard: Guard,
    pub db: sea_orm::DatabaseConnection,
    pub default_mode: PaymentMode,
    /// The public client id (shown to browsers for the PayPal JS SDK); never the secret.
    pub client_id: String,
}

fn transaction_to_pb(row: &TransactionRow, payment: Option<&PaymentRow>) -> pb::Transaction {
    let kind = match row.kind.as_str() {
        "capture" => pb::TransactionKind::Capture,
        "refund" => pb::TransactionKind::Refund,
        "reversal" => pb::TransactionKind::Reversal,
        _ => pb::TransactionKind::Unspecified,
    };
    let status = match row.status.as_str() {
        "completed" => pb::TransactionStatus::Completed,
        "pending" => pb::TransactionStatus::Pending,
        "failed" => pb::TransactionStatus::Failed,
        _ => pb::TransactionStatus::Unspecified,
    };
    pb::Transaction {
        transaction_id: row.id.clone(),
        payment_id: row.payment_id.clone(),
        subscription_id: row.subscription_id.clone(),
        kind: kind as i32,
        status: status as i32,
        amount: Some(proto::usd(row.amount_cents)),
        plan: payment
            .and_then(|p| crate::domain::plan::Plan::parse(&p.plan))
            .map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
        mode: payment
            .and_then(|p| PaymentMode::parse(&p.mode))
            .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from) as i32,
        customer_email: payment
            .map(|p| p.customer_email.clone())
            .unwrap_or_default(),
        customer_name: String::new(),
        provider_reference: row.provider_reference.clone(),
        reason: row.reason.clone(),
        actor_user_id: row.actor_user_id.clone(),
        created_at: Some(proto::timestamp(row.created_at)),
        completed_at: (status == pb::TransactionStatus::Completed)
            .then(|| proto::timestamp(row.created_at)),
    }
}

#[tonic::async_trait]
impl PaymentService for PaymentApi {
    async fn list_transactions(
        &self,
        request: Request<pb::ListTransactionsRequest>,
    ) -> Result<Response<pb::ListTransactionsResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = super::guard::page(request.page_size, &request.page_token)?;
        // Email and mode live on the payment: narrow to those payments first.
        let mut payment_ids: Option<Vec<String>> =
            field::optional("payment_id", &request.payment_id)?.map(|id| vec![id]);
        let scope = match (
            field::optional("customer_email", &request.customer_email)?,
            super::subscription::mode_from_pb(request.mode),
        ) {
            (Some(email), mode) => Some(
                payments_repo::for_email(&self.db, &email.to_lowercase())
                    .await
                    .map_err(ServiceError::from)?
                    .into_iter()
                    .filter(|p| mode.is_none_or(|m| p.mode == m.as_str()))
                    .collect::<Vec<_>>(),
            ),
            (None, Some(mode)) => Some(
                payments_repo::in_mode(&self.db, mode)
                    .await
                    .map_err(ServiceError::from)?,
            ),
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
            subscription_id: field::optional("subscription_id", &request.subscription_id)?,
            kind: match pb::TransactionKind::try_from(request.kind).unwrap_or_default() {
                pb::TransactionKind::Unspecified => None,
                pb::TransactionKind::Capture => Some("capture"),
                pb::TransactionKind::Refund => Some("refund"),
                pb::TransactionKind::Reversal => Some("reversal"),
            },
            status: match pb::TransactionStatus::try_from(request.status).unwrap_or_default() {
                pb::TransactionStatus::Unspecified => None,
                pb::TransactionStatus::Pending => Some("pending"),
                pb::TransactionStatus::Completed => Some("completed"),
                pb::TransactionStatus::Failed => Some("failed"),
            },
            since: field::timestamp(request.start_time, "start_time")?,
            until: field::timestamp(request.end_time, "end_time")?,
        };
        let (rows, total) = ledger::list(&self.db, &filter, offset, limit)
            .await
            .map_err(ServiceError::from)?;
        let ids: Vec<String> = rows.iter().map(|r| r.payment_id.clone()).collect();
        let payments = payments_repo::by_ids(&self.db, &ids)
            .await
            .map_err(ServiceError::from)?;
        let transactions = rows
            .iter()
            .map(|row| transaction_to_pb(row, payments.iter().find(|p| p.id == row.payment_id)))
            .collect::<Vec<_>>();
        Ok(Response::new(pb::ListTransactionsResponse {
            next_page_token: super::guard::next_page_token(offset, transactions.len(), total),
            transactions,
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn get_transaction(
        &self,
        request: Request<pb::GetTransactionRequest>,
    ) -> Result<Response<pb::GetTransactionResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let id = field::required("transaction_id", &request.get_ref().transaction_id)?;
        let row = ledger::by_id(&self.db, id.trim())
            .await
            .map_err(ServiceError::from)?
            .ok_or_else(|| Status::not_found(format!("transaction {id} not found")))?;
        let payment = payments_repo::by_id(&self.db, &row.payment_id)
            .await
            .map_err(ServiceError::from)?;
        Ok(Response::new(pb::GetTransactionResponse {
            transaction: Some(transaction_to_pb(&row, payment.as_ref())),
            payment: payment.as_ref().map(payment_to_pb),
        }))
    }

    async fn create_paypal_order(
        &self,
        request: Request<pb::CreatePaypalOrderRequest>,
    ) -> Result<Response<pb::CreatePaypalOrderResponse>, Status> {
        let (payment, approve_url) = self
            .payments
            .create_order(&request.get_ref().subscription_id)
            .await?;
        Ok(Response::new(pb::CreatePaypalOrderResponse {
            payment_id: payment.id.clone(),
            order_id: payment.paypal_order_id.clone().unwrap_or_default(),
            approve_url,
            status: proto::payment_status(&payment.status) as i32,
            amount: Some(proto::usd(payment.amount_cents)),
        }))
    }

    async fn capture_paypal_order(
        &self,
        request: Request<pb::CapturePaypalOrderRequest>,
    ) -> Result<Response<pb::CapturePaypalOrderResponse>, Status> {
        let order_id = field::required("order_id", &request.get_ref().order_id)?;
        let captured = self.payments.capture(order_id).await?;
        Ok(Response::new(pb::CapturePaypalOrderResponse {
            payment: Some(payment_to_pb(&captured.payment)),
            subscription_id: captured.subscription.id.clone(),
            subscription_status: pb::SubscriptionStatus::from(captured.subscription.status) as i32,
        }))
    }

    async fn get_payment(
        &self,
        request: Request<pb::GetPaymentRequest>,
    ) -> Result<Response<pb::GetPaymentResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let payment_id = field::required("payment_id", &request.get_ref().payment_id)?;
        let payment = self.payments.payment(payment_id).await?;
        Ok(Response::new(pb::GetPaymentResponse {
            payment: Some(payment_to_pb(&payment)),
        }))
    }

    async fn handle_paypal_webhook(
        &self,
        request: Request<pb::HandlePaypalWebhookRequest>,
    ) -> Result<Response<pb::HandlePaypalWebhookResponse>, Status> {
        let request = request.into_inner();
        let handled = self
            .payments
            .handle_webhook(&request.headers.into_iter().collect(), &request.body)
            .await?;
        Ok(Response::new(pb::HandlePaypalWebhookResponse {
            duplicate: handled.outcome == WebhookOutcome::Duplicate,
            handled: handled.outcome == WebhookOutcome::Applied,
            event_id: handled.event_id,
            event_type: handled.event_type,
        }))
    }

    async fn refund_payment(
        &self,
        request: Request<pb::RefundPaymentRequest>,
    ) -> Result<Response<pb::RefundPaymentResponse>, Status> {
        let (principal, action) = self.guard.operator(&request).await?;
        let request = request.into_inner();
        let payment_id = field::required("payment_id", &request.payment_id)?;
        let amount = match request.amount {
            Some(money) if money.currency_code != CURRENCY => {
                return Err(field::invalid("amount", format!("must be in {CURRENCY}")));
            }
            Some(money) => Some(money.amount_minor),
            None => None,
        };
        let (payment, refund) = self
            .payments
            .refund(
                payment_id,
                amount,
                &request.reason,
                &request.idempotency_key,
                &action,
            )
            .await?;
        let status = match refund.status.as_str() {
            "COMPLETED" => pb::TransactionStatus::Completed,
            "PENDING" => pb::TransactionStatus::Pending,
            _ => pb::TransactionStatus::Failed,
        };
        let ledger_id = ledger::by_reference(&self.db, &refund.refund_id)
            .await
            .map_err(ServiceError::from)?
            .map(|row| row.id)
            .unwrap_or_default();
        let transaction = pb::Transaction {
            transaction_id: ledger_id,
            payment_id: payment.id.clone(),
            subscription_id: payment.subscription_id.clone(),
            kind: pb::TransactionKind::Refund as i32,
            status: status as i32,
            amount: Some(proto::usd(refund.amount_cents)),
            plan: crate::domain::plan::Plan::parse(&payment.plan)
                .map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
            mode: PaymentMode::parse(&payment.mode)
                .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from)
                as i32,
            customer_email: payment.customer_email.clone(),
            customer_name: String::new(),
            provider_reference: refund.refund_id,
            reason: request.reason,
            actor_user_id: principal.user_id,
            created_at: Some(proto::timestamp(self.payments.now())),
            completed_at: (status == pb::TransactionStatus::Completed)
                .then(|| proto::timestamp(self.payments.now())),
        };
        Ok(Response::new(pb::RefundPaymentResponse {
            payment: Some(payment_to_pb(&payment)),
            refund: Some(transaction),
        }))
    }

    async fn get_payment_config(
        &self,
        _: Request<pb::GetPaymentConfigRequest>,
    ) -> Result<Response<pb::GetPaymentConfigResponse>, Status> {
        let mode = mode::current(&self.db, self.default_mode).await?;
        Ok(Response::new(pb::GetPaymentConfigResponse {
            mode: pb::PaymentMode::from(mode) as i32,
            configured: self.payments.configured(),
            client_id: self.client_id.clone(),
            currency_code: CURRENCY.to_owned(),
        }))
    }
}
