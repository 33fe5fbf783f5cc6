//! The transactional outbox: every state change writes its domain event here in the same
//! transaction, and a relay publishes the rows to Kafka in `seq` order per aggregate.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Seq,
    EventId,
    AggregateType,
    AggregateId,
    EventType,
    SchemaVersion,
    Payload,
    CreatedAt,
    PublishedAt,
    Attempts,
    LastError,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvents::Table)
                    .if_not_exists()
                    // Monotonic insertion order: relays publish per aggregate in this order.
                    .col(big_pk_auto(OutboxEvents::Seq))
                    .col(string_len_uniq(OutboxEvents::EventId, 64))
                    .col(string_len(OutboxEvents::AggregateType, 32))
                    .col(string_len(OutboxEvents::AggregateId, 64))
                    .col(string_len(OutboxEvents::EventType, 96))
                    .col(integer(OutboxEvents::SchemaVersion))
                    // The protobuf-encoded event from events.proto.
                    .col(blob(OutboxEvents::Payload))
                    .col(timestamp_with_time_zone(OutboxEvents::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxEvents::PublishedAt))
                    .col(integer(OutboxEvents::Attempts).default(0))
                    .col(text_null(OutboxEvents::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_unpublished")
                    .table(OutboxEvents::Table)
                    .col(OutboxEvents::PublishedAt)
                    .col(OutboxEvents::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_aggregate")
                    .table(OutboxEvents::Table)
                    .col(OutboxEvents::AggregateId)
                    .col(OutboxEvents::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxEvents::Table).to_owned())
            .await
    }
}
