//! Outside systems, each behind its own module with its own wire types.

pub mod llm;
pub mod paypal;
