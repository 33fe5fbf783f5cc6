//! Ecuadorian mobile numbers in E.164 (`+593` then 9 digits starting with 9): the only numbers
//! phone verification accepts.

use std::fmt;

/// A normalised `+5939XXXXXXXX` number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EcuadorMobile(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidPhone(&'static str);

impl EcuadorMobile {
    /// Accepts `+593 99 123 4567`, `+593-991234567`, `(+593) 991234567`; spaces, dashes, dots and
    /// parentheses are ignored. Anything else, or another country, is refused.
    pub fn parse(input: &str) -> Result<Self, InvalidPhone> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let Some(national) = compact.strip_prefix("+593") else {
            return Err(InvalidPhone(
                "must be an Ecuadorian number in E.164 form (+593…)",
            ));
        };
        if national.len() != 9 || !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidPhone("must have 9 digits after +593"));
        }
        if !national.starts_with('9') {
            return Err(InvalidPhone("must be a mobile number (+593 9…)"));
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EcuadorMobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecuadorian_mobiles_are_normalised() {
        for input in ["+593991234567", "+593 99 123 4567", "(+593) 99-123-4567"] {
            assert_eq!(
                EcuadorMobile::parse(input).unwrap().as_str(),
                "+593991234567",
                "{input}"
            );
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for bad in [
            "",
            "0991234567",
            "+5939997202547",
            "+593221234567",
            "+1 415 555 0100",
            "+59399123456x",
            "+593 9912345",
        ] {
            assert!(EcuadorMobile::parse(bad).is_err(), "{bad}");
        }
    }
}
