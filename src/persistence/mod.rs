//! Storage: the database connection, migrations and the repositories over sea-orm entities.

pub mod admin;
pub mod agents;
pub mod attempts;
pub mod audit;
pub mod begun;
pub mod budgets;
pub mod email_outbox;
pub mod entities;
pub mod leadership;
pub mod outbox;
pub mod payments;
mod pg_batches;
pub mod pods;
pub mod redis;
pub mod subscriptions;
pub mod transactions;
pub mod webhooks;

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::DatabaseSettings;

/// Opens the pool. For the embedded default, creates the data directory first.
#[tracing::instrument(skip_all, fields(embedded = settings.is_embedded()))]
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    if settings.is_embedded() {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            DbErr::Custom(format!(
                "cannot create data directory {}: {e}",
                settings.data_dir.display()
            ))
        })?;
    }
    let url = settings.connection_url();
    // SQLite has one writer: one connection serialises every transaction, so read-then-write
    // sequences (the audit chain, counters) cannot interleave or fail with SQLITE_BUSY.
    let max_connections = if url.starts_with("sqlite:") {
        1
    } else {
        settings.max_connections
    };
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // A ping before every transaction is a round trip on every hold's path; only a connection
        // idle long enough to have been dropped by the server or the network is pinged.
        .test_before_acquire_if_idle_for(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(options).await
}

/// Key of the advisory lock that serialises migrations across processes (any fixed number).
const MIGRATION_LOCK: i64 = 0x6770_7562_726b_6d67; // "gpubrkmg"

/// Applies every pending migration. On PostgreSQL the migrations run in one transaction that first
/// takes an advisory lock, so replicas starting together on an empty database apply them once:
/// the others wait, then find nothing pending (PostgreSQL DDL is transactional).
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [MIGRATION_LOCK.into()],
    ))
    .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Whether PostgreSQL refused a text value it cannot store (a NUL character: SQLSTATE 22021, or
/// 22P05 inside JSON). Request fields are checked before they get here; this keeps a field that
/// was missed a client error rather than an internal one.
pub fn is_unstorable_text(error: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e))) = error
    else {
        return false;
    };
    match &**e {
        sea_orm::sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("22021" | "22P05"))
        }
        _ => false,
    }
}

/// Whether an insert failed on a unique index (an idempotency key or id already taken).
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
