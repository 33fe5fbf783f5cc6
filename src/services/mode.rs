//! The payment mode in force (sandbox or live), switched at run time by a super admin.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::ServiceResult;
use crate::domain::mode::PaymentMode;
use crate::persistence::admin as repo;

const KEY: &str = "payment_mode";

/// The stored mode, or `default` when none was ever switched.
pub async fn current<C: ConnectionTrait>(
    conn: &C,
    default: PaymentMode,
) -> ServiceResult<PaymentMode> {
    Ok(stored(conn, default).await?)
}

/// [`current`] for a caller that handles database errors itself.
pub async fn stored<C: ConnectionTrait>(
    conn: &C,
    default: PaymentMode,
) -> Result<PaymentMode, DbErr> {
    Ok(repo::setting(conn, KEY)
        .await?
        .and_then(|value| PaymentMode::parse(&value))
        .unwrap_or(default))
}

pub async fn set<C: ConnectionTrait>(
    conn: &C,
    mode: PaymentMode,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    repo::put_setting(conn, KEY, mode.as_str(), now).await?;
    Ok(())
}
