//! The metering proxy's promise under load: hundreds of concurrent streaming and whole calls from
//! several pods, through two server processes on one PostgreSQL database, against small budgets,
//! with pods hanging up at random — and no budget ever commits more than its limit, nothing stays
//! held, and every budget's ledger adds up to its counters.

use std::collections::BTreeMap;
use std::sync::Arc;

use gpubroker::domain::role::Role;
use rand::Rng;
use serde_json::{Value, json};

use crate::budgets::{Agent, budget, n, running_agent};
use crate::helpers::{ServerProcess, eventually, fresh_postgres_database};
use crate::llm::{MODEL, proxy_on};
use crate::llm_upstream::UPSTREAM_KEY;

/// The second server: the same database and the same proxy settings, from a TOML file (model ids
/// hold a `/`, which no environment variable name can).
async fn second_server(
    database_url: &str,
    upstream_url: &str,
    dir: &std::path::Path,
) -> ServerProcess {
    let file = dir.join("second.toml");
    std::fs::write(
        &file,
        format!(
            "[llm]\nagent_model = \"{MODEL}\"\n\
             [llm.upstreams.emu]\nbase_url = \"{upstream_url}\"\napi_key = \"{UPSTREAM_KEY}\"\n\
             [llm.models.\"{MODEL}\"]\nupstream = \"emu\"\nupstream_model = \"small-v1\"\n\
             default_max_output_tokens = {cap}\n",
            cap = crate::llm::DEFAULT_CAP,
        ),
    )
    .unwrap();
    ServerProcess::start(&[
        ("DATABASE_URL", database_url.to_owned()),
        ("GPUBROKER_CONFIG", file.display().to_string()),
        ("GPUBROKER__PODS__RECONCILER", "false".into()),
    ])
    .await
}

/// One call: whole or streamed, read to the end or dropped after a few chunks. Returns the status.
async fn one_call(http: &reqwest::Client, url: &str, token: &str) -> u16 {
    let (stream, hang_up_after, drip) = {
        let mut rng = rand::rng();
        (
            rng.random_bool(0.6),
            rng.random_bool(0.4).then(|| rng.random_range(1..=4)),
            rng.random_bool(0.2),
        )
    };
    let mut body = json!({"model": MODEL, "stream": stream, "messages": [
        {"role": "system", "content": "You are an agent with a long system prompt. ".repeat(8)},
        {"role": "user", "content": if drip { "drip" } else { "go" }},
    ]});
    if rand::rng().random_bool(0.3) {
        body["max_tokens"] = json!(rand::rng().random_range(1..=80));
    }
    let mut response = http
        .post(format!("{url}/llm/v1/chat/completions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status != 200 {
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, 402, "only a spent budget refuses: {text}");
        let error: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error["error"]["code"], "insufficient_quota");
        return status;
    }
    let mut chunks = 0;
    while let Some(_chunk) = response.chunk().await.unwrap_or(None) {
        chunks += 1;
        if hang_up_after.is_some_and(|after| chunks >= after) {
            // The pod hangs up mid-answer.
            drop(response);
            return status;
        }
    }
    status
}

#[tokio::test]
async fn hundreds_of_racing_llm_calls_on_two_processes_never_overspend_a_budget() {
    const PODS: usize = 4;
    const CALLS: usize = 240;
    const LIMIT: i64 = 4_000;
    let database_url = fresh_postgres_database().await;
    let p = proxy_on(Some(database_url.clone()), None, |_| {}).await;
    let mut agents: Vec<Agent> = vec![p.agent.clone()];
    while agents.len() < PODS {
        agents.push(running_agent(&p.app, &p.dir).await);
    }
    let admin = p.app.admin_token(Role::Admin).await;
    for agent in &agents {
        let set = p
            .app
            .post_with(
                "/api/v2/admin/budget",
                &json!({"subscription_id": agent.subscription_id, "limit_tokens": LIMIT, "reason": "race"}),
                Some(&admin),
            )
            .await;
        assert_eq!(set.status(), 200);
    }
    let other = second_server(&database_url, &p.upstream.url, &p.dir.path).await;
    let urls = Arc::new([p.app.url(""), other.url.clone()]);
    let tokens: Arc<Vec<String>> = Arc::new(agents.iter().map(|a| a.token.clone()).collect());
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for call in 0..CALLS {
        let (urls, tokens, http) = (urls.clone(), tokens.clone(), http.clone());
        tasks.push(tokio::spawn(async move {
            let token = &tokens[call % tokens.len()];
            one_call(&http, &urls[(call / tokens.len()) % 2], token).await
        }));
    }
    let mut statuses = BTreeMap::<u16, usize>::new();
    for task in tasks {
        *statuses.entry(task.await.unwrap()).or_default() += 1;
    }
    assert!(
        statuses.get(&402).copied().unwrap_or(0) > 0
            && statuses.get(&200).copied().unwrap_or(0) > 0,
        "the budgets were spent during the race: {statuses:?}"
    );
    for agent in &agents {
        // Settlements run detached (and read on after hang-ups): wait until nothing is held.
        let committed = eventually(60, "every call is settled", || async {
            let b = budget(&p.app, &agent.token).await;
            (n(&b["held_tokens"]) == 0).then(|| n(&b["committed_tokens"]))
        })
        .await;
        assert!(
            committed <= LIMIT,
            "committed {committed} of {LIMIT} for {}",
            agent.subscription_id
        );
        assert!(
            committed > LIMIT / 2,
            "the race used the budget ({committed})"
        );
        assert_eq!(
            p.app.budgets_ledger_sums(&agent.subscription_id).await,
            (0, committed),
            "the ledger adds up"
        );
    }
}
