//! Subscription rows ↔ the domain `Subscription`, and the queries the use cases need. Status
//! changes are conditional updates (`WHERE status = <from>`) so racing requests cannot both win.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};

use super::entities::budget;
use super::entities::subscription::{self, Column, Entity};
use crate::domain::{
    email::EmailAddress,
    mode::PaymentMode,
    plan::Plan,
    signup::Language,
    subscription::{Subscription, SubscriptionStatus},
};

/// A row that no longer parses (a bug or manual edit): reported as a database error.
fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("corrupt subscription row: {what} {value:?}"))
}

pub fn to_domain(row: subscription::Model) -> Result<Subscription, DbErr> {
    Ok(Subscription {
        email: EmailAddress::parse(&row.email).map_err(|_| corrupt("email", &row.email))?,
        plan: Plan::parse(&row.plan).ok_or_else(|| corrupt("plan", &row.plan))?,
        status: SubscriptionStatus::parse(&row.status)
            .ok_or_else(|| corrupt("status", &row.status))?,
        language: Language::parse(&row.language)
            .ok_or_else(|| corrupt("language", &row.language))?,
        mode: PaymentMode::parse(&row.mode).ok_or_else(|| corrupt("mode", &row.mode))?,
        id: row.id,
        name: row.name,
        status_reason: row.status_reason,
        country_code: row.country_code,
        tax_id: row.tax_id,
        phone_number: row.phone_number,
        price_cents: row.price_cents,
        currency: row.currency,
        token_limit: row.token_limit,
        tokens_used: row.tokens_used,
        pod_id: row.pod_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        activated_at: row.activated_at,
        provisioning_started_at: row.provisioning_started_at,
        period_start_at: row.period_start_at,
        period_end_at: row.period_end_at,
        cancelled_at: row.cancelled_at,
        destroyed_at: row.destroyed_at,
    })
}

/// What a new row stores besides the subscription itself.
#[derive(Debug, Clone)]
pub struct NewSubscriptionSecrets {
    pub api_key_hash: String,
    pub activation_token_hash: Option<String>,
    pub activation_token_expires_at: Option<DateTime<Utc>>,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: String,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    sub: &Subscription,
    secrets: NewSubscriptionSecrets,
) -> Result<(), DbErr> {
    Entity::insert(subscription::ActiveModel::from(new_row(sub, secrets)))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The row of a new subscription.
pub fn new_row(sub: &Subscription, secrets: NewSubscriptionSecrets) -> subscription::Model {
    subscription::Model {
        id: sub.id.clone(),
        email: sub.email.as_str().to_owned(),
        name: sub.name.clone(),
        plan: sub.plan.as_str().to_owned(),
        status: sub.status.as_str().to_owned(),
        status_reason: sub.status_reason.clone(),
        country_code: sub.country_code.clone(),
        tax_id: sub.tax_id.clone(),
        phone_number: sub.phone_number.clone(),
        language: sub.language.as_str().to_owned(),
        mode: sub.mode.as_str().to_owned(),
        price_cents: sub.price_cents,
        currency: sub.currency.clone(),
        token_limit: sub.token_limit,
        tokens_used: sub.tokens_used,
        pod_id: sub.pod_id.clone(),
        api_key_hash: secrets.api_key_hash,
        api_key_rotated_at: None,
        activation_token_hash: secrets.activation_token_hash,
        activation_token_expires_at: secrets.activation_token_expires_at,
        key_recovery_token_hash: None,
        key_recovery_expires_at: None,
        idempotency_key: secrets.idempotency_key,
        request_fingerprint: Some(secrets.request_fingerprint),
        // One live trial per email: a unique index on this column, set for trials only.
        live_trial_email: (sub.plan == Plan::Trial).then(|| sub.email.as_str().to_owned()),
        created_at: sub.created_at,
        updated_at: sub.updated_at,
        activated_at: sub.activated_at,
        provisioning_started_at: sub.provisioning_started_at,
        period_start_at: sub.period_start_at,
        period_end_at: sub.period_end_at,
        cancelled_at: sub.cancelled_at,
        destroyed_at: sub.destroyed_at,
    }
}

/// Inserts new subscriptions in the caller's transaction, skipping any that a unique index
/// refuses (a live trial for the email, a repeated idempotency key, …); answers the ids inserted.
pub async fn insert_new_many(
    txn: &DatabaseTransaction,
    rows: Vec<subscription::Model>,
) -> Result<Vec<String>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    if super::pg_batches::applies(txn)
        && let Some(inserted) = super::pg_batches::insert_signups(txn, &rows).await?
    {
        return Ok(inserted);
    }
    // One by one, each in a savepoint so a refused row leaves the others.
    let mut inserted = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id.clone();
        let savepoint = txn.begin().await?;
        match Entity::insert(subscription::ActiveModel::from(row))
            .exec_without_returning(&savepoint)
            .await
        {
            Ok(_) => {
                savepoint.commit().await?;
                inserted.push(id);
            }
            Err(error) if super::is_unique_violation(&error) => savepoint.rollback().await?,
            Err(error) => return Err(error),
        }
    }
    Ok(inserted)
}

async fn find_one<C: ConnectionTrait>(
    conn: &C,
    condition: Condition,
) -> Result<Option<subscription::Model>, DbErr> {
    Entity::find().filter(condition).one(conn).await
}

pub async fn find_by_id<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<Subscription>, DbErr> {
    Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn find_by_api_key_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<Subscription>, DbErr> {
    find_one(conn, Condition::all().add(Column::ApiKeyHash.eq(hash)))
        .await?
        .map(to_domain)
        .transpose()
}

/// The subscription an activation token belongs to, with the token's expiry.
pub async fn find_by_activation_token_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<(Subscription, Option<DateTime<Utc>>)>, DbErr> {
    find_by_token_hash(conn, Column::ActivationTokenHash, hash, |row| {
        row.activation_token_expires_at
    })
    .await
}

/// The subscription whose single-use token in `column` has this hash, with that token's expiry.
async fn find_by_token_hash<C: ConnectionTrait>(
    conn: &C,
    column: Column,
    hash: &str,
    expiry: fn(&subscription::Model) -> Option<DateTime<Utc>>,
) -> Result<Option<(Subscription, Option<DateTime<Utc>>)>, DbErr> {
    match find_one(conn, Condition::all().add(column.eq(hash))).await? {
        Some(row) => {
            let expires = expiry(&row);
            Ok(Some((to_domain(row)?, expires)))
        }
        None => Ok(None),
    }
}

/// The subscription created with an idempotency key, with the fingerprint of that request.
pub async fn find_by_idempotency_key<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> Result<Option<(Subscription, String)>, DbErr> {
    match find_one(conn, Condition::all().add(Column::IdempotencyKey.eq(key))).await? {
        Some(row) => {
            let fingerprint = row.request_fingerprint.clone().unwrap_or_default();
            Ok(Some((to_domain(row)?, fingerprint)))
        }
        None => Ok(None),
    }
}

/// Replaces the API key of a subscription still waiting for payment or activation (its emailed
/// activation link stands). Returns false when it has moved on meanwhile (nothing is changed then).
pub async fn reissue_api_key<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    api_key_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::ApiKeyHash, Expr::value(api_key_hash))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in([
            SubscriptionStatus::PendingPayment.as_str(),
            SubscriptionStatus::PendingActivation.as_str(),
        ]))
        // A key rotated or revoked since must not come back by replaying the create.
        .filter(Column::ApiKeyRotatedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Swaps the API key hash if it is still `old_hash`; false when a concurrent rotation won.
pub async fn replace_api_key_hash<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    old_hash: &str,
    new_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::ApiKeyHash, Expr::value(new_hash))
        .col_expr(Column::ApiKeyRotatedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::ApiKeyHash.eq(old_hash))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes the API key: its hash is replaced by `unusable_hash` (of a secret nobody holds) and
/// the recovery token (hash, expiry; none for a destroyed subscription) replaces any earlier one.
/// False for an unknown subscription.
pub async fn revoke_api_key<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    unusable_hash: &str,
    recovery: Option<(String, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (token_hash, expires) = recovery.unzip();
    let result = Entity::update_many()
        .col_expr(Column::ApiKeyHash, Expr::value(unusable_hash))
        .col_expr(Column::ApiKeyRotatedAt, Expr::value(Some(now)))
        .col_expr(Column::KeyRecoveryTokenHash, Expr::value(token_hash))
        .col_expr(Column::KeyRecoveryExpiresAt, Expr::value(expires))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The subscription a key recovery token belongs to, with the token's expiry.
pub async fn find_by_recovery_token_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<(Subscription, Option<DateTime<Utc>>)>, DbErr> {
    find_by_token_hash(conn, Column::KeyRecoveryTokenHash, hash, |row| {
        row.key_recovery_expires_at
    })
    .await
}

/// Spends a recovery token: sets the new key's hash and clears the token, only while the token
/// is still the subscription's and unexpired. False when a concurrent call spent it first.
pub async fn recover_api_key<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    recovery_hash: &str,
    new_key_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::ApiKeyHash, Expr::value(new_key_hash))
        .col_expr(Column::ApiKeyRotatedAt, Expr::value(Some(now)))
        .col_expr(Column::KeyRecoveryTokenHash, Expr::value(None::<String>))
        .col_expr(
            Column::KeyRecoveryExpiresAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::KeyRecoveryTokenHash.eq(recovery_hash))
        .filter(Column::KeyRecoveryExpiresAt.gt(now))
        .filter(Column::Status.ne(SubscriptionStatus::Destroyed.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Writes a status change only if the row is still in `from`. Returns whether it was written.
/// `sub` carries the new status and every timestamp the change sets.
pub async fn compare_and_set_status<C: ConnectionTrait>(
    conn: &C,
    sub: &Subscription,
    from: SubscriptionStatus,
) -> Result<bool, DbErr> {
    let mut update = Entity::update_many()
        .col_expr(Column::Status, Expr::value(sub.status.as_str()))
        .col_expr(Column::StatusReason, Expr::value(sub.status_reason.clone()))
        .col_expr(Column::UpdatedAt, Expr::value(sub.updated_at))
        .col_expr(Column::ActivatedAt, Expr::value(sub.activated_at))
        .col_expr(
            Column::ProvisioningStartedAt,
            Expr::value(sub.provisioning_started_at),
        )
        .col_expr(Column::PeriodStartAt, Expr::value(sub.period_start_at))
        .col_expr(Column::PeriodEndAt, Expr::value(sub.period_end_at))
        .col_expr(Column::CancelledAt, Expr::value(sub.cancelled_at))
        .col_expr(Column::DestroyedAt, Expr::value(sub.destroyed_at));
    if !sub.status.is_live() {
        // The trial is over: the email may start another one.
        update = update.col_expr(Column::LiveTrialEmail, Expr::value(Option::<String>::None));
    }
    let result = update
        .filter(Column::Id.eq(sub.id.as_str()))
        .filter(Column::Status.eq(from.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Subscriptions in `status` whose `column` is before `cutoff` (for the lifecycle job).
pub async fn due<C: ConnectionTrait>(
    conn: &C,
    statuses: &[SubscriptionStatus],
    column: Column,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Subscription>, DbErr> {
    Entity::find()
        .filter(Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
        .filter(column.lt(cutoff))
        .order_by_asc(column)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Filters for admin listings.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub status: Option<SubscriptionStatus>,
    pub plan: Option<Plan>,
    pub email: Option<String>,
    pub mode: Option<PaymentMode>,
}

pub(super) fn condition(filter: &ListFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
    }
    if let Some(plan) = filter.plan {
        condition = condition.add(Column::Plan.eq(plan.as_str()));
    }
    if let Some(email) = &filter.email {
        condition = condition.add(Column::Email.eq(email.as_str()));
    }
    if let Some(mode) = filter.mode {
        condition = condition.add(Column::Mode.eq(mode.as_str()));
    }
    condition
}

/// Newest first, `offset`/`limit` paging, plus the total count.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &ListFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Subscription>, u64), DbErr> {
    let total = Entity::find().filter(condition(filter)).count(conn).await?;
    let rows = Entity::find()
        .filter(condition(filter))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .find_also_related(budget::Entity)
        .all(conn)
        .await?;
    let subs = rows
        .into_iter()
        .map(with_budget)
        .collect::<Result<_, _>>()?;
    Ok((subs, total))
}

/// The subscriptions with these ids, as operators read them (see [`with_budget`]).
pub async fn by_ids<C: ConnectionTrait>(
    conn: &C,
    ids: &[String],
) -> Result<Vec<Subscription>, DbErr> {
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().map(String::as_str)))
        .find_also_related(budget::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(with_budget)
        .collect()
}

/// Every subscription of a mode (admin views aggregate in memory; volumes are small).
pub async fn all_in_mode<C: ConnectionTrait>(
    conn: &C,
    mode: PaymentMode,
) -> Result<Vec<Subscription>, DbErr> {
    Entity::find()
        .filter(Column::Mode.eq(mode.as_str()))
        .order_by_desc(Column::CreatedAt)
        .find_also_related(budget::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(with_budget)
        .collect()
}

/// A subscription as operators read it: once activated, its token figures are its budget's for
/// the current period (the budget is where spending is counted; the row keeps the plan's).
fn with_budget(
    (row, budget): (subscription::Model, Option<budget::Model>),
) -> Result<Subscription, DbErr> {
    let mut sub = to_domain(row)?;
    if let Some(budget) = budget {
        sub.token_limit = budget.limit_tokens;
        sub.tokens_used = budget.committed_tokens;
    }
    Ok(sub)
}

/// Issues the activation token of a subscription whose payment was just verified.
pub async fn set_activation_token<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::ActivationTokenHash, Expr::value(Some(token_hash)))
        .col_expr(
            Column::ActivationTokenExpiresAt,
            Expr::value(Some(expires_at)),
        )
        .filter(Column::Id.eq(id))
        // Only while activating means something: a link for an activated subscription is noise.
        .filter(Column::Status.is_in([
            SubscriptionStatus::PendingActivation.as_str(),
            SubscriptionStatus::Failed.as_str(),
        ]))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Reads a subscription and, on PostgreSQL, locks its row until the transaction ends (SQLite
/// serialises writers already).
pub async fn find_for_update<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<Subscription>, DbErr> {
    let mut query = Entity::find_by_id(id);
    if conn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(conn).await?.map(to_domain).transpose()
}
