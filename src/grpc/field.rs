//! INVALID_ARGUMENT statuses that name the offending field, with a google.rpc.BadRequest detail
//! so clients can show the message next to the right input.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// A field that failed validation: `field: problem`, plus a BadRequest field violation.
pub fn invalid(field: &str, problem: impl Into<String>) -> Status {
    let problem = problem.into();
    Status::with_error_details(
        Code::InvalidArgument,
        format!("{field}: {problem}"),
        ErrorDetails::with_bad_request_violation(field, problem),
    )
}

/// A request message whose fields `proto/` marks `(google.api.field_behavior) = REQUIRED`; the
/// impls are generated from those marks by `build.rs`, so the contract is the one place that
/// says which fields a request must carry.
pub trait Required {
    /// Records every required field that is missing.
    fn check(&self, check: &mut Check);
}

/// The required fields a request is missing, in declaration order.
#[derive(Default)]
pub struct Check(Vec<FieldViolation>);

impl Check {
    /// A required string: present when not blank. (What it may contain is the handler's and
    /// the domain's business: free text may hold newlines, an id may not.)
    pub fn text(&mut self, field: &str, value: &str) {
        self.present(field, !value.trim().is_empty());
    }

    /// Any other required field, already tested for presence.
    pub fn present(&mut self, field: &str, present: bool) {
        if !present {
            self.0.push(FieldViolation::new(field, "is required"));
        }
    }
}

/// OK when `message` carries every field the contract requires; otherwise INVALID_ARGUMENT with
/// one field violation per missing field, so a form can mark all of them at once.
pub fn check(message: &impl Required) -> Result<(), Status> {
    let mut check = Check::default();
    message.check(&mut check);
    if check.0.is_empty() {
        return Ok(());
    }
    let text: Vec<String> = check
        .0
        .iter()
        .map(|v| format!("{}: {}", v.field, v.description))
        .collect();
    Err(Status::with_error_details(
        Code::InvalidArgument,
        text.join("; "),
        ErrorDetails::with_bad_request(check.0),
    ))
}

include!(concat!(env!("OUT_DIR"), "/required_fields.rs"));

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

    #[test]
    fn a_check_names_every_missing_field_of_the_contract() {
        use crate::proto::v1::{CreateSubscriptionRequest, VerifyPhoneOtpRequest};
        let refused = check(&VerifyPhoneOtpRequest {
            phone_number: " ".into(),
            code: String::new(),
        })
        .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert_eq!(
            refused.message(),
            "phone_number: is required; code: is required"
        );
        let fields: Vec<String> = refused
            .get_error_details()
            .bad_request()
            .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["phone_number", "code"]);
        let plan = check(&CreateSubscriptionRequest {
            email: "ana@example.ec".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(plan.message(), "plan: is required");
        assert!(
            check(&VerifyPhoneOtpRequest {
                phone_number: "+593991234567".into(),
                code: "123456".into(),
            })
            .is_ok()
        );
    }
}
