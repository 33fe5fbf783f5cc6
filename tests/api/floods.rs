//! Floods and abandoned requests (issue 13): memory stays bounded, the service stays ready, and
//! a client that disconnects mid-request never leaves a half-done transaction behind.

use rand::Rng;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{ServerProcess, TempDir, eventually, spawn_app};
use crate::subscriptions::VALID_RUC;

/// A figure of `/proc/<pid>/status` in kB (VmRSS now, VmHWM the peak).
fn proc_status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// 200 wrong-password logins at once from 10 addresses (under the per-address throttle): every
/// one answers 401 or a retry-later 429, `/readyz` keeps answering meanwhile, and the process
/// never grows past 200 MB (each argon2id check takes ~19 MiB; only a few run at once).
#[tokio::test]
async fn a_login_flood_keeps_memory_bounded_and_the_service_ready() {
    let data = TempDir::new();
    let server = ServerProcess::start(&[
        (
            "GPUBROKER__DATABASE__DATA_DIR",
            data.path.display().to_string(),
        ),
        ("GPUBROKER__AUTH__TRUSTED_PROXIES", "127.0.0.1".into()),
    ])
    .await;
    // Every answer within a bound: a stuck login fails the test instead of hanging it.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap();
    let flood: Vec<_> = (0..200)
        .map(|n| {
            let (client, url) = (client.clone(), server.url.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{url}/api/v2/admin/public/admin/login"))
                    .header("content-type", "application/json")
                    .header("x-forwarded-for", format!("198.51.100.{}", n % 10))
                    .body(
                        json!({"email": format!("u{n}@example.ec"), "password": "wrong password!!"})
                            .to_string(),
                    )
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    // Ready while the flood runs (the check waits for no password hash).
    let ready = client
        .get(format!("{}/readyz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let mut refused = 0;
    for login in flood {
        match login.await.unwrap().unwrap() {
            401 => {}
            429 => refused += 1,
            other => panic!("a flooded login answered {other}"),
        }
    }
    assert!(refused < 200, "some logins were checked");
    let peak_mb = proc_status_kb(server.pid(), "VmHWM:") / 1024;
    assert!(peak_mb < 200, "peak RSS {peak_mb} MB");
    server.terminate().await;
}

/// Hundreds of signups whose clients give up at random moments: afterwards no connection of the
/// pool sits inside a transaction, and every subscription that exists has its event and email.
#[tokio::test]
async fn clients_that_disconnect_mid_request_leave_nothing_half_done() {
    let app = std::sync::Arc::new(spawn_app().await);
    let tasks: Vec<_> = (0..300)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                let body = json!({"email": format!("gone{n}@example.ec"), "name": "Ana",
                                  "plan": "trial", "ruc": VALID_RUC})
                .to_string();
                let request = reqwest::Client::new()
                    .post(app.url("/api/v2/admin/public/subscription/create"))
                    .header("content-type", "application/json")
                    .body(body);
                if n % 10 == 0 {
                    // Some clients wait for their answer: those signups must succeed.
                    let response = request.send().await.unwrap();
                    assert_eq!(response.status(), 200, "{:?}", response.text().await);
                } else {
                    let patience = rand::rng().random_range(1..300);
                    let _ = request
                        .timeout(std::time::Duration::from_millis(patience))
                        .send()
                        .await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let count = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "n")
                .unwrap()
        }
    };
    // Requests still running finish on their own; then nothing is left inside a transaction.
    eventually(30, "no pooled connection idle in a transaction", || async {
        (count(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        )
        .await
            == 0)
            .then_some(())
    })
    .await;
    let created = count("SELECT count(*) AS n FROM subscriptions").await;
    assert!(created > 0, "some signups went through");
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM subscriptions s WHERE NOT EXISTS \
             (SELECT 1 FROM outbox_events e WHERE e.aggregate_id = s.id)"
        )
        .await,
        0,
        "every subscription has its event"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM subscriptions s WHERE NOT EXISTS \
             (SELECT 1 FROM email_outbox m WHERE m.recipient = s.email)"
        )
        .await,
        0,
        "every subscription has its email"
    );
    // The pool still works for new requests.
    let fine = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": VALID_RUC}),
        )
        .await;
    assert_eq!(fine.status(), 200);
}
