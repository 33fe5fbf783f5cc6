//! Pod tokens remembered for a moment. Every call of a pod (an LLM call through the metering
//! proxy, a Reserve or Commit on the budget API) used to read the pod, its subscription and its
//! budget before anything else — under load the largest single cost of a call. A pod token's pod
//! and subscription are now kept for `llm.caller_cache_ms`; a change this process makes to a pod
//! (stopped, destroyed, restarted with a new token) forgets it at once, and one made by another
//! replica is seen within the same bound. The budget kept with them is only a hint: a hold is
//! always decided against the locked budget row, and a remembered figure is trusted only for a
//! hold that fits as asked (see `LlmProxy::hold`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::broadcast::error::RecvError;

use tokio::sync::broadcast;

use super::{PodChange, Pods, pod_token_hash};
use crate::domain::budget::Budget;
use crate::domain::pod::Pod;
use crate::domain::subscription::Subscription;
use crate::services::ServiceResult;

/// The pod behind a call, its subscription and its budget as read when the call came in.
#[derive(Clone)]
pub struct Caller {
    pub pod: Pod,
    pub subscription: Subscription,
    /// `None` before activation; a hint only: every hold is decided against the locked row.
    pub budget: Option<Budget>,
    /// Read from the database for this call (not remembered from an earlier one).
    pub fresh: bool,
}

/// Pod tokens to their callers, remembered for a moment (one per process, shared by every path
/// a pod calls).
#[derive(Clone)]
pub struct PodCallers {
    pods: Pods,
    cache: Callers,
}

impl std::fmt::Debug for PodCallers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PodCallers")
            .field("ttl", &self.cache.ttl)
            .finish_non_exhaustive()
    }
}

impl PodCallers {
    /// Remembers callers for `ttl` (zero: never), forgetting a pod whenever `pods` changes it.
    pub fn new(pods: Pods, ttl: Duration) -> Self {
        let cache = Callers::new(ttl, pods.subscribe());
        Self { pods, cache }
    }

    /// The pod whose token this is, with its subscription and budget; UNAUTHENTICATED when the
    /// token is no pod's (anymore).
    pub async fn by_token(&self, token: &str) -> ServiceResult<Caller> {
        let token_hash = pod_token_hash(token)?;
        if let Some(caller) = self.cache.get(&token_hash) {
            return Ok(caller);
        }
        let read_at = self.cache.epoch();
        let (pod, subscription, budget) = self.pods.caller_by_token_hash(&token_hash).await?;
        let caller = Caller {
            pod,
            subscription,
            budget,
            fresh: true,
        };
        self.cache.put(token_hash, &caller, read_at);
        Ok(caller)
    }
}

/// Entries kept at most; beyond it the expired go, then (if still full) everything.
const CAPACITY: usize = 50_000;

struct Entry {
    at: Instant,
    caller: Caller,
}

#[derive(Clone)]
struct Callers {
    ttl: Duration,
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    /// Counts forgetting: a read that began before a pod changed must not be remembered.
    epoch: Arc<AtomicU64>,
}

impl Callers {
    /// A cache that forgets a pod whenever `changes` reports a change to it.
    fn new(ttl: Duration, mut changes: broadcast::Receiver<PodChange>) -> Self {
        let callers = Self {
            ttl,
            entries: Arc::default(),
            epoch: Arc::default(),
        };
        if !ttl.is_zero() {
            let watcher = callers.clone();
            tokio::spawn(async move {
                loop {
                    match changes.recv().await {
                        Ok(change) => watcher.forget_pod(&change.pod.pod_id),
                        // Changes were missed: nothing remembered can be trusted.
                        Err(RecvError::Lagged(_)) => watcher.clear(),
                        Err(RecvError::Closed) => break,
                    }
                }
            });
        }
        callers
    }

    /// The caller behind `token_hash`, if it was read less than the TTL ago.
    fn get(&self, token_hash: &str) -> Option<Caller> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(token_hash)?;
        (entry.at.elapsed() < self.ttl).then(|| Caller {
            fresh: false,
            ..entry.caller.clone()
        })
    }

    /// Taken before reading a caller from the database, and given back to [`Callers::put`].
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Remembers `caller`, read when the epoch was `read_at`, unless a pod changed since.
    fn put(&self, token_hash: String, caller: &Caller, read_at: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock that forgetting also takes, so no change slips in between.
        if self.epoch() != read_at {
            return;
        }
        if entries.len() >= CAPACITY {
            let ttl = self.ttl;
            entries.retain(|_, entry| entry.at.elapsed() < ttl);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            token_hash,
            Entry {
                at: Instant::now(),
                caller: caller.clone(),
            },
        );
    }

    fn forget_pod(&self, pod_id: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, entry| entry.caller.pod.pod_id != pod_id);
    }

    fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::email::EmailAddress;
    use crate::domain::mode::PaymentMode;
    use crate::domain::plan::Plan;
    use crate::domain::pod::{Pod, PodStatus};
    use crate::domain::signup::Language;
    use crate::domain::subscription::{Subscription, SubscriptionStatus};

    fn caller(pod_id: &str) -> Caller {
        let now = chrono::Utc::now();
        let pod = Pod {
            pod_id: pod_id.into(),
            subscription_id: "sub_1".into(),
            status: PodStatus::Running,
            status_reason: String::new(),
            destroy_requested: false,
            generation: 1,
            task_arn: String::new(),
            endpoint: String::new(),
            public_ip: String::new(),
            private_ip: String::new(),
            run_seconds: 0,
            redeploys: 0,
            created_at: now,
            updated_at: now,
            provisioning_started_at: None,
            started_at: None,
            stopped_at: None,
            destroyed_at: None,
        };
        let subscription = Subscription {
            id: "sub_1".into(),
            email: EmailAddress::parse("a@example.ec").unwrap(),
            name: String::new(),
            plan: Plan::Trial,
            status: SubscriptionStatus::Running,
            status_reason: String::new(),
            country_code: "EC".into(),
            tax_id: String::new(),
            phone_number: String::new(),
            language: Language::Spanish,
            mode: PaymentMode::Sandbox,
            price_cents: 0,
            currency: "USD".into(),
            token_limit: 1_000,
            tokens_used: 0,
            pod_id: pod_id.into(),
            created_at: now,
            updated_at: now,
            activated_at: Some(now),
            provisioning_started_at: None,
            period_start_at: None,
            period_end_at: None,
            cancelled_at: None,
            destroyed_at: None,
        };
        Caller {
            pod,
            subscription,
            budget: None,
            fresh: true,
        }
    }

    fn change(pod: Pod) -> PodChange {
        PodChange {
            pod,
            previous: None,
            at: chrono::Utc::now(),
        }
    }

    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_remembered_caller_is_not_fresh_and_is_forgotten_when_its_pod_changes() {
        let (tx, rx) = broadcast::channel(4);
        let callers = Callers::new(Duration::from_secs(60), rx);
        callers.put("a".into(), &caller("pod_a"), callers.epoch());
        callers.put("b".into(), &caller("pod_b"), callers.epoch());
        let remembered = callers.get("a").expect("remembered");
        assert!(!remembered.fresh);
        let mut changed = caller("pod_a").pod;
        changed.status = PodStatus::Stopped;
        tx.send(change(changed)).unwrap();
        settle().await;
        assert!(callers.get("a").is_none(), "its pod changed");
        assert!(callers.get("b").is_some(), "another pod's entry stays");
    }

    #[tokio::test]
    async fn a_read_that_began_before_a_change_is_not_remembered() {
        let (tx, rx) = broadcast::channel(4);
        let callers = Callers::new(Duration::from_secs(60), rx);
        let read_at = callers.epoch();
        tx.send(change(caller("pod_a").pod)).unwrap();
        settle().await;
        callers.put("a".into(), &caller("pod_a"), read_at);
        assert!(callers.get("a").is_none());
    }

    #[tokio::test]
    async fn entries_expire_and_a_zero_ttl_remembers_nothing() {
        let (_tx, rx) = broadcast::channel(4);
        let callers = Callers::new(Duration::from_millis(1), rx);
        callers.put("a".into(), &caller("pod_a"), callers.epoch());
        std::thread::sleep(Duration::from_millis(2));
        assert!(callers.get("a").is_none(), "expired");
        let (_tx, rx) = broadcast::channel(4);
        let off = Callers::new(Duration::ZERO, rx);
        off.put("a".into(), &caller("pod_a"), off.epoch());
        assert!(off.get("a").is_none());
    }
}
