//! Generates the gRPC server and client code from `proto/` with a vendored `protoc`, so a fresh
//! machine needs no system protobuf compiler. The descriptor set feeds gRPC reflection and the
//! field checks of the messages whose fields `proto/` marks `(google.api.field_behavior) =
//! REQUIRED` (`required_fields.rs`, included by `src/grpc/field.rs`).

use std::{env, fmt::Write as _, path::PathBuf};

use contract::{Presence, RequiredField};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = proto_files("proto/gpubroker/v1")?;
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("gpubroker_descriptor.bin");
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    // `prost::Name` on every message: an event's type name comes from its message type.
    config.enable_type_names();
    tonic_prost_build::configure()
        // Services not implemented yet answer UNIMPLEMENTED through the trait's default methods.
        .generate_default_stubs(true)
        .file_descriptor_set_path(&descriptor_path)
        .compile_with_config(config, &protos, &[PathBuf::from("proto")])?;
    let required = contract::required_fields(&std::fs::read(&descriptor_path)?)?;
    std::fs::write(out_dir.join("required_fields.rs"), checks(&required))?;
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

/// One `Required` impl per message of our package that requires fields.
fn checks(required: &std::collections::BTreeMap<String, Vec<RequiredField>>) -> String {
    let mut code = String::new();
    for (message, fields) in required {
        let Some(path) = message.strip_prefix("gpubroker.v1.") else {
            continue;
        };
        let _ = writeln!(
            code,
            "impl Required for crate::proto::v1::{} {{\n    fn check(&self, check: &mut Check) {{",
            rust_path(path)
        );
        for field in fields {
            let member = rust_field(&field.name);
            let name = &field.name;
            let line = match field.presence {
                Presence::Text => format!("check.text(\"{name}\", &self.{member});"),
                Presence::Bytes | Presence::Repeated => {
                    format!("check.present(\"{name}\", !self.{member}.is_empty());")
                }
                Presence::Message => format!("check.present(\"{name}\", self.{member}.is_some());"),
                Presence::Enum => format!("check.present(\"{name}\", self.{member} != 0);"),
            };
            let _ = writeln!(code, "        {line}");
        }
        code.push_str("    }\n}\n");
    }
    code
}

/// prost's Rust path of a (possibly nested) message: `Outer.Inner` → `outer::Inner`.
fn rust_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let (name, outer) = parts.split_last().unwrap_or((&"", &[]));
    let mut rust: Vec<String> = outer.iter().map(|part| snake(part)).collect();
    rust.push((*name).to_owned());
    rust.join("::")
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Field names are snake_case already; prost escapes the ones that are Rust keywords.
fn rust_field(name: &str) -> String {
    match name {
        "type" | "ref" | "match" | "mod" | "use" | "fn" | "struct" | "enum" | "impl" | "trait"
        | "loop" | "move" | "in" | "as" | "box" | "async" | "await" | "dyn" => format!("r#{name}"),
        _ => name.to_owned(),
    }
}
