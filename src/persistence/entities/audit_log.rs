//! `audit_log`: append-only, hash-chained record of logins and admin mutations.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sequence: i64,
    #[sea_orm(unique)]
    pub audit_id: String,
    pub occurred_at: ChronoDateTimeUtc,
    pub actor_user_id: String,
    pub actor_email: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub success: bool,
    pub client_ip: String,
    pub user_agent: String,
    pub details_json: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
