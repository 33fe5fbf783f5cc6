//! Payments keep their PayPal approval link (a repeated CreatePaypalOrder returns the open
//! order) and a capture claim with an expiry (the PayPal call happens outside any transaction;
//! the claim keeps a second capture of the subscription from starting meanwhile, and a crash
//! leaves it to expire).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Payments {
    Table,
    ApproveUrl,
    CapturingUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement (SQLite alters one thing at a time).
        manager
            .alter_table(
                Table::alter()
                    .table(Payments::Table)
                    .add_column(string_len(Payments::ApproveUrl, 2048).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Payments::Table)
                    .add_column(timestamp_with_time_zone_null(Payments::CapturingUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Payments::CapturingUntil, Payments::ApproveUrl] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Payments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
