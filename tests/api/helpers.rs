//! `spawn_app()`: a server on port 0 with its own database, plus typed clients.

use std::{net::SocketAddr, path::PathBuf};

use gpubroker::{config::Settings, proto::v1 as pb, startup::Application};
use rand::Rng;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// A running server and what tests need to talk to it.
pub struct TestApp {
    pub address: SocketAddr,
    pub http: reqwest::Client,
    pub db: DatabaseConnection,
    _shutdown: oneshot::Sender<()>,
    _data_dir: Option<TempDir>,
}

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

/// Base URL of the test PostgreSQL server (databases are created under it).
fn postgres_base_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn random_suffix() -> String {
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
    settings.database.max_connections = 5;
    settings
}

/// A server on a fresh PostgreSQL database.
pub async fn spawn_app() -> TestApp {
    let url = fresh_postgres_database().await;
    spawn_with(test_settings(Some(url)), None).await
}

/// A server on the embedded default: SQLite in a temporary data directory.
pub async fn spawn_app_sqlite() -> TestApp {
    let dir = TempDir::new();
    let mut settings = test_settings(None);
    settings.database.data_dir = dir.path.clone();
    spawn_with(settings, Some(dir)).await
}

pub async fn spawn_with(settings: Settings, data_dir: Option<TempDir>) -> TestApp {
    let app = Application::build(settings)
        .await
        .expect("application builds");
    let address = app.local_addr().expect("bound");
    let db = app.db().clone();
    let (shutdown, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        http: reqwest::Client::new(),
        db,
        _shutdown: shutdown,
        _data_dir: data_dir,
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
