//! ValidationService: checks the request, calls the identity rules, converts the verdict.

use tonic::{Request, Response, Status};

use super::field::{self, required};
use crate::domain::identity::{
    self, DocumentType, EntityType, IdentityCheck, IdentityError, IdentityWarning, Strictness,
};
use crate::domain::signup::{self, Language, TaxIdFormat};
use crate::proto::{self, v1 as pb};
use crate::services::otp::PhoneVerification;
use pb::validation_service_server::ValidationService;

/// The gRPC face of the identity rules.
#[derive(Debug, Clone)]
pub struct ValidationApi {
    /// Used when GetSignupRequirements names no country.
    default_country: String,
    phone: PhoneVerification,
    /// Whether signups needing a tax id must also verify their phone.
    phone_required: bool,
}

impl ValidationApi {
    pub fn new(
        default_country: impl Into<String>,
        phone: PhoneVerification,
        phone_required: bool,
    ) -> Self {
        Self {
            default_country: default_country.into(),
            phone,
            phone_required,
        }
    }
}

fn strictness(strict: bool) -> Strictness {
    if strict {
        Strictness::Strict
    } else {
        Strictness::Lenient
    }
}

#[tonic::async_trait]
impl ValidationService for ValidationApi {
    async fn validate_cedula(
        &self,
        request: Request<pb::ValidateCedulaRequest>,
    ) -> Result<Response<pb::ValidateCedulaResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let cedula = required("cedula", &request.cedula)?;
        let check = identity::check_cedula(cedula, strictness(request.strict));
        Ok(Response::new(pb::ValidateCedulaResponse {
            valid: check.is_valid(),
            message: check.message().to_owned(),
            check: Some(to_proto(check)),
        }))
    }

    async fn validate_ruc(
        &self,
        request: Request<pb::ValidateRucRequest>,
    ) -> Result<Response<pb::ValidateRucResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let ruc = required("ruc", &request.ruc)?;
        let check = identity::check_ruc(ruc, strictness(request.strict));
        Ok(Response::new(pb::ValidateRucResponse {
            valid: check.is_valid(),
            message: check.message().to_owned(),
            check: Some(to_proto(check)),
        }))
    }

    async fn validate_identity(
        &self,
        request: Request<pb::ValidateIdentityRequest>,
    ) -> Result<Response<pb::ValidateIdentityResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let identifier = required("identifier", &request.identifier)?;
        let check = identity::check_identity(identifier, strictness(request.strict));
        Ok(Response::new(pb::ValidateIdentityResponse {
            valid: check.is_valid(),
            message: check.message().to_owned(),
            check: Some(to_proto(check)),
        }))
    }

    async fn send_phone_otp(
        &self,
        request: Request<pb::SendPhoneOtpRequest>,
    ) -> Result<Response<pb::SendPhoneOtpResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let phone = required("phone_number", &request.phone_number)?;
        let language = match pb::Language::try_from(request.language).unwrap_or_default() {
            pb::Language::En => Language::English,
            pb::Language::Es | pb::Language::Unspecified => Language::Spanish,
        };
        let sent = self.phone.send_code(phone, language).await?;
        Ok(Response::new(pb::SendPhoneOtpResponse {
            phone_number: sent.phone.to_string(),
            expires_at: Some(proto::timestamp(sent.expires_at)),
            sends_remaining: i32::try_from(sent.sends_remaining).unwrap_or(0),
        }))
    }

    async fn verify_phone_otp(
        &self,
        request: Request<pb::VerifyPhoneOtpRequest>,
    ) -> Result<Response<pb::VerifyPhoneOtpResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let phone = required("phone_number", &request.phone_number)?;
        let code = required("code", &request.code)?;
        let verification = self.phone.verify_code(phone, code).await?;
        Ok(Response::new(pb::VerifyPhoneOtpResponse {
            verified: verification.verified,
            attempts_remaining: i32::try_from(verification.attempts_remaining).unwrap_or(0),
            phone_verification_token: verification.proof.unwrap_or_default(),
        }))
    }

    async fn get_signup_requirements(
        &self,
        request: Request<pb::GetSignupRequirementsRequest>,
    ) -> Result<Response<pb::GetSignupRequirementsResponse>, Status> {
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let country = match request.country_code.trim() {
            "" => self.default_country.as_str(),
            given => given,
        };
        let requirements = signup::signup_requirements(country)
            .map_err(|e| super::field::invalid("country_code", e.to_string()))?;
        Ok(Response::new(pb::GetSignupRequirementsResponse {
            country_code: requirements.country_code,
            requires_tax_id: requirements.requires_tax_id,
            tax_id_name: requirements.tax_id_name.to_owned(),
            tax_id_formats: requirements
                .tax_id_formats
                .iter()
                .map(|format| match format {
                    TaxIdFormat::Ruc => pb::TaxIdFormat::Ruc as i32,
                    TaxIdFormat::Cedula => pb::TaxIdFormat::Cedula as i32,
                })
                .collect(),
            language: match requirements.language {
                Language::Spanish => pb::Language::Es,
                Language::English => pb::Language::En,
            } as i32,
            requires_phone_verification: requirements.requires_tax_id && self.phone_required,
        }))
    }
}

fn to_proto(check: IdentityCheck) -> pb::IdentityCheck {
    let province_name = check
        .province_code
        .as_deref()
        .and_then(identity::province_name)
        .unwrap_or_default()
        .to_owned();
    pb::IdentityCheck {
        valid: check.is_valid(),
        message: check.message().to_owned(),
        document_type: match check.document_type {
            None => pb::DocumentType::Unspecified,
            Some(DocumentType::Cedula) => pb::DocumentType::Cedula,
            Some(DocumentType::Ruc) => pb::DocumentType::Ruc,
        } as i32,
        entity_type: match check.entity_type {
            None => pb::EntityType::Unspecified,
            Some(EntityType::NaturalPerson) => pb::EntityType::NaturalPerson,
            Some(EntityType::ForeignResident) => pb::EntityType::ForeignResident,
            Some(EntityType::PublicEntity) => pb::EntityType::PublicEntity,
            Some(EntityType::PrivateCompany) => pb::EntityType::PrivateCompany,
        } as i32,
        province_code: check.province_code.unwrap_or_default(),
        province_name,
        establishment: check.establishment.unwrap_or_default(),
        check_digit_verified: check.check_digit_verified,
        warnings: check
            .warnings
            .iter()
            .map(|warning| {
                (match warning {
                    IdentityWarning::CheckDigitNotVerified => {
                        pb::IdentityWarning::CheckDigitNotVerified
                    }
                    IdentityWarning::EstablishmentNotPrincipal => {
                        pb::IdentityWarning::EstablishmentNotPrincipal
                    }
                    IdentityWarning::ProvinceUndocumented => {
                        pb::IdentityWarning::ProvinceUndocumented
                    }
                    IdentityWarning::EntityTypeAmbiguous => {
                        pb::IdentityWarning::EntityTypeAmbiguous
                    }
                    IdentityWarning::PublicFormulaFallback => {
                        pb::IdentityWarning::PublicFormulaFallback
                    }
                }) as i32
            })
            .collect(),
        error_code: match check.error {
            None => pb::IdentityErrorCode::Unspecified,
            Some(IdentityError::Length) => pb::IdentityErrorCode::Length,
            Some(IdentityError::Format) => pb::IdentityErrorCode::Format,
            Some(IdentityError::Province) => pb::IdentityErrorCode::Province,
            Some(IdentityError::ThirdDigit) => pb::IdentityErrorCode::ThirdDigit,
            Some(IdentityError::Establishment) => pb::IdentityErrorCode::Establishment,
            Some(IdentityError::Checksum) => pb::IdentityErrorCode::Checksum,
        } as i32,
        strict: check.strictness == Strictness::Strict,
        normalized: check.normalized,
    }
}
