//! Code generated from the contract in `proto/` (see `build.rs`).

#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("gpubroker.v1");
}

/// The encoded descriptors of every file in the contract, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("gpubroker_descriptor");

/// Domain → contract enum conversions shared by the gRPC handlers and the outbox events.
mod convert {
    use super::v1 as pb;
    use crate::domain::{
        mode::PaymentMode, plan::Plan, pod::PodStatus, role::Role, signup::Language,
        subscription::SubscriptionStatus,
    };

    impl From<PodStatus> for pb::PodStatus {
        fn from(status: PodStatus) -> Self {
            match status {
                PodStatus::Provisioning => pb::PodStatus::Provisioning,
                PodStatus::Running => pb::PodStatus::Running,
                PodStatus::Stopping => pb::PodStatus::Stopping,
                PodStatus::Stopped => pb::PodStatus::Stopped,
                PodStatus::Failed => pb::PodStatus::Failed,
                PodStatus::Destroyed => pb::PodStatus::Destroyed,
            }
        }
    }

    impl From<Plan> for pb::Plan {
        fn from(plan: Plan) -> Self {
            match plan {
                Plan::Trial => pb::Plan::Trial,
                Plan::Basic => pb::Plan::Basic,
                Plan::Pro => pb::Plan::Pro,
                Plan::Corp => pb::Plan::Corp,
                Plan::Enterprise => pb::Plan::Enterprise,
            }
        }
    }

    impl From<SubscriptionStatus> for pb::SubscriptionStatus {
        fn from(status: SubscriptionStatus) -> Self {
            match status {
                SubscriptionStatus::PendingPayment => pb::SubscriptionStatus::PendingPayment,
                SubscriptionStatus::PendingActivation => pb::SubscriptionStatus::PendingActivation,
                SubscriptionStatus::Provisioning => pb::SubscriptionStatus::Provisioning,
                SubscriptionStatus::Running => pb::SubscriptionStatus::Running,
                SubscriptionStatus::Suspended => pb::SubscriptionStatus::Suspended,
                SubscriptionStatus::Cancelled => pb::SubscriptionStatus::Cancelled,
                SubscriptionStatus::Expired => pb::SubscriptionStatus::Expired,
                SubscriptionStatus::Failed => pb::SubscriptionStatus::Failed,
                SubscriptionStatus::Destroyed => pb::SubscriptionStatus::Destroyed,
            }
        }
    }

    impl From<PaymentMode> for pb::PaymentMode {
        fn from(mode: PaymentMode) -> Self {
            match mode {
                PaymentMode::Sandbox => pb::PaymentMode::Sandbox,
                PaymentMode::Live => pb::PaymentMode::Live,
            }
        }
    }

    impl From<Language> for pb::Language {
        fn from(language: Language) -> Self {
            match language {
                Language::Spanish => pb::Language::Es,
                Language::English => pb::Language::En,
            }
        }
    }

    impl From<Role> for pb::Role {
        fn from(role: Role) -> Self {
            match role {
                Role::Viewer => pb::Role::Viewer,
                Role::Admin => pb::Role::Admin,
                Role::SuperAdmin => pb::Role::SuperAdmin,
            }
        }
    }
}

/// A `google.protobuf.Timestamp` for a UTC time.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: at.timestamp(),
        nanos: i32::try_from(at.timestamp_subsec_nanos()).unwrap_or(0),
    }
}

/// US-dollar cents as `Money`.
pub fn usd(cents: i64) -> v1::Money {
    v1::Money {
        currency_code: crate::domain::plan::CURRENCY.to_owned(),
        amount_minor: cents,
    }
}

/// A stored payment status as the contract enum.
pub fn payment_status(status: &str) -> v1::PaymentStatus {
    match status {
        "created" => v1::PaymentStatus::Created,
        "approved" => v1::PaymentStatus::Approved,
        "pending" => v1::PaymentStatus::Pending,
        "completed" => v1::PaymentStatus::Completed,
        "denied" => v1::PaymentStatus::Denied,
        "failed" => v1::PaymentStatus::Failed,
        "partially_refunded" => v1::PaymentStatus::PartiallyRefunded,
        "refunded" => v1::PaymentStatus::Refunded,
        "reversed" => v1::PaymentStatus::Reversed,
        _ => v1::PaymentStatus::Unspecified,
    }
}
