//! The money ledger: recorded once per provider reference (a capture or refund id).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use super::entities::payment_transaction::{self, Column, Entity};
use super::payments::PaymentRow;
use crate::domain::secrets::new_id;

pub type TransactionRow = payment_transaction::Model;

/// A movement to record for a payment.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub kind: &'static str,
    pub status: &'static str,
    pub amount_cents: i64,
    pub provider_reference: &'a str,
    pub reason: &'a str,
    pub actor_user_id: &'a str,
}

/// Records a movement once per provider reference (replays and webhooks echoing our own actions
/// add no row; a repeat only updates the status).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    payment: &PaymentRow,
    movement: Movement<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = payment_transaction::ActiveModel {
        id: Set(new_id("txn_")),
        payment_id: Set(payment.id.clone()),
        subscription_id: Set(payment.subscription_id.clone()),
        kind: Set(movement.kind.to_owned()),
        status: Set(movement.status.to_owned()),
        amount_cents: Set(movement.amount_cents),
        currency: Set(payment.currency.clone()),
        provider_reference: Set(movement.provider_reference.to_owned()),
        reason: Set(movement.reason.to_owned()),
        actor_user_id: Set(movement.actor_user_id.to_owned()),
        created_at: Set(now),
    };
    Entity::insert(row)
        // A movement seen again (a PENDING refund later COMPLETED) takes its newest status.
        .on_conflict(
            OnConflict::column(Column::ProviderReference)
                .update_column(Column::Status)
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn by_id<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<TransactionRow>, DbErr> {
    Entity::find_by_id(id).one(conn).await
}

/// Filters of the ledger listing.
#[derive(Debug, Default, Clone)]
pub struct LedgerFilter {
    pub payment_ids: Option<Vec<String>>,
    pub subscription_id: Option<String>,
    pub kind: Option<&'static str>,
    pub status: Option<&'static str>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Newest first, with the total.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &LedgerFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<TransactionRow>, u64), DbErr> {
    let mut condition = Condition::all();
    if let Some(ids) = &filter.payment_ids {
        condition = condition.add(Column::PaymentId.is_in(ids.iter().map(String::as_str)));
    }
    if let Some(id) = &filter.subscription_id {
        condition = condition.add(Column::SubscriptionId.eq(id.as_str()));
    }
    if let Some(kind) = filter.kind {
        condition = condition.add(Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status));
    }
    if let Some(since) = filter.since {
        condition = condition.add(Column::CreatedAt.gte(since));
    }
    if let Some(until) = filter.until {
        condition = condition.add(Column::CreatedAt.lt(until));
    }
    let total = Entity::find().filter(condition.clone()).count(conn).await?;
    let rows = Entity::find()
        .filter(condition)
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((rows, total))
}

pub async fn by_reference<C: ConnectionTrait>(
    conn: &C,
    reference: &str,
) -> Result<Option<TransactionRow>, DbErr> {
    Entity::find()
        .filter(Column::ProviderReference.eq(reference))
        .one(conn)
        .await
}
