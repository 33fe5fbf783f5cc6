//! Generates the gRPC server and client code from `proto/` with a vendored `protoc`, so a fresh
//! machine needs no system protobuf compiler. The descriptor set feeds gRPC reflection and the
//! field checks of the messages whose fields `proto/` marks `(google.api.field_behavior) =
//! REQUIRED` or constrains with `(gpubroker.v1.rules)` (`field_checks.rs`, included by
//! `src/grpc/field.rs`).

use std::{env, fmt::Write as _, path::PathBuf};

use contract::{FieldContract, Form, Kind, Presence};

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
    let contracts = contract::field_contracts(&std::fs::read(&descriptor_path)?)?;
    std::fs::write(out_dir.join("field_checks.rs"), checks(&contracts))?;
    println!("cargo:rerun-if-changed=proto");
    // The pages are embedded by a derive that does not track its folder.
    println!("cargo:rerun-if-changed=web/dist");
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

/// One `Contract` impl per message of our package that constrains fields.
fn checks(contracts: &std::collections::BTreeMap<String, Vec<FieldContract>>) -> String {
    let mut code = String::new();
    for (message, fields) in contracts {
        let Some(path) = message.strip_prefix("gpubroker.v1.") else {
            continue;
        };
        let _ = writeln!(
            code,
            "impl Contract for crate::proto::v1::{} {{\n    fn check(&self, check: &mut Check) {{",
            rust_path(path)
        );
        for field in fields {
            for line in field_checks(field) {
                let _ = writeln!(code, "        {line}");
            }
        }
        code.push_str("    }\n}\n");
    }
    code
}

/// The checks of one field: presence first, then each rule on the value.
fn field_checks(field: &FieldContract) -> Vec<String> {
    let member = format!("self.{}", rust_field(&field.name));
    let name = &field.name;
    let mut lines = Vec::new();
    if let Some(presence) = field.required {
        lines.push(match presence {
            Presence::Text => format!("check.text(\"{name}\", &{member});"),
            Presence::Bytes | Presence::Repeated => {
                format!("check.present(\"{name}\", !{member}.is_empty());")
            }
            Presence::Message => format!("check.present(\"{name}\", {member}.is_some());"),
            Presence::Enum => format!("check.present(\"{name}\", {member} != 0);"),
        });
    }
    let rules = &field.rules;
    let bounds = format!("{:?}, {:?}", rules.min, rules.max);
    match field.kind {
        Kind::Int32 | Kind::Int64 if rules.min.is_some() || rules.max.is_some() => {
            // A 32-bit figure widens; a 64-bit one is already the check's type.
            let value = if field.kind == Kind::Int32 {
                format!("i64::from({member})")
            } else {
                member.clone()
            };
            lines.push(format!("check.range(\"{name}\", {value}, {bounds});"));
        }
        Kind::Duration if rules.min.is_some() || rules.max.is_some() => {
            lines.push(format!(
                "check.duration(\"{name}\", {member}.as_ref(), {bounds});"
            ));
        }
        Kind::Text => {
            let mut text = Vec::new();
            if rules.min_len.is_some() || rules.max_len.is_some() {
                text.push(format!(
                    "check.length(\"{name}\", value, {:?}, {:?});",
                    rules.min_len, rules.max_len
                ));
            }
            let form = match rules.form {
                Form::Any => None,
                Form::Line => Some("line"),
                Form::Email => Some("email"),
                Form::CountryCode => Some("country_code"),
                Form::EcMobile => Some("ec_mobile"),
                Form::Multiline => Some("multiline"),
            };
            if let Some(form) = form {
                text.push(format!("check.{form}(\"{name}\", value);"));
            }
            if let Some(pattern) = &rules.pattern {
                // Compiled here first, so the server's LazyLock can never meet a bad pattern.
                if let Err(error) = regex::Regex::new(pattern) {
                    panic!("{}: pattern {pattern:?}: {error}", field.name);
                }
                text.push(format!(
                    "{{ static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| regex::Regex::new({pattern:?}).expect(\"checked by build.rs\")); check.pattern(\"{name}\", value, &PATTERN); }}"
                ));
            }
            if !rules.one_of.is_empty() {
                text.push(format!(
                    "check.one_of(\"{name}\", value, &{:?});",
                    rules.one_of
                ));
            }
            if !text.is_empty() {
                // A repeated string's rules hold for each element.
                let values = if field.repeated {
                    format!("{member}.iter()")
                } else {
                    format!("std::iter::once(&{member})")
                };
                lines.push(format!("for value in {values} {{ {} }}", text.join(" ")));
            }
        }
        _ => {}
    }
    lines
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
