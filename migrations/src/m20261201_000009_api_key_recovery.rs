//! API key revocation: a revoked key is replaced by an unusable hash, and the customer gets a
//! single-use, expiring recovery token (stored hashed) to obtain a new key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    KeyRecoveryTokenHash,
    KeyRecoveryExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time, and cannot add a UNIQUE
        // column (the index below does that).
        manager
            .alter_table(
                Table::alter()
                    .table(Subscriptions::Table)
                    .add_column(string_len_null(Subscriptions::KeyRecoveryTokenHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Subscriptions::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Subscriptions::KeyRecoveryExpiresAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_subscriptions_key_recovery")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::KeyRecoveryTokenHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_subscriptions_key_recovery")
                    .table(Subscriptions::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Subscriptions::KeyRecoveryExpiresAt,
            Subscriptions::KeyRecoveryTokenHash,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Subscriptions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
