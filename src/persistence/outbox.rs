//! Writing and reading outbox rows. Callers pass their own transaction so the event commits or
//! rolls back with the state change it describes.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

use super::entities::outbox_event;

/// An event ready to be stored: the protobuf-encoded message and its routing facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxEvent {
    pub event_id: String,
    /// `subscription`, `payment`, `pod` or `budget`: selects the topic.
    pub aggregate_type: &'static str,
    /// The Kafka key: events of one aggregate keep their order.
    pub aggregate_id: String,
    /// Fully qualified protobuf message name, e.g. `gpubroker.v1.SubscriptionCreated`.
    pub event_type: String,
    pub schema_version: i32,
    pub payload: Vec<u8>,
    /// When the change happened, by the service clock (the event's `occurred_at` too).
    pub created_at: DateTime<Utc>,
}

/// Appends an event inside the caller's transaction (or connection).
pub async fn append<C: ConnectionTrait>(conn: &C, event: NewOutboxEvent) -> Result<i64, DbErr> {
    let inserted = outbox_event::Entity::insert(new_row(event))
        .exec(conn)
        .await?;
    Ok(inserted.last_insert_id)
}

/// Appends events in one statement, in order (their ids ascend as the slice does).
pub async fn append_many<C: ConnectionTrait>(
    conn: &C,
    events: Vec<NewOutboxEvent>,
) -> Result<(), DbErr> {
    if events.is_empty() {
        return Ok(());
    }
    if super::pg_batches::applies(conn) {
        return super::pg_batches::append_events(conn, &events).await;
    }
    outbox_event::Entity::insert_many(events.into_iter().map(new_row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

fn new_row(event: NewOutboxEvent) -> outbox_event::ActiveModel {
    outbox_event::ActiveModel {
        event_id: Set(event.event_id),
        aggregate_type: Set(event.aggregate_type.to_owned()),
        aggregate_id: Set(event.aggregate_id),
        event_type: Set(event.event_type),
        schema_version: Set(event.schema_version),
        payload: Set(event.payload),
        created_at: Set(event.created_at),
        published_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        claimed_until: Set(None),
        dead_lettered_at: Set(None),
        ..Default::default()
    }
}

/// The oldest `limit` rows, published or not, in insertion order.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<outbox_event::Model>, DbErr> {
    outbox_event::Entity::find()
        .order_by_asc(outbox_event::Column::Seq)
        .limit(limit)
        .all(conn)
        .await
}

pub type OutboxRow = outbox_event::Model;

/// Claims the unpublished rows this relay may publish now, in order, until `until`: the claim
/// commits at once (the caller sends outside any transaction) and keeps other relays off the rows
/// until it expires or the outcome is recorded. Rows another relay holds are skipped, and of each
/// aggregate only the run of ours that starts at its earliest unpublished event is kept:
/// per-aggregate order survives several relays. Dead-lettered rows are out of the way.
pub async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<OutboxRow>, DbErr> {
    use outbox_event::Column;
    let txn = db.begin().await?;
    let free = Condition::any()
        .add(Column::ClaimedUntil.is_null())
        .add(Column::ClaimedUntil.lte(now));
    let mut query = outbox_event::Entity::find()
        .filter(Column::PublishedAt.is_null())
        .filter(Column::DeadLetteredAt.is_null())
        .filter(free)
        .order_by_asc(Column::Seq)
        .limit(limit);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let rows = query.all(&txn).await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok(rows);
    }
    // Per aggregate, only an unbroken run from its earliest unpublished event may go: a row
    // another relay holds (earlier, or in the middle) stops the run, so nothing overtakes it.
    let ours: HashSet<i64> = rows.iter().map(|row| row.seq).collect();
    let last = rows.iter().map(|row| row.seq).max().unwrap_or(0);
    let aggregates: HashSet<&str> = rows.iter().map(|row| row.aggregate_id.as_str()).collect();
    let unpublished: Vec<(String, i64)> = outbox_event::Entity::find()
        .select_only()
        .column(Column::AggregateId)
        .column(Column::Seq)
        .filter(Column::PublishedAt.is_null())
        .filter(Column::DeadLetteredAt.is_null())
        .filter(Column::Seq.lte(last))
        .filter(Column::AggregateId.is_in(aggregates.iter().map(|a| (*a).to_owned())))
        .order_by_asc(Column::Seq)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut stopped: HashSet<String> = HashSet::new();
    let mut allowed: HashSet<i64> = HashSet::new();
    for (aggregate, seq) in unpublished {
        if stopped.contains(&aggregate) {
            continue;
        }
        if ours.contains(&seq) {
            allowed.insert(seq);
        } else {
            stopped.insert(aggregate);
        }
    }
    if !allowed.is_empty() {
        outbox_event::Entity::update_many()
            .col_expr(Column::ClaimedUntil, Expr::value(Some(until)))
            .filter(Column::Seq.is_in(allowed.iter().copied()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .filter(|row| allowed.contains(&row.seq))
        .collect())
}

/// What became of one claimed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Published,
    /// Kept for a later pass.
    Failed(String),
    /// The broker can never take it: set aside.
    DeadLettered(String),
    /// Not sent (an earlier event of its aggregate failed): back to the queue as it was.
    Held,
}

/// Records what a pass did with its claimed rows, in one short transaction; every claim ends.
pub async fn record(
    db: &DatabaseConnection,
    outcomes: &[(i64, Outcome)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use outbox_event::Column;
    if outcomes.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    let published: Vec<i64> = outcomes
        .iter()
        .filter(|(_, outcome)| *outcome == Outcome::Published)
        .map(|(seq, _)| *seq)
        .collect();
    if !published.is_empty() {
        outbox_event::Entity::update_many()
            .col_expr(Column::PublishedAt, Expr::value(Some(now)))
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Column::Seq.is_in(published))
            .exec(&txn)
            .await?;
    }
    for (seq, outcome) in outcomes {
        let (error, dead) = match outcome {
            Outcome::Published => continue,
            Outcome::Held => (None, false),
            Outcome::Failed(error) => (Some(error), false),
            Outcome::DeadLettered(error) => (Some(error), true),
        };
        let mut update = outbox_event::Entity::update_many()
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Column::Seq.eq(*seq));
        if let Some(error) = error {
            update = update
                .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
                .col_expr(
                    Column::LastError,
                    Expr::value(Some(error.chars().take(500).collect::<String>())),
                );
        }
        if dead {
            update = update.col_expr(Column::DeadLetteredAt, Expr::value(Some(now)));
        }
        update.exec(&txn).await?;
    }
    txn.commit().await
}

/// Dead-lettered rows, oldest first (operators look at them, fix the cause, and requeue).
pub async fn dead_lettered<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<OutboxRow>, DbErr> {
    outbox_event::Entity::find()
        .filter(outbox_event::Column::DeadLetteredAt.is_not_null())
        .order_by_asc(outbox_event::Column::Seq)
        .limit(limit)
        .all(conn)
        .await
}

/// Puts a dead-lettered row back in the queue; false when `seq` is not dead-lettered.
pub async fn requeue<C: ConnectionTrait>(conn: &C, seq: i64) -> Result<bool, DbErr> {
    let result = outbox_event::Entity::update_many()
        .col_expr(
            outbox_event::Column::DeadLetteredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbox_event::Column::Attempts, Expr::value(0))
        .filter(outbox_event::Column::Seq.eq(seq))
        .filter(outbox_event::Column::DeadLetteredAt.is_not_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The newest `limit` rows, newest first (operators' `gpubroker events list`).
pub async fn newest<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<OutboxRow>, DbErr> {
    outbox_event::Entity::find()
        .order_by_desc(outbox_event::Column::Seq)
        .limit(limit)
        .all(conn)
        .await
}

/// Deletes rows published before `before`; returns how many.
pub async fn prune<C: ConnectionTrait>(conn: &C, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = outbox_event::Entity::delete_many()
        .filter(outbox_event::Column::PublishedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
