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
async fn budget_calls_without_a_credential_are_unauthenticated() {
    let app = spawn_app().await;
    let mut budgets =
        pb::agent_budget_service_client::AgentBudgetServiceClient::new(app.channel().await);
    let status = budgets
        .get_budget(pb::GetBudgetRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
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

#[tokio::test]
async fn subscriptions_and_login_over_native_grpc() {
    use gpubroker::domain::role::Role;
    let app = spawn_app().await;
    let channel = app.channel().await;
    let mut subscriptions =
        pb::subscription_service_client::SubscriptionServiceClient::new(channel.clone());
    let created = subscriptions
        .create_subscription(pb::CreateSubscriptionRequest {
            email: "grpc@example.ec".into(),
            plan: pb::Plan::Trial as i32,
            tax_id: "1713488185".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut request = tonic::Request::new(pb::GetSubscriptionStatusRequest {});
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", created.api_key).parse().unwrap(),
    );
    let status = subscriptions
        .get_subscription_status(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.subscription_id, created.subscription_id);
    assert_eq!(status.status(), pb::SubscriptionStatus::PendingActivation);
    let unauthenticated = subscriptions
        .get_subscription_status(pb::GetSubscriptionStatusRequest {})
        .await
        .unwrap_err();
    assert_eq!(unauthenticated.code(), Code::Unauthenticated);

    // Login over gRPC: the audit log records the TCP peer, not a claimed address.
    let email = app.create_admin(Role::SuperAdmin).await;
    let mut auth = pb::auth_service_client::AuthServiceClient::new(channel);
    let mut login = tonic::Request::new(pb::LoginRequest {
        email,
        password: crate::helpers::ADMIN_PASSWORD.into(),
    });
    login
        .metadata_mut()
        .insert("x-forwarded-for", "198.51.100.1".parse().unwrap());
    let tokens = auth.login(login).await.unwrap().into_inner();
    let mut list = tonic::Request::new(pb::ListAuditLogRequest {
        action: "auth.login".into(),
        ..Default::default()
    });
    list.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", tokens.access_token).parse().unwrap(),
    );
    let entries = auth
        .list_audit_log(list)
        .await
        .unwrap()
        .into_inner()
        .entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].client_ip, "127.0.0.1");
}
