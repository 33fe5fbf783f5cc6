//! Ecuadorian identity numbers: the cédula (10 digits) and the RUC (13 digits).
//!
//! The rules are python-stdnum's (`stdnum.ec.ci`, `stdnum.ec.ruc`, version 2.2), checked in its
//! order so error codes line up: length, format, province, third digit, establishment, checksum.
//! Strict checks give exactly stdnum's verdict on any input. The default (lenient) checks differ in
//! one way only: a checksum failure on a public-entity or company RUC (third digit 6 or 9) is valid
//! with the warning `CheckDigitNotVerified`, because the SRI issues real company RUCs that fail
//! mod-11 (python-stdnum issue #497).

mod normalize;
mod province;
mod stdnum_chars;

use normalize::compact;
pub use province::province_name;

/// Which document a number was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentType {
    Cedula,
    Ruc,
}

/// Who holds the number, read from the third digit and the check-digit formula that verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityType {
    NaturalPerson,
    ForeignResident,
    PublicEntity,
    PrivateCompany,
}

/// The first rule a number breaks, in checking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityError {
    Length,
    Format,
    Province,
    ThirdDigit,
    Establishment,
    Checksum,
}

/// Remarks on a valid number; they never make it invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityWarning {
    CheckDigitNotVerified,
    EstablishmentNotPrincipal,
    ProvinceUndocumented,
    EntityTypeAmbiguous,
    PublicFormulaFallback,
}

/// Strict: stdnum's verdict. Lenient (the default): company/public RUC checksum failures warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    #[default]
    Lenient,
    Strict,
}

/// The full verdict on one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityCheck {
    /// The input after stdnum's compaction (spaces and dashes removed, digit variants folded).
    pub normalized: String,
    /// `None` when the length matches neither document (identity checks only).
    pub document_type: Option<DocumentType>,
    pub entity_type: Option<EntityType>,
    /// Two digits, once the length and format are right.
    pub province_code: Option<String>,
    pub establishment: Option<String>,
    pub check_digit_verified: bool,
    pub warnings: Vec<IdentityWarning>,
    pub error: Option<IdentityError>,
    pub strictness: Strictness,
}

impl IdentityCheck {
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }

    /// The verdict in Spanish, worded as the original clients showed it.
    pub fn message(&self) -> &'static str {
        match (self.error, self.document_type) {
            (None, Some(DocumentType::Ruc)) if !self.check_digit_verified => {
                "RUC válido (dígito verificador no verificado)"
            }
            (None, Some(DocumentType::Ruc)) => "RUC válido",
            (None, _) => "Cédula válida",
            (Some(IdentityError::Length), Some(DocumentType::Ruc)) => "RUC debe tener 13 dígitos",
            (Some(IdentityError::Length), Some(DocumentType::Cedula)) => {
                "Cédula debe tener 10 dígitos"
            }
            (Some(IdentityError::Length), None) => "Ingrese RUC (13 dígitos) o Cédula (10 dígitos)",
            (Some(IdentityError::Format), _) => "Solo se permiten dígitos",
            (Some(IdentityError::Province), _) => "Código de provincia inválido",
            (Some(IdentityError::ThirdDigit), _) => "Tercer dígito inválido",
            (Some(IdentityError::Establishment), _) => "Código de establecimiento inválido",
            (Some(IdentityError::Checksum), _) => "Dígito verificador inválido",
        }
    }
}

/// Checks a cédula.
pub fn check_cedula(input: &str, strictness: Strictness) -> IdentityCheck {
    let mut check = IdentityCheck::new(compact(input), Some(DocumentType::Cedula), strictness);
    if let Err(error) = check.cedula_rules(10) {
        check.fail(error);
    }
    check
}

/// Checks a RUC.
pub fn check_ruc(input: &str, strictness: Strictness) -> IdentityCheck {
    let mut check = IdentityCheck::new(compact(input), Some(DocumentType::Ruc), strictness);
    if let Err(error) = check.ruc_rules() {
        check.fail(error);
    }
    check
}

/// Checks a number as a RUC when it has 13 characters, as a cédula when it has 10.
pub fn check_identity(input: &str, strictness: Strictness) -> IdentityCheck {
    let normalized = compact(input);
    match normalized.chars().count() {
        13 => check_ruc(input, strictness),
        10 => check_cedula(input, strictness),
        _ => {
            let mut check = IdentityCheck::new(normalized, None, strictness);
            check.fail(IdentityError::Length);
            check
        }
    }
}

impl IdentityCheck {
    fn new(
        normalized: String,
        document_type: Option<DocumentType>,
        strictness: Strictness,
    ) -> Self {
        Self {
            normalized,
            document_type,
            entity_type: None,
            province_code: None,
            establishment: None,
            check_digit_verified: false,
            warnings: Vec::new(),
            error: None,
            strictness,
        }
    }

    fn fail(&mut self, error: IdentityError) {
        self.error = Some(error);
        self.check_digit_verified = false;
        self.warnings.clear();
    }

    fn warn(&mut self, warning: IdentityWarning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Length, format and province: common to both documents. Returns the ASCII digits.
    fn common_rules(&mut self, length: usize) -> Result<Vec<u8>, IdentityError> {
        if self.normalized.chars().count() != length {
            return Err(IdentityError::Length);
        }
        let digits: Vec<u8> = self
            .normalized
            .bytes()
            .map(|b| b.wrapping_sub(b'0'))
            .collect();
        if digits.iter().any(|d| *d > 9) {
            return Err(IdentityError::Format);
        }
        let province = &self.normalized[..2];
        self.province_code = Some(province.to_owned());
        match province {
            "50" => self.warn(IdentityWarning::ProvinceUndocumented),
            "30" => {}
            code if ("01"..="24").contains(&code) => {}
            _ => return Err(IdentityError::Province),
        }
        Ok(digits)
    }

    /// stdnum `ci.validate`, applied to the first 10 digits of a number of `length` digits.
    fn cedula_rules(&mut self, length: usize) -> Result<(), IdentityError> {
        let digits = self.common_rules(length)?;
        if digits[2] > 6 {
            return Err(IdentityError::ThirdDigit);
        }
        self.entity_type = Some(if digits[2] == 6 {
            EntityType::ForeignResident
        } else {
            EntityType::NaturalPerson
        });
        if length == 13 && self.normalized.ends_with("000") {
            return Err(IdentityError::Establishment);
        }
        if !cedula_checksum_ok(&digits[..10]) {
            return Err(IdentityError::Checksum);
        }
        self.check_digit_verified = true;
        Ok(())
    }

    fn ruc_rules(&mut self) -> Result<(), IdentityError> {
        let digits = self.common_rules(13)?;
        match digits[2] {
            0..=5 => {
                self.cedula_rules(13)?;
                self.set_establishment(3);
                Ok(())
            }
            6 => self.public_or_natural_rules(&digits),
            9 => self.company_rules(&digits),
            _ => Err(IdentityError::ThirdDigit),
        }
    }

    /// Third digit 6: stdnum tries the public formula, then the natural (cédula) one, and reports
    /// the natural path's error.
    fn public_or_natural_rules(&mut self, digits: &[u8]) -> Result<(), IdentityError> {
        let public_ok = public_rules_ok(digits);
        let natural = self.cedula_rules(13);
        let public_entity = public_ok && (digits[9] == 0 || natural.is_err());
        if public_ok && natural.is_ok() {
            self.warn(IdentityWarning::EntityTypeAmbiguous);
        }
        let lenient_checksum =
            natural == Err(IdentityError::Checksum) && self.strictness == Strictness::Lenient;
        if public_entity || (lenient_checksum && digits[9] == 0) {
            self.entity_type = Some(EntityType::PublicEntity);
            self.set_establishment(4);
        } else {
            self.entity_type = Some(EntityType::ForeignResident);
            self.set_establishment(3);
        }
        if public_ok {
            self.check_digit_verified = true;
            return Ok(());
        }
        match natural {
            Err(IdentityError::Checksum) if lenient_checksum => {
                self.check_digit_verified = false;
                self.warn(IdentityWarning::CheckDigitNotVerified);
                Ok(())
            }
            other => other,
        }
    }

    /// Third digit 9: a private company (mod-11 on 10 digits). stdnum also accepts the public
    /// formula, which verifies by coincidence for about 1 in 11 numbers, so that path is reported
    /// as unverified.
    fn company_rules(&mut self, digits: &[u8]) -> Result<(), IdentityError> {
        self.entity_type = Some(EntityType::PrivateCompany);
        self.set_establishment(3);
        let establishment_ok = !self.normalized.ends_with("000");
        if establishment_ok && mod11_ok(&digits[..10], &[4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) {
            self.check_digit_verified = true;
            return Ok(());
        }
        if public_rules_ok(digits) {
            self.warn(IdentityWarning::CheckDigitNotVerified);
            self.warn(IdentityWarning::PublicFormulaFallback);
            return Ok(());
        }
        if !establishment_ok {
            return Err(IdentityError::Establishment);
        }
        match self.strictness {
            Strictness::Strict => Err(IdentityError::Checksum),
            Strictness::Lenient => {
                self.warn(IdentityWarning::CheckDigitNotVerified);
                Ok(())
            }
        }
    }

    fn set_establishment(&mut self, width: usize) {
        let establishment = self.normalized[13 - width..].to_owned();
        let principal = if width == 4 { "0001" } else { "001" };
        if establishment != principal {
            self.warn(IdentityWarning::EstablishmentNotPrincipal);
        }
        self.establishment = Some(establishment);
    }
}

/// stdnum `ruc._validate_public`: establishment (last 4) not 0000 and mod-11 over 9 digits.
fn public_rules_ok(digits: &[u8]) -> bool {
    digits[9..] != [0, 0, 0, 0] && mod11_ok(&digits[..9], &[3, 2, 7, 6, 5, 4, 3, 2, 1])
}

/// Weighted sum, check digit included with weight 1, divisible by 11.
fn mod11_ok(digits: &[u8], weights: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    sum.is_multiple_of(11)
}

/// Luhn-like mod 10 with weights 2,1,2,1,… over all 10 digits (check digit included).
fn cedula_checksum_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let product = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            if product > 9 { product - 9 } else { product }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests;
