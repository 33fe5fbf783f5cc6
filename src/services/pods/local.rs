//! Pods as local processes (the embedded default): a configured command template per pod, by
//! default `docker run` of the Agent Zero image. A process counts as running only once its port
//! accepts connections; a program that cannot start, or exits, is reported with its reason.

use std::{collections::HashMap, path::PathBuf, process::Stdio, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use tokio::{process::Child, sync::Mutex};

use super::driver::{DriverError, PodDriver, StartedTask, TaskSpec, Utilisation};
use crate::domain::pod::{TaskObservation, TaskPhase};

/// Runs the Agent Zero image with the pod's environment passed through (`{env}` becomes one
/// `-e NAME` per variable, which copies it from the command's own environment).
pub const DEFAULT_COMMAND: &str = "docker run --rm --name gpubroker-{pod_id} -p 127.0.0.1:{port}:80 {env} agent0ai/agent-zero:latest";

/// What a pod's command keeps of the server's environment (to find its programs and reach the
/// Docker engine); everything else it gets comes from the pod's own environment.
const INHERITED: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "DOCKER_HOST",
    "DOCKER_CONFIG",
    "DOCKER_CONTEXT",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
];

/// The word of a command that stands for `-e NAME` of every variable of the pod's environment.
const ENV_FLAGS: &str = "{env}";

/// Removes the default command's container when it outlives SIGTERM.
pub const DEFAULT_KILL_COMMAND: &str = "docker rm -f gpubroker-{pod_id}";

const TASK_PREFIX: &str = "local:";

/// How a pod is stopped: SIGTERM, `grace` to end, then `kill_command` (if any), then SIGKILL.
#[derive(Debug, Clone)]
pub struct StopPolicy {
    pub grace: Duration,
    /// Whitespace-separated, `{pod_id}` substituted; empty: none.
    pub kill_command: String,
}

#[derive(Debug)]
struct LocalTask {
    pod_id: String,
    /// The program run (to explain its exit).
    program: String,
    child: Child,
    port: u16,
    log: PathBuf,
    exit: Option<String>,
    stop_requested: bool,
}

/// A task's port (fixed at start, readable without its lock) and the task itself.
type TaskEntry = (u16, Arc<Mutex<LocalTask>>);

#[derive(Debug, Clone)]
pub struct LocalDriver {
    /// Whitespace-separated program and arguments; `{pod_id}` and `{port}` are substituted and
    /// a word `{env}` becomes `-e NAME` for each variable of the pod's environment.
    command: String,
    /// Each pod's output goes to `<log_dir>/<pod_id>.log`.
    log_dir: PathBuf,
    stop: StopPolicy,
    /// One lock per task, so probing or stopping one process never holds up the others; the
    /// map's own lock is held only to look a task up or add one.
    tasks: Arc<Mutex<HashMap<String, TaskEntry>>>,
}

impl LocalDriver {
    pub fn new(command: impl Into<String>, log_dir: PathBuf, stop: StopPolicy) -> Self {
        Self {
            command: command.into(),
            log_dir,
            stop,
            tasks: Arc::default(),
        }
    }
}

/// The last non-empty line a process wrote (what it said before dying).
async fn last_line(log: &PathBuf) -> String {
    let text = tokio::fs::read_to_string(log).await.unwrap_or_default();
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    line.trim().chars().take(300).collect()
}

async fn exit_reason(program: &str, status: std::process::ExitStatus, log: &PathBuf) -> String {
    let said = last_line(log).await;
    let no_engine = std::path::Path::new(program)
        .file_name()
        .is_some_and(|name| name == "docker")
        && tokio::fs::read_to_string(log)
            .await
            .is_ok_and(|text| text.contains("Cannot connect to the Docker daemon"));
    if no_engine {
        // Docker's own last words are a usage hint ("See 'docker run --help'") that explains
        // nothing: say what is missing and what to change.
        return format!(
            "no Docker engine is reachable ({status}): start one, or set pods.local.command \
             (GPUBROKER__PODS__LOCAL__COMMAND) to a command that runs a pod without Docker"
        );
    }
    if said.is_empty() {
        format!("process exited ({status})")
    } else {
        format!("process exited ({status}): {said}")
    }
}

fn free_port() -> Result<u16, DriverError> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| DriverError::Unavailable(format!("no free local port: {e}")))
}

/// Asks the process to end with SIGTERM (which `docker run` passes on to its container, so the
/// container stops and `--rm` removes it), gives it the grace period, then runs the kill command
/// (the default removes the container: SIGKILL would end only the `docker run` client and leave
/// the container running) and finally kills the process itself.
async fn terminate(
    child: &mut Child,
    policy: &StopPolicy,
    pod_id: &str,
) -> Result<std::process::ExitStatus, String> {
    if let Some(pid) = child.id().and_then(|pid| libc::pid_t::try_from(pid).ok()) {
        // SAFETY: kill(2) takes plain integers and touches no memory of ours; the pid is our own
        // child's, which has not been reaped yet (`id()` is None once it has been).
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        if let Ok(waited) = tokio::time::timeout(policy.grace, child.wait()).await {
            return waited.map_err(|e| e.to_string());
        }
    }
    if let Some(killed) = run_kill_command(policy, pod_id).await {
        if !killed {
            tracing::warn!(%pod_id, "pods.local.kill_command did not succeed");
        }
        if let Ok(waited) = tokio::time::timeout(Duration::from_secs(5), child.wait()).await {
            return waited.map_err(|e| e.to_string());
        }
    }
    child.start_kill().map_err(|e| e.to_string())?;
    tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .map_err(|_| "the process did not stop".to_owned())?
        .map_err(|e| e.to_string())
}

/// Runs the kill command for `pod_id`, if one is configured; `Some(whether it succeeded)`.
async fn run_kill_command(policy: &StopPolicy, pod_id: &str) -> Option<bool> {
    let words: Vec<String> = policy
        .kill_command
        .split_whitespace()
        .map(|w| w.replace("{pod_id}", pod_id))
        .collect();
    let (program, args) = words.split_first()?;
    let ran = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status(),
    )
    .await;
    Some(matches!(ran, Ok(Ok(status)) if status.success()))
}

impl LocalDriver {
    async fn task(&self, arn: &str) -> Option<Arc<Mutex<LocalTask>>> {
        self.tasks
            .lock()
            .await
            .get(arn)
            .map(|(_, task)| task.clone())
    }

    async fn observe(&self, arn: &str, task: &mut LocalTask) -> TaskObservation {
        if task.exit.is_none()
            && let Ok(Some(status)) = task.child.try_wait()
        {
            task.exit = Some(exit_reason(&task.program, status, &task.log).await);
        }
        let phase = match &task.exit {
            Some(_) => TaskPhase::Stopped,
            None => {
                let probe = tokio::time::timeout(
                    Duration::from_millis(200),
                    tokio::net::TcpStream::connect(("127.0.0.1", task.port)),
                )
                .await;
                if matches!(probe, Ok(Ok(_))) {
                    TaskPhase::Running
                } else {
                    TaskPhase::Pending
                }
            }
        };
        TaskObservation {
            task_arn: arn.to_owned(),
            phase,
            stopped_reason: task.exit.clone().unwrap_or_default(),
            public_ip: (phase == TaskPhase::Running).then(|| "127.0.0.1".to_owned()),
            private_ip: Some("127.0.0.1".to_owned()),
            stop_requested: task.stop_requested,
        }
    }
}

/// Makes the pod process get SIGTERM when the server dies, however it dies (kill -9 included),
/// so no pod outlives the process that watches it (`docker run` passes the signal on to its
/// container, which `--rm` then removes). Linux only; elsewhere a killed server leaves its pods.
fn end_with_this_process(command: &mut tokio::process::Command) {
    #[cfg(target_os = "linux")]
    // SAFETY: the closure runs in the forked child before exec and only calls prctl(2) and
    // getppid(2), which are async-signal-safe.
    unsafe {
        let parent = libc::getpid();
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The server died between fork and prctl: nobody would watch this pod.
            if libc::getppid() != parent {
                return Err(std::io::Error::other("the server exited"));
            }
            Ok(())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

fn missing(arn: &str) -> TaskObservation {
    TaskObservation {
        task_arn: arn.to_owned(),
        phase: TaskPhase::Missing,
        stopped_reason: "no such local process (the server restarted?)".into(),
        public_ip: None,
        private_ip: None,
        stop_requested: false,
    }
}

#[async_trait::async_trait]
impl PodDriver for LocalDriver {
    fn is_shared(&self) -> bool {
        false
    }

    async fn release_all(&self) {
        let tasks: Vec<_> = self.tasks.lock().await.drain().collect();
        for (arn, (_, task)) in tasks {
            let mut task = task.lock().await;
            if task.exit.is_none() {
                let task = &mut *task;
                if let Err(error) = terminate(&mut task.child, &self.stop, &task.pod_id).await {
                    tracing::warn!(%arn, %error, "cannot stop a local pod");
                }
            }
        }
    }

    async fn start(&self, spec: &TaskSpec) -> Result<StartedTask, DriverError> {
        let arn = format!("{TASK_PREFIX}{}", spec.client_token);
        // Held while starting, so a retried start with the same client token finds this task.
        let mut tasks = self.tasks.lock().await;
        if let Some((port, _)) = tasks.get(&arn) {
            // The port is kept beside the task: no waiting here for a task being stopped.
            return Ok(StartedTask {
                task_arn: arn,
                endpoint: format!("http://127.0.0.1:{port}"),
            });
        }
        let port = free_port()?;
        let words: Vec<String> = self
            .command
            .split_whitespace()
            .flat_map(|w| {
                if w == ENV_FLAGS {
                    spec.env
                        .iter()
                        .flat_map(|(name, _)| ["-e".to_owned(), name.clone()])
                        .collect()
                } else {
                    vec![
                        w.replace("{pod_id}", &spec.pod_id)
                            .replace("{port}", &port.to_string()),
                    ]
                }
            })
            .collect();
        let Some((program, args)) = words.split_first() else {
            return Err(DriverError::Rejected("pods.local.command is empty".into()));
        };
        tokio::fs::create_dir_all(&self.log_dir)
            .await
            .map_err(|e| DriverError::Unavailable(format!("{}: {e}", self.log_dir.display())))?;
        let log = self.log_dir.join(format!("{}.log", spec.pod_id));
        let open = |log: &PathBuf| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| DriverError::Unavailable(format!("{}: {e}", log.display())))
        };
        // A container of an earlier run of this pod (left by a server that was killed) would
        // keep running beside the new one, or take its name: remove it first.
        if run_kill_command(&self.stop, &spec.pod_id).await == Some(true) {
            tracing::info!(pod_id = %spec.pod_id, "removed what an earlier run of the pod left");
        }
        let mut command = tokio::process::Command::new(program);
        // Only what a pod needs: never the server's own secrets (database URL, provider keys),
        // which a command other than `docker run -e NAME` would otherwise inherit.
        command
            .args(args)
            .env_clear()
            .envs(
                INHERITED
                    .iter()
                    .filter_map(|name| Some((*name, std::env::var_os(name)?))),
            )
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::from(open(&log)?))
            .stderr(Stdio::from(open(&log)?))
            .kill_on_drop(true);
        end_with_this_process(&mut command);
        let child = command
            .spawn()
            .map_err(|e| DriverError::Rejected(format!("cannot run `{program}`: {e}")))?;
        tasks.insert(
            arn.clone(),
            (
                port,
                Arc::new(Mutex::new(LocalTask {
                    pod_id: spec.pod_id.clone(),
                    program: program.clone(),
                    child,
                    port,
                    log,
                    exit: None,
                    stop_requested: false,
                })),
            ),
        );
        Ok(StartedTask {
            task_arn: arn,
            endpoint: format!("http://127.0.0.1:{port}"),
        })
    }

    async fn describe(&self, task_arns: &[String]) -> Result<Vec<TaskObservation>, DriverError> {
        let mut seen = Vec::with_capacity(task_arns.len());
        for arn in task_arns {
            seen.push(match self.task(arn).await {
                Some(task) => self.observe(arn, &mut *task.lock().await).await,
                None => missing(arn),
            });
        }
        Ok(seen)
    }

    async fn stop(&self, task_arn: &str, reason: &str) -> Result<TaskObservation, DriverError> {
        let Some(task) = self.task(task_arn).await else {
            return Ok(missing(task_arn));
        };
        let mut task = task.lock().await;
        if task.exit.is_none() {
            let task = &mut *task;
            let status = terminate(&mut task.child, &self.stop, &task.pod_id)
                .await
                .map_err(|e| DriverError::Unavailable(format!("cannot stop the process: {e}")))?;
            task.exit = Some(format!("{reason} ({status})"));
        }
        // Only once it is gone: a stop that failed must be sent again (the reconciler does).
        task.stop_requested = true;
        Ok(self.observe(task_arn, &mut task).await)
    }

    async fn utilisation(
        &self,
        _task_arn: &str,
        _start: DateTime<Utc>,
        _end: DateTime<Utc>,
        _step_secs: i32,
    ) -> Result<Utilisation, DriverError> {
        // Local processes have no metrics service behind them: empty series, not invented ones.
        Ok(Utilisation::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Docker's client without an engine ends with a usage hint; the pod's reason says instead
    /// what is missing and which setting to change.
    #[tokio::test]
    async fn a_machine_without_docker_gets_a_plain_reason() {
        let dir = std::env::temp_dir().join(format!("gpubroker-docker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("pod.log");
        std::fs::write(
            &log,
            "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\nSee 'docker run --help'.\n",
        )
        .unwrap();
        let status = std::process::Command::new("sh")
            .args(["-c", "exit 125"])
            .status()
            .unwrap();
        let reason = exit_reason("/usr/bin/docker", status, &log).await;
        assert!(
            reason.starts_with("no Docker engine is reachable"),
            "{reason}"
        );
        assert!(reason.contains("pods.local.command"), "{reason}");
        let other = exit_reason("/usr/bin/python3", status, &log).await;
        assert!(other.contains("See 'docker run --help'"), "{other}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
