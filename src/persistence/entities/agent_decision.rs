//! `agent_decisions`: what agents decided or propose, with the admins' verdicts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agent_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub pod_id: String,
    pub subscription_id: String,
    pub session_id: String,
    pub decision_type: String,
    pub status: String,
    pub requires_approval: bool,
    pub title: String,
    pub description: String,
    pub reasoning: String,
    pub recommended_action: String,
    pub confidence_percent: i32,
    pub estimated_tokens: i64,
    pub estimated_cost_cents: Option<i64>,
    pub idempotency_key: String,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: Option<ChronoDateTimeUtc>,
    pub reviewed_by_user_id: String,
    pub reviewed_at: Option<ChronoDateTimeUtc>,
    pub review_notes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
