//! Transactions begun ahead of need, for the group-commit writers on PostgreSQL: a batch's first
//! round trip is then its first statement, not `BEGIN`'s — a lone hold waits for one round trip
//! less. A transaction only begun holds no snapshot and no lock, so keeping one costs the
//! database nothing but the connection.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, TransactionTrait};

/// A transaction begun longer ago than this is rolled back rather than used: its connection may
/// have been dropped meanwhile (the pool pings a connection idle this long before lending it).
const FRESH: Duration = Duration::from_secs(10);

/// Lends transactions, one of them begun ahead.
#[derive(Clone)]
pub struct Begun {
    db: DatabaseConnection,
    spare: Arc<Mutex<Option<(Instant, DatabaseTransaction)>>>,
}

impl Begun {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            spare: Arc::default(),
        }
    }

    /// A transaction: the one begun ahead if it is fresh, else one begun now. On PostgreSQL the
    /// next one is begun meanwhile; on SQLite never (one connection: a transaction kept open
    /// would keep every other query waiting).
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        if self.db.get_database_backend() != DbBackend::Postgres {
            return self.db.begin().await;
        }
        let spare = self.spare.lock().ok().and_then(|mut spare| spare.take());
        self.begin_next();
        match spare {
            Some((at, txn)) if at.elapsed() < FRESH => Ok(txn),
            // Dropped: rolled back.
            _ => self.db.begin().await,
        }
    }

    fn begin_next(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            let Ok(txn) = this.db.begin().await else {
                // The next batch begins its own and meets the fault itself.
                return;
            };
            if let Ok(mut spare) = this.spare.lock()
                && spare.is_none()
            {
                *spare = Some((Instant::now(), txn));
            }
        });
    }
}
