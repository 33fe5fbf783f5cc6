//! INVALID_ARGUMENT statuses that name the offending field, with a google.rpc.BadRequest detail
//! so clients can show the message next to the right input.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::domain::{email::EmailAddress, phone::EcuadorMobile, signup};

/// A field that failed validation: `field: problem`, plus a BadRequest field violation.
pub fn invalid(field: &str, problem: impl Into<String>) -> Status {
    let problem = problem.into();
    Status::with_error_details(
        Code::InvalidArgument,
        format!("{field}: {problem}"),
        ErrorDetails::with_bad_request_violation(field, problem),
    )
}

/// A request message whose fields `proto/` marks `(google.api.field_behavior) = REQUIRED` or
/// constrains with `(gpubroker.v1.rules)`; the impls are generated from those declarations by
/// `build.rs`, so the contract is the one place that says what a request must carry.
pub trait Contract {
    /// Records every field that is missing or breaks a rule.
    fn check(&self, check: &mut Check);
}

/// The fields a request gets wrong, in declaration order.
#[derive(Default)]
pub struct Check(Vec<FieldViolation>);

impl Check {
    /// A required string: present when not blank. (What it may contain is for its rules.)
    pub fn text(&mut self, field: &str, value: &str) {
        self.present(field, !value.trim().is_empty());
    }

    /// Any other required field, already tested for presence.
    pub fn present(&mut self, field: &str, present: bool) {
        if !present {
            self.refuse(field, "is required".into());
        }
    }

    /// A number within its bounds (zero included: proto3 cannot tell it from absent).
    pub fn range(&mut self, field: &str, value: i64, min: Option<i64>, max: Option<i64>) {
        let low = min.is_some_and(|min| value < min);
        let high = max.is_some_and(|max| value > max);
        if low || high {
            self.refuse(field, bounds_text(min, max, ""));
        }
    }

    /// A duration, when set, within its bounds in seconds.
    pub fn duration(
        &mut self,
        field: &str,
        value: Option<&prost_types::Duration>,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        let Some(value) = value else { return };
        let nanos = i128::from(value.seconds) * 1_000_000_000 + i128::from(value.nanos);
        let second = 1_000_000_000i128;
        let low = min.is_some_and(|min| nanos < i128::from(min) * second);
        let high = max.is_some_and(|max| nanos > i128::from(max) * second);
        if low || high {
            self.refuse(field, bounds_text(min, max, " seconds"));
        }
    }

    /// A string, when not empty, of a length within its bounds (in characters).
    pub fn length(&mut self, field: &str, value: &str, min: Option<u32>, max: Option<u32>) {
        if value.is_empty() {
            return;
        }
        let count = value.chars().count();
        if min.is_some_and(|min| count < min as usize) {
            self.refuse(
                field,
                format!("must have at least {} characters", min.unwrap_or(0)),
            );
        } else if max.is_some_and(|max| count > max as usize) {
            self.refuse(
                field,
                format!("must have at most {} characters", max.unwrap_or(0)),
            );
        }
    }

    /// One line: ids, names, keys and filters never hold control characters (PostgreSQL cannot
    /// even store a NUL).
    pub fn line(&mut self, field: &str, value: &str) {
        if value.chars().any(char::is_control) {
            self.refuse(field, "contains control characters".into());
        }
    }

    pub fn email(&mut self, field: &str, value: &str) {
        if let Err(error) = non_empty(value).map(EmailAddress::parse).transpose() {
            self.refuse(field, error.to_string());
        }
    }

    pub fn country_code(&mut self, field: &str, value: &str) {
        if non_empty(value).is_some_and(|code| signup::signup_requirements(code).is_err()) {
            self.refuse(
                field,
                "must be an ISO 3166-1 alpha-2 code (two letters)".into(),
            );
        }
    }

    pub fn ec_mobile(&mut self, field: &str, value: &str) {
        if let Err(error) = non_empty(value).map(EcuadorMobile::parse).transpose() {
            self.refuse(field, error.to_string());
        }
    }

    pub fn multiline(&mut self, field: &str, value: &str) {
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        {
            self.refuse(field, "contains control characters".into());
        }
    }

    pub fn pattern(&mut self, field: &str, value: &str, pattern: &regex::Regex) {
        if !value.is_empty() && !pattern.is_match(value) {
            self.refuse(field, format!("must match {}", pattern.as_str()));
        }
    }

    pub fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) {
        if !value.is_empty() && !allowed.contains(&value) {
            self.refuse(field, format!("must be one of: {}", allowed.join(", ")));
        }
    }

    fn refuse(&mut self, field: &str, problem: String) {
        // One violation per field: the first problem is the one to fix.
        if !self.0.iter().any(|v| v.field == field) {
            self.0.push(FieldViolation::new(field, problem));
        }
    }
}

fn non_empty(value: &str) -> Option<&str> {
    (!value.trim().is_empty()).then_some(value)
}

fn bounds_text(min: Option<i64>, max: Option<i64>, unit: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}{unit}"),
        (Some(min), None) => format!("must be at least {min}{unit}"),
        (None, Some(max)) => format!("must be at most {max}{unit}"),
        (None, None) => "is out of range".into(),
    }
}

/// OK when `message` carries every field the contract requires; otherwise INVALID_ARGUMENT with
/// one field violation per missing field, so a form can mark all of them at once.
pub fn check(message: &impl Contract) -> Result<(), Status> {
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

include!(concat!(env!("OUT_DIR"), "/field_checks.rs"));

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
