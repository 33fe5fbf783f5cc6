//! PaymentService: PayPal orders and captures (public), webhooks (gateway), refunds (admin),
//! payments and the money ledger (viewer), config (public).

use tonic::{Request, Response, Status};

#[allow(clippy::wildcard_imports)]
use super::conversions::*;

use super::field;
use super::guard::Guard;
use crate::domain::{mode::PaymentMode, plan::CURRENCY, role::Role};
use crate::proto::{self, v1 as pb};
use crate::services::payments::{LedgerQuery, Payments, WebhookOutcome};
use pb::payment_service_server::PaymentService;

#[derive(Debug, Clone)]
pub struct PaymentApi {
    pub payments: Payments,
    pub guard: Guard,
    /// The public client id (shown to browsers for the PayPal JS SDK); never the secret.
    pub client_id: String,
}

#[tonic::async_trait]
impl PaymentService for PaymentApi {
    async fn list_transactions(
        &self,
        request: Request<pb::ListTransactionsRequest>,
    ) -> Result<Response<pb::ListTransactionsResponse>, Status> {
        field::check(request.get_ref())?;
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = super::guard::page(request.page_size, &request.page_token)?;
        let query = LedgerQuery {
            payment_id: field::optional("payment_id", &request.payment_id)?,
            customer_email: field::optional("customer_email", &request.customer_email)?,
            mode: mode_from_pb(request.mode),
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
        let (movements, total) = self.payments.ledger(query, offset, limit).await?;
        let transactions = movements
            .iter()
            .map(|(row, payment)| transaction_to_pb(row, payment.as_ref()))
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
        field::check(request.get_ref())?;
        let id = field::required("transaction_id", &request.get_ref().transaction_id)?;
        let (row, payment) = self.payments.movement(id).await?;
        Ok(Response::new(pb::GetTransactionResponse {
            transaction: Some(transaction_to_pb(&row, payment.as_ref())),
            payment: payment.as_ref().map(payment_to_pb),
        }))
    }

    async fn create_paypal_order(
        &self,
        request: Request<pb::CreatePaypalOrderRequest>,
    ) -> Result<Response<pb::CreatePaypalOrderResponse>, Status> {
        field::check(request.get_ref())?;
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
        field::check(request.get_ref())?;
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
        field::check(request.get_ref())?;
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
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let payment_id = field::required("payment_id", &request.payment_id)?;
        let amount = match request.amount {
            // An empty currency is the payment's own, as everywhere in the contract.
            Some(money) if !money.currency_code.is_empty() && money.currency_code != CURRENCY => {
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
        let ledger_id = self.payments.movement_id(&refund.refund_id).await?;
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
        let mode = self.payments.mode().await?;
        Ok(Response::new(pb::GetPaymentConfigResponse {
            mode: pb::PaymentMode::from(mode) as i32,
            configured: self.payments.configured(),
            client_id: self.client_id.clone(),
            currency_code: CURRENCY.to_owned(),
        }))
    }
}
