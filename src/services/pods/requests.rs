//! What the subscription lifecycle asks of the pod service (`PodRequests`), inside the
//! subscription's own transaction.

use super::*;

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
        events::pod_status_changed(txn, now, sub, &next, previous).await?;
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
        events::pod_status_changed(txn, now, sub, &next, Some(pod.status)).await?;
        self.publish(Some(pod.status), &next);
        Ok(())
    }

    fn wake(&self) {
        self.wake.notify_one();
    }
}
