//! The LLM metering proxy against the upstream emulator, with a real pod token: calls are held,
//! forwarded with the upstream's key and a cap, charged their real usage (also after a hang-up
//! mid-stream), refused with 402 when the budget is spent, and upstream failures map to clean
//! errors that release the hold and never show the upstream's key.

use std::collections::BTreeMap;

use gpubroker::config::llm::{ModelConfig, Tokenizer, UpstreamConfig};
use gpubroker::domain::role::Role;
use gpubroker::services::budgets::ChangeKind;
use serde_json::{Value, json};

use crate::budgets::{Agent, agent_app_with, agent_app_with_pod, budget, n, running_agent};
use crate::helpers::{TempDir, TestApp, eventually, fresh_postgres_database, test_settings};
use crate::llm_upstream::{ANSWER_TOKENS, UPSTREAM_KEY, Upstream, usage_of};

pub const MODEL: &str = "emu/small";
/// The same upstream model, charged 1.5 budget tokens per LLM token, its prompts counted with
/// `o200k_base`.
const HEAVY_MODEL: &str = "emu/heavy";
pub const DEFAULT_CAP: i64 = 50;

pub struct Proxy {
    pub app: TestApp,
    pub dir: TempDir,
    pub agent: Agent,
    pub upstream: Upstream,
}

async fn proxy() -> Proxy {
    proxy_with_pod(None).await
}

/// A server whose proxy forwards [`MODEL`] to the upstream emulator, and one running pod — the
/// tests' fake pod, or `pod_script` — whose Agent Zero settings name [`MODEL`] and this server.
pub async fn proxy_with_pod(pod_script: Option<&str>) -> Proxy {
    proxy_on(None, pod_script, |_| {}).await
}

/// [`proxy_with_pod`] on `database_url` (else the embedded database), with `adjust` applied to
/// its settings last.
pub async fn proxy_on(
    database_url: Option<String>,
    pod_script: Option<&str>,
    adjust: impl FnOnce(&mut gpubroker::config::Settings),
) -> Proxy {
    let upstream = Upstream::start().await;
    let mut settings = test_settings(database_url);
    // The pods' api_base must be this server's address, so it is chosen before the start.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    settings.server.listen = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    settings.llm.public_url = Some(format!("http://127.0.0.1:{port}/llm/v1"));
    settings.llm.agent_model = MODEL.into();
    settings.llm.upstreams = BTreeMap::from([(
        "emu".to_owned(),
        UpstreamConfig {
            base_url: upstream.url.clone(),
            api_key: Some(UPSTREAM_KEY.into()),
        },
    )]);
    let model = |weight, tokenizer| ModelConfig {
        upstream: "emu".into(),
        upstream_model: Some("small-v1".into()),
        default_max_output_tokens: DEFAULT_CAP,
        weight,
        tokenizer,
    };
    settings.llm.models = BTreeMap::from([
        (MODEL.to_owned(), model(rust_decimal::Decimal::ONE, None)),
        (
            HEAVY_MODEL.to_owned(),
            model(
                rust_decimal::Decimal::new(15, 1),
                Some(Tokenizer::O200kBase),
            ),
        ),
    ]);
    adjust(&mut settings);
    let (app, dir) = match pod_script {
        Some(script) => agent_app_with_pod(settings, script).await,
        None => agent_app_with(settings).await,
    };
    let agent = running_agent(&app, &dir).await;
    Proxy {
        app,
        dir,
        agent,
        upstream,
    }
}

impl Proxy {
    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.app
            .http
            .post(self.app.url(&format!("/llm/v1/{path}")))
            .bearer_auth(&self.agent.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn budget(&self) -> (i64, i64, i64) {
        let b = budget(&self.app, &self.agent.token).await;
        (
            n(&b["limit_tokens"]),
            n(&b["committed_tokens"]),
            n(&b["held_tokens"]),
        )
    }

    /// The newest entry of the pod's usage ledger.
    pub async fn latest_usage(&self) -> Value {
        let ledger: Value = self
            .app
            .get_with("/api/v2/agent/usage", Some(&self.agent.api_key))
            .await
            .json()
            .await
            .unwrap();
        ledger["records"][0].clone()
    }

    /// Waits until nothing is held and returns what is committed.
    pub async fn settled(&self) -> i64 {
        eventually(10, "the call is settled", || async {
            let (_, committed, held) = self.budget().await;
            (held == 0).then_some(committed)
        })
        .await
    }
}

fn chat(content: &str, stream: bool) -> Value {
    json!({"model": MODEL, "stream": stream, "messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": content},
    ]})
}

#[tokio::test]
async fn a_call_is_forwarded_with_the_upstream_key_and_a_cap_and_charged_its_real_usage() {
    let p = proxy().await;
    let response = p.post("chat/completions", chat("hello", false)).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["object"], "chat.completion");
    let (headers_up, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(sent["model"], "small-v1");
    assert_eq!(
        sent["max_tokens"], DEFAULT_CAP,
        "the default cap is sent upstream"
    );
    assert_eq!(
        headers_up["authorization"],
        format!("Bearer {UPSTREAM_KEY}").as_str()
    );
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(answer["usage"]["total_tokens"], prompt + completion);
    assert_eq!(p.settled().await, prompt + completion);
    // The ledger keeps the cached prompt and reasoning tokens apart (the emulator reports half
    // the prompt cached and one reasoning token).
    let entry = &p.latest_usage().await;
    assert_eq!(
        (
            n(&entry["tokens_in"]),
            n(&entry["tokens_out"]),
            n(&entry["tokens_cached"]),
            n(&entry["tokens_reasoning"]),
            entry["model"].as_str()
        ),
        (prompt, completion, prompt / 2, 1, Some(MODEL))
    );
    assert_eq!(
        p.app.budgets_ledger_sums(&p.agent.subscription_id).await.1,
        prompt + completion,
        "the ledger adds up to the counters"
    );
    let (limit, committed, _) = p.budget().await;
    assert_eq!(
        headers["x-ratelimit-limit-tokens"],
        limit.to_string().as_str()
    );
    // What was left once the call was held (its commit runs after the answer): less than what
    // is left now that only the real usage is charged.
    let remaining: i64 = headers["x-ratelimit-remaining-tokens"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (0..limit - committed).contains(&remaining),
        "{remaining} of {limit}, {committed} committed"
    );
    assert!(headers.contains_key("x-request-id"));
    assert!(headers.contains_key("x-gpubroker-overhead-ms"));

    let models: Value = p
        .app
        .get_with("/llm/v1/models", Some(&p.agent.token))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = models["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [HEAVY_MODEL, MODEL]);

    // Both caps sent: every cap the provider may read is the smaller one.
    let mut both = chat("hello", false);
    both["max_tokens"] = json!(30);
    both["max_completion_tokens"] = json!(10);
    assert_eq!(p.post("chat/completions", both).await.status(), 200);
    let (_, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(
        (
            sent["max_tokens"].clone(),
            sent["max_completion_tokens"].clone()
        ),
        (json!(10), json!(10))
    );
    let (prompt2, completion2) = usage_of(&sent);
    assert_eq!(
        p.settled().await,
        prompt + completion + prompt2 + completion2
    );

    let embedded = p
        .post(
            "embeddings",
            json!({"model": MODEL, "input": "some words to embed"}),
        )
        .await;
    assert_eq!(embedded.status(), 200);
    let embedded: Value = embedded.json().await.unwrap();
    let charged = n(&embedded["usage"]["total_tokens"]);
    assert_eq!(
        p.settled().await,
        prompt + completion + prompt2 + completion2 + charged
    );
}

#[tokio::test]
async fn a_weighted_model_charges_its_weight_and_the_ledger_keeps_the_llm_tokens() {
    let p = proxy().await;
    let mut call = chat("hello", false);
    call["model"] = json!(HEAVY_MODEL);
    assert_eq!(p.post("chat/completions", call).await.status(), 200);
    let (_, sent) = p.upstream.requests().pop().unwrap();
    let (prompt, completion) = usage_of(&sent);
    let charged = ((prompt + completion) * 3 + 1) / 2;
    assert_eq!(p.settled().await, charged);
    let entry = &p.latest_usage().await;
    assert_eq!(
        (
            n(&entry["tokens"]),
            n(&entry["tokens_in"]),
            n(&entry["tokens_out"])
        ),
        (charged, prompt, completion)
    );
}

/// Reads a stream to its end and returns its `data:` payloads.
async fn events(response: reqwest::Response) -> Vec<String> {
    let text = response.text().await.unwrap();
    text.split("\n\n")
        .filter_map(|event| event.strip_prefix("data: "))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_stream_hides_the_usage_chunk_nobody_asked_for_and_is_charged_exactly() {
    let p = proxy().await;
    let response = p.post("chat/completions", chat("hello", true)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let payloads = events(response).await;
    assert_eq!(payloads.last().map(String::as_str), Some("[DONE]"));
    for payload in &payloads[..payloads.len() - 1] {
        let chunk: Value = serde_json::from_str(payload).unwrap();
        assert_ne!(
            chunk["choices"],
            json!([]),
            "an empty-choices chunk reached the pod"
        );
    }
    let (_, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(sent["stream_options"]["include_usage"], true);
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(p.settled().await, prompt + completion);

    // A caller who asks for the usage chunk gets it.
    let mut asking = chat("hello", true);
    asking["stream_options"] = json!({"include_usage": true});
    let payloads = events(p.post("chat/completions", asking).await).await;
    let usage: Value = serde_json::from_str(&payloads[payloads.len() - 2]).unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["total_tokens"], prompt + completion);
}

#[tokio::test]
async fn a_pod_hanging_up_mid_stream_is_still_charged_the_upstream_usage() {
    let p = proxy().await;
    let mut response = p.post("chat/completions", chat("drip", true)).await;
    assert_eq!(response.status(), 200);
    let first = response.chunk().await.unwrap().expect("a first chunk");
    assert!(first.starts_with(b"data: "));
    drop(response);
    let (_, sent) = p.upstream.requests().pop().unwrap();
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(completion, ANSWER_TOKENS);
    // The proxy kept reading after the hang-up and charged the upstream's own figure.
    assert_eq!(p.settled().await, prompt + completion);
}

/// A call goes upstream once its hold is decided, while the hold's commit is flushed: it is
/// answered even while that commit cannot finish. When that commit then fails, the call is held
/// again under the same idempotency key and charged all the same.
#[tokio::test]
async fn a_call_is_answered_before_its_hold_commits_and_held_again_if_that_commit_fails() {
    let p = proxy_on(Some(fresh_postgres_database().await), None, |_| {}).await;
    let gate = fail_first_hold_commit(&p).await;
    let mut watched = p.app.budgets.subscribe();
    let (response, request_id) = answered_while_gated(&p, chat("hello", false)).await;
    assert_eq!(
        p.budget().await.1,
        0,
        "nothing is committed while the hold's commit waits"
    );
    assert!(
        watched.try_recv().is_err(),
        "watchers hear of a hold only once it is written"
    );
    gate.commit().await.unwrap();
    let answer: Value = response.json().await.unwrap();
    let charged = n(&answer["usage"]["total_tokens"]);
    assert!(charged > 0);
    // Nothing is held between the failed commit and the second hold: wait for the charge.
    let committed = eventually(10, "the call is charged", || async {
        let (_, committed, held) = p.budget().await;
        (held == 0 && committed > 0).then_some(committed)
    })
    .await;
    assert_eq!(committed, charged);
    assert_eq!(
        hold_of(&p, &request_id).await,
        vec![("committed".to_owned(), Some(charged), 2)],
        "the first commit failed, the second held the call and it was charged"
    );
    assert_eq!(
        p.app.budgets_ledger_sums(&p.agent.subscription_id).await.1,
        charged,
        "the ledger adds up to the counters"
    );
    let mut heard = Vec::new();
    for _ in 0..2 {
        let change = tokio::time::timeout(std::time::Duration::from_secs(10), watched.recv()).await;
        heard.push(change.expect("a change notice in time").unwrap().kind);
    }
    assert!(watched.try_recv().is_err(), "no other change notice");
    assert_eq!(
        heard,
        [ChangeKind::Reserved, ChangeKind::Committed],
        "the lost hold was never announced; the one written and its charge were"
    );
}

/// Makes the first commit that writes an LLM call's hold wait until the returned gate is
/// committed, then fail. A deferred constraint trigger runs at COMMIT, after every statement of
/// the batch ran: it waits for an advisory lock the gate holds. A sequence counts the commits
/// tried, as it is not rolled back with them.
async fn fail_first_hold_commit(p: &Proxy) -> sea_orm::DatabaseTransaction {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    p.app
        .db
        .execute_unprepared(
            "CREATE SEQUENCE llm_hold_commits; \
             CREATE FUNCTION fail_first_llm_hold() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
               IF NEW.idempotency_key LIKE 'llm\\_%' THEN \
                 PERFORM pg_advisory_xact_lock(4242); \
                 IF nextval('llm_hold_commits') = 1 THEN \
                   RAISE EXCEPTION 'the test refuses this commit'; \
                 END IF; \
               END IF; \
               RETURN NULL; \
             END $$; \
             CREATE CONSTRAINT TRIGGER fail_first_llm_hold AFTER INSERT ON budget_reservations \
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_first_llm_hold();",
        )
        .await
        .unwrap();
    let gate = p.app.db.begin().await.unwrap();
    gate.execute_unprepared("SELECT pg_advisory_xact_lock(4242)")
        .await
        .unwrap();
    gate
}

/// Posts `body` while [`fail_first_hold_commit`]'s gate is held: the call must be answered (200)
/// meanwhile. Answers the response and its request id (its hold's idempotency key).
async fn answered_while_gated(p: &Proxy, body: Value) -> (reqwest::Response, String) {
    // Deadline of a call that would otherwise wait for the gate forever (not a timing check).
    let response = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        p.post("chat/completions", body),
    )
    .await
    .expect("the call is answered while its hold's commit waits");
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    (response, request_id)
}

/// The hold and the number of hold commits tried, of the call `request_id`.
async fn hold_of(p: &Proxy, request_id: &str) -> Vec<(String, Option<i64>, i64)> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Hold {
        status: String,
        committed_tokens: Option<i64>,
        commits_tried: i64,
    }
    Hold::find_by_statement(Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT status, committed_tokens, (SELECT last_value FROM llm_hold_commits) AS commits_tried \
         FROM budget_reservations WHERE idempotency_key = $1",
        [request_id.into()],
    ))
    .all(&p.app.db)
    .await
    .unwrap()
    .into_iter()
    .map(|h| (h.status, h.committed_tokens, h.commits_tried))
    .collect()
}

/// As above for a stream: the call is held again as soon as its hold's commit failed, while the
/// answer still streams, not only once it ended.
#[tokio::test]
async fn a_stream_whose_hold_commit_failed_is_held_again_while_it_streams() {
    let p = proxy_on(Some(fresh_postgres_database().await), None, |_| {}).await;
    let gate = fail_first_hold_commit(&p).await;
    let (mut response, request_id) = answered_while_gated(&p, chat("drip", true)).await;
    gate.commit().await.unwrap();
    // The drip answer takes a second; the pod has read one chunk of it.
    let first = response.chunk().await.unwrap().expect("a first chunk");
    assert!(first.starts_with(b"data: "));
    let held = eventually(10, "the stream is held again", || async {
        let (_, committed, held) = p.budget().await;
        (held > 0).then_some((committed, held))
    })
    .await;
    assert_eq!(
        held.0, 0,
        "held again before the stream ended and was charged"
    );
    let mut rest = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert!(String::from_utf8_lossy(&rest).ends_with("data: [DONE]\n\n"));
    let (_, sent) = p.upstream.requests().pop().unwrap();
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(p.settled().await, prompt + completion);
    assert_eq!(
        hold_of(&p, &request_id).await,
        vec![("committed".to_owned(), Some(prompt + completion), 2)],
        "one hold, written by the second try, charged the stream's usage"
    );
}

#[tokio::test]
async fn a_broken_stream_ends_with_an_error_event_and_charges_what_arrived() {
    let p = proxy().await;
    let payloads = events(p.post("chat/completions", chat("midstream", true)).await).await;
    assert_eq!(payloads.last().map(String::as_str), Some("[DONE]"));
    let error: Value = serde_json::from_str(&payloads[payloads.len() - 2]).unwrap();
    assert_eq!(error["error"]["type"], "upstream_error");
    let committed = p.settled().await;
    assert!(committed > 0, "the tokens received are charged");
}

#[tokio::test]
async fn a_spent_budget_lowers_the_cap_then_refuses_with_402_not_429() {
    let p = proxy().await;
    let admin = p.app.admin_token(Role::Admin).await;
    let (_, committed, _) = p.budget().await;
    // Room for the prompt and a little output only.
    let set = p
        .app
        .post_with(
            "/api/v2/admin/budget",
            &json!({"subscription_id": p.agent.subscription_id, "limit_tokens": committed + 100, "reason": "test"}),
            Some(&admin),
        )
        .await;
    assert_eq!(set.status(), 200);
    let mut large = chat("hi", false);
    large["max_tokens"] = json!(500);
    let lowered = p.post("chat/completions", large.clone()).await;
    assert_eq!(lowered.status(), 200);
    let cap: i64 = lowered.headers()["x-gpubroker-output-cap-lowered"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((64..500).contains(&cap), "{cap}");
    let (_, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(sent["max_tokens"], cap);
    p.settled().await;
    let (limit, committed, _) = p.budget().await;
    assert!(committed <= limit);

    let refused = p.post("chat/completions", large).await;
    assert_eq!(refused.status(), 402);
    assert_eq!(refused.headers()["x-should-retry"], "false");
    assert_eq!(
        refused.headers()["x-ratelimit-remaining-tokens"],
        (limit - committed).to_string().as_str(),
        "a refusal reports the budget too"
    );
    assert!(refused.headers().contains_key("x-request-id"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["type"], "insufficient_quota");
    assert_eq!(body["error"]["code"], "insufficient_quota");
    assert!(body["error"]["param"].is_null());
    assert_eq!(p.budget().await.2, 0, "a refusal holds nothing");
}

#[tokio::test]
async fn upstream_failures_release_the_hold_and_never_show_the_upstream_key() {
    let p = proxy().await;
    let limited = p.post("chat/completions", chat("fail:429", false)).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    assert!(limited.headers().contains_key("x-request-id"));
    assert!(limited.headers().contains_key("x-gpubroker-overhead-ms"));
    let text = limited.text().await.unwrap();
    assert!(!text.contains(UPSTREAM_KEY), "{text}");
    let failed = p.post("chat/completions", chat("fail:500", true)).await;
    assert_eq!(failed.status(), 502);
    let body: Value = failed.json().await.unwrap();
    assert!(!body.to_string().contains(UPSTREAM_KEY));
    assert_eq!(
        p.settled().await,
        0,
        "nothing is charged for a refused call"
    );
}

#[tokio::test]
async fn a_plan_sees_its_models_a_stopped_pod_is_refused_and_a_destroyed_ones_token_is_dead() {
    let p = proxy_on(None, None, |settings| {
        settings
            .llm
            .plan_models
            .insert("trial".into(), vec![MODEL.into()]);
    })
    .await;
    let models: Value = p
        .app
        .get_with("/llm/v1/models", Some(&p.agent.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(models["data"].as_array().unwrap().len(), 1, "{models}");
    assert_eq!(models["data"][0]["id"], MODEL);
    let mut heavy = chat("hi", false);
    heavy["model"] = json!(HEAVY_MODEL);
    let refused = p.post("chat/completions", heavy).await;
    assert_eq!(refused.status(), 404, "not in the trial's models");
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"]["code"],
        "model_not_found"
    );
    assert_eq!(
        p.post("chat/completions", chat("hi", false)).await.status(),
        200
    );

    let admin = p.app.admin_token(Role::Admin).await;
    let pod_id = p.app.pods.by_token(&p.agent.token).await.unwrap().pod_id;
    let stopped = p
        .app
        .post_with(
            "/api/v2/admin/pod/stop",
            &json!({"pod_id": pod_id, "reason": "test"}),
            Some(&admin),
        )
        .await;
    assert_eq!(stopped.status(), 200);
    let suspended = p.post("chat/completions", chat("hi", false)).await;
    assert_eq!(
        suspended.status(),
        403,
        "a suspended subscription calls no model"
    );
    assert_eq!(
        suspended.json::<Value>().await.unwrap()["error"]["type"],
        "permission_error"
    );
    let destroyed = p
        .app
        .post_with(
            "/api/v2/admin/pod/destroy",
            &json!({"pod_id": pod_id, "reason": "test"}),
            Some(&admin),
        )
        .await;
    assert_eq!(destroyed.status(), 200);
    let dead = p.post("chat/completions", chat("hi", false)).await;
    assert_eq!(dead.status(), 401);
    assert_eq!(
        dead.json::<Value>().await.unwrap()["error"]["code"],
        "invalid_api_key"
    );
}

#[tokio::test]
async fn credentials_and_models_are_checked_and_a_missing_upstream_key_is_named() {
    let p = proxy().await;
    let unauthenticated = p
        .app
        .http
        .post(p.app.url("/llm/v1/chat/completions"))
        .bearer_auth("gpt_forged")
        .json(&chat("hi", false))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let body: Value = unauthenticated.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_api_key");
    let unknown = p
        .post("chat/completions", json!({"model": "nope", "messages": []}))
        .await;
    assert_eq!(unknown.status(), 404);
    let bad = p
        .post(
            "chat/completions",
            json!({"model": MODEL, "messages": [], "max_tokens": -1}),
        )
        .await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["param"], "max_tokens");
    assert!(
        p.upstream.requests().is_empty(),
        "nothing reached the upstream"
    );

    // The embedded default: the proxy is on, with no key for its upstream.
    let (app, dir) = agent_app_with(test_settings(None)).await;
    let agent = running_agent(&app, &dir).await;
    let response = app
        .http
        .post(app.url("/llm/v1/chat/completions"))
        .bearer_auth(&agent.token)
        .json(&json!({"model": "openai/gpt-4.1-mini", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("llm.upstreams.openrouter.api_key"),
        "{message}"
    );
}
