//! Errors in OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`), with the HTTP
//! status the OpenAI clients a pod runs expect for each.

use serde_json::{Value, json};

use crate::domain::llm::DoesNotFit;
use crate::services::ServiceError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmError {
    pub status: u16,
    pub kind: &'static str,
    pub code: Option<&'static str>,
    pub param: Option<Box<str>>,
    pub message: String,
    /// `retry-after` seconds, passed on from an upstream's 429.
    pub retry_after: Option<Box<str>>,
    /// The budget's limit and what is left, when the refusal read them (for the headers).
    pub budget: Option<(i64, i64)>,
}

impl LlmError {
    fn new(status: u16, kind: &'static str, code: Option<&'static str>, message: String) -> Self {
        Self {
            status,
            kind,
            code,
            param: None,
            message,
            retry_after: None,
            budget: None,
        }
    }

    /// The same error, reporting the budget's `limit` and `remaining` tokens in its headers.
    pub fn with_budget(self, limit: i64, remaining: i64) -> Self {
        Self {
            budget: Some((limit, remaining)),
            ..self
        }
    }

    pub fn invalid_request(param: &str, problem: impl std::fmt::Display) -> Self {
        Self {
            param: Some(param.into()),
            ..Self::new(
                400,
                "invalid_request_error",
                None,
                format!("{param}: {problem}"),
            )
        }
    }

    pub fn invalid_body(problem: impl std::fmt::Display) -> Self {
        Self::new(400, "invalid_request_error", None, problem.to_string())
    }

    pub fn invalid_api_key(message: impl Into<String>) -> Self {
        Self::new(
            401,
            "invalid_request_error",
            Some("invalid_api_key"),
            message.into(),
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "permission_error", None, message.into())
    }

    pub fn model_not_found(model: &str) -> Self {
        Self {
            param: Some("model".into()),
            ..Self::new(
                404,
                "invalid_request_error",
                Some("model_not_found"),
                format!("the model `{model}` does not exist or your plan cannot use it"),
            )
        }
    }

    /// 402, never 429: Agent Zero, LiteLLM and openai-python retry a 429.
    pub fn insufficient_quota(fit: Option<DoesNotFit>) -> Self {
        let message = match fit {
            Some(fit) => format!(
                "the token budget is spent: this call needs at least {} tokens and {} are left \
                 this period",
                fit.needed, fit.remaining
            ),
            None => "the token budget is spent for this period".to_owned(),
        };
        Self::new(
            402,
            "insufficient_quota",
            Some("insufficient_quota"),
            message,
        )
    }

    pub fn not_configured(setting: &str) -> Self {
        Self::new(
            503,
            "server_error",
            Some("upstream_not_configured"),
            format!("no LLM upstream is configured for this model: set {setting}"),
        )
    }

    pub fn bad_gateway(message: impl Into<String>) -> Self {
        Self::new(502, "upstream_error", None, message.into())
    }

    pub fn gateway_timeout(message: impl Into<String>) -> Self {
        Self::new(504, "timeout", None, message.into())
    }

    pub fn upstream_rate_limited(message: String, retry_after: Option<String>) -> Self {
        Self {
            retry_after: retry_after.map(String::into_boxed_str),
            ..Self::new(
                429,
                "rate_limit_error",
                Some("rate_limit_exceeded"),
                message,
            )
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "server_error", None, message.into())
    }

    /// The body clients read.
    pub fn body(&self) -> Value {
        json!({"error": {
            "message": self.message,
            "type": self.kind,
            "param": self.param,
            "code": self.code,
        }})
    }
}

impl From<ServiceError> for LlmError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::InvalidArgument { field, problem } => {
                Self::invalid_request(&field, problem)
            }
            ServiceError::Unauthenticated(message) => Self::invalid_api_key(message),
            ServiceError::PermissionDenied(message) | ServiceError::FailedPrecondition(message) => {
                Self::forbidden(message)
            }
            ServiceError::LimitReached { .. } => Self::insufficient_quota(None),
            ServiceError::NotFound(message) => Self::forbidden(message),
            ServiceError::Unavailable(what) => Self::unavailable(format!("{what} is unavailable")),
            other => {
                tracing::error!(error = %other, "LLM proxy: internal error");
                Self::new(500, "server_error", None, "internal error".into())
            }
        }
    }
}
