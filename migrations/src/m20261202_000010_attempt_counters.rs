//! Windowed attempt counters (failed logins per client address and per account): one row per
//! subject and fixed window, so counting costs the same whatever the history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttemptCounters {
    Table,
    Scope,
    Subject,
    WindowStart,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttemptCounters::Table)
                    .col(string_len(AttemptCounters::Scope, 32))
                    .col(string_len(AttemptCounters::Subject, 320))
                    // Seconds since the epoch of the window's start.
                    .col(big_integer(AttemptCounters::WindowStart))
                    .col(big_integer(AttemptCounters::Count))
                    .primary_key(
                        Index::create()
                            .col(AttemptCounters::Scope)
                            .col(AttemptCounters::Subject)
                            .col(AttemptCounters::WindowStart),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_counters_window")
                    .table(AttemptCounters::Table)
                    .col(AttemptCounters::WindowStart)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttemptCounters::Table).to_owned())
            .await
    }
}
