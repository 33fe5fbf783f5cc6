//! Pods: their states, the legal moves between them, and what the reconciler does when it sees a
//! task in a given state. Drivers report observations; this module decides.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

/// A pod's state (the task behind it is observed, never assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PodStatus {
    /// A task is requested (or about to be); not running and reachable yet.
    Provisioning,
    /// The task runs and has its address.
    Running,
    /// The driver accepted a stop; the task has not stopped yet.
    Stopping,
    Stopped,
    /// The task never ran, died, or provisioning timed out.
    Failed,
    /// Stopped for good. Final.
    Destroyed,
}

impl PodStatus {
    pub const ALL: [PodStatus; 6] = [
        Self::Provisioning,
        Self::Running,
        Self::Stopping,
        Self::Stopped,
        Self::Failed,
        Self::Destroyed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisioning => "provisioning",
            Self::Running => "running",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
            Self::Failed => "failed",
            Self::Destroyed => "destroyed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// States in which a task may exist and must be watched.
    pub fn has_task(self) -> bool {
        matches!(self, Self::Provisioning | Self::Running | Self::Stopping)
    }
}

impl fmt::Display for PodStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A move the pod lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot move a pod from {from} to {to}")]
pub struct IllegalPodTransition {
    pub from: PodStatus,
    pub to: PodStatus,
}

/// The pod lifecycle. Every status change goes through here.
pub fn transition(from: PodStatus, to: PodStatus) -> Result<PodStatus, IllegalPodTransition> {
    use PodStatus::*;
    let allowed = match (from, to) {
        (Provisioning, Running | Failed | Stopping | Stopped) => true,
        (Running, Stopping | Stopped | Failed) => true,
        // The task was lost (a restart, a dead task): a new one is deployed automatically.
        (Running, Provisioning) => true,
        (Stopping, Stopped | Failed) => true,
        (Stopped | Failed, Provisioning) => true,
        (from, Destroyed) => from != Destroyed,
        _ => false,
    };
    if allowed {
        Ok(to)
    } else {
        Err(IllegalPodTransition { from, to })
    }
}

/// One change in a pod's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// `None` for the pod's first status.
    pub previous: Option<PodStatus>,
    pub status: PodStatus,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// A pod as the use cases see it (the pod token only as a hash, in storage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub pod_id: String,
    pub subscription_id: String,
    pub status: PodStatus,
    pub status_reason: String,
    /// Set by DestroyPod or a stop request for good: once the task stops, the pod is destroyed.
    pub destroy_requested: bool,
    /// Bumped by every start; names that run's clientToken and pod token.
    pub generation: i64,
    /// Empty until the driver accepted a start of this generation.
    pub task_arn: String,
    /// Where the pod answers (`https://<pod>.<domain>` on ECS, `http://127.0.0.1:<port>` locally).
    pub endpoint: String,
    pub public_ip: String,
    pub private_ip: String,
    /// Run time of earlier runs, in seconds (the current run counts from `started_at`).
    pub run_seconds: i64,
    /// Automatic redeploys since the last start by a person (or since the run was stable).
    pub redeploys: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub provisioning_started_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub destroyed_at: Option<DateTime<Utc>>,
}

impl Pod {
    /// The ECS clientToken (and `startedBy`) of this generation: a retried start cannot start a
    /// second task.
    pub fn client_token(&self) -> String {
        format!("{}-g{}", self.pod_id, self.generation)
    }

    /// Total run time up to `now` (earlier runs plus the current one).
    pub fn run_time(&self, now: DateTime<Utc>) -> Duration {
        let current = match (self.status, self.started_at) {
            (PodStatus::Running, Some(started)) if now > started => now - started,
            _ => Duration::zero(),
        };
        Duration::seconds(self.run_seconds) + current
    }

    /// Uptime of the current run; zero unless running.
    pub fn uptime(&self, now: DateTime<Utc>) -> Duration {
        match (self.status, self.started_at) {
            (PodStatus::Running, Some(started)) if now > started => now - started,
            _ => Duration::zero(),
        }
    }

    /// The pod leaves `running`: its run time so far is banked.
    pub fn bank_run_time(&mut self, now: DateTime<Utc>) {
        if self.status == PodStatus::Running {
            self.run_seconds = self.run_time(now).num_seconds();
        }
    }
}

/// Where a task is, as a driver saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskPhase {
    /// Accepted, not running yet (ECS PROVISIONING/PENDING/ACTIVATING, a process not listening).
    Pending,
    Running,
    /// Stopping (ECS DEACTIVATING/STOPPING/DEPROVISIONING).
    Stopping,
    Stopped,
    /// The driver does not know the task (never existed, or forgotten).
    Missing,
}

/// One task as a driver saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskObservation {
    pub task_arn: String,
    pub phase: TaskPhase,
    /// Why it stopped, when it did (ECS `stoppedReason`, a process's exit status).
    pub stopped_reason: String,
    pub public_ip: Option<String>,
    pub private_ip: Option<String>,
    /// Whether the driver has been asked to stop it (ECS `desiredStatus` STOPPED).
    pub stop_requested: bool,
}

/// What the reconciler does about one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing to do yet.
    Wait,
    /// The task runs and has its address: the pod is running.
    MarkRunning,
    /// The task is gone: the pod failed, for this reason.
    Fail(String),
    /// Provisioning took too long: stop the task (if any) and fail the pod.
    StopAndFail(String),
    /// The task was lost: start a new one (`attempt` of the allowed redeploys), for this reason.
    Redeploy { reason: String, attempt: i32 },
    /// A stop was requested and the task is stopped: the pod is stopped (or destroyed).
    MarkStopped,
    /// A stop was requested and the task still runs: ask the driver to stop it.
    SendStop,
}

fn gone_reason(observed: &TaskObservation) -> String {
    match observed.phase {
        TaskPhase::Missing => "task not found".to_owned(),
        _ if observed.stopped_reason.trim().is_empty() => "task stopped".to_owned(),
        _ => format!("task stopped: {}", observed.stopped_reason.trim()),
    }
}

/// The reconciler's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconcilePolicy {
    /// Provisioning longer than this fails the pod.
    pub provisioning_timeout: Duration,
    /// Lost tasks replaced automatically before the pod fails.
    pub max_redeploys: i32,
    /// A run this long counts as stable: a loss after it starts the redeploy count afresh.
    pub stable_after: Duration,
    /// A task still not stopped this long after the stop was recorded fails the pod (for an
    /// operator to look at) instead of staying `stopping` for ever.
    pub stop_timeout: Duration,
}

/// A redeploy for a lost task while attempts are left, else the pod fails.
fn redeploy_or_fail(
    pod: &Pod,
    reason: String,
    now: DateTime<Utc>,
    policy: &ReconcilePolicy,
) -> Step {
    let stable = pod.status == PodStatus::Running
        && pod
            .started_at
            .is_some_and(|started| now - started >= policy.stable_after);
    let used = if stable { 0 } else { pod.redeploys };
    if used < policy.max_redeploys {
        Step::Redeploy {
            reason,
            attempt: used + 1,
        }
    } else {
        Step::Fail(reason)
    }
}

/// Decides the reconciler's step for `pod` given what the driver saw of its task (`None` when the
/// pod has no task yet). A task the driver lost (while running, or while provisioning when the
/// driver forgot it, as a restarted local driver does) is redeployed a bounded number of times;
/// a task that ended before running fails the pod, as does provisioning for too long.
pub fn step(
    pod: &Pod,
    observed: Option<&TaskObservation>,
    now: DateTime<Utc>,
    policy: &ReconcilePolicy,
) -> Step {
    let timeout = policy.provisioning_timeout;
    let gone = observed.is_some_and(|o| matches!(o.phase, TaskPhase::Stopped | TaskPhase::Missing));
    match pod.status {
        PodStatus::Provisioning => {
            if let Some(o) = observed {
                if o.phase == TaskPhase::Missing {
                    let reason = format!("{} before running", gone_reason(o));
                    return redeploy_or_fail(pod, reason, now, policy);
                }
                if gone {
                    return Step::Fail(format!("{} before running", gone_reason(o)));
                }
                if o.phase == TaskPhase::Running && o.public_ip.is_some() {
                    return Step::MarkRunning;
                }
            }
            let started = pod.provisioning_started_at.unwrap_or(pod.updated_at);
            if now - started > timeout {
                let waited = if observed.is_some_and(|o| o.phase == TaskPhase::Running) {
                    "the task runs but has no public IP"
                } else {
                    "the task is not running"
                };
                Step::StopAndFail(format!(
                    "provisioning timed out after {} minutes ({waited})",
                    timeout.num_minutes()
                ))
            } else {
                Step::Wait
            }
        }
        PodStatus::Running => match observed {
            Some(o) if gone => redeploy_or_fail(
                pod,
                format!("{} while running", gone_reason(o)),
                now,
                policy,
            ),
            _ => Step::Wait,
        },
        PodStatus::Stopping => match observed {
            None => Step::MarkStopped,
            Some(_) if gone => Step::MarkStopped,
            Some(_) if now - pod.updated_at > policy.stop_timeout => Step::Fail(format!(
                "the task did not stop within {} minutes of the stop request",
                policy.stop_timeout.num_minutes()
            )),
            Some(o) if !o.stop_requested => Step::SendStop,
            Some(_) => Step::Wait,
        },
        PodStatus::Stopped | PodStatus::Failed | PodStatus::Destroyed => Step::Wait,
    }
}

#[cfg(test)]
mod tests {
    use super::PodStatus::*;
    use super::*;

    fn pod(status: PodStatus, since: DateTime<Utc>) -> Pod {
        Pod {
            pod_id: "pod-1".into(),
            subscription_id: "sub_1".into(),
            status,
            status_reason: String::new(),
            destroy_requested: false,
            generation: 1,
            task_arn: "arn:task/1".into(),
            endpoint: String::new(),
            public_ip: String::new(),
            private_ip: String::new(),
            run_seconds: 0,
            redeploys: 0,
            created_at: since,
            updated_at: since,
            provisioning_started_at: Some(since),
            started_at: None,
            stopped_at: None,
            destroyed_at: None,
        }
    }

    fn policy(timeout: Duration) -> ReconcilePolicy {
        ReconcilePolicy {
            provisioning_timeout: timeout,
            max_redeploys: 0,
            stable_after: Duration::hours(1),
            stop_timeout: Duration::minutes(15),
        }
    }

    fn seen(phase: TaskPhase, ip: Option<&str>) -> TaskObservation {
        TaskObservation {
            task_arn: "arn:task/1".into(),
            phase,
            stopped_reason: "Essential container in task exited".into(),
            public_ip: ip.map(str::to_owned),
            private_ip: None,
            stop_requested: false,
        }
    }

    #[test]
    fn a_provisioning_pod_runs_only_with_a_running_task_and_a_public_ip() {
        let t0 = Utc::now();
        let p = pod(Provisioning, t0);
        let timeout = Duration::minutes(10);
        assert_eq!(
            step(
                &p,
                Some(&seen(TaskPhase::Running, Some("1.2.3.4"))),
                t0,
                &policy(timeout)
            ),
            Step::MarkRunning
        );
        assert_eq!(
            step(
                &p,
                Some(&seen(TaskPhase::Running, None)),
                t0,
                &policy(timeout)
            ),
            Step::Wait
        );
        assert_eq!(
            step(
                &p,
                Some(&seen(TaskPhase::Pending, None)),
                t0,
                &policy(timeout)
            ),
            Step::Wait
        );
        assert_eq!(step(&p, None, t0, &policy(timeout)), Step::Wait);
        assert_eq!(
            step(
                &p,
                Some(&seen(TaskPhase::Stopped, None)),
                t0,
                &policy(timeout)
            ),
            Step::Fail("task stopped: Essential container in task exited before running".into())
        );
        let late = t0 + Duration::minutes(11);
        assert!(matches!(
            step(&p, Some(&seen(TaskPhase::Running, None)), late, &policy(timeout)),
            Step::StopAndFail(reason) if reason.contains("no public IP")
        ));
        assert!(matches!(
            step(&p, None, late, &policy(timeout)),
            Step::StopAndFail(_)
        ));
    }

    #[test]
    fn a_running_pod_whose_task_died_fails_and_a_stopping_pod_stops() {
        let t0 = Utc::now();
        let timeout = Duration::minutes(10);
        let running = pod(Running, t0);
        assert_eq!(
            step(
                &running,
                Some(&seen(TaskPhase::Running, Some("1.2.3.4"))),
                t0,
                &policy(timeout)
            ),
            Step::Wait
        );
        assert_eq!(
            step(
                &running,
                Some(&seen(TaskPhase::Missing, None)),
                t0,
                &policy(timeout)
            ),
            Step::Fail("task not found while running".into())
        );
        let stopping = pod(Stopping, t0);
        assert_eq!(
            step(
                &stopping,
                Some(&seen(TaskPhase::Running, None)),
                t0,
                &policy(timeout)
            ),
            Step::SendStop
        );
        let mut asked = seen(TaskPhase::Stopping, None);
        asked.stop_requested = true;
        assert_eq!(
            step(&stopping, Some(&asked), t0, &policy(timeout)),
            Step::Wait
        );
        assert_eq!(
            step(
                &stopping,
                Some(&seen(TaskPhase::Stopped, None)),
                t0,
                &policy(timeout)
            ),
            Step::MarkStopped
        );
        assert_eq!(
            step(&stopping, None, t0, &policy(timeout)),
            Step::MarkStopped
        );
        // A stop the platform never carries out ends in `failed`, for an operator to look at.
        assert!(matches!(
            step(&stopping, Some(&asked), t0 + Duration::minutes(16), &policy(timeout)),
            Step::Fail(reason) if reason.contains("did not stop within 15 minutes")
        ));
    }

    #[test]
    fn a_lost_task_is_redeployed_a_bounded_number_of_times() {
        let t0 = Utc::now();
        let policy = ReconcilePolicy {
            provisioning_timeout: Duration::minutes(10),
            max_redeploys: 2,
            stable_after: Duration::hours(1),
            stop_timeout: Duration::minutes(15),
        };
        let mut running = pod(Running, t0);
        running.started_at = Some(t0);
        let lost = seen(TaskPhase::Missing, None);
        assert_eq!(
            step(&running, Some(&lost), t0, &policy),
            Step::Redeploy {
                reason: "task not found while running".into(),
                attempt: 1
            }
        );
        running.redeploys = 2;
        assert_eq!(
            step(&running, Some(&lost), t0, &policy),
            Step::Fail("task not found while running".into())
        );
        // After a stable run the count starts again.
        assert!(matches!(
            step(&running, Some(&lost), t0 + Duration::hours(2), &policy),
            Step::Redeploy { attempt: 1, .. }
        ));
        // A provisioning task the driver forgot is redeployed; one that exited fails the pod.
        let mut provisioning = pod(Provisioning, t0);
        assert!(matches!(
            step(&provisioning, Some(&lost), t0, &policy),
            Step::Redeploy { attempt: 1, .. }
        ));
        provisioning.redeploys = 2;
        assert!(matches!(
            step(&provisioning, Some(&lost), t0, &policy),
            Step::Fail(_)
        ));
        assert!(matches!(
            step(
                &pod(Provisioning, t0),
                Some(&seen(TaskPhase::Stopped, None)),
                t0,
                &policy
            ),
            Step::Fail(_)
        ));
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        for path in [
            &[
                Provisioning,
                Running,
                Stopping,
                Stopped,
                Provisioning,
                Failed,
            ][..],
            &[Failed, Provisioning, Running, Destroyed],
        ] {
            for pair in path.windows(2) {
                assert!(transition(pair[0], pair[1]).is_ok(), "{:?}", pair);
            }
        }
        assert!(transition(Destroyed, Provisioning).is_err());
        assert!(transition(Destroyed, Destroyed).is_err());
        assert!(transition(Stopping, Provisioning).is_err());
        assert!(transition(Stopped, Running).is_err());
    }

    #[test]
    fn run_time_banks_earlier_runs() {
        let t0 = Utc::now();
        let mut p = pod(Running, t0);
        p.started_at = Some(t0);
        p.run_seconds = 100;
        assert_eq!(p.run_time(t0 + Duration::seconds(50)).num_seconds(), 150);
        p.bank_run_time(t0 + Duration::seconds(50));
        p.status = Stopped;
        assert_eq!(p.run_seconds, 150);
        assert_eq!(p.run_time(t0 + Duration::hours(1)).num_seconds(), 150);
        assert_eq!(p.uptime(t0 + Duration::hours(1)), Duration::zero());
    }
}
