//! The audit trail: who did what, from where, with what result — appended in the same
//! transaction as the change it records, hash-chained, and verifiable.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use serde_json::Value;

use super::ServiceResult;
use crate::domain::{
    audit::{ChainBreak, verify_chain},
    secrets::new_id,
};
use crate::persistence::audit::{self as repo, AuditRow};

/// Where a request came from (the client IP is resolved through the trusted proxies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOrigin {
    pub client_ip: String,
    pub user_agent: String,
}

/// Who acted: an admin, or nobody yet (a login attempt names the email tried).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub email: String,
}

/// One entry to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    pub success: bool,
    pub details: Value,
}

fn clip(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}

/// Appends an entry inside the caller's transaction (a transaction is required: on PostgreSQL
/// the chain lock is held until it commits).
pub async fn record(
    conn: &DatabaseTransaction,
    now: DateTime<Utc>,
    origin: &RequestOrigin,
    entry: AuditEntry<'_>,
) -> ServiceResult<AuditRow> {
    let record = crate::domain::audit::AuditRecord {
        sequence: 0,
        audit_id: new_id("aud_"),
        occurred_at: now,
        actor_user_id: clip(&entry.actor.user_id, 40),
        actor_email: clip(&entry.actor.email, 254),
        action: clip(entry.action, 64),
        resource_type: clip(entry.resource_type, 32),
        resource_id: clip(entry.resource_id, 254),
        success: entry.success,
        client_ip: clip(&origin.client_ip, 64),
        user_agent: clip(&origin.user_agent, 256),
        details_json: entry.details.to_string(),
    };
    Ok(repo::append(conn, record).await?)
}

/// The result of verifying the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: u64 },
    Broken(ChainBreak),
}

/// Reads the chain in order and checks every link.
pub async fn verify(db: &DatabaseConnection) -> ServiceResult<Verification> {
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let page = repo::page(db, after, 1_000).await?;
        let Some(last) = page.last() else { break };
        after = last.sequence;
        rows.extend(page);
    }
    // A gap in the sequence is a deleted row even when the rest re-links.
    for (expected, row) in (1..).zip(&rows) {
        if row.sequence != expected {
            return Ok(Verification::Broken(ChainBreak::Unlinked {
                sequence: row.sequence,
            }));
        }
    }
    if let Some((sequence, hash)) = repo::head(db).await? {
        let last = rows.last().map(|r| (r.sequence, r.hash.as_str()));
        if last != Some((sequence, hash.as_str())) {
            return Ok(Verification::Broken(ChainBreak::Unlinked { sequence }));
        }
    }
    let records: Vec<_> = rows.iter().map(repo::to_record).collect();
    let links = records
        .iter()
        .zip(&rows)
        .map(|(record, row)| (record, row.prev_hash.as_str(), row.hash.as_str()));
    Ok(match verify_chain(links) {
        Ok(count) => Verification::Intact { rows: count },
        Err(broken) => Verification::Broken(broken),
    })
}

/// An admin acting on a subscription: recorded in the audit log with the change.
#[derive(Debug, Clone)]
pub struct AdminAction {
    pub actor: Actor,
    pub origin: RequestOrigin,
}

impl AdminAction {
    /// Writes the audit entry of this admin's successful `action` on a resource, in `txn`.
    pub async fn record(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        now: DateTime<Utc>,
        action: &str,
        (resource_type, resource_id): (&str, &str),
        details: serde_json::Value,
    ) -> ServiceResult<()> {
        record(
            txn,
            now,
            &self.origin,
            AuditEntry {
                actor: &self.actor,
                action,
                resource_type,
                resource_id,
                success: true,
                details,
            },
        )
        .await?;
        Ok(())
    }
}
