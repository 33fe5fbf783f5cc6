//! Password hashing (argon2id) with bounded concurrency. Each hash or verification takes ~19 MiB
//! and tens of milliseconds of one core, so a flood of logins could take all memory: at most
//! `parallel` run at once, at most `queue` more wait, and the rest are refused at once with a
//! retry hint (RESOURCE_EXHAUSTED) instead of piling up.

use std::sync::Arc;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use tokio::sync::Semaphore;

use super::{ServiceError, ServiceResult};

/// argon2id with the crate's defaults (19 MiB, 2 passes).
pub fn hash_password(password: &str) -> ServiceResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Passwords are 12 to 128 characters.
pub fn check_password_policy(password: &str) -> ServiceResult<()> {
    let length = password.chars().count();
    if !(12..=128).contains(&length) {
        return Err(ServiceError::invalid(
            "password",
            "must be 12 to 128 characters long",
        ));
    }
    Ok(())
}

/// Runs password hashes on the blocking pool, a bounded number at a time.
#[derive(Debug, Clone)]
pub struct PasswordWork {
    /// Hashes running.
    running: Arc<Semaphore>,
    /// Hashes running or waiting.
    admitted: Arc<Semaphore>,
}

impl PasswordWork {
    pub fn new(parallel: usize, queue: usize) -> Self {
        let parallel = parallel.max(1);
        Self {
            running: Arc::new(Semaphore::new(parallel)),
            admitted: Arc::new(Semaphore::new(parallel + queue)),
        }
    }

    fn busy() -> ServiceError {
        ServiceError::ResourceExhausted {
            message: "too many password checks at once; try again in a moment".into(),
            retry_after_secs: 1,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let _admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| Self::busy())?;
        let _running = self
            .running
            .acquire()
            .await
            .map_err(|_| ServiceError::Internal("password work closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ServiceError::Internal(format!("password work failed: {e}")))
    }

    /// Whether `password` matches `hash` (false for a malformed hash).
    pub async fn verify(&self, password: &str, hash: &str) -> ServiceResult<bool> {
        let (password, hash) = (password.to_owned(), hash.to_owned());
        self.run(move || verify_password(&password, &hash)).await
    }

    /// A new argon2id hash of `password`.
    pub async fn hash(&self, password: &str) -> ServiceResult<String> {
        let password = password.to_owned();
        self.run(move || hash_password(&password)).await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_beyond_the_queue_and_recovers() {
        let work = PasswordWork::new(1, 1);
        let hash = hash_password("a long enough password").unwrap();
        let attempts: Vec<_> = (0..6)
            .map(|_| {
                let (work, hash) = (work.clone(), hash.clone());
                tokio::spawn(async move { work.verify("a long enough password", &hash).await })
            })
            .collect();
        let mut ok = 0;
        let mut refused = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(true) => ok += 1,
                Err(ServiceError::ResourceExhausted { .. }) => refused += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(ok + refused, 6);
        assert!(ok >= 2 && refused >= 1, "ok {ok}, refused {refused}");
        // Capacity comes back once the work is done.
        assert!(!work.verify("wrong password!!", &hash).await.unwrap());
    }
}
