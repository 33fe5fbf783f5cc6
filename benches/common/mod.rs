//! Shared load-generator pieces: start a server, drive N concurrent clients for a while after a
//! warm-up, report throughput and latency percentiles (one line per figure).

#![allow(dead_code)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use gpubroker::{config::Settings, startup::Application};
use tokio::sync::Mutex;

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The load generator's runtime: two workers, as the server's.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

const FAKE_POD: &str = include_str!("../../tests/fixtures/fake_pod.py");

/// Settings on a fresh database (`database` under `BENCH_DATABASE_URL`) whose pods are stand-in
/// processes writing their pod token to `<folder>/<pod_id>.token` and whose emails land in
/// `<folder>/outbox`; and that folder.
pub fn pod_settings(
    runtime: &tokio::runtime::Runtime,
    database: &str,
) -> (Settings, std::path::PathBuf) {
    let database_url = fresh_database(runtime, &format!("{database}_{}", std::process::id()));
    let dir = std::env::temp_dir().join(format!("{database}-pods-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("fake_pod.py"), FAKE_POD).expect("script");
    let mut settings = Settings::default();
    settings.database.url = Some(secrecy::SecretString::from(database_url));
    settings.database.max_connections = 32;
    // The activation email lands where the bench reads it (start_server picks the data dir).
    settings.email.outbox_dir = Some(dir.join("outbox"));
    settings.pods.local.command = format!(
        "python3 {} {{port}} {}",
        dir.join("fake_pod.py").display(),
        dir.display()
    );
    (settings, dir)
}

/// The activation token emailed to `email` (links travel only by email), waited for.
pub fn emailed_activation_token(outbox: &std::path::Path, email: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = std::fs::read_dir(outbox)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .filter(|text| text.contains(&format!("To: {email}")))
            .find_map(|text| {
                let start = text.find("token=act_")? + "token=".len();
                Some(
                    text[start..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                        .collect::<String>(),
                )
            });
        if let Some(token) = found {
            return token;
        }
        assert!(Instant::now() < deadline, "no activation email to {email}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Creates a fresh PostgreSQL database named `name` under `BENCH_DATABASE_URL` (default
/// `postgres://postgres@127.0.0.1:5432`) and returns its URL.
pub fn fresh_database(runtime: &tokio::runtime::Runtime, name: &str) -> String {
    use sea_orm::ConnectionTrait;
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    runtime.block_on(async {
        sea_orm::Database::connect(format!("{base}/postgres"))
            .await
            .expect("PostgreSQL")
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("bench database");
    });
    format!("{base}/{name}")
}

/// Starts the server on its own runtime thread and returns its base URL.
pub fn start_server(mut settings: Settings) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let data_dir =
                std::env::temp_dir().join(format!("gpubroker-bench-{}", std::process::id()));
            settings.server.listen = "127.0.0.1:0".parse().expect("addr");
            settings.database.data_dir = data_dir;
            let app = Application::build(settings).await.expect("server builds");
            tx.send(format!("http://{}", app.local_addr().expect("addr")))
                .expect("send url");
            app.run_until_stopped(std::future::pending())
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("server url")
}

pub struct Outcome {
    latencies_us: Vec<u32>,
    errors: u64,
}

/// Prints one line for the figure and returns its p50 in ms.
pub fn report(name: &str, outcome: Outcome, elapsed: Duration) -> f64 {
    let mut latencies = outcome.latencies_us;
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        f64::from(latencies[index]) / 1000.0
    };
    println!(
        "{name}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} requests, {} errors",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        latencies.len(),
        outcome.errors
    );
    pct(0.50)
}

/// Runs `concurrency` loops of `call` for `duration` after a warm-up, collecting latencies.
pub async fn drive<F, Fut>(concurrency: usize, duration: Duration, call: F) -> (Outcome, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let warmup_end = Instant::now() + Duration::from_secs(2);
    let end = warmup_end + duration;
    let results = Arc::new(Mutex::new(Outcome {
        latencies_us: Vec::new(),
        errors: 0,
    }));
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let call = call.clone();
        let results = results.clone();
        tasks.push(tokio::spawn(async move {
            let mut local = Vec::with_capacity(100_000);
            let mut errors = 0;
            loop {
                let start = Instant::now();
                if start >= end {
                    break;
                }
                let ok = call(worker).await;
                if start >= warmup_end {
                    if ok {
                        local.push(start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                    } else {
                        errors += 1;
                    }
                }
            }
            let mut results = results.lock().await;
            results.latencies_us.extend(local);
            results.errors += errors;
        }));
    }
    for task in tasks {
        task.await.expect("worker");
    }
    let outcome = Arc::try_unwrap(results)
        .ok()
        .expect("all workers done")
        .into_inner();
    (outcome, duration)
}
