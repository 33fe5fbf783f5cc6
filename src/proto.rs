//! Code generated from the contract in `proto/` (see `build.rs`).

#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("gpubroker.v1");
}

/// The encoded descriptors of every file in the contract, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("gpubroker_descriptor");
