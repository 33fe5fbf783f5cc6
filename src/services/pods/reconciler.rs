//! The reconciler: each pass compares every pod with its task and takes one step (deploy,
//! mark running, redeploy a lost task, stop, fail), one leader at a time across replicas.

use super::*;
use crate::domain::agent_env::agent_zero_env;

impl Pods {
    /// Starts the task of a provisioning pod without one. A refusal fails the pod; an outage
    /// leaves it for the next pass (the provisioning timeout bounds the wait).
    pub(super) async fn deploy(&self, pod: &Pod) -> ServiceResult<bool> {
        if !self.drives() {
            // The process that leads the reconciler runs this pod's task.
            return Ok(false);
        }
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("pod without subscription".into()))?;
        let token = self.pod_token(pod);
        let mut env = vec![
            ("POD_ID".into(), pod.pod_id.clone()),
            ("PLAN".into(), sub.plan.as_str().to_owned()),
            (
                "GPUBROKER_BUDGET_URL".into(),
                self.settings.budget_url.clone(),
            ),
            ("GPUBROKER_POD_TOKEN".into(), token.clone()),
        ];
        if let Some(llm) = &self.settings.agent_llm
            && let Some(model) = llm.models.get(sub.plan.as_str())
        {
            env.extend(agent_zero_env(&llm.api_base, model, &token));
        }
        let spec = TaskSpec {
            pod_id: pod.pod_id.clone(),
            subscription_id: pod.subscription_id.clone(),
            plan: sub.plan.as_str().to_owned(),
            client_token: pod.client_token(),
            env,
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

    pub(super) async fn fail(&self, pod: &Pod, reason: String) -> ServiceResult<Option<Pod>> {
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

    pub(super) async fn mark_running(
        &self,
        pod: &Pod,
        seen: &TaskObservation,
    ) -> ServiceResult<bool> {
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
    pub(super) async fn redeploy(
        &self,
        pod: &Pod,
        reason: &str,
        attempt: i32,
    ) -> ServiceResult<Option<Pod>> {
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

    pub(super) async fn mark_stopped(&self, pod: &Pod) -> ServiceResult<Option<Pod>> {
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
    pub(super) async fn reconcile_page(
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
    pub(super) async fn apply(
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
}

fn ready_message(sub: &Subscription, endpoint: &str) -> OutgoingEmail {
    let name = if sub.name.is_empty() {
        sub.email.local_part()
    } else {
        &sub.name
    };
    pod_ready_email(sub.email.as_str(), name, sub.language, endpoint)
}
