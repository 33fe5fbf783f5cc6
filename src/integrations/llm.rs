//! OpenAI-compatible upstreams (OpenRouter, OpenAI, a local vLLM or llama.cpp server): one HTTP
//! client, a POST of the pod's rewritten request with the upstream's own key.

use std::time::Duration;

use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};

/// Why a call never got an answer from the upstream.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("unreachable: {0}")]
    Unreachable(String),
}

#[derive(Clone)]
pub struct UpstreamClient {
    http: reqwest::Client,
}

impl UpstreamClient {
    pub fn new(connect_timeout: Duration) -> Result<Self, UpstreamError> {
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            // Many pods' calls to one provider: keep the connections.
            .pool_max_idle_per_host(256)
            .build()
            .map_err(|e| UpstreamError::Unreachable(format!("HTTP client: {e}")))?;
        Ok(Self { http })
    }

    /// POSTs `body` to `{base_url}/{path}` and waits up to `first_byte` for the answer's head.
    pub async fn post(
        &self,
        base_url: &str,
        key: &SecretString,
        path: &str,
        body: Bytes,
        first_byte: Duration,
    ) -> Result<reqwest::Response, UpstreamError> {
        let url = format!("{}/{path}", base_url.trim_end_matches('/'));
        let sent = self
            .http
            .post(url)
            .bearer_auth(key.expose_secret())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send();
        match tokio::time::timeout(first_byte, sent).await {
            Err(_) => Err(UpstreamError::Timeout(first_byte)),
            Ok(Err(error)) if error.is_timeout() => Err(UpstreamError::Timeout(first_byte)),
            // The error names the URL, never the key.
            Ok(Err(error)) => Err(UpstreamError::Unreachable(error.without_url().to_string())),
            Ok(Ok(response)) => Ok(response),
        }
    }
}
