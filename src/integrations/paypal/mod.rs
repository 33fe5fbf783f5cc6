//! PayPal REST v2: webhook signature verification (the client and emulator follow).

pub mod webhook;
