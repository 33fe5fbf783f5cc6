//! The OpenAI-compatible routes of the metering proxy (`{prefix}/chat/completions`,
//! `{prefix}/embeddings`, `{prefix}/models`): bearer token in, [`LlmProxy`] call, the answer or
//! an OpenAI-shaped error out, with the budget in the `x-ratelimit-*` headers.

use std::convert::Infallible;

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use tokio_stream::{StreamExt, wrappers::ReceiverStream};

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
    match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => answer(proxy.chat(caller, &body).await),
        Err(error) => error_response(&error),
    }
}

async fn embeddings(State(proxy): State<LlmProxy>, headers: HeaderMap, body: Bytes) -> Response {
    match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => answer(proxy.embeddings(caller, &body).await),
        Err(error) => error_response(&error),
    }
}

async fn models(State(proxy): State<LlmProxy>, headers: HeaderMap) -> Response {
    match proxy.authorize(bearer(&headers)).await {
        Ok(caller) => json_response(StatusCode::OK, proxy.models(&caller).to_string()),
        Err(error) => error_response(&error),
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

fn answer(reply: Result<Reply, LlmError>) -> Response {
    match reply {
        Err(error) => error_response(&error),
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
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set("x-ratelimit-limit-tokens", meta.limit.to_string());
    set("x-ratelimit-remaining-tokens", meta.remaining.to_string());
    set("x-request-id", meta.request_id.clone());
    set(
        "x-gpubroker-overhead-ms",
        format!("{:.3}", meta.overhead.as_secs_f64() * 1000.0),
    );
    if let Some(cap) = meta.lowered_cap {
        set("x-gpubroker-output-cap-lowered", cap.to_string());
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

fn error_response(error: &LlmError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_response(status, error.body().to_string());
    let headers = response.headers_mut();
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
