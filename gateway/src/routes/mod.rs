//! The REST routes, declared once: the router and the OpenAPI document are both built from
//! [`REST_ROUTES`], so neither can list a route the other lacks.

/// A route that calls one RPC with the request message `$extract`ed from the HTTP request
/// (`QueryMessage` for GET, `ProtoJson` for POST) and answers its response as JSON.
macro_rules! rpc_route {
    ($http:ident, $verb:ident, $extract:ident, $tag:literal, $name:ident, $path:literal, $summary:literal, $req:ident, $resp:ident, $client:ident, $method:ident) => {
        pub(super) const $name: RestRoute = RestRoute {
            method: Method::$http,
            path: $path,
            summary: $summary,
            tag: $tag,
            rpc: stringify!($method),
            request: Some(concat!("gpubroker.v1.", stringify!($req))),
            response: concat!("gpubroker.v1.", stringify!($resp)),
            handler: || {
                routing::$verb(
                    |State(gateway): State<Gateway>,
                     ctx: CallContext,
                     $extract(request): $extract<pb::$req>| async move {
                        let response = gateway
                            .$client()
                            .$method(ctx.request(&gateway, request))
                            .await?;
                        Ok::<_, ApiError>(JsonMessage(response.into_inner()))
                    },
                )
            },
        };
    };
}

/// A GET route whose query is the request message of one RPC.
macro_rules! query_route {
    ($($args:tt)*) => { rpc_route!(GET, get, QueryMessage, $($args)*); };
}

/// A POST route whose JSON body is the request message of one RPC.
macro_rules! body_route {
    ($($args:tt)*) => { rpc_route!(POST, post, ProtoJson, $($args)*); };
}

/// A GET route whose one path parameter is the one field `$field` of the RPC's request message
/// (`/api/v2/admin/pod/{pod_id}` → `GetPodRequest { pod_id }`).
macro_rules! path_route {
    ($tag:literal, $name:ident, $path:literal, $summary:literal, $req:ident { $field:ident }, $resp:ident, $client:ident, $method:ident) => {
        pub(super) const $name: RestRoute = RestRoute {
            method: Method::GET,
            path: $path,
            summary: $summary,
            tag: $tag,
            rpc: stringify!($method),
            request: None,
            response: concat!("gpubroker.v1.", stringify!($resp)),
            handler: || {
                routing::get(
                    |State(gateway): State<Gateway>,
                     ctx: CallContext,
                     Path($field): Path<String>| async move {
                        let request = pb::$req { $field };
                        let response = gateway
                            .$client()
                            .$method(ctx.request(&gateway, request))
                            .await?;
                        Ok::<_, ApiError>(JsonMessage(response.into_inner()))
                    },
                )
            },
        };
    };
}

mod admin;
mod agent;
mod auth;
mod payments;
mod subscriptions;
mod validation;

use axum::routing::MethodRouter;
use http::Method;

use crate::Gateway;

/// One REST endpoint and how it maps to the contract.
pub struct RestRoute {
    pub method: Method,
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    /// The RPC it calls: the gRPC method name in snake_case (`get_budget`), or `check` for the
    /// standard health service.
    pub rpc: &'static str,
    /// Fully qualified request message (JSON body or query), if any.
    pub request: Option<&'static str>,
    /// Fully qualified response message.
    pub response: &'static str,
    pub handler: fn() -> MethodRouter<Gateway>,
}

/// RPCs of the contract that have no REST route, and why (snake_case names as in
/// [`RestRoute::rpc`]). Everything else has one; a test holds the two lists to the contract.
pub static GRPC_ONLY: &[(&str, &str)] = &[
    (
        "watch_pod",
        "server stream: use gRPC or gRPC-web (the TypeScript client)",
    ),
    (
        "watch_budget",
        "server stream: use gRPC or gRPC-web (the TypeScript client)",
    ),
];

/// Every REST route.
pub static REST_ROUTES: &[RestRoute] = &[
    validation::HEALTH,
    validation::VALIDATE_RUC,
    validation::VALIDATE_CEDULA,
    validation::VALIDATE_IDENTITY,
    validation::SEND_OTP,
    validation::VERIFY_OTP,
    validation::GEO_DETECT,
    subscriptions::PLANS,
    subscriptions::CREATE,
    subscriptions::ACTIVATE,
    subscriptions::STATUS,
    subscriptions::ROTATE_KEY,
    subscriptions::RESEND_ACTIVATION,
    subscriptions::REVOKE_KEY,
    subscriptions::RECOVER_KEY,
    subscriptions::CANCEL,
    payments::CREATE_ORDER,
    payments::CAPTURE,
    payments::CONFIG,
    payments::MODE,
    payments::MODE_CONFIG,
    payments::ADMIN_MODE,
    payments::PAYMENT,
    payments::WEBHOOK,
    auth::LOGIN,
    auth::REFRESH,
    auth::LOGOUT,
    admin::DASHBOARD,
    admin::PODS,
    admin::POD,
    admin::POD_START,
    admin::POD_STOP,
    admin::POD_DESTROY,
    admin::POD_METRICS,
    admin::POD_HISTORY,
    admin::CUSTOMERS,
    admin::CUSTOMER,
    admin::COSTS,
    admin::SUBSCRIPTIONS,
    admin::AUDIT_LOG,
    admin::AUDIT_VERIFY,
    admin::CANCEL,
    admin::REVOKE_KEY,
    admin::CREATE_USER,
    admin::DEACTIVATE_USER,
    admin::SWITCH_MODE,
    admin::RESEND_RECEIPT,
    admin::REFUND,
    admin::BILLING,
    admin::TRANSACTION,
    agent::BUDGET,
    agent::RESERVE,
    agent::COMMIT,
    agent::RELEASE,
    agent::RECORD_USAGE,
    agent::USAGE,
    agent::SET_BUDGET,
    agent::START_SESSION,
    agent::END_SESSION,
    agent::LOG_DECISION,
    agent::DECISIONS,
    agent::REVIEW_DECISION,
];
