//! Native gRPC (HTTP/2 cleartext): validation, errors with details, reflection, health.

use gpubroker::proto::v1 as pb;
use tonic::Code;
use tonic_types::StatusExt;

use crate::helpers::spawn_app;

#[tokio::test]
async fn validate_ruc_over_grpc() {
    let app = spawn_app().await;
    let mut client = app.validation().await;
    let response = client
        .validate_ruc(pb::ValidateRucRequest {
            ruc: "1790011674001".into(),
            strict: false,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(response.valid);
    let check = response.check.unwrap();
    assert_eq!(check.entity_type(), pb::EntityType::PrivateCompany);
    assert_eq!(check.province_name, "Pichincha");
    assert_eq!(check.document_type(), pb::DocumentType::Ruc);
}

#[tokio::test]
async fn missing_field_is_invalid_argument_with_a_field_violation() {
    let app = spawn_app().await;
    let status = app
        .validation()
        .await
        .validate_cedula(pb::ValidateCedulaRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let details = status.get_error_details();
    let violations = &details.bad_request().unwrap().field_violations;
    assert_eq!(violations[0].field, "cedula");
}

#[tokio::test]
async fn signup_requirements_default_to_the_deployment_country() {
    let app = spawn_app().await;
    let mut client = app.validation().await;
    let ecuador = client
        .get_signup_requirements(pb::GetSignupRequirementsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ecuador.country_code, "EC");
    assert!(ecuador.requires_tax_id);
    assert_eq!(ecuador.language(), pb::Language::Es);
    let us = client
        .get_signup_requirements(pb::GetSignupRequirementsRequest {
            country_code: "us".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!us.requires_tax_id);
    let bad = client
        .get_signup_requirements(pb::GetSignupRequirementsRequest {
            country_code: "Ecuador".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("country_code"));
}

#[tokio::test]
async fn services_of_later_issues_answer_unimplemented() {
    let app = spawn_app().await;
    let mut payments = pb::payment_service_client::PaymentServiceClient::new(app.channel().await);
    let status = payments
        .get_payment_config(pb::GetPaymentConfigRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented);
    let status = app
        .validation()
        .await
        .send_phone_otp(pb::SendPhoneOtpRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented);
}

#[tokio::test]
async fn reflection_lets_a_generic_client_discover_the_services() {
    use tokio_stream::StreamExt;
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let app = spawn_app().await;
    let mut client = ServerReflectionClient::new(app.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let response = stream.next().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection response");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in [
        "gpubroker.v1.ValidationService",
        "gpubroker.v1.SubscriptionService",
        "gpubroker.v1.PaymentService",
        "gpubroker.v1.PodService",
        "gpubroker.v1.AgentBudgetService",
        "gpubroker.v1.AuthService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[tokio::test]
async fn standard_health_service_reports_serving() {
    use tonic_health::pb::{
        HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
    };
    let app = spawn_app().await;
    let mut client = HealthClient::new(app.channel().await);
    for service in ["", "gpubroker.v1.ValidationService"] {
        let response = client
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(response.status(), ServingStatus::Serving, "{service:?}");
    }
}
