//! Operators' pod actions (audited): start, stop and destroy as separate operations, and the
//! pod's metrics.

use super::*;

impl Pods {
    pub(super) async fn admin_pod(&self, pod_id: &str) -> ServiceResult<Pod> {
        if pod_id.trim().is_empty() {
            return Err(ServiceError::invalid("pod_id", "is required"));
        }
        repo::find(&self.db, pod_id.trim())
            .await?
            .ok_or_else(|| not_found(pod_id.trim()))
    }

    /// Makes sure the pod's task is stopping or stopped; errors when the platform did not accept.
    pub(super) async fn stop_task(
        &self,
        pod: &Pod,
        reason: &str,
    ) -> ServiceResult<Option<TaskObservation>> {
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
                    admin
                        .record(
                            txn,
                            now,
                            "pod.start",
                            ("pod", &pod.pod_id),
                            serde_json::json!({}),
                        )
                        .await
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
                    admin
                        .record(
                            txn,
                            now,
                            "pod.stop",
                            ("pod", &pod.pod_id),
                            serde_json::json!({"reason": reason}),
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
    pub(super) async fn record_destroy(
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
        events::pod_status_changed(&txn, now, &sub, &next, Some(pod.status)).await?;
        admin
            .record(
                &txn,
                now,
                "pod.destroy",
                ("pod", &pod.pod_id),
                serde_json::json!({"reason": reason}),
            )
            .await?;
        txn.commit().await?;
        self.publish(Some(pod.status), &next);
        Ok(next)
    }

    /// Makes sure the platform stops the task of a pod recorded as `stopping`; records the end at
    /// once when the task is already gone (otherwise the reconciler does when it sees it go).
    pub(super) async fn finish_stop(&self, pod: Pod, reason: &str) -> ServiceResult<Pod> {
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

    /// The newest `limit` status changes of a pod, newest first.
    pub async fn history(&self, pod_id: &str, limit: u64) -> ServiceResult<Vec<StatusChange>> {
        let pod = self.admin_pod(pod_id).await?;
        Ok(repo::status_history(&self.db, &pod.pod_id, limit).await?)
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

fn reason_text(reason: &str, needed: bool) -> ServiceResult<String> {
    if needed {
        crate::services::input::required("reason", reason, 500)
    } else {
        crate::services::input::text("reason", reason, 500)
    }
}
