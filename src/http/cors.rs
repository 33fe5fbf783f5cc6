//! CORS for browser apps on other origins: REST and gRPC-web share the one layer. Preflights are
//! answered here, before routing; the gRPC-web headers a browser must send and read are allowed
//! and exposed (the trailers `grpc-status`/`grpc-message` arrive as headers on errors).

use std::time::Duration;

use http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

const ALLOWED_HEADERS: [HeaderName; 9] = [
    header::CONTENT_TYPE,
    header::AUTHORIZATION,
    HeaderName::from_static("x-grpc-web"),
    HeaderName::from_static("x-user-agent"),
    HeaderName::from_static("grpc-timeout"),
    HeaderName::from_static("connect-protocol-version"),
    HeaderName::from_static("connect-timeout-ms"),
    HeaderName::from_static("idempotency-key"),
    HeaderName::from_static("x-request-id"),
];

const EXPOSED_HEADERS: [HeaderName; 6] = [
    header::CONTENT_TYPE,
    HeaderName::from_static("grpc-status"),
    HeaderName::from_static("grpc-message"),
    HeaderName::from_static("grpc-status-details-bin"),
    HeaderName::from_static("x-request-id"),
    header::RETRY_AFTER,
];

/// Whether `origin` is acceptable in `server.cors_origins`: `*`, or `scheme://host[:port]`.
pub fn check_origin(origin: &str) -> Result<(), String> {
    if origin == "*" {
        return Ok(());
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| format!("{origin:?} must start with http:// or https://"))?;
    if rest.is_empty() || rest.contains('/') || HeaderValue::from_str(origin).is_err() {
        return Err(format!(
            "{origin:?} must be scheme://host[:port] without a path"
        ));
    }
    Ok(())
}

/// The layer for the configured origins; `None` when there are none (same-origin only).
pub fn layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers(ALLOWED_HEADERS)
            .expose_headers(EXPOSED_HEADERS)
            .max_age(Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked() {
        assert!(check_origin("https://app.gpubroker.site").is_ok());
        assert!(check_origin("http://localhost:5173").is_ok());
        assert!(check_origin("*").is_ok());
        assert!(check_origin("app.gpubroker.site").is_err());
        assert!(check_origin("https://app.gpubroker.site/path").is_err());
        assert!(check_origin("https://").is_err());
    }
}
