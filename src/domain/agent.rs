//! Agent sessions and decisions: their states, which decisions need an admin's approval, and
//! what a review may do.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Active,
    Completed,
    Failed,
    /// Ended by an admin or the idle timeout.
    Terminated,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 4] = [
        Self::Active,
        Self::Completed,
        Self::Failed,
        Self::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Terminated => "terminated",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Kinds of decision (the original system's five).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionType {
    GpuRecommendation,
    ProviderSelection,
    CostOptimization,
    ScalingSuggestion,
    AlertResponse,
}

impl DecisionType {
    pub const ALL: [DecisionType; 5] = [
        Self::GpuRecommendation,
        Self::ProviderSelection,
        Self::CostOptimization,
        Self::ScalingSuggestion,
        Self::AlertResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GpuRecommendation => "gpu_recommendation",
            Self::ProviderSelection => "provider_selection",
            Self::CostOptimization => "cost_optimization",
            Self::ScalingSuggestion => "scaling_suggestion",
            Self::AlertResponse => "alert_response",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionStatus {
    Proposed,
    Approved,
    Rejected,
    Executed,
    Expired,
}

impl DecisionStatus {
    pub const ALL: [DecisionStatus; 5] = [
        Self::Proposed,
        Self::Approved,
        Self::Rejected,
        Self::Executed,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Executed => "executed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Choosing a provider (a deployment) and scaling spend money on the customer's behalf: they
/// always wait for an admin, whatever the agent says. Anything the agent flags high-impact too.
pub fn requires_approval(kind: DecisionType, high_impact: bool) -> bool {
    high_impact
        || matches!(
            kind,
            DecisionType::ProviderSelection | DecisionType::ScalingSuggestion
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

/// What a review of a decision in `status` does: `Ok(Some(new))` changes it, `Ok(None)` is the
/// same verdict again (unchanged), `Err` explains why it cannot be reviewed.
pub fn review(
    status: DecisionStatus,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    verdict: Verdict,
) -> Result<Option<DecisionStatus>, String> {
    let wanted = match verdict {
        Verdict::Approve => DecisionStatus::Approved,
        Verdict::Reject => DecisionStatus::Rejected,
    };
    match status {
        DecisionStatus::Proposed if expires_at.is_some_and(|at| at <= now) => {
            Err("the proposal expired unreviewed".into())
        }
        DecisionStatus::Proposed => Ok(Some(wanted)),
        same if same == wanted => Ok(None),
        other => Err(format!("the decision is {}", other.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_impact_kinds_always_need_approval() {
        assert!(requires_approval(DecisionType::ProviderSelection, false));
        assert!(requires_approval(DecisionType::ScalingSuggestion, false));
        assert!(!requires_approval(DecisionType::GpuRecommendation, false));
        assert!(requires_approval(DecisionType::CostOptimization, true));
    }

    #[test]
    fn reviews_move_proposals_once() {
        let now = Utc::now();
        let later = Some(now + chrono::Duration::hours(1));
        assert_eq!(
            review(DecisionStatus::Proposed, later, now, Verdict::Approve),
            Ok(Some(DecisionStatus::Approved))
        );
        assert_eq!(
            review(DecisionStatus::Approved, later, now, Verdict::Approve),
            Ok(None)
        );
        assert!(review(DecisionStatus::Approved, later, now, Verdict::Reject).is_err());
        assert!(review(DecisionStatus::Executed, None, now, Verdict::Approve).is_err());
        assert!(review(DecisionStatus::Proposed, Some(now), now, Verdict::Approve).is_err());
    }
}
