//! Agent sessions (at most N active per pod: a counter on the pod changed only by conditional
//! updates) and agent decisions with their review workflow.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pods {
    Table,
    ActiveSessions,
}

#[derive(DeriveIden)]
enum AgentSessions {
    Table,
    Id,
    PodId,
    SubscriptionId,
    Status,
    ExternalSessionId,
    IdempotencyKey,
    TokensUsed,
    StartedAt,
    LastActivityAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum AgentDecisions {
    Table,
    Id,
    PodId,
    SubscriptionId,
    SessionId,
    DecisionType,
    Status,
    RequiresApproval,
    Title,
    Description,
    Reasoning,
    RecommendedAction,
    ConfidencePercent,
    EstimatedTokens,
    EstimatedCostCents,
    IdempotencyKey,
    CreatedAt,
    ExpiresAt,
    ReviewedByUserId,
    ReviewedAt,
    ReviewNotes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pods::Table)
                    .add_column(integer(Pods::ActiveSessions).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgentSessions::Table)
                    .if_not_exists()
                    .col(string_len(AgentSessions::Id, 40).primary_key())
                    .col(string_len(AgentSessions::PodId, 40))
                    .col(string_len(AgentSessions::SubscriptionId, 40))
                    .col(string_len(AgentSessions::Status, 20))
                    .col(string_len(AgentSessions::ExternalSessionId, 128).default(""))
                    .col(string_len(AgentSessions::IdempotencyKey, 128))
                    .col(big_integer(AgentSessions::TokensUsed).default(0))
                    .col(timestamp_with_time_zone(AgentSessions::StartedAt))
                    .col(timestamp_with_time_zone(AgentSessions::LastActivityAt))
                    .col(timestamp_with_time_zone_null(AgentSessions::EndedAt))
                    .col(text(AgentSessions::EndReason).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_agent_sessions_key")
                    .table(AgentSessions::Table)
                    .col(AgentSessions::PodId)
                    .col(AgentSessions::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agent_sessions_idle")
                    .table(AgentSessions::Table)
                    .col(AgentSessions::Status)
                    .col(AgentSessions::LastActivityAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgentDecisions::Table)
                    .if_not_exists()
                    .col(string_len(AgentDecisions::Id, 40).primary_key())
                    .col(string_len(AgentDecisions::PodId, 40))
                    .col(string_len(AgentDecisions::SubscriptionId, 40))
                    .col(string_len(AgentDecisions::SessionId, 40).default(""))
                    .col(string_len(AgentDecisions::DecisionType, 40))
                    .col(string_len(AgentDecisions::Status, 20))
                    .col(boolean(AgentDecisions::RequiresApproval))
                    .col(string_len(AgentDecisions::Title, 200))
                    .col(text(AgentDecisions::Description).default(""))
                    .col(text(AgentDecisions::Reasoning).default(""))
                    .col(text(AgentDecisions::RecommendedAction).default(""))
                    .col(integer(AgentDecisions::ConfidencePercent).default(0))
                    .col(big_integer(AgentDecisions::EstimatedTokens).default(0))
                    .col(big_integer_null(AgentDecisions::EstimatedCostCents))
                    .col(string_len(AgentDecisions::IdempotencyKey, 128))
                    .col(timestamp_with_time_zone(AgentDecisions::CreatedAt))
                    .col(timestamp_with_time_zone_null(AgentDecisions::ExpiresAt))
                    .col(string_len(AgentDecisions::ReviewedByUserId, 40).default(""))
                    .col(timestamp_with_time_zone_null(AgentDecisions::ReviewedAt))
                    .col(text(AgentDecisions::ReviewNotes).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_agent_decisions_key")
                    .table(AgentDecisions::Table)
                    .col(AgentDecisions::PodId)
                    .col(AgentDecisions::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AgentDecisions::Table.into_iden(),
            AgentSessions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Pods::Table)
                    .drop_column(Pods::ActiveSessions)
                    .to_owned(),
            )
            .await
    }
}
