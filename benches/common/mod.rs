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
