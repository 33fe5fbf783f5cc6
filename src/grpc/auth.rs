//! AuthService: admin login, token refresh and logout, admin users, the audit log, the payment mode.

use tonic::{Request, Response, Status};

#[allow(clippy::wildcard_imports)]
use super::conversions::*;

use super::field;
use super::guard::Guard;
use crate::domain::{mode::PaymentMode, role::Role};
use crate::persistence::audit as audit_repo;
use crate::proto::{self, v1 as pb};
use crate::services::audit::Verification;
use crate::services::auth::Tokens;
use pb::auth_service_server::AuthService;

#[derive(Debug, Clone)]
pub struct AuthApi {
    pub guard: Guard,
    pub default_mode: PaymentMode,
    pub paypal_configured: bool,
}

fn duration(d: chrono::Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: d.num_seconds(),
        nanos: 0,
    }
}

fn role_of(tokens: &Tokens) -> i32 {
    Role::parse(&tokens.user.role).map_or(pb::Role::Unspecified, pb::Role::from) as i32
}

#[tonic::async_trait]
impl AuthService for AuthApi {
    async fn login(
        &self,
        request: Request<pb::LoginRequest>,
    ) -> Result<Response<pb::LoginResponse>, Status> {
        let origin = self.guard.origin(&request);
        field::check(request.get_ref())?;
        let request = request.into_inner();
        let tokens = self
            .guard
            .auth
            .login(&request.email, &request.password, &origin)
            .await?;
        Ok(Response::new(pb::LoginResponse {
            role: role_of(&tokens),
            user: Some(admin_user_to_pb(&tokens.user)),
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            token_type: "Bearer".into(),
            expires_in: Some(duration(tokens.access_ttl)),
            refresh_expires_in: Some(duration(tokens.refresh_ttl)),
        }))
    }

    async fn refresh(
        &self,
        request: Request<pb::RefreshRequest>,
    ) -> Result<Response<pb::RefreshResponse>, Status> {
        let origin = self.guard.origin(&request);
        field::check(request.get_ref())?;
        let tokens = self
            .guard
            .auth
            .refresh(&request.get_ref().refresh_token, &origin)
            .await?;
        Ok(Response::new(pb::RefreshResponse {
            role: role_of(&tokens),
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            token_type: "Bearer".into(),
            expires_in: Some(duration(tokens.access_ttl)),
            refresh_expires_in: Some(duration(tokens.refresh_ttl)),
        }))
    }

    async fn logout(
        &self,
        request: Request<pb::LogoutRequest>,
    ) -> Result<Response<pb::LogoutResponse>, Status> {
        field::check(request.get_ref())?;
        let token = field::required("refresh_token", &request.get_ref().refresh_token)?;
        self.guard.auth.logout(token).await?;
        Ok(Response::new(pb::LogoutResponse {}))
    }

    async fn create_admin_user(
        &self,
        request: Request<pb::CreateAdminUserRequest>,
    ) -> Result<Response<pb::CreateAdminUserResponse>, Status> {
        let principal = self.guard.admin(&request, Role::SuperAdmin).await?;
        field::check(request.get_ref())?;
        let origin = self.guard.origin(&request);
        let request = request.into_inner();
        let role = role_from_pb(request.role)
            .ok_or_else(|| field::invalid("role", "is required: viewer, admin or super_admin"))?;
        let user = self
            .guard
            .auth
            .create_user(
                Some(&principal),
                &request.email,
                &request.name,
                &request.password,
                role,
                &origin,
            )
            .await?;
        Ok(Response::new(pb::CreateAdminUserResponse {
            user: Some(admin_user_to_pb(&user)),
        }))
    }

    async fn deactivate_admin_user(
        &self,
        request: Request<pb::DeactivateAdminUserRequest>,
    ) -> Result<Response<pb::DeactivateAdminUserResponse>, Status> {
        let principal = self.guard.admin(&request, Role::SuperAdmin).await?;
        field::check(request.get_ref())?;
        let origin = self.guard.origin(&request);
        let request = request.into_inner();
        let user = self
            .guard
            .auth
            .deactivate_user(&principal, &request.user_id, &request.reason, &origin)
            .await?;
        Ok(Response::new(pb::DeactivateAdminUserResponse {
            user: Some(admin_user_to_pb(&user)),
        }))
    }

    async fn verify_audit_log(
        &self,
        request: Request<pb::VerifyAuditLogRequest>,
    ) -> Result<Response<pb::VerifyAuditLogResponse>, Status> {
        let principal = self.guard.admin(&request, Role::SuperAdmin).await?;
        let found = self.guard.auth.verify_audit_log(&principal).await?;
        let mut answer = pb::VerifyAuditLogResponse {
            verified_at: Some(proto::timestamp(chrono::Utc::now())),
            ..Default::default()
        };
        match found {
            Verification::Intact { rows } => {
                answer.intact = true;
                answer.rows = i64::try_from(rows).unwrap_or(i64::MAX);
            }
            Verification::Broken(broken) => {
                answer.broken_at_sequence = broken.sequence();
                answer.problem = broken.to_string();
            }
        }
        Ok(Response::new(answer))
    }

    async fn list_audit_log(
        &self,
        request: Request<pb::ListAuditLogRequest>,
    ) -> Result<Response<pb::ListAuditLogResponse>, Status> {
        field::check(request.get_ref())?;
        let principal = self.guard.admin(&request, Role::SuperAdmin).await?;
        let request = request.into_inner();
        let limit = match request.page_size {
            0 => 100,
            1..=1000 => request.page_size as u64,
            _ => return Err(field::invalid("page_size", "must be between 0 and 1000")),
        };
        let cursor =
            if request.page_token.is_empty() {
                None
            } else {
                Some(request.page_token.parse::<i64>().map_err(|_| {
                    field::invalid("page_token", "is not a token this server issued")
                })?)
            };
        let filter = audit_repo::AuditFilter {
            actor_user_id: field::optional("actor_user_id", &request.actor_user_id)?,
            action: field::optional("action", &request.action)?,
            resource_type: field::optional("resource_type", &request.resource_type)?,
            resource_id: field::optional("resource_id", &request.resource_id)?,
            since: field::timestamp(request.start_time, "start_time")?,
            until: field::timestamp(request.end_time, "end_time")?,
        };
        let (rows, total) = self
            .guard
            .auth
            .audit_log(&principal, &filter, cursor, request.newest_first, limit)
            .await?;
        let next_page_token = if rows.len() as u64 == limit {
            rows.last()
                .map(|r| r.sequence.to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListAuditLogResponse {
            entries: rows
                .into_iter()
                .map(|r| pb::AuditLogEntry {
                    audit_id: r.audit_id,
                    sequence: r.sequence,
                    occurred_at: Some(proto::timestamp(r.occurred_at)),
                    actor_user_id: r.actor_user_id,
                    actor_email: r.actor_email,
                    action: r.action,
                    resource_type: r.resource_type,
                    resource_id: r.resource_id,
                    success: r.success,
                    client_ip: r.client_ip,
                    user_agent: r.user_agent,
                    details_json: r.details_json,
                    prev_hash: r.prev_hash,
                    hash: r.hash,
                })
                .collect(),
            next_page_token,
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn switch_mode(
        &self,
        request: Request<pb::SwitchModeRequest>,
    ) -> Result<Response<pb::SwitchModeResponse>, Status> {
        let principal = self.guard.admin(&request, Role::SuperAdmin).await?;
        field::check(request.get_ref())?;
        let origin = self.guard.origin(&request);
        let request = request.into_inner();
        let target = mode_from_pb(request.mode)
            .ok_or_else(|| field::invalid("mode", "is required: sandbox or live"))?;
        if target == PaymentMode::Live && !request.confirm {
            return Err(field::invalid(
                "confirm",
                "must be true to switch to live mode",
            ));
        }
        let (previous, now) = self
            .guard
            .auth
            .switch_mode(
                &principal,
                target,
                self.default_mode,
                &request.reason,
                &origin,
            )
            .await?;
        Ok(Response::new(pb::SwitchModeResponse {
            previous_mode: pb::PaymentMode::from(previous) as i32,
            mode: pb::PaymentMode::from(target) as i32,
            switched_at: Some(proto::timestamp(now)),
            paypal_configured: self.paypal_configured,
        }))
    }
}
