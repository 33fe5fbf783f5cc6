//! The metering proxy driven by the client libraries a pod really runs — LiteLLM 1.79.3 (Agent
//! Zero's SDK) and openai-python 1.99.5, the versions Agent Zero v1.7 pins — from a stand-in pod
//! configured only by the environment every pod gets (`tests/fixtures/agent_pod.py`). So these
//! tests also prove that environment: provider `other`, the proxy as `api_base`, the pod token as
//! `API_KEY_OTHER`, the plan's model.
//!
//! Needs GPUBROKER_TEST_PYTHON with `litellm` and `openai` (scripts/test installs them).

use serde_json::{Value, json};

use crate::budgets::n;
use crate::llm::{Proxy, proxy_with_pod};
use crate::llm_upstream::usage_of;

const AGENT_POD: &str = include_str!("../fixtures/agent_pod.py");

/// Asks the stand-in pod: `GET /` with no request, else `POST /call` with it.
async fn ask_pod(p: &Proxy, request: Option<&Value>) -> Value {
    let port_file = std::fs::read_dir(&p.dir.path)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "port"))
        .expect("the pod wrote its port");
    let port = std::fs::read_to_string(port_file).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let call = match request {
        Some(request) => p.app.http.post(format!("{base}/call")).json(request),
        None => p.app.http.get(format!("{base}/")),
    };
    call.send().await.unwrap().json().await.unwrap()
}

/// Asks the pod to make one call with `client` and returns what the library saw.
async fn pod_call(p: &Proxy, client: &str, mut request: Value) -> Value {
    request["client"] = json!(client);
    ask_pod(p, Some(&request)).await
}

fn messages(content: &str) -> Value {
    json!([
        {"role": "system", "content": "You are Agent Zero. Answer with one JSON tool call."},
        {"role": "user", "content": content},
    ])
}

/// What the emulator charged for every request it received so far.
fn upstream_total(p: &Proxy) -> i64 {
    p.upstream
        .requests()
        .iter()
        .map(|(_, request)| {
            let (prompt, completion) = usage_of(request);
            prompt + completion
        })
        .sum()
}

#[tokio::test]
async fn agent_zeros_litellm_calls_are_metered_exactly_also_when_it_closes_the_stream_early() {
    let p = proxy_with_pod(Some(AGENT_POD)).await;

    // The pod's environment is its own: nothing of the server's (cargo gives this test process
    // CARGO_* variables; a pod that inherited the server's environment would see them).
    let seen = ask_pod(&p, None).await;
    let names: Vec<&str> = seen["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(names.contains(&"API_KEY_OTHER"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("CARGO")
            || n.starts_with("GPUBROKER__")
            || n.starts_with("TEST_")),
        "the server's environment leaked into the pod: {names:?}"
    );

    // The utility model's way: a whole answer.
    let whole = pod_call(
        &p,
        "litellm",
        json!({"messages": messages("summarise"), "stream": false}),
    )
    .await;
    assert!(whole["error"].is_null(), "{whole}");
    let (_, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(
        sent["model"], "small-v1",
        "the plan's model, mapped upstream"
    );
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(n(&whole["usage"]["total_tokens"]), prompt + completion);
    assert_eq!(p.settled().await, upstream_total(&p));

    // The chat model's way: a stream it stops reading after a few chunks, then aclose().
    let streamed = pod_call(
        &p,
        "litellm",
        json!({"messages": messages("act"), "stream": true, "close_after": 3}),
    )
    .await;
    assert!(streamed["error"].is_null(), "{streamed}");
    assert_eq!(streamed["chunks"], 3);
    assert_eq!(
        streamed["empty_choice_chunks"], 0,
        "no usage chunk the pod did not ask for"
    );
    let (_, sent) = p.upstream.requests().pop().unwrap();
    assert_eq!(sent["stream_options"]["include_usage"], true);
    assert_eq!(sent["max_tokens"], crate::llm::DEFAULT_CAP);
    assert_eq!(
        p.settled().await,
        upstream_total(&p),
        "the whole answer's usage is charged though the pod stopped reading"
    );
}

#[tokio::test]
async fn openai_python_sees_the_openai_wire_format_and_a_hang_up_is_still_charged() {
    let p = proxy_with_pod(Some(AGENT_POD)).await;

    let whole = pod_call(
        &p,
        "openai",
        json!({"messages": messages("hello"), "stream": false}),
    )
    .await;
    assert!(whole["error"].is_null(), "{whole}");
    assert!(
        whole["headers"]["x-ratelimit-remaining-tokens"].is_string(),
        "{whole}"
    );
    assert_eq!(whole["requests"], 1);

    // Asked for: the usage chunk arrives, with empty choices, exactly as OpenAI sends it.
    let with_usage = pod_call(
        &p,
        "openai",
        json!({"messages": messages("hello"), "stream": true,
               "stream_options": {"include_usage": true}}),
    )
    .await;
    assert!(with_usage["error"].is_null(), "{with_usage}");
    assert_eq!(with_usage["empty_choice_chunks"], 1);
    let (_, sent) = p.upstream.requests().pop().unwrap();
    let (prompt, completion) = usage_of(&sent);
    assert_eq!(n(&with_usage["usage"]["total_tokens"]), prompt + completion);

    // A real hang-up mid-stream (the response closed while the upstream still drips).
    let hung_up = pod_call(
        &p,
        "openai",
        json!({"messages": messages("drip"), "stream": true, "close_after": 2}),
    )
    .await;
    assert!(hung_up["error"].is_null(), "{hung_up}");
    assert_eq!(hung_up["chunks"], 2);
    assert_eq!(
        p.settled().await,
        upstream_total(&p),
        "every call is charged what the upstream reported"
    );

    // A spent budget: 402 insufficient_quota, and openai-python does not retry it.
    let admin = p
        .app
        .admin_token(gpubroker::domain::role::Role::Admin)
        .await;
    let (_, committed, _) = p.budget().await;
    let set = p
        .app
        .post_with(
            "/api/v2/admin/budget",
            &json!({"subscription_id": p.agent.subscription_id, "limit_tokens": committed, "reason": "spent"}),
            Some(&admin),
        )
        .await;
    assert_eq!(set.status(), 200);
    let before = p.upstream.requests().len();
    for stream in [false, true] {
        let refused = pod_call(
            &p,
            "openai",
            json!({"messages": messages("more"), "stream": stream}),
        )
        .await;
        assert_eq!(refused["error"]["status"], 402, "{refused}");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .contains("insufficient_quota"),
            "{refused}"
        );
        assert_eq!(refused["requests"], 1, "not retried: {refused}");
    }
    let litellm = pod_call(
        &p,
        "litellm",
        json!({"messages": messages("more"), "stream": true}),
    )
    .await;
    assert!(!litellm["error"].is_null(), "{litellm}");
    assert_eq!(
        p.upstream.requests().len(),
        before,
        "nothing reached the upstream"
    );
    assert_eq!(p.budget().await.1, committed, "nothing more was charged");
}
