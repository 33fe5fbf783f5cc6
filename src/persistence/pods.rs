//! Pods: one row per subscription. Every change is a compare-and-set on (status, generation), so
//! the reconciler, admin calls and several processes never overwrite each other.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};

use super::entities::pod::{self, Column, Entity};
use super::entities::{budget, pod_status_change, subscription};
use crate::domain::budget::Budget;
use crate::domain::pod::{Pod, PodStatus, StatusChange};
use crate::domain::subscription::Subscription;

fn to_domain(row: pod::Model) -> Result<Pod, DbErr> {
    Ok(Pod {
        status: PodStatus::parse(&row.status)
            .ok_or_else(|| DbErr::Custom(format!("corrupt pod row: status {:?}", row.status)))?,
        pod_id: row.pod_id,
        subscription_id: row.subscription_id,
        status_reason: row.status_reason,
        destroy_requested: row.destroy_requested,
        generation: row.generation,
        task_arn: row.task_arn,
        endpoint: row.endpoint,
        public_ip: row.public_ip,
        private_ip: row.private_ip,
        run_seconds: row.run_seconds,
        redeploys: row.redeploys,
        created_at: row.created_at,
        updated_at: row.updated_at,
        provisioning_started_at: row.provisioning_started_at,
        started_at: row.started_at,
        stopped_at: row.stopped_at,
        destroyed_at: row.destroyed_at,
    })
}

/// Inserts a new pod (first activation of a subscription).
pub async fn insert<C: ConnectionTrait>(conn: &C, pod: &Pod) -> Result<(), DbErr> {
    let row = pod::ActiveModel {
        pod_id: Set(pod.pod_id.clone()),
        subscription_id: Set(pod.subscription_id.clone()),
        status: Set(pod.status.as_str().to_owned()),
        status_reason: Set(pod.status_reason.clone()),
        destroy_requested: Set(pod.destroy_requested),
        generation: Set(pod.generation),
        task_arn: Set(pod.task_arn.clone()),
        endpoint: Set(pod.endpoint.clone()),
        public_ip: Set(pod.public_ip.clone()),
        private_ip: Set(pod.private_ip.clone()),
        pod_token_hash: Set(None),
        run_seconds: Set(pod.run_seconds),
        active_sessions: Set(0),
        redeploys: Set(pod.redeploys),
        created_at: Set(pod.created_at),
        updated_at: Set(pod.updated_at),
        provisioning_started_at: Set(pod.provisioning_started_at),
        started_at: Set(pod.started_at),
        stopped_at: Set(pod.stopped_at),
        destroyed_at: Set(pod.destroyed_at),
    };
    Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

/// Writes `pod` only if the row still is `current` (status, generation, task and destroy request): a change based
/// on a stale read never overwrites a task another caller just recorded. Returns whether it was
/// written.
pub async fn compare_and_set<C: ConnectionTrait>(
    conn: &C,
    pod: &Pod,
    current: &Pod,
) -> Result<bool, DbErr> {
    let (from, generation) = (current.status, current.generation);
    let mut update = Entity::update_many()
        .col_expr(Column::Status, Expr::value(pod.status.as_str()))
        .col_expr(Column::StatusReason, Expr::value(pod.status_reason.clone()))
        .col_expr(Column::DestroyRequested, Expr::value(pod.destroy_requested))
        .col_expr(Column::Generation, Expr::value(pod.generation))
        .col_expr(Column::TaskArn, Expr::value(pod.task_arn.clone()))
        .col_expr(Column::Endpoint, Expr::value(pod.endpoint.clone()))
        .col_expr(Column::PublicIp, Expr::value(pod.public_ip.clone()))
        .col_expr(Column::PrivateIp, Expr::value(pod.private_ip.clone()))
        .col_expr(Column::RunSeconds, Expr::value(pod.run_seconds))
        .col_expr(Column::Redeploys, Expr::value(pod.redeploys))
        .col_expr(Column::UpdatedAt, Expr::value(pod.updated_at))
        .col_expr(
            Column::ProvisioningStartedAt,
            Expr::value(pod.provisioning_started_at),
        )
        .col_expr(Column::StartedAt, Expr::value(pod.started_at))
        .col_expr(Column::StoppedAt, Expr::value(pod.stopped_at))
        .col_expr(Column::DestroyedAt, Expr::value(pod.destroyed_at));
    if pod.generation != generation || pod.status == PodStatus::Destroyed || pod.destroy_requested {
        // A new run (or none ever again): the previous run's token stops working.
        update = update.col_expr(Column::PodTokenHash, Expr::value(Option::<String>::None));
    }
    let result = update
        .filter(Column::PodId.eq(pod.pod_id.as_str()))
        .filter(Column::Status.eq(from.as_str()))
        .filter(Column::Generation.eq(generation))
        .filter(Column::TaskArn.eq(current.task_arn.as_str()))
        // A destroy recorded meanwhile must not be undone by a change read before it.
        .filter(Column::DestroyRequested.eq(current.destroy_requested))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records the task a start of `generation` got, with the hash of that run's pod token. Only the
/// first caller writes (concurrent deployers of one generation got the same task from the
/// driver's idempotency).
pub async fn set_task<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    generation: i64,
    task_arn: &str,
    endpoint: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::TaskArn, Expr::value(task_arn))
        .col_expr(Column::Endpoint, Expr::value(endpoint))
        .col_expr(
            Column::PodTokenHash,
            Expr::value(Some(token_hash.to_owned())),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::PodId.eq(pod_id))
        .filter(Column::Generation.eq(generation))
        .filter(Column::Status.eq(PodStatus::Provisioning.as_str()))
        .filter(Column::TaskArn.eq(""))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn find<C: ConnectionTrait>(conn: &C, pod_id: &str) -> Result<Option<Pod>, DbErr> {
    Entity::find_by_id(pod_id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn find_by_subscription<C: ConnectionTrait>(
    conn: &C,
    subscription_id: &str,
) -> Result<Option<Pod>, DbErr> {
    Entity::find()
        .filter(Column::SubscriptionId.eq(subscription_id))
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The pod whose current run holds the token with this hash.
pub async fn find_by_token_hash<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<Pod>, DbErr> {
    Entity::find()
        .filter(Column::PodTokenHash.eq(token_hash))
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The pod whose current run holds the token with this hash, with its subscription and budget
/// (none before activation), in one query: the metering proxy's read before every call.
pub async fn find_caller_by_token_hash<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<(Pod, Subscription, Option<Budget>)>, DbErr> {
    let Some((pod, sub, budget)) = Entity::find()
        .filter(Column::PodTokenHash.eq(token_hash))
        .find_also_related(subscription::Entity)
        .find_also(subscription::Entity, budget::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let sub =
        sub.ok_or_else(|| DbErr::Custom(format!("pod {} has no subscription", pod.pod_id)))?;
    Ok(Some((
        to_domain(pod)?,
        super::subscriptions::to_domain(sub)?,
        budget.map(super::budgets::to_domain),
    )))
}

/// Which pods an operator lists: subscription-level filters and the pod's own status.
#[derive(Debug, Clone, Default)]
pub struct PodFilter {
    pub subscriptions: super::subscriptions::ListFilter,
    pub subscription_id: Option<String>,
    pub status: Option<PodStatus>,
    pub include_destroyed: bool,
}

/// One page of pods, newest first, paged in SQL, plus how many match.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &PodFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Pod>, u64), DbErr> {
    use super::entities::subscription;
    use sea_orm::{PaginatorTrait, sea_query::Query};
    let mut subscriptions = Query::select();
    subscriptions
        .column(subscription::Column::Id)
        .from(subscription::Entity)
        .cond_where(super::subscriptions::condition(&filter.subscriptions));
    let mut condition =
        sea_orm::Condition::all().add(Column::SubscriptionId.in_subquery(subscriptions.to_owned()));
    if let Some(id) = &filter.subscription_id {
        condition = condition.add(Column::SubscriptionId.eq(id.as_str()));
    }
    match filter.status {
        Some(status) => condition = condition.add(Column::Status.eq(status.as_str())),
        None if !filter.include_destroyed => {
            condition = condition.add(Column::Status.ne(PodStatus::Destroyed.as_str()));
        }
        None => {}
    }
    let total = Entity::find().filter(condition.clone()).count(conn).await?;
    let pods = Entity::find()
        .filter(condition)
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::PodId)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect::<Result<_, _>>()?;
    Ok((pods, total))
}

/// One page of the pods whose task must be watched, by pod id after `after` (keyset paging: a
/// pass reaches every such pod however many there are, and none twice).
pub async fn with_tasks<C: ConnectionTrait>(
    conn: &C,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Pod>, DbErr> {
    let mut query = Entity::find().filter(
        Column::Status.is_in(
            PodStatus::ALL
                .into_iter()
                .filter(|s| s.has_task())
                .map(PodStatus::as_str),
        ),
    );
    if let Some(after) = after {
        query = query.filter(Column::PodId.gt(after));
    }
    query
        .order_by_asc(Column::PodId)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// These pods as stored now.
pub async fn by_ids<C: ConnectionTrait>(conn: &C, pod_ids: Vec<String>) -> Result<Vec<Pod>, DbErr> {
    Entity::find()
        .filter(Column::PodId.is_in(pod_ids))
        .order_by_asc(Column::PodId)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Records one status change of `pod` in its history, in the caller's transaction.
pub async fn append_status_change<C: ConnectionTrait>(
    conn: &C,
    pod: &Pod,
    previous: Option<PodStatus>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    pod_status_change::Entity::insert(pod_status_change::ActiveModel {
        pod_id: Set(pod.pod_id.clone()),
        previous_status: Set(previous.map_or("", PodStatus::as_str).to_owned()),
        status: Set(pod.status.as_str().to_owned()),
        reason: Set(pod.status_reason.clone()),
        occurred_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The newest `limit` status changes of a pod, newest first.
pub async fn status_history<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    limit: u64,
) -> Result<Vec<StatusChange>, DbErr> {
    use pod_status_change::Column as C;
    let corrupt = |name: &str| DbErr::Custom(format!("corrupt pod status change: status {name:?}"));
    pod_status_change::Entity::find()
        .filter(C::PodId.eq(pod_id))
        .order_by_desc(C::Seq)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            let previous = match row.previous_status.as_str() {
                "" => None,
                name => Some(PodStatus::parse(name).ok_or_else(|| corrupt(name))?),
            };
            Ok(StatusChange {
                previous,
                status: PodStatus::parse(&row.status).ok_or_else(|| corrupt(&row.status))?,
                reason: row.reason,
                at: row.occurred_at,
            })
        })
        .collect()
}
