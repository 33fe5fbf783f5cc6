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
    settings.database.url = Some(SecretString::from(database_url.clone()));
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
        let created = Arc::new(AtomicU64::new(0));
        let (outcome, elapsed) = {
            let created = created.clone();
            drive(concurrency, Duration::from_secs(seconds), move |worker| {
                let mut client = clients[worker % clients.len()].clone();
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let created = created.clone();
                async move {
                    let ok = client
                        .create_subscription(pb::CreateSubscriptionRequest {
                            email: format!("bench-{n}@example.ec"),
                            plan: pb::Plan::Trial as i32,
                            tax_id: "1790011674001".into(),
                            ..Default::default()
                        })
                        .await
                        .is_ok();
                    if ok {
                        created.fetch_add(1, Ordering::Relaxed);
                    }
                    ok
                }
            })
            .await
        };
        report("create_subscription trial grpc postgres", outcome, elapsed);
        invariant(&database_url, created.load(Ordering::Relaxed)).await;
    });
}

/// Every signup answered OK is a subscription with its `SubscriptionCreated` event and its
/// activation email row, and nothing else was written.
async fn invariant(database_url: &str, created: u64) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = sea_orm::Database::connect(database_url)
        .await
        .expect("PostgreSQL");
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect("count")
                .expect("a row");
            u64::try_from(row.try_get_by_index::<i64>(0).expect("count")).expect("count")
        }
    };
    let subscriptions = count("SELECT count(*) FROM subscriptions").await;
    let events = count(
        "SELECT count(*) FROM outbox_events WHERE event_type = 'gpubroker.v1.SubscriptionCreated' \
         AND aggregate_id IN (SELECT id FROM subscriptions)",
    )
    .await;
    let emails = count("SELECT count(*) FROM email_outbox").await;
    let with_email = count(
        "SELECT count(*) FROM subscriptions s WHERE EXISTS \
         (SELECT 1 FROM email_outbox e WHERE e.recipient = s.email)",
    )
    .await;
    let whole =
        subscriptions == created && events == created && emails == created && with_email == created;
    println!(
        "invariant: {created} signups answered OK; {subscriptions} subscriptions, {events} \
         SubscriptionCreated events, {emails} email rows, {with_email} subscriptions with their \
         email: {whole}"
    );
}
