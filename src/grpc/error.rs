//! The one mapping from use-case errors to gRPC statuses (exhaustive: a new error must be placed).

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::services::ServiceError;

impl From<ServiceError> for Status {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::InvalidArgument { field, problem } => {
                super::field::invalid(&field, problem)
            }
            ServiceError::NotFound(message) => Status::not_found(message),
            ServiceError::AlreadyExists(message) => Status::already_exists(message),
            ServiceError::FailedPrecondition(message) => Status::failed_precondition(message),
            ServiceError::IllegalTransition(illegal) => Status::with_error_details(
                Code::FailedPrecondition,
                illegal.to_string(),
                ErrorDetails::with_precondition_failure_violation(
                    "STATE",
                    format!("{}->{}", illegal.from, illegal.to),
                    illegal.to_string(),
                ),
            ),
            ServiceError::Aborted(message) => Status::aborted(message),
            ServiceError::Unauthenticated(message) => Status::unauthenticated(message),
            ServiceError::PermissionDenied(message) => Status::permission_denied(message),
            ServiceError::ResourceExhausted {
                message,
                retry_after_secs,
            } => Status::with_error_details(
                Code::ResourceExhausted,
                message,
                ErrorDetails::with_retry_info(Some(std::time::Duration::from_secs(
                    retry_after_secs,
                ))),
            ),
            ServiceError::LimitReached { reason, message } => Status::with_error_details(
                Code::ResourceExhausted,
                message,
                ErrorDetails::with_error_info(
                    reason,
                    "gpubroker.v1",
                    std::collections::HashMap::<String, String>::new(),
                ),
            ),
            ServiceError::Unavailable(what) => {
                Status::unavailable(format!("{what} is unavailable; retry later"))
            }
            ServiceError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                Status::internal("internal error")
            }
            ServiceError::Database(source) => {
                tracing::error!(error = %source, cause = ?source, "database error");
                Status::internal("internal error")
            }
        }
    }
}
