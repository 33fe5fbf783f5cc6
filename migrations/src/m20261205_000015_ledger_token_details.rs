//! The usage ledger records the cached prompt tokens and the reasoning tokens of an LLM call
//! apart (both are already inside `tokens_in` / `tokens_out`, so nothing is charged twice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BudgetLedger {
    Table,
    TokensCached,
    TokensReasoning,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [BudgetLedger::TokensCached, BudgetLedger::TokensReasoning] {
            manager
                .alter_table(
                    Table::alter()
                        .table(BudgetLedger::Table)
                        .add_column(big_integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [BudgetLedger::TokensCached, BudgetLedger::TokensReasoning] {
            manager
                .alter_table(
                    Table::alter()
                        .table(BudgetLedger::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
