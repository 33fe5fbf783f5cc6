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
    /// Fully qualified request message (JSON body or query), if any.
    pub request: Option<&'static str>,
    /// Fully qualified response message.
    pub response: &'static str,
    pub handler: fn() -> MethodRouter<Gateway>,
}

/// Every REST route.
pub static REST_ROUTES: &[RestRoute] = &[
    validation::HEALTH,
    validation::VALIDATE_RUC,
    validation::VALIDATE_CEDULA,
    validation::VALIDATE_IDENTITY,
    validation::SEND_OTP,
    validation::VERIFY_OTP,
    subscriptions::PLANS,
    subscriptions::CREATE,
    subscriptions::ACTIVATE,
    subscriptions::STATUS,
    subscriptions::ROTATE_KEY,
    subscriptions::CANCEL,
    payments::CREATE_ORDER,
    payments::CAPTURE,
    payments::CONFIG,
    payments::WEBHOOK,
    auth::LOGIN,
    auth::REFRESH,
    auth::LOGOUT,
    admin::DASHBOARD,
    admin::PODS,
    admin::POD_START,
    admin::POD_STOP,
    admin::POD_DESTROY,
    admin::POD_METRICS,
    admin::CUSTOMERS,
    admin::CUSTOMER,
    admin::COSTS,
    admin::SUBSCRIPTIONS,
    admin::AUDIT_LOG,
    admin::CANCEL,
    admin::CREATE_USER,
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
