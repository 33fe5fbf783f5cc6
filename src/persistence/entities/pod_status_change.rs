//! `pod_status_changes`: a pod's status history, one row per change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pod_status_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub pod_id: String,
    /// Empty for the pod's first status.
    pub previous_status: String,
    pub status: String,
    pub reason: String,
    pub occurred_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
