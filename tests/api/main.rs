//! Integration tests: the real server on port 0 against real PostgreSQL (a fresh database per
//! test) and, for the embedded path, SQLite. One test binary keeps link times down.

mod helpers;

mod admin;
mod api_keys;
mod auth;
mod budgets;
mod cli;
mod config;
mod contract;
mod email_ses;
mod events;
mod floods;
mod grpc;
mod grpc_web;
mod lifecycle;
mod llm;
mod llm_clients;
mod llm_contract;
mod llm_race;
mod llm_upstream;
mod ops;
mod payments;
mod paypal_contract;
mod paypal_emulator;
mod persistence;
mod phone;
mod pods_ecs;
mod pods_local;
mod replicas;
mod rest;
mod stdnum_parity;
mod subscriptions;
