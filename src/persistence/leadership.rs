//! One leader per background job across every server process on one database: a PostgreSQL
//! session-level advisory lock per job, held on a connection of its own for as long as the
//! process leads. When the leader dies (or its connection does) PostgreSQL releases the lock and
//! the next process that asks takes over. SQLite is one process's embedded database: it always
//! leads.

use std::{collections::HashSet, sync::Arc};

use sea_orm::{
    DatabaseConnection,
    sqlx::{self, ConnectOptions, PgConnection},
};
use tokio::sync::Mutex;

#[derive(Default)]
struct Held {
    connection: Option<PgConnection>,
    jobs: HashSet<&'static str>,
}

/// Which background jobs this process leads.
#[derive(Clone)]
pub struct Leadership {
    /// `None`: the embedded database, led by its only process.
    postgres: Option<(DatabaseConnection, Arc<Mutex<Held>>)>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership")
            .field("shared", &self.postgres.is_some())
            .finish()
    }
}

/// The advisory lock key of a job (stable across versions: derived from its name only).
fn lock_key(job: &str) -> i64 {
    let digest = crate::domain::secrets::sha256_hex(format!("gpubroker-job\n{job}").as_bytes());
    i64::from_str_radix(&digest[..15], 16).unwrap_or(0)
}

impl Leadership {
    pub fn new(db: &DatabaseConnection) -> Self {
        let shared = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        Self {
            postgres: shared.then(|| (db.clone(), Arc::new(Mutex::new(Held::default())))),
        }
    }

    /// Whether this process leads `job` now, taking the lead if nobody has it. Call it before each
    /// pass: it also notices a lost lock connection (and then answers false until it leads again).
    pub async fn lead(&self, job: &'static str) -> bool {
        let Some((db, held)) = &self.postgres else {
            return true;
        };
        let mut held = held.lock().await;
        match Self::try_lead(db, &mut held, job).await {
            Ok(leads) => leads,
            Err(error) => {
                if !held.jobs.is_empty() {
                    tracing::warn!(%error, jobs = ?held.jobs, "lost the job locks' connection; no longer leading");
                }
                // Closing the connection (dropping it) releases whatever locks it still held.
                *held = Held::default();
                false
            }
        }
    }

    async fn try_lead(
        db: &DatabaseConnection,
        held: &mut Held,
        job: &'static str,
    ) -> Result<bool, sqlx::Error> {
        if held.connection.is_none() {
            let options = db.get_postgres_connection_pool().connect_options();
            held.connection = Some(options.connect().await?);
        }
        let connection = held.connection.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        if held.jobs.contains(job) {
            // Still ours as long as the connection that holds it is alive.
            sqlx::query("SELECT 1").execute(&mut *connection).await?;
            return Ok(true);
        }
        let (taken,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
            .bind(lock_key(job))
            .fetch_one(&mut *connection)
            .await?;
        if taken {
            tracing::info!(job, "leading this job");
            held.jobs.insert(job);
        }
        Ok(taken)
    }

    /// Gives up every job (at shutdown, so another process takes over at once).
    pub async fn resign(&self) {
        if let Some((_, held)) = &self.postgres {
            *held.lock().await = Held::default();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn job_keys_differ_and_are_stable() {
        assert_ne!(super::lock_key("pods"), super::lock_key("lifecycle"));
        assert_eq!(super::lock_key("pods"), super::lock_key("pods"));
    }
}
