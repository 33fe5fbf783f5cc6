//! Budgets, reservations and the ledger. Every counter change is one conditional UPDATE whose
//! WHERE clause carries the invariant, so concurrent callers (in any number of processes) can
//! never take a budget past its limit; the CHECK constraint backs it up.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func},
};

use super::entities::{
    budget::{self, Column, Entity},
    budget_ledger::{self, Column as LedgerColumn, Entity as Ledger},
    budget_reservation::{self, Column as ResColumn, Entity as Reservations},
    subscription,
};
use super::outbox::{self, NewOutboxEvent};
use super::pg_batches;
use crate::domain::budget::{Budget, ReservationStatus};
use crate::domain::mode::PaymentMode;

pub type ReservationRow = budget_reservation::Model;
pub type LedgerRow = budget_ledger::Model;

pub(super) fn to_domain(row: budget::Model) -> Budget {
    Budget {
        subscription_id: row.subscription_id,
        pod_id: row.pod_id,
        limit_tokens: row.limit_tokens,
        committed_tokens: row.committed_tokens,
        held_tokens: row.held_tokens,
        thresholds_mask: row.thresholds_crossed,
        period_start_at: row.period_start_at,
        period_end_at: row.period_end_at,
        updated_at: row.updated_at,
    }
}

/// Creates the budget of a subscription if it has none (idempotent).
pub async fn ensure<C: ConnectionTrait>(conn: &C, budget: &Budget) -> Result<(), DbErr> {
    if find(conn, &budget.subscription_id).await?.is_some() {
        return Ok(());
    }
    let row = budget::ActiveModel {
        subscription_id: Set(budget.subscription_id.clone()),
        pod_id: Set(budget.pod_id.clone()),
        limit_tokens: Set(budget.limit_tokens),
        committed_tokens: Set(0),
        held_tokens: Set(0),
        thresholds_crossed: Set(0),
        period_start_at: Set(budget.period_start_at),
        period_end_at: Set(budget.period_end_at),
        updated_at: Set(budget.updated_at),
    };
    Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
) -> Result<Option<Budget>, DbErr> {
    Ok(Entity::find_by_id(subscription_id)
        .one(conn)
        .await?
        .map(to_domain))
}

/// Moves tokens between the counters of the period starting at `period`: `held += held_delta`,
/// `committed += committed_delta`, only if the result stays within the limit (and non-negative)
/// and that period is still the current one. Returns the budget after the move, or `None` when it
/// would not fit or the period ended (nothing changed). On PostgreSQL the row stays locked until
/// the transaction ends, so callers make this the last statement they can.
pub async fn adjust<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    period: DateTime<Utc>,
    held_delta: i64,
    committed_delta: i64,
    now: DateTime<Utc>,
) -> Result<Option<Budget>, DbErr> {
    let total = Expr::col(Column::CommittedTokens)
        .add(Expr::col(Column::HeldTokens))
        .add(held_delta + committed_delta);
    let result = Entity::update_many()
        .col_expr(
            Column::HeldTokens,
            Expr::col(Column::HeldTokens).add(held_delta),
        )
        .col_expr(
            Column::CommittedTokens,
            Expr::col(Column::CommittedTokens).add(committed_delta),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(Column::PeriodStartAt.eq(period))
        .filter(
            Condition::all()
                .add(total.lte(Expr::col(Column::LimitTokens)))
                .add(Expr::col(Column::HeldTokens).add(held_delta).gte(0))
                .add(
                    Expr::col(Column::CommittedTokens)
                        .add(committed_delta)
                        .gte(0),
                ),
        )
        .exec_with_returning(conn)
        .await?;
    Ok(result.into_iter().next().map(to_domain))
}

pub async fn set_thresholds<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    mask: i32,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::ThresholdsCrossed, Expr::value(mask))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A new limit, only if it still covers what is committed and held.
pub async fn set_limit<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::LimitTokens, Expr::value(limit))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(
            Expr::col(Column::CommittedTokens)
                .add(Expr::col(Column::HeldTokens))
                .lte(limit),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Locks the budget row while it is still in the period starting at `period` (PostgreSQL keeps
/// the lock to the end of the transaction) and returns it; `None` when that period ended.
pub async fn lock_period<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    period: DateTime<Utc>,
) -> Result<Option<Budget>, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::UpdatedAt, Expr::col(Column::UpdatedAt))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(Column::PeriodStartAt.eq(period))
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .next()
        .map(to_domain))
}

/// Ends the period starting at `previous` and starts a new one with `limit_tokens`: counters and
/// alert flags to zero (open holds must be expired first). Only once: returns false if that period already ended.
pub async fn reset<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    previous: DateTime<Utc>,
    (period_start_at, period_end_at): (DateTime<Utc>, Option<DateTime<Utc>>),
    limit_tokens: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::LimitTokens, Expr::value(limit_tokens))
        .col_expr(Column::CommittedTokens, Expr::value(0i64))
        .col_expr(Column::HeldTokens, Expr::value(0i64))
        .col_expr(Column::ThresholdsCrossed, Expr::value(0i32))
        .col_expr(Column::PeriodStartAt, Expr::value(period_start_at))
        .col_expr(Column::PeriodEndAt, Expr::value(period_end_at))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(Column::PeriodStartAt.eq(previous))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Budgets whose period ended by `now` while their subscription started a later one (a renewal).
pub async fn period_ended<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Budget>, DbErr> {
    // Only budgets whose subscription has begun a later period: ended budgets that never renew
    // (cancelled, expired) would otherwise fill every batch and starve the renewed ones.
    let renewed = Expr::cust(
        "EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = budgets.subscription_id \
         AND s.period_start_at > budgets.period_start_at)",
    );
    Ok(Entity::find()
        .filter(Column::PeriodEndAt.lte(now))
        .filter(renewed)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Locks the budgets of `ids` (PostgreSQL keeps the locks to the end of the transaction) and
/// returns them. Locks are taken in id order, so two writers can never wait on each other in a
/// circle; SQLite's one connection serialises writers already.
async fn lock_many<C: ConnectionTrait>(conn: &C, ids: &[&str]) -> Result<Vec<Budget>, DbErr> {
    Ok(Entity::find()
        .filter(Column::SubscriptionId.is_in(ids.iter().copied()))
        .order_by_asc(Column::SubscriptionId)
        .lock_exclusive()
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Writes the counters of budgets the caller holds locked ([`lock_batch`]), in one statement.
async fn store_counters<C: ConnectionTrait>(
    conn: &C,
    budgets: &[&Budget],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if budgets.is_empty() {
        return Ok(());
    }
    let (mut held, mut committed) = (CaseStatement::new(), CaseStatement::new());
    for b in budgets {
        held = held.case(Column::SubscriptionId.eq(&b.subscription_id), b.held_tokens);
        committed = committed.case(
            Column::SubscriptionId.eq(&b.subscription_id),
            b.committed_tokens,
        );
    }
    Entity::update_many()
        .col_expr(
            Column::HeldTokens,
            held.finally(Expr::col(Column::HeldTokens)).into(),
        )
        .col_expr(
            Column::CommittedTokens,
            committed.finally(Expr::col(Column::CommittedTokens)).into(),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::SubscriptionId.is_in(budgets.iter().map(|b| b.subscription_id.as_str())))
        .exec(conn)
        .await?;
    Ok(())
}

/// Locks the reservations of `reservation_ids`, then the budgets of `budget_ids` (see
/// [`lock_many`]); answers the budgets and those reservations that belong to one of them.
pub async fn lock_batch<C: ConnectionTrait>(
    conn: &C,
    reservation_ids: &[&str],
    budget_ids: &[&str],
) -> Result<(Vec<Budget>, Vec<ReservationRow>), DbErr> {
    if pg_batches::applies(conn) {
        let (budgets, reservations) = if reservation_ids.is_empty() {
            (
                pg_batches::lock_budgets(conn, budget_ids).await?,
                Vec::new(),
            )
        } else {
            pg_batches::lock_settling(conn, reservation_ids, budget_ids).await?
        };
        return Ok((budgets.into_iter().map(to_domain).collect(), reservations));
    }
    let mut reservations = if reservation_ids.is_empty() {
        Vec::new()
    } else {
        lock_reservations(conn, reservation_ids).await?
    };
    let budgets = lock_many(conn, budget_ids).await?;
    reservations.retain(|r| {
        budgets
            .iter()
            .any(|b| b.subscription_id == r.subscription_id)
    });
    Ok((budgets, reservations))
}

/// The rows one budget batch writes in the caller's transaction.
#[derive(Default)]
pub struct BatchRows<'a> {
    /// `(reservation id, charged, usage id)` of each held reservation to mark committed.
    pub settled: Vec<(&'a str, i64, &'a str)>,
    pub holds: &'a [ReservationRow],
    pub ledger: Vec<LedgerRow>,
    pub events: Vec<NewOutboxEvent>,
    /// The budgets whose counters moved.
    pub counters: Vec<Moved<'a>>,
}

/// A budget as a batch decided against it, and as it now stands.
#[derive(Clone, Copy)]
pub struct Moved<'a> {
    pub was: &'a Budget,
    pub now: &'a Budget,
}

/// Writes a batch; answers whether every settled reservation was still held and every budget
/// still as the batch saw it (`was`). On PostgreSQL it is one statement that locks its rows
/// itself and writes nothing of a budget that moved since, so a batch may be decided against
/// figures remembered rather than read ([`lock_batch`]): a caller told `false` rolls back.
/// Elsewhere it is one statement per table, and its caller must hold the rows locked (SQLite's one
/// connection serialises writers).
pub async fn write_batch<C: ConnectionTrait>(
    conn: &C,
    rows: BatchRows<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if pg_batches::applies(conn) {
        let counts = pg_batches::write_budget_batch(conn, &rows, now).await?;
        return Ok(counts.settled == rows.settled.len() as u64
            && counts.moved == rows.counters.len() as u64);
    }
    if !rows.settled.is_empty() {
        let affected = commit_reservations(conn, &rows.settled, now).await?;
        if affected != rows.settled.len() as u64 {
            return Ok(false);
        }
    }
    Reservations::insert_many(
        rows.holds
            .iter()
            .cloned()
            .map(budget_reservation::ActiveModel::from),
    )
    .exec_without_returning(conn)
    .await?;
    Ledger::insert_many(
        rows.ledger
            .into_iter()
            .map(budget_ledger::ActiveModel::from),
    )
    .exec_without_returning(conn)
    .await?;
    outbox::append_many(conn, rows.events).await?;
    let counters: Vec<&Budget> = rows.counters.iter().map(|m| m.now).collect();
    store_counters(conn, &counters, now).await?;
    Ok(true)
}

/// Locks the reservations of `ids` in id order and returns them (see [`lock_many`]).
async fn lock_reservations<C: ConnectionTrait>(
    conn: &C,
    ids: &[&str],
) -> Result<Vec<ReservationRow>, DbErr> {
    Reservations::find()
        .filter(ResColumn::Id.is_in(ids.iter().copied()))
        .order_by_asc(ResColumn::Id)
        .lock_exclusive()
        .all(conn)
        .await
}

/// Marks held reservations the caller holds locked as committed: `(id, charged, usage id)` each.
/// Answers how many were.
async fn commit_reservations<C: ConnectionTrait>(
    conn: &C,
    settled: &[(&str, i64, &str)],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let (mut charged, mut usage) = (CaseStatement::new(), CaseStatement::new());
    for (id, tokens, usage_id) in settled {
        charged = charged.case(ResColumn::Id.eq(*id), *tokens);
        usage = usage.case(ResColumn::Id.eq(*id), *usage_id);
    }
    let result = Reservations::update_many()
        .col_expr(
            ResColumn::Status,
            Expr::value(ReservationStatus::Committed.as_str()),
        )
        .col_expr(ResColumn::CommittedTokens, charged.into())
        .col_expr(ResColumn::UsageId, usage.into())
        .col_expr(ResColumn::Capped, Expr::value(false))
        .col_expr(ResColumn::SettledAt, Expr::value(Some(now)))
        .filter(ResColumn::Id.is_in(settled.iter().map(|(id, _, _)| *id)))
        .filter(ResColumn::Status.eq(ReservationStatus::Held.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

pub async fn insert_reservation<C: ConnectionTrait>(
    conn: &C,
    row: ReservationRow,
) -> Result<(), DbErr> {
    Reservations::insert(budget_reservation::ActiveModel::from(row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn reservation<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<ReservationRow>, DbErr> {
    Reservations::find_by_id(id).one(conn).await
}

pub async fn reservation_by_key<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    key: &str,
) -> Result<Option<ReservationRow>, DbErr> {
    Reservations::find()
        .filter(ResColumn::SubscriptionId.eq(subscription_id))
        .filter(ResColumn::IdempotencyKey.eq(key))
        .one(conn)
        .await
}

/// Ends a held reservation (only if still held). Returns whether this call ended it.
#[allow(clippy::too_many_arguments)]
pub async fn settle_reservation<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    to: ReservationStatus,
    committed: Option<i64>,
    usage_id: Option<&str>,
    capped: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Reservations::update_many()
        .col_expr(ResColumn::Status, Expr::value(to.as_str()))
        .col_expr(ResColumn::CommittedTokens, Expr::value(committed))
        .col_expr(ResColumn::UsageId, Expr::value(usage_id.map(str::to_owned)))
        .col_expr(ResColumn::Capped, Expr::value(capped))
        .col_expr(ResColumn::SettledAt, Expr::value(Some(now)))
        .filter(ResColumn::Id.eq(id))
        .filter(ResColumn::Status.eq(ReservationStatus::Held.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Corrects what a commit charged (when the excess did not fit and the hold was charged instead).
pub async fn settle_reservation_figures<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    committed: i64,
    capped: bool,
) -> Result<(), DbErr> {
    Reservations::update_many()
        .col_expr(ResColumn::CommittedTokens, Expr::value(Some(committed)))
        .col_expr(ResColumn::Capped, Expr::value(capped))
        .filter(ResColumn::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets what a commit's ledger entry charged (the hold, when the excess did not fit).
pub async fn correct_ledger_charge<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    committed: i64,
) -> Result<(), DbErr> {
    Ledger::update_many()
        .col_expr(LedgerColumn::CommittedDelta, Expr::value(committed))
        .col_expr(LedgerColumn::TokensIn, Expr::value(0i64))
        .col_expr(LedgerColumn::TokensOut, Expr::value(0i64))
        .filter(LedgerColumn::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Held reservations whose expiry passed (of one subscription, or all), oldest first.
pub async fn expired<C: ConnectionTrait>(
    conn: &C,
    subscription_id: Option<&str>,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<ReservationRow>, DbErr> {
    let mut query = Reservations::find()
        .filter(ResColumn::Status.eq(ReservationStatus::Held.as_str()))
        .filter(ResColumn::ExpiresAt.lte(now));
    if let Some(id) = subscription_id {
        query = query.filter(ResColumn::SubscriptionId.eq(id));
    }
    query
        .order_by_asc(ResColumn::ExpiresAt)
        .limit(limit)
        .all(conn)
        .await
}

/// Every held reservation of a subscription (a period reset expires them).
pub async fn held<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
) -> Result<Vec<ReservationRow>, DbErr> {
    Reservations::find()
        .filter(ResColumn::SubscriptionId.eq(subscription_id))
        .filter(ResColumn::Status.eq(ReservationStatus::Held.as_str()))
        .all(conn)
        .await
}

pub async fn append_ledger<C: ConnectionTrait>(conn: &C, row: LedgerRow) -> Result<(), DbErr> {
    Ledger::insert(budget_ledger::ActiveModel::from(row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn ledger_entry<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<LedgerRow>, DbErr> {
    Ledger::find_by_id(id).one(conn).await
}

pub async fn usage_by_event<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    event_id: &str,
) -> Result<Option<LedgerRow>, DbErr> {
    Ledger::find()
        .filter(LedgerColumn::SubscriptionId.eq(subscription_id))
        .filter(LedgerColumn::EventId.eq(event_id))
        .one(conn)
        .await
}

/// Filters of the usage listing (commits and recorded usage only).
#[derive(Debug, Clone, Default)]
pub struct UsageFilter {
    pub subscription_id: String,
    pub session_id: Option<String>,
    pub model: Option<String>,
    pub kind: Option<&'static str>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

fn usage_condition(filter: &UsageFilter) -> Condition {
    let kinds: Vec<&str> = match filter.kind {
        Some(kind) => vec![kind],
        None => vec!["commit", "usage"],
    };
    let mut condition = Condition::all()
        .add(LedgerColumn::SubscriptionId.eq(filter.subscription_id.as_str()))
        .add(LedgerColumn::Kind.is_in(kinds));
    if let Some(session) = &filter.session_id {
        condition = condition.add(LedgerColumn::SessionId.eq(session.as_str()));
    }
    if let Some(model) = &filter.model {
        condition = condition.add(LedgerColumn::Model.eq(model.as_str()));
    }
    if let Some(start) = filter.start {
        condition = condition.add(LedgerColumn::OccurredAt.gte(start));
    }
    if let Some(end) = filter.end {
        condition = condition.add(LedgerColumn::OccurredAt.lt(end));
    }
    condition
}

/// One page of usage, newest first, with the count and token sum of every match.
pub async fn usage<C: ConnectionTrait>(
    conn: &C,
    filter: &UsageFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<LedgerRow>, u64, i64), DbErr> {
    let total = Ledger::find()
        .filter(usage_condition(filter))
        .count(conn)
        .await?;
    let sum: Option<i64> = Ledger::find()
        .select_only()
        // PostgreSQL sums bigints as numeric: cast back so both databases answer an integer.
        .column_as(
            Expr::expr(Func::cast_as(
                Func::sum(Expr::col(LedgerColumn::CommittedDelta)),
                Alias::new("BIGINT"),
            )),
            "sum",
        )
        .filter(usage_condition(filter))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten();
    let rows = Ledger::find()
        .filter(usage_condition(filter))
        .order_by_desc(LedgerColumn::RecordedAt)
        .order_by_desc(LedgerColumn::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((rows, total, sum.unwrap_or(0)))
}

/// Sums of the ledger's deltas for a subscription's period: (held, committed). They equal the
/// budget's counters at every commit.
pub async fn ledger_sums<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    period_start_at: DateTime<Utc>,
) -> Result<(i64, i64), DbErr> {
    let rows = Ledger::find()
        .filter(LedgerColumn::SubscriptionId.eq(subscription_id))
        .filter(LedgerColumn::PeriodStartAt.eq(period_start_at))
        .all(conn)
        .await?;
    Ok(rows.iter().fold((0, 0), |(h, c), r| {
        (h + r.held_delta, c + r.committed_delta)
    }))
}

/// The budgets of `mode`'s subscriptions summed over their current periods: (committed, held,
/// limit).
pub async fn totals_in_mode<C: ConnectionTrait>(
    conn: &C,
    mode: PaymentMode,
) -> Result<(i64, i64, i64), DbErr> {
    // PostgreSQL sums bigints as numeric: cast back so both databases answer an integer.
    let sum = |column: Column| {
        Expr::expr(Func::cast_as(
            Func::sum(Expr::col((Entity, column))),
            Alias::new("BIGINT"),
        ))
    };
    let totals = Entity::find()
        .select_only()
        .column_as(sum(Column::CommittedTokens), "committed")
        .column_as(sum(Column::HeldTokens), "held")
        .column_as(sum(Column::LimitTokens), "limit")
        .inner_join(subscription::Entity)
        .filter(subscription::Column::Mode.eq(mode.as_str()))
        .into_tuple::<(Option<i64>, Option<i64>, Option<i64>)>()
        .one(conn)
        .await?;
    let (committed, held, limit) = totals.unwrap_or_default();
    Ok((
        committed.unwrap_or(0),
        held.unwrap_or(0),
        limit.unwrap_or(0),
    ))
}
