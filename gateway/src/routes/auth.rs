//! Admin sign-in routes.

use axum::{extract::State, response::IntoResponse, routing};
use http::Method;
use serde_json::Value;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson};
use crate::context::CallContext;
use crate::proto::v1 as pb;
use crate::{ApiError, Gateway};

pub(super) const LOGIN: RestRoute = RestRoute {
    method: Method::POST,
    path: "/api/v2/admin/public/admin/login",
    summary: "Admin login. The access token is returned as `access_token` and, for the original UI, also as `token`.",
    tag: "auth",
    rpc: "login",
    request: Some("gpubroker.v1.LoginRequest"),
    response: "gpubroker.v1.LoginResponse",
    handler: || routing::post(login),
};

body_route!(
    "auth",
    REFRESH,
    "/api/v2/admin/public/admin/refresh",
    "Exchange a refresh token for new tokens (the old refresh token stops working).",
    RefreshRequest,
    RefreshResponse,
    auth,
    refresh
);

body_route!(
    "auth",
    LOGOUT,
    "/api/v2/admin/public/admin/logout",
    "End the login of a refresh token; its access tokens stop working too.",
    LogoutRequest,
    LogoutResponse,
    auth,
    logout
);

async fn login(
    State(gateway): State<Gateway>,
    ctx: CallContext,
    ProtoJson(request): ProtoJson<pb::LoginRequest>,
) -> Result<axum::response::Response, ApiError> {
    let response = gateway
        .auth()
        .login(ctx.request(&gateway, request))
        .await?
        .into_inner();
    let mut body = serde_json::to_value(&response)
        .map_err(|_| ApiError::new(tonic::Code::Internal, "internal error"))?;
    if let Some(object) = body.as_object_mut() {
        object.insert("token".into(), Value::String(response.access_token.clone()));
    }
    Ok(JsonMessage(body).into_response())
}
