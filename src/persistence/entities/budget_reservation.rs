//! `budget_reservations`: tokens held until commit, release or expiry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_reservations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subscription_id: String,
    pub pod_id: String,
    pub session_id: String,
    pub model: String,
    pub tokens: i64,
    pub status: String,
    pub idempotency_key: String,
    pub committed_tokens: Option<i64>,
    pub usage_id: Option<String>,
    pub capped: bool,
    pub period_start_at: ChronoDateTimeUtc,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
    pub settled_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
