//! Use cases: one module per service. They own transactions and orchestrate the domain rules,
//! the repositories in `persistence` and outside systems behind traits.

pub mod admin_views;
pub mod agents;
pub mod attempts;
pub mod audit;
pub mod auth;
pub(crate) mod batches;
pub mod budgets;
pub mod clock;
pub mod email;
pub mod email_queue;
pub mod error;
pub mod events;
pub mod input;
pub mod jobs;
pub mod lifecycle;
pub mod llm;
pub mod mode;
pub mod otp;
pub mod passwords;
pub mod payments;
pub mod pods;
pub mod receipts;
pub mod relay;
pub mod subscriptions;

pub use error::{ServiceError, ServiceResult};
