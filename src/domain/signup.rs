//! What a signup from a given country must provide.

/// Accepted tax-id documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxIdFormat {
    Ruc,
    Cedula,
}

/// Language of customer-facing messages and emails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Spanish,
    English,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Spanish => "es",
            Language::English => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "es" => Some(Language::Spanish),
            "en" => Some(Language::English),
            _ => None,
        }
    }
}

/// Requirements for customers from one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupRequirements {
    /// Upper-case ISO 3166-1 alpha-2.
    pub country_code: String,
    pub requires_tax_id: bool,
    pub tax_id_name: &'static str,
    pub tax_id_formats: &'static [TaxIdFormat],
    pub language: Language,
}

/// A country code that is not two ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("country_code must be an ISO 3166-1 alpha-2 code (two letters), got {0:?}")]
pub struct InvalidCountryCode(pub String);

/// Requirements for `country_code` (case-insensitive). Ecuador needs a RUC or cédula, in Spanish;
/// every other country needs none, in English. (Whether a tax-id country also needs a verified
/// phone is deployment configuration: `subscriptions.require_phone_verification`.)
pub fn signup_requirements(country_code: &str) -> Result<SignupRequirements, InvalidCountryCode> {
    let code = country_code.trim().to_ascii_uppercase();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(InvalidCountryCode(country_code.to_owned()));
    }
    let ecuador = code == "EC";
    Ok(SignupRequirements {
        country_code: code,
        requires_tax_id: ecuador,
        tax_id_name: if ecuador { "RUC/Cédula" } else { "" },
        tax_id_formats: if ecuador {
            &[TaxIdFormat::Ruc, TaxIdFormat::Cedula]
        } else {
            &[]
        },
        language: if ecuador {
            Language::Spanish
        } else {
            Language::English
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecuador_requires_a_tax_id_in_spanish() {
        let req = signup_requirements("ec").unwrap();
        assert_eq!(req.country_code, "EC");
        assert!(req.requires_tax_id);
        assert_eq!(req.tax_id_formats, &[TaxIdFormat::Ruc, TaxIdFormat::Cedula]);
        assert_eq!(req.language, Language::Spanish);
    }

    #[test]
    fn other_countries_need_nothing() {
        let req = signup_requirements("US").unwrap();
        assert!(!req.requires_tax_id);
        assert!(req.tax_id_formats.is_empty());
        assert_eq!(req.language, Language::English);
    }

    #[test]
    fn malformed_codes_are_rejected() {
        for bad in ["", "E", "ECU", "1A", "é"] {
            assert!(signup_requirements(bad).is_err(), "{bad}");
        }
    }
}
