//! Payment rows as the admin views read them. (The payments service writes them.)

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entities::payment::{self, Column, Entity};
use crate::domain::mode::PaymentMode;

/// Status names as stored.
pub const CREATED: &str = "created";
pub const PENDING: &str = "pending";
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
        approve_url: Set(String::new()),
        capturing_until: Set(None),
        refund_owed_cents: Set(0),
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

/// Records the PayPal order of a payment attempt and its approval link (once: every call for
/// one attempt gets the same order, by its PayPal-Request-Id).
pub async fn set_order<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    order_id: &str,
    approve_url: &str,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::PaypalOrderId, Expr::value(Some(order_id)))
        .col_expr(Column::ApproveUrl, Expr::value(approve_url))
        .filter(Column::Id.eq(id))
        .filter(Column::PaypalOrderId.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// The newest attempt of a subscription still open for the buyer (created since `since`, not
/// captured), if any.
pub async fn open_attempt<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    since: DateTime<Utc>,
) -> Result<Option<PaymentRow>, DbErr> {
    Entity::find()
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(Column::Status.eq(CREATED))
        .filter(Column::CreatedAt.gte(since))
        .order_by_desc(Column::CreatedAt)
        .one(conn)
        .await
}

/// How many payment attempts a subscription has.
pub async fn attempts<C: ConnectionTrait>(conn: &C, subscription_id: &str) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    Entity::find()
        .filter(Column::SubscriptionId.eq(subscription_id))
        .count(conn)
        .await
}

/// Whether another payment of the subscription has a capture in flight at `now`.
pub async fn capture_in_flight<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
    except_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::SubscriptionId.eq(subscription_id))
        .filter(Column::Id.ne(except_id))
        .filter(Column::CapturingUntil.gt(now))
        .one(conn)
        .await?
        .is_some())
}

/// Claims (`until` = Some) or frees (None) a payment for a capture; a claim succeeds only when no
/// unexpired claim holds it and it is still unsettled (`created` or `pending`).
pub async fn set_capture_claim<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    now: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::{Condition, Expr};
    let mut update = Entity::update_many()
        .col_expr(Column::CapturingUntil, Expr::value(until))
        .filter(Column::Id.eq(id));
    if until.is_some() {
        update = update
            .filter(Column::Status.is_in([CREATED, PENDING]))
            .filter(
                Condition::any()
                    .add(Column::CapturingUntil.is_null())
                    .add(Column::CapturingUntil.lte(now)),
            );
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
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

/// Records that a capture of the wrong amount owes the buyer `cents` back.
pub async fn owe_refund<C: ConnectionTrait>(conn: &C, id: &str, cents: i64) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::RefundOwedCents, Expr::value(cents))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Payments that owe the buyer a refund, oldest first.
pub async fn refunds_owed<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<PaymentRow>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    Entity::find()
        .filter(Column::RefundOwedCents.gt(0))
        .filter(Column::PaypalCaptureId.is_not_null())
        .order_by_asc(Column::UpdatedAt)
        .limit(limit)
        .all(conn)
        .await
}

/// The owed refund was given back: nothing is owed any more and it counts as refunded. False when
/// another process settled it first.
pub async fn settle_owed_refund<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    owed_cents: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let result = Entity::update_many()
        .col_expr(Column::RefundOwedCents, Expr::value(0i64))
        .col_expr(
            Column::RefundedCents,
            Expr::col(Column::RefundedCents).add(owed_cents),
        )
        .col_expr(Column::StatusReason, Expr::value(reason))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::RefundOwedCents.eq(owed_cents))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
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
