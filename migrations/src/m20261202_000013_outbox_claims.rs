//! Outbox rows get a claim with an expiry (a relay sends outside any transaction; the claim keeps
//! other relays off the row meanwhile, and a crash leaves it to expire) and a dead-letter mark for
//! an event the broker can never take (it is set aside, so it blocks nothing after it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    ClaimedUntil,
    DeadLetteredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement (SQLite alters one thing at a time).
        for column in [OutboxEvents::ClaimedUntil, OutboxEvents::DeadLetteredAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEvents::Table)
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [OutboxEvents::DeadLetteredAt, OutboxEvents::ClaimedUntil] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEvents::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
