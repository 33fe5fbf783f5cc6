//! Automatic redeploys of a pod whose task was lost (a restart, a dead ECS task), counted so
//! they stay bounded.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pods {
    Table,
    Redeploys,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pods::Table)
                    .add_column(integer(Pods::Redeploys).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pods::Table)
                    .drop_column(Pods::Redeploys)
                    .to_owned(),
            )
            .await
    }
}
