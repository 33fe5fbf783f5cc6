//! Agent sessions and decisions. A pod's active-session count is a counter on the pod row moved
//! only by conditional updates, so the per-pod maximum holds under concurrency and across
//! processes.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::entities::{
    agent_decision::{self, Column as DecisionColumn, Entity as Decisions},
    agent_session::{self, Column as SessionColumn, Entity as Sessions},
    pod::{Column as PodColumn, Entity as Pods},
};
use crate::domain::agent::{DecisionStatus, SessionStatus};

pub type SessionRow = agent_session::Model;
pub type DecisionRow = agent_decision::Model;

/// Takes one of the pod's session slots if fewer than `max` are taken.
pub async fn take_slot<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    max: i32,
) -> Result<bool, DbErr> {
    let result = Pods::update_many()
        .col_expr(
            PodColumn::ActiveSessions,
            Expr::col(PodColumn::ActiveSessions).add(1),
        )
        .filter(PodColumn::PodId.eq(pod_id))
        .filter(PodColumn::ActiveSessions.lt(max))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn free_slot<C: ConnectionTrait>(conn: &C, pod_id: &str) -> Result<(), DbErr> {
    Pods::update_many()
        .col_expr(
            PodColumn::ActiveSessions,
            Expr::col(PodColumn::ActiveSessions).sub(1),
        )
        .filter(PodColumn::PodId.eq(pod_id))
        .filter(PodColumn::ActiveSessions.gt(0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn active_count<C: ConnectionTrait>(conn: &C, pod_id: &str) -> Result<u64, DbErr> {
    Sessions::find()
        .filter(SessionColumn::PodId.eq(pod_id))
        .filter(SessionColumn::Status.eq(SessionStatus::Active.as_str()))
        .count(conn)
        .await
}

pub async fn insert_session<C: ConnectionTrait>(conn: &C, row: SessionRow) -> Result<(), DbErr> {
    Sessions::insert(agent_session::ActiveModel::from(row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn session<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<SessionRow>, DbErr> {
    Sessions::find_by_id(id).one(conn).await
}

pub async fn session_by_key<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    key: &str,
) -> Result<Option<SessionRow>, DbErr> {
    Sessions::find()
        .filter(SessionColumn::PodId.eq(pod_id))
        .filter(SessionColumn::IdempotencyKey.eq(key))
        .one(conn)
        .await
}

/// Ends an active session (only once). Returns whether this call ended it.
pub async fn end_session<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    status: SessionStatus,
    reason: &str,
    idle_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = Sessions::update_many()
        .col_expr(SessionColumn::Status, Expr::value(status.as_str()))
        .col_expr(SessionColumn::EndReason, Expr::value(reason))
        .col_expr(SessionColumn::EndedAt, Expr::value(Some(now)))
        .filter(SessionColumn::Id.eq(id))
        .filter(SessionColumn::Status.eq(SessionStatus::Active.as_str()));
    if let Some(cutoff) = idle_before {
        update = update.filter(SessionColumn::LastActivityAt.lt(cutoff));
    }
    let result = update.exec(conn).await?;
    Ok(result.rows_affected == 1)
}

/// Activity in one of the pod's active sessions: tokens spent under it, and it is not idle.
pub async fn touch_session<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    id: &str,
    tokens: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Sessions::update_many()
        .col_expr(
            SessionColumn::TokensUsed,
            Expr::col(SessionColumn::TokensUsed).add(tokens),
        )
        .col_expr(SessionColumn::LastActivityAt, Expr::value(now))
        .filter(SessionColumn::Id.eq(id))
        .filter(SessionColumn::PodId.eq(pod_id))
        .filter(SessionColumn::Status.eq(SessionStatus::Active.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Active sessions idle since before `cutoff`.
pub async fn idle_sessions<C: ConnectionTrait>(
    conn: &C,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<SessionRow>, DbErr> {
    Sessions::find()
        .filter(SessionColumn::Status.eq(SessionStatus::Active.as_str()))
        .filter(SessionColumn::LastActivityAt.lt(cutoff))
        .limit(limit)
        .all(conn)
        .await
}

pub async fn insert_decision<C: ConnectionTrait>(conn: &C, row: DecisionRow) -> Result<(), DbErr> {
    Decisions::insert(agent_decision::ActiveModel::from(row))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn decision<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<DecisionRow>, DbErr> {
    Decisions::find_by_id(id).one(conn).await
}

pub async fn decision_by_key<C: ConnectionTrait>(
    conn: &C,
    pod_id: &str,
    key: &str,
) -> Result<Option<DecisionRow>, DbErr> {
    Decisions::find()
        .filter(DecisionColumn::PodId.eq(pod_id))
        .filter(DecisionColumn::IdempotencyKey.eq(key))
        .one(conn)
        .await
}

/// Moves a proposed decision to `to` (only once). Returns whether this call moved it.
pub async fn settle_decision<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    to: DecisionStatus,
    reviewer: &str,
    notes: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Decisions::update_many()
        .col_expr(DecisionColumn::Status, Expr::value(to.as_str()))
        .col_expr(DecisionColumn::ReviewedByUserId, Expr::value(reviewer))
        .col_expr(DecisionColumn::ReviewNotes, Expr::value(notes))
        .col_expr(DecisionColumn::ReviewedAt, Expr::value(Some(now)))
        .filter(DecisionColumn::Id.eq(id))
        .filter(DecisionColumn::Status.eq(DecisionStatus::Proposed.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Proposals whose review window closed.
pub async fn overdue_proposals<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DecisionRow>, DbErr> {
    Decisions::find()
        .filter(DecisionColumn::Status.eq(DecisionStatus::Proposed.as_str()))
        .filter(DecisionColumn::ExpiresAt.lte(now))
        .limit(limit)
        .all(conn)
        .await
}

#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub pod_id: Option<String>,
    pub session_id: Option<String>,
    pub status: Option<DecisionStatus>,
    pub decision_type: Option<&'static str>,
    pub requires_approval_only: bool,
    pub ids: Vec<String>,
}

fn decision_condition(filter: &DecisionFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(pod) = &filter.pod_id {
        condition = condition.add(DecisionColumn::PodId.eq(pod.as_str()));
    }
    if let Some(session) = &filter.session_id {
        condition = condition.add(DecisionColumn::SessionId.eq(session.as_str()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(DecisionColumn::Status.eq(status.as_str()));
    }
    if let Some(kind) = filter.decision_type {
        condition = condition.add(DecisionColumn::DecisionType.eq(kind));
    }
    if filter.requires_approval_only {
        condition = condition.add(DecisionColumn::RequiresApproval.eq(true));
    }
    if !filter.ids.is_empty() {
        condition = condition.add(DecisionColumn::Id.is_in(filter.ids.clone()));
    }
    condition
}

/// Newest first, with the total count.
pub async fn decisions<C: ConnectionTrait>(
    conn: &C,
    filter: &DecisionFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<DecisionRow>, u64), DbErr> {
    let total = Decisions::find()
        .filter(decision_condition(filter))
        .count(conn)
        .await?;
    let rows = Decisions::find()
        .filter(decision_condition(filter))
        .order_by_desc(DecisionColumn::CreatedAt)
        .order_by_desc(DecisionColumn::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((rows, total))
}
