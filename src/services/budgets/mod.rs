//! Agent token budgets: reserve, commit, release, record usage, expire, reset. The budget row's
//! conditional updates are the only way counters move, so `committed + held <= limit` holds under
//! any concurrency and across processes; every move is also a ledger row in the same transaction.

mod admin;
mod group;
mod holds;
mod usage;

pub use group::Durable;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use tokio::sync::broadcast;

use super::{
    ServiceError, ServiceResult,
    audit::AdminAction,
    clock::Clock,
    email::{budget_alert_email, vendor_budget_email},
    email_queue::{EmailQueue, Queued},
    events,
    input::{required, text},
};
use crate::domain::{
    budget::{Budget, LedgerKind, MAX_TOKENS, ReservationStatus, reservation_ttl, settle},
    llm::weighted,
    plan::PlanCatalogue,
    pod::Pod,
    secrets::new_id,
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::{
    budgets::{self as repo, LedgerRow, ReservationRow, UsageFilter},
    is_unique_violation, subscriptions as subscription_repo,
};

#[derive(Debug, Clone)]
pub struct BudgetSettings {
    /// Lifetime of a reservation when the caller does not say.
    pub default_ttl: Duration,
    pub max_ttl: Duration,
    /// Told when a budget is used up (unset: nobody).
    pub vendor_email: Option<String>,
    /// The plan table in force: a new period's limit is at least its plan's current one.
    pub plans: PlanCatalogue,
}

/// What changed a budget (WatchBudget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Reserved,
    Committed,
    Released,
    Expired,
    UsageRecorded,
    LimitChanged,
    Reset,
}

#[derive(Debug, Clone)]
pub struct BudgetChange {
    pub subscription_id: String,
    pub kind: ChangeKind,
    pub threshold: Option<i32>,
    pub at: DateTime<Utc>,
}

/// A change told to WatchBudget's watchers when it is sent.
struct Notice {
    changes: broadcast::Sender<BudgetChange>,
    change: BudgetChange,
}

impl Notice {
    fn send(self) {
        // Nobody watching is normal.
        let _ = self.changes.send(self.change);
    }
}

/// A reservation request.
#[derive(Debug, Clone, Default)]
pub struct ReserveInput {
    pub tokens: i64,
    pub ttl: Option<Duration>,
    pub idempotency_key: String,
    pub session_id: String,
    pub model: String,
}

/// Real usage, for Commit and RecordUsage.
#[derive(Debug, Clone, Default)]
pub struct UsageInput {
    /// Budget tokens charged.
    pub tokens: i64,
    pub model: String,
    /// LLM prompt tokens, for reporting.
    pub tokens_in: i64,
    /// LLM completion tokens, for reporting.
    pub tokens_out: i64,
    /// Of `tokens_in`, read from the provider's cache.
    pub tokens_cached: i64,
    /// Of `tokens_out`, spent reasoning.
    pub tokens_reasoning: i64,
    /// Budget tokens per LLM token when the charge is weighted (the metering proxy); unset,
    /// `tokens_in + tokens_out` is the charge itself.
    pub weight: Option<Decimal>,
    pub session_id: String,
}

#[derive(Debug, Clone)]
pub struct Reserved {
    pub reservation: ReservationRow,
    pub remaining: i64,
}

#[derive(Debug, Clone)]
pub struct Committed {
    pub reservation_id: String,
    pub committed_tokens: i64,
    pub usage_id: String,
    pub remaining: i64,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub record: LedgerRow,
    pub duplicate: bool,
    pub remaining: i64,
}

/// How much one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub expired: usize,
    pub reset: usize,
}

#[derive(Clone)]
pub struct Budgets {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    emails: EmailQueue,
    settings: Arc<BudgetSettings>,
    changes: broadcast::Sender<BudgetChange>,
    group: group::Group,
}

impl std::fmt::Debug for Budgets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budgets").finish_non_exhaustive()
    }
}

const SWEEP_BATCH: u64 = 500;

fn exceeded(remaining: i64, wanted: i64) -> ServiceError {
    ServiceError::LimitReached {
        reason: "BUDGET_EXCEEDED",
        message: format!("the budget has {remaining} tokens left; {wanted} requested"),
    }
}

/// A token figure of a request: at least `min`, at most [`MAX_TOKENS`].
pub fn token_count(field: &str, value: i64, min: i64) -> ServiceResult<i64> {
    if value < min {
        let problem = if min > 0 {
            "must be greater than 0"
        } else {
            "cannot be negative"
        };
        return Err(ServiceError::invalid(field, problem));
    }
    if value > MAX_TOKENS {
        return Err(ServiceError::invalid(
            field,
            format!("must be at most {MAX_TOKENS}"),
        ));
    }
    Ok(value)
}

fn validate_usage(input: &UsageInput, field: &str) -> ServiceResult<UsageInput> {
    token_count("tokens_in", input.tokens_in, 0)?;
    token_count("tokens_out", input.tokens_out, 0)?;
    if input.tokens_in < 0 || input.tokens_out < 0 {
        return Err(ServiceError::invalid(
            "tokens_in",
            "tokens_in and tokens_out cannot be negative",
        ));
    }
    if !(0..=input.tokens_in).contains(&input.tokens_cached) {
        return Err(ServiceError::invalid(
            "tokens_cached",
            "must be between 0 and tokens_in",
        ));
    }
    if !(0..=input.tokens_out).contains(&input.tokens_reasoning) {
        return Err(ServiceError::invalid(
            "tokens_reasoning",
            "must be between 0 and tokens_out",
        ));
    }
    let llm_tokens = input.tokens_in.checked_add(input.tokens_out);
    let charge = match input.weight {
        Some(weight) => llm_tokens.map(|tokens| weighted(tokens, weight)),
        None => llm_tokens,
    };
    if (input.tokens_in != 0 || input.tokens_out != 0) && charge != Some(input.tokens) {
        return Err(ServiceError::invalid(
            "tokens_in",
            match input.weight {
                Some(weight) => format!("(tokens_in + tokens_out) × {weight} must equal {field}"),
                None => format!("tokens_in + tokens_out must equal {field}"),
            },
        ));
    }
    Ok(UsageInput {
        model: text("model", &input.model, 200)?,
        session_id: text("session_id", &input.session_id, 40)?,
        ..input.clone()
    })
}

impl Budgets {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        emails: EmailQueue,
        settings: BudgetSettings,
    ) -> Self {
        Self {
            group: group::Group::start(db.clone(), clock.clone()),
            db,
            clock,
            emails,
            settings: Arc::new(settings),
            changes: broadcast::channel(1024).0,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<BudgetChange> {
        self.changes.subscribe()
    }

    fn publish(&self, subscription_id: &str, kind: ChangeKind, thresholds: &[i32]) {
        self.notice(subscription_id, kind, thresholds).send();
    }

    /// A change notice, to send once the change is durable.
    fn notice(&self, subscription_id: &str, kind: ChangeKind, thresholds: &[i32]) -> Notice {
        Notice {
            changes: self.changes.clone(),
            change: BudgetChange {
                subscription_id: subscription_id.to_owned(),
                kind,
                threshold: thresholds.last().copied(),
                at: self.clock.now(),
            },
        }
    }

    pub async fn get(&self, subscription_id: &str) -> ServiceResult<Budget> {
        repo::find(&self.db, subscription_id).await?.ok_or_else(|| {
            ServiceError::NotFound(format!(
                "subscription {subscription_id} has no budget (not activated yet)"
            ))
        })
    }

    /// The subscription a pod spends for; it must be running.
    async fn running_subscription(&self, pod: &Pod) -> ServiceResult<Subscription> {
        let sub = subscription_repo::find_by_id(&self.db, &pod.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("pod without subscription".into()))?;
        ensure_running(&sub)?;
        Ok(sub)
    }

    pub(super) async fn subscription(&self, id: &str) -> ServiceResult<Subscription> {
        subscription_repo::find_by_id(&self.db, id)
            .await?
            .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))
    }

    pub(super) async fn delivered(&self, emails: Vec<Queued>) {
        for queued in &emails {
            self.emails.deliver(queued).await;
        }
    }
}

/// A ledger row of `budget`'s current period.
fn ledger_row(
    budget: &Budget,
    kind: LedgerKind,
    held_delta: i64,
    committed_delta: i64,
    now: DateTime<Utc>,
) -> LedgerRow {
    let owner = (
        &budget.subscription_id,
        &budget.pod_id,
        budget.period_start_at,
    );
    ledger_entry(owner, kind, held_delta, committed_delta, now)
}

/// A ledger row of the budget of `(subscription, pod, period start)`.
fn ledger_entry(
    (subscription_id, pod_id, period_start_at): (&String, &String, DateTime<Utc>),
    kind: LedgerKind,
    held_delta: i64,
    committed_delta: i64,
    now: DateTime<Utc>,
) -> LedgerRow {
    LedgerRow {
        id: new_id("use_"),
        subscription_id: subscription_id.clone(),
        pod_id: pod_id.clone(),
        session_id: String::new(),
        kind: kind.as_str().to_owned(),
        reservation_id: String::new(),
        event_id: None,
        held_delta,
        committed_delta,
        tokens_in: 0,
        tokens_out: 0,
        tokens_cached: 0,
        tokens_reasoning: 0,
        model: String::new(),
        period_start_at,
        occurred_at: now,
        recorded_at: now,
    }
}

/// Only a running subscription spends tokens.
fn ensure_running(sub: &Subscription) -> ServiceResult<()> {
    if sub.status != SubscriptionStatus::Running {
        return Err(ServiceError::FailedPrecondition(format!(
            "the subscription is {}; only a running subscription spends tokens",
            sub.status
        )));
    }
    Ok(())
}

/// The budget of a subscription that just started its period (in the activation's transaction).
pub async fn open_budget(
    txn: &DatabaseTransaction,
    sub: &Subscription,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    repo::ensure(
        txn,
        &Budget {
            subscription_id: sub.id.clone(),
            pod_id: sub.pod_id.clone(),
            limit_tokens: sub.token_limit,
            committed_tokens: 0,
            held_tokens: 0,
            thresholds_mask: 0,
            period_start_at: sub.period_start_at.unwrap_or(now),
            period_end_at: sub.period_end_at,
            updated_at: now,
        },
    )
    .await?;
    Ok(())
}
