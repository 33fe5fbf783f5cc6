//! What a REST call forwards to the services as gRPC metadata: the bearer credential, the user
//! agent, and the client address chain (the browser's `X-Forwarded-For` plus the TCP peer, which
//! the services resolve against their trusted proxies).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Query};
use http::{HeaderMap, header, request::Parts};
use tonic::metadata::{MetadataMap, MetadataValue};

use crate::{ApiError, Gateway};

#[derive(Debug, Clone, Default)]
pub struct CallContext {
    authorization: Option<String>,
    user_agent: Option<String>,
    forwarded_for: Option<String>,
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl FromRequestParts<Gateway> for CallContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &Gateway) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string());
        // Every X-Forwarded-For line, in order: a proxy may add its own line after the client's.
        let lines: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let forwarded = (!lines.is_empty()).then(|| lines.join(", "));
        let forwarded_for = match (forwarded, peer) {
            (Some(chain), Some(peer)) => Some(format!("{chain}, {peer}")),
            (chain, peer) => chain.or(peer),
        };
        Ok(Self {
            authorization: text(&parts.headers, header::AUTHORIZATION),
            user_agent: text(&parts.headers, header::USER_AGENT),
            forwarded_for,
        })
    }
}

/// The deprecated `?key=` of the original status endpoint.
#[derive(Debug, serde::Deserialize)]
pub struct LegacyKey {
    key: Option<String>,
}

impl CallContext {
    /// Uses `?key=<api key>` as the bearer credential when no Authorization header was sent.
    /// Deprecated: keys in URLs end up in logs and browser history.
    pub fn with_legacy_key(mut self, query: Option<Query<LegacyKey>>) -> Self {
        if self.authorization.is_none()
            && let Some(key) = query.and_then(|q| q.0.key).filter(|k| !k.trim().is_empty())
        {
            self.authorization = Some(format!("Bearer {}", key.trim()));
        }
        self
    }

    /// A gRPC request carrying the forwarded metadata and the gateway's deadline.
    pub fn request<T>(&self, gateway: &Gateway, message: T) -> tonic::Request<T> {
        let mut metadata = MetadataMap::new();
        let mut put = |name: &'static str, value: &Option<String>| {
            if let Some(value) = value
                .as_deref()
                .and_then(|v| MetadataValue::try_from(v).ok())
            {
                metadata.insert(name, value);
            }
        };
        put("authorization", &self.authorization);
        put("x-forwarded-user-agent", &self.user_agent);
        put("x-forwarded-for", &self.forwarded_for);
        let mut request = tonic::Request::from_parts(metadata, Default::default(), message);
        request.set_timeout(gateway.config.call_timeout);
        request
    }
}
