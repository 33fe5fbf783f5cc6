//! The subscription lifecycle: one status enum and the one function that says which transitions
//! are legal.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{email::EmailAddress, mode::PaymentMode, plan::Plan, signup::Language};

/// A subscription as the use cases see it (secrets never appear here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub email: EmailAddress,
    pub name: String,
    pub plan: Plan,
    pub status: SubscriptionStatus,
    pub status_reason: String,
    pub country_code: String,
    pub tax_id: String,
    pub phone_number: String,
    pub language: Language,
    pub mode: PaymentMode,
    pub price_cents: i64,
    pub currency: String,
    pub token_limit: i64,
    pub tokens_used: i64,
    pub pod_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    pub provisioning_started_at: Option<DateTime<Utc>>,
    pub period_start_at: Option<DateTime<Utc>>,
    pub period_end_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub destroyed_at: Option<DateTime<Utc>>,
}

impl Subscription {
    /// The pod's id once the subscription was activated (before, no pod exists or is promised).
    pub fn visible_pod_id(&self) -> &str {
        if self.activated_at.is_some() {
            &self.pod_id
        } else {
            ""
        }
    }

    pub fn tokens_remaining(&self) -> i64 {
        (self.token_limit - self.tokens_used).max(0)
    }

    /// Where the customer reaches the pod (served once the pod runs).
    pub fn pod_url(&self, pod_domain: &str) -> String {
        format!("https://{}.{pod_domain}", self.pod_id)
    }
}

/// Where a subscription is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    /// A paid plan waiting for a verified capture.
    PendingPayment,
    /// Paid (or a trial): waiting for the customer's activation token.
    PendingActivation,
    /// The pod is being started.
    Provisioning,
    Running,
    Suspended,
    Cancelled,
    Expired,
    /// Deploy failed or timed out; activation may retry.
    Failed,
    /// Pod stopped and resources released. Final.
    Destroyed,
}

impl SubscriptionStatus {
    pub const ALL: [SubscriptionStatus; 9] = [
        Self::PendingPayment,
        Self::PendingActivation,
        Self::Provisioning,
        Self::Running,
        Self::Suspended,
        Self::Cancelled,
        Self::Expired,
        Self::Failed,
        Self::Destroyed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::PendingActivation => "pending_activation",
            Self::Provisioning => "provisioning",
            Self::Running => "running",
            Self::Suspended => "suspended",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::Destroyed => "destroyed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Live states can still be cancelled or expire; the others are over.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Cancelled | Self::Expired | Self::Destroyed)
    }

    /// Whether a pod may exist (being started or running) and so costs money.
    pub fn has_pod(self) -> bool {
        matches!(self, Self::Provisioning | Self::Running)
    }

    /// Progress shown to the customer while waiting for the pod.
    pub fn progress_percent(self) -> i32 {
        match self {
            Self::PendingPayment => 0,
            Self::PendingActivation => 10,
            Self::Provisioning => 50,
            Self::Running | Self::Suspended => 100,
            Self::Cancelled | Self::Expired | Self::Failed | Self::Destroyed => 0,
        }
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transition the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot move a subscription from {from} to {to}")]
pub struct IllegalTransition {
    pub from: SubscriptionStatus,
    pub to: SubscriptionStatus,
}

/// The lifecycle (SPEC §5). Every status change goes through here.
pub fn transition(
    from: SubscriptionStatus,
    to: SubscriptionStatus,
) -> Result<SubscriptionStatus, IllegalTransition> {
    use SubscriptionStatus::*;
    let allowed = match (from, to) {
        (PendingPayment, PendingActivation) => true,
        (PendingActivation, Provisioning) => true,
        (Provisioning, Running | Failed) => true,
        // The pod died under a running subscription; StartPod or a new activation retries.
        (Running, Failed) => true,
        (Running, Suspended) | (Suspended, Running) => true,
        // The pod's task was lost and a new one is being deployed.
        (Running, Provisioning) => true,
        // Resuming a stopped pod starts a new task: the subscription waits for it like a first
        // start (and fails with it).
        (Suspended | Failed, Provisioning) => true,
        (Cancelled | Expired, Destroyed) => true,
        (from, Cancelled | Expired) => from.is_live(),
        _ => false,
    };
    if allowed {
        Ok(to)
    } else {
        Err(IllegalTransition { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::SubscriptionStatus::*;
    use super::*;

    #[test]
    fn the_happy_paths_are_allowed() {
        for path in [
            &[
                PendingPayment,
                PendingActivation,
                Provisioning,
                Running,
                Suspended,
                Running,
                Suspended,
                Provisioning,
                Running,
            ][..],
            &[
                PendingActivation,
                Provisioning,
                Failed,
                Provisioning,
                Running,
                Cancelled,
                Destroyed,
            ],
            &[Running, Expired, Destroyed],
        ] {
            for pair in path.windows(2) {
                assert!(
                    transition(pair[0], pair[1]).is_ok(),
                    "{} -> {}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn everything_else_is_refused_with_both_states() {
        let legal: usize = SubscriptionStatus::ALL
            .iter()
            .flat_map(|from| SubscriptionStatus::ALL.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| transition(*from, *to).is_ok())
            .count();
        // 12 explicit edges (running -> provisioning: a lost task redeployed) + 6 live states ×
        // {cancelled, expired}.
        assert_eq!(legal, 12 + 12);
        let error = transition(PendingPayment, Provisioning).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot move a subscription from pending_payment to provisioning"
        );
        assert!(transition(Destroyed, Provisioning).is_err());
        assert!(transition(Cancelled, Cancelled).is_err());
        assert!(transition(Running, Running).is_err());
    }

    #[test]
    fn names_round_trip() {
        for status in SubscriptionStatus::ALL {
            assert_eq!(SubscriptionStatus::parse(status.as_str()), Some(status));
        }
    }
}
