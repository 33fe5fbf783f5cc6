//! Domain types and rules. Nothing here knows about gRPC, HTTP or the database.

pub mod agent;
pub mod agent_env;
pub mod audit;
pub mod budget;
pub mod costs;
pub mod email;
pub mod identity;
pub mod llm;
pub mod mode;
pub mod phone;
pub mod plan;
pub mod pod;
pub mod role;
pub mod secrets;
pub mod signup;
pub mod subscription;
