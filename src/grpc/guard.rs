//! Authentication and role checks shared by every service's admin RPCs.

use std::net::IpAddr;

use tonic::{Request, Status};

use super::context;
use crate::domain::role::Role;
use crate::services::{
    audit::AdminAction,
    audit::RequestOrigin,
    auth::{Auth, Principal},
};

/// Checks admin tokens and resolves request origins.
#[derive(Debug, Clone)]
pub struct Guard {
    pub auth: Auth,
    pub trusted_proxies: Vec<IpAddr>,
}

impl Guard {
    /// The admin behind the request's bearer token, if their role includes `required`.
    pub async fn admin<T>(
        &self,
        request: &Request<T>,
        required: Role,
    ) -> Result<Principal, Status> {
        let token = context::require_bearer(request)?;
        let principal = self.auth.authenticate(token).await?;
        principal.require(required)?;
        Ok(principal)
    }

    pub fn origin<T>(&self, request: &Request<T>) -> RequestOrigin {
        context::origin(request, &self.trusted_proxies)
    }

    /// An admin allowed to operate (`admin` role), with what the audit log records.
    pub async fn operator<T>(
        &self,
        request: &Request<T>,
    ) -> Result<(Principal, AdminAction), Status> {
        let principal = self.admin(request, Role::Admin).await?;
        let action = AdminAction {
            actor: principal.actor(),
            origin: self.origin(request),
        };
        Ok((principal, action))
    }
}

/// `page_token` is the offset of the next page, as text.
pub fn page(page_size: i32, page_token: &str) -> Result<(u64, u64), Status> {
    let size = match page_size {
        0 => 50,
        1..=500 => page_size as u64,
        _ => {
            return Err(super::field::invalid(
                "page_size",
                "must be between 0 and 500",
            ));
        }
    };
    let offset = if page_token.is_empty() {
        0
    } else {
        page_token
            .parse::<u64>()
            .ok()
            .filter(|offset| *offset <= i64::MAX as u64)
            .ok_or_else(|| {
                super::field::invalid("page_token", "is not a token this server issued")
            })?
    };
    Ok((offset, size))
}

/// The token of the page after `offset + returned`, or empty at the end.
pub fn next_page_token(offset: u64, returned: usize, total: u64) -> String {
    let next = offset + returned as u64;
    if returned > 0 && next < total {
        next.to_string()
    } else {
        String::new()
    }
}
