//! The operator commands, run as a user would: the real binary against an embedded database.

use std::{io::Write, process::Command};

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::TempDir;

fn gpubroker(dir: &TempDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gpubroker"));
    command
        .current_dir(&dir.path)
        .env_remove("DATABASE_URL")
        .env("GPUBROKER__LOG__FILTER", "warn");
    command
}

#[tokio::test]
async fn create_user_from_stdin_then_verify_and_detect_tampering() {
    let dir = TempDir::new();
    let mut child = gpubroker(&dir)
        .args([
            "admin",
            "create-user",
            "--email",
            "Root@Example.EC",
            "--role",
            "super_admin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long admin password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("created root@example.ec"));

    let short = gpubroker(&dir)
        .args([
            "admin",
            "create-user",
            "--email",
            "b@example.ec",
            "--role",
            "viewer",
        ])
        .env("GPUBROKER_ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!short.status.success(), "a short password is refused");

    let verify = gpubroker(&dir).args(["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "{verify:?}");
    assert!(String::from_utf8_lossy(&verify.stdout).contains("1 rows verified"));

    let db = Database::connect(format!("sqlite://{}/data/gpubroker.db", dir.path.display()))
        .await
        .unwrap();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE audit_log SET actor_email = 'someone-else'",
    ))
    .await
    .unwrap();
    db.close().await.unwrap();
    let tampered = gpubroker(&dir).args(["audit", "verify"]).output().unwrap();
    assert_eq!(tampered.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&tampered.stderr).contains("TAMPERED"));
}
