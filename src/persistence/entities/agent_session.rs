//! `agent_sessions`: agent runs inside a pod.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agent_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub pod_id: String,
    pub subscription_id: String,
    pub status: String,
    pub external_session_id: String,
    pub idempotency_key: String,
    pub tokens_used: i64,
    pub started_at: ChronoDateTimeUtc,
    pub last_activity_at: ChronoDateTimeUtc,
    pub ended_at: Option<ChronoDateTimeUtc>,
    pub end_reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
