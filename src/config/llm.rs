//! The LLM metering proxy: where pods' OpenAI-compatible calls go upstream, which models each plan
//! may use, and the limits of a metered call.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use secrecy::SecretString;
use serde::Deserialize;

use crate::domain::llm::Counter;
use crate::domain::plan::Plan;

/// `[llm]`: the proxy at `path_prefix` on the server's port.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// Serve the proxy. On by default; with no upstream key set a call answers 503 naming the
    /// setting to set.
    pub enabled: bool,
    /// Where the OpenAI-compatible routes live (`{prefix}/chat/completions`, …).
    pub path_prefix: String,
    /// The proxy's URL as pods reach it (their `api_base`); unset: the server's own address.
    pub public_url: Option<String>,
    /// OpenAI-compatible providers by name.
    pub upstreams: BTreeMap<String, UpstreamConfig>,
    /// Public model ids (what pods ask for) and where each goes.
    pub models: BTreeMap<String, ModelConfig>,
    /// Which public models each plan (`trial`, `basic`, …) may use; a plan not listed may use
    /// every model.
    pub plan_models: BTreeMap<String, Vec<String>>,
    /// The model a pod's Agent Zero is configured to use when its plan lists none (a plan with
    /// a list uses the list's first model).
    pub agent_model: String,
    /// The smallest output cap per choice worth lowering a call to when the budget cannot hold
    /// the full cap; below it the call is refused.
    pub min_output_tokens: i64,
    /// After a client disconnects, how long to keep reading the upstream for its exact usage.
    pub disconnect_grace_secs: u64,
    /// Connect timeout towards an upstream.
    pub connect_timeout_secs: u64,
    /// Longest wait for an upstream's first byte (then 504).
    pub first_byte_timeout_secs: u64,
    /// Longest silence between two chunks of a stream (then the stream fails).
    pub idle_timeout_secs: u64,
    /// Largest request body accepted from a pod.
    pub max_body_bytes: usize,
    /// How long a pod token's pod and subscription are remembered between calls (0: read on
    /// every call). A change this process makes to the pod forgets it at once; one made by
    /// another replica is seen after at most this long. Budgets are never decided from memory.
    pub caller_cache_ms: u64,
}

impl Default for LlmConfig {
    fn default() -> Self {
        let mut upstreams = BTreeMap::new();
        upstreams.insert(
            "openrouter".to_owned(),
            UpstreamConfig {
                base_url: openrouter_url(),
                api_key: None,
            },
        );
        let mut models = BTreeMap::new();
        for (id, tokenizer) in [
            ("openai/gpt-4.1-mini", Some(Tokenizer::O200kBase)),
            ("openai/gpt-4.1", Some(Tokenizer::O200kBase)),
            ("anthropic/claude-sonnet-4", None),
        ] {
            models.insert(
                id.to_owned(),
                ModelConfig {
                    upstream: "openrouter".into(),
                    upstream_model: None,
                    default_max_output_tokens: 4_096,
                    weight: Decimal::ONE,
                    tokenizer,
                },
            );
        }
        Self {
            enabled: true,
            path_prefix: "/llm/v1".into(),
            public_url: None,
            upstreams,
            models,
            plan_models: BTreeMap::new(),
            agent_model: "openai/gpt-4.1-mini".into(),
            min_output_tokens: 64,
            disconnect_grace_secs: 10,
            connect_timeout_secs: 5,
            first_byte_timeout_secs: 120,
            idle_timeout_secs: 120,
            max_body_bytes: 4 * 1024 * 1024,
            caller_cache_ms: 1_000,
        }
    }
}

/// `[llm.upstreams.<name>]`: an OpenAI-compatible provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpstreamConfig {
    /// Its API root, e.g. `https://api.openai.com/v1` (the proxy appends `/chat/completions`);
    /// OpenRouter's when unset, so `llm.upstreams.openrouter.api_key` alone is enough.
    #[serde(default = "openrouter_url")]
    pub base_url: String,
    /// Its secret key, sent as a bearer token; never logged, never returned. Unset: calls to
    /// its models answer 503 naming this setting.
    pub api_key: Option<SecretString>,
}

/// `[llm.models."<public id>"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// The upstream's name in `[llm.upstreams]`.
    pub upstream: String,
    /// The model id the upstream knows; unset: the public id.
    pub upstream_model: Option<String>,
    /// The output cap held, and sent upstream, when a call sets no `max_tokens`.
    #[serde(default = "default_output_cap")]
    pub default_max_output_tokens: i64,
    /// Budget tokens per LLM token (default 1): an expensive model can be charged more.
    #[serde(default = "one")]
    pub weight: Decimal,
    /// The model's tokenizer, for exact prompt counts (`o200k_base`, `cl100k_base`); unset: a
    /// conservative estimate from the prompt's length.
    #[serde(default)]
    pub tokenizer: Option<Tokenizer>,
}

/// A byte-pair encoding the proxy can count prompts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tokenizer {
    O200kBase,
    Cl100kBase,
}

impl ModelConfig {
    /// How this model's prompts are counted before forwarding.
    pub fn counter(&self) -> Counter {
        match self.tokenizer {
            Some(Tokenizer::O200kBase) => Counter::O200k,
            Some(Tokenizer::Cl100kBase) => Counter::Cl100k,
            None => Counter::Bytes,
        }
    }
}

fn openrouter_url() -> String {
    "https://openrouter.ai/api/v1".into()
}

fn default_output_cap() -> i64 {
    4_096
}

fn one() -> Decimal {
    Decimal::ONE
}

impl LlmConfig {
    /// Checks the model table against the upstreams and the plan lists against the models.
    pub fn validate(&self) -> Result<(), String> {
        if !self.path_prefix.starts_with('/') || self.path_prefix.ends_with('/') {
            return Err("llm.path_prefix must start with / and not end with one".into());
        }
        if self.path_prefix.starts_with("/api/") {
            return Err("llm.path_prefix must not be under /api/".into());
        }
        for (name, upstream) in &self.upstreams {
            if !(upstream.base_url.starts_with("https://")
                || upstream.base_url.starts_with("http://"))
            {
                return Err(format!(
                    "llm.upstreams.{name}.base_url must be an http(s) URL"
                ));
            }
        }
        for (id, model) in &self.models {
            if !self.upstreams.contains_key(&model.upstream) {
                return Err(format!(
                    "llm.models.\"{id}\".upstream names no [llm.upstreams.{}]",
                    model.upstream
                ));
            }
            if model.default_max_output_tokens < 1 {
                return Err(format!(
                    "llm.models.\"{id}\".default_max_output_tokens must be at least 1"
                ));
            }
            if model.weight <= Decimal::ZERO {
                return Err(format!("llm.models.\"{id}\".weight must be positive"));
            }
        }
        for (plan, models) in &self.plan_models {
            if Plan::parse(plan).is_none() {
                return Err(format!("llm.plan_models.{plan} is not a plan"));
            }
            if let Some(unknown) = models.iter().find(|m| !self.models.contains_key(*m)) {
                return Err(format!(
                    "llm.plan_models.{plan} names unknown model \"{unknown}\""
                ));
            }
        }
        if let Some((plan, _)) = self
            .plan_models
            .iter()
            .find(|(_, models)| models.is_empty())
        {
            return Err(format!(
                "llm.plan_models.{plan} is empty: list at least one model (or remove the plan to allow every model)"
            ));
        }
        if self.enabled && !self.models.contains_key(&self.agent_model) {
            return Err(format!(
                "llm.agent_model \"{}\" is not in [llm.models]",
                self.agent_model
            ));
        }
        if self.min_output_tokens < 1 {
            return Err("llm.min_output_tokens must be at least 1".into());
        }
        Ok(())
    }

    /// The model a pod of `plan` is configured with: its plan's first model, else `agent_model`.
    pub fn agent_model_for(&self, plan: &str) -> &str {
        self.plan_models
            .get(plan)
            .and_then(|models| models.first())
            .unwrap_or(&self.agent_model)
    }
}
