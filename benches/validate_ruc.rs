//! Load generator for `ValidateRuc` over native gRPC and over REST (SPEC §7 targets: ≥ 40,000/s
//! gRPC, ≥ 25,000/s REST, p99 < 5 ms at 64 concurrent). Prints one line per figure.
//!
//! `cargo bench --bench validate_ruc` starts the server in-process on the embedded default; set
//! `BENCH_URL=http://host:port` to load an already running server instead. `BENCH_SECONDS`
//! (default 10) and `BENCH_CONCURRENCY` (default 64) tune the run.

mod common;

use std::{sync::Arc, time::Duration};

use common::{drive, env_or, report, start_server};
use gpubroker::{config::Settings, proto::v1 as pb};

fn main() {
    // The REST client's TLS stack needs a provider even for plain HTTP; the in-process server
    // installs one, a run against BENCH_URL must do it here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = std::env::var("BENCH_URL").unwrap_or_else(|_| start_server(Settings::default()));
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 64);
    let duration = Duration::from_secs(seconds);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        // gRPC: a few HTTP/2 connections, many streams each.
        let mut clients = Vec::new();
        for _ in 0..4 {
            let channel = tonic::transport::Channel::from_shared(url.clone())
                .expect("url")
                .connect()
                .await
                .expect("connect");
            clients.push(pb::validation_service_client::ValidationServiceClient::new(
                channel,
            ));
        }
        let clients = Arc::new(clients);
        let (outcome, elapsed) = drive(concurrency, duration, move |worker| {
            let mut client = clients[worker % clients.len()].clone();
            async move {
                client
                    .validate_ruc(pb::ValidateRucRequest {
                        ruc: "1790011674001".into(),
                        strict: false,
                    })
                    .await
                    .is_ok_and(|r| r.into_inner().valid)
            }
        })
        .await;
        report("validate_ruc grpc", outcome, elapsed);

        // REST: HTTP/1.1 keep-alive connections, one per concurrent client.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()
            .expect("client");
        let endpoint = format!("{url}/api/v2/admin/public/validate/ruc");
        let (outcome, elapsed) = drive(concurrency, duration, move |_| {
            let request = http
                .post(&endpoint)
                .header("content-type", "application/json")
                .body(r#"{"ruc":"1790011674001"}"#);
            async move {
                match request.send().await {
                    Ok(response) => {
                        response.status().is_success() && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                }
            }
        })
        .await;
        report("validate_ruc rest", outcome, elapsed);
    });
}
