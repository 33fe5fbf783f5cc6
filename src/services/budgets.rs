//! Agent token budgets: reserve, commit, release, record usage, expire, reset. The budget row's
//! conditional updates are the only way counters move, so `committed + held <= limit` holds under
//! any concurrency and across processes; every move is also a ledger row in the same transaction.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use tokio::sync::broadcast;

use super::{
    ServiceError, ServiceResult,
    audit::{self, AuditEntry},
    clock::Clock,
    email::{budget_alert_email, vendor_budget_email},
    email_queue::EmailQueue,
    events,
    input::{required, text},
    subscriptions::AdminAction,
};
use crate::domain::{
    budget::{Budget, LedgerKind, MAX_TOKENS, ReservationStatus, reservation_ttl, settle},
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
    pub tokens: i64,
    pub model: String,
    pub tokens_in: i64,
    pub tokens_out: i64,
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
    if (input.tokens_in != 0 || input.tokens_out != 0)
        && input.tokens_in.checked_add(input.tokens_out) != Some(input.tokens)
    {
        return Err(ServiceError::invalid(
            "tokens_in",
            format!("tokens_in + tokens_out must equal {field}"),
        ));
    }
    Ok(UsageInput {
        tokens: input.tokens,
        model: text("model", &input.model, 200)?,
        tokens_in: input.tokens_in,
        tokens_out: input.tokens_out,
        session_id: text("session_id", &input.session_id, 40)?,
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
        let at = self.clock.now();
        // Nobody watching is normal.
        let _ = self.changes.send(BudgetChange {
            subscription_id: subscription_id.to_owned(),
            kind,
            threshold: thresholds.last().copied(),
            at,
        });
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
        if sub.status != SubscriptionStatus::Running {
            return Err(ServiceError::FailedPrecondition(format!(
                "the subscription is {}; only a running subscription spends tokens",
                sub.status
            )));
        }
        Ok(sub)
    }

    fn ledger_row(
        &self,
        budget: &Budget,
        kind: LedgerKind,
        held_delta: i64,
        committed_delta: i64,
        now: DateTime<Utc>,
    ) -> LedgerRow {
        LedgerRow {
            id: new_id("use_"),
            subscription_id: budget.subscription_id.clone(),
            pod_id: budget.pod_id.clone(),
            session_id: String::new(),
            kind: kind.as_str().to_owned(),
            reservation_id: String::new(),
            event_id: None,
            held_delta,
            committed_delta,
            tokens_in: 0,
            tokens_out: 0,
            model: String::new(),
            period_start_at: budget.period_start_at,
            occurred_at: now,
            recorded_at: now,
        }
    }

    /// Holds tokens. A repeat with the same idempotency key returns the first reservation.
    pub async fn reserve(&self, pod: &Pod, input: ReserveInput) -> ServiceResult<Reserved> {
        token_count("tokens", input.tokens, 1)?;
        let key = required("idempotency_key", &input.idempotency_key, 128)?;
        let ttl = reservation_ttl(input.ttl, self.settings.default_ttl, self.settings.max_ttl)
            .map_err(|problem| ServiceError::invalid("ttl", problem))?;
        let model = text("model", &input.model, 200)?;
        let session_id = text("session_id", &input.session_id, 40)?;
        let sub = self.running_subscription(pod).await?;
        // A repeated key is found by the unique index when the insert below fails.
        for attempt in 0..3 {
            let budget = self.get(&sub.id).await?;
            let now = self.clock.now();
            let row = ReservationRow {
                id: new_id("res_"),
                subscription_id: sub.id.clone(),
                pod_id: pod.pod_id.clone(),
                session_id: session_id.clone(),
                model: model.clone(),
                tokens: input.tokens,
                status: ReservationStatus::Held.as_str().to_owned(),
                idempotency_key: key.clone(),
                committed_tokens: None,
                usage_id: None,
                capped: false,
                period_start_at: budget.period_start_at,
                created_at: now,
                expires_at: now + ttl,
                settled_at: None,
            };
            let txn = self.db.begin().await?;
            if let Err(error) = repo::insert_reservation(&txn, row.clone()).await {
                txn.rollback().await.ok();
                if is_unique_violation(&error)
                    && let Some(first) = repo::reservation_by_key(&self.db, &sub.id, &key).await?
                {
                    // A concurrent call with the same key won.
                    return self.reserved(first).await;
                }
                return Err(error.into());
            }
            let mut entry = self.ledger_row(&budget, LedgerKind::Reserve, input.tokens, 0, now);
            entry.reservation_id = row.id.clone();
            entry.session_id = session_id.clone();
            entry.model = model.clone();
            repo::append_ledger(&txn, entry).await?;
            // The budget row last: it stays locked from here to the commit.
            let Some(after) =
                repo::adjust(&txn, &sub.id, budget.period_start_at, input.tokens, 0, now).await?
            else {
                txn.rollback().await.ok();
                if self.retry_worthwhile(&budget, attempt).await? {
                    continue;
                }
                return Err(exceeded(budget.remaining(), input.tokens));
            };
            txn.commit().await?;
            self.publish(&sub.id, ChangeKind::Reserved, &[]);
            return Ok(Reserved {
                reservation: row,
                remaining: after.remaining(),
            });
        }
        Err(ServiceError::Aborted(
            "the budget changed concurrently; retry".into(),
        ))
    }

    /// After a move that did not fit: worth another attempt when a new period began meanwhile,
    /// or (once) when sweeping this budget's expired holds freed something.
    async fn retry_worthwhile(&self, seen: &Budget, attempt: usize) -> ServiceResult<bool> {
        if self.get(&seen.subscription_id).await?.period_start_at != seen.period_start_at {
            return Ok(true);
        }
        Ok(attempt == 0 && self.expire_due(Some(&seen.subscription_id)).await? > 0)
    }

    async fn reserved(&self, reservation: ReservationRow) -> ServiceResult<Reserved> {
        let remaining = self.get(&reservation.subscription_id).await?.remaining();
        Ok(Reserved {
            reservation,
            remaining,
        })
    }

    async fn own_reservation(&self, pod: &Pod, id: &str) -> ServiceResult<ReservationRow> {
        if id.trim().is_empty() {
            return Err(ServiceError::invalid("reservation_id", "is required"));
        }
        repo::reservation(&self.db, id.trim())
            .await?
            .filter(|r| r.subscription_id == pod.subscription_id)
            .ok_or_else(|| ServiceError::NotFound(format!("reservation {} not found", id.trim())))
    }

    /// The answer to a repeated commit: the stored result for the same figures.
    fn committed_again(&self, res: &ReservationRow, actual: i64) -> ServiceResult<Committed> {
        let stored = res.committed_tokens.unwrap_or_default();
        // A capped commit asked for more than its hold: a repeat that does too gets the same
        // answer; one within the hold cannot be the same call.
        if res.capped {
            if actual > res.tokens {
                return Err(exceeded(0, actual - res.tokens));
            }
            return Err(ServiceError::FailedPrecondition(format!(
                "reservation {} was committed with more tokens than it held",
                res.id
            )));
        }
        if stored != actual {
            return Err(ServiceError::FailedPrecondition(format!(
                "reservation {} was committed with {stored} tokens",
                res.id
            )));
        }
        Ok(Committed {
            reservation_id: res.id.clone(),
            committed_tokens: stored,
            usage_id: res.usage_id.clone().unwrap_or_default(),
            remaining: 0,
        })
    }

    /// Settles a reservation with the real usage. More than reserved is charged only if the
    /// budget covers it; otherwise the reserved amount is charged and RESOURCE_EXHAUSTED says so.
    pub async fn commit(
        &self,
        pod: &Pod,
        reservation_id: &str,
        usage: UsageInput,
    ) -> ServiceResult<Committed> {
        token_count("actual_tokens", usage.tokens, 0)?;
        let usage = validate_usage(&usage, "actual_tokens")?;
        let res = self.own_reservation(pod, reservation_id).await?;
        let now = self.clock.now();
        match ReservationStatus::parse(&res.status) {
            Some(ReservationStatus::Committed) => {
                let mut again = self.committed_again(&res, usage.tokens)?;
                again.remaining = self.get(&res.subscription_id).await?.remaining();
                return Ok(again);
            }
            Some(ReservationStatus::Held) if res.expires_at > now => {}
            Some(ReservationStatus::Held) => {
                self.expire(&res).await?;
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} expired",
                    res.id
                )));
            }
            _ => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} is {}",
                    res.id, res.status
                )));
            }
        }
        let budget = self.get(&res.subscription_id).await?;
        let sub = self.subscription(&res.subscription_id).await?;
        let plan = settle(res.tokens, usage.tokens);
        let mut entry = self.ledger_row(&budget, LedgerKind::Commit, -res.tokens, plan.charge, now);
        entry.reservation_id = res.id.clone();
        entry.session_id = res.session_id.clone();
        entry.model = if usage.model.is_empty() {
            res.model.clone()
        } else {
            usage.model.clone()
        };
        entry.tokens_in = usage.tokens_in;
        entry.tokens_out = usage.tokens_out;
        let txn = self.db.begin().await?;
        if !repo::settle_reservation(
            &txn,
            &res.id,
            ReservationStatus::Committed,
            Some(plan.charge),
            Some(&entry.id),
            false,
            now,
        )
        .await?
        {
            // Settled by a concurrent call: answer from what it stored.
            txn.rollback().await.ok();
            return Box::pin(self.commit(pod, reservation_id, usage)).await;
        }
        repo::append_ledger(&txn, entry.clone()).await?;
        let mut capped = false;
        let period = res.period_start_at;
        let after = match repo::adjust(
            &txn,
            &res.subscription_id,
            period,
            -res.tokens,
            plan.charge,
            now,
        )
        .await?
        {
            Some(after) => after,
            None if repo::find(&txn, &res.subscription_id)
                .await?
                .is_none_or(|b| b.period_start_at != period) =>
            {
                // Its period ended (and the reset dropped its hold): nothing can be charged.
                txn.rollback().await.ok();
                self.expire(&res).await?;
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} expired with its budget period",
                    res.id
                )));
            }
            None => {
                // The excess does not fit: charge what was held (always fits) and say so.
                capped = true;
                let Some(after) = repo::adjust(
                    &txn,
                    &res.subscription_id,
                    period,
                    -res.tokens,
                    res.tokens,
                    now,
                )
                .await?
                else {
                    return Err(ServiceError::Internal(format!(
                        "reservation {} is not covered by its budget's held tokens",
                        res.id
                    )));
                };
                repo::settle_reservation_figures(&txn, &res.id, res.tokens, true).await?;
                entry.committed_delta = res.tokens;
                entry.tokens_in = 0;
                entry.tokens_out = 0;
                repo::correct_ledger_charge(&txn, &entry.id, res.tokens).await?;
                after
            }
        };
        let (crossed, emails) = self.after_charge(&txn, &sub, &after, &entry).await?;
        txn.commit().await?;
        self.delivered(emails).await;
        self.publish(&res.subscription_id, ChangeKind::Committed, &crossed);
        if capped {
            return Err(exceeded(after.remaining(), plan.extra));
        }
        Ok(Committed {
            reservation_id: res.id,
            committed_tokens: entry.committed_delta,
            usage_id: entry.id,
            remaining: after.remaining(),
        })
    }

    /// Frees a held reservation; repeats and expired ones return 0.
    pub async fn release(&self, pod: &Pod, reservation_id: &str) -> ServiceResult<(i64, i64)> {
        let res = self.own_reservation(pod, reservation_id).await?;
        let now = self.clock.now();
        let released = match ReservationStatus::parse(&res.status) {
            Some(ReservationStatus::Committed) => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} is committed",
                    res.id
                )));
            }
            Some(ReservationStatus::Held) if res.expires_at > now => {
                self.end_hold(&res, ReservationStatus::Released, LedgerKind::Release)
                    .await?
            }
            Some(ReservationStatus::Held) => {
                self.expire(&res).await?;
                0
            }
            _ => 0,
        };
        let remaining = self.get(&res.subscription_id).await?.remaining();
        Ok((released, remaining))
    }

    /// Ends a held reservation without charging it; returns the tokens freed (0 if someone else
    /// ended it first).
    async fn end_hold(
        &self,
        res: &ReservationRow,
        to: ReservationStatus,
        kind: LedgerKind,
    ) -> ServiceResult<i64> {
        let now = self.clock.now();
        let budget = self.get(&res.subscription_id).await?;
        let txn = self.db.begin().await?;
        if !repo::settle_reservation(&txn, &res.id, to, None, None, false, now).await? {
            txn.rollback().await.ok();
            return Ok(0);
        }
        // Only the hold's own period gives tokens back: a reset already dropped older holds.
        let freed = match repo::adjust(
            &txn,
            &res.subscription_id,
            res.period_start_at,
            -res.tokens,
            0,
            now,
        )
        .await?
        {
            Some(_) => res.tokens,
            None if repo::find(&txn, &res.subscription_id)
                .await?
                .is_none_or(|b| b.period_start_at != res.period_start_at) =>
            {
                0
            }
            None => {
                return Err(ServiceError::Internal(format!(
                    "reservation {} is not covered by its budget's held tokens",
                    res.id
                )));
            }
        };
        let mut entry = self.ledger_row(&budget, kind, -freed, 0, now);
        entry.period_start_at = res.period_start_at;
        entry.reservation_id = res.id.clone();
        entry.session_id = res.session_id.clone();
        repo::append_ledger(&txn, entry).await?;
        txn.commit().await?;
        let change = if kind == LedgerKind::Expire {
            ChangeKind::Expired
        } else {
            ChangeKind::Released
        };
        self.publish(&res.subscription_id, change, &[]);
        Ok(freed)
    }

    async fn expire(&self, res: &ReservationRow) -> ServiceResult<i64> {
        self.end_hold(res, ReservationStatus::Expired, LedgerKind::Expire)
            .await
    }

    /// Releases holds whose expiry passed (of one budget, or all); returns how many.
    async fn expire_due(&self, subscription_id: Option<&str>) -> ServiceResult<usize> {
        let now = self.clock.now();
        let mut expired = 0;
        for res in repo::expired(&self.db, subscription_id, now, SWEEP_BATCH).await? {
            // One hold that cannot be expired must not block every other one behind it.
            match self.expire(&res).await {
                Ok(freed) if freed > 0 => expired += 1,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(reservation = %res.id, error = %error, "cannot expire a hold")
                }
            }
        }
        Ok(expired)
    }

    /// One sweeper pass: expired reservations are released, and budgets whose subscription
    /// started a new period (a renewal) start it too.
    pub async fn sweep_once(&self) -> ServiceResult<SweepReport> {
        let expired = self.expire_due(None).await?;
        let now = self.clock.now();
        let mut reset = 0;
        for budget in repo::period_ended(&self.db, now, SWEEP_BATCH).await? {
            let Some(sub) =
                subscription_repo::find_by_id(&self.db, &budget.subscription_id).await?
            else {
                continue;
            };
            if let Some(start) = sub.period_start_at
                && start > budget.period_start_at
                && self.reset_period(&budget, start, sub.period_end_at).await?
            {
                reset += 1;
            }
        }
        Ok(SweepReport { expired, reset })
    }

    /// Usage without a reservation, idempotent by `event_id`.
    pub async fn record_usage(
        &self,
        pod: &Pod,
        event_id: &str,
        occurred_at: Option<DateTime<Utc>>,
        usage: UsageInput,
    ) -> ServiceResult<Recorded> {
        let event_id = required("event_id", event_id, 128)?;
        token_count("tokens", usage.tokens, 1)?;
        let usage = validate_usage(&usage, "tokens")?;
        let sub = self.running_subscription(pod).await?;
        if let Some(first) = repo::usage_by_event(&self.db, &sub.id, &event_id).await? {
            return self.recorded(first, true).await;
        }
        for attempt in 0..3 {
            let budget = self.get(&sub.id).await?;
            let now = self.clock.now();
            let occurred = occurred_at.unwrap_or(now);
            if occurred < budget.period_start_at || occurred > now + Duration::minutes(5) {
                return Err(ServiceError::invalid(
                    "occurred_at",
                    "must fall in the current period",
                ));
            }
            let mut entry = self.ledger_row(&budget, LedgerKind::Usage, 0, usage.tokens, now);
            entry.event_id = Some(event_id.clone());
            entry.session_id = usage.session_id.clone();
            entry.model = usage.model.clone();
            entry.tokens_in = usage.tokens_in;
            entry.tokens_out = usage.tokens_out;
            entry.occurred_at = occurred;
            let txn = self.db.begin().await?;
            if let Err(error) = repo::append_ledger(&txn, entry.clone()).await {
                txn.rollback().await.ok();
                if is_unique_violation(&error)
                    && let Some(first) = repo::usage_by_event(&self.db, &sub.id, &event_id).await?
                {
                    return self.recorded(first, true).await;
                }
                return Err(error.into());
            }
            let Some(after) =
                repo::adjust(&txn, &sub.id, budget.period_start_at, 0, usage.tokens, now).await?
            else {
                txn.rollback().await.ok();
                if self.retry_worthwhile(&budget, attempt).await? {
                    continue;
                }
                return Err(exceeded(budget.remaining(), usage.tokens));
            };
            let (crossed, emails) = self.after_charge(&txn, &sub, &after, &entry).await?;
            txn.commit().await?;
            self.delivered(emails).await;
            self.publish(&sub.id, ChangeKind::UsageRecorded, &crossed);
            return self.recorded(entry, false).await;
        }
        Err(ServiceError::Aborted(
            "the budget changed concurrently; retry".into(),
        ))
    }

    async fn recorded(&self, record: LedgerRow, duplicate: bool) -> ServiceResult<Recorded> {
        let remaining = self.get(&record.subscription_id).await?.remaining();
        Ok(Recorded {
            record,
            duplicate,
            remaining,
        })
    }

    /// After tokens were charged in `txn`: the usage event, and alerts for thresholds crossed
    /// (once per period: the flags are written in the same transaction, under the row lock the
    /// charge took). Returns the thresholds crossed and the emails to deliver.
    async fn after_charge(
        &self,
        txn: &DatabaseTransaction,
        sub: &Subscription,
        budget: &Budget,
        entry: &LedgerRow,
    ) -> ServiceResult<(Vec<i32>, Vec<String>)> {
        let subscription_id = sub.id.as_str();
        events::usage_recorded(txn, sub, budget, entry).await?;
        let (crossed, mask) = budget.newly_crossed();
        let mut emails = Vec::new();
        if crossed.is_empty() {
            return Ok((crossed, emails));
        }
        repo::set_thresholds(txn, subscription_id, mask).await?;
        let name = if sub.name.is_empty() {
            sub.email.local_part()
        } else {
            &sub.name
        };
        for threshold in &crossed {
            events::budget_threshold_crossed(txn, sub, budget, *threshold).await?;
            let alert = budget_alert_email(
                sub.email.as_str(),
                name,
                sub.language,
                u8::try_from(*threshold).unwrap_or(100),
                budget.committed_tokens,
                budget.limit_tokens,
            );
            emails.push(self.emails.enqueue(txn, &alert).await?);
            if *threshold == 100
                && let Some(vendor) = &self.settings.vendor_email
            {
                let notice =
                    vendor_budget_email(vendor, sub.email.as_str(), &sub.id, budget.limit_tokens);
                emails.push(self.emails.enqueue(txn, &notice).await?);
            }
        }
        Ok((crossed, emails))
    }

    async fn subscription(&self, id: &str) -> ServiceResult<Subscription> {
        subscription_repo::find_by_id(&self.db, id)
            .await?
            .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))
    }

    async fn delivered(&self, emails: Vec<String>) {
        for id in emails {
            self.emails.deliver(&id).await;
        }
    }

    /// Admin: a new limit and/or a new period, audited.
    pub async fn set_budget(
        &self,
        subscription_id: &str,
        limit: i64,
        reset: bool,
        reason: &str,
        idempotency_key: &str,
        admin: &AdminAction,
    ) -> ServiceResult<Budget> {
        let reason = required("reason", reason, 500)?;
        let key = text("idempotency_key", idempotency_key, 128)?;
        token_count("limit_tokens", limit, 0)?;
        let before = self.get(subscription_id).await?;
        if !key.is_empty() && self.already_set(subscription_id, &key).await? {
            // A retry: the first call's change stands, nothing is applied twice.
            return Ok(before);
        }
        if reset
            && !self
                .reset_period(&before, self.clock.now(), before.period_end_at)
                .await?
        {
            return Err(ServiceError::Aborted(
                "the budget started a new period meanwhile; retry".into(),
            ));
        }
        let change_limit = !(reset && limit == 0) && limit != before.limit_tokens;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        if change_limit {
            if !repo::set_limit(&txn, subscription_id, limit, now).await? {
                return Err(ServiceError::FailedPrecondition(
                    "limit_tokens is below the tokens committed and held this period".into(),
                ));
            }
            let sub = subscription_repo::find_by_id(&txn, subscription_id)
                .await?
                .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))?;
            events::budget_limit_changed(&txn, &sub, before.limit_tokens, limit, &reason).await?;
        }
        audit::record(
            &txn,
            now,
            &admin.origin,
            AuditEntry {
                actor: &admin.actor,
                action: "budget.set",
                resource_type: "budget",
                resource_id: subscription_id,
                success: true,
                details: serde_json::json!({
                    "previous_limit": before.limit_tokens,
                    "limit": if change_limit { limit } else { before.limit_tokens },
                    "reset": reset,
                    "reason": reason,
                    "idempotency_key": key,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        if change_limit {
            self.publish(subscription_id, ChangeKind::LimitChanged, &[]);
        }
        self.get(subscription_id).await
    }

    /// Whether an earlier SetBudget on this budget carried `key` (its audit entry says so).
    async fn already_set(&self, subscription_id: &str, key: &str) -> ServiceResult<bool> {
        let filter = crate::persistence::audit::AuditFilter {
            action: Some("budget.set".into()),
            resource_id: Some(subscription_id.into()),
            ..Default::default()
        };
        let (rows, _) =
            crate::persistence::audit::list(&self.db, &filter, None, true, 1_000).await?;
        Ok(rows.iter().any(|row| {
            serde_json::from_str::<serde_json::Value>(&row.details_json)
                .is_ok_and(|details| details["idempotency_key"] == key)
        }))
    }

    /// Ends `budget`'s period and starts a new one: open holds expire, counters and alert flags
    /// go to zero. Returns false when that period had already ended (another reset won).
    async fn reset_period(
        &self,
        budget: &Budget,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    ) -> ServiceResult<bool> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Lock the row first and read it again: no hold can slip in, and the event reports the
        // period's final figures. Another reset that got here first leaves nothing to do.
        let Some(budget) =
            repo::lock_period(&txn, &budget.subscription_id, budget.period_start_at).await?
        else {
            txn.rollback().await.ok();
            return Ok(false);
        };
        let budget = &budget;
        for res in repo::held(&txn, &budget.subscription_id).await? {
            if repo::settle_reservation(
                &txn,
                &res.id,
                ReservationStatus::Expired,
                None,
                None,
                false,
                now,
            )
            .await?
            {
                let mut entry = self.ledger_row(budget, LedgerKind::Expire, -res.tokens, 0, now);
                entry.reservation_id = res.id.clone();
                repo::append_ledger(&txn, entry).await?;
            }
        }
        if !repo::reset(
            &txn,
            &budget.subscription_id,
            budget.period_start_at,
            start,
            end,
            now,
        )
        .await?
        {
            // Another process started the new period first.
            txn.rollback().await.ok();
            return Ok(false);
        }
        let sub = subscription_repo::find_by_id(&txn, &budget.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))?;
        events::budget_reset(&txn, &sub, budget, start, end).await?;
        txn.commit().await?;
        self.publish(&budget.subscription_id, ChangeKind::Reset, &[]);
        Ok(true)
    }

    /// Usage entries, newest first: (page, total count, token sum).
    pub async fn list_usage(
        &self,
        filter: &UsageFilter,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<LedgerRow>, u64, i64)> {
        Ok(repo::usage(&self.db, filter, offset, limit).await?)
    }

    /// The ledger's sums for the budget's current period (they equal its counters).
    pub async fn ledger_sums(&self, subscription_id: &str) -> ServiceResult<(i64, i64)> {
        let budget = self.get(subscription_id).await?;
        Ok(repo::ledger_sums(&self.db, subscription_id, budget.period_start_at).await?)
    }
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
