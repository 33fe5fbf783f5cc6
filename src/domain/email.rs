//! Email addresses, parsed and normalised once (trimmed, lower-cased) so that lookups, the
//! one-trial rule and customer counts agree on who a customer is.

use std::fmt;

/// A syntactically valid, normalised address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidEmail(&'static str);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(InvalidEmail("is required"));
        }
        if address.len() > 254 {
            return Err(InvalidEmail("is longer than 254 characters"));
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(InvalidEmail("must contain @"));
        };
        if local.is_empty() || local.len() > 64 {
            return Err(InvalidEmail("has an empty or too long local part"));
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(InvalidEmail("has characters not allowed before @"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !domain_ok {
            return Err(InvalidEmail("has an invalid domain"));
        }
        Ok(Self(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before @, used as a display name when none was given.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised() {
        let email = EmailAddress::parse("  Ana.Perez@Example.EC ").unwrap();
        assert_eq!(email.as_str(), "ana.perez@example.ec");
        assert_eq!(email.local_part(), "ana.perez");
    }

    #[test]
    fn bad_addresses_are_refused() {
        for bad in [
            "",
            "no-at",
            "@x.ec",
            "a@",
            "a@b",
            "a b@x.ec",
            "a@x..ec",
            "a@-x.ec",
            ".a@x.ec",
            "<script>@x.ec",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
