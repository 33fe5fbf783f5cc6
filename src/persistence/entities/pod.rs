//! `pods`: one per subscription; the task is tracked by its stored ARN.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub pod_id: String,
    #[sea_orm(unique)]
    pub subscription_id: String,
    pub status: String,
    pub status_reason: String,
    pub destroy_requested: bool,
    pub generation: i64,
    pub task_arn: String,
    pub endpoint: String,
    pub public_ip: String,
    pub private_ip: String,
    #[sea_orm(unique)]
    pub pod_token_hash: Option<String>,
    pub run_seconds: i64,
    pub active_sessions: i32,
    pub redeploys: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub provisioning_started_at: Option<ChronoDateTimeUtc>,
    pub started_at: Option<ChronoDateTimeUtc>,
    pub stopped_at: Option<ChronoDateTimeUtc>,
    pub destroyed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::subscription::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscription::Column::Id"
    )]
    Subscription,
}

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
