//! The PayPal REST v2 client: client-credentials OAuth token cached and refreshed before expiry
//! (and once on a 401), orders, captures. Timeouts and 5xx are `Unavailable`; PayPal's error
//! bodies (`name`, `message`, `debug_id`, `details[].issue`) become `Rejected`.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, de::DeserializeOwned};
use tokio::sync::Mutex;

use super::wire::{AccessToken, ErrorBody, Order, OrderRequest, Refund, RefundRequest};

/// Where and as whom to call PayPal.
#[derive(Debug, Clone)]
pub struct PaypalConfig {
    /// `https://api-m.sandbox.paypal.com`, `https://api-m.paypal.com`, or an emulator.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaypalError {
    /// Timeout, connection failure or a 5xx: nothing is known to have happened; retry.
    #[error("PayPal is unavailable: {0}")]
    Unavailable(String),
    /// PayPal refused the request (4xx), e.g. `ORDER_NOT_APPROVED`.
    #[error("PayPal refused: {status} {name} {issue} ({message}) debug_id={debug_id}")]
    Rejected {
        status: u16,
        name: String,
        issue: String,
        message: String,
        debug_id: String,
    },
    /// A response we cannot read: a contract drift.
    #[error("unexpected PayPal response: {0}")]
    Decode(String),
}

impl PaypalError {
    /// The first `details[].issue` (or the error name) of a rejection.
    pub fn issue(&self) -> Option<&str> {
        match self {
            PaypalError::Rejected { issue, name, .. } => {
                Some(if issue.is_empty() { name } else { issue })
            }
            _ => None,
        }
    }
}

/// Refresh the token this long before PayPal says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(120);

#[derive(Debug)]
pub struct PaypalClient {
    http: reqwest::Client,
    config: PaypalConfig,
    token: Mutex<Option<(String, Instant)>>,
}

fn transport(error: reqwest::Error) -> PaypalError {
    PaypalError::Unavailable(if error.is_timeout() {
        "timed out".into()
    } else {
        error.to_string()
    })
}

impl PaypalClient {
    pub fn new(config: PaypalConfig) -> Result<Self, PaypalError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| PaypalError::Unavailable(format!("HTTP client: {e}")))?;
        Ok(Self {
            http,
            config,
            token: Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    async fn access_token(&self, force_refresh: bool) -> Result<String, PaypalError> {
        let mut cached = self.token.lock().await;
        if !force_refresh
            && let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let response = self
            .http
            .post(self.url("/v1/oauth2/token"))
            .basic_auth(
                &self.config.client_id,
                Some(self.config.client_secret.expose_secret()),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(transport)?;
        let token: AccessToken = Self::read(response).await?;
        let lifetime = Duration::from_secs(token.expires_in).saturating_sub(TOKEN_MARGIN);
        *cached = Some((token.access_token.clone(), Instant::now() + lifetime));
        Ok(token.access_token)
    }

    async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, PaypalError> {
        let status = response.status();
        let bytes = response.bytes().await.map_err(transport)?;
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(PaypalError::Unavailable(format!("HTTP {status}")));
        }
        if !status.is_success() {
            let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
            let issue = body
                .details
                .first()
                .map(|d| d.issue.clone())
                .unwrap_or_default();
            return Err(PaypalError::Rejected {
                status: status.as_u16(),
                name: if body.name.is_empty() {
                    body.error
                } else {
                    body.name
                },
                issue,
                message: body.message,
                debug_id: body.debug_id,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| PaypalError::Decode(e.to_string()))
    }

    /// One authenticated JSON call; a 401 `invalid_token` refreshes the token and retries once.
    async fn call<B: Serialize + Sync, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        request_id: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, PaypalError> {
        let mut refreshed = false;
        loop {
            let token = self.access_token(refreshed).await?;
            let mut request = self
                .http
                .request(method.clone(), self.url(path))
                .bearer_auth(&token)
                .header("prefer", "return=representation");
            if let Some(id) = request_id {
                request = request.header("paypal-request-id", id);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.map_err(transport)?;
            if response.status() == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                continue;
            }
            return Self::read(response).await;
        }
    }

    /// `POST /v2/checkout/orders` with `PayPal-Request-Id` (a replay returns the same order).
    #[tracing::instrument(skip_all, fields(request_id))]
    pub async fn create_order(
        &self,
        order: &OrderRequest,
        request_id: &str,
    ) -> Result<Order, PaypalError> {
        self.call(
            Method::POST,
            "/v2/checkout/orders",
            Some(request_id),
            Some(order),
        )
        .await
    }

    /// `POST /v2/checkout/orders/{id}/capture` with `PayPal-Request-Id` derived by the caller.
    #[tracing::instrument(skip_all, fields(order_id))]
    pub async fn capture_order(
        &self,
        order_id: &str,
        request_id: &str,
    ) -> Result<Order, PaypalError> {
        let path = format!("/v2/checkout/orders/{order_id}/capture");
        self.call(
            Method::POST,
            &path,
            Some(request_id),
            Some(&serde_json::json!({})),
        )
        .await
    }

    /// `GET /v2/checkout/orders/{id}`.
    #[tracing::instrument(skip_all, fields(order_id))]
    pub async fn get_order(&self, order_id: &str) -> Result<Order, PaypalError> {
        let path = format!("/v2/checkout/orders/{order_id}");
        self.call::<(), _>(Method::GET, &path, None, None).await
    }

    /// `POST /v2/payments/captures/{id}/refund` with `PayPal-Request-Id` (a replay returns the
    /// same refund).
    #[tracing::instrument(skip_all, fields(capture_id))]
    pub async fn refund_capture(
        &self,
        capture_id: &str,
        refund: &RefundRequest,
        request_id: &str,
    ) -> Result<Refund, PaypalError> {
        let path = format!("/v2/payments/captures/{capture_id}/refund");
        self.call(Method::POST, &path, Some(request_id), Some(refund))
            .await
    }
}
