//! The lifecycle job: expires subscriptions whose period ended and ends those never activated or
//! never paid. (Provisioning timeouts belong to the pod reconciler, which also stops the task.)
//! `run_once` is one pass (tests call it with a chosen time); `spawn` loops.

use std::{sync::Arc, time::Duration as StdDuration};

use chrono::{DateTime, Utc};

use super::{ServiceError, ServiceResult, clock::Clock, subscriptions::Subscriptions};
use crate::domain::subscription::SubscriptionStatus;
use crate::persistence::{entities::subscription::Column, subscriptions as repo};

/// How much one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LifecycleReport {
    pub expired: usize,
    /// Never activated or never paid.
    pub abandoned: usize,
}

const BATCH: u64 = 500;

/// One pass at `now`.
pub async fn run_once(
    subscriptions: &Subscriptions,
    now: DateTime<Utc>,
) -> ServiceResult<LifecycleReport> {
    let db = subscriptions.db();
    let mut report = LifecycleReport::default();
    let with_period = [
        SubscriptionStatus::Provisioning,
        SubscriptionStatus::Running,
        SubscriptionStatus::Suspended,
        SubscriptionStatus::Failed,
    ];
    for subscription in repo::due(db, &with_period, Column::PeriodEndAt, now, BATCH).await? {
        match subscriptions
            .change_status(
                subscription,
                SubscriptionStatus::Expired,
                "subscription period ended",
                now,
                None,
                |_| {},
            )
            .await
        {
            Ok(_) => report.expired += 1,
            // Changed by someone else meanwhile: the next pass sees its new state.
            Err(ServiceError::FailedPrecondition(_) | ServiceError::Aborted(_)) => {}
            Err(other) => return Err(other),
        }
    }
    // Never activated (token expired) or never paid: end them, which also frees the email for a
    // new trial.
    let stale = [
        (
            SubscriptionStatus::PendingActivation,
            Column::ActivationTokenExpiresAt,
            now,
            "activation token expired unused",
        ),
        (
            SubscriptionStatus::PendingPayment,
            Column::CreatedAt,
            now - subscriptions.settings().unpaid_ttl,
            "never paid",
        ),
    ];
    for (status, column, cutoff, reason) in stale {
        for subscription in repo::due(db, &[status], column, cutoff, BATCH).await? {
            match subscriptions
                .change_status(
                    subscription,
                    SubscriptionStatus::Expired,
                    reason,
                    now,
                    None,
                    |_| {},
                )
                .await
            {
                Ok(_) => report.abandoned += 1,
                Err(ServiceError::FailedPrecondition(_) | ServiceError::Aborted(_)) => {}
                Err(other) => return Err(other),
            }
        }
    }
    // Login throttling windows last minutes; a day later nothing reads them.
    crate::persistence::attempts::prune(db, (now - chrono::Duration::days(1)).timestamp()).await?;
    Ok(report)
}

/// Runs a pass every `every` while this process leads the lifecycle job.
pub fn spawn(
    subscriptions: Subscriptions,
    clock: Arc<dyn Clock>,
    every: StdDuration,
    leadership: crate::persistence::leadership::Leadership,
) {
    super::jobs::every("lifecycle", every, leadership, move || {
        let (subscriptions, now) = (subscriptions.clone(), clock.now());
        async move { run_once(&subscriptions, now).await }
    });
}
