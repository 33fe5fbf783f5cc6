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

/// The value of a required string field, or INVALID_ARGUMENT naming it. Ids, keys and names never
/// hold control characters (PostgreSQL cannot even store a NUL), so those are refused here too.
pub fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, Status> {
    if value.trim().is_empty() {
        Err(invalid(field, "is required"))
    } else {
        no_control_characters(field, value)
    }
}

/// An optional one-line filter: trimmed, `None` when empty, INVALID_ARGUMENT naming the field when
/// it holds control characters.
pub fn optional(field: &str, value: &str) -> Result<Option<String>, Status> {
    let value = no_control_characters(field, value.trim())?;
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

fn no_control_characters<'a>(field: &str, value: &'a str) -> Result<&'a str, Status> {
    if value.chars().any(char::is_control) {
        Err(invalid(field, "contains control characters"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        assert_eq!(required("id", "sub_1").unwrap(), "sub_1");
        let refused = required("id", "sub\u{0}1").unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert!(
            refused.message().starts_with("id:"),
            "{}",
            refused.message()
        );
        assert_eq!(optional("model", "  ").unwrap(), None);
        assert_eq!(optional("model", " gpt ").unwrap().as_deref(), Some("gpt"));
        assert!(optional("model", "g\u{0}").is_err());
    }
}
