//! The audit log table: appends are serialised so the hash chain has no forks.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use super::entities::audit_log::{self, Column, Entity};
use crate::domain::audit::{AuditRecord, GENESIS_HASH};

pub type AuditRow = audit_log::Model;

const HEAD_KEY: &str = "audit_head";

/// The `(sequence, hash)` of the newest row ever appended.
pub async fn head<C: ConnectionTrait>(conn: &C) -> Result<Option<(i64, String)>, DbErr> {
    Ok(super::admin::setting(conn, HEAD_KEY)
        .await?
        .and_then(|value| {
            let (sequence, hash) = value.split_once(':')?;
            Some((sequence.parse().ok()?, hash.to_owned()))
        }))
}

/// Appends a record inside the caller's transaction; sets its sequence and hashes.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    mut record: AuditRecord,
) -> Result<AuditRow, DbErr> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        // One writer at a time, until the transaction ends: the next row must see this one.
        conn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7262160417)",
        ))
        .await?;
    }
    let last = Entity::find()
        .order_by_desc(Column::Sequence)
        .one(conn)
        .await?;
    let (sequence, prev_hash) = match last {
        Some(row) => (row.sequence + 1, row.hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    record.sequence = sequence;
    let hash = record.chain_hash(&prev_hash);
    let row = AuditRow {
        sequence,
        audit_id: record.audit_id,
        occurred_at: record.occurred_at,
        actor_user_id: record.actor_user_id,
        actor_email: record.actor_email,
        action: record.action,
        resource_type: record.resource_type,
        resource_id: record.resource_id,
        success: record.success,
        client_ip: record.client_ip,
        user_agent: record.user_agent,
        details_json: record.details_json,
        prev_hash,
        hash,
    };
    let active: audit_log::ActiveModel = row.clone().into();
    Entity::insert(active).exec_without_returning(conn).await?;
    // The head of the chain, kept apart: deleting the newest rows no longer verifies.
    super::admin::put_setting(
        conn,
        HEAD_KEY,
        &format!("{}:{}", row.sequence, row.hash),
        row.occurred_at,
    )
    .await?;
    Ok(row)
}

pub fn to_record(row: &AuditRow) -> AuditRecord {
    AuditRecord {
        sequence: row.sequence,
        audit_id: row.audit_id.clone(),
        occurred_at: row.occurred_at,
        actor_user_id: row.actor_user_id.clone(),
        actor_email: row.actor_email.clone(),
        action: row.action.clone(),
        resource_type: row.resource_type.clone(),
        resource_id: row.resource_id.clone(),
        success: row.success,
        client_ip: row.client_ip.clone(),
        user_agent: row.user_agent.clone(),
        details_json: row.details_json.clone(),
    }
}

/// Rows after `after_sequence`, oldest first.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    after_sequence: i64,
    limit: u64,
) -> Result<Vec<AuditRow>, DbErr> {
    Entity::find()
        .filter(Column::Sequence.gt(after_sequence))
        .order_by_asc(Column::Sequence)
        .limit(limit)
        .all(conn)
        .await
}

pub async fn count<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    Entity::find().count(conn).await
}

/// Filters of the audit listing.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_user_id: Option<String>,
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// A page of entries: oldest first after `cursor`, or newest first before it.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    cursor: Option<i64>,
    newest_first: bool,
    limit: u64,
) -> Result<(Vec<AuditRow>, u64), DbErr> {
    let mut query = Entity::find();
    if let Some(v) = &filter.actor_user_id {
        query = query.filter(Column::ActorUserId.eq(v.as_str()));
    }
    if let Some(v) = &filter.action {
        query = query.filter(Column::Action.eq(v.as_str()));
    }
    if let Some(v) = &filter.resource_type {
        query = query.filter(Column::ResourceType.eq(v.as_str()));
    }
    if let Some(v) = &filter.resource_id {
        query = query.filter(Column::ResourceId.eq(v.as_str()));
    }
    if let Some(v) = filter.since {
        query = query.filter(Column::OccurredAt.gte(v));
    }
    if let Some(v) = filter.until {
        query = query.filter(Column::OccurredAt.lt(v));
    }
    let total = query.clone().count(conn).await?;
    let query = match (cursor, newest_first) {
        (Some(c), false) => query
            .filter(Column::Sequence.gt(c))
            .order_by_asc(Column::Sequence),
        (None, false) => query.order_by_asc(Column::Sequence),
        (Some(c), true) => query
            .filter(Column::Sequence.lt(c))
            .order_by_desc(Column::Sequence),
        (None, true) => query.order_by_desc(Column::Sequence),
    };
    Ok((query.limit(limit).all(conn).await?, total))
}
