//! Windowed attempt counters: how many times a subject (a client address, an account) tried
//! something in the current fixed window. Each call is one atomic step, so counts stay exact
//! across concurrent requests and server processes, and cost the same whatever the history.

use std::fmt::Debug;

use chrono::{DateTime, Duration, Utc};
use redis::aio::ConnectionManager;
use sea_orm::DatabaseConnection;

use super::{ServiceError, ServiceResult};
use crate::persistence::attempts as repo;

/// Counts attempts per subject and window.
#[async_trait::async_trait]
pub trait AttemptCounter: Send + Sync + Debug {
    /// Adds `delta` to `subject`'s count in the window of length `window` holding `now`; returns
    /// the count after the change.
    async fn add(
        &self,
        scope: &str,
        subject: &str,
        window: Duration,
        now: DateTime<Utc>,
        delta: i64,
    ) -> ServiceResult<i64>;

    /// Forgets `subject`'s counts.
    async fn clear(&self, scope: &str, subject: &str) -> ServiceResult<()>;
}

/// Start (seconds since the epoch) of the fixed window of length `window` that holds `now`.
pub fn window_start(window: Duration, now: DateTime<Utc>) -> i64 {
    let length = window.num_seconds().max(1);
    now.timestamp().div_euclid(length) * length
}

/// A fixed number of uses per window (shared across processes through the counter).
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub scope: &'static str,
    pub limit: i64,
    pub window: Duration,
}

impl Quota {
    /// Counts one use by `subject`; past the limit, RESOURCE_EXHAUSTED with `message` and the
    /// seconds until the window ends.
    pub async fn take(
        &self,
        counter: &dyn AttemptCounter,
        subject: &str,
        now: DateTime<Utc>,
        message: impl FnOnce() -> String,
    ) -> ServiceResult<()> {
        let used = counter
            .add(self.scope, subject, self.window, now, 1)
            .await?;
        if used <= self.limit {
            return Ok(());
        }
        let window_end = window_start(self.window, now) + self.window.num_seconds();
        Err(ServiceError::ResourceExhausted {
            message: message(),
            retry_after_secs: u64::try_from(window_end - now.timestamp())
                .unwrap_or(1)
                .max(1),
        })
    }
}

/// Counters in the `attempt_counters` table (no Redis configured).
#[derive(Debug, Clone)]
pub struct SqlAttemptCounter {
    pub db: DatabaseConnection,
}

#[async_trait::async_trait]
impl AttemptCounter for SqlAttemptCounter {
    async fn add(
        &self,
        scope: &str,
        subject: &str,
        window: Duration,
        now: DateTime<Utc>,
        delta: i64,
    ) -> ServiceResult<i64> {
        Ok(repo::add(&self.db, scope, subject, window_start(window, now), delta).await?)
    }

    async fn clear(&self, scope: &str, subject: &str) -> ServiceResult<()> {
        Ok(repo::clear(&self.db, scope, subject).await?)
    }
}

/// Counters in Redis: one key per subject and window that expires with it.
#[derive(Clone)]
pub struct RedisAttemptCounter {
    pub connection: ConnectionManager,
    pub prefix: String,
}

impl Debug for RedisAttemptCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisAttemptCounter")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn redis_unavailable(error: redis::RedisError) -> ServiceError {
    tracing::warn!(error = %error, "Redis call failed");
    ServiceError::Unavailable("Redis")
}

impl RedisAttemptCounter {
    fn key(&self, scope: &str, subject: &str, window_start: i64) -> String {
        format!("{}attempts:{scope}:{subject}:{window_start}", self.prefix)
    }

    fn index(&self, scope: &str, subject: &str) -> String {
        format!("{}attempts:{scope}:{subject}", self.prefix)
    }
}

#[async_trait::async_trait]
impl AttemptCounter for RedisAttemptCounter {
    async fn add(
        &self,
        scope: &str,
        subject: &str,
        window: Duration,
        now: DateTime<Utc>,
        delta: i64,
    ) -> ServiceResult<i64> {
        let start = window_start(window, now);
        let key = self.key(scope, subject, start);
        let index = self.index(scope, subject);
        let ttl = window.num_seconds().max(1) * 2;
        let mut connection = self.connection.clone();
        // The index set lets `clear` find every window of the subject without a scan.
        let (count, ..): (i64, i64, i64, i64) = redis::pipe()
            .atomic()
            .incr(&key, delta)
            .expire(&key, ttl)
            .sadd(&index, &key)
            .expire(&index, ttl)
            .query_async(&mut connection)
            .await
            .map_err(redis_unavailable)?;
        Ok(count)
    }

    async fn clear(&self, scope: &str, subject: &str) -> ServiceResult<()> {
        let index = self.index(scope, subject);
        let mut connection = self.connection.clone();
        let keys: Vec<String> = redis::cmd("SMEMBERS")
            .arg(&index)
            .query_async(&mut connection)
            .await
            .map_err(redis_unavailable)?;
        let mut pipe = redis::pipe();
        pipe.atomic().del(&index).ignore();
        for key in keys {
            pipe.del(key).ignore();
        }
        pipe.query_async::<()>(&mut connection)
            .await
            .map_err(redis_unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_and_aligned() {
        let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).unwrap();
        let w = Duration::seconds(900);
        assert_eq!(window_start(w, at(900)), 900);
        assert_eq!(window_start(w, at(1799)), 900);
        assert_eq!(window_start(w, at(1800)), 1800);
        assert_eq!(window_start(Duration::zero(), at(5)), 5);
    }
}
