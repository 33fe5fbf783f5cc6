//! Generates the gRPC server and client code from `proto/` with a vendored `protoc`, so a fresh
//! machine needs no system protobuf compiler. The descriptor set feeds gRPC reflection.

use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = proto_files("proto/gpubroker/v1")?;
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    // `prost::Name` on every message: an event's type name comes from its message type.
    config.enable_type_names();
    tonic_prost_build::configure()
        // Services not implemented yet answer UNIMPLEMENTED through the trait's default methods.
        .generate_default_stubs(true)
        .file_descriptor_set_path(out_dir.join("gpubroker_descriptor.bin"))
        .compile_with_config(config, &protos, &[PathBuf::from("proto")])?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}

fn proto_files(dir: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    files.sort();
    Ok(files)
}
