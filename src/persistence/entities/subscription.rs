//! `subscriptions`: one row per subscription; secrets only as SHA-256 hashes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub email: String,
    pub name: String,
    pub plan: String,
    pub status: String,
    pub status_reason: String,
    pub country_code: String,
    pub tax_id: String,
    pub phone_number: String,
    pub language: String,
    pub mode: String,
    pub price_cents: i64,
    pub currency: String,
    pub token_limit: i64,
    pub tokens_used: i64,
    #[sea_orm(unique)]
    pub pod_id: String,
    #[sea_orm(unique)]
    pub api_key_hash: String,
    pub api_key_rotated_at: Option<ChronoDateTimeUtc>,
    #[sea_orm(unique)]
    pub activation_token_hash: Option<String>,
    pub activation_token_expires_at: Option<ChronoDateTimeUtc>,
    #[sea_orm(unique)]
    pub key_recovery_token_hash: Option<String>,
    pub key_recovery_expires_at: Option<ChronoDateTimeUtc>,
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
    pub request_fingerprint: Option<String>,
    #[sea_orm(unique)]
    pub live_trial_email: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub activated_at: Option<ChronoDateTimeUtc>,
    pub provisioning_started_at: Option<ChronoDateTimeUtc>,
    pub period_start_at: Option<ChronoDateTimeUtc>,
    pub period_end_at: Option<ChronoDateTimeUtc>,
    pub cancelled_at: Option<ChronoDateTimeUtc>,
    pub destroyed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::budget::Entity")]
    Budget,
}

impl Related<super::budget::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Budget.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
