//! `payment_transactions`: the money ledger.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub payment_id: String,
    pub subscription_id: String,
    /// `capture`, `refund` or `reversal`.
    pub kind: String,
    /// `pending`, `completed` or `failed`.
    pub status: String,
    pub amount_cents: i64,
    pub currency: String,
    #[sea_orm(unique)]
    pub provider_reference: String,
    pub reason: String,
    pub actor_user_id: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
