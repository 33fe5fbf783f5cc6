//! Load generator for trial `CreateSubscription` on PostgreSQL (SPEC §7 target: ≥ 1,000/s).
//! Each request is a new customer (unique email), validated RUC, one row + one outbox event in a
//! transaction, and the activation email written to the embedded outbox directory.
//!
//! `cargo bench --bench create_subscription` creates a fresh database under `BENCH_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432`) and serves from it in-process.
//! `BENCH_SECONDS` (default 10) and `BENCH_CONCURRENCY` (default 64) tune the run.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use common::{drive, env_or, fresh_database, report, runtime, start_server};
use gpubroker::{config::Settings, proto::v1 as pb};
use secrecy::SecretString;

fn main() {
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 64);
    let runtime = runtime();
    let database_url = fresh_database(&runtime, &format!("gpubroker_bench_{}", std::process::id()));
    let mut settings = Settings::default();
    settings.database.url = Some(SecretString::from(database_url));
    settings.database.max_connections = 32;
    let url = start_server(settings);
    runtime.block_on(async move {
        let mut clients = Vec::new();
        for _ in 0..4 {
            let channel = tonic::transport::Channel::from_shared(url.clone())
                .expect("url")
                .connect()
                .await
                .expect("connect");
            clients.push(pb::subscription_service_client::SubscriptionServiceClient::new(channel));
        }
        let clients = Arc::new(clients);
        let counter = Arc::new(AtomicU64::new(0));
        let (outcome, elapsed) = drive(concurrency, Duration::from_secs(seconds), move |worker| {
            let mut client = clients[worker % clients.len()].clone();
            let n = counter.fetch_add(1, Ordering::Relaxed);
            async move {
                client
                    .create_subscription(pb::CreateSubscriptionRequest {
                        email: format!("bench-{n}@example.ec"),
                        plan: pb::Plan::Trial as i32,
                        tax_id: "1790011674001".into(),
                        ..Default::default()
                    })
                    .await
                    .is_ok()
            }
        })
        .await;
        report("create_subscription trial grpc postgres", outcome, elapsed);
    });
}
