//! The LLM metering proxy side by side with a direct call to the same upstream (SPEC §7: added
//! p50 ≤ 1 ms; ≥ 3,000 proxied requests/s over 100 pods' budgets on PostgreSQL; zero overspend),
//! and with LiteLLM's proxy when one is running (`LITELLM_URL`; `benches/llm_proxy.sh` starts one).
//!
//! `cargo bench --bench llm_proxy` starts the upstream emulator of the tests (fixed tiny answers,
//! fixed usage), a server in-process on a fresh PostgreSQL database (`BENCH_DATABASE_URL`) with
//! `BENCH_PODS` (100) running stand-in pods, then drives `BENCH_CONCURRENCY` (64) clients for
//! `BENCH_SECONDS` (10) per figure, interleaved over `BENCH_ROUNDS` (2) rounds: direct, through
//! our proxy over every pod's budget, over one pod's budget, streamed (time to first token), and
//! through LiteLLM. At the end it checks every budget: nothing held, committed ≤ limit, and
//! committed = the upstream's usage × the calls answered 200 (nothing lost, nothing charged twice).

mod common;
#[allow(dead_code)]
#[path = "../tests/api/llm_upstream.rs"]
mod llm_upstream;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use common::{
    drive, emailed_activation_token, env_or, pod_settings, report, runtime, start_server,
};
use gpubroker::proto::v1 as pb;
use llm_upstream::{UPSTREAM_KEY, Upstream, usage_of};
use serde_json::{Value, json};

const MODEL: &str = "bench/small";

/// The one request every client sends: a short chat with a small cap.
fn request(stream: bool) -> Value {
    json!({"model": MODEL, "stream": stream, "max_tokens": 16, "messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Say hi."},
    ]})
}

/// Where a load goes and how it authenticates.
#[derive(Clone)]
struct Target {
    url: String,
    tokens: Arc<Vec<String>>,
    /// Model id as this target knows it.
    model: String,
}

/// Calls answered 200 through our proxy (for the final usage check).
static PROXIED_OK: AtomicU64 = AtomicU64::new(0);

async fn run(
    name: &str,
    http: &reqwest::Client,
    target: &Target,
    stream: bool,
    concurrency: usize,
    seconds: u64,
    count: bool,
) -> f64 {
    let ttft: Arc<Mutex<Vec<u32>>> = Arc::default();
    let overheads: Arc<Mutex<Vec<f64>>> = Arc::default();
    let (outcome, elapsed) = {
        let (http, target, ttft) = (http.clone(), target.clone(), ttft.clone());
        let overheads = overheads.clone();
        let calls = Arc::new(AtomicU64::new(0));
        drive(concurrency, Duration::from_secs(seconds), move |_| {
            let n = calls.fetch_add(1, Ordering::Relaxed) as usize;
            let (http, target, ttft) = (http.clone(), target.clone(), ttft.clone());
            let overheads = overheads.clone();
            async move {
                let mut body = request(stream);
                body["model"] = json!(target.model);
                let started = Instant::now();
                let Ok(mut response) = http
                    .post(format!("{}/chat/completions", target.url))
                    .bearer_auth(&target.tokens[n % target.tokens.len()])
                    .json(&body)
                    .send()
                    .await
                else {
                    return false;
                };
                if response.status() != 200 {
                    return false;
                }
                // Our proxy's own figure: from the call's arrival until its hold was decided.
                if let Some(ms) = response
                    .headers()
                    .get("x-gpubroker-overhead-ms")
                    .and_then(|value| value.to_str().ok()?.parse().ok())
                {
                    overheads.lock().unwrap().push(ms);
                }
                let mut first = true;
                while let Ok(Some(_)) = response.chunk().await {
                    if first && stream {
                        let micros = started.elapsed().as_micros().min(u128::from(u32::MAX));
                        ttft.lock().unwrap().push(micros as u32);
                        first = false;
                    }
                }
                if count {
                    PROXIED_OK.fetch_add(1, Ordering::Relaxed);
                }
                true
            }
        })
        .await
    };
    let p50 = report(name, outcome, elapsed);
    let mut overheads = overheads.lock().unwrap().clone();
    overheads.sort_unstable_by(f64::total_cmp);
    if let Some(median) = overheads.get(overheads.len() / 2) {
        println!("{name}: arrival to hold decided (x-gpubroker-overhead-ms) p50 {median:.2} ms");
    }
    if stream {
        let mut ttft = ttft.lock().unwrap().clone();
        ttft.sort_unstable();
        if let Some(median) = ttft.get(ttft.len() / 2) {
            println!(
                "{name}: time to first token p50 {:.2} ms",
                f64::from(*median) / 1000.0
            );
        }
    }
    p50
}

fn main() {
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 64);
    let pods: usize = env_or("BENCH_PODS", 100);
    let rounds: usize = env_or("BENCH_ROUNDS", 2);
    let runtime = runtime();
    let upstream = runtime.block_on(upstream(env_or("BENCH_UPSTREAM_PORT", 0)));
    let (mut settings, dir) = pod_settings(&runtime, "gpubroker_bench_llm");
    // No budget may run out during the run: a spent budget lowers caps and charges what it held,
    // and the final check counts 46 tokens per call answered 200.
    settings.plans.trial.token_limit = 1_000_000_000_000;
    settings.llm.upstreams.insert(
        "emu".into(),
        gpubroker::config::llm::UpstreamConfig {
            base_url: upstream.url.clone(),
            api_key: Some(UPSTREAM_KEY.into()),
        },
    );
    settings.llm.models.insert(
        MODEL.into(),
        gpubroker::config::llm::ModelConfig {
            upstream: "emu".into(),
            upstream_model: Some("small-v1".into()),
            default_max_output_tokens: 16,
            weight: rust_decimal::Decimal::ONE,
            tokenizer: Some(gpubroker::config::llm::Tokenizer::O200kBase),
        },
    );
    let url = start_server(settings);
    runtime.block_on(async move {
        let tokens = running_pods(&url, &dir, pods).await;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()
            .expect("client");
        let direct = Target {
            url: upstream.url.clone(),
            tokens: Arc::new(vec![UPSTREAM_KEY.to_owned()]),
            model: "small-v1".into(),
        };
        let ours = Target {
            url: format!("{url}/llm/v1"),
            tokens: Arc::new(tokens.clone()),
            model: MODEL.into(),
        };
        let one_pod = Target {
            tokens: Arc::new(vec![tokens[0].clone()]),
            ..ours.clone()
        };
        let litellm = std::env::var("LITELLM_URL").ok().map(|url| Target {
            url: format!("{url}/v1"),
            tokens: Arc::new(vec![
                std::env::var("LITELLM_KEY").unwrap_or_else(|_| "sk-bench".into()),
            ]),
            model: "small-v1".into(),
        });
        let (c, s) = (concurrency, seconds);
        for round in 1..=rounds {
            println!("round {round}");
            let direct_p50 =
                run("direct to the emulator", &http, &direct, false, c, s, false).await;
            let ours_p50 = run(
                &format!("our proxy, {} pods' budgets, postgres", tokens.len()),
                &http,
                &ours,
                false,
                c,
                s,
                true,
            )
            .await;
            println!(
                "our proxy: added p50 {:.2} ms over direct",
                ours_p50 - direct_p50
            );
            run(
                "our proxy, one pod's budget, postgres",
                &http,
                &one_pod,
                false,
                c,
                s,
                true,
            )
            .await;
            run(
                "direct to the emulator, streamed",
                &http,
                &direct,
                true,
                c,
                s,
                false,
            )
            .await;
            run(
                &format!("our proxy, {} pods' budgets, streamed", tokens.len()),
                &http,
                &ours,
                true,
                c,
                s,
                true,
            )
            .await;
            if let Some(litellm) = &litellm {
                let p50 = run("LiteLLM proxy", &http, litellm, false, c, s, false).await;
                println!(
                    "LiteLLM proxy: added p50 {:.2} ms over direct",
                    p50 - direct_p50
                );
                run("LiteLLM proxy, streamed", &http, litellm, true, c, s, false).await;
            }
        }
        check_budgets(&url, &tokens).await;
        // Ours serves in this process beside the emulator and the load generator: an upper bound.
        print_rss(
            "this process (our server + emulator + load generator)",
            "self",
        );
        if let Ok(pid) = std::env::var("LITELLM_PID") {
            print_rss("LiteLLM proxy process", &pid);
        }
    });
}

/// Prints a process's resident set size from /proc.
fn print_rss(what: &str, pid: &str) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    if let Some(kb) = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
    {
        println!("RSS of {what}: {:.0} MB", kb / 1024.0);
    }
}

/// The emulator on `port` (0: any free port).
async fn upstream(port: u16) -> Upstream {
    if port == 0 {
        return Upstream::start_unrecorded().await;
    }
    Upstream::start_unrecorded_on(port).await
}

/// `pods` trials signed up, activated and running; their pod tokens.
async fn running_pods(url: &str, dir: &std::path::Path, pods: usize) -> Vec<String> {
    let channel = tonic::transport::Channel::from_shared(url.to_owned())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut subscriptions =
        pb::subscription_service_client::SubscriptionServiceClient::new(channel.clone());
    let mut pod_ids = Vec::new();
    for i in 0..pods {
        let email = format!("bench-llm-{i}@example.ec");
        subscriptions
            .create_subscription(pb::CreateSubscriptionRequest {
                email: email.clone(),
                plan: pb::Plan::Trial as i32,
                tax_id: "1790011674001".into(),
                ..Default::default()
            })
            .await
            .expect("trial");
        let activated = subscriptions
            .activate_subscription(pb::ActivateSubscriptionRequest {
                activation_token: emailed_activation_token(&dir.join("outbox"), &email),
            })
            .await
            .expect("activation")
            .into_inner();
        pod_ids.push(activated.pod_id);
    }
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for pod_id in pod_ids {
        let file = dir.join(format!("{pod_id}.token"));
        let deadline = Instant::now() + Duration::from_secs(120);
        let token = loop {
            if let Ok(token) = std::fs::read_to_string(&file) {
                break token;
            }
            assert!(Instant::now() < deadline, "pod {pod_id} never started");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        // Running once the proxy accepts its token (the reconciler saw the process listen).
        loop {
            let models = http
                .get(format!("{url}/llm/v1/models"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("models");
            if models.status() == 200 {
                break;
            }
            assert!(Instant::now() < deadline, "pod {pod_id} never ran");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokens.push(token);
    }
    println!("{} pods running", tokens.len());
    tokens
}

/// Every budget: nothing held (once settled), committed ≤ limit, and the committed total is the
/// upstream's usage for every call answered 200.
async fn check_budgets(url: &str, tokens: &[String]) {
    let http = reqwest::Client::new();
    let (prompt, completion) = usage_of(&request(false));
    let per_call = prompt + completion;
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut committed, mut overspent) = (0i64, 0usize);
    for token in tokens {
        loop {
            let budget: Value = http
                .get(format!("{url}/api/v2/agent/budget"))
                .bearer_auth(token)
                .send()
                .await
                .expect("budget")
                .json()
                .await
                .expect("json");
            let figure = |name: &str| {
                budget["budget"][name]
                    .as_str()
                    .and_then(|v| v.parse::<i64>().ok())
                    .unwrap_or(0)
            };
            if figure("held_tokens") == 0 || Instant::now() > deadline {
                committed += figure("committed_tokens");
                if figure("committed_tokens") + figure("held_tokens") > figure("limit_tokens") {
                    overspent += 1;
                }
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let calls = i64::try_from(PROXIED_OK.load(Ordering::Relaxed)).unwrap_or(0);
    println!(
        "budgets after the runs: {} pods, committed {committed} = {per_call} × {calls} calls answered 200: {}; budgets overspent: {overspent}",
        tokens.len(),
        committed == per_call * calls,
    );
}
