//! The one HTTP server: native gRPC (h2c), gRPC-web, the REST gateway and the operational
//! endpoints (`/healthz`, `/readyz`, `/metrics`) share one port.

pub mod cors;
pub mod llm;
pub mod metrics;
pub mod web;

use axum::{
    Router,
    extract::State,
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use http::StatusCode;
use sea_orm::DatabaseConnection;
use serde_json::json;
use tonic::service::Routes;
use tower::{ServiceExt, util::BoxCloneSyncService};

pub use metrics::Metrics;

/// What the operational endpoints look at.
#[derive(Clone)]
struct Ops {
    db: DatabaseConnection,
    metrics: Metrics,
    relay: Option<crate::services::relay::EventRelay>,
}

/// Composes the server around `surfaces` (the LLM proxy and the pages). The gateway reaches the
/// services in-process through the same gRPC routes that remote clients use, so REST and gRPC
/// cannot disagree.
pub fn router(
    grpc: Routes,
    db: DatabaseConnection,
    metrics: Metrics,
    gateway_config: gateway::GatewayConfig,
    relay: Option<crate::services::relay::EventRelay>,
    cors_origins: &[String],
    surfaces: Router,
) -> Router {
    let channel: gateway::GrpcChannel =
        BoxCloneSyncService::new(ServiceExt::<http::Request<tonic::body::Body>>::map_err(
            grpc.clone(),
            |e| gateway::ChannelError(tower::BoxError::from(e)),
        ));
    let rest = gateway::router(channel, gateway_config);
    // gRPC-web only on the gRPC routes: the layer refuses any other HTTP/1.1 request.
    let grpc = grpc
        .into_axum_router()
        .layer(tonic_web::GrpcWebLayer::new());
    let ops = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::serve))
        .with_state(Ops {
            db,
            metrics: metrics.clone(),
            relay,
        });
    let router = ops
        .merge(surfaces)
        .merge(rest)
        .merge(grpc)
        // Set after the merges: axum refuses to merge two routers that both have a fallback.
        .fallback(gateway::error::not_found)
        .layer(middleware::from_fn(run_to_completion))
        .layer(middleware::from_fn_with_state(metrics, metrics::record))
        .layer(middleware::from_fn(record_peer));
    // Outermost, so a preflight is answered before routing and errors carry the headers too.
    match cors::layer(cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

impl axum::extract::FromRef<Ops> for Metrics {
    fn from_ref(ops: &Ops) -> Self {
        ops.metrics.clone()
    }
}

/// Hands the TCP peer to the gRPC services (client IP for throttling and the audit log).
async fn record_peer(mut request: axum::extract::Request, next: middleware::Next) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0);
    if let Some(peer) = peer {
        request
            .extensions_mut()
            .insert(crate::grpc::context::PeerAddr(peer));
    }
    next.run(request).await
}

/// Runs the rest of the request in its own task. A client that disconnects drops only the wait
/// for the answer, never the work: a use case is never cut off between two statements of a
/// transaction, so no pooled connection is handed back with a transaction half-done.
async fn run_to_completion(request: axum::extract::Request, next: middleware::Next) -> Response {
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "request task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(ops): State<Ops>) -> Response {
    // Kafka down degrades event publishing only (events wait in the outbox): still ready.
    let events = match &ops.relay {
        None => "off",
        Some(relay) if relay.is_healthy() => "ok",
        Some(_) => "degraded",
    };
    let (status, body) = match ops.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            json!({"status": "ready", "checks": {"database": "ok", "events": events}}),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"status": "not_ready", "checks": {"database": "unavailable", "events": events}}),
            )
        }
    };
    (
        status,
        [(http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
