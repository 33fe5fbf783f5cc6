//! Pods: one row per subscription's pod, tracking its task by the stored ARN. A new start bumps
//! `generation`, which names the ECS clientToken and the pod-scoped token of that run.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pods {
    Table,
    PodId,
    SubscriptionId,
    Status,
    StatusReason,
    DestroyRequested,
    Generation,
    TaskArn,
    Endpoint,
    PublicIp,
    PrivateIp,
    PodTokenHash,
    RunSeconds,
    CreatedAt,
    UpdatedAt,
    ProvisioningStartedAt,
    StartedAt,
    StoppedAt,
    DestroyedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pods::Table)
                    .if_not_exists()
                    .col(string_len(Pods::PodId, 40).primary_key())
                    .col(string_len_uniq(Pods::SubscriptionId, 40))
                    .col(string_len(Pods::Status, 20))
                    .col(text(Pods::StatusReason).default(""))
                    .col(boolean(Pods::DestroyRequested).default(false))
                    .col(big_integer(Pods::Generation).default(1))
                    .col(string_len(Pods::TaskArn, 200).default(""))
                    .col(string_len(Pods::Endpoint, 300).default(""))
                    .col(string_len(Pods::PublicIp, 64).default(""))
                    .col(string_len(Pods::PrivateIp, 64).default(""))
                    .col(string_len_null(Pods::PodTokenHash, 64).unique_key())
                    .col(big_integer(Pods::RunSeconds).default(0))
                    .col(timestamp_with_time_zone(Pods::CreatedAt))
                    .col(timestamp_with_time_zone(Pods::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Pods::ProvisioningStartedAt))
                    .col(timestamp_with_time_zone_null(Pods::StartedAt))
                    .col(timestamp_with_time_zone_null(Pods::StoppedAt))
                    .col(timestamp_with_time_zone_null(Pods::DestroyedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pods_status")
                    .table(Pods::Table)
                    .col(Pods::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Pods::Table).to_owned())
            .await
    }
}
