//! PodService: for now the pod list admins read, derived from subscriptions (the ECS driver and
//! the other RPCs arrive with the pods issue and answer UNIMPLEMENTED until then).

use tonic::{Request, Response, Status};

use super::guard::{Guard, next_page_token, page};
use super::subscription::{mode_from_pb, plan_from_pb};
use crate::domain::{
    role::Role,
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::subscriptions::{self as repo, ListFilter};
use crate::proto::{self, v1 as pb};
use crate::services::ServiceError;
use pb::pod_service_server::PodService;

#[derive(Debug, Clone)]
pub struct PodApi {
    pub guard: Guard,
    pub db: sea_orm::DatabaseConnection,
    pub pod_domain: String,
    pub cpu_units: i32,
    pub memory_mib: i32,
}

/// The pod state a subscription implies. Nothing here claims a pod runs unless the
/// subscription was moved to running by the pod service.
fn pod_status(status: SubscriptionStatus) -> pb::PodStatus {
    match status {
        SubscriptionStatus::PendingPayment | SubscriptionStatus::PendingActivation => {
            pb::PodStatus::Pending
        }
        SubscriptionStatus::Provisioning => pb::PodStatus::Provisioning,
        SubscriptionStatus::Running => pb::PodStatus::Running,
        SubscriptionStatus::Suspended => pb::PodStatus::Stopped,
        SubscriptionStatus::Cancelled | SubscriptionStatus::Expired => pb::PodStatus::Stopping,
        SubscriptionStatus::Failed => pb::PodStatus::Failed,
        SubscriptionStatus::Destroyed => pb::PodStatus::Destroyed,
    }
}

impl PodApi {
    fn to_pb(&self, sub: &Subscription) -> pb::Pod {
        pb::Pod {
            pod_id: sub.pod_id.clone(),
            subscription_id: sub.id.clone(),
            status: pod_status(sub.status) as i32,
            status_reason: sub.status_reason.clone(),
            plan: pb::Plan::from(sub.plan) as i32,
            subscription_status: pb::SubscriptionStatus::from(sub.status) as i32,
            customer_email: sub.email.to_string(),
            mode: pb::PaymentMode::from(sub.mode) as i32,
            pod_url: if sub.status == SubscriptionStatus::Running {
                sub.pod_url(&self.pod_domain)
            } else {
                String::new()
            },
            public_ip: String::new(),
            task_arn: String::new(),
            cpu_units: self.cpu_units,
            memory_mib: self.memory_mib,
            token_limit: sub.token_limit,
            tokens_used: sub.tokens_used,
            created_at: Some(proto::timestamp(sub.created_at)),
            updated_at: Some(proto::timestamp(sub.updated_at)),
            started_at: None,
            stopped_at: None,
            destroyed_at: sub.destroyed_at.map(proto::timestamp),
        }
    }
}

#[tonic::async_trait]
impl PodService for PodApi {
    async fn list_pods(
        &self,
        request: Request<pb::ListPodsRequest>,
    ) -> Result<Response<pb::ListPodsResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = page(request.page_size, &request.page_token)?;
        let filter = ListFilter {
            status: None,
            plan: plan_from_pb(request.plan),
            email: (!request.customer_email.trim().is_empty())
                .then(|| request.customer_email.trim().to_lowercase()),
            mode: mode_from_pb(request.mode),
        };
        // Pods are few per subscription listing; filter pod-level fields after loading.
        let (subs, _) = repo::list(&self.db, &filter, 0, 10_000)
            .await
            .map_err(ServiceError::from)?;
        let wanted = pb::PodStatus::try_from(request.status).unwrap_or(pb::PodStatus::Unspecified);
        let pods: Vec<pb::Pod> = subs
            .iter()
            .filter(|s| request.subscription_id.is_empty() || s.id == request.subscription_id)
            .map(|s| self.to_pb(s))
            .filter(|p| wanted == pb::PodStatus::Unspecified || p.status == wanted as i32)
            .filter(|p| {
                request.include_destroyed
                    || wanted == pb::PodStatus::Destroyed
                    || p.status != pb::PodStatus::Destroyed as i32
            })
            .collect();
        let total = pods.len() as u64;
        let page: Vec<pb::Pod> = pods
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect();
        Ok(Response::new(pb::ListPodsResponse {
            next_page_token: next_page_token(offset, page.len(), total),
            pods: page,
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }
}
