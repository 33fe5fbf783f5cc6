//! Admin users, their refresh-token sessions, and runtime settings.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::entities::{admin_session, admin_user, runtime_setting};

pub type AdminUserRow = admin_user::Model;
pub type SessionRow = admin_session::Model;

pub async fn insert_user<C: ConnectionTrait>(conn: &C, row: AdminUserRow) -> Result<(), DbErr> {
    let active: admin_user::ActiveModel = row.into();
    admin_user::Entity::insert(active)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn user_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Option<AdminUserRow>, DbErr> {
    admin_user::Entity::find()
        .filter(admin_user::Column::Email.eq(email))
        .one(conn)
        .await
}

pub async fn user_by_id<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<AdminUserRow>, DbErr> {
    admin_user::Entity::find_by_id(id).one(conn).await
}

/// Deactivates an admin account; false when it was not active (or does not exist).
pub async fn deactivate_user<C: ConnectionTrait>(conn: &C, id: &str) -> Result<bool, DbErr> {
    let result = admin_user::Entity::update_many()
        .col_expr(admin_user::Column::Active, Expr::value(false))
        .filter(admin_user::Column::Id.eq(id))
        .filter(admin_user::Column::Active.eq(true))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every live session of a user (their refresh tokens, and with them their access tokens).
pub async fn revoke_user_sessions<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let result = admin_session::Entity::update_many()
        .col_expr(admin_session::Column::RevokedAt, Expr::value(Some(now)))
        .filter(admin_session::Column::UserId.eq(user_id))
        .filter(admin_session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Records a failed password with an atomic increment; locks the account when the count
/// reaches `max`. Returns whether this failure locked it.
pub async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
    max: i32,
    lock_until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    admin_user::Entity::update_many()
        .col_expr(
            admin_user::Column::FailedAttempts,
            Expr::col(admin_user::Column::FailedAttempts).add(1),
        )
        .filter(admin_user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    let failures = admin_user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .map_or(0, |u| u.failed_attempts);
    if failures < max {
        return Ok(false);
    }
    admin_user::Entity::update_many()
        .col_expr(admin_user::Column::FailedAttempts, Expr::value(0))
        .col_expr(
            admin_user::Column::LockedUntil,
            Expr::value(Some(lock_until)),
        )
        .filter(admin_user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    Ok(true)
}

/// Serialises transactions that name the same `(scope, key)` until they end (PostgreSQL
/// advisory lock; SQLite is serialised by its single connection already).
pub async fn serialize_on<C: ConnectionTrait>(
    conn: &C,
    scope: &str,
    key: &str,
) -> Result<(), DbErr> {
    if conn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let digest = crate::domain::secrets::sha256_hex(format!("{scope}\n{key}").as_bytes());
    let lock = i64::from_str_radix(&digest[..15], 16).unwrap_or(0);
    conn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [lock.into()],
    ))
    .await?;
    Ok(())
}

pub async fn record_success<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    admin_user::Entity::update_many()
        .col_expr(admin_user::Column::FailedAttempts, Expr::value(0))
        .col_expr(
            admin_user::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(admin_user::Column::LastLoginAt, Expr::value(Some(now)))
        .filter(admin_user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn insert_session<C: ConnectionTrait>(conn: &C, row: SessionRow) -> Result<(), DbErr> {
    let active: admin_session::ActiveModel = row.into();
    admin_session::Entity::insert(active)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn session_by_token_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<SessionRow>, DbErr> {
    admin_session::Entity::find()
        .filter(admin_session::Column::RefreshTokenHash.eq(hash))
        .one(conn)
        .await
}

/// Marks a live session as replaced by `next`; false when someone else already rotated it.
pub async fn mark_rotated<C: ConnectionTrait>(
    conn: &C,
    session_id: &str,
    next: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = admin_session::Entity::update_many()
        .col_expr(admin_session::Column::ReplacedBy, Expr::value(Some(next)))
        .col_expr(admin_session::Column::RevokedAt, Expr::value(Some(now)))
        .filter(admin_session::Column::Id.eq(session_id))
        .filter(admin_session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every session of a login family (logout, or reuse of a rotated token).
pub async fn revoke_family<C: ConnectionTrait>(
    conn: &C,
    family_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    admin_session::Entity::update_many()
        .col_expr(admin_session::Column::RevokedAt, Expr::value(Some(now)))
        .filter(admin_session::Column::FamilyId.eq(family_id))
        .filter(admin_session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether any session of the family is still live (access tokens die with their session).
pub async fn family_is_live<C: ConnectionTrait>(
    conn: &C,
    family_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(admin_session::Entity::find()
        .filter(admin_session::Column::FamilyId.eq(family_id))
        .filter(admin_session::Column::RevokedAt.is_null())
        .filter(admin_session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?
        .is_some())
}

pub async fn setting<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<String>, DbErr> {
    Ok(runtime_setting::Entity::find_by_id(key)
        .one(conn)
        .await?
        .map(|row| row.value))
}

pub async fn put_setting<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = runtime_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(now),
    };
    runtime_setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(runtime_setting::Column::Key)
                .update_columns([
                    runtime_setting::Column::Value,
                    runtime_setting::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
