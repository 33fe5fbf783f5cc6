//! Conversions between the domain and the contract, in both directions, in one place: domain →
//! proto as `From` (also used when events are encoded), proto → domain as functions that answer
//! `None` for an unknown or unset value (handlers turn that into a field error).

use chrono::Duration;

use crate::domain::{
    agent::{DecisionStatus, DecisionType, SessionStatus},
    budget::Budget,
    mode::PaymentMode,
    plan::Plan,
    pod::PodStatus,
    role::Role,
    signup::Language,
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::{
    admin::AdminUserRow,
    agents::{DecisionRow, SessionRow},
    budgets::LedgerRow,
    payments::PaymentRow,
    transactions::TransactionRow,
};
use crate::proto::{self, usd, v1 as pb};
use crate::services::{
    admin_views::{Activity, CustomerSummary},
    budgets::ChangeKind,
};

impl From<SessionStatus> for pb::AgentSessionStatus {
    fn from(status: SessionStatus) -> Self {
        match status {
            SessionStatus::Active => Self::Active,
            SessionStatus::Completed => Self::Completed,
            SessionStatus::Failed => Self::Failed,
            SessionStatus::Terminated => Self::Terminated,
        }
    }
}

impl From<DecisionStatus> for pb::DecisionStatus {
    fn from(status: DecisionStatus) -> Self {
        match status {
            DecisionStatus::Proposed => Self::Proposed,
            DecisionStatus::Approved => Self::Approved,
            DecisionStatus::Rejected => Self::Rejected,
            DecisionStatus::Executed => Self::Executed,
            DecisionStatus::Expired => Self::Expired,
        }
    }
}

impl From<DecisionType> for pb::DecisionType {
    fn from(kind: DecisionType) -> Self {
        match kind {
            DecisionType::GpuRecommendation => Self::GpuRecommendation,
            DecisionType::ProviderSelection => Self::ProviderSelection,
            DecisionType::CostOptimization => Self::CostOptimization,
            DecisionType::ScalingSuggestion => Self::ScalingSuggestion,
            DecisionType::AlertResponse => Self::AlertResponse,
        }
    }
}

impl From<PodStatus> for pb::PodStatus {
    fn from(status: PodStatus) -> Self {
        match status {
            PodStatus::Provisioning => pb::PodStatus::Provisioning,
            PodStatus::Running => pb::PodStatus::Running,
            PodStatus::Stopping => pb::PodStatus::Stopping,
            PodStatus::Stopped => pb::PodStatus::Stopped,
            PodStatus::Failed => pb::PodStatus::Failed,
            PodStatus::Destroyed => pb::PodStatus::Destroyed,
        }
    }
}

impl From<Plan> for pb::Plan {
    fn from(plan: Plan) -> Self {
        match plan {
            Plan::Trial => pb::Plan::Trial,
            Plan::Basic => pb::Plan::Basic,
            Plan::Pro => pb::Plan::Pro,
            Plan::Corp => pb::Plan::Corp,
            Plan::Enterprise => pb::Plan::Enterprise,
        }
    }
}

impl From<SubscriptionStatus> for pb::SubscriptionStatus {
    fn from(status: SubscriptionStatus) -> Self {
        match status {
            SubscriptionStatus::PendingPayment => pb::SubscriptionStatus::PendingPayment,
            SubscriptionStatus::PendingActivation => pb::SubscriptionStatus::PendingActivation,
            SubscriptionStatus::Provisioning => pb::SubscriptionStatus::Provisioning,
            SubscriptionStatus::Running => pb::SubscriptionStatus::Running,
            SubscriptionStatus::Suspended => pb::SubscriptionStatus::Suspended,
            SubscriptionStatus::Cancelled => pb::SubscriptionStatus::Cancelled,
            SubscriptionStatus::Expired => pb::SubscriptionStatus::Expired,
            SubscriptionStatus::Failed => pb::SubscriptionStatus::Failed,
            SubscriptionStatus::Destroyed => pb::SubscriptionStatus::Destroyed,
        }
    }
}

impl From<PaymentMode> for pb::PaymentMode {
    fn from(mode: PaymentMode) -> Self {
        match mode {
            PaymentMode::Sandbox => pb::PaymentMode::Sandbox,
            PaymentMode::Live => pb::PaymentMode::Live,
        }
    }
}

impl From<Language> for pb::Language {
    fn from(language: Language) -> Self {
        match language {
            Language::Spanish => pb::Language::Es,
            Language::English => pb::Language::En,
        }
    }
}

impl From<Role> for pb::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Viewer => pb::Role::Viewer,
            Role::Admin => pb::Role::Admin,
            Role::SuperAdmin => pb::Role::SuperAdmin,
        }
    }
}

pub fn role_from_pb(value: i32) -> Option<Role> {
    match pb::Role::try_from(value).ok()? {
        pb::Role::Unspecified => None,
        pb::Role::Viewer => Some(Role::Viewer),
        pb::Role::Admin => Some(Role::Admin),
        pb::Role::SuperAdmin => Some(Role::SuperAdmin),
    }
}

pub fn admin_user_to_pb(user: &AdminUserRow) -> pb::AdminUser {
    pb::AdminUser {
        user_id: user.id.clone(),
        email: user.email.clone(),
        name: user.name.clone(),
        role: Role::parse(&user.role).map_or(pb::Role::Unspecified, pb::Role::from) as i32,
        active: user.active,
        created_at: Some(proto::timestamp(user.created_at)),
        last_login_at: user.last_login_at.map(proto::timestamp),
    }
}

pub fn plan_from_pb(value: i32) -> Option<Plan> {
    match pb::Plan::try_from(value).ok()? {
        pb::Plan::Unspecified => None,
        pb::Plan::Trial => Some(Plan::Trial),
        pb::Plan::Basic => Some(Plan::Basic),
        pb::Plan::Pro => Some(Plan::Pro),
        pb::Plan::Corp => Some(Plan::Corp),
        pb::Plan::Enterprise => Some(Plan::Enterprise),
    }
}

pub fn language_from_pb(value: i32) -> Option<Language> {
    match pb::Language::try_from(value).ok()? {
        pb::Language::Unspecified => None,
        pb::Language::Es => Some(Language::Spanish),
        pb::Language::En => Some(Language::English),
    }
}

pub fn status_from_pb(value: i32) -> Option<SubscriptionStatus> {
    use pb::SubscriptionStatus as S;
    Some(match S::try_from(value).ok()? {
        S::Unspecified => return None,
        S::PendingPayment => SubscriptionStatus::PendingPayment,
        S::PendingActivation => SubscriptionStatus::PendingActivation,
        S::Provisioning => SubscriptionStatus::Provisioning,
        S::Running => SubscriptionStatus::Running,
        S::Suspended => SubscriptionStatus::Suspended,
        S::Cancelled => SubscriptionStatus::Cancelled,
        S::Expired => SubscriptionStatus::Expired,
        S::Failed => SubscriptionStatus::Failed,
        S::Destroyed => SubscriptionStatus::Destroyed,
    })
}

pub fn mode_from_pb(value: i32) -> Option<PaymentMode> {
    match pb::PaymentMode::try_from(value).ok()? {
        pb::PaymentMode::Unspecified => None,
        pb::PaymentMode::Sandbox => Some(PaymentMode::Sandbox),
        pb::PaymentMode::Live => Some(PaymentMode::Live),
    }
}

pub fn subscription_to_pb(sub: &Subscription, domain: &str) -> pb::Subscription {
    pb::Subscription {
        subscription_id: sub.id.clone(),
        plan: pb::Plan::from(sub.plan) as i32,
        status: pb::SubscriptionStatus::from(sub.status) as i32,
        status_reason: sub.status_reason.clone(),
        customer_email: sub.email.to_string(),
        customer_name: sub.name.clone(),
        country_code: sub.country_code.clone(),
        tax_id: sub.tax_id.clone(),
        phone_number: sub.phone_number.clone(),
        language: pb::Language::from(sub.language) as i32,
        mode: pb::PaymentMode::from(sub.mode) as i32,
        price: Some(usd(sub.price_cents)),
        token_limit: sub.token_limit,
        tokens_used: sub.tokens_used,
        pod_id: sub.visible_pod_id().to_owned(),
        pod_url: pod_url(sub, domain),
        created_at: Some(proto::timestamp(sub.created_at)),
        updated_at: Some(proto::timestamp(sub.updated_at)),
        activated_at: sub.activated_at.map(proto::timestamp),
        period_start_at: sub.period_start_at.map(proto::timestamp),
        period_end_at: sub.period_end_at.map(proto::timestamp),
        cancelled_at: sub.cancelled_at.map(proto::timestamp),
        destroyed_at: sub.destroyed_at.map(proto::timestamp),
    }
}

pub fn payment_to_pb(row: &PaymentRow) -> pb::Payment {
    pb::Payment {
        payment_id: row.id.clone(),
        subscription_id: row.subscription_id.clone(),
        status: proto::payment_status(&row.status) as i32,
        amount: Some(usd(row.amount_cents)),
        refunded_amount: Some(usd(row.refunded_cents)),
        plan: Plan::parse(&row.plan).map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
        mode: PaymentMode::parse(&row.mode)
            .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from) as i32,
        customer_email: row.customer_email.clone(),
        paypal_order_id: row.paypal_order_id.clone().unwrap_or_default(),
        paypal_capture_id: row.paypal_capture_id.clone().unwrap_or_default(),
        status_reason: row.status_reason.clone(),
        created_at: Some(proto::timestamp(row.created_at)),
        updated_at: Some(proto::timestamp(row.updated_at)),
        completed_at: row.completed_at.map(proto::timestamp),
    }
}

pub fn customer_to_pb(customer: &CustomerSummary) -> pb::Customer {
    pb::Customer {
        email: customer.email.clone(),
        name: customer.name.clone(),
        country_code: customer.latest.country_code.clone(),
        tax_id: customer.latest.tax_id.clone(),
        language: pb::Language::from(customer.latest.language) as i32,
        subscription_count: customer.subscription_count,
        latest_subscription_id: customer.latest.id.clone(),
        latest_plan: pb::Plan::from(customer.latest.plan) as i32,
        latest_status: pb::SubscriptionStatus::from(customer.latest.status) as i32,
        latest_pod_id: customer.latest.pod_id.clone(),
        total_paid: Some(usd(customer.total_paid_cents)),
        first_seen_at: Some(proto::timestamp(customer.first_seen_at)),
        last_subscription_at: Some(proto::timestamp(customer.latest.created_at)),
    }
}

pub fn budget_to_pb(budget: &Budget) -> pb::Budget {
    pb::Budget {
        subscription_id: budget.subscription_id.clone(),
        pod_id: budget.pod_id.clone(),
        limit_tokens: budget.limit_tokens,
        committed_tokens: budget.committed_tokens,
        held_tokens: budget.held_tokens,
        remaining_tokens: budget.remaining(),
        percent_used: budget.percent_used(),
        thresholds_crossed: budget.thresholds_crossed(),
        period_start_at: Some(proto::timestamp(budget.period_start_at)),
        period_end_at: budget.period_end_at.map(proto::timestamp),
        updated_at: Some(proto::timestamp(budget.updated_at)),
    }
}

pub fn usage_to_pb(row: &LedgerRow) -> pb::UsageRecord {
    let commit = row.kind == "commit";
    pb::UsageRecord {
        usage_id: row.id.clone(),
        subscription_id: row.subscription_id.clone(),
        pod_id: row.pod_id.clone(),
        session_id: row.session_id.clone(),
        source: if commit {
            pb::UsageSource::Commit
        } else {
            pb::UsageSource::Recorded
        } as i32,
        reservation_id: row.reservation_id.clone(),
        event_id: row.event_id.clone().unwrap_or_default(),
        tokens: row.committed_delta,
        tokens_in: row.tokens_in,
        tokens_out: row.tokens_out,
        tokens_cached: row.tokens_cached,
        tokens_reasoning: row.tokens_reasoning,
        model: row.model.clone(),
        occurred_at: Some(proto::timestamp(row.occurred_at)),
        recorded_at: Some(proto::timestamp(row.recorded_at)),
    }
}

pub fn change_to_pb(kind: ChangeKind) -> pb::BudgetChangeKind {
    match kind {
        ChangeKind::Reserved => pb::BudgetChangeKind::Reserved,
        ChangeKind::Committed => pb::BudgetChangeKind::Committed,
        ChangeKind::Released => pb::BudgetChangeKind::Released,
        ChangeKind::Expired => pb::BudgetChangeKind::Expired,
        ChangeKind::UsageRecorded => pb::BudgetChangeKind::UsageRecorded,
        ChangeKind::LimitChanged => pb::BudgetChangeKind::LimitChanged,
        ChangeKind::Reset => pb::BudgetChangeKind::Reset,
    }
}

pub fn session_to_pb(row: &SessionRow) -> pb::AgentSession {
    pb::AgentSession {
        session_id: row.id.clone(),
        pod_id: row.pod_id.clone(),
        subscription_id: row.subscription_id.clone(),
        status: SessionStatus::parse(&row.status).map_or(
            pb::AgentSessionStatus::Unspecified,
            pb::AgentSessionStatus::from,
        ) as i32,
        external_session_id: row.external_session_id.clone(),
        tokens_used: row.tokens_used,
        started_at: Some(proto::timestamp(row.started_at)),
        last_activity_at: Some(proto::timestamp(row.last_activity_at)),
        ended_at: row.ended_at.map(proto::timestamp),
        end_reason: row.end_reason.clone(),
    }
}

pub fn decision_to_pb(row: &DecisionRow) -> pb::AgentDecision {
    pb::AgentDecision {
        decision_id: row.id.clone(),
        pod_id: row.pod_id.clone(),
        subscription_id: row.subscription_id.clone(),
        session_id: row.session_id.clone(),
        decision_type: DecisionType::parse(&row.decision_type)
            .map_or(pb::DecisionType::Unspecified, pb::DecisionType::from)
            as i32,
        status: DecisionStatus::parse(&row.status)
            .map_or(pb::DecisionStatus::Unspecified, pb::DecisionStatus::from)
            as i32,
        requires_approval: row.requires_approval,
        title: row.title.clone(),
        description: row.description.clone(),
        reasoning: row.reasoning.clone(),
        recommended_action: row.recommended_action.clone(),
        confidence_percent: row.confidence_percent,
        estimated_tokens: row.estimated_tokens,
        estimated_cost: row.estimated_cost_cents.map(proto::usd),
        created_at: Some(proto::timestamp(row.created_at)),
        expires_at: row.expires_at.map(proto::timestamp),
        reviewed_by_user_id: row.reviewed_by_user_id.clone(),
        reviewed_at: row.reviewed_at.map(proto::timestamp),
        review_notes: row.review_notes.clone(),
    }
}

pub fn decision_type_from_pb(value: i32) -> Option<DecisionType> {
    match pb::DecisionType::try_from(value).ok()? {
        pb::DecisionType::Unspecified => None,
        pb::DecisionType::GpuRecommendation => Some(DecisionType::GpuRecommendation),
        pb::DecisionType::ProviderSelection => Some(DecisionType::ProviderSelection),
        pb::DecisionType::CostOptimization => Some(DecisionType::CostOptimization),
        pb::DecisionType::ScalingSuggestion => Some(DecisionType::ScalingSuggestion),
        pb::DecisionType::AlertResponse => Some(DecisionType::AlertResponse),
    }
}

pub fn decision_status_from_pb(value: i32) -> Option<DecisionStatus> {
    match pb::DecisionStatus::try_from(value).ok()? {
        pb::DecisionStatus::Unspecified => None,
        pb::DecisionStatus::Proposed => Some(DecisionStatus::Proposed),
        pb::DecisionStatus::Approved => Some(DecisionStatus::Approved),
        pb::DecisionStatus::Rejected => Some(DecisionStatus::Rejected),
        pb::DecisionStatus::Executed => Some(DecisionStatus::Executed),
        pb::DecisionStatus::Expired => Some(DecisionStatus::Expired),
    }
}

pub fn transaction_to_pb(row: &TransactionRow, payment: Option<&PaymentRow>) -> pb::Transaction {
    let kind = match row.kind.as_str() {
        "capture" => pb::TransactionKind::Capture,
        "refund" => pb::TransactionKind::Refund,
        "reversal" => pb::TransactionKind::Reversal,
        _ => pb::TransactionKind::Unspecified,
    };
    let status = match row.status.as_str() {
        "completed" => pb::TransactionStatus::Completed,
        "pending" => pb::TransactionStatus::Pending,
        "failed" => pb::TransactionStatus::Failed,
        _ => pb::TransactionStatus::Unspecified,
    };
    pb::Transaction {
        transaction_id: row.id.clone(),
        payment_id: row.payment_id.clone(),
        subscription_id: row.subscription_id.clone(),
        kind: kind as i32,
        status: status as i32,
        amount: Some(proto::usd(row.amount_cents)),
        plan: payment
            .and_then(|p| crate::domain::plan::Plan::parse(&p.plan))
            .map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
        mode: payment
            .and_then(|p| PaymentMode::parse(&p.mode))
            .map_or(pb::PaymentMode::Unspecified, pb::PaymentMode::from) as i32,
        customer_email: payment
            .map(|p| p.customer_email.clone())
            .unwrap_or_default(),
        customer_name: String::new(),
        provider_reference: row.provider_reference.clone(),
        reason: row.reason.clone(),
        actor_user_id: row.actor_user_id.clone(),
        created_at: Some(proto::timestamp(row.created_at)),
        completed_at: (status == pb::TransactionStatus::Completed)
            .then(|| proto::timestamp(row.created_at)),
    }
}

pub fn duration_pb(duration: Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: duration.num_seconds(),
        nanos: 0,
    }
}

/// The pod status a request filters by (`None`: any, or PENDING, a state no pod is ever in).
pub fn pod_status_from_pb(status: pb::PodStatus) -> Option<PodStatus> {
    match status {
        pb::PodStatus::Unspecified | pb::PodStatus::Pending => None,
        pb::PodStatus::Provisioning => Some(PodStatus::Provisioning),
        pb::PodStatus::Running => Some(PodStatus::Running),
        pb::PodStatus::Stopping => Some(PodStatus::Stopping),
        pb::PodStatus::Stopped => Some(PodStatus::Stopped),
        pb::PodStatus::Failed => Some(PodStatus::Failed),
        pb::PodStatus::Destroyed => Some(PodStatus::Destroyed),
    }
}

/// A line of the dashboard's recent activity.
pub fn activity_to_pb(activity: &Activity) -> pb::DashboardActivity {
    match activity {
        Activity::Subscription(s) => pb::DashboardActivity {
            kind: match s.status {
                SubscriptionStatus::Running => pb::ActivityKind::PodStarted,
                SubscriptionStatus::Cancelled => pb::ActivityKind::Cancellation,
                _ => pb::ActivityKind::Registration,
            } as i32,
            occurred_at: Some(proto::timestamp(activity.occurred_at())),
            subscription_id: s.id.clone(),
            pod_id: s.pod_id.clone(),
            payment_id: String::new(),
            customer_email: s.email.to_string(),
            plan: pb::Plan::from(s.plan) as i32,
            amount: None,
        },
        Activity::Payment(p) => pb::DashboardActivity {
            kind: pb::ActivityKind::Payment as i32,
            occurred_at: Some(proto::timestamp(activity.occurred_at())),
            subscription_id: p.subscription_id.clone(),
            pod_id: String::new(),
            payment_id: p.id.clone(),
            customer_email: p.customer_email.clone(),
            plan: Plan::parse(&p.plan).map_or(pb::Plan::Unspecified, pb::Plan::from) as i32,
            amount: Some(usd(p.amount_cents)),
        },
    }
}

/// The pod URL is only shown once the pod runs.
pub fn pod_url(sub: &Subscription, domain: &str) -> String {
    if sub.status == SubscriptionStatus::Running {
        sub.pod_url(domain)
    } else {
        String::new()
    }
}
