//! `admin_sessions`: one row per issued refresh token (hashed); rotation links a family.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub family_id: String,
    pub user_id: String,
    #[sea_orm(unique)]
    pub refresh_token_hash: String,
    pub expires_at: ChronoDateTimeUtc,
    pub revoked_at: Option<ChronoDateTimeUtc>,
    pub replaced_by: Option<String>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
