//! Checks of free-text request fields, shared by every use case: trimmed, bounded, and free of
//! control characters (so nothing can forge log lines or email headers).

use super::{ServiceError, ServiceResult};

fn checked(field: &str, value: &str, max: usize, multiline: bool) -> ServiceResult<String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(ServiceError::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(ServiceError::invalid(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

/// A one-line text field of at most `max` characters (may be empty).
pub fn text(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    checked(field, value, max, false)
}

/// A text field that may span lines (descriptions, notes).
pub fn multiline(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    checked(field, value, max, true)
}

/// A one-line text field that must not be empty.
pub fn required(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let value = text(field, value, max)?;
    if value.is_empty() {
        return Err(ServiceError::invalid(field, "is required"));
    }
    Ok(value)
}
