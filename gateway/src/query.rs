//! GET requests: query parameters decoded into the RPC's request message (proto3 JSON rules).

use axum::extract::{FromRequestParts, Query};
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{ApiError, Gateway, body};

/// The query string as a request message: `?page_size=10&mode=PAYMENT_MODE_LIVE`.
#[derive(Debug)]
pub struct QueryMessage<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<Gateway> for QueryMessage<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &Gateway) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map_err(|e| ApiError::invalid_field("query", e.body_text()))?;
        let mut object = Map::new();
        for (key, value) in pairs {
            // Booleans are the only JSON type proto3 JSON will not read from a string.
            let value = match value.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(value),
            };
            object.insert(key, value);
        }
        body::decode(
            &serde_json::to_vec(&Value::Object(object)).unwrap_or_default(),
            "query",
        )
        .map(QueryMessage)
    }
}
