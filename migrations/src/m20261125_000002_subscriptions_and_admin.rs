//! Subscriptions (with hashed API keys and activation tokens), payments as the admin views read
//! them, admin users, their refresh-token sessions, the hash-chained audit log and runtime settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    Email,
    Name,
    Plan,
    Status,
    StatusReason,
    CountryCode,
    TaxId,
    PhoneNumber,
    Language,
    Mode,
    PriceCents,
    Currency,
    TokenLimit,
    TokensUsed,
    PodId,
    ApiKeyHash,
    ApiKeyRotatedAt,
    ActivationTokenHash,
    ActivationTokenExpiresAt,
    IdempotencyKey,
    RequestFingerprint,
    /// Set to the email while a trial is live: a unique index keeps one live trial per email.
    LiveTrialEmail,
    CreatedAt,
    UpdatedAt,
    ActivatedAt,
    ProvisioningStartedAt,
    PeriodStartAt,
    PeriodEndAt,
    CancelledAt,
    DestroyedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    SubscriptionId,
    Status,
    AmountCents,
    RefundedCents,
    Currency,
    Mode,
    CustomerEmail,
    Plan,
    PaypalOrderId,
    PaypalCaptureId,
    StatusReason,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum AdminUsers {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    FailedAttempts,
    LockedUntil,
    CreatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum AdminSessions {
    Table,
    Id,
    FamilyId,
    UserId,
    RefreshTokenHash,
    ExpiresAt,
    RevokedAt,
    ReplacedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Sequence,
    AuditId,
    OccurredAt,
    ActorUserId,
    ActorEmail,
    Action,
    ResourceType,
    ResourceId,
    Success,
    ClientIp,
    UserAgent,
    DetailsJson,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum RuntimeSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .if_not_exists()
                    .col(string_len(Subscriptions::Id, 40).primary_key())
                    .col(string_len(Subscriptions::Email, 254))
                    .col(string_len(Subscriptions::Name, 200))
                    .col(string_len(Subscriptions::Plan, 20))
                    .col(string_len(Subscriptions::Status, 30))
                    .col(text(Subscriptions::StatusReason).default(""))
                    .col(string_len(Subscriptions::CountryCode, 2))
                    .col(string_len(Subscriptions::TaxId, 20))
                    .col(string_len(Subscriptions::PhoneNumber, 20))
                    .col(string_len(Subscriptions::Language, 5))
                    .col(string_len(Subscriptions::Mode, 10))
                    .col(big_integer(Subscriptions::PriceCents))
                    .col(string_len(Subscriptions::Currency, 3))
                    .col(big_integer(Subscriptions::TokenLimit))
                    .col(big_integer(Subscriptions::TokensUsed).default(0))
                    .col(string_len_uniq(Subscriptions::PodId, 40))
                    .col(string_len_uniq(Subscriptions::ApiKeyHash, 64))
                    .col(timestamp_with_time_zone_null(
                        Subscriptions::ApiKeyRotatedAt,
                    ))
                    .col(string_len_null(Subscriptions::ActivationTokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone_null(
                        Subscriptions::ActivationTokenExpiresAt,
                    ))
                    .col(string_len_null(Subscriptions::IdempotencyKey, 128).unique_key())
                    .col(string_len_null(Subscriptions::RequestFingerprint, 64))
                    .col(string_len_null(Subscriptions::LiveTrialEmail, 254).unique_key())
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::ActivatedAt))
                    .col(timestamp_with_time_zone_null(
                        Subscriptions::ProvisioningStartedAt,
                    ))
                    .col(timestamp_with_time_zone_null(Subscriptions::PeriodStartAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::PeriodEndAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::CancelledAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::DestroyedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_subscriptions_email", vec![Subscriptions::Email]),
            (
                "idx_subscriptions_status",
                vec![Subscriptions::Status, Subscriptions::PeriodEndAt],
            ),
            ("idx_subscriptions_created", vec![Subscriptions::CreatedAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Subscriptions::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .if_not_exists()
                    .col(string_len(Payments::Id, 40).primary_key())
                    .col(string_len(Payments::SubscriptionId, 40))
                    .col(string_len(Payments::Status, 30))
                    .col(big_integer(Payments::AmountCents))
                    .col(big_integer(Payments::RefundedCents).default(0))
                    .col(string_len(Payments::Currency, 3))
                    .col(string_len(Payments::Mode, 10))
                    .col(string_len(Payments::CustomerEmail, 254))
                    .col(string_len(Payments::Plan, 20))
                    .col(string_len_null(Payments::PaypalOrderId, 64).unique_key())
                    .col(string_len_null(Payments::PaypalCaptureId, 64).unique_key())
                    .col(text(Payments::StatusReason).default(""))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .col(timestamp_with_time_zone(Payments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Payments::CompletedAt))
                    .to_owned(),
            )
            .await?;
        let mut payment_index = Index::create();
        payment_index
            .name("idx_payments_subscription")
            .table(Payments::Table)
            .col(Payments::SubscriptionId);
        manager.create_index(payment_index.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(AdminUsers::Table)
                    .if_not_exists()
                    .col(string_len(AdminUsers::Id, 40).primary_key())
                    .col(string_len_uniq(AdminUsers::Email, 254))
                    .col(string_len(AdminUsers::Name, 200))
                    .col(string_len(AdminUsers::Role, 20))
                    .col(text(AdminUsers::PasswordHash))
                    .col(boolean(AdminUsers::Active).default(true))
                    .col(integer(AdminUsers::FailedAttempts).default(0))
                    .col(timestamp_with_time_zone_null(AdminUsers::LockedUntil))
                    .col(timestamp_with_time_zone(AdminUsers::CreatedAt))
                    .col(timestamp_with_time_zone_null(AdminUsers::LastLoginAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdminSessions::Table)
                    .if_not_exists()
                    .col(string_len(AdminSessions::Id, 40).primary_key())
                    .col(string_len(AdminSessions::FamilyId, 40))
                    .col(string_len(AdminSessions::UserId, 40))
                    .col(string_len_uniq(AdminSessions::RefreshTokenHash, 64))
                    .col(timestamp_with_time_zone(AdminSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AdminSessions::RevokedAt))
                    .col(string_len_null(AdminSessions::ReplacedBy, 40))
                    .col(timestamp_with_time_zone(AdminSessions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let mut family_index = Index::create();
        family_index
            .name("idx_admin_sessions_family")
            .table(AdminSessions::Table)
            .col(AdminSessions::FamilyId);
        manager.create_index(family_index.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(big_integer(AuditLog::Sequence).primary_key())
                    .col(string_len_uniq(AuditLog::AuditId, 40))
                    .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                    .col(string_len(AuditLog::ActorUserId, 40))
                    .col(string_len(AuditLog::ActorEmail, 254))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::ResourceType, 32))
                    .col(string_len(AuditLog::ResourceId, 254))
                    .col(boolean(AuditLog::Success))
                    .col(string_len(AuditLog::ClientIp, 64))
                    .col(string_len(AuditLog::UserAgent, 256))
                    .col(text(AuditLog::DetailsJson))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        let mut audit_index = Index::create();
        audit_index
            .name("idx_audit_ip_action")
            .table(AuditLog::Table)
            .col(AuditLog::ClientIp)
            .col(AuditLog::Action)
            .col(AuditLog::OccurredAt);
        manager.create_index(audit_index.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(RuntimeSettings::Table)
                    .if_not_exists()
                    .col(string_len(RuntimeSettings::Key, 64).primary_key())
                    .col(text(RuntimeSettings::Value))
                    .col(timestamp_with_time_zone(RuntimeSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RuntimeSettings::Table.into_iden(),
            AuditLog::Table.into_iden(),
            AdminSessions::Table.into_iden(),
            AdminUsers::Table.into_iden(),
            Payments::Table.into_iden(),
            Subscriptions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
