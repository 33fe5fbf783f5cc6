//! `payments`: money received for a subscription (written by the payments service).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subscription_id: String,
    pub status: String,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    pub mode: String,
    pub customer_email: String,
    pub plan: String,
    #[sea_orm(unique)]
    pub paypal_order_id: Option<String>,
    #[sea_orm(unique)]
    pub paypal_capture_id: Option<String>,
    pub status_reason: String,
    /// Where the buyer approves the order (PayPal's link), once the order exists.
    pub approve_url: String,
    /// A capture in flight holds the payment until then.
    pub capturing_until: Option<ChronoDateTimeUtc>,
    /// Taken from the buyer by a capture of the wrong amount and not yet given back.
    pub refund_owed_cents: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub completed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
