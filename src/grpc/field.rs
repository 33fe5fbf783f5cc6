//! INVALID_ARGUMENT statuses that name the offending field, with a google.rpc.BadRequest detail
//! so clients can show the message next to the right input.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// A field that failed validation: `field: problem`, plus a BadRequest field violation.
pub fn invalid(field: &str, problem: impl Into<String>) -> Status {
    let problem = problem.into();
    Status::with_error_details(
        Code::InvalidArgument,
        format!("{field}: {problem}"),
        ErrorDetails::with_bad_request_violation(field, problem),
    )
}

/// The value of a required string field, or INVALID_ARGUMENT naming it.
pub fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, Status> {
    if value.trim().is_empty() {
        Err(invalid(field, "is required"))
    } else {
        Ok(value)
    }
}

/// An optional `google.protobuf.Timestamp` field as UTC time, or INVALID_ARGUMENT naming it.
pub fn timestamp(
    value: Option<prost_types::Timestamp>,
    field: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Status> {
    value
        .map(|ts| {
            u32::try_from(ts.nanos)
                .ok()
                .and_then(|nanos| chrono::DateTime::from_timestamp(ts.seconds, nanos))
                .ok_or_else(|| invalid(field, "is out of range"))
        })
        .transpose()
}
