//! Generates gRPC *client* stubs from the shared contract in `../proto`, plus proto3-JSON serde
//! impls (pbjson) so REST bodies follow the canonical JSON mapping of the same messages.

use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = PathBuf::from("../proto");
    let mut protos: Vec<PathBuf> = std::fs::read_dir(proto_root.join("gpubroker/v1"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    protos.sort();
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("gateway_descriptor.bin");

    let mut config = tonic_prost_build::Config::new();
    config
        .protoc_executable(protoc_bin_vendored::protoc_bin_path()?)
        .compile_well_known_types()
        .extern_path(".google.protobuf", "::pbjson_types");
    tonic_prost_build::configure()
        .build_server(false)
        .file_descriptor_set_path(&descriptor_path)
        .compile_with_config(config, &protos, &[proto_root])?;

    let descriptors = std::fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptors)?
        .preserve_proto_field_names()
        // Always write every field: clients of the original API read `valid: false`.
        .emit_fields()
        // The original clients send extra fields (amount, transaction_id…); they are ignored.
        .ignore_unknown_fields()
        .build(&[".gpubroker"])?;
    println!("cargo:rerun-if-changed=../proto");
    Ok(())
}
