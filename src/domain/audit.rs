//! The audit chain: each row's hash covers the previous row's hash and the row itself, so editing
//! or deleting a row breaks every hash after it.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::secrets::sha256_hex;

/// The hash the first row chains from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited action, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub sequence: i64,
    pub audit_id: String,
    /// Truncated to microseconds, the precision both databases keep.
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: String,
    pub actor_email: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub success: bool,
    pub client_ip: String,
    pub user_agent: String,
    /// Compact JSON text, hashed as stored.
    pub details_json: String,
}

impl AuditRecord {
    /// The canonical JSON the hash covers: fixed keys in sorted order.
    pub fn canonical_json(&self) -> String {
        json!({
            "action": self.action,
            "actor_email": self.actor_email,
            "actor_user_id": self.actor_user_id,
            "audit_id": self.audit_id,
            "client_ip": self.client_ip,
            "details_json": self.details_json,
            "occurred_at": self.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            "resource_id": self.resource_id,
            "resource_type": self.resource_type,
            "sequence": self.sequence,
            "success": self.success,
            "user_agent": self.user_agent,
        })
        .to_string()
    }

    /// `SHA-256(prev_hash ‖ canonical JSON)`, hex.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut input = prev_hash.as_bytes().to_vec();
        input.extend_from_slice(self.canonical_json().as_bytes());
        sha256_hex(&input)
    }
}

/// Where a chain stops verifying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("row {sequence}: its hash does not match its contents (edited)")]
    Edited { sequence: i64 },
    #[error(
        "row {sequence}: it does not chain from the row before it (a row was deleted or reordered)"
    )]
    Unlinked { sequence: i64 },
}

impl ChainBreak {
    /// The row where the chain breaks.
    pub fn sequence(&self) -> i64 {
        match self {
            Self::Edited { sequence } | Self::Unlinked { sequence } => *sequence,
        }
    }
}

/// Checks rows in sequence order: each links to the previous hash and hashes to its own.
pub fn verify_chain<'a>(
    rows: impl IntoIterator<Item = (&'a AuditRecord, &'a str, &'a str)>,
) -> Result<u64, ChainBreak> {
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut count = 0;
    for (record, prev_hash, hash) in rows {
        if prev_hash != expected_prev {
            return Err(ChainBreak::Unlinked {
                sequence: record.sequence,
            });
        }
        if record.chain_hash(prev_hash) != hash {
            return Err(ChainBreak::Edited {
                sequence: record.sequence,
            });
        }
        expected_prev = hash.to_owned();
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sequence: i64, action: &str) -> AuditRecord {
        AuditRecord {
            sequence,
            audit_id: format!("aud_{sequence}"),
            occurred_at: DateTime::from_timestamp(1_700_000_000 + sequence, 0).unwrap(),
            actor_user_id: "adm_1".into(),
            actor_email: "root@gpubroker.site".into(),
            action: action.into(),
            resource_type: "subscription".into(),
            resource_id: "sub_1".into(),
            success: true,
            client_ip: "203.0.113.7".into(),
            user_agent: "test".into(),
            details_json: "{}".into(),
        }
    }

    fn chain(records: &[AuditRecord]) -> Vec<(String, String)> {
        let mut prev = GENESIS_HASH.to_owned();
        records
            .iter()
            .map(|r| {
                let hash = r.chain_hash(&prev);
                let link = (prev.clone(), hash.clone());
                prev = hash;
                link
            })
            .collect()
    }

    #[test]
    fn a_chain_verifies_and_detects_edits_and_deletions() {
        let records: Vec<AuditRecord> = (1..=4).map(|i| record(i, "pod.stop")).collect();
        let links = chain(&records);
        let rows = |records: &[AuditRecord], links: &[(String, String)]| {
            records
                .iter()
                .zip(links)
                .map(|(r, (p, h))| (r.clone(), p.clone(), h.clone()))
                .collect::<Vec<_>>()
        };
        let intact = rows(&records, &links);
        let view = |rows: &[(AuditRecord, String, String)]| {
            verify_chain(rows.iter().map(|(r, p, h)| (r, p.as_str(), h.as_str())))
        };
        assert_eq!(view(&intact), Ok(4));

        let mut edited = intact.clone();
        edited[2].0.action = "pod.start".into();
        assert_eq!(view(&edited), Err(ChainBreak::Edited { sequence: 3 }));

        let mut deleted = intact.clone();
        deleted.remove(1);
        assert_eq!(view(&deleted), Err(ChainBreak::Unlinked { sequence: 3 }));
    }
}
