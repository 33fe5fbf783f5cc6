//! GPUBROKER control plane: the gRPC services of `proto/gpubroker/v1`, their persistence, and the
//! one HTTP server that exposes them as native gRPC, gRPC-web and the `/api/v2` REST gateway.

pub mod config;
pub mod domain;
pub mod grpc;
pub mod http;
pub mod integrations;
pub mod memory;
pub mod persistence;
pub mod proto;
pub mod services;
pub mod startup;
pub mod telemetry;

/// mimalloc for every binary built on this crate (the server, its tests and benchmarks): under
/// load the proxy and the database client allocate per call, and glibc's malloc spent a quarter
/// of the process's CPU in its own bookkeeping and arena locks (measured with `perf`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
