//! The error every use case returns. The gRPC layer maps it to a status in one exhaustive match.

use sea_orm::DbErr;

use crate::domain::subscription::IllegalTransition;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A request field is missing or malformed.
    #[error("{field}: {problem}")]
    InvalidArgument { field: String, problem: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    AlreadyExists(String),
    /// The request is valid but the state does not allow it.
    #[error("{0}")]
    FailedPrecondition(String),
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    /// Not yet: retry later (e.g. a webhook that arrived before the state it applies to).
    #[error("{0}")]
    Aborted(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    PermissionDenied(String),
    /// Throttled or locked out; retry after the given seconds.
    #[error("{message}")]
    ResourceExhausted {
        message: String,
        retry_after_secs: u64,
    },
    /// A quota would be exceeded (`reason`: BUDGET_EXCEEDED, TOO_MANY_SESSIONS); not retryable
    /// as is.
    #[error("{message}")]
    LimitReached {
        reason: &'static str,
        message: String,
    },
    /// A dependency is down; nothing was changed.
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    /// A bug or corrupt data. The message is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// A database error that is no outage (a bug, a broken constraint, corrupt data): logged with
    /// its whole cause, never shown.
    #[error("internal error: database")]
    Database(#[source] DbErr),
}

impl ServiceError {
    pub fn invalid(field: &str, problem: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field: field.to_owned(),
            problem: problem.into(),
        }
    }
}

impl From<DbErr> for ServiceError {
    fn from(error: DbErr) -> Self {
        match error {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::warn!(error = %error, "database unavailable");
                Self::Unavailable("database")
            }
            other if crate::persistence::is_unstorable_text(&other) => {
                Self::invalid("request", "text fields must not contain NUL characters")
            }
            other => Self::Database(other),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
