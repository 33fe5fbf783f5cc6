//! Admin routes of the original API (Bearer admin JWT; the services check the role).

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

query_route!(
    "admin",
    DASHBOARD,
    "/api/v2/admin/dashboard",
    "Dashboard figures (viewer).",
    GetDashboardRequest,
    GetDashboardResponse,
    subscriptions,
    get_dashboard
);
query_route!(
    "admin",
    PODS,
    "/api/v2/admin/pods",
    "Pods (viewer).",
    ListPodsRequest,
    ListPodsResponse,
    pods,
    list_pods
);
query_route!(
    "admin",
    CUSTOMERS,
    "/api/v2/admin/customers",
    "Customers, one per email (viewer).",
    ListCustomersRequest,
    ListCustomersResponse,
    subscriptions,
    list_customers
);
query_route!(
    "admin",
    COSTS,
    "/api/v2/admin/costs",
    "Costs and profitability from configured Fargate prices (viewer).",
    GetCostsRequest,
    GetCostsResponse,
    subscriptions,
    get_costs
);
query_route!(
    "admin",
    SUBSCRIPTIONS,
    "/api/v2/admin/subscriptions",
    "Subscriptions, newest first (viewer).",
    ListSubscriptionsRequest,
    ListSubscriptionsResponse,
    subscriptions,
    list_subscriptions
);
query_route!(
    "admin",
    AUDIT_VERIFY,
    "/api/v2/admin/audit-log/verify",
    "Re-check the whole audit hash chain (super_admin).",
    VerifyAuditLogRequest,
    VerifyAuditLogResponse,
    auth,
    verify_audit_log
);
query_route!(
    "admin",
    AUDIT_LOG,
    "/api/v2/admin/audit-log",
    "The hash-chained audit log (super_admin).",
    ListAuditLogRequest,
    ListAuditLogResponse,
    auth,
    list_audit_log
);
body_route!(
    "admin",
    CANCEL,
    "/api/v2/admin/subscription/cancel",
    "Cancel a subscription by id (admin); audited.",
    CancelSubscriptionRequest,
    CancelSubscriptionResponse,
    subscriptions,
    cancel_subscription
);
body_route!(
    "admin",
    REVOKE_KEY,
    "/api/v2/admin/subscription/revoke-key",
    "Revoke a customer's API key by subscription id (admin); audited. The customer is emailed a recovery link.",
    RevokeApiKeyRequest,
    RevokeApiKeyResponse,
    subscriptions,
    revoke_api_key
);
query_route!(
    "admin",
    BILLING,
    "/api/v2/admin/billing",
    "Money movements (captures, refunds, reversals), newest first (viewer).",
    ListTransactionsRequest,
    ListTransactionsResponse,
    payments,
    list_transactions
);
body_route!(
    "admin",
    REFUND,
    "/api/v2/admin/payment/refund",
    "Refund a payment fully or partly through PayPal (admin); idempotent by idempotency_key; audited.",
    RefundPaymentRequest,
    RefundPaymentResponse,
    payments,
    refund_payment
);
body_route!(
    "admin",
    CREATE_USER,
    "/api/v2/admin/users",
    "Create an admin user (super_admin); audited.",
    CreateAdminUserRequest,
    CreateAdminUserResponse,
    auth,
    create_admin_user
);
body_route!(
    "admin",
    DEACTIVATE_USER,
    "/api/v2/admin/users/deactivate",
    "Deactivate an admin user (super_admin; audited): their sessions end and their tokens stop working at once.",
    DeactivateAdminUserRequest,
    DeactivateAdminUserResponse,
    auth,
    deactivate_admin_user
);
body_route!(
    "admin",
    SWITCH_MODE,
    "/api/v2/admin/mode",
    "Switch between sandbox and live (super_admin); audited.",
    SwitchModeRequest,
    SwitchModeResponse,
    auth,
    switch_mode
);

body_route!(
    "admin",
    POD_START,
    "/api/v2/admin/pod/start",
    "Start a stopped or failed pod (admin); idempotent; audited.",
    StartPodRequest,
    StartPodResponse,
    pods,
    start_pod
);
body_route!(
    "admin",
    POD_STOP,
    "/api/v2/admin/pod/stop",
    "Stop a running pod and suspend its subscription (admin); succeeds once the task stop is accepted; idempotent; audited.",
    StopPodRequest,
    StopPodResponse,
    pods,
    stop_pod
);
body_route!(
    "admin",
    POD_DESTROY,
    "/api/v2/admin/pod/destroy",
    "Stop the pod's task for good and destroy pod and subscription (admin); `reason` required; idempotent; audited.",
    DestroyPodRequest,
    DestroyPodResponse,
    pods,
    destroy_pod
);

pub(super) const POD_METRICS: RestRoute = RestRoute {
    method: Method::GET,
    path: "/api/v2/admin/pod/{pod_id}/metrics",
    summary: "CPU and memory utilisation (CloudWatch), uptime and cost so far (viewer). Query: `window` and `step` as durations such as `3600s`.",
    tag: "admin",
    rpc: "get_pod_metrics",
    request: Some("gpubroker.v1.GetPodMetricsRequest"),
    response: "gpubroker.v1.GetPodMetricsResponse",
    handler: || routing::get(pod_metrics),
};

async fn pod_metrics(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    Path(pod_id): Path<String>,
    QueryMessage(mut request): QueryMessage<pb::GetPodMetricsRequest>,
) -> Result<JsonMessage<pb::GetPodMetricsResponse>, ApiError> {
    request.pod_id = pod_id;
    let response = gateway
        .pods()
        .get_pod_metrics(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

pub(super) const POD_HISTORY: RestRoute = RestRoute {
    method: Method::GET,
    path: "/api/v2/admin/pod/{pod_id}/history",
    summary: "The pod's status history, newest first (viewer). Query: `page_size` (default 100, at most 500).",
    tag: "admin",
    rpc: "list_pod_history",
    request: Some("gpubroker.v1.ListPodHistoryRequest"),
    response: "gpubroker.v1.ListPodHistoryResponse",
    handler: || routing::get(pod_history),
};

async fn pod_history(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    Path(pod_id): Path<String>,
    QueryMessage(mut request): QueryMessage<pb::ListPodHistoryRequest>,
) -> Result<JsonMessage<pb::ListPodHistoryResponse>, ApiError> {
    request.pod_id = pod_id;
    let response = gateway
        .pods()
        .list_pod_history(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

path_route!(
    "admin",
    CUSTOMER,
    "/api/v2/admin/customer/{email}",
    "One customer with their subscriptions and payments (viewer).",
    GetCustomerRequest { email },
    GetCustomerResponse,
    subscriptions,
    get_customer
);

path_route!(
    "admin",
    POD,
    "/api/v2/admin/pod/{pod_id}",
    "One pod: status, task, address, plan (viewer).",
    GetPodRequest { pod_id },
    GetPodResponse,
    pods,
    get_pod
);

pub(super) const RESEND_RECEIPT: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/resend-receipt",
    summary: "Send a payment receipt again (admin); audited. Body: `payment_id`, or `customer_email` (the original `email` also works) for the newest completed payment.",
    tag: "admin",
    rpc: "resend_receipt",
    request: Some("gpubroker.v1.ResendReceiptRequest"),
    response: "gpubroker.v1.ResendReceiptResponse",
    handler: || routing::post(resend_receipt),
};

async fn resend_receipt(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    ProtoJson(mut body): ProtoJson<serde_json::Value>,
) -> Result<JsonMessage<pb::ResendReceiptResponse>, ApiError> {
    if let Some(object) = body.as_object_mut()
        && !object.contains_key("customer_email")
        && !object.contains_key("payment_id")
        && let Some(email) = object.remove("email")
    {
        object.insert("customer_email".into(), email);
    }
    let request: pb::ResendReceiptRequest =
        crate::body::decode(&serde_json::to_vec(&body).unwrap_or_default(), "body")?;
    let response = gateway
        .subscriptions()
        .resend_receipt(ctx.request(&gateway, request))
        .await?;
    Ok(JsonMessage(response.into_inner()))
}

path_route!(
    "admin",
    TRANSACTION,
    "/api/v2/admin/transaction/{transaction_id}",
    "One money movement with its payment (viewer).",
    GetTransactionRequest { transaction_id },
    GetTransactionResponse,
    payments,
    get_transaction
);
