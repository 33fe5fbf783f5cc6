//! SubscriptionService: input checks, authorisation, proto ↔ domain; the work is in
//! `services::subscriptions` and `services::admin_views`.

use tonic::{Request, Response, Status};

#[allow(clippy::wildcard_imports)]
use super::conversions::*;

use super::guard::{Guard, next_page_token, page};
use super::{context, field};
use crate::domain::{
    mode::PaymentMode, plan::Plan, role::Role, secrets::API_KEY_PREFIX, signup::Language,
    subscription::Subscription,
};
use crate::persistence::subscriptions::ListFilter;
use crate::proto::{self, usd, v1 as pb};
use crate::services::{
    admin_views::AdminViews,
    audit::AdminAction,
    clock::Clock,
    receipts::{ReceiptTarget, Receipts},
    subscriptions::{NewSubscription, ResendBy, Subscriptions},
};
use pb::subscription_service_server::SubscriptionService;

#[derive(Debug, Clone)]
pub struct SubscriptionApi {
    pub subscriptions: Subscriptions,
    pub views: AdminViews,
    pub guard: Guard,
    pub clock: std::sync::Arc<dyn Clock>,
    pub receipts: Receipts,
    pub pods: crate::services::pods::Pods,
    pub budgets: crate::services::budgets::Budgets,
}

impl SubscriptionApi {
    fn domain(&self) -> &str {
        &self.subscriptions.settings().pod_domain
    }

    /// The mode an admin view shows: the requested one, else the mode in force.
    async fn view_mode(&self, requested: i32) -> Result<PaymentMode, Status> {
        match mode_from_pb(requested) {
            Some(mode) => Ok(mode),
            None => Ok(self.subscriptions.mode().await?),
        }
    }

    /// The subscription a call acts on: the API key's own (it may name no other), or, for an
    /// admin (role admin, audited), the one `subscription_id` names.
    async fn own_or_operated<T>(
        &self,
        request: &Request<T>,
        subscription_id: &str,
    ) -> Result<(Subscription, Option<AdminAction>), Status> {
        let bearer = context::require_bearer(request)?;
        if bearer.starts_with(API_KEY_PREFIX) {
            let sub = self.subscriptions.by_api_key(bearer).await?;
            let asked = subscription_id.trim();
            if !asked.is_empty() && asked != sub.id {
                return Err(Status::permission_denied(
                    "an API key acts only on its own subscription",
                ));
            }
            Ok((sub, None))
        } else {
            let (_, action) = self.guard.operator(request).await?;
            let id = field::required("subscription_id", subscription_id)?;
            Ok((self.subscriptions.by_id(id.trim()).await?, Some(action)))
        }
    }
}

#[tonic::async_trait]
impl SubscriptionService for SubscriptionApi {
    async fn list_plans(
        &self,
        request: Request<pb::ListPlansRequest>,
    ) -> Result<Response<pb::ListPlansResponse>, Status> {
        let spanish = language_from_pb(request.get_ref().language) != Some(Language::English);
        let catalogue = self.subscriptions.catalogue();
        let period = prost_types::Duration {
            seconds: catalogue.period_days * 86_400,
            nanos: 0,
        };
        let plans = Plan::ALL
            .iter()
            .map(|plan| {
                let terms = catalogue.terms(*plan);
                pb::PlanInfo {
                    plan: pb::Plan::from(*plan) as i32,
                    display_name: plan.display_name(spanish).to_owned(),
                    price: Some(usd(terms.price_cents)),
                    token_limit: terms.token_limit,
                    period: Some(period),
                    requires_payment: catalogue.requires_payment(*plan),
                }
            })
            .collect();
        Ok(Response::new(pb::ListPlansResponse { plans }))
    }

    async fn create_subscription(
        &self,
        request: Request<pb::CreateSubscriptionRequest>,
    ) -> Result<Response<pb::CreateSubscriptionResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        if request.plan != 0 && plan_from_pb(request.plan).is_none() {
            return Err(field::invalid("plan", "unknown plan"));
        }
        let created = self
            .subscriptions
            .create(NewSubscription {
                email: request.email,
                name: request.name,
                plan: plan_from_pb(request.plan),
                country_code: request.country_code,
                trusted_country: None,
                tax_id: request.tax_id,
                language: language_from_pb(request.language),
                phone_number: request.phone_number,
                phone_verification_token: request.phone_verification_token,
                idempotency_key: request.idempotency_key,
            })
            .await?;
        let sub = &created.subscription;
        Ok(Response::new(pb::CreateSubscriptionResponse {
            subscription_id: sub.id.clone(),
            status: pb::SubscriptionStatus::from(sub.status) as i32,
            api_key: created.api_key,
            activation_token_expires_at: created.activation_expires_at.map(proto::timestamp),
            plan: pb::Plan::from(sub.plan) as i32,
            price: Some(usd(sub.price_cents)),
            token_limit: sub.token_limit,
        }))
    }

    async fn activate_subscription(
        &self,
        request: Request<pb::ActivateSubscriptionRequest>,
    ) -> Result<Response<pb::ActivateSubscriptionResponse>, Status> {
        field::check(request.get_ref())?;
        let sub = self
            .subscriptions
            .activate(&request.get_ref().activation_token)
            .await?;
        Ok(Response::new(pb::ActivateSubscriptionResponse {
            subscription_id: sub.id.clone(),
            status: pb::SubscriptionStatus::from(sub.status) as i32,
            pod_id: sub.pod_id.clone(),
            pod_url: pod_url(&sub, self.domain()),
            period_end_at: sub.period_end_at.map(proto::timestamp),
        }))
    }

    async fn resend_activation(
        &self,
        request: Request<pb::ResendActivationRequest>,
    ) -> Result<Response<pb::ResendActivationResponse>, Status> {
        field::check(request.get_ref())?;
        let by = match context::bearer(&request) {
            Some(key) if request.get_ref().activation_token.trim().is_empty() => {
                ResendBy::ApiKey(key)
            }
            _ => ResendBy::ActivationToken(&request.get_ref().activation_token),
        };
        let (sub, expires_at) = self.subscriptions.resend_activation(by).await?;
        Ok(Response::new(pb::ResendActivationResponse {
            subscription_id: sub.id.clone(),
            status: pb::SubscriptionStatus::from(sub.status) as i32,
            activation_token_expires_at: Some(proto::timestamp(expires_at)),
        }))
    }

    async fn get_subscription_status(
        &self,
        request: Request<pb::GetSubscriptionStatusRequest>,
    ) -> Result<Response<pb::GetSubscriptionStatusResponse>, Status> {
        let sub = self
            .subscriptions
            .by_api_key(context::require_bearer(&request)?)
            .await?;
        // The budget's figures once it exists (activation); the plan's before.
        let (token_limit, tokens_used, tokens_remaining) = match self.budgets.get(&sub.id).await {
            Ok(b) => (b.limit_tokens, b.committed_tokens, b.remaining()),
            Err(_) => (sub.token_limit, sub.tokens_used, sub.tokens_remaining()),
        };
        Ok(Response::new(pb::GetSubscriptionStatusResponse {
            subscription_id: sub.id.clone(),
            status: pb::SubscriptionStatus::from(sub.status) as i32,
            progress_percent: sub.status.progress_percent(),
            plan: pb::Plan::from(sub.plan) as i32,
            pod_url: self.pods.url_of(&sub.pod_id).await?,
            token_limit,
            pod_id: sub.visible_pod_id().to_owned(),
            tokens_used,
            tokens_remaining,
            period_end_at: sub.period_end_at.map(proto::timestamp),
        }))
    }

    async fn cancel_subscription(
        &self,
        request: Request<pb::CancelSubscriptionRequest>,
    ) -> Result<Response<pb::CancelSubscriptionResponse>, Status> {
        field::check(request.get_ref())?;
        let (sub, admin) = self
            .own_or_operated(&request, &request.get_ref().subscription_id)
            .await?;
        let sub = self
            .subscriptions
            .cancel(sub, &request.get_ref().reason, admin.as_ref())
            .await?;
        Ok(Response::new(pb::CancelSubscriptionResponse {
            subscription: Some(subscription_to_pb(&sub, self.domain())),
        }))
    }

    async fn rotate_api_key(
        &self,
        request: Request<pb::RotateApiKeyRequest>,
    ) -> Result<Response<pb::RotateApiKeyResponse>, Status> {
        field::check(request.get_ref())?;
        let (api_key, at) = self
            .subscriptions
            .rotate_api_key(context::require_bearer(&request)?)
            .await?;
        Ok(Response::new(pb::RotateApiKeyResponse {
            api_key,
            rotated_at: Some(proto::timestamp(at)),
        }))
    }

    async fn revoke_api_key(
        &self,
        request: Request<pb::RevokeApiKeyRequest>,
    ) -> Result<Response<pb::RevokeApiKeyResponse>, Status> {
        field::check(request.get_ref())?;
        let (sub, admin) = self
            .own_or_operated(&request, &request.get_ref().subscription_id)
            .await?;
        let revoked = self
            .subscriptions
            .revoke_api_key(&sub, &request.get_ref().reason, admin.as_ref())
            .await?;
        Ok(Response::new(pb::RevokeApiKeyResponse {
            subscription_id: revoked.subscription_id,
            revoked_at: Some(proto::timestamp(revoked.revoked_at)),
            recovery_expires_at: revoked.recovery_expires_at.map(proto::timestamp),
        }))
    }

    async fn recover_api_key(
        &self,
        request: Request<pb::RecoverApiKeyRequest>,
    ) -> Result<Response<pb::RecoverApiKeyResponse>, Status> {
        field::check(request.get_ref())?;
        let (sub, api_key, at) = self
            .subscriptions
            .recover_api_key(&request.get_ref().recovery_token)
            .await?;
        Ok(Response::new(pb::RecoverApiKeyResponse {
            subscription_id: sub.id,
            api_key,
            issued_at: Some(proto::timestamp(at)),
        }))
    }

    async fn list_subscriptions(
        &self,
        request: Request<pb::ListSubscriptionsRequest>,
    ) -> Result<Response<pb::ListSubscriptionsResponse>, Status> {
        field::check(request.get_ref())?;
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = page(request.page_size, &request.page_token)?;
        let filter = ListFilter {
            status: status_from_pb(request.status),
            plan: plan_from_pb(request.plan),
            email: field::optional("customer_email", &request.customer_email)?
                .map(|email| email.to_lowercase()),
            mode: mode_from_pb(request.mode),
        };
        let (subs, total) = self.subscriptions.list(&filter, offset, limit).await?;
        Ok(Response::new(pb::ListSubscriptionsResponse {
            next_page_token: next_page_token(offset, subs.len(), total),
            subscriptions: subs
                .iter()
                .map(|s| subscription_to_pb(s, self.domain()))
                .collect(),
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn list_customers(
        &self,
        request: Request<pb::ListCustomersRequest>,
    ) -> Result<Response<pb::ListCustomersResponse>, Status> {
        field::check(request.get_ref())?;
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = page(request.page_size, &request.page_token)?;
        let mode = self.view_mode(request.mode).await?;
        let all = self.views.customers(mode, &request.query).await?;
        let total = all.len() as u64;
        let customers: Vec<pb::Customer> = all
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(customer_to_pb)
            .collect();
        Ok(Response::new(pb::ListCustomersResponse {
            next_page_token: next_page_token(offset, customers.len(), total),
            customers,
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn get_customer(
        &self,
        request: Request<pb::GetCustomerRequest>,
    ) -> Result<Response<pb::GetCustomerResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        field::check(request.get_ref())?;
        let email = field::required("email", &request.get_ref().email)?;
        let (customer, subs, payments) = self.views.customer(email).await?;
        Ok(Response::new(pb::GetCustomerResponse {
            customer: Some(customer_to_pb(&customer)),
            subscriptions: subs
                .iter()
                .map(|s| subscription_to_pb(s, self.domain()))
                .collect(),
            payments: payments.iter().map(payment_to_pb).collect(),
        }))
    }

    async fn get_dashboard(
        &self,
        request: Request<pb::GetDashboardRequest>,
    ) -> Result<Response<pb::GetDashboardResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let mode = self.view_mode(request.get_ref().mode).await?;
        let now = self.clock.now();
        let d = self.views.dashboard(mode, now).await?;
        Ok(Response::new(pb::GetDashboardResponse {
            mode: pb::PaymentMode::from(mode) as i32,
            pods: Some(pb::DashboardPods {
                running: d.pods_running,
                provisioning: d.pods_provisioning,
                failed: d.pods_failed,
                total: d.pods_total,
                created_today: d.pods_created_today,
            }),
            revenue: Some(pb::DashboardRevenue {
                total: Some(usd(d.revenue_total_cents)),
                current_month: Some(usd(d.revenue_current_month_cents)),
                payment_count: d.payment_count,
                average_payment: Some(usd(d.average_payment_cents)),
                monthly: (1..=12)
                    .map(|month| pb::MonthlyRevenue {
                        year: d.year,
                        month,
                        amount: Some(usd(d.monthly_cents[(month - 1) as usize])),
                    })
                    .collect(),
                previous_month: Some(usd(d.revenue_previous_month_cents)),
                growth_basis_points: d.growth_basis_points.unwrap_or(0),
                growth_defined: d.growth_basis_points.is_some(),
            }),
            plan_counts: d
                .plan_counts
                .iter()
                .map(|(plan, count)| pb::PlanCount {
                    plan: pb::Plan::from(*plan) as i32,
                    count: *count,
                })
                .collect(),
            customers: Some(pb::DashboardCustomers {
                total: d.customers_total,
                active: d.customers_active,
                new_last_7_days: d.customers_new_last_7_days,
                recent: d.recent_customers.iter().map(customer_to_pb).collect(),
            }),
            alerts: d
                .failed
                .iter()
                .map(|s| pb::DashboardAlert {
                    severity: pb::AlertSeverity::Error as i32,
                    code: "POD_FAILED".into(),
                    message: format!("pod {} failed: {}", s.pod_id, s.status_reason),
                    subscription_id: s.id.clone(),
                    pod_id: s.pod_id.clone(),
                    payment_id: String::new(),
                    occurred_at: Some(proto::timestamp(s.updated_at)),
                })
                .collect(),
            activity: d.activity.iter().map(activity_to_pb).collect(),
            generated_at: Some(proto::timestamp(now)),
            subscription_counts: d
                .status_counts
                .iter()
                .map(|(status, count)| pb::SubscriptionStatusCount {
                    status: pb::SubscriptionStatus::from(*status) as i32,
                    count: *count,
                })
                .collect(),
            tokens: Some(pb::DashboardTokens {
                used: d.tokens.committed,
                held: d.tokens.held,
                limit: d.tokens.limit,
            }),
        }))
    }

    async fn resend_receipt(
        &self,
        request: Request<pb::ResendReceiptRequest>,
    ) -> Result<Response<pb::ResendReceiptResponse>, Status> {
        field::check(request.get_ref())?;
        let (_, action) = self.guard.operator(&request).await?;
        let request = request.into_inner();
        let target = match request.target {
            Some(pb::resend_receipt_request::Target::PaymentId(id)) if !id.trim().is_empty() => {
                ReceiptTarget::Payment(id)
            }
            Some(pb::resend_receipt_request::Target::CustomerEmail(email))
                if !email.trim().is_empty() =>
            {
                ReceiptTarget::Customer(email)
            }
            _ => {
                return Err(field::invalid(
                    "target",
                    "payment_id or customer_email is required",
                ));
            }
        };
        let sent = self
            .receipts
            .resend(target, &request.idempotency_key, &action)
            .await?;
        Ok(Response::new(pb::ResendReceiptResponse {
            payment_id: sent.payment_id,
            sent_to: sent.sent_to,
            message_id: sent.message_id,
        }))
    }

    async fn get_costs(
        &self,
        request: Request<pb::GetCostsRequest>,
    ) -> Result<Response<pb::GetCostsResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let mode = self.view_mode(request.mode).await?;
        let start = field::timestamp(request.start_time, "start_time")?;
        let end = field::timestamp(request.end_time, "end_time")?;
        let now = self.clock.now();
        let c = self.views.costs(mode, start, end, now).await?;
        let pricing = self.views.pricing();
        let millis = |d: rust_decimal::Decimal| d * rust_decimal::Decimal::from(1024);
        Ok(Response::new(pb::GetCostsResponse {
            mode: pb::PaymentMode::from(mode) as i32,
            start_time: Some(proto::timestamp(c.start)),
            end_time: Some(proto::timestamp(c.end)),
            active_pods: c.active_pods,
            pod_runtime: Some(prost_types::Duration {
                seconds: c.pod_runtime_seconds,
                nanos: 0,
            }),
            compute_cost: Some(usd(c.compute_cents)),
            other_costs: Some(usd(c.other_cents)),
            total_costs: Some(usd(c.total_cents)),
            revenue: Some(usd(c.revenue_cents)),
            profit: Some(usd(c.profit_cents)),
            margin_basis_points: i32::try_from(c.margin_basis_points).unwrap_or(i32::MIN),
            profitable: c.profit_cents > 0,
            per_pod: Some(pb::PodCostEstimate {
                cpu_units: i32::try_from(millis(pricing.vcpu).round()).unwrap_or(0),
                memory_mib: i32::try_from(millis(pricing.memory_gb).round()).unwrap_or(0),
                vcpu_hour_price_usd: pricing.vcpu_hour_usd.to_string(),
                gb_hour_price_usd: pricing.gb_hour_usd.to_string(),
                monthly_cost: Some(usd(c.per_pod_monthly_cents)),
            }),
            generated_at: Some(proto::timestamp(now)),
            pods: c
                .pods
                .iter()
                .map(|p| pb::PodCost {
                    pod_id: p.subscription.visible_pod_id().to_owned(),
                    subscription_id: p.subscription.id.clone(),
                    customer_email: p.subscription.email.to_string(),
                    plan: pb::Plan::from(p.subscription.plan) as i32,
                    subscription_status: pb::SubscriptionStatus::from(p.subscription.status) as i32,
                    runtime: Some(prost_types::Duration {
                        seconds: p.runtime_seconds,
                        nanos: 0,
                    }),
                    compute_cost: Some(usd(p.compute_cents)),
                })
                .collect(),
        }))
    }
}
