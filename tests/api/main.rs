//! Integration tests: the real server on port 0 against real PostgreSQL (a fresh database per
//! test) and, for the embedded path, SQLite. One test binary keeps link times down.

mod helpers;

mod grpc;
mod grpc_web;
mod ops;
mod persistence;
mod rest;
mod stdnum_parity;
