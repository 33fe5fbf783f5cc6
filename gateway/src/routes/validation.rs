//! Public validation routes of the original API, and its health check.

use axum::{extract::State, routing};
use http::Method;
use serde_json::json;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson};
use crate::proto::v1 as pb;
use crate::{ApiError, Gateway};

pub(super) const HEALTH: RestRoute = RestRoute {
    method: Method::GET,
    path: "/api/v2/admin/public/health",
    summary: "Service health, as the standard gRPC health check sees it",
    tag: "health",
    request: None,
    response: "HealthResponse",
    handler: || routing::get(health),
};

pub(super) const VALIDATE_RUC: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/validate/ruc",
    summary: "Validate an Ecuadorian RUC (13 digits). An invalid RUC is 200 with valid=false.",
    tag: "validation",
    request: Some("gpubroker.v1.ValidateRucRequest"),
    response: "gpubroker.v1.ValidateRucResponse",
    handler: || routing::post(validate_ruc),
};

pub(super) const VALIDATE_CEDULA: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/validate/cedula",
    summary: "Validate an Ecuadorian cédula (10 digits). An invalid one is 200 with valid=false.",
    tag: "validation",
    request: Some("gpubroker.v1.ValidateCedulaRequest"),
    response: "gpubroker.v1.ValidateCedulaResponse",
    handler: || routing::post(validate_cedula),
};

pub(super) const VALIDATE_IDENTITY: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/validate/identity",
    summary: "Validate a cédula (10 digits) or RUC (13 digits).",
    tag: "validation",
    request: Some("gpubroker.v1.ValidateIdentityRequest"),
    response: "gpubroker.v1.ValidateIdentityResponse",
    handler: || routing::post(validate_identity),
};

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

async fn validate_ruc(
    State(gateway): State<Gateway>,
    ProtoJson(request): ProtoJson<pb::ValidateRucRequest>,
) -> Result<JsonMessage<pb::ValidateRucResponse>, ApiError> {
    let response = gateway
        .validation()
        .validate_ruc(gateway.request(request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn validate_cedula(
    State(gateway): State<Gateway>,
    ProtoJson(request): ProtoJson<pb::ValidateCedulaRequest>,
) -> Result<JsonMessage<pb::ValidateCedulaResponse>, ApiError> {
    let response = gateway
        .validation()
        .validate_cedula(gateway.request(request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn validate_identity(
    State(gateway): State<Gateway>,
    ProtoJson(request): ProtoJson<pb::ValidateIdentityRequest>,
) -> Result<JsonMessage<pb::ValidateIdentityResponse>, ApiError> {
    let response = gateway
        .validation()
        .validate_identity(gateway.request(request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}
