//! Queued customer emails.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use super::entities::email_outbox::{self, Column, Entity};
use crate::domain::secrets::new_id;

pub type QueuedEmail = email_outbox::Model;

/// Queues a message made by [`new_queued`] in the caller's transaction.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, queued: &QueuedEmail) -> Result<(), DbErr> {
    Entity::insert(email_outbox::ActiveModel::from(queued.clone()))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// A message to queue, claimed until `claimed_until` for the delivery its caller makes once the
/// transaction that writes it commits (the worker takes it only after that); not yet written.
pub fn new_queued(
    (to, subject, text, html): (&str, &str, &str, &str),
    (now, claimed_until): (DateTime<Utc>, DateTime<Utc>),
) -> QueuedEmail {
    QueuedEmail {
        id: new_id("eml_"),
        recipient: to.to_owned(),
        subject: subject.to_owned(),
        text_body: text.to_owned(),
        html_body: html.to_owned(),
        attempts: 0,
        next_attempt_at: claimed_until,
        sent_at: None,
        provider_message_id: None,
        last_error: None,
        created_at: now,
    }
}

/// Writes messages made by [`new_queued`] in the caller's transaction.
pub async fn insert_many<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<QueuedEmail>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    if super::pg_batches::applies(conn)
        && super::pg_batches::insert_emails(conn, &rows)
            .await?
            .is_some()
    {
        return Ok(());
    }
    Entity::insert_many(rows.into_iter().map(email_outbox::ActiveModel::from))
        .exec_without_returning(conn)
        .await?;
    Ok(())
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
