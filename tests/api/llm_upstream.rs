//! An OpenAI-compatible upstream emulator on loopback: chat completions (whole or streamed, with
//! the usage chunk only when asked), embeddings, and faults chosen by the last user message —
//! `fail:<status>` answers that status before any byte, `midstream` breaks the stream after two
//! chunks, `drip` sends its chunks 50 ms apart. It records every request so tests can check what
//! the proxy sent upstream. Usage is fixed per answer: prompt = 10 + (bytes of messages / 4),
//! completion = one token per chunk, at most the request's cap.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};

pub const UPSTREAM_KEY: &str = "sk-emulator-secret-key-0123456789";
/// Completion tokens of a full answer (fewer when the cap is lower).
pub const ANSWER_TOKENS: i64 = 20;

/// Requests as received: headers and body.
type Received = Arc<Mutex<Vec<(HeaderMap, Value)>>>;

#[derive(Clone, Default)]
pub struct Upstream {
    pub url: String,
    /// Every request received, unless started for a benchmark.
    requests: Option<Received>,
}

impl Upstream {
    /// An emulator that records every request.
    pub async fn start() -> Self {
        Self::listen(true, 0).await
    }

    /// An emulator that keeps nothing (benchmarks: memory stays flat).
    #[allow(dead_code)] // used by benches/llm_proxy.rs
    pub async fn start_unrecorded() -> Self {
        Self::listen(false, 0).await
    }

    /// [`Upstream::start_unrecorded`] on a given port (a peer configured before it starts).
    #[allow(dead_code)] // used by benches/llm_proxy.rs
    pub async fn start_unrecorded_on(port: u16) -> Self {
        Self::listen(false, port).await
    }

    async fn listen(record: bool, port: u16) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let upstream = Upstream {
            url: format!("http://{}/v1", listener.local_addr().unwrap()),
            requests: record.then(Arc::default),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/embeddings", post(embeddings))
            .with_state(upstream.clone());
        // Chunks go out at once (no Nagle delay), as a provider's do.
        let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
            let _ = stream.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        upstream
    }

    fn record(&self, headers: &HeaderMap, body: &[u8]) -> Value {
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        if let Some(requests) = &self.requests {
            requests
                .lock()
                .unwrap()
                .push((headers.clone(), request.clone()));
        }
        request
    }

    /// The requests received so far, with their headers.
    pub fn requests(&self) -> Vec<(HeaderMap, Value)> {
        self.requests
            .as_ref()
            .map(|requests| requests.lock().unwrap().clone())
            .unwrap_or_default()
    }
}

/// The usage the emulator reports for `request`.
pub fn usage_of(request: &Value) -> (i64, i64) {
    let prompt = 10 + i64::try_from(request["messages"].to_string().len() / 4).unwrap();
    let cap = request["max_completion_tokens"]
        .as_i64()
        .or(request["max_tokens"].as_i64())
        .unwrap_or(i64::MAX);
    (prompt, ANSWER_TOKENS.min(cap))
}

fn usage_json(prompt: i64, completion: i64) -> Value {
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": prompt / 2},
        "completion_tokens_details": {"reasoning_tokens": 1},
    })
}

fn directive(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {UPSTREAM_KEY}"))
}

fn error(status: u16, message: &str) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        json!({"error": {"message": message, "type": "emulated", "param": null, "code": null}})
            .to_string(),
    )
        .into_response();
    if status == 429 {
        response
            .headers_mut()
            .insert("retry-after", "7".parse().unwrap());
    }
    response
}

async fn chat(State(upstream): State<Upstream>, headers: HeaderMap, body: Bytes) -> Response {
    let request = upstream.record(&headers, &body);
    if !authorized(&headers) {
        // Real providers echo part of a wrong key; the proxy must not pass it on.
        return error(401, &format!("Incorrect API key provided: {UPSTREAM_KEY}"));
    }
    let said = directive(&request);
    if let Some(status) = said.strip_prefix("fail:") {
        return error(
            status.parse().unwrap_or(500),
            &format!("emulated failure; key {UPSTREAM_KEY}"),
        );
    }
    let (prompt, completion) = usage_of(&request);
    let model = request["model"].clone();
    if request["stream"] != json!(true) {
        let content = "tok ".repeat(usize::try_from(completion).unwrap());
        return (
            [("content-type", "application/json")],
            json!({
                "id": "chatcmpl-emu", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": null},
                             "finish_reason": "stop", "logprobs": null}],
                "usage": usage_json(prompt, completion),
            })
            .to_string(),
        )
            .into_response();
    }
    let include_usage = request["stream_options"]["include_usage"] == json!(true);
    let drip = said == "drip";
    let midstream = said == "midstream";
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let chunk = |delta: Value, finish: Value| {
            let mut chunk = json!({
                "id": "chatcmpl-emu", "object": "chat.completion.chunk", "created": 0,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": null}],
            });
            if include_usage {
                chunk["usage"] = Value::Null;
            }
            Bytes::from(format!("data: {chunk}\n\n"))
        };
        if tx
            .send(Ok(chunk(
                json!({"role": "assistant", "content": ""}),
                Value::Null,
            )))
            .await
            .is_err()
        {
            return;
        }
        for i in 0..completion {
            if midstream && i == 2 {
                let _ = tx
                    .send(Err(std::io::Error::other("emulated connection reset")))
                    .await;
                return;
            }
            if drip {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if tx
                .send(Ok(chunk(json!({"content": "tok "}), Value::Null)))
                .await
                .is_err()
            {
                return;
            }
        }
        let _ = tx.send(Ok(chunk(json!({}), json!("stop")))).await;
        if include_usage {
            let last = json!({
                "id": "chatcmpl-emu", "object": "chat.completion.chunk", "created": 0,
                "model": model, "choices": [], "usage": usage_json(prompt, completion),
            });
            let _ = tx.send(Ok(Bytes::from(format!("data: {last}\n\n")))).await;
        }
        let _ = tx.send(Ok(Bytes::from_static(b"data: [DONE]\n\n"))).await;
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    (
        [("content-type", "text/event-stream")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn embeddings(State(upstream): State<Upstream>, headers: HeaderMap, body: Bytes) -> Response {
    let request = upstream.record(&headers, &body);
    if !authorized(&headers) {
        return error(401, "Incorrect API key provided");
    }
    let prompt = 3 + i64::try_from(request["input"].to_string().len() / 4).unwrap();
    (
        [("content-type", "application/json")],
        json!({
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.25, -0.5, 0.125]}],
            "model": request["model"],
            "usage": {"prompt_tokens": prompt, "total_tokens": prompt},
        })
        .to_string(),
    )
        .into_response()
}
