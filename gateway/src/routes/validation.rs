//! Public validation routes of the original API, and its health check.

use axum::{extract::State, routing};
use http::Method;
use serde_json::json;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson};
use crate::context::CallContext;
use crate::proto::v1 as pb;
use crate::query::QueryMessage;
use crate::{ApiError, Gateway};

pub(super) const HEALTH: RestRoute = RestRoute {
    method: Method::GET,
    path: "/api/v2/admin/public/health",
    summary: "Service health, as the standard gRPC health check sees it",
    tag: "health",
    rpc: "check",
    request: None,
    response: "HealthResponse",
    handler: || routing::get(health),
};

body_route!(
    "validation",
    VALIDATE_RUC,
    "/api/v2/admin/public/validate/ruc",
    "Validate an Ecuadorian RUC (13 digits). An invalid RUC is 200 with valid=false.",
    ValidateRucRequest,
    ValidateRucResponse,
    validation,
    validate_ruc
);

body_route!(
    "validation",
    VALIDATE_CEDULA,
    "/api/v2/admin/public/validate/cedula",
    "Validate an Ecuadorian cédula (10 digits). An invalid one is 200 with valid=false.",
    ValidateCedulaRequest,
    ValidateCedulaResponse,
    validation,
    validate_cedula
);

body_route!(
    "validation",
    VALIDATE_IDENTITY,
    "/api/v2/admin/public/validate/identity",
    "Validate a cédula (10 digits) or RUC (13 digits).",
    ValidateIdentityRequest,
    ValidateIdentityResponse,
    validation,
    validate_identity
);

async fn health(State(gateway): State<Gateway>) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let request = gateway.request(tonic_health::pb::HealthCheckRequest {
        service: String::new(),
    });
    let response = gateway.health().check(request).await?.into_inner();
    let serving =
        response.status == tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
    if !serving {
        return Err(ApiError::new(
            tonic::Code::Unavailable,
            "service is not serving",
        ));
    }
    Ok(JsonMessage(json!({"status": "ok", "service": "gpubroker"})).into_response())
}

pub(super) const SEND_OTP: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/phone/send-otp",
    summary: "Send a 6-digit code by SMS to an Ecuadorian mobile (+593 9…). At most 3 per number per hour.",
    tag: "validation",
    rpc: "send_phone_otp",
    request: Some("gpubroker.v1.SendPhoneOtpRequest"),
    response: "gpubroker.v1.SendPhoneOtpResponse",
    handler: || routing::post(send_otp),
};

pub(super) const VERIFY_OTP: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/phone/verify",
    summary: "Check a code: a wrong code is verified=false; after 5 wrong attempts, or after 10 minutes, the code is unusable (400).",
    tag: "validation",
    rpc: "verify_phone_otp",
    request: Some("gpubroker.v1.VerifyPhoneOtpRequest"),
    response: "gpubroker.v1.VerifyPhoneOtpResponse",
    handler: || routing::post(verify_otp),
};

async fn send_otp(
    State(gateway): State<Gateway>,
    ProtoJson(request): ProtoJson<pb::SendPhoneOtpRequest>,
) -> Result<JsonMessage<pb::SendPhoneOtpResponse>, ApiError> {
    let response = gateway
        .validation()
        .send_phone_otp(gateway.request(request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn verify_otp(
    State(gateway): State<Gateway>,
    ProtoJson(request): ProtoJson<pb::VerifyPhoneOtpRequest>,
) -> Result<JsonMessage<pb::VerifyPhoneOtpResponse>, ApiError> {
    let response = gateway
        .validation()
        .verify_phone_otp(gateway.request(request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

query_route!(
    "validation",
    GEO_DETECT,
    "/api/v2/admin/public/geo/detect",
    "What a signup needs (tax id? which formats? language) for `country_code`, or for the deployment's country when empty. The original's `force_country` is gone: the server decides the signup country.",
    GetSignupRequirementsRequest,
    GetSignupRequirementsResponse,
    validation,
    get_signup_requirements
);
