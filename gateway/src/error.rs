//! The one gRPC → HTTP status table (grpc-gateway's `HTTPStatusFromCode`) and the error body
//! `{"code": <grpc code>, "message": "...", "details": [...]}` every REST error uses.

use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, Uri, header};
use serde_json::{Value, json};
use tonic::Code;
use tonic_types::StatusExt;

/// The HTTP status for a gRPC code. Exhaustive on purpose: a new code must be placed here.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        // nginx's "client closed request", as grpc-gateway uses.
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
        Code::InvalidArgument => StatusCode::BAD_REQUEST,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::FailedPrecondition => StatusCode::BAD_REQUEST,
        Code::Aborted => StatusCode::CONFLICT,
        Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error answered to a REST client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub message: String,
    pub details: Vec<Value>,
    /// Seconds to wait before retrying (google.rpc.RetryInfo), sent as `Retry-After` too.
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    /// An error whose HTTP status comes from the table.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            status: http_status(code),
            code,
            message: message.into(),
            details: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// A bad request about one field, with a google.rpc.BadRequest detail naming it.
    pub fn invalid_field(field: &str, problem: impl Into<String>) -> Self {
        let problem = problem.into();
        let mut error = Self::new(Code::InvalidArgument, format!("{field}: {problem}"));
        error.details.push(bad_request(&[(field, &problem)]));
        error
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({"code": self.code as i32, "message": self.message, "details": self.details})
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        let mut error = Self::new(status.code(), status.message());
        error.details = details_json(&status);
        error.retry_after_secs = status
            .get_details_retry_info()
            .and_then(|retry| retry.retry_delay)
            // Retry-After counts whole seconds: round up, so a client never comes back early.
            .map(|delay| delay.as_secs() + u64::from(delay.subsec_nanos() > 0));
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
        response
    }
}

fn bad_request(violations: &[(&str, &str)]) -> Value {
    json!({
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "field_violations": violations
            .iter()
            .map(|(field, description)| json!({"field": field, "description": description}))
            .collect::<Vec<_>>(),
    })
}

/// The google.rpc error details a service attached, in their proto3 JSON form.
fn details_json(status: &tonic::Status) -> Vec<Value> {
    status
        .get_error_details_vec()
        .into_iter()
        .filter_map(|detail| match detail {
            tonic_types::ErrorDetail::BadRequest(bad) => Some(bad_request(
                &bad.field_violations
                    .iter()
                    .map(|v| (v.field.as_str(), v.description.as_str()))
                    .collect::<Vec<_>>(),
            )),
            tonic_types::ErrorDetail::ErrorInfo(info) => Some(json!({
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": info.reason,
                "domain": info.domain,
                "metadata": info.metadata,
            })),
            tonic_types::ErrorDetail::PreconditionFailure(failure) => Some(json!({
                "@type": "type.googleapis.com/google.rpc.PreconditionFailure",
                "violations": failure.violations.iter().map(|v| json!({
                    "type": v.r#type, "subject": v.subject, "description": v.description,
                })).collect::<Vec<_>>(),
            })),
            tonic_types::ErrorDetail::RetryInfo(retry) => Some(json!({
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retry_delay": retry.retry_delay.map(|d| format!("{}s", d.as_secs_f64())),
            })),
            _ => None,
        })
        .collect()
}

/// Fallback for paths no route serves. gRPC clients get UNIMPLEMENTED the gRPC way.
pub async fn not_found(method: Method, uri: Uri, headers: http::HeaderMap) -> Response {
    let is_grpc = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"));
    if is_grpc {
        return tonic::Status::unimplemented(format!("unknown method {}", uri.path()))
            .into_http::<axum::body::Body>()
            .into_response();
    }
    ApiError::new(
        Code::NotFound,
        format!("no route for {method} {}", uri.path()),
    )
    .into_response()
}

/// A known path called with the wrong method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let mut error = ApiError::new(
        Code::Unimplemented,
        format!("method {method} is not allowed on {}", uri.path()),
    );
    error.status = StatusCode::METHOD_NOT_ALLOWED;
    error.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, pinned: changing a row must be a deliberate edit here.
    #[test]
    fn every_grpc_code_has_its_http_status() {
        let table = [
            (Code::Ok, 200),
            (Code::Cancelled, 499),
            (Code::Unknown, 500),
            (Code::InvalidArgument, 400),
            (Code::DeadlineExceeded, 504),
            (Code::NotFound, 404),
            (Code::AlreadyExists, 409),
            (Code::PermissionDenied, 403),
            (Code::ResourceExhausted, 429),
            (Code::FailedPrecondition, 400),
            (Code::Aborted, 409),
            (Code::OutOfRange, 400),
            (Code::Unimplemented, 501),
            (Code::Internal, 500),
            (Code::Unavailable, 503),
            (Code::DataLoss, 500),
            (Code::Unauthenticated, 401),
        ];
        assert_eq!(table.len(), 17);
        for (code, http) in table {
            assert_eq!(http_status(code).as_u16(), http, "{code:?}");
            let body = ApiError::from(tonic::Status::new(code, "boom")).body();
            assert_eq!(body["code"], code as i32);
            assert_eq!(body["message"], "boom");
            assert!(body["details"].is_array());
        }
    }

    #[test]
    fn bad_request_details_survive_the_conversion() {
        let status = tonic::Status::with_error_details(
            Code::InvalidArgument,
            "ruc: is required",
            tonic_types::ErrorDetails::with_bad_request_violation("ruc", "is required"),
        );
        let body = ApiError::from(status).body();
        assert_eq!(body["details"][0]["field_violations"][0]["field"], "ruc");
    }
}
