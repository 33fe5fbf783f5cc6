//! Pods: one per subscription, run by a [`PodDriver`] (ECS Fargate, or a local process). Changes
//! are written in transactions with their events; the driver is called outside them. A reconciler
//! deploys requested pods, watches their tasks and enforces the provisioning timeout.

pub mod driver;
pub mod ecs;
pub mod local;

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
    clock::Clock,
    email::{OutgoingEmail, pod_ready_email},
    email_queue::EmailQueue,
    events,
    subscriptions::{AdminAction, move_status},
};
use crate::domain::{
    costs::FargatePricing,
    pod::{self, Pod, PodStatus, ReconcilePolicy, Step, TaskObservation, TaskPhase},
    secrets::{secret_hash, sha256_hex},
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::{
    leadership::Leadership, pods as repo, subscriptions as subscription_repo,
};
use driver::{DriverError, PodDriver, TaskSpec, Utilisation};

/// What the subscription lifecycle asks of the pod service, inside its transaction.
#[async_trait::async_trait]
pub trait PodRequests: Send + Sync + std::fmt::Debug {
    /// The subscription entered `provisioning`: request its pod (idempotent per subscription).
    async fn start(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
    ) -> ServiceResult<()>;
    /// The subscription ended or was suspended: stop its pod (idempotent).
    async fn stop(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
        reason: &str,
    ) -> ServiceResult<()>;
    /// The transaction of a request committed: act on it soon.
    fn wake(&self);
}

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
    /// Pods per reconciler query; a pass pages through all of them.
    pub reconcile_page_size: u64,
    pub pricing: FargatePricing,
    /// Derives each run's pod token (kept secret; never stored in plain).
    pub token_key: String,
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
        if !token.starts_with(POD_TOKEN_PREFIX) {
            return Err(ServiceError::Unauthenticated(
                "a pod token (gpt_…) is required".into(),
            ));
        }
        repo::find_by_token_hash(&self.db, &secret_hash(token))
            .await?
            .ok_or_else(|| ServiceError::Unauthenticated("invalid or expired pod token".into()))
    }

    pub async fn get(&self, pod_id: &str) -> ServiceResult<(Pod, Subscription)> {
        let pod = repo::find(&self.db, pod_id)
            .await?
            .ok_or_else(|| not_found(pod_id))?;
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal(format!("pod {pod_id} has no subscription")))?;
        Ok((pod, sub))
    }

    /// Where a running pod answers; empty when it does not run (or does not exist yet).
    pub async fn url_of(&self, pod_id: &str) -> ServiceResult<String> {
        Ok(repo::find(&self.db, pod_id)
            .await?
            .filter(|p| p.status == PodStatus::Running)
            .map(|p| p.endpoint)
            .unwrap_or_default())
    }

    /// Pods of these subscriptions.
    pub async fn for_subscriptions(&self, ids: Vec<String>) -> ServiceResult<Vec<Pod>> {
        Ok(repo::for_subscriptions(&self.db, ids).await?)
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
        events::pod_status_changed(&txn, &sub, &next, Some(current.status)).await?;
        extra(&txn, &sub).await?;
        txn.commit().await?;
        self.publish(Some(current.status), &next);
        Ok(Some(next))
    }

    /// Starts the task of a provisioning pod without one. A refusal fails the pod; an outage
    /// leaves it for the next pass (the provisioning timeout bounds the wait).
    async fn deploy(&self, pod: &Pod) -> ServiceResult<bool> {
        if !self.drives() {
            // The process that leads the reconciler runs this pod's task.
            return Ok(false);
        }
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("pod without subscription".into()))?;
        let token = self.pod_token(pod);
        let spec = TaskSpec {
            pod_id: pod.pod_id.clone(),
            subscription_id: pod.subscription_id.clone(),
            plan: sub.plan.as_str().to_owned(),
            client_token: pod.client_token(),
            env: vec![
                ("POD_ID".into(), pod.pod_id.clone()),
                ("PLAN".into(), sub.plan.as_str().to_owned()),
                (
                    "GPUBROKER_BUDGET_URL".into(),
                    self.settings.budget_url.clone(),
                ),
                ("GPUBROKER_POD_TOKEN".into(), token.clone()),
            ],
        };
        match self.driver.start(&spec).await {
            Ok(task) => {
                let now = self.clock.now();
                let written = repo::set_task(
                    &self.db,
                    &pod.pod_id,
                    pod.generation,
                    &task.task_arn,
                    &task.endpoint,
                    &secret_hash(&token),
                    now,
                )
                .await?;
                if written {
                    let mut next = pod.clone();
                    next.task_arn = task.task_arn;
                    next.endpoint = task.endpoint;
                    next.updated_at = now;
                    self.publish(Some(pod.status), &next);
                } else if repo::find(&self.db, &pod.pod_id)
                    .await?
                    .is_none_or(|now| now.task_arn != task.task_arn)
                {
                    // The pod moved on (cancelled, destroyed, failed) while the task started:
                    // nobody would watch this task, so it must not run.
                    if let Err(error) = self
                        .driver
                        .stop(&task.task_arn, "the pod no longer wants this task")
                        .await
                    {
                        tracing::warn!(pod_id = %pod.pod_id, %error, "cannot stop an orphan task");
                    }
                }
                Ok(written)
            }
            Err(DriverError::Rejected(reason)) => {
                self.fail(pod, format!("deploy refused: {reason}")).await?;
                Ok(false)
            }
            Err(DriverError::Unavailable(reason)) => {
                tracing::warn!(pod_id = %pod.pod_id, %reason, "deploy failed; retrying next pass");
                Ok(false)
            }
        }
    }

    async fn fail(&self, pod: &Pod, reason: String) -> ServiceResult<Option<Pod>> {
        let now = self.clock.now();
        let mut next = pod.clone();
        next.bank_run_time(now);
        next.status = pod::transition(pod.status, PodStatus::Failed)
            .map_err(|e| ServiceError::FailedPrecondition(e.to_string()))?;
        next.status_reason = reason.clone();
        next.updated_at = now;
        next.public_ip.clear();
        next.stopped_at = Some(now);
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id).await?;
        // Only a subscription waiting on this pod fails with it (an expired one stays expired).
        let to = sub
            .filter(|s| {
                matches!(
                    s.status,
                    SubscriptionStatus::Provisioning | SubscriptionStatus::Running
                )
            })
            .map(|_| (SubscriptionStatus::Failed, reason.as_str()));
        tracing::warn!(pod_id = %pod.pod_id, %reason, "pod failed");
        self.commit_change(pod, next, to, async |_, _| Ok(())).await
    }

    async fn mark_running(&self, pod: &Pod, seen: &TaskObservation) -> ServiceResult<bool> {
        let now = self.clock.now();
        let mut next = pod.clone();
        next.status = PodStatus::Running;
        next.status_reason = String::new();
        next.updated_at = now;
        next.started_at = Some(now);
        next.public_ip = seen.public_ip.clone().unwrap_or_default();
        next.private_ip = seen.private_ip.clone().unwrap_or_default();
        let emails = self.emails.clone();
        let endpoint = next.endpoint.clone();
        // A redeployed pod is back where it was: the customer was told it is ready already.
        let tell = pod.redeploys == 0;
        let mut queued = None;
        let done = self
            .commit_change(
                pod,
                next,
                Some((SubscriptionStatus::Running, "pod running")),
                async |txn, sub| {
                    if tell {
                        queued = Some(emails.enqueue(txn, &ready_message(sub, &endpoint)).await?);
                    }
                    Ok(())
                },
            )
            .await?;
        if let Some(id) = queued.filter(|_| done.is_some()) {
            self.emails.deliver(&id).await;
        }
        Ok(done.is_some())
    }

    /// Replaces a lost task: a new run (new generation and pod token) in `provisioning`, its
    /// subscription back to `provisioning` until the new task runs, the reason recorded.
    async fn redeploy(&self, pod: &Pod, reason: &str, attempt: i32) -> ServiceResult<Option<Pod>> {
        let now = self.clock.now();
        let mut lost = pod.clone();
        lost.bank_run_time(now);
        let mut next = restarted(&lost, now);
        next.redeploys = attempt;
        next.status_reason = format!(
            "redeploying ({attempt} of {}): {reason}",
            self.settings.max_redeploys
        );
        tracing::warn!(pod_id = %pod.pod_id, %reason, attempt, "task lost; redeploying");
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id).await?;
        let why = next.status_reason.clone();
        let to = sub
            .filter(|s| s.status == SubscriptionStatus::Running)
            .map(|_| (SubscriptionStatus::Provisioning, why.as_str()));
        self.commit_change(pod, next, to, async |_, _| Ok(())).await
    }

    async fn mark_stopped(&self, pod: &Pod) -> ServiceResult<Option<Pod>> {
        let now = self.clock.now();
        let mut next = pod.clone();
        next.bank_run_time(now);
        next.status = if pod.destroy_requested {
            next.destroyed_at = Some(now);
            PodStatus::Destroyed
        } else {
            PodStatus::Stopped
        };
        next.updated_at = now;
        next.stopped_at = Some(now);
        next.public_ip.clear();
        self.commit_change(pod, next, None, async |_, _| Ok(()))
            .await
    }

    /// One reconciler pass: deploys requested pods, then looks at every watched task once.
    pub async fn reconcile_once(&self) -> ServiceResult<ReconcileReport> {
        let mut report = ReconcileReport::default();
        let mut after: Option<String> = None;
        loop {
            let size = self.settings.reconcile_page_size;
            let page = repo::with_tasks(&self.db, after.as_deref(), size).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.pod_id.clone());
            let full = page.len() as u64 == size;
            self.reconcile_page(page, &mut report).await?;
            if !full {
                break;
            }
        }
        Ok(report)
    }

    /// Deploys the page's pods that wait for a task, then observes and steps every one of them.
    async fn reconcile_page(
        &self,
        page: Vec<Pod>,
        report: &mut ReconcileReport,
    ) -> ServiceResult<()> {
        for pod in &page {
            if pod.status == PodStatus::Provisioning && pod.task_arn.is_empty() {
                // One pod's trouble must not hold up the others.
                match self.deploy(pod).await {
                    Ok(true) => report.deployed += 1,
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(pod_id = %pod.pod_id, %error, "deploy step failed")
                    }
                }
            }
        }
        // As stored after the deploys, and only those still watched.
        let ids = page.into_iter().map(|p| p.pod_id).collect();
        let pods: Vec<Pod> = repo::by_ids(&self.db, ids)
            .await?
            .into_iter()
            .filter(|p| p.status.has_task())
            .collect();
        let arns: Vec<String> = pods
            .iter()
            .filter(|p| !p.task_arn.is_empty())
            .map(|p| p.task_arn.clone())
            .collect();
        let seen = if arns.is_empty() {
            Vec::new()
        } else {
            self.driver.describe(&arns).await.map_err(driver_error)?
        };
        let now = self.clock.now();
        report.provisioning += pods
            .iter()
            .filter(|p| matches!(p.status, PodStatus::Provisioning | PodStatus::Stopping))
            .count();
        for pod in pods {
            let observed = seen.iter().find(|o| o.task_arn == pod.task_arn);
            if let Err(error) = self.apply(&pod, observed, now, report).await {
                tracing::warn!(pod_id = %pod.pod_id, %error, "reconcile step failed; retrying next pass");
            }
        }
        Ok(())
    }

    /// The reconciler's step for one pod.
    async fn apply(
        &self,
        pod: &Pod,
        observed: Option<&TaskObservation>,
        now: DateTime<Utc>,
        report: &mut ReconcileReport,
    ) -> ServiceResult<()> {
        let policy = ReconcilePolicy {
            provisioning_timeout: self.settings.provisioning_timeout,
            max_redeploys: self.settings.max_redeploys,
            stable_after: self.settings.stable_after,
            stop_timeout: self.settings.stop_timeout,
        };
        match pod::step(pod, observed, now, &policy) {
            Step::Wait => {}
            Step::Redeploy { reason, attempt } => {
                if let Some(next) = self.redeploy(pod, &reason, attempt).await? {
                    report.redeployed += 1;
                    if let Err(error) = self.deploy(&next).await {
                        tracing::warn!(pod_id = %pod.pod_id, %error, "redeploy step failed; retrying next pass");
                    }
                }
            }
            Step::MarkRunning => {
                if let Some(seen) = observed
                    && self.mark_running(pod, seen).await?
                {
                    report.running += 1;
                }
            }
            Step::Fail(reason) => {
                if self.fail(pod, reason).await?.is_some() {
                    report.failed += 1;
                }
            }
            Step::StopAndFail(reason) => {
                // A task that may still start must not run (and cost) unseen: until the platform
                // accepts the stop, the pod stays watched.
                if let Some(seen) = observed
                    && !matches!(seen.phase, TaskPhase::Stopped | TaskPhase::Missing)
                    && let Err(error) = self.driver.stop(&pod.task_arn, &reason).await
                {
                    tracing::warn!(pod_id = %pod.pod_id, %error, "cannot stop a timed-out task yet");
                    return Ok(());
                }
                if self.fail(pod, reason).await?.is_some() {
                    report.failed += 1;
                }
            }
            Step::MarkStopped => {
                if self.mark_stopped(pod).await?.is_some() {
                    report.stopped += 1;
                }
            }
            Step::SendStop => {
                if let Err(e) = self.driver.stop(&pod.task_arn, &pod.status_reason).await {
                    tracing::warn!(pod_id = %pod.pod_id, error = %e, "stop not accepted yet");
                }
            }
        }
        Ok(())
    }

    /// Runs a pass every `every` (every second while a pod is provisioning or stopping), or
    /// sooner when a request wakes it, until the process ends; only while this process leads the
    /// `pods` job, so several replicas never drive one pod's task at once. A process that loses
    /// the lead stops the tasks it runs itself (local processes): the new leader starts its own.
    pub fn spawn(self, every: StdDuration, leadership: Leadership) {
        self.drives_tasks.store(false, Ordering::Relaxed);
        tokio::spawn(async move {
            let mut failing = false;
            loop {
                let mut next = every;
                let leads = leadership.lead("pods").await;
                if self.drives_tasks.swap(leads, Ordering::Relaxed) && !leads {
                    tracing::warn!("no longer leading the pod reconciler; stopping local tasks");
                    self.driver.release_all().await;
                }
                if leads {
                    match self.reconcile_once().await {
                        Ok(report) => {
                            if failing {
                                tracing::info!("pod reconciler recovered");
                            }
                            failing = false;
                            if report.provisioning > 0 {
                                next = next.min(StdDuration::from_secs(1));
                            }
                            let quiet = ReconcileReport {
                                provisioning: report.provisioning,
                                ..ReconcileReport::default()
                            };
                            if report != quiet {
                                tracing::info!(?report, "pod reconciler pass");
                            }
                        }
                        Err(error) => {
                            if !failing {
                                tracing::warn!(error = %error, "pod reconciler pass failed; retrying");
                            }
                            failing = true;
                        }
                    }
                }
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(next) => {}
                }
            }
        });
    }

    async fn admin_pod(&self, pod_id: &str) -> ServiceResult<Pod> {
        if pod_id.trim().is_empty() {
            return Err(ServiceError::invalid("pod_id", "is required"));
        }
        repo::find(&self.db, pod_id.trim())
            .await?
            .ok_or_else(|| not_found(pod_id.trim()))
    }

    /// Makes sure the pod's task is stopping or stopped; errors when the platform did not accept.
    async fn stop_task(&self, pod: &Pod, reason: &str) -> ServiceResult<Option<TaskObservation>> {
        if pod.task_arn.is_empty() {
            return Ok(None);
        }
        let seen = self
            .driver
            .describe(std::slice::from_ref(&pod.task_arn))
            .await
            .map_err(driver_error)?
            .pop();
        if let Some(seen) = &seen
            && (matches!(seen.phase, TaskPhase::Stopped | TaskPhase::Missing)
                || seen.stop_requested)
        {
            return Ok(Some(seen.clone()));
        }
        let stopped = self
            .driver
            .stop(&pod.task_arn, reason)
            .await
            .map_err(driver_error)?;
        if !(stopped.stop_requested || stopped.phase == TaskPhase::Stopped) {
            return Err(ServiceError::Unavailable("the pod platform"));
        }
        Ok(Some(stopped))
    }

    async fn audit(
        txn: &DatabaseTransaction,
        admin: &AdminAction,
        action: &str,
        pod: &Pod,
        details: serde_json::Value,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        admin
            .record(txn, now, action, ("pod", &pod.pod_id), details)
            .await
    }

    /// Admin: starts a stopped or failed pod (a new run, a new task). Idempotent.
    pub async fn start(&self, pod_id: &str, admin: &AdminAction) -> ServiceResult<Pod> {
        let pod = self.admin_pod(pod_id).await?;
        match pod.status {
            PodStatus::Provisioning | PodStatus::Running => return Ok(pod),
            PodStatus::Stopping => {
                return Err(ServiceError::FailedPrecondition(
                    "the pod is stopping; start it once it stopped".into(),
                ));
            }
            PodStatus::Destroyed => {
                return Err(ServiceError::FailedPrecondition(
                    "the pod is destroyed".into(),
                ));
            }
            PodStatus::Stopped | PodStatus::Failed => {}
        }
        let (_, sub) = self.get(&pod.pod_id).await?;
        let resume = match sub.status {
            // Running again only once the new task runs (the reconciler moves it on).
            SubscriptionStatus::Suspended | SubscriptionStatus::Failed => {
                SubscriptionStatus::Provisioning
            }
            SubscriptionStatus::Running | SubscriptionStatus::Provisioning => sub.status,
            other => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "the subscription is {other}; its pod cannot start"
                )));
            }
        };
        let now = self.clock.now();
        let mut next = restarted(&pod, now);
        next.status_reason = "started by an admin".into();
        let started = self
            .commit_change(
                &pod,
                next,
                Some((resume, "pod started by an admin")),
                async |txn, _| {
                    Self::audit(txn, admin, "pod.start", &pod, serde_json::json!({}), now).await
                },
            )
            .await?
            .ok_or_else(concurrently)?;
        // Deploy now so the answer carries the task; the reconciler retries what fails here.
        self.deploy(&started).await?;
        Ok(repo::find(&self.db, &started.pod_id)
            .await?
            .unwrap_or(started))
    }

    /// Admin: stops a running pod and suspends its subscription. The intent is recorded first
    /// (`stopping`), then the platform is asked; success means it accepted. If it did not, the
    /// pod stays `stopping` and the reconciler (or a repeated call) sends the stop again, so a
    /// crash or an outage in between never leaves a stopping task on a `running` row.
    pub async fn stop(
        &self,
        pod_id: &str,
        reason: &str,
        admin: &AdminAction,
    ) -> ServiceResult<Pod> {
        let reason = reason_text(reason, false)?;
        let reason = if reason.is_empty() {
            "stopped by an admin".to_owned()
        } else {
            reason
        };
        let pod = self.admin_pod(pod_id).await?;
        let pod = match pod.status {
            PodStatus::Stopped => return Ok(pod),
            PodStatus::Stopping => pod,
            PodStatus::Running => {
                let now = self.clock.now();
                let mut next = pod.clone();
                next.bank_run_time(now);
                next.status = PodStatus::Stopping;
                next.status_reason = reason.clone();
                next.updated_at = now;
                let sub_to = Some((SubscriptionStatus::Suspended, reason.as_str()));
                self.commit_change(&pod, next, sub_to, async |txn, _| {
                    Self::audit(
                        txn,
                        admin,
                        "pod.stop",
                        &pod,
                        serde_json::json!({"reason": reason}),
                        now,
                    )
                    .await
                })
                .await?
                .ok_or_else(concurrently)?
            }
            other => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "the pod is {other}; only a running pod can be stopped"
                )));
            }
        };
        self.finish_stop(pod, &reason).await
    }

    /// Admin: stops the task for good and destroys pod and subscription (cancelling a live one
    /// first). Recorded first, as for [`Pods::stop`]; a pod with a task stays `stopping` (destroy
    /// requested) until the task is gone, and success means the platform accepted the stop.
    pub async fn destroy(
        &self,
        pod_id: &str,
        reason: &str,
        admin: &AdminAction,
    ) -> ServiceResult<Pod> {
        let reason = reason_text(reason, true)?;
        let pod = self.admin_pod(pod_id).await?;
        let pod = match pod.status {
            PodStatus::Destroyed => return Ok(pod),
            PodStatus::Stopping if pod.destroy_requested => pod,
            _ => self.record_destroy(&pod, &reason, admin).await?,
        };
        if pod.status == PodStatus::Destroyed {
            return Ok(pod);
        }
        self.finish_stop(pod, &reason).await
    }

    /// Marks the pod for destruction (destroyed at once when it has no task) with its
    /// subscription cancelled and destroyed, audited, in one transaction.
    async fn record_destroy(
        &self,
        pod: &Pod,
        reason: &str,
        admin: &AdminAction,
    ) -> ServiceResult<Pod> {
        let now = self.clock.now();
        let mut next = pod.clone();
        next.bank_run_time(now);
        next.status_reason = reason.to_owned();
        next.updated_at = now;
        next.destroy_requested = true;
        next.public_ip.clear();
        if pod.status.has_task() && !pod.task_arn.is_empty() {
            // Destroyed by the reconciler (or finish_stop) once the task is gone.
            next.status = PodStatus::Stopping;
        } else {
            next.status = PodStatus::Destroyed;
            next.stopped_at = next.stopped_at.or(Some(now));
            next.destroyed_at = Some(now);
        }
        let txn = self.db.begin().await?;
        // Subscription row first, then the pod (the order every change takes).
        let mut sub = subscription_repo::find_for_update(&txn, &pod.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("pod without subscription".into()))?;
        if !repo::compare_and_set(&txn, &next, pod).await? {
            return Err(concurrently());
        }
        if sub.status.is_live() {
            sub = move_status(
                &txn,
                &sub,
                SubscriptionStatus::Cancelled,
                reason,
                now,
                |s| {
                    s.cancelled_at = Some(now);
                },
            )
            .await?
            .ok_or_else(concurrently)?;
        }
        if sub.status != SubscriptionStatus::Destroyed {
            move_status(
                &txn,
                &sub,
                SubscriptionStatus::Destroyed,
                reason,
                now,
                |s| {
                    s.destroyed_at = Some(now);
                },
            )
            .await?
            .ok_or_else(concurrently)?;
        }
        events::pod_status_changed(&txn, &sub, &next, Some(pod.status)).await?;
        Self::audit(
            &txn,
            admin,
            "pod.destroy",
            pod,
            serde_json::json!({"reason": reason}),
            now,
        )
        .await?;
        txn.commit().await?;
        self.publish(Some(pod.status), &next);
        Ok(next)
    }

    /// Makes sure the platform stops the task of a pod recorded as `stopping`; records the end at
    /// once when the task is already gone (otherwise the reconciler does when it sees it go).
    async fn finish_stop(&self, pod: Pod, reason: &str) -> ServiceResult<Pod> {
        if !self.drives() {
            // Recorded as stopping: the process that runs the task stops it on its next pass.
            return Ok(pod);
        }
        let seen = self.stop_task(&pod, reason).await?;
        if seen.is_none_or(|s| matches!(s.phase, TaskPhase::Stopped | TaskPhase::Missing))
            && let Some(done) = self.mark_stopped(&pod).await?
        {
            return Ok(done);
        }
        Ok(pod)
    }

    /// Utilisation over `window` in steps of `step`, uptime and cost so far.
    pub async fn metrics(
        &self,
        pod_id: &str,
        window: Duration,
        step: Duration,
    ) -> ServiceResult<PodMetrics> {
        let pod = self.admin_pod(pod_id).await?;
        let now = self.clock.now();
        let utilisation = if pod.task_arn.is_empty() {
            Utilisation::default()
        } else {
            let step_secs = i32::try_from(step.num_seconds()).unwrap_or(60);
            self.driver
                .utilisation(&pod.task_arn, now - window, now, step_secs)
                .await
                .map_err(driver_error)?
        };
        let pricing = &self.settings.pricing;
        Ok(PodMetrics {
            uptime: pod.uptime(now),
            cost_so_far_cents: pricing.cost_cents(pod.run_time(now).num_seconds()),
            monthly_estimate_cents: pricing.monthly_cents(),
            utilisation,
            pod,
        })
    }
}

/// The pod for a new run: a new generation (new clientToken, new pod token), no task yet.
fn restarted(pod: &Pod, now: DateTime<Utc>) -> Pod {
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

fn reason_text(reason: &str, needed: bool) -> ServiceResult<String> {
    if needed {
        super::input::required("reason", reason, 500)
    } else {
        super::input::text("reason", reason, 500)
    }
}

fn ready_message(sub: &Subscription, endpoint: &str) -> OutgoingEmail {
    let name = if sub.name.is_empty() {
        sub.email.local_part()
    } else {
        &sub.name
    };
    pod_ready_email(sub.email.as_str(), name, sub.language, endpoint)
}

#[async_trait::async_trait]
impl PodRequests for Pods {
    async fn start(&self, txn: &DatabaseTransaction, sub: &Subscription) -> ServiceResult<()> {
        let now = self.clock.now();
        let (previous, next) = match repo::find_by_subscription(txn, &sub.id).await? {
            None => {
                let pod = Pod {
                    pod_id: sub.pod_id.clone(),
                    subscription_id: sub.id.clone(),
                    status: PodStatus::Provisioning,
                    status_reason: String::new(),
                    destroy_requested: false,
                    generation: 1,
                    task_arn: String::new(),
                    endpoint: String::new(),
                    public_ip: String::new(),
                    private_ip: String::new(),
                    run_seconds: 0,
                    redeploys: 0,
                    created_at: now,
                    updated_at: now,
                    provisioning_started_at: Some(now),
                    started_at: None,
                    stopped_at: None,
                    destroyed_at: None,
                };
                repo::insert(txn, &pod).await?;
                (None, pod)
            }
            Some(pod) if matches!(pod.status, PodStatus::Stopped | PodStatus::Failed) => {
                let next = restarted(&pod, now);
                if !repo::compare_and_set(txn, &next, &pod).await? {
                    return Err(concurrently());
                }
                (Some(pod.status), next)
            }
            Some(pod) if pod.status == PodStatus::Destroyed => {
                return Err(ServiceError::FailedPrecondition(
                    "the pod is destroyed".into(),
                ));
            }
            // Already starting or running: nothing to request.
            Some(_) => return Ok(()),
        };
        events::pod_status_changed(txn, sub, &next, previous).await?;
        self.publish(previous, &next);
        Ok(())
    }

    async fn stop(
        &self,
        txn: &DatabaseTransaction,
        sub: &Subscription,
        reason: &str,
    ) -> ServiceResult<()> {
        let Some(pod) = repo::find_by_subscription(txn, &sub.id).await? else {
            return Ok(());
        };
        if !matches!(pod.status, PodStatus::Provisioning | PodStatus::Running) {
            return Ok(());
        }
        let now = self.clock.now();
        let mut next = pod.clone();
        next.bank_run_time(now);
        next.status_reason = reason.to_owned();
        next.updated_at = now;
        if pod.task_arn.is_empty() {
            next.status = PodStatus::Stopped;
            next.stopped_at = Some(now);
        } else {
            // The reconciler sends the stop (outside this transaction) and confirms it.
            next.status = PodStatus::Stopping;
        }
        if !repo::compare_and_set(txn, &next, &pod).await? {
            return Err(concurrently());
        }
        events::pod_status_changed(txn, sub, &next, Some(pod.status)).await?;
        self.publish(Some(pod.status), &next);
        Ok(())
    }

    fn wake(&self) {
        self.wake.notify_one();
    }
}
