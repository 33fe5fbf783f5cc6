//! Client stubs and proto3-JSON serde impls generated from the shared contract (see `build.rs`).

#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("gpubroker.v1");
    include!(concat!(env!("OUT_DIR"), "/gpubroker.v1.serde.rs"));
}

/// Descriptors of the contract, used to describe message schemas in the OpenAPI document.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("gateway_descriptor");
