//! Writing and reading outbox rows. Callers pass their own transaction so the event commits or
//! rolls back with the state change it describes.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
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
    pub event_type: &'static str,
    pub schema_version: i32,
    pub payload: Vec<u8>,
}

/// Appends an event inside the caller's transaction (or connection).
pub async fn append<C: ConnectionTrait>(conn: &C, event: NewOutboxEvent) -> Result<i64, DbErr> {
    let row = outbox_event::ActiveModel {
        event_id: Set(event.event_id),
        aggregate_type: Set(event.aggregate_type.to_owned()),
        aggregate_id: Set(event.aggregate_id),
        event_type: Set(event.event_type.to_owned()),
        schema_version: Set(event.schema_version),
        payload: Set(event.payload),
        created_at: Set(Utc::now()),
        published_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        ..Default::default()
    };
    let inserted = outbox_event::Entity::insert(row).exec(conn).await?;
    Ok(inserted.last_insert_id)
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

/// Unpublished rows this relay may publish now, in order, locked until the caller's transaction
/// ends. Rows another relay holds are skipped (PostgreSQL `FOR UPDATE SKIP LOCKED`), and of each
/// aggregate only the run of ours that starts at its earliest unpublished event is kept:
/// per-aggregate order survives several relays.
pub async fn claim<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<OutboxRow>, DbErr> {
    use outbox_event::Column;
    let mut query = outbox_event::Entity::find()
        .filter(Column::PublishedAt.is_null())
        .order_by_asc(Column::Seq)
        .limit(limit);
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let rows = query.all(conn).await?;
    if rows.is_empty() {
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
        .filter(Column::Seq.lte(last))
        .filter(Column::AggregateId.is_in(aggregates.iter().map(|a| (*a).to_owned())))
        .order_by_asc(Column::Seq)
        .into_tuple()
        .all(conn)
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
    Ok(rows
        .into_iter()
        .filter(|row| allowed.contains(&row.seq))
        .collect())
}

/// Marks rows published (after the broker acknowledged them).
pub async fn mark_published<C: ConnectionTrait>(
    conn: &C,
    seqs: Vec<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if seqs.is_empty() {
        return Ok(());
    }
    outbox_event::Entity::update_many()
        .col_expr(outbox_event::Column::PublishedAt, Expr::value(Some(now)))
        .filter(outbox_event::Column::Seq.is_in(seqs))
        .exec(conn)
        .await?;
    Ok(())
}

/// Counts a failed attempt on a row (kept for the next pass).
pub async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    seq: i64,
    error: &str,
) -> Result<(), DbErr> {
    outbox_event::Entity::update_many()
        .col_expr(
            outbox_event::Column::Attempts,
            Expr::col(outbox_event::Column::Attempts).add(1),
        )
        .col_expr(
            outbox_event::Column::LastError,
            Expr::value(Some(error.chars().take(500).collect::<String>())),
        )
        .filter(outbox_event::Column::Seq.eq(seq))
        .exec(conn)
        .await?;
    Ok(())
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
