//! Schema migrations. Each runs unchanged on PostgreSQL and SQLite.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_outbox;
mod m20261125_000002_subscriptions_and_admin;
mod m20261125_000003_webhook_events;
mod m20261125_000004_payment_transactions;
mod m20261125_000005_email_outbox;
mod m20261125_000006_pods;
mod m20261125_000007_budgets;
mod m20261125_000008_agent_sessions_and_decisions;
mod m20261201_000009_api_key_recovery;
mod m20261202_000010_attempt_counters;
mod m20261202_000011_pod_redeploys;
mod m20261202_000012_payment_claims;
mod m20261202_000013_outbox_claims;
mod m20261202_000014_refunds_owed;
mod m20261205_000015_ledger_token_details;
mod m20261206_000016_pod_status_changes;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_outbox::Migration),
            Box::new(m20261125_000002_subscriptions_and_admin::Migration),
            Box::new(m20261125_000003_webhook_events::Migration),
            Box::new(m20261125_000004_payment_transactions::Migration),
            Box::new(m20261125_000005_email_outbox::Migration),
            Box::new(m20261125_000006_pods::Migration),
            Box::new(m20261125_000007_budgets::Migration),
            Box::new(m20261125_000008_agent_sessions_and_decisions::Migration),
            Box::new(m20261201_000009_api_key_recovery::Migration),
            Box::new(m20261202_000010_attempt_counters::Migration),
            Box::new(m20261202_000011_pod_redeploys::Migration),
            Box::new(m20261202_000012_payment_claims::Migration),
            Box::new(m20261202_000013_outbox_claims::Migration),
            Box::new(m20261202_000014_refunds_owed::Migration),
            Box::new(m20261205_000015_ledger_token_details::Migration),
            Box::new(m20261206_000016_pod_status_changes::Migration),
        ]
    }
}
