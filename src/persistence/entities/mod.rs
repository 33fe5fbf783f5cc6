//! sea-orm entities: one module per table. Row types stay in this layer.

pub mod admin_session;
pub mod admin_user;
pub mod agent_decision;
pub mod agent_session;
pub mod attempt_counter;
pub mod audit_log;
pub mod budget;
pub mod budget_ledger;
pub mod budget_reservation;
pub mod email_outbox;
pub mod outbox_event;
pub mod payment;
pub mod payment_transaction;
pub mod pod;
pub mod pod_status_change;
pub mod runtime_setting;
pub mod subscription;
