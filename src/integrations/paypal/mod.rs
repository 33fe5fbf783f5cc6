//! PayPal REST v2: the HTTP client (OAuth, orders, captures, refunds), its wire types, and
//! webhook signature verification.

pub mod client;
pub mod webhook;
pub mod wire;

pub use client::{PaypalClient, PaypalConfig, PaypalError};
