//! A pod's status history for operators: one row per change, written in the transaction that makes
//! the change (beside its outbox event, which is pruned once published and so cannot serve).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PodStatusChanges {
    Table,
    Seq,
    PodId,
    PreviousStatus,
    Status,
    Reason,
    OccurredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PodStatusChanges::Table)
                    .if_not_exists()
                    // Insertion order breaks ties between changes made in the same instant.
                    .col(big_pk_auto(PodStatusChanges::Seq))
                    .col(string_len(PodStatusChanges::PodId, 64))
                    // Empty for the pod's first status.
                    .col(string_len(PodStatusChanges::PreviousStatus, 16))
                    .col(string_len(PodStatusChanges::Status, 16))
                    .col(text(PodStatusChanges::Reason))
                    .col(timestamp_with_time_zone(PodStatusChanges::OccurredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pod_status_changes_pod")
                    .table(PodStatusChanges::Table)
                    .col(PodStatusChanges::PodId)
                    .col(PodStatusChanges::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PodStatusChanges::Table).to_owned())
            .await
    }
}
