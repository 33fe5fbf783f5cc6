//! The hand-over from subscriptions to pods. The ECS implementation arrives with the pods issue;
//! until then [`OutboxPodRequests`] records each request as an outbox event in the caller's
//! transaction and starts nothing, so no pod is ever reported running that does not run.

use sea_orm::DatabaseTransaction;

use super::{ServiceResult, events};
use crate::domain::subscription::Subscription;

/// What the subscription lifecycle asks of the pod service.
#[async_trait::async_trait]
pub trait PodRequests: Send + Sync + std::fmt::Debug {
    /// The subscription entered `provisioning`: start its pod (idempotent per subscription).
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
}

/// Records start/stop requests in the outbox, for the pod service to act on.
#[derive(Debug, Default, Clone, Copy)]
pub struct OutboxPodRequests;

#[async_trait::async_trait]
impl PodRequests for OutboxPodRequests {
    async fn start(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
    ) -> ServiceResult<()> {
        events::pod_requested(
            txn,
            subscription,
            events::PodRequest::Start,
            "subscription activated",
        )
        .await
    }

    async fn stop(
        &self,
        txn: &DatabaseTransaction,
        subscription: &Subscription,
        reason: &str,
    ) -> ServiceResult<()> {
        events::pod_requested(txn, subscription, events::PodRequest::Stop, reason).await
    }
}
