//! The OpenAI-compatible routes of the metering proxy (`{prefix}/chat/completions`,
//! `{prefix}/embeddings`, `{prefix}/models`): bearer token in, [`LlmProxy`] call, the answer or
//! an OpenAI-shaped error out, with the budget in the `x-ratelimit-*` headers.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use tokio_stream::{StreamExt, wrappers::ReceiverStream};

use crate::domain::secrets::new_id;
use crate::services::llm::{LlmError, LlmProxy, Metered, Reply};

/// The proxy's routes under its configured prefix.
pub fn router(proxy: LlmProxy) -> Router {
    let prefix = proxy.settings().path_prefix.clone();
    let limit = proxy.settings().max_body_bytes;
    let routes = Router::new()
        .route("/chat/completions", post(chat))
        .route("/embeddings", post(embeddings))
        .route("/models", get(models))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(proxy);
    Router::new().nest(&prefix, routes)
}

async fn chat(State(proxy): State<LlmProxy>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let reply = match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => proxy.chat(caller, &body).await,
        Err(error) => Err(error),
    };
    answer(reply, started)
}

async fn embeddings(State(proxy): State<LlmProxy>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let reply = match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => proxy.embeddings(caller, &body).await,
        Err(error) => Err(error),
    };
    answer(reply, started)
}

async fn models(State(proxy): State<LlmProxy>, headers: HeaderMap) -> Response {
    let started = Instant::now();
    match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => {
            let mut response = json_response(StatusCode::OK, proxy.models(&caller).to_string());
            call_headers(
                response.headers_mut(),
                &new_id("llm_"),
                started.elapsed(),
                None,
            );
            response
        }
        Err(error) => error_response(&error, started),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn answer(reply: Result<Reply, LlmError>, started: Instant) -> Response {
    match reply {
        Err(error) => error_response(&error, started),
        Ok(Reply::Json { status, body, meta }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = json_response(status, body);
            budget_headers(response.headers_mut(), &meta);
            response
        }
        Ok(Reply::Stream { events, meta }) => {
            let body = Body::from_stream(ReceiverStream::new(events).map(Ok::<_, Infallible>));
            let mut response = Response::new(body);
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            budget_headers(headers, &meta);
            response
        }
    }
}

fn budget_headers(headers: &mut HeaderMap, meta: &Metered) {
    call_headers(
        headers,
        &meta.request_id,
        meta.overhead,
        Some((meta.limit, meta.remaining)),
    );
    if let Some(cap) = meta.lowered_cap {
        set(headers, "x-gpubroker-output-cap-lowered", cap.to_string());
    }
}

/// What every answer carries: its id, the proxy's own time, and the budget when it is known.
fn call_headers(
    headers: &mut HeaderMap,
    request_id: &str,
    overhead: Duration,
    budget: Option<(i64, i64)>,
) {
    set(headers, "x-request-id", request_id.to_owned());
    set(
        headers,
        "x-gpubroker-overhead-ms",
        format!("{:.3}", overhead.as_secs_f64() * 1000.0),
    );
    if let Some((limit, remaining)) = budget {
        set(headers, "x-ratelimit-limit-tokens", limit.to_string());
        set(
            headers,
            "x-ratelimit-remaining-tokens",
            remaining.to_string(),
        );
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(name, value);
    }
}

fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.into(),
    )
        .into_response()
}

fn error_response(error: &LlmError, started: Instant) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_response(status, error.body().to_string());
    let headers = response.headers_mut();
    call_headers(headers, &new_id("llm_"), started.elapsed(), error.budget);
    if error.status == 402 {
        // openai-python honours it; a spent budget is not worth retrying.
        headers.insert("x-should-retry", HeaderValue::from_static("false"));
    }
    if let Some(retry_after) = error.retry_after.as_deref()
        && let Ok(value) = HeaderValue::from_str(retry_after)
    {
        headers.insert(header::RETRY_AFTER, value);
    }
    response
}
