//! Sending a held call upstream and settling it: a whole answer is settled with its `usage`; a
//! stream is pumped by its own task, which keeps reading for a grace period after the pod hangs
//! up so the exact usage still arrives, and otherwise charges what it saw.

use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::sse::{Event, Meter, Splitter, Verdict};
use super::{Held, LlmError, LlmProxy, Reply, Route};
use crate::domain::llm::{self, Usage};
use crate::integrations::llm::UpstreamError;

/// Upstream error text passed on to the pod: at most this many characters.
const MAX_UPSTREAM_MESSAGE: usize = 500;

impl LlmProxy {
    pub(super) async fn forward(
        &self,
        held: Held,
        route: &Route<'_>,
        path: &str,
        body: Bytes,
        stream: bool,
        caller_wants_usage: bool,
    ) -> Result<Reply, LlmError> {
        let (first_byte, idle, grace) = self.timeouts();
        let sent = self
            .upstream
            .post(route.base_url, route.key, path, body, first_byte)
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                self.release(held).await;
                return Err(match error {
                    UpstreamError::Timeout(after) => LlmError::gateway_timeout(format!(
                        "the upstream {} did not answer within {}s",
                        route.upstream_name,
                        after.as_secs()
                    )),
                    UpstreamError::Unreachable(why) => LlmError::bad_gateway(format!(
                        "the upstream {} is unreachable: {why}",
                        route.upstream_name
                    )),
                });
            }
        };
        let status = response.status();
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let text = read_limited(response, first_byte).await.unwrap_or_default();
            self.release(held).await;
            return Err(upstream_error(route, status.as_u16(), &text, retry_after));
        }
        if stream {
            let (events, receiver) = mpsc::channel(64);
            let meta = held.meta.clone();
            let proxy = self.clone();
            self.settling.spawn(async move {
                let mut held = held;
                let prompt_estimate = held.prompt_estimate;
                // A hold whose commit failed is held again while the stream runs, not only once
                // it ended: a long answer is not left unheld meanwhile.
                let (usage, _) = tokio::join!(
                    pump(
                        response,
                        events,
                        caller_wants_usage,
                        prompt_estimate,
                        idle,
                        grace
                    ),
                    proxy.durably_held(&mut held),
                );
                proxy.settle(held, usage).await;
            });
            return Ok(Reply::Stream {
                events: receiver,
                meta,
            });
        }
        let answer = tokio::time::timeout(first_byte, response.bytes()).await;
        let meta = held.meta.clone();
        let Ok(Ok(answer)) = answer else {
            // The upstream accepted the call and may have generated: charge the prompt.
            let usage = Usage {
                prompt_tokens: held.prompt_estimate,
                ..Usage::default()
            };
            self.settle_detached(held, usage);
            return Err(LlmError::bad_gateway(format!(
                "the upstream {} broke off its answer",
                route.upstream_name
            )));
        };
        let parsed: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        let usage = Usage::from_json(&parsed["usage"]).unwrap_or_else(|| Usage {
            prompt_tokens: held.prompt_estimate,
            completion_tokens: completion_estimate(&parsed),
            ..Usage::default()
        });
        // The answer does not wait for the commit (one durable write less on the pod's path);
        // its headers report what was left once this call was held.
        self.settle_detached(held, usage);
        Ok(Reply::Json {
            status: status.as_u16(),
            body: answer,
            meta,
        })
    }
}

/// Forwards the upstream's events to the pod until `[DONE]`, an error or the end, and returns
/// the usage: the upstream's own when its usage chunk arrived, else the prompt estimate plus the
/// completion counted from the deltas.
async fn pump(
    mut response: reqwest::Response,
    events: mpsc::Sender<Bytes>,
    caller_wants_usage: bool,
    prompt_estimate: i64,
    idle: Duration,
    grace: Duration,
) -> Usage {
    let mut splitter = Splitter::default();
    let mut meter = Meter::new(caller_wants_usage);
    let mut pod = Listener {
        events: Some(events),
        hung_up_at: None,
    };
    let mut finished = false;
    while !finished {
        let deadline = match pod.hung_up_at {
            Some(at) => at + grace,
            None => Instant::now() + idle,
        };
        let next = tokio::time::timeout_at(deadline, response.chunk()).await;
        let chunk = match next {
            Ok(Ok(Some(chunk))) => chunk,
            Ok(Ok(None)) => break,
            Ok(Err(_)) | Err(_) => {
                let message = if next.is_err() {
                    "the upstream stopped sending"
                } else {
                    "the upstream broke off the stream"
                };
                pod.send(error_event(message)).await;
                pod.send(Bytes::from_static(DONE)).await;
                break;
            }
        };
        for event in splitter.push(&chunk) {
            match event {
                Event::Data { payload, raw } => match meter.observe(&payload) {
                    Verdict::Forward => pod.send(raw).await,
                    Verdict::Strip => {}
                    Verdict::Failed => {
                        pod.send(raw).await;
                        pod.send(Bytes::from_static(DONE)).await;
                        finished = true;
                    }
                },
                Event::Done(raw) => {
                    pod.send(raw).await;
                    finished = true;
                }
                Event::Other(raw) => pod.send(raw).await,
            }
        }
    }
    meter.usage().unwrap_or(Usage {
        prompt_tokens: prompt_estimate,
        completion_tokens: meter.counted_completion(),
        ..Usage::default()
    })
}

const DONE: &[u8] = b"data: [DONE]\n\n";

/// The pod's end of a stream, until it hangs up.
struct Listener {
    events: Option<mpsc::Sender<Bytes>>,
    hung_up_at: Option<Instant>,
}

impl Listener {
    /// Sends while the pod listens; the first failed send marks the hang-up.
    async fn send(&mut self, bytes: Bytes) {
        if let Some(events) = &self.events
            && events.send(bytes).await.is_err()
        {
            self.events = None;
            self.hung_up_at = Some(Instant::now());
        }
    }
}

fn error_event(message: &str) -> Bytes {
    let body = LlmError::bad_gateway(message).body();
    Bytes::from(format!("data: {body}\n\n"))
}

/// A whole answer's completion estimate when it carries no usage.
fn completion_estimate(answer: &Value) -> i64 {
    let text: usize = answer["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|choice| choice["message"].to_string().len())
        .sum();
    llm::bytes_tokens(text)
}

async fn read_limited(response: reqwest::Response, within: Duration) -> Option<String> {
    let bytes = tokio::time::timeout(within, response.bytes())
        .await
        .ok()?
        .ok()?;
    Some(String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).into_owned())
}

/// An upstream's refusal as the pod should see it: its own mistakes (400, 404, 413, 422) with
/// the upstream's message; a rate limit as 429 with its `retry-after`; the proxy's own account
/// problems (401, 402, 403) and failures as 502; timeouts as 504. The upstream's key never
/// appears, even when an upstream echoes it.
fn upstream_error(
    route: &Route<'_>,
    status: u16,
    text: &str,
    retry_after: Option<String>,
) -> LlmError {
    let parsed: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let said = parsed["error"]["message"]
        .as_str()
        .or_else(|| parsed["message"].as_str())
        .unwrap_or("")
        .to_owned();
    let said = redact(&said, route.key);
    let name = route.upstream_name;
    match status {
        400 | 404 | 413 | 422 => {
            let mut error =
                LlmError::invalid_body(format!("the upstream {name} refused the call: {said}"));
            error.status = status;
            error
        }
        429 => LlmError::upstream_rate_limited(
            format!("the upstream {name} is rate limiting: {said}"),
            retry_after,
        ),
        408 | 504 => LlmError::gateway_timeout(format!("the upstream {name} timed out")),
        401 | 403 => LlmError::bad_gateway(format!(
            "the upstream {name} refused the proxy's credentials (HTTP {status})"
        )),
        _ => LlmError::bad_gateway(format!(
            "the upstream {name} failed (HTTP {status}): {said}"
        )),
    }
}

fn redact(text: &str, key: &secrecy::SecretString) -> String {
    use secrecy::ExposeSecret;
    let key = key.expose_secret();
    let mut text = if key.len() >= 4 {
        text.replace(key, "[redacted]")
    } else {
        text.to_owned()
    };
    if text.chars().count() > MAX_UPSTREAM_MESSAGE {
        text = text.chars().take(MAX_UPSTREAM_MESSAGE).collect::<String>() + "…";
    }
    text
}
