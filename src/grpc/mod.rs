//! gRPC services: handlers convert proto ↔ domain and delegate; nothing else lives here.

pub mod auth;
pub mod budget;
pub mod context;
pub mod conversions;
pub mod error;
pub mod field;
pub mod guard;
pub mod payment;
pub mod pod;
pub mod subscription;
pub mod validation;

use tonic::service::Routes;
use tonic_health::server::HealthReporter;

use crate::proto::{self, v1 as pb};
use pb::{
    agent_budget_service_server::AgentBudgetServiceServer, auth_service_server::AuthServiceServer,
    payment_service_server::PaymentServiceServer, pod_service_server::PodServiceServer,
    subscription_service_server::SubscriptionServiceServer,
    validation_service_server::ValidationServiceServer,
};

/// Dependencies of the gRPC services.
#[derive(Debug, Clone)]
pub struct Services {
    pub validation: validation::ValidationApi,
    pub subscription: subscription::SubscriptionApi,
    pub auth: auth::AuthApi,
    pub pod: pod::PodApi,
    pub payment: payment::PaymentApi,
    pub budget: budget::BudgetApi,
}

/// Every service of the contract plus the standard health and reflection services.
pub async fn routes(
    services: Services,
) -> Result<(Routes, HealthReporter), tonic_reflection::server::Error> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<ValidationServiceServer<validation::ValidationApi>>()
        .await;
    health_reporter
        .set_serving::<SubscriptionServiceServer<subscription::SubscriptionApi>>()
        .await;
    health_reporter
        .set_serving::<AuthServiceServer<auth::AuthApi>>()
        .await;
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    // Older generic clients (grpcurl < 1.9) still speak v1alpha.
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;

    let routes = Routes::new(ValidationServiceServer::new(services.validation))
        .add_service(SubscriptionServiceServer::new(services.subscription))
        .add_service(PaymentServiceServer::new(services.payment))
        .add_service(PodServiceServer::new(services.pod))
        .add_service(AgentBudgetServiceServer::new(services.budget))
        .add_service(AuthServiceServer::new(services.auth))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha);
    Ok((routes, health_reporter))
}
