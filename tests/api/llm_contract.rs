//! The metering proxy against OpenAI's official OpenAPI file (`reference/openai/openapi.yaml`):
//! what it sends upstream (chat with the injected cap and `stream_options`, embeddings) and what
//! it answers a pod (whole answers, every stream chunk, embeddings, the model list, each kind of
//! error it makes itself) validate against the file's schemas.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::helpers::{TempDir, test_python};
use crate::llm::{MODEL, proxy_with_pod};

struct Samples(Vec<Value>);

impl Samples {
    fn add(&mut self, schema: &str, what: &str, instance: Value) {
        self.0
            .push(json!({"schema": schema, "what": what, "instance": instance}));
    }
}

fn spec() -> PathBuf {
    let dir = std::env::var_os("GPUBROKER_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let spec = dir.join("reference/openai/openapi.yaml");
    assert!(
        spec.is_file(),
        "{} not found (set GPUBROKER_SHARED_DIR)",
        spec.display()
    );
    spec
}

/// The `data:` payloads of a stream, without `[DONE]`.
async fn chunks(response: reqwest::Response) -> Vec<Value> {
    let text = response.text().await.unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter(|data| *data != "[DONE]")
        .map(|data| serde_json::from_str(data).unwrap())
        .collect()
}

#[tokio::test]
async fn requests_and_answers_match_openais_official_openapi_file() {
    let p = proxy_with_pod(None).await;
    let mut samples = Samples(Vec::new());
    let chat = |stream: bool| {
        json!({"model": MODEL, "stream": stream, "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "hello"},
        ]})
    };

    let whole = p.post("chat/completions", chat(false)).await;
    assert_eq!(whole.status(), 200);
    samples.add(
        "CreateChatCompletionResponse",
        "a whole answer",
        whole.json().await.unwrap(),
    );
    for (what, stream_options) in [
        ("a stream", Value::Null),
        ("a stream with usage", json!({"include_usage": true})),
    ] {
        let mut request = chat(true);
        if !stream_options.is_null() {
            request["stream_options"] = stream_options;
        }
        let streamed = p.post("chat/completions", request).await;
        assert_eq!(streamed.status(), 200);
        for chunk in chunks(streamed).await {
            samples.add("CreateChatCompletionStreamResponse", what, chunk);
        }
    }
    let embedded = p
        .post(
            "embeddings",
            json!({"model": MODEL, "input": ["one", "two"]}),
        )
        .await;
    assert_eq!(embedded.status(), 200);
    samples.add(
        "CreateEmbeddingResponse",
        "embeddings",
        embedded.json().await.unwrap(),
    );
    let models = p.app.get_with("/llm/v1/models", Some(&p.agent.token)).await;
    samples.add(
        "ListModelsResponse",
        "the model list",
        models.json().await.unwrap(),
    );
    for (_, request) in p.upstream.requests() {
        let schema = if request.get("messages").is_some() {
            "CreateChatCompletionRequest"
        } else {
            "CreateEmbeddingRequest"
        };
        samples.add(schema, "a request sent upstream", request);
    }

    // Errors the proxy makes itself: no key, an unknown model, a bad field, an upstream failure.
    let no_key = p
        .app
        .http
        .post(p.app.url("/llm/v1/chat/completions"))
        .json(&chat(false))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 401);
    samples.add("ErrorResponse", "401", no_key.json().await.unwrap());
    let mut unknown = chat(false);
    unknown["model"] = json!("no/such-model");
    let unknown = p.post("chat/completions", unknown).await;
    assert_eq!(unknown.status(), 404);
    samples.add("ErrorResponse", "404", unknown.json().await.unwrap());
    let mut bad = chat(false);
    bad["n"] = json!(0);
    let bad = p.post("chat/completions", bad).await;
    assert_eq!(bad.status(), 400);
    samples.add("ErrorResponse", "400", bad.json().await.unwrap());
    let mut failing = chat(false);
    failing["messages"][1]["content"] = json!("fail:500");
    let failing = p.post("chat/completions", failing).await;
    assert_eq!(failing.status(), 502);
    samples.add("ErrorResponse", "502", failing.json().await.unwrap());

    let dir = TempDir::new();
    let file = dir.path.join("samples.jsonl");
    let lines: Vec<String> = samples.0.iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let output = std::process::Command::new(test_python())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/openai_contract.py"
        ))
        .arg(spec())
        .arg(&file)
        .output()
        .expect("the test Python runs (GPUBROKER_TEST_PYTHON with pyyaml and jsonschema)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("0 violations"), "{report}");
}
