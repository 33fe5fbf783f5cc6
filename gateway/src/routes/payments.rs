//! Public PayPal routes of the original API. The price always comes from the server's plan.

use axum::{
    extract::{Path, State},
    routing,
};
use http::Method;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson};
use crate::context::CallContext;
use crate::proto::v1 as pb;
use crate::query::QueryMessage;
use crate::{ApiError, Gateway};

pub(super) const CREATE_ORDER: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/payment/paypal",
    summary: "Open a PayPal order for a subscription waiting for payment. Amount and currency come from its plan; any amount sent is ignored. Redirect the buyer to `approve_url`.",
    tag: "payments",
    rpc: "create_paypal_order",
    request: Some("gpubroker.v1.CreatePaypalOrderRequest"),
    response: "gpubroker.v1.CreatePaypalOrderResponse",
    handler: || routing::post(create_order),
};

pub(super) const CAPTURE: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/payment/paypal/capture/{order_id}",
    summary: "Capture an approved order. Only a verified capture of the plan's exact amount activates the subscription; retries return the stored result.",
    tag: "payments",
    rpc: "capture_paypal_order",
    request: None,
    response: "gpubroker.v1.CapturePaypalOrderResponse",
    handler: || routing::post(capture),
};

query_route!(
    "payments",
    CONFIG,
    "/api/v2/admin/public/payment/paypal/status",
    "Payment mode (sandbox/live), whether PayPal is configured, and the public client id.",
    GetPaymentConfigRequest,
    GetPaymentConfigResponse,
    payments,
    get_payment_config
);
query_route!(
    "payments",
    MODE,
    "/api/v2/admin/public/mode",
    "The payment mode and whether PayPal is configured (no secrets, no internal addresses).",
    GetPaymentConfigRequest,
    GetPaymentConfigResponse,
    payments,
    get_payment_config
);
query_route!(
    "payments",
    MODE_CONFIG,
    "/api/v2/admin/public/mode/config",
    "Same as `/mode`: the original also published internal addresses here; this one does not.",
    GetPaymentConfigRequest,
    GetPaymentConfigResponse,
    payments,
    get_payment_config
);
query_route!(
    "admin",
    ADMIN_MODE,
    "/api/v2/admin/mode",
    "The payment mode the console works in (switch it with POST).",
    GetPaymentConfigRequest,
    GetPaymentConfigResponse,
    payments,
    get_payment_config
);
path_route!(
    "payments",
    PAYMENT,
    "/api/v2/admin/payment/{payment_id}",
    "One payment (customer API key for their own, or viewer).",
    GetPaymentRequest { payment_id },
    GetPaymentResponse,
    payments,
    get_payment
);

async fn create_order(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    ProtoJson(request): ProtoJson<pb::CreatePaypalOrderRequest>,
) -> Result<JsonMessage<pb::CreatePaypalOrderResponse>, ApiError> {
    let response = gateway
        .payments()
        .create_paypal_order(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn capture(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    Path(order_id): Path<String>,
) -> Result<JsonMessage<pb::CapturePaypalOrderResponse>, ApiError> {
    let request = pb::CapturePaypalOrderRequest {
        order_id,
        idempotency_key: String::new(),
    };
    let response = gateway
        .payments()
        .capture_paypal_order(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

pub(super) const WEBHOOK: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/payments/paypal/webhook",
    summary: "PayPal webhook deliveries. The signature is verified over the raw body; unverified deliveries get 400 and change nothing; redeliveries get 200.",
    tag: "payments",
    rpc: "handle_paypal_webhook",
    request: None,
    response: "gpubroker.v1.HandlePaypalWebhookResponse",
    handler: || routing::post(webhook),
};

async fn webhook(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    request: axum::extract::Request,
) -> Result<JsonMessage<pb::HandlePaypalWebhookResponse>, ApiError> {
    let headers = request
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let limit = gateway.config.max_body_bytes;
    // The raw bytes, untouched: the signature covers their CRC32.
    let body = axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| ApiError::invalid_field("body", format!("is larger than {limit} bytes")))?;
    let message = pb::HandlePaypalWebhookRequest {
        body: body.into(),
        headers,
    };
    let response = gateway
        .payments()
        .handle_paypal_webhook(ctx.request(&gateway, message))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}
