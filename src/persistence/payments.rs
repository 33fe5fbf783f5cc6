//! Payment rows as the admin views read them. (The payments service writes them.)

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entities::payment::{self, Column, Entity};
use crate::domain::mode::PaymentMode;

/// Status names as stored.
pub const COMPLETED: &str = "completed";
pub const PARTIALLY_REFUNDED: &str = "partially_refunded";

/// A payment row (kept as the entity: the admin views only read a few fields).
pub type PaymentRow = payment::Model;

pub async fn in_mode<C: ConnectionTrait>(
    conn: &C,
    mode: PaymentMode,
) -> Result<Vec<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::Mode.eq(mode.as_str()))
        .order_by_desc(Column::CreatedAt)
        .all(conn)
        .await
}

pub async fn for_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Vec<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::CustomerEmail.eq(email))
        .order_by_desc(Column::CreatedAt)
        .all(conn)
        .await
}

/// Fields of a new payment row.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub id: String,
    pub subscription_id: String,
    pub status: String,
    pub amount_cents: i64,
    pub currency: String,
    pub mode: PaymentMode,
    pub customer_email: String,
    pub plan: String,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, new: NewPayment) -> Result<(), DbErr> {
    let row = payment::ActiveModel {
        id: Set(new.id),
        subscription_id: Set(new.subscription_id),
        status: Set(new.status),
        amount_cents: Set(new.amount_cents),
        refunded_cents: Set(0),
        currency: Set(new.currency),
        mode: Set(new.mode.as_str().to_owned()),
        customer_email: Set(new.customer_email),
        plan: Set(new.plan),
        paypal_order_id: Set(None),
        paypal_capture_id: Set(None),
        status_reason: Set(String::new()),
        created_at: Set(new.created_at),
        updated_at: Set(new.created_at),
        completed_at: Set(new.completed_at),
    };
    Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

pub async fn by_id<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<PaymentRow>, DbErr> {
    Entity::find_by_id(id).one(conn).await
}

pub async fn by_order_id<C: ConnectionTrait>(
    conn: &C,
    order_id: &str,
) -> Result<Option<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::PaypalOrderId.eq(order_id))
        .one(conn)
        .await
}

/// Records the PayPal order of a new payment attempt.
pub async fn set_order_id<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    order_id: &str,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::PaypalOrderId,
            sea_orm::sea_query::Expr::value(Some(order_id)),
        )
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The outcome of a capture, written only while the payment is still in `from`.
pub async fn record_capture<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    from: &str,
    status: &str,
    capture_id: Option<&str>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let completed_at = (status == COMPLETED).then_some(now);
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::PaypalCaptureId, Expr::value(capture_id))
        .col_expr(Column::StatusReason, Expr::value(reason))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::CompletedAt, Expr::value(completed_at))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn by_capture_id<C: ConnectionTrait>(
    conn: &C,
    capture_id: &str,
) -> Result<Option<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::PaypalCaptureId.eq(capture_id))
        .one(conn)
        .await
}

/// A refund or reversal of a completed payment, written only while it is still in `from`.
pub async fn record_refund<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    from: &str,
    status: &str,
    refunded_cents: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::RefundedCents, Expr::value(refunded_cents))
        .col_expr(Column::StatusReason, Expr::value(reason))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn by_ids<C: ConnectionTrait>(
    conn: &C,
    ids: &[String],
) -> Result<Vec<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().map(String::as_str)))
        .all(conn)
        .await
}
