//! PodService: admins operate pods (start, stop, destroy, metrics); viewers and the pod's own
//! customer read and watch them.

use std::{pin::Pin, sync::Arc, time::Duration as StdDuration};

use chrono::Duration;
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::{Request, Response, Status};

#[allow(clippy::wildcard_imports)]
use super::conversions::*;

use super::context;
use super::field;
use super::guard::{Guard, next_page_token, page};
use crate::domain::{
    pod::{Pod, PodStatus},
    role::Role,
    secrets::API_KEY_PREFIX,
    subscription::Subscription,
};
use crate::persistence::{pods::PodFilter, subscriptions::ListFilter};
use crate::proto::{self, v1 as pb};
use crate::services::{ServiceError, clock::Clock, pods::Pods, subscriptions::Subscriptions};
use pb::pod_service_server::PodService;

#[derive(Debug, Clone)]
pub struct PodApi {
    pub guard: Guard,
    pub pods: Pods,
    pub subscriptions: Subscriptions,
    pub clock: Arc<dyn Clock>,
    pub cpu_units: i32,
    pub memory_mib: i32,
}

/// How often a watcher re-reads its pod even without a local change (changes made by other
/// server processes reach it this way).
const WATCH_RESYNC: StdDuration = StdDuration::from_secs(5);

/// A duration field: unset gives `default`; otherwise it must lie in `min..=max`.
/// A duration field in whole seconds, or its default when unset. Its bounds are the contract's
/// (`proto/`), checked before this.
fn whole_seconds(
    name: &str,
    value: Option<prost_types::Duration>,
    default: Duration,
) -> Result<Duration, Status> {
    match value {
        None => Ok(default),
        Some(value) if value.nanos == 0 => {
            Ok(Duration::try_seconds(value.seconds).unwrap_or(default))
        }
        Some(_) => Err(field::invalid(name, "must be whole seconds")),
    }
}

impl PodApi {
    fn to_pb(&self, pod: &Pod, sub: &Subscription) -> pb::Pod {
        pb::Pod {
            pod_id: pod.pod_id.clone(),
            subscription_id: sub.id.clone(),
            status: pb::PodStatus::from(pod.status) as i32,
            status_reason: pod.status_reason.clone(),
            plan: pb::Plan::from(sub.plan) as i32,
            subscription_status: pb::SubscriptionStatus::from(sub.status) as i32,
            customer_email: sub.email.to_string(),
            mode: pb::PaymentMode::from(sub.mode) as i32,
            pod_url: if pod.status == PodStatus::Running {
                pod.endpoint.clone()
            } else {
                String::new()
            },
            public_ip: pod.public_ip.clone(),
            task_arn: pod.task_arn.clone(),
            cpu_units: self.cpu_units,
            memory_mib: self.memory_mib,
            token_limit: sub.token_limit,
            tokens_used: sub.tokens_used,
            created_at: Some(proto::timestamp(pod.created_at)),
            updated_at: Some(proto::timestamp(pod.updated_at)),
            started_at: pod.started_at.map(proto::timestamp),
            stopped_at: pod.stopped_at.map(proto::timestamp),
            destroyed_at: pod.destroyed_at.map(proto::timestamp),
        }
    }

    /// A viewer, or the customer whose pod it is (API key).
    async fn readable<T>(
        &self,
        request: &Request<T>,
        pod_id: &str,
    ) -> Result<(Pod, Subscription), Status> {
        field::required("pod_id", pod_id)?;
        let bearer = context::require_bearer(request)?;
        let customer = if bearer.starts_with(API_KEY_PREFIX) {
            Some(self.subscriptions.by_api_key(bearer).await?)
        } else {
            self.guard.admin(request, Role::Viewer).await?;
            None
        };
        let (pod, sub) = self.pods.get(pod_id.trim()).await?;
        if customer.is_some_and(|c| c.id != sub.id) {
            // Same answer as a missing pod: a key does not reveal other customers' pods.
            return Err(ServiceError::NotFound(format!("pod {} not found", pod_id.trim())).into());
        }
        Ok((pod, sub))
    }

    async fn answer(&self, pod: Pod) -> Result<pb::Pod, Status> {
        let (_, sub) = self.pods.get(&pod.pod_id).await?;
        Ok(self.to_pb(&pod, &sub))
    }
}

type WatchStream = Pin<Box<dyn Stream<Item = Result<pb::WatchPodResponse, Status>> + Send>>;

#[tonic::async_trait]
impl PodService for PodApi {
    async fn get_pod(
        &self,
        request: Request<pb::GetPodRequest>,
    ) -> Result<Response<pb::GetPodResponse>, Status> {
        field::check(request.get_ref())?;
        let (pod, sub) = self.readable(&request, &request.get_ref().pod_id).await?;
        Ok(Response::new(pb::GetPodResponse {
            pod: Some(self.to_pb(&pod, &sub)),
        }))
    }

    async fn list_pods(
        &self,
        request: Request<pb::ListPodsRequest>,
    ) -> Result<Response<pb::ListPodsResponse>, Status> {
        field::check(request.get_ref())?;
        self.guard.admin(&request, Role::Viewer).await?;
        let request = request.into_inner();
        let (offset, limit) = page(request.page_size, &request.page_token)?;
        let wanted = pb::PodStatus::try_from(request.status).unwrap_or(pb::PodStatus::Unspecified);
        let filter = PodFilter {
            subscriptions: ListFilter {
                status: None,
                plan: plan_from_pb(request.plan),
                email: field::optional("customer_email", &request.customer_email)?
                    .map(|email| email.to_lowercase()),
                mode: mode_from_pb(request.mode),
            },
            subscription_id: field::optional("subscription_id", &request.subscription_id)?,
            status: pod_status_from_pb(wanted),
            include_destroyed: request.include_destroyed,
        };
        let (listed, total) = if wanted == pb::PodStatus::Pending {
            (Vec::new(), 0)
        } else {
            self.pods.list(&filter, offset, limit).await?
        };
        let page: Vec<pb::Pod> = listed
            .iter()
            .map(|(pod, sub)| self.to_pb(pod, sub))
            .collect();
        Ok(Response::new(pb::ListPodsResponse {
            next_page_token: next_page_token(offset, page.len(), total),
            pods: page,
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn start_pod(
        &self,
        request: Request<pb::StartPodRequest>,
    ) -> Result<Response<pb::StartPodResponse>, Status> {
        let (_, admin) = self.guard.operator(&request).await?;
        field::check(request.get_ref())?;
        let pod = self.pods.start(&request.get_ref().pod_id, &admin).await?;
        Ok(Response::new(pb::StartPodResponse {
            pod: Some(self.answer(pod).await?),
        }))
    }

    async fn stop_pod(
        &self,
        request: Request<pb::StopPodRequest>,
    ) -> Result<Response<pb::StopPodResponse>, Status> {
        let (_, admin) = self.guard.operator(&request).await?;
        field::check(request.get_ref())?;
        let body = request.get_ref();
        let pod = self.pods.stop(&body.pod_id, &body.reason, &admin).await?;
        Ok(Response::new(pb::StopPodResponse {
            pod: Some(self.answer(pod).await?),
        }))
    }

    async fn destroy_pod(
        &self,
        request: Request<pb::DestroyPodRequest>,
    ) -> Result<Response<pb::DestroyPodResponse>, Status> {
        let (_, admin) = self.guard.operator(&request).await?;
        field::check(request.get_ref())?;
        let body = request.get_ref();
        let pod = self
            .pods
            .destroy(&body.pod_id, &body.reason, &admin)
            .await?;
        Ok(Response::new(pb::DestroyPodResponse {
            pod: Some(self.answer(pod).await?),
        }))
    }

    async fn get_pod_metrics(
        &self,
        request: Request<pb::GetPodMetricsRequest>,
    ) -> Result<Response<pb::GetPodMetricsResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let window = whole_seconds("window", request.window, Duration::hours(1))?;
        let step = whole_seconds("step", request.step, Duration::minutes(5))?;
        // Data points come by whole minutes: a step in between is rounded down to one.
        let step = Duration::minutes(step.num_minutes());
        field::required("pod_id", &request.pod_id)?;
        let metrics = self.pods.metrics(&request.pod_id, window, step).await?;
        let points = |series: &[(chrono::DateTime<chrono::Utc>, f64)]| {
            series
                .iter()
                .map(|(at, percent)| pb::MetricPoint {
                    at: Some(proto::timestamp(*at)),
                    percent: *percent,
                })
                .collect()
        };
        Ok(Response::new(pb::GetPodMetricsResponse {
            pod_id: metrics.pod.pod_id.clone(),
            status: pb::PodStatus::from(metrics.pod.status) as i32,
            public_ip: metrics.pod.public_ip.clone(),
            private_ip: metrics.pod.private_ip.clone(),
            uptime: Some(duration_pb(metrics.uptime)),
            cpu: points(&metrics.utilisation.cpu),
            memory: points(&metrics.utilisation.memory),
            cost_so_far: Some(proto::usd(metrics.cost_so_far_cents)),
            monthly_cost_estimate: Some(proto::usd(metrics.monthly_estimate_cents)),
            generated_at: Some(proto::timestamp(self.clock.now())),
        }))
    }

    async fn list_pod_history(
        &self,
        request: Request<pb::ListPodHistoryRequest>,
    ) -> Result<Response<pb::ListPodHistoryResponse>, Status> {
        self.guard.admin(&request, Role::Viewer).await?;
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let limit = match request.page_size {
            0 => 100,
            size => u64::try_from(size).unwrap_or(100),
        };
        let changes = self.pods.history(&request.pod_id, limit).await?;
        Ok(Response::new(pb::ListPodHistoryResponse {
            pod_id: request.pod_id.trim().to_owned(),
            changes: changes
                .into_iter()
                .map(|change| pb::PodStatusChange {
                    previous_status: change
                        .previous
                        .map_or(pb::PodStatus::Unspecified, pb::PodStatus::from)
                        as i32,
                    status: pb::PodStatus::from(change.status) as i32,
                    reason: change.reason,
                    occurred_at: Some(proto::timestamp(change.at)),
                })
                .collect(),
        }))
    }

    async fn watch_pod(
        &self,
        request: Request<pb::WatchPodRequest>,
    ) -> Result<Response<WatchStream>, Status> {
        field::check(request.get_ref())?;
        let (pod, sub) = self.readable(&request, &request.get_ref().pod_id).await?;
        let mut changes = self.pods.subscribe();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let first = pb::WatchPodResponse {
            pod: Some(self.to_pb(&pod, &sub)),
            previous_status: pb::PodStatus::Unspecified as i32,
            occurred_at: Some(proto::timestamp(self.clock.now())),
            initial: true,
        };
        let api = self.clone();
        let credentials = context::credentials_of(&request);
        tokio::spawn(async move {
            if tx.send(Ok(first)).await.is_err() {
                return;
            }
            let mut last = pod.status;
            // One timer for the stream's life: other pods' changes must not postpone it.
            let mut resync = tokio::time::interval(WATCH_RESYNC);
            resync.tick().await;
            while last != PodStatus::Destroyed {
                tokio::select! {
                    changed = changes.recv() => match changed {
                        Ok(change) if change.pod.pod_id != pod.pod_id => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                        // A change of this pod, or missed changes: re-read below.
                        _ => {}
                    },
                    _ = resync.tick() => {}
                    () = tx.closed() => break,
                }
                match context::recheck(api.readable(&credentials, &pod.pod_id).await, &tx).await {
                    context::Recheck::Go => {}
                    context::Recheck::Skip => continue,
                    context::Recheck::End => break,
                }
                let Ok((now, sub)) = api.pods.get(&pod.pod_id).await else {
                    continue;
                };
                if now.status == last {
                    continue;
                }
                let message = pb::WatchPodResponse {
                    pod: Some(api.to_pb(&now, &sub)),
                    previous_status: pb::PodStatus::from(last) as i32,
                    occurred_at: Some(proto::timestamp(now.updated_at)),
                    initial: false,
                };
                last = now.status;
                if tx.send(Ok(message)).await.is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
