//! Transactions begun ahead of need, for a group-commit writer on PostgreSQL: while batches keep
//! coming, a batch's first round trip is its first statement, not `BEGIN`'s. A transaction only
//! begun has no snapshot, no lock and no transaction id yet, so it costs the database nothing but
//! its connection; one left unused for [`LINGER`] is rolled back, so a quiet server keeps none
//! open, and none sits `idle in transaction` for longer than that.
//!
//! Every transaction lent finds rows by key (`BY_KEY`): a connection keeps a statement's plan
//! once it has run it a few times, and a plan made while a table was small (a sequential scan,
//! the cheapest way to read a few rows, or a bitmap scan of every reservation sharing the status
//! `held` through the sweeper's index on `(status, expires_at)`) is kept as the table grows, until
//! the table is next analysed. Measured: on one hot budget a third of the batches scanned every
//! reservation to lock the few they settle (Reserve + Commit at half the rate: 2.7 k against
//! 5.4 k pairs/s); under the LLM proxy bench, with sequential scans off, a batch's bitmap scan read
//! half the reservations and calls fell from 4.6 k to 1.5 k a second as the table grew.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, TransactionTrait,
};

/// How long a transaction begun ahead waits for a batch before it is rolled back.
pub const LINGER: Duration = Duration::from_millis(50);

/// A batch's statements read and lock rows by primary key, for which an index scan is right at
/// any table size. Like `BEGIN`, these take no snapshot and no transaction id.
const BY_KEY: &str = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off";

/// Lends transactions, the next one begun ahead.
#[derive(Clone)]
pub struct Begun {
    db: DatabaseConnection,
    linger: Duration,
    spare: Arc<Mutex<Spare>>,
}

#[derive(Default)]
struct Spare {
    txn: Option<DatabaseTransaction>,
    /// One is being begun: a second would only be rolled back.
    pending: bool,
    /// Counts the transactions begun ahead, so a lingering one is told from its successor.
    serial: u64,
}

impl Begun {
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_linger(db, LINGER)
    }

    /// With a spare rolled back after `linger` unused instead of [`LINGER`].
    pub fn with_linger(db: DatabaseConnection, linger: Duration) -> Self {
        Self {
            db,
            linger,
            spare: Arc::default(),
        }
    }

    /// A transaction: the one begun ahead if there is one, else one begun now; on PostgreSQL the
    /// next one is begun meanwhile. On SQLite never: its one connection kept in a transaction
    /// would keep every other query waiting.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        if self.db.get_database_backend() != DbBackend::Postgres {
            return self.db.begin().await;
        }
        let spare = self.spare.lock().ok().and_then(|mut spare| {
            let txn = spare.txn.take();
            if !spare.pending {
                spare.pending = true;
                self.begin_next();
            }
            txn
        });
        match spare {
            Some(txn) => Ok(txn),
            None => self.begin_now().await,
        }
    }

    async fn begin_now(&self) -> Result<DatabaseTransaction, DbErr> {
        let txn = self.db.begin().await?;
        txn.execute_unprepared(BY_KEY).await?;
        Ok(txn)
    }

    fn begin_next(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            // A fault here is met by the next batch, which then begins its own.
            let begun = this.begin_now().await.ok();
            let serial = this.spare.lock().ok().and_then(|mut spare| {
                spare.pending = false;
                if spare.txn.is_some() {
                    return None;
                }
                spare.txn = Some(begun?);
                spare.serial += 1;
                Some(spare.serial)
            });
            let Some(serial) = serial else {
                return;
            };
            tokio::time::sleep(this.linger).await;
            let unused = this
                .spare
                .lock()
                .ok()
                .filter(|spare| spare.serial == serial)
                .and_then(|mut spare| spare.txn.take());
            if let Some(txn) = unused {
                txn.rollback().await.ok();
            }
        });
    }
}
