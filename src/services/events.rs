//! Domain events written to the outbox in the caller's transaction, encoded as the
//! `DomainEvent` envelope of `events.proto`.

use prost::Message;
use sea_orm::ConnectionTrait;

use super::ServiceResult;
use chrono::{DateTime, Utc};

use crate::domain::{
    agent::{DecisionStatus, DecisionType, SessionStatus},
    budget::{Budget, LedgerKind},
    pod::{Pod, PodStatus},
    secrets::new_id,
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::agents::{DecisionRow, SessionRow};
use crate::persistence::budgets::LedgerRow;
use crate::persistence::outbox::{self, NewOutboxEvent};
use crate::persistence::pods;
use crate::proto::{self, v1 as pb};

const SCHEMA_VERSION: i32 = 1;

/// The fully qualified message name of an event (`gpubroker.v1.SubscriptionCreated`), from its
/// message type, so the name stored with a row can never disagree with its payload.
macro_rules! event_type_name {
    ($($message:ident),+ $(,)?) => {
        fn event_type(event: &pb::domain_event::Event) -> String {
            use prost::Name;
            match event {
                $(pb::domain_event::Event::$message(_) => pb::$message::full_name(),)+
            }
        }
    };
}

event_type_name!(
    SubscriptionCreated,
    SubscriptionStatusChanged,
    ApiKeyRotated,
    ApiKeyRevoked,
    PaymentOrderCreated,
    PaymentStatusChanged,
    PaymentCaptured,
    PaymentRefunded,
    PodStatusChanged,
    UsageRecorded,
    BudgetThresholdCrossed,
    BudgetReset,
    BudgetLimitChanged,
    AgentSessionStarted,
    AgentSessionEnded,
    AgentDecisionLogged,
    AgentDecisionReviewed,
    AdminUserCreated,
    ModeSwitched,
);

/// Writes one event of `aggregate_type` in the caller's transaction, in the DomainEvent envelope.
pub(crate) async fn append<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    aggregate_type: &'static str,
    aggregate_id: &str,
    mode: pb::PaymentMode,
    event: pb::domain_event::Event,
) -> ServiceResult<()> {
    outbox::append(
        conn,
        envelope(at, aggregate_type, aggregate_id, mode, event),
    )
    .await?;
    Ok(())
}

/// The outbox row of one event, in the DomainEvent envelope.
fn envelope(
    at: DateTime<Utc>,
    aggregate_type: &'static str,
    aggregate_id: &str,
    mode: pb::PaymentMode,
    event: pb::domain_event::Event,
) -> NewOutboxEvent {
    let event_type = event_type(&event);
    let event_id = new_id("evt_");
    let envelope = pb::DomainEvent {
        metadata: Some(pb::EventMetadata {
            event_id: event_id.clone(),
            aggregate_id: aggregate_id.to_owned(),
            occurred_at: Some(proto::timestamp(at)),
            schema_version: SCHEMA_VERSION,
            mode: mode as i32,
            actor_id: String::new(),
            correlation_id: String::new(),
        }),
        event: Some(event),
    };
    NewOutboxEvent {
        event_id,
        aggregate_type,
        aggregate_id: aggregate_id.to_owned(),
        event_type,
        schema_version: SCHEMA_VERSION,
        created_at: at,
        payload: envelope.encode_to_vec(),
    }
}

/// An event of a subscription (keyed by its id, in its mode).
async fn subscription_event<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    event: pb::domain_event::Event,
) -> ServiceResult<()> {
    append(conn, at, "subscription", &sub.id, sub.mode.into(), event).await
}

/// An event of a subscription's budget.
async fn budget_event<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    event: pb::domain_event::Event,
) -> ServiceResult<()> {
    append(conn, at, "budget", &sub.id, budget_event_mode(sub), event).await
}

/// An event of a pod's agents (keyed by the pod, in its subscription's mode).
async fn agent_event<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    (pod_id, subscription_id): (&str, &str),
    event: pb::domain_event::Event,
) -> ServiceResult<()> {
    let mode = mode_of(conn, subscription_id).await?;
    append(conn, at, "agent", pod_id, mode, event).await
}

pub async fn subscription_created<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
) -> ServiceResult<()> {
    outbox::append(conn, subscription_created_row(at, sub)).await?;
    Ok(())
}

/// The outbox row of [`subscription_created`], for a caller that writes many at once.
pub fn subscription_created_row(at: DateTime<Utc>, sub: &Subscription) -> NewOutboxEvent {
    let event = pb::SubscriptionCreated {
        subscription_id: sub.id.clone(),
        plan: pb::Plan::from(sub.plan) as i32,
        status: pb::SubscriptionStatus::from(sub.status) as i32,
        customer_email: sub.email.to_string(),
        country_code: sub.country_code.clone(),
        language: pb::Language::from(sub.language) as i32,
        price: Some(proto::usd(sub.price_cents)),
        token_limit: sub.token_limit,
    };
    envelope(
        at,
        "subscription",
        &sub.id,
        sub.mode.into(),
        pb::domain_event::Event::SubscriptionCreated(event),
    )
}

pub async fn status_changed<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    previous: SubscriptionStatus,
) -> ServiceResult<()> {
    let event = pb::SubscriptionStatusChanged {
        subscription_id: sub.id.clone(),
        previous_status: pb::SubscriptionStatus::from(previous) as i32,
        status: pb::SubscriptionStatus::from(sub.status) as i32,
        reason: sub.status_reason.clone(),
        pod_id: sub.pod_id.clone(),
        period_start_at: sub.period_start_at.map(proto::timestamp),
        period_end_at: sub.period_end_at.map(proto::timestamp),
    };
    subscription_event(
        conn,
        at,
        sub,
        pb::domain_event::Event::SubscriptionStatusChanged(event),
    )
    .await
}

pub async fn api_key_rotated<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
) -> ServiceResult<()> {
    subscription_event(
        conn,
        at,
        sub,
        pb::domain_event::Event::ApiKeyRotated(pb::ApiKeyRotated {
            subscription_id: sub.id.clone(),
        }),
    )
    .await
}

pub async fn api_key_revoked<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    by_admin: bool,
) -> ServiceResult<()> {
    subscription_event(
        conn,
        at,
        sub,
        pb::domain_event::Event::ApiKeyRevoked(pb::ApiKeyRevoked {
            subscription_id: sub.id.clone(),
            by_admin,
        }),
    )
    .await
}

/// A pod changed status (or was created: `previous` is `None`). Every status change passes here,
/// so the pod's status history is written here too, in the same transaction as its event.
pub async fn pod_status_changed<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    pod: &Pod,
    previous: Option<PodStatus>,
) -> ServiceResult<()> {
    pods::append_status_change(conn, pod, previous, at).await?;
    let event = pb::PodStatusChanged {
        pod_id: pod.pod_id.clone(),
        subscription_id: sub.id.clone(),
        previous_status: previous.map_or(pb::PodStatus::Unspecified, pb::PodStatus::from) as i32,
        status: pb::PodStatus::from(pod.status) as i32,
        reason: pod.status_reason.clone(),
        task_arn: pod.task_arn.clone(),
        public_ip: pod.public_ip.clone(),
        plan: pb::Plan::from(sub.plan) as i32,
    };
    append(
        conn,
        at,
        "pod",
        &pod.pod_id,
        sub.mode.into(),
        pb::domain_event::Event::PodStatusChanged(event),
    )
    .await
}

fn budget_event_mode(sub: &Subscription) -> pb::PaymentMode {
    sub.mode.into()
}

/// A usage ledger entry was written (Commit or RecordUsage).
pub async fn usage_recorded<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    budget: &Budget,
    entry: &LedgerRow,
) -> ServiceResult<()> {
    outbox::append(conn, usage_recorded_row(at, sub, budget, entry)).await?;
    Ok(())
}

/// The outbox row of [`usage_recorded`], for a caller that writes many at once.
pub fn usage_recorded_row(
    at: DateTime<Utc>,
    sub: &Subscription,
    budget: &Budget,
    entry: &LedgerRow,
) -> NewOutboxEvent {
    let source = if entry.kind == LedgerKind::Commit.as_str() {
        pb::UsageSource::Commit
    } else {
        pb::UsageSource::Recorded
    };
    let event = pb::UsageRecorded {
        usage_id: entry.id.clone(),
        subscription_id: sub.id.clone(),
        pod_id: entry.pod_id.clone(),
        session_id: entry.session_id.clone(),
        source: source as i32,
        tokens: entry.committed_delta,
        tokens_in: entry.tokens_in,
        tokens_out: entry.tokens_out,
        tokens_cached: entry.tokens_cached,
        tokens_reasoning: entry.tokens_reasoning,
        model: entry.model.clone(),
        committed_tokens: budget.committed_tokens,
        limit_tokens: budget.limit_tokens,
    };
    envelope(
        at,
        "budget",
        &sub.id,
        budget_event_mode(sub),
        pb::domain_event::Event::UsageRecorded(event),
    )
}

pub async fn budget_threshold_crossed<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    budget: &Budget,
    threshold: i32,
) -> ServiceResult<()> {
    let event = pb::BudgetThresholdCrossed {
        subscription_id: sub.id.clone(),
        threshold_percent: threshold,
        committed_tokens: budget.committed_tokens,
        limit_tokens: budget.limit_tokens,
        period_start_at: Some(proto::timestamp(budget.period_start_at)),
    };
    budget_event(
        conn,
        at,
        sub,
        pb::domain_event::Event::BudgetThresholdCrossed(event),
    )
    .await
}

pub async fn budget_limit_changed<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    previous: i64,
    limit: i64,
    reason: &str,
) -> ServiceResult<()> {
    let event = pb::BudgetLimitChanged {
        subscription_id: sub.id.clone(),
        previous_limit_tokens: previous,
        limit_tokens: limit,
        reason: reason.to_owned(),
    };
    budget_event(
        conn,
        at,
        sub,
        pb::domain_event::Event::BudgetLimitChanged(event),
    )
    .await
}

pub async fn budget_reset<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    sub: &Subscription,
    previous: &Budget,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> ServiceResult<()> {
    let event = pb::BudgetReset {
        subscription_id: sub.id.clone(),
        previous_committed_tokens: previous.committed_tokens,
        limit_tokens: previous.limit_tokens,
        period_start_at: Some(proto::timestamp(start)),
        period_end_at: end.map(proto::timestamp),
    };
    budget_event(conn, at, sub, pb::domain_event::Event::BudgetReset(event)).await
}

/// The payment mode of a subscription's events (agent events carry only ids).
async fn mode_of<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
) -> ServiceResult<pb::PaymentMode> {
    Ok(
        crate::persistence::subscriptions::find_by_id(conn, subscription_id)
            .await?
            .map_or(pb::PaymentMode::Unspecified, |s| s.mode.into()),
    )
}

pub async fn agent_session_started<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    session: &SessionRow,
) -> ServiceResult<()> {
    let event = pb::AgentSessionStarted {
        session_id: session.id.clone(),
        pod_id: session.pod_id.clone(),
        subscription_id: session.subscription_id.clone(),
    };
    agent_event(
        conn,
        at,
        (&session.pod_id, &session.subscription_id),
        pb::domain_event::Event::AgentSessionStarted(event),
    )
    .await
}

pub async fn agent_session_ended<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    session: &SessionRow,
    status: SessionStatus,
    reason: &str,
) -> ServiceResult<()> {
    let event = pb::AgentSessionEnded {
        session_id: session.id.clone(),
        pod_id: session.pod_id.clone(),
        subscription_id: session.subscription_id.clone(),
        status: pb::AgentSessionStatus::from(status) as i32,
        tokens_used: session.tokens_used,
        reason: reason.to_owned(),
    };
    agent_event(
        conn,
        at,
        (&session.pod_id, &session.subscription_id),
        pb::domain_event::Event::AgentSessionEnded(event),
    )
    .await
}

pub async fn agent_decision_logged<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    decision: &DecisionRow,
) -> ServiceResult<()> {
    let status = DecisionStatus::parse(&decision.status).unwrap_or(DecisionStatus::Proposed);
    let event = pb::AgentDecisionLogged {
        decision_id: decision.id.clone(),
        pod_id: decision.pod_id.clone(),
        subscription_id: decision.subscription_id.clone(),
        decision_type: DecisionType::parse(&decision.decision_type)
            .map_or(pb::DecisionType::Unspecified, pb::DecisionType::from)
            as i32,
        status: pb::DecisionStatus::from(status) as i32,
        requires_approval: decision.requires_approval,
        title: decision.title.clone(),
    };
    agent_event(
        conn,
        at,
        (&decision.pod_id, &decision.subscription_id),
        pb::domain_event::Event::AgentDecisionLogged(event),
    )
    .await
}

pub async fn agent_decision_reviewed<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    decision: &DecisionRow,
    status: DecisionStatus,
    reviewer: &str,
) -> ServiceResult<()> {
    let event = pb::AgentDecisionReviewed {
        decision_id: decision.id.clone(),
        pod_id: decision.pod_id.clone(),
        status: pb::DecisionStatus::from(status) as i32,
        reviewed_by_user_id: reviewer.to_owned(),
    };
    agent_event(
        conn,
        at,
        (&decision.pod_id, &decision.subscription_id),
        pb::domain_event::Event::AgentDecisionReviewed(event),
    )
    .await
}
