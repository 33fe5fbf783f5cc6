//! Writing and reading outbox rows. Callers pass their own transaction so the event commits or
//! rolls back with the state change it describes.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect};

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
