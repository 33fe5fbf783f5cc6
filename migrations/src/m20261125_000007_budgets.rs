//! Token budgets: one row per subscription whose counters are only changed by conditional updates
//! (and a CHECK constraint as the last word: committed + held never exceeds the limit), the
//! reservations that hold tokens, and an append-only ledger whose deltas add up to the counters.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Budgets {
    Table,
    SubscriptionId,
    PodId,
    LimitTokens,
    CommittedTokens,
    HeldTokens,
    ThresholdsCrossed,
    PeriodStartAt,
    PeriodEndAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetReservations {
    Table,
    Id,
    SubscriptionId,
    PodId,
    SessionId,
    Model,
    Tokens,
    Status,
    IdempotencyKey,
    CommittedTokens,
    UsageId,
    Capped,
    PeriodStartAt,
    CreatedAt,
    ExpiresAt,
    SettledAt,
}

#[derive(DeriveIden)]
enum BudgetLedger {
    Table,
    Id,
    SubscriptionId,
    PodId,
    SessionId,
    Kind,
    ReservationId,
    EventId,
    HeldDelta,
    CommittedDelta,
    TokensIn,
    TokensOut,
    Model,
    PeriodStartAt,
    OccurredAt,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Budgets::Table)
                    .if_not_exists()
                    .col(string_len(Budgets::SubscriptionId, 40).primary_key())
                    .col(string_len(Budgets::PodId, 40))
                    .col(big_integer(Budgets::LimitTokens))
                    .col(big_integer(Budgets::CommittedTokens).default(0))
                    .col(big_integer(Budgets::HeldTokens).default(0))
                    .col(integer(Budgets::ThresholdsCrossed).default(0))
                    .col(timestamp_with_time_zone(Budgets::PeriodStartAt))
                    .col(timestamp_with_time_zone_null(Budgets::PeriodEndAt))
                    .col(timestamp_with_time_zone(Budgets::UpdatedAt))
                    .check(Expr::cust(
                        "committed_tokens >= 0 AND held_tokens >= 0 \
                         AND committed_tokens + held_tokens <= limit_tokens",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetReservations::Table)
                    .if_not_exists()
                    .col(string_len(BudgetReservations::Id, 40).primary_key())
                    .col(string_len(BudgetReservations::SubscriptionId, 40))
                    .col(string_len(BudgetReservations::PodId, 40))
                    .col(string_len(BudgetReservations::SessionId, 40).default(""))
                    .col(string_len(BudgetReservations::Model, 200).default(""))
                    .col(big_integer(BudgetReservations::Tokens))
                    .col(string_len(BudgetReservations::Status, 20))
                    .col(string_len(BudgetReservations::IdempotencyKey, 128))
                    .col(big_integer_null(BudgetReservations::CommittedTokens))
                    .col(string_len_null(BudgetReservations::UsageId, 40))
                    .col(boolean(BudgetReservations::Capped).default(false))
                    .col(timestamp_with_time_zone(BudgetReservations::PeriodStartAt))
                    .col(timestamp_with_time_zone(BudgetReservations::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetReservations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(BudgetReservations::SettledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_budget_reservations_key")
                    .table(BudgetReservations::Table)
                    .col(BudgetReservations::SubscriptionId)
                    .col(BudgetReservations::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_reservations_due")
                    .table(BudgetReservations::Table)
                    .col(BudgetReservations::Status)
                    .col(BudgetReservations::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetLedger::Table)
                    .if_not_exists()
                    .col(string_len(BudgetLedger::Id, 40).primary_key())
                    .col(string_len(BudgetLedger::SubscriptionId, 40))
                    .col(string_len(BudgetLedger::PodId, 40))
                    .col(string_len(BudgetLedger::SessionId, 40).default(""))
                    .col(string_len(BudgetLedger::Kind, 20))
                    .col(string_len(BudgetLedger::ReservationId, 40).default(""))
                    .col(string_len_null(BudgetLedger::EventId, 128))
                    .col(big_integer(BudgetLedger::HeldDelta))
                    .col(big_integer(BudgetLedger::CommittedDelta))
                    .col(big_integer(BudgetLedger::TokensIn).default(0))
                    .col(big_integer(BudgetLedger::TokensOut).default(0))
                    .col(string_len(BudgetLedger::Model, 200).default(""))
                    .col(timestamp_with_time_zone(BudgetLedger::PeriodStartAt))
                    .col(timestamp_with_time_zone(BudgetLedger::OccurredAt))
                    .col(timestamp_with_time_zone(BudgetLedger::RecordedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_budget_ledger_event")
                    .table(BudgetLedger::Table)
                    .col(BudgetLedger::SubscriptionId)
                    .col(BudgetLedger::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_ledger_subscription")
                    .table(BudgetLedger::Table)
                    .col(BudgetLedger::SubscriptionId)
                    .col(BudgetLedger::RecordedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BudgetLedger::Table.into_iden(),
            BudgetReservations::Table.into_iden(),
            Budgets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
