//! The money ledger: one row per movement (capture in, refund or reversal out).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PaymentTransactions {
    Table,
    Id,
    PaymentId,
    SubscriptionId,
    Kind,
    Status,
    AmountCents,
    Currency,
    ProviderReference,
    Reason,
    ActorUserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaymentTransactions::Table)
                    .if_not_exists()
                    .col(string_len(PaymentTransactions::Id, 40).primary_key())
                    .col(string_len(PaymentTransactions::PaymentId, 40))
                    .col(string_len(PaymentTransactions::SubscriptionId, 40))
                    .col(string_len(PaymentTransactions::Kind, 16))
                    .col(string_len(PaymentTransactions::Status, 16))
                    .col(big_integer(PaymentTransactions::AmountCents))
                    .col(string_len(PaymentTransactions::Currency, 3))
                    // PayPal capture or refund id: one movement per provider reference.
                    .col(string_len_uniq(PaymentTransactions::ProviderReference, 64))
                    .col(text(PaymentTransactions::Reason))
                    .col(string_len(PaymentTransactions::ActorUserId, 40))
                    .col(timestamp_with_time_zone(PaymentTransactions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payment_transactions_payment")
                    .table(PaymentTransactions::Table)
                    .col(PaymentTransactions::PaymentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PaymentTransactions::Table).to_owned())
            .await
    }
}
