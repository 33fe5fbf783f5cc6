//! Domain types and rules. Nothing here knows about gRPC, HTTP or the database.

pub mod identity;
pub mod signup;
