//! Prometheus metrics for every HTTP request (REST, gRPC and gRPC-web alike), served at `/metrics`.

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::header;
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, histogram::Histogram},
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// `rest`, `grpc`, `grpc_web` or `ops`.
    protocol: &'static str,
    method: String,
    /// The route template (never the raw path, which may hold ids).
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    protocol: &'static str,
    route: String,
}

/// The registry and the metrics the middleware records.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<LatencyLabels, Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
        });
        let mut registry = Registry::with_prefix("gpubroker");
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (until the response head)",
            latency.clone(),
        );
        Self {
            registry: Arc::new(registry),
            requests,
            latency,
        }
    }
}

impl Metrics {
    /// The text exposition format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "metrics did not encode");
        }
        out
    }
}

fn protocol(request: &Request) -> &'static str {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("application/grpc-web") {
        "grpc_web"
    } else if content_type.starts_with("application/grpc") {
        "grpc"
    } else if request.uri().path().starts_with("/api/") {
        "rest"
    } else {
        "ops"
    }
}

/// Middleware: counts every request and times it.
pub async fn record(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let protocol = protocol(&request);
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    metrics
        .latency
        .get_or_create(&LatencyLabels {
            protocol,
            route: route.clone(),
        })
        .observe(start.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            protocol,
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

pub async fn serve(State(metrics): State<Metrics>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.encode(),
    )
}
