//! The LLM metering proxy's use case: a pod's OpenAI-compatible call is authenticated by its pod
//! token, held against its subscription's budget (prompt estimate + output cap × choices),
//! forwarded with the upstream's own key and a cap the provider cannot exceed, and settled with
//! the real usage — also when the pod hangs up mid-stream, which Agent Zero does on purpose.

pub mod error;
mod forward;
pub mod sse;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::config::llm::{LlmConfig, ModelConfig};
use crate::domain::llm::{self, Ask, Hold, Usage};
use crate::domain::pod::Pod;
use crate::domain::secrets::new_id;
use crate::domain::subscription::{Subscription, SubscriptionStatus};
use crate::integrations::llm::UpstreamClient;
use crate::persistence::budgets::ReservationRow;
use crate::services::ServiceError;
use crate::services::budgets::{Budgets, Durable, ReserveInput, UsageInput};
use crate::services::pods::{Caller, PodCallers};

pub use error::LlmError;

/// What the answer's headers report about the budget.
#[derive(Debug, Clone)]
pub struct Metered {
    pub request_id: String,
    pub limit: i64,
    pub remaining: i64,
    /// Set when the output cap was lowered so the call fits the budget.
    pub lowered_cap: Option<i64>,
    /// Time spent in the proxy before the upstream was called.
    pub overhead: Duration,
}

/// A metered answer.
pub enum Reply {
    /// A whole JSON answer with its status.
    Json {
        status: u16,
        body: Bytes,
        meta: Metered,
    },
    /// SSE bytes as they come; the stream is settled by a task of its own.
    Stream {
        events: mpsc::Receiver<Bytes>,
        meta: Metered,
    },
}

#[derive(Clone)]
pub struct LlmProxy {
    settings: Arc<LlmConfig>,
    budgets: Budgets,
    upstream: UpstreamClient,
    callers: PodCallers,
    hold_ttl: Duration,
    /// Settlements running after their answer was sent.
    settling: tokio_util::task::TaskTracker,
}

/// A model a caller may use, resolved to its upstream.
struct Route<'a> {
    public_id: String,
    model: &'a ModelConfig,
    base_url: &'a str,
    key: &'a SecretString,
    upstream_name: &'a str,
}

/// A held call on its way upstream.
struct Held {
    pod: Pod,
    subscription: Subscription,
    reservation: ReservationRow,
    model: String,
    weight: rust_decimal::Decimal,
    prompt_estimate: i64,
    meta: Metered,
    /// Whether the hold's commit, still being flushed when the call went upstream, succeeded.
    durable: Durable,
}

impl LlmProxy {
    pub fn new(
        settings: LlmConfig,
        callers: PodCallers,
        budgets: Budgets,
        hold_ttl: Duration,
    ) -> Result<Self, String> {
        let upstream = UpstreamClient::new(Duration::from_secs(settings.connect_timeout_secs))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            callers,
            settings: Arc::new(settings),
            budgets,
            upstream,
            hold_ttl,
            settling: tokio_util::task::TaskTracker::new(),
        })
    }

    pub fn settings(&self) -> &LlmConfig {
        &self.settings
    }

    /// The pod whose token this is, if its subscription may spend.
    pub async fn authorize(&self, bearer: Option<&str>) -> Result<Caller, LlmError> {
        let token = bearer.filter(|t| !t.is_empty()).ok_or_else(|| {
            LlmError::invalid_api_key("authorization: Bearer <pod token> is required")
        })?;
        let not_a_pod = |error| match error {
            ServiceError::Unauthenticated(_) => {
                LlmError::invalid_api_key("incorrect API key: not a valid pod token")
            }
            other => other.into(),
        };
        let caller = self.callers.by_token(token).await.map_err(not_a_pod)?;
        let subscription = &caller.subscription;
        if subscription.status != SubscriptionStatus::Running {
            return Err(LlmError::forbidden(format!(
                "the subscription is {}; only a running subscription may call models",
                subscription.status
            )));
        }
        Ok(caller)
    }

    /// `GET /models`: the models the caller's plan may use.
    pub fn models(&self, caller: &Caller) -> Value {
        let data: Vec<Value> = self
            .settings
            .models
            .keys()
            .filter(|id| self.allowed(caller, id))
            .map(|id| json!({"id": id, "object": "model", "created": 0, "owned_by": "gpubroker"}))
            .collect();
        json!({"object": "list", "data": data})
    }

    fn allowed(&self, caller: &Caller, model: &str) -> bool {
        self.settings
            .plan_models
            .get(caller.subscription.plan.as_str())
            .is_none_or(|models| models.iter().any(|m| m == model))
    }

    fn route(&self, caller: &Caller, request: &Value) -> Result<Route<'_>, LlmError> {
        let id = request["model"]
            .as_str()
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| LlmError::invalid_request("model", "is required"))?;
        let model = self
            .settings
            .models
            .get(id)
            .filter(|_| self.allowed(caller, id))
            .ok_or_else(|| LlmError::model_not_found(id))?;
        let upstream = &self.settings.upstreams[&model.upstream];
        let key = upstream.api_key.as_ref().ok_or_else(|| {
            LlmError::not_configured(&format!(
                "llm.upstreams.{}.api_key (GPUBROKER__LLM__UPSTREAMS__{}__API_KEY)",
                model.upstream,
                model.upstream.to_ascii_uppercase()
            ))
        })?;
        Ok(Route {
            public_id: id.to_owned(),
            model,
            base_url: &upstream.base_url,
            key,
            upstream_name: &model.upstream,
        })
    }

    /// `POST /chat/completions`.
    pub async fn chat(&self, caller: Caller, body: &[u8]) -> Result<Reply, LlmError> {
        let started = Instant::now();
        let mut request = object(body)?;
        let route = self.route(&caller, &request)?;
        if !request["messages"].is_array() {
            return Err(LlmError::invalid_request("messages", "must be an array"));
        }
        let stream = match &request["stream"] {
            Value::Null => false,
            Value::Bool(stream) => *stream,
            _ => return Err(LlmError::invalid_request("stream", "must be a boolean")),
        };
        let choices = positive(&request, "n")?.unwrap_or(1);
        if choices > 128 {
            return Err(LlmError::invalid_request("n", "must be at most 128"));
        }
        // The smaller of the two when a caller sends both (each provider honours one of them).
        let requested = match (
            positive(&request, "max_completion_tokens")?,
            positive(&request, "max_tokens")?,
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let ask = Ask {
            prompt_estimate: llm::estimate_chat_prompt(&request, route.model.counter()),
            requested_cap: requested,
            default_cap: route.model.default_max_output_tokens,
            choices,
            weight: route.model.weight,
        };
        let (held, hold) = self.hold(&caller, &route, ask, started).await?;
        request["model"] = json!(upstream_model(&route));
        // The provider can never generate more than was held: every cap it may read is the hold's.
        let mut capped = false;
        for field in ["max_completion_tokens", "max_tokens"] {
            if request.get(field).is_some() {
                request[field] = json!(hold.output_cap);
                capped = true;
            }
        }
        if !capped {
            request["max_tokens"] = json!(hold.output_cap);
        }
        let mut caller_wants_usage = false;
        if stream {
            if !request["stream_options"].is_object() {
                request["stream_options"] = json!({});
            }
            caller_wants_usage = request["stream_options"]["include_usage"] == json!(true);
            request["stream_options"]["include_usage"] = json!(true);
        }
        let body = Bytes::from(request.to_string());
        self.forward(
            held,
            &route,
            "chat/completions",
            body,
            stream,
            caller_wants_usage,
        )
        .await
    }

    /// `POST /embeddings`.
    pub async fn embeddings(&self, caller: Caller, body: &[u8]) -> Result<Reply, LlmError> {
        let started = Instant::now();
        let mut request = object(body)?;
        let route = self.route(&caller, &request)?;
        if request["input"].is_null() {
            return Err(LlmError::invalid_request("input", "is required"));
        }
        let ask = Ask {
            prompt_estimate: llm::estimate_embedding_input(
                &request["input"],
                route.model.counter(),
            ),
            requested_cap: Some(1),
            default_cap: 1,
            choices: 1,
            weight: route.model.weight,
        };
        let (held, _) = self.hold(&caller, &route, ask, started).await?;
        request["model"] = json!(upstream_model(&route));
        let body = Bytes::from(request.to_string());
        self.forward(held, &route, "embeddings", body, false, false)
            .await
    }

    /// Reserves the call's tokens, lowering the output cap when only that fits; one more try
    /// when a concurrent call took what was left between the look and the hold.
    async fn hold(
        &self,
        caller: &Caller,
        route: &Route<'_>,
        ask: Ask,
        started: Instant,
    ) -> Result<(Held, Hold), LlmError> {
        let request_id = new_id("llm_");
        let mut seen = caller.budget.clone();
        // A remembered figure may be a second old: it decides only a hold that fits as asked;
        // lowering the cap or refusing is decided on a budget read now.
        if !caller.fresh
            && !seen.as_ref().is_some_and(|budget| {
                llm::plan_hold(ask, budget.remaining(), self.settings.min_output_tokens)
                    .is_ok_and(|hold| !hold.lowered)
            })
        {
            seen = None;
        }
        for attempt in 0..2 {
            let budget = match seen.take() {
                Some(budget) => budget,
                None => self.budgets.get(&caller.subscription.id).await?,
            };
            let hold = llm::plan_hold(ask, budget.remaining(), self.settings.min_output_tokens)
                .map_err(|fit| {
                    LlmError::insufficient_quota(Some(fit))
                        .with_budget(budget.limit_tokens, budget.remaining())
                })?;
            let reserved = self
                .budgets
                .reserve_early(
                    &caller.pod,
                    &caller.subscription,
                    Some(budget.clone()),
                    self.reserve_input(hold.tokens, &request_id, &route.public_id),
                )
                .await;
            match reserved {
                Ok((reserved, durable)) => {
                    let meta = Metered {
                        request_id: request_id.clone(),
                        limit: budget.limit_tokens,
                        remaining: reserved.remaining,
                        lowered_cap: hold.lowered.then_some(hold.output_cap),
                        overhead: started.elapsed(),
                    };
                    let held = Held {
                        pod: caller.pod.clone(),
                        subscription: caller.subscription.clone(),
                        reservation: reserved.reservation,
                        model: route.public_id.clone(),
                        weight: route.model.weight,
                        prompt_estimate: ask.prompt_estimate,
                        meta,
                        durable,
                    };
                    return Ok((held, hold));
                }
                Err(ServiceError::LimitReached { .. }) if attempt == 0 => continue,
                Err(ServiceError::LimitReached { .. }) => {
                    return Err(LlmError::insufficient_quota(None)
                        .with_budget(budget.limit_tokens, budget.remaining()));
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(LlmError::insufficient_quota(None))
    }

    fn reserve_input(&self, tokens: i64, request_id: &str, model: &str) -> ReserveInput {
        ReserveInput {
            tokens,
            ttl: chrono::Duration::from_std(self.hold_ttl).ok(),
            idempotency_key: request_id.to_owned(),
            session_id: String::new(),
            model: model.to_owned(),
        }
    }

    /// Whether the call's hold is written, once its commit is known; when that commit failed
    /// (the call went upstream meanwhile), it is held again under the same idempotency key —
    /// which also finds the hold if the commit succeeded and only its answer was lost — for
    /// what still fits.
    async fn durably_held(&self, held: &mut Held) -> bool {
        if held.durable.written().await {
            return true;
        }
        let again = match self.budgets.get(&held.subscription.id).await {
            Ok(budget) => {
                let tokens = held.reservation.tokens.min(budget.remaining()).max(1);
                let input = self.reserve_input(tokens, &held.meta.request_id, &held.model);
                self.budgets
                    .reserve_for(&held.pod, &held.subscription, Some(budget), input)
                    .await
            }
            Err(error) => Err(error),
        };
        match again {
            Ok(reserved) => {
                held.reservation = reserved.reservation;
                held.durable = Durable::written_already();
                true
            }
            Err(error) => {
                tracing::error!(request = %held.meta.request_id, %error, "LLM call's hold was lost with its commit and cannot be held again now; it is not charged unless its settlement holds it");
                false
            }
        }
    }

    /// Settles a held call with what it really used. Runs detached from the pod's request, so a
    /// hang-up never leaves the hold to expire instead.
    async fn settle(&self, mut held: Held, usage: Usage) {
        if !self.durably_held(&mut held).await {
            return;
        }
        let held = &held;
        let charge = usage.charge(held.weight);
        let committed = self
            .budgets
            .commit_for(
                &held.pod,
                held.reservation.clone(),
                &held.subscription,
                UsageInput {
                    tokens: charge,
                    model: held.model.clone(),
                    tokens_in: usage.prompt_tokens,
                    tokens_out: usage.completion_tokens,
                    tokens_cached: usage.cached_tokens.min(usage.prompt_tokens),
                    tokens_reasoning: usage.reasoning_tokens.min(usage.completion_tokens),
                    weight: Some(held.weight),
                    session_id: String::new(),
                },
            )
            .await;
        match committed {
            Ok(_) => {}
            // More than held and not covered: the hold was charged.
            Err(ServiceError::LimitReached { message, .. }) => {
                tracing::info!(reservation = %held.reservation.id, %message, "LLM call charged its whole hold");
            }
            Err(error) => {
                tracing::error!(reservation = %held.reservation.id, %error, "LLM call not settled; its hold expires");
            }
        }
    }

    /// [`LlmProxy::settle`] in a task of its own: it completes even when the pod's request is
    /// gone.
    fn settle_detached(&self, held: Held, usage: Usage) {
        let proxy = self.clone();
        self.settling.spawn(async move {
            proxy.settle(held, usage).await;
        });
    }

    /// Waits for the settlements still running (at shutdown, once every answer is sent): a
    /// stream whose pod hung up is read on for the disconnect grace, then committed.
    pub async fn settled(&self) {
        self.settling.close();
        let (_, _, grace) = self.timeouts();
        if tokio::time::timeout(grace + Duration::from_secs(5), self.settling.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                running = self.settling.len(),
                "LLM calls still settling at shutdown; their holds expire"
            );
        }
    }

    /// Frees the hold of a call the upstream refused (nothing to free if its commit failed).
    async fn release(&self, mut held: Held) {
        if !held.durable.written().await {
            return;
        }
        if let Err(error) = self.budgets.release(&held.pod, &held.reservation.id).await {
            tracing::error!(reservation = %held.reservation.id, %error, "LLM hold not released; it expires");
        }
    }

    fn timeouts(&self) -> (Duration, Duration, Duration) {
        (
            Duration::from_secs(self.settings.first_byte_timeout_secs),
            Duration::from_secs(self.settings.idle_timeout_secs),
            Duration::from_secs(self.settings.disconnect_grace_secs),
        )
    }
}

fn upstream_model(route: &Route<'_>) -> String {
    route
        .model
        .upstream_model
        .clone()
        .unwrap_or_else(|| route.public_id.clone())
}

fn object(body: &[u8]) -> Result<Value, LlmError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| LlmError::invalid_body(format!("the body is not JSON: {e}")))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(LlmError::invalid_body("the body must be a JSON object"))
    }
}

/// An optional positive integer field.
fn positive(request: &Value, field: &str) -> Result<Option<i64>, LlmError> {
    match &request[field] {
        Value::Null => Ok(None),
        value => value
            .as_i64()
            .filter(|v| *v >= 1)
            .map(Some)
            .ok_or_else(|| LlmError::invalid_request(field, "must be a positive integer")),
    }
}
