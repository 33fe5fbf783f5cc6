//! Load generator for budget `Reserve` + `Commit` pairs on one hot budget (SPEC §7 target:
//! ≥ 5,000 pairs/s on PostgreSQL alone), checking for overspend at the end.
//!
//! `cargo bench --bench reserve_commit` creates a fresh database under `BENCH_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432`), serves from it in-process with a stand-in pod
//! process (Python) that hands over its pod token, and drives `BENCH_CONCURRENCY` (64) gRPC
//! clients for `BENCH_SECONDS` (10). Each pair holds 10 tokens and commits 7.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use common::{
    drive, emailed_activation_token, env_or, pod_settings, report, runtime, start_server,
};
use gpubroker::proto::v1 as pb;
use tonic::{Request, transport::Channel};

fn authorized<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    request
}

fn main() {
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 64);
    let runtime = runtime();
    let (mut settings, dir) = pod_settings(&runtime, "gpubroker_bench_budget");
    settings.plans.trial.token_limit = 1_000_000_000_000;
    let url = start_server(settings);
    runtime.block_on(async move {
        let channel = Channel::from_shared(url.clone())
            .expect("url")
            .connect()
            .await
            .expect("connect");
        let mut subscriptions =
            pb::subscription_service_client::SubscriptionServiceClient::new(channel.clone());
        let created = subscriptions
            .create_subscription(pb::CreateSubscriptionRequest {
                email: "bench-budget@example.ec".into(),
                plan: pb::Plan::Trial as i32,
                tax_id: "1790011674001".into(),
                ..Default::default()
            })
            .await
            .expect("trial");
        drop(created);
        let activated = subscriptions
            .activate_subscription(pb::ActivateSubscriptionRequest {
                activation_token: emailed_activation_token(
                    &dir.join("outbox"),
                    "bench-budget@example.ec",
                ),
            })
            .await
            .expect("activation")
            .into_inner();
        let token_file = dir.join(format!("{}.token", activated.pod_id));
        let mut token = String::new();
        for _ in 0..300 {
            if let Ok(found) = std::fs::read_to_string(&token_file) {
                token = found;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(!token.is_empty(), "the stand-in pod never started");
        // The reconciler marks the pod (and subscription) running once the process listens.
        let mut budgets =
            pb::agent_budget_service_client::AgentBudgetServiceClient::new(channel.clone());
        for _ in 0..300 {
            let probe = budgets
                .reserve(authorized(
                    pb::ReserveRequest {
                        tokens: 1,
                        idempotency_key: "probe".into(),
                        ..Default::default()
                    },
                    &token,
                ))
                .await;
            if probe.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut clients = Vec::new();
        for _ in 0..4 {
            let channel = Channel::from_shared(url.clone())
                .expect("url")
                .connect()
                .await
                .expect("connect");
            clients.push(pb::agent_budget_service_client::AgentBudgetServiceClient::new(
                channel,
            ));
        }
        let clients = Arc::new(clients);
        let counter = Arc::new(AtomicU64::new(0));
        let token = Arc::new(token);
        let pairs = Arc::new(AtomicU64::new(0));
        let (outcome, elapsed) = {
            let token = token.clone();
            let pairs = pairs.clone();
            drive(concurrency, Duration::from_secs(seconds), move |worker| {
                let mut client = clients[worker % clients.len()].clone();
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let token = token.clone();
                let pairs = pairs.clone();
                async move {
                    let Ok(held) = client
                        .reserve(authorized(
                            pb::ReserveRequest {
                                tokens: 10,
                                idempotency_key: format!("k{n}"),
                                ..Default::default()
                            },
                            &token,
                        ))
                        .await
                    else {
                        return false;
                    };
                    let ok = client
                        .commit(authorized(
                            pb::CommitRequest {
                                reservation_id: held.into_inner().reservation_id,
                                actual_tokens: 7,
                                ..Default::default()
                            },
                            &token,
                        ))
                        .await
                        .is_ok();
                    if ok {
                        pairs.fetch_add(1, Ordering::Relaxed);
                    }
                    ok
                }
            })
            .await
        };
        report("reserve+commit pairs grpc postgres", outcome, elapsed);
        let budget = budgets
            .get_budget(authorized(pb::GetBudgetRequest::default(), &token))
            .await
            .expect("budget")
            .into_inner()
            .budget
            .expect("budget");
        println!(
            "budget after the run: committed {} held {} limit {}; committed = 7 × {} pairs: {}; overspend: {}",
            budget.committed_tokens,
            budget.held_tokens,
            budget.limit_tokens,
            pairs.load(Ordering::Relaxed),
            budget.committed_tokens == 7 * i64::try_from(pairs.load(Ordering::Relaxed)).unwrap_or(0),
            budget.committed_tokens + budget.held_tokens > budget.limit_tokens
        );
    });
}
