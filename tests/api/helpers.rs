//! `spawn_app()`: a server on port 0 with its own database, plus typed clients.

use std::{net::SocketAddr, path::PathBuf};

use std::sync::Arc;

use gpubroker::{
    config::Settings,
    domain::role::Role,
    proto::v1 as pb,
    services::{
        audit::RequestOrigin, auth::Auth, clock::ManualClock, subscriptions::Subscriptions,
    },
    startup::{Application, Overrides},
};
use rand::Rng;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use secrecy::SecretString;
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// A running server and what tests need to talk to it.
pub struct TestApp {
    pub address: SocketAddr,
    pub http: reqwest::Client,
    pub db: DatabaseConnection,
    pub clock: ManualClock,
    pub subscriptions: Subscriptions,
    pub payments: gpubroker::services::payments::Payments,
    pub auth: Auth,
    pub emails: gpubroker::services::email_queue::EmailQueue,
    pub pods: gpubroker::services::pods::Pods,
    pub budgets: gpubroker::services::budgets::Budgets,
    pub agents: gpubroker::services::agents::Agents,
    pub relay: Option<gpubroker::services::relay::EventRelay>,
    pub data_dir: TempDir,
    _shutdown: oneshot::Sender<()>,
}

/// The secret test servers sign admin tokens with.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// A native gRPC (HTTP/2, h2c) channel.
    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url(""))
            .expect("valid uri")
            .connect()
            .await
            .expect("gRPC channel connects")
    }

    pub async fn validation(
        &self,
    ) -> pb::validation_service_client::ValidationServiceClient<Channel> {
        pb::validation_service_client::ValidationServiceClient::new(self.channel().await)
    }

    pub fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use gpubroker::services::clock::Clock;
        self.clock.now()
    }

    /// Creates an admin user directly (as the bootstrap command does) and returns its email.
    pub async fn create_admin(&self, role: Role) -> String {
        let email = format!(
            "{}-{}@gpubroker.test",
            role.as_str().replace('_', "-"),
            random_suffix()
        );
        self.auth
            .create_user(
                None,
                &email,
                "Test Admin",
                ADMIN_PASSWORD,
                role,
                &RequestOrigin::default(),
            )
            .await
            .expect("admin user created");
        email
    }

    /// Logs in over REST and returns the access token.
    pub async fn admin_token(&self, role: Role) -> String {
        let email = self.create_admin(role).await;
        let body: serde_json::Value = self
            .post_json(
                "/api/v2/admin/public/admin/login",
                &serde_json::json!({"email": email, "password": ADMIN_PASSWORD}),
            )
            .await
            .json()
            .await
            .expect("login body");
        body["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    /// GETs a REST path with an optional bearer token.
    pub async fn get_with(&self, path: &str, bearer: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// POSTs JSON with an optional bearer token.
    pub async fn post_with(
        &self,
        path: &str,
        body: &serde_json::Value,
        bearer: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// The `.eml` files the embedded email sender wrote, oldest first.
    pub fn sent_emails(&self) -> Vec<String> {
        let dir = self.data_dir.path.join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .collect()
    }

    /// The token of the newest activation link emailed for the subscription a create response
    /// names (the token only ever travels by email).
    pub async fn activation_token(&self, created: &serde_json::Value) -> String {
        let id = created["subscription_id"]
            .as_str()
            .expect("subscription_id");
        let subscription = self.subscriptions.by_id(id).await.expect("subscription");
        emailed_activation_token(&[&self.data_dir.path], subscription.email.as_str())
            .expect("an activation link was emailed")
    }

    /// (held, committed) summed over the ledger of a budget's current period.
    pub async fn budgets_ledger_sums(&self, subscription_id: &str) -> (i64, i64) {
        self.budgets.ledger_sums(subscription_id).await.unwrap()
    }

    /// The sent emails whose subject contains `subject`.
    pub fn sent_with_subject(&self, subject: &str) -> Vec<String> {
        self.sent_emails()
            .into_iter()
            .filter(|e| {
                e.lines()
                    .any(|l| l.starts_with("Subject:") && l.contains(subject))
            })
            .collect()
    }

    /// POSTs a JSON body to a REST path.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request sent")
    }
}

/// The first activation token in `text` (an email: `…/activate?token=act_…`).
pub fn activation_token_in(text: &str) -> Option<String> {
    let start = text.find("token=act_")? + "token=".len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    Some(token)
}

/// The token of the newest activation email to `to` in the outboxes of these data directories.
pub fn emailed_activation_token(data_dirs: &[&std::path::Path], to: &str) -> Option<String> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = data_dirs
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir.join("outbox")).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .collect();
    files.sort();
    let header = format!("to: {}", to.to_lowercase());
    files.iter().rev().find_map(|(_, path)| {
        let text = std::fs::read_to_string(path).ok()?;
        let lower = text.to_lowercase();
        if !lower.lines().any(|line| line.trim_end() == header) {
            return None;
        }
        activation_token_in(&text)
    })
}

/// Base URL of the test PostgreSQL server (databases are created under it).
fn postgres_base_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

pub fn random_suffix() -> String {
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

/// Creates an empty PostgreSQL database and returns its URL.
pub async fn fresh_postgres_database() -> String {
    let base = postgres_base_url();
    let admin = Database::connect(format!("{base}/postgres"))
        .await
        .expect("PostgreSQL reachable at TEST_DATABASE_URL (scripts/test starts it)");
    let name = format!("gpubroker_test_{}", random_suffix());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("test database created");
    admin.close().await.ok();
    format!("{base}/{name}")
}

/// Settings for a test server on port 0.
pub fn test_settings(database_url: Option<String>) -> Settings {
    let mut settings = Settings::default();
    settings.server.listen = "127.0.0.1:0".parse().expect("address");
    settings.database.url = database_url.map(SecretString::from);
    settings.database.max_connections = 10;
    settings.auth.jwt_secret = Some(SecretString::from(TEST_JWT_SECRET));
    // Pods are local processes that never listen (so never run) unless a test says otherwise.
    // (No spaces: the command is split on whitespace.)
    settings.pods.local.command = format!("{} -c __import__('time').sleep(600)", test_python());
    settings
}

/// The moto server scripts/test starts (`TEST_AWS_ENDPOINT`).
pub fn aws_endpoint() -> String {
    std::env::var("TEST_AWS_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:5055".to_owned())
}

/// Points the server's AWS clients at moto with fake credentials.
pub fn use_moto(settings: &mut Settings) {
    settings.aws.endpoint_url = Some(aws_endpoint());
    settings.aws.access_key_id = Some("testing".into());
    settings.aws.secret_access_key = Some("testing".into());
}

/// Moto's record of everything (sent email and SMS included). Moto answers with an error page
/// when another test changes its state mid-dump, so a few attempts are made.
pub async fn moto_data() -> serde_json::Value {
    for _ in 0..5 {
        let response = reqwest::get(format!("{}/moto-api/data.json", aws_endpoint()))
            .await
            .expect("moto_server must run (scripts/test starts it)");
        if let Ok(data) = response.json::<serde_json::Value>().await {
            return data;
        }
    }
    panic!("moto never returned its data");
}

/// The Python that test pods and parity checks run (`GPUBROKER_TEST_PYTHON`, else `python3`).
pub fn test_python() -> String {
    std::env::var("GPUBROKER_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// A server on a fresh PostgreSQL database.
pub async fn spawn_app() -> TestApp {
    let url = fresh_postgres_database().await;
    spawn_with(test_settings(Some(url))).await
}

/// A server whose one-time codes live in Redis (TEST_REDIS_URL, a fresh key prefix per test).
pub async fn spawn_app_redis() -> TestApp {
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    let url =
        std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    settings.redis.url = Some(SecretString::from(url));
    settings.redis.key_prefix = format!("test:{}:", random_suffix());
    spawn_with(settings).await
}

/// A server on the embedded default: SQLite in a temporary data directory.
pub async fn spawn_app_sqlite() -> TestApp {
    spawn_with(test_settings(None)).await
}

/// A server with the given settings, a manual clock at the current time, and no background jobs
/// (tests drive them). The data directory (SQLite, emails) is temporary.
pub async fn spawn_with(mut settings: Settings) -> TestApp {
    let data_dir = TempDir::new();
    settings.database.data_dir = data_dir.path.clone();
    let clock = ManualClock::new(chrono::Utc::now());
    let overrides = Overrides {
        clock: Arc::new(clock.clone()),
        background_jobs: false,
    };
    let app = Application::build_with(settings, overrides)
        .await
        .expect("application builds");
    let address = app.local_addr().expect("bound");
    let db = app.db().clone();
    let subscriptions = app.subscriptions().clone();
    let payments = app.payments().clone();
    let auth = app.auth().clone();
    let emails = app.emails().clone();
    let pods = app.pods().clone();
    let budgets = app.budgets().clone();
    let agents = app.agents().clone();
    let relay = app.relay().cloned();
    let (shutdown, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        http: reqwest::Client::new(),
        db,
        clock,
        subscriptions,
        payments,
        auth,
        emails,
        pods,
        budgets,
        agents,
        relay,
        data_dir,
        _shutdown: shutdown,
    }
}

/// A directory removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("gpubroker-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The real server binary in a process of its own (restarts, replicas, kill -9).
pub struct ServerProcess {
    pub child: tokio::process::Child,
    pub url: String,
}

impl ServerProcess {
    /// Starts `gpubroker serve` with `env` on a free port and waits until it listens.
    pub async fn start(env: &[(&str, String)]) -> Self {
        use tokio::io::AsyncBufReadExt;
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gpubroker"));
        command
            .arg("serve")
            // The embedded database unless the caller names one.
            .env_remove("DATABASE_URL")
            .env("GPUBROKER__SERVER__LISTEN", "127.0.0.1:0")
            .env("GPUBROKER__LOG__FILTER", "info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server binary starts");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        // Bounded: a server that never says where it listens (or a log filter that hides the
        // line) fails the test instead of hanging it.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let Ok(Ok(Some(line))) = tokio::time::timeout_at(deadline, lines.next_line()).await
            else {
                break;
            };
            if let Some(address) = line.split("listening on ").nth(1) {
                let address: String = address
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                    .collect();
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return Self {
                    child,
                    url: format!("http://{address}"),
                };
            }
        }
        panic!("the server never said where it listens");
    }

    /// kill -9.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("killed");
    }

    /// SIGTERM, then waits for a clean exit.
    pub async fn terminate(mut self) {
        let pid = self.child.id().expect("running") as i32;
        // SAFETY: kill(2) with our own child's pid.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        let status = tokio::time::timeout(std::time::Duration::from_secs(60), self.child.wait())
            .await
            .expect("the server ends after SIGTERM")
            .unwrap();
        assert!(status.success(), "clean exit after SIGTERM: {status}");
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }
}

/// Polls `check` until it returns `Some` (or panics with `what` after `secs` seconds).
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The `n` a `SELECT count(*) AS n …` answers.
pub async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}
