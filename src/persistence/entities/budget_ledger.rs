//! `budget_ledger`: every change to a budget's counters, append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_ledger")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subscription_id: String,
    pub pod_id: String,
    pub session_id: String,
    pub kind: String,
    pub reservation_id: String,
    pub event_id: Option<String>,
    pub held_delta: i64,
    pub committed_delta: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    /// Of `tokens_in`, read from the provider's prompt cache.
    pub tokens_cached: i64,
    /// Of `tokens_out`, spent reasoning.
    pub tokens_reasoning: i64,
    pub model: String,
    pub period_start_at: ChronoDateTimeUtc,
    pub occurred_at: ChronoDateTimeUtc,
    pub recorded_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
