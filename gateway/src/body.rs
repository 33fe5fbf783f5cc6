//! Request and response bodies: proto3 JSON (snake_case names) of the RPC messages.

use axum::{
    body::Body,
    extract::{FromRequest, Request},
    response::{IntoResponse, Response},
};
use http::{StatusCode, header};
use serde::{Serialize, de::DeserializeOwned};

use crate::{ApiError, Gateway};

/// A JSON request body decoded into a message, refused with 400 and a clear message when the
/// content type is wrong, the body is too large, or the JSON does not fit the message.
#[derive(Debug)]
pub struct ProtoJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Gateway> for ProtoJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, gateway: &Gateway) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json")
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::invalid_field(
                "Content-Type",
                "must be application/json",
            ));
        }
        let limit = gateway.config.max_body_bytes;
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| {
                ApiError::invalid_field("body", format!("is larger than {limit} bytes"))
            })?;
        decode(&bytes, "body").map(ProtoJson)
    }
}

/// Decodes a JSON object into a message; errors name `source` (the body or the query).
pub fn decode<T: DeserializeOwned>(bytes: &[u8], source: &str) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid_field(source, "must be a JSON object"));
    }
    serde_json::from_slice(bytes)
        .or_else(|e| {
            // proto3 JSON takes an integral number written with a fraction or an exponent (`55.0`,
            // `1e3`) for an integer field, which the generated decoder refuses: such a body is
            // decoded again with those numbers written as integers. Only on this rare path.
            let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                return Err(e);
            };
            integral_numbers_as_integers(&mut value);
            T::deserialize(value).map_err(|_| e)
        })
        .map_err(|e| {
            let problem = if e.is_syntax() || e.is_eof() {
                format!("is not valid JSON: {e}")
            } else {
                format!("does not match the request message: {e}")
            };
            ApiError::invalid_field(source, problem)
        })
}

fn integral_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let integral = number
                .as_f64()
                .filter(|f| number.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15);
            if let Some(f) = integral {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

/// A message answered as proto3 JSON with 200.
#[derive(Debug)]
pub struct JsonMessage<T>(pub T);

impl<T: Serialize> IntoResponse for JsonMessage<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from(bytes),
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "response did not serialise");
                ApiError::new(tonic::Code::Internal, "internal error").into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::v1::LogDecisionRequest;

    #[test]
    fn integral_numbers_with_a_fraction_fit_integer_fields() {
        let decoded: LogDecisionRequest =
            decode(br#"{"confidence_percent": 55.0, "title": "t"}"#, "body").unwrap();
        assert_eq!(decoded.confidence_percent, 55);
        let refused = decode::<LogDecisionRequest>(br#"{"confidence_percent": 55.5}"#, "body");
        assert!(refused.is_err());
    }
}
