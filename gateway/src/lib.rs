//! The `/api/v2` REST gateway. It re-exposes the gRPC contract as proto3 JSON over HTTP and knows
//! nothing but the contract: every handler decodes a request message, calls the service through
//! the generated gRPC client over a [`GrpcChannel`] (in-process by default, or a remote server),
//! and encodes the response message. Errors use one gRPC → HTTP table ([`error`]).

pub mod body;
pub mod context;
pub mod error;
pub mod openapi;
pub mod proto;
pub mod query;
mod routes;

use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use http::Uri;
use tower::BoxError;
use tower::util::BoxCloneSyncService;

pub use error::{ApiError, http_status};
pub use routes::{GRPC_ONLY, REST_ROUTES, RestRoute};

/// Anything that carries gRPC requests to the services: the in-process tonic router or a
/// `tonic::transport::Channel` to a remote server.
pub type GrpcChannel = BoxCloneSyncService<
    http::Request<tonic::body::Body>,
    http::Response<tonic::body::Body>,
    ChannelError,
>;

/// A transport failure between the gateway and the services. A concrete type rather than a boxed
/// trait object: handler futures must be provably `Send`, which trips over `Box<dyn Error>`
/// lifetimes in the generic client.
#[derive(Debug, thiserror::Error)]
#[error("gRPC channel: {0}")]
pub struct ChannelError(#[from] pub BoxError);

/// Gateway settings.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Largest accepted JSON body; larger ones get 400.
    pub max_body_bytes: usize,
    /// Deadline for one call to the services.
    pub call_timeout: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            call_timeout: Duration::from_secs(30),
        }
    }
}

/// Shared by every handler: typed clients over the channel.
#[derive(Clone)]
pub struct Gateway {
    channel: GrpcChannel,
    config: GatewayConfig,
    openapi: Bytes,
}

impl Gateway {
    fn validation(
        &self,
    ) -> proto::v1::validation_service_client::ValidationServiceClient<GrpcChannel> {
        proto::v1::validation_service_client::ValidationServiceClient::with_origin(
            self.channel.clone(),
            origin(),
        )
    }

    fn subscriptions(
        &self,
    ) -> proto::v1::subscription_service_client::SubscriptionServiceClient<GrpcChannel> {
        proto::v1::subscription_service_client::SubscriptionServiceClient::with_origin(
            self.channel.clone(),
            origin(),
        )
    }

    fn auth(&self) -> proto::v1::auth_service_client::AuthServiceClient<GrpcChannel> {
        proto::v1::auth_service_client::AuthServiceClient::with_origin(
            self.channel.clone(),
            origin(),
        )
    }

    fn payments(&self) -> proto::v1::payment_service_client::PaymentServiceClient<GrpcChannel> {
        proto::v1::payment_service_client::PaymentServiceClient::with_origin(
            self.channel.clone(),
            origin(),
        )
    }

    fn budgets(
        &self,
    ) -> proto::v1::agent_budget_service_client::AgentBudgetServiceClient<GrpcChannel> {
        proto::v1::agent_budget_service_client::AgentBudgetServiceClient::with_origin(
            self.channel.clone(),
            origin(),
        )
    }

    fn pods(&self) -> proto::v1::pod_service_client::PodServiceClient<GrpcChannel> {
        proto::v1::pod_service_client::PodServiceClient::with_origin(self.channel.clone(), origin())
    }

    fn health(&self) -> tonic_health::pb::health_client::HealthClient<GrpcChannel> {
        tonic_health::pb::health_client::HealthClient::with_origin(self.channel.clone(), origin())
    }

    /// A request carrying the gateway's deadline.
    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request.set_timeout(self.config.call_timeout);
        request
    }
}

/// Clients over an in-process channel still need an authority; it is never resolved.
fn origin() -> Uri {
    Uri::from_static("http://gpubroker.internal")
}

/// The REST router. It has no fallback of its own, so it can be merged with the gRPC router; give
/// the merged router [`error::not_found`] as fallback.
pub fn router(channel: GrpcChannel, config: GatewayConfig) -> Router {
    let gateway = Gateway {
        channel,
        config,
        openapi: openapi::document_bytes(),
    };
    let mut router = Router::new();
    for route in REST_ROUTES {
        router = router.route(route.path, (route.handler)());
    }
    router
        .route("/api/v2/openapi.json", axum::routing::get(openapi::serve))
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(gateway)
}
