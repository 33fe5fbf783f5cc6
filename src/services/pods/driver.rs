//! What a pod driver does: start a task for a pod, report what its tasks are doing, stop one,
//! and read its utilisation. ECS in production, a local process in the embedded default.

use chrono::{DateTime, Utc};

use crate::domain::pod::TaskObservation;

/// One task to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSpec {
    pub pod_id: String,
    pub subscription_id: String,
    pub plan: String,
    /// Same for every retry of one start: the driver never starts two tasks for it.
    pub client_token: String,
    /// The pod's environment (POD_ID, PLAN, the budget URL, the pod-scoped token).
    pub env: Vec<(String, String)>,
}

/// A task the driver accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedTask {
    pub task_arn: String,
    /// Where the pod will answer.
    pub endpoint: String,
}

/// Utilisation series, oldest first: (end of step, percent).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Utilisation {
    pub cpu: Vec<(DateTime<Utc>, f64)>,
    pub memory: Vec<(DateTime<Utc>, f64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriverError {
    /// The request cannot succeed as it is (bad configuration, unknown cluster, missing program).
    #[error("{0}")]
    Rejected(String),
    /// The platform did not answer or failed; retrying later may work.
    #[error("{0}")]
    Unavailable(String),
}

#[async_trait::async_trait]
pub trait PodDriver: Send + Sync + std::fmt::Debug {
    /// Whether every server process sees the same tasks (ECS) rather than only the one that
    /// started them (local processes).
    fn is_shared(&self) -> bool;
    /// Stops every task this process runs itself (it stopped leading; another process will run
    /// them). Nothing to do for a shared platform.
    async fn release_all(&self) {}
    /// Starts the task of `spec`, or returns the one an earlier call with the same client token
    /// started.
    async fn start(&self, spec: &TaskSpec) -> Result<StartedTask, DriverError>;
    /// What each task is doing; tasks the platform does not know are reported `Missing`.
    async fn describe(&self, task_arns: &[String]) -> Result<Vec<TaskObservation>, DriverError>;
    /// Asks the platform to stop the task; returns what it reports afterwards.
    async fn stop(&self, task_arn: &str, reason: &str) -> Result<TaskObservation, DriverError>;
    /// CPU and memory utilisation between `start` and `end`, one point per `step_secs`.
    async fn utilisation(
        &self,
        task_arn: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step_secs: i32,
    ) -> Result<Utilisation, DriverError>;
}
