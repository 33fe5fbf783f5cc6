//! Code generated from the contract in `proto/` (see `build.rs`).

#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("gpubroker.v1");
}

/// The encoded descriptors of every file in the contract, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("gpubroker_descriptor");

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
