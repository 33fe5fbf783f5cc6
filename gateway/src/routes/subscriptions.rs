//! Public customer routes of the original API: plans, signup, activation, status by API key,
//! plus key rotation and cancellation.

use axum::{
    extract::{Query, State},
    routing,
};
use http::Method;
use serde_json::Value;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson, decode};
use crate::context::{CallContext, LegacyKey};
use crate::proto::v1 as pb;
use crate::query::QueryMessage;
use crate::{ApiError, Gateway};

query_route!(
    "subscriptions",
    PLANS,
    "/api/v2/admin/public/plans",
    "The plans on sale, with server-side prices and token limits.",
    ListPlansRequest,
    ListPlansResponse,
    subscriptions,
    list_plans
);

pub(super) const CREATE: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/subscription/create",
    summary: "Create a subscription. The server sets price and token limit from the plan; any amount, transaction_id or payment_provider sent is ignored. `plan` may be the original lower-case name (\"pro\") and `ruc` is read as tax_id. Trials get their activation link by email; paid plans wait for payment.",
    tag: "subscriptions",
    rpc: "create_subscription",
    request: Some("gpubroker.v1.CreateSubscriptionRequest"),
    response: "gpubroker.v1.CreateSubscriptionResponse",
    handler: || routing::post(create),
};

pub(super) const ACTIVATE: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/subscription/activate",
    summary: "Activate with the emailed activation token (`activation_token`, or `token`). Idempotent.",
    tag: "subscriptions",
    rpc: "activate_subscription",
    request: Some("gpubroker.v1.ActivateSubscriptionRequest"),
    response: "gpubroker.v1.ActivateSubscriptionResponse",
    handler: || routing::post(activate),
};

pub(super) const STATUS: RestRoute = RestRoute {
    method: Method::GET,
    path: "/api/v2/admin/public/pod/status",
    summary: "Status for the customer, authenticated by `Authorization: Bearer <api key>`. The original `?key=<api key>` still works but is deprecated: keys in URLs leak into logs and history.",
    tag: "subscriptions",
    rpc: "get_subscription_status",
    request: None,
    response: "gpubroker.v1.GetSubscriptionStatusResponse",
    handler: || routing::get(status),
};

body_route!(
    "subscriptions",
    ROTATE_KEY,
    "/api/v2/admin/public/subscription/rotate-key",
    "Replace the API key (Bearer API key); the old key stops working at once.",
    RotateApiKeyRequest,
    RotateApiKeyResponse,
    subscriptions,
    rotate_api_key
);

body_route!(
    "subscriptions",
    RESEND_ACTIVATION,
    "/api/v2/admin/public/subscription/resend-activation",
    "Email a new activation link to the subscription's address (the earlier link dies): with the Bearer API key, or with an emailed `activation_token` (even an expired one). At most 3 per hour.",
    ResendActivationRequest,
    ResendActivationResponse,
    subscriptions,
    resend_activation
);
body_route!(
    "subscriptions",
    REVOKE_KEY,
    "/api/v2/admin/public/subscription/revoke-key",
    "Revoke the Bearer API key at once (it leaked?); a single-use link to get a new key is emailed to the customer.",
    RevokeApiKeyRequest,
    RevokeApiKeyResponse,
    subscriptions,
    revoke_api_key
);
body_route!(
    "subscriptions",
    RECOVER_KEY,
    "/api/v2/admin/public/subscription/recover-key",
    "Exchange the emailed recovery token (`recovery_token`, single use, expiring) for a new API key, shown only here.",
    RecoverApiKeyRequest,
    RecoverApiKeyResponse,
    subscriptions,
    recover_api_key
);

body_route!(
    "subscriptions",
    CANCEL,
    "/api/v2/admin/public/subscription/cancel",
    "Cancel the subscription of the Bearer API key; its pod is stopped.",
    CancelSubscriptionRequest,
    CancelSubscriptionResponse,
    subscriptions,
    cancel_subscription
);

/// Maps the original body onto CreateSubscriptionRequest: `plan: "pro"` → `PLAN_PRO`,
/// `ruc` → `tax_id`.
fn legacy_create_body(mut body: Value) -> Value {
    if let Some(object) = body.as_object_mut() {
        if let Some(Value::String(plan)) = object.get("plan")
            && !plan.starts_with("PLAN_")
        {
            let upper = format!("PLAN_{}", plan.trim().to_ascii_uppercase());
            object.insert("plan".into(), Value::String(upper));
        }
        if !object.contains_key("tax_id")
            && let Some(ruc) = object.remove("ruc")
        {
            object.insert("tax_id".into(), ruc);
        }
    }
    body
}

async fn create(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    ProtoJson(body): ProtoJson<Value>,
) -> Result<JsonMessage<pb::CreateSubscriptionResponse>, ApiError> {
    let body = legacy_create_body(body);
    let request: pb::CreateSubscriptionRequest =
        decode(&serde_json::to_vec(&body).unwrap_or_default(), "body")?;
    let response = gateway
        .subscriptions()
        .create_subscription(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn activate(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    ProtoJson(mut body): ProtoJson<Value>,
) -> Result<JsonMessage<pb::ActivateSubscriptionResponse>, ApiError> {
    if let Some(object) = body.as_object_mut()
        && !object.contains_key("activation_token")
        && let Some(token) = object.remove("token")
    {
        object.insert("activation_token".into(), token);
    }
    let request: pb::ActivateSubscriptionRequest =
        decode(&serde_json::to_vec(&body).unwrap_or_default(), "body")?;
    let response = gateway
        .subscriptions()
        .activate_subscription(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

async fn status(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    uri: http::Uri,
) -> Result<JsonMessage<pb::GetSubscriptionStatusResponse>, ApiError> {
    let ctx = ctx.with_legacy_key(Query::<LegacyKey>::try_from_uri(&uri).ok());
    let response = gateway
        .subscriptions()
        .get_subscription_status(ctx.request(&gateway, pb::GetSubscriptionStatusRequest {}))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}
