//! Pods: one per subscription, run by a [`PodDriver`] (ECS Fargate, or a local process). Changes
//! are written in transactions with their events; the driver is called outside them. A reconciler
//! deploys requested pods, watches their tasks and enforces the provisioning timeout.

mod admin;
mod callers;
pub mod driver;
pub mod ecs;
pub mod local;
mod reconciler;
mod requests;

pub use callers::{Caller, PodCallers};

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration as StdDuration,
};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use tokio::sync::{Notify, broadcast};

use super::{
    ServiceError, ServiceResult,
    audit::AdminAction,
    clock::Clock,
    email::{OutgoingEmail, pod_ready_email},
    email_queue::EmailQueue,
    events,
    subscriptions::{PodRequests, move_status},
};
use crate::domain::{
    budget::Budget,
    costs::FargatePricing,
    pod::{self, Pod, PodStatus, ReconcilePolicy, StatusChange, Step, TaskObservation, TaskPhase},
    secrets::{secret_hash, sha256_hex},
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::{
    leadership::Leadership, pods as repo, subscriptions as subscription_repo,
};
use driver::{DriverError, PodDriver, TaskSpec, Utilisation};

/// Prefix of pod-scoped tokens (they authenticate a pod to the budget service).
pub const POD_TOKEN_PREFIX: &str = "gpt_";

#[derive(Debug, Clone)]
pub struct PodSettings {
    pub provisioning_timeout: Duration,
    /// Lost tasks replaced automatically before a pod fails (`pods.max_redeploys`).
    pub max_redeploys: i32,
    /// A run this long counts as stable: a later loss starts the redeploy count afresh.
    pub stable_after: Duration,
    /// A task not stopped this long after the stop request fails the pod.
    pub stop_timeout: Duration,
    /// Given to every pod as `GPUBROKER_BUDGET_URL`.
    pub budget_url: String,
    /// Where pods' Agent Zero sends its LLM calls (unset: the proxy is off).
    pub agent_llm: Option<AgentLlm>,
    /// Pods per reconciler query; a pass pages through all of them.
    pub reconcile_page_size: u64,
    pub pricing: FargatePricing,
    /// Derives each run's pod token (kept secret; never stored in plain).
    pub token_key: String,
}

/// The metering proxy as a pod's Agent Zero is configured to reach it.
#[derive(Debug, Clone)]
pub struct AgentLlm {
    /// The proxy's URL as pods reach it (their `api_base`).
    pub api_base: String,
    /// Each plan's model (by plan name).
    pub models: std::collections::BTreeMap<String, String>,
}

/// A pod after a change, and its status before (for WatchPod).
#[derive(Debug, Clone)]
pub struct PodChange {
    pub pod: Pod,
    pub previous: Option<PodStatus>,
    pub at: DateTime<Utc>,
}

/// How much one reconciler pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReconcileReport {
    pub deployed: usize,
    pub running: usize,
    pub failed: usize,
    pub stopped: usize,
    /// Lost tasks replaced by new ones.
    pub redeployed: usize,
    /// Pods still provisioning or stopping after the pass (the loop polls them sooner).
    pub provisioning: usize,
}

/// A pod's utilisation, uptime and cost.
#[derive(Debug, Clone)]
pub struct PodMetrics {
    pub pod: Pod,
    pub utilisation: Utilisation,
    pub uptime: Duration,
    pub cost_so_far_cents: i64,
    pub monthly_estimate_cents: i64,
}

#[derive(Clone)]
pub struct Pods {
    db: DatabaseConnection,
    driver: Arc<dyn PodDriver>,
    emails: EmailQueue,
    clock: Arc<dyn Clock>,
    settings: Arc<PodSettings>,
    changes: broadcast::Sender<PodChange>,
    wake: Arc<Notify>,
    /// Whether this process may drive tasks its driver keeps to itself (local processes): true
    /// while its reconciler leads (and in a process without a background reconciler loop).
    drives_tasks: Arc<AtomicBool>,
}

impl std::fmt::Debug for Pods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pods")
            .field("driver", &self.driver)
            .finish_non_exhaustive()
    }
}

fn driver_error(error: DriverError) -> ServiceError {
    match error {
        DriverError::Rejected(reason) => ServiceError::FailedPrecondition(reason),
        DriverError::Unavailable(reason) => {
            tracing::warn!(%reason, "pod platform unavailable");
            ServiceError::Unavailable("the pod platform")
        }
    }
}

fn not_found(pod_id: &str) -> ServiceError {
    ServiceError::NotFound(format!("pod {pod_id} not found"))
}

fn concurrently() -> ServiceError {
    ServiceError::Aborted("the pod changed concurrently; retry".into())
}

impl Pods {
    pub fn new(
        db: DatabaseConnection,
        driver: Arc<dyn PodDriver>,
        emails: EmailQueue,
        clock: Arc<dyn Clock>,
        settings: PodSettings,
    ) -> Self {
        Self {
            db,
            driver,
            emails,
            clock,
            settings: Arc::new(settings),
            changes: broadcast::channel(256).0,
            wake: Arc::new(Notify::new()),
            drives_tasks: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Whether this process may start and stop tasks itself: always for a shared platform (ECS),
    /// only while leading the reconciler for a driver whose tasks live in one process (local).
    fn drives(&self) -> bool {
        self.driver.is_shared() || self.drives_tasks.load(Ordering::Relaxed)
    }

    /// Stops the tasks this process runs itself (local processes), at shutdown.
    pub async fn release_local_tasks(&self) {
        self.driver.release_all().await;
    }

    /// Tells whether this process's driver may drive its own tasks (false for a replica whose
    /// reconciler is switched off: another process runs the local pods).
    pub fn set_drives_tasks(&self, drives: bool) {
        self.drives_tasks.store(drives, Ordering::Relaxed);
    }

    /// Every committed pod change, as it happens in this process.
    pub fn subscribe(&self) -> broadcast::Receiver<PodChange> {
        self.changes.subscribe()
    }

    fn publish(&self, previous: Option<PodStatus>, pod: &Pod) {
        // No receivers is normal (nobody watching).
        let _ = self.changes.send(PodChange {
            pod: pod.clone(),
            previous,
            at: self.clock.now(),
        });
    }

    /// The token of a pod's current run: derived, so a retried deploy passes the same one.
    fn pod_token(&self, pod: &Pod) -> String {
        let digest = sha256_hex(
            format!(
                "{}\npod-token\n{}\n{}",
                self.settings.token_key, pod.pod_id, pod.generation
            )
            .as_bytes(),
        );
        format!("{POD_TOKEN_PREFIX}{digest}")
    }

    /// The pod whose current run holds `token`.
    pub async fn by_token(&self, token: &str) -> ServiceResult<Pod> {
        repo::find_by_token_hash(&self.db, &pod_token_hash(token)?)
            .await?
            .ok_or_else(invalid_pod_token)
    }

    /// The pod whose token has this [`pod_token_hash`], with its subscription and budget (none
    /// before activation), read together: the metering proxy's read.
    pub async fn caller_by_token_hash(
        &self,
        token_hash: &str,
    ) -> ServiceResult<(Pod, Subscription, Option<Budget>)> {
        repo::find_caller_by_token_hash(&self.db, token_hash)
            .await?
            .ok_or_else(invalid_pod_token)
    }

    pub async fn get(&self, pod_id: &str) -> ServiceResult<(Pod, Subscription)> {
        let pod = repo::find(&self.db, pod_id)
            .await?
            .ok_or_else(|| not_found(pod_id))?;
        let sub = self.subscription_of(&pod).await?;
        Ok((pod, sub))
    }

    /// The subscription a pod serves.
    pub async fn subscription_of(&self, pod: &Pod) -> ServiceResult<Subscription> {
        subscription_repo::by_ids(&self.db, std::slice::from_ref(&pod.subscription_id))
            .await?
            .pop()
            .ok_or_else(|| {
                ServiceError::Internal(format!("pod {} has no subscription", pod.pod_id))
            })
    }

    /// Where a running pod answers; empty when it does not run (or does not exist yet).
    pub async fn url_of(&self, pod_id: &str) -> ServiceResult<String> {
        Ok(repo::find(&self.db, pod_id)
            .await?
            .filter(|p| p.status == PodStatus::Running)
            .map(|p| p.endpoint)
            .unwrap_or_default())
    }

    /// One page of pods for operators, each with its subscription, and how many match.
    pub async fn list(
        &self,
        filter: &repo::PodFilter,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<(Pod, Subscription)>, u64)> {
        let (pods, total) = repo::list(&self.db, filter, offset, limit).await?;
        let ids: Vec<String> = pods.iter().map(|p| p.subscription_id.clone()).collect();
        let subscriptions = subscription_repo::by_ids(&self.db, &ids).await?;
        let listed = pods
            .into_iter()
            .filter_map(|pod| {
                let sub = subscriptions.iter().find(|s| s.id == pod.subscription_id)?;
                Some((pod, sub.clone()))
            })
            .collect();
        Ok((listed, total))
    }

    /// One status change of a pod (and, optionally, its subscription) with their events, in a
    /// transaction; `None` when someone else changed the pod first.
    async fn commit_change(
        &self,
        current: &Pod,
        next: Pod,
        subscription_to: Option<(SubscriptionStatus, &str)>,
        extra: impl AsyncFnOnce(&DatabaseTransaction, &Subscription) -> ServiceResult<()>,
    ) -> ServiceResult<Option<Pod>> {
        let now = next.updated_at;
        let txn = self.db.begin().await?;
        // Subscription row first, then the pod: the order subscription changes take too, so a
        // cancel racing the reconciler waits instead of deadlocking.
        let sub = subscription_repo::find_for_update(&txn, &next.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("pod without subscription".into()))?;
        if !repo::compare_and_set(&txn, &next, current).await? {
            txn.rollback().await.ok();
            return Ok(None);
        }
        let sub = match subscription_to {
            Some((to, reason)) if sub.status != to => {
                match move_status(&txn, &sub, to, reason, now, |_| {}).await? {
                    Some(moved) => moved,
                    None => {
                        txn.rollback().await.ok();
                        return Ok(None);
                    }
                }
            }
            _ => sub,
        };
        events::pod_status_changed(&txn, now, &sub, &next, Some(current.status)).await?;
        extra(&txn, &sub).await?;
        txn.commit().await?;
        self.publish(Some(current.status), &next);
        Ok(Some(next))
    }
}

/// The pod for a new run: a new generation (new clientToken, new pod token), no task yet.
pub(super) fn restarted(pod: &Pod, now: DateTime<Utc>) -> Pod {
    let mut next = pod.clone();
    next.status = PodStatus::Provisioning;
    next.status_reason = String::new();
    next.generation += 1;
    next.redeploys = 0;
    next.task_arn.clear();
    next.public_ip.clear();
    next.private_ip.clear();
    next.destroy_requested = false;
    next.updated_at = now;
    next.provisioning_started_at = Some(now);
    next
}

/// The stored hash of a pod token, once it looks like one.
pub fn pod_token_hash(token: &str) -> ServiceResult<String> {
    if !token.starts_with(POD_TOKEN_PREFIX) {
        return Err(ServiceError::Unauthenticated(
            "a pod token (gpt_…) is required".into(),
        ));
    }
    Ok(secret_hash(token))
}

fn invalid_pod_token() -> ServiceError {
    ServiceError::Unauthenticated("invalid or expired pod token".into())
}
