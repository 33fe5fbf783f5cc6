//! Queued customer emails.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};

use super::entities::email_outbox::{self, Column, Entity};
use crate::domain::secrets::new_id;

pub type QueuedEmail = email_outbox::Model;

/// Queues a message in the caller's transaction, claimed until `claimed_until` for the delivery
/// its caller makes once the transaction commits; the worker takes it only after that.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
    (now, claimed_until): (DateTime<Utc>, DateTime<Utc>),
) -> Result<String, DbErr> {
    let id = new_id("eml_");
    let row = email_outbox::ActiveModel {
        id: Set(id.clone()),
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        text_body: Set(text.to_owned()),
        html_body: Set(html.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(claimed_until),
        sent_at: Set(None),
        provider_message_id: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    };
    Entity::insert(row).exec_without_returning(conn).await?;
    Ok(id)
}

/// Unsent messages due by `now`, oldest first.
pub async fn due<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<QueuedEmail>, DbErr> {
    Entity::find()
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .order_by_asc(Column::CreatedAt)
        .limit(limit)
        .all(conn)
        .await
}

/// Claims a due message for one delivery attempt until `until` (its next attempt time moves
/// there), so two workers or server processes never send it both; false when another took it
/// or it is sent. A worker that dies mid-attempt leaves it due again at `until`.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::NextAttemptAt, Expr::value(until))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks a message sent, once (a concurrent worker that lost the race changes nothing).
pub async fn mark_sent<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::SentAt, Expr::value(Some(now)))
        .col_expr(Column::ProviderMessageId, Expr::value(Some(message_id)))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn mark_failed<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    attempts: i32,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(Column::LastError, Expr::value(Some(error)))
        .col_expr(Column::NextAttemptAt, Expr::value(next_attempt_at))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// One unsent message by id.
pub async fn unsent<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<QueuedEmail>, DbErr> {
    Entity::find()
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .one(conn)
        .await
}
