//! Several processes on one database (issue 13): starts, background jobs and pods stay correct.

use std::process::Command;

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::fresh_postgres_database;

/// Three processes migrating one empty database at once all succeed, and each migration is
/// applied exactly once.
#[tokio::test]
async fn three_concurrent_starts_migrate_an_empty_database_once() {
    let url = fresh_postgres_database().await;
    let children: Vec<_> = (0..3)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_gpubroker"))
                .arg("migrate")
                .env("DATABASE_URL", &url)
                .env("GPUBROKER__LOG__FILTER", "warn")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("gpubroker starts")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a concurrent migrate failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let db = Database::connect(&url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT count(*) AS n, count(DISTINCT version) AS d FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let (n, d): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "d").unwrap());
    assert!(n >= 9, "every migration applied: {n}");
    assert_eq!(n, d, "no migration applied twice");
}

use serde_json::{Value, json};

use crate::helpers::{
    ServerProcess, TempDir, count, emailed_activation_token, eventually, test_python,
};
use crate::subscriptions::VALID_RUC;

/// Settings of a server process that runs local pods (Python's http.server) on `url`.
fn local_pod_env(url: &str, data_dir: &TempDir) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", url.to_owned()),
        (
            "GPUBROKER__AUTH__JWT_SECRET",
            crate::helpers::TEST_JWT_SECRET.to_owned(),
        ),
        (
            "GPUBROKER__DATABASE__DATA_DIR",
            data_dir.path.display().to_string(),
        ),
        (
            "GPUBROKER__PODS__LOCAL__COMMAND",
            format!("{} -m http.server {{port}} --bind 127.0.0.1", test_python()),
        ),
        ("GPUBROKER__PODS__LOCAL__KILL_COMMAND", String::new()),
        ("GPUBROKER__PODS__RECONCILE_INTERVAL_SECS", "1".into()),
        ("GPUBROKER__EMAIL__QUEUE_INTERVAL_SECS", "1".into()),
        ("GPUBROKER__DEPLOYMENT__COUNTRY_CODE", "EC".into()),
    ]
}

async fn post(url: &str, path: &str, body: Value, bearer: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Creates and activates a trial through `url`; returns its API key.
async fn activated_trial(url: &str, email: &str, data_dirs: &[&TempDir]) -> String {
    let (status, created) = post(
        url,
        "/api/v2/admin/public/subscription/create",
        json!({"email": email, "name": "Ana", "plan": "trial", "ruc": VALID_RUC}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let dirs: Vec<&std::path::Path> = data_dirs.iter().map(|d| d.path.as_path()).collect();
    let token = emailed_activation_token(&dirs, email).expect("an activation link was emailed");
    let (status, body) = post(
        url,
        "/api/v2/admin/public/subscription/activate",
        json!({"activation_token": token}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    created["api_key"].as_str().unwrap().to_owned()
}

#[derive(Debug, Clone)]
struct PodRow {
    pod_id: String,
    status: String,
    endpoint: String,
    generation: i64,
    subscription_status: String,
}

async fn pods(db: &sea_orm::DatabaseConnection) -> Vec<PodRow> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT p.pod_id, p.status, p.endpoint, p.generation, s.status AS sub \
         FROM pods p JOIN subscriptions s ON s.id = p.subscription_id ORDER BY p.pod_id",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| PodRow {
        pod_id: row.try_get("", "pod_id").unwrap(),
        status: row.try_get("", "status").unwrap(),
        endpoint: row.try_get("", "endpoint").unwrap(),
        generation: row.try_get("", "generation").unwrap(),
        subscription_status: row.try_get("", "sub").unwrap(),
    })
    .collect()
}

/// Whether something accepts connections at a pod's `http://127.0.0.1:<port>` endpoint.
async fn answers(endpoint: &str) -> bool {
    let address = endpoint.trim_start_matches("http://");
    tokio::net::TcpStream::connect(address).await.is_ok()
}

/// Waits until all `n` pods run (with their subscriptions) in a run newer than `before`'s, none
/// failed, and returns them.
async fn all_running(db: &sea_orm::DatabaseConnection, n: usize, before: &[PodRow]) -> Vec<PodRow> {
    eventually(90, "every pod running", || async {
        let rows = pods(db).await;
        for row in &rows {
            assert_ne!(row.status, "failed", "a pod failed: {row:?}");
        }
        let newer = |r: &PodRow| {
            before
                .iter()
                .find(|b| b.pod_id == r.pod_id)
                .is_none_or(|b| r.generation > b.generation)
        };
        let ready = rows.len() == n
            && rows
                .iter()
                .all(|r| r.status == "running" && r.subscription_status == "running" && newer(r));
        ready.then_some(rows)
    })
    .await
}

async fn none_answer(rows: &[PodRow]) {
    for row in rows {
        eventually(30, "an old pod process is gone", || async {
            (!answers(&row.endpoint).await).then_some(())
        })
        .await;
    }
}

/// A restart (kill -9, then SIGTERM) never fails running subscriptions: the pods come back with
/// new tasks, and the old processes never outlive the server that ran them.
#[tokio::test]
async fn pods_survive_restarts_and_leave_no_orphans() {
    let url = fresh_postgres_database().await;
    let data = TempDir::new();
    let env = local_pod_env(&url, &data);
    let first = ServerProcess::start(&env).await;
    let mut keys = Vec::new();
    for n in 0..2 {
        keys.push(activated_trial(&first.url, &format!("restart{n}@example.ec"), &[&data]).await);
    }
    let db = Database::connect(&url).await.unwrap();
    let before = all_running(&db, 2, &[]).await;
    for row in &before {
        assert!(answers(&row.endpoint).await, "{row:?}");
    }

    first.kill().await;
    // The pods died with the server that ran them (no orphan keeps its port).
    none_answer(&before).await;
    let second = ServerProcess::start(&env).await;
    let after = all_running(&db, 2, &before).await;
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old.pod_id, new.pod_id);
        assert!(new.generation > old.generation, "a new run: {new:?}");
        assert!(answers(&new.endpoint).await, "{new:?}");
    }
    // Each was redeployed automatically (and the count is on record).
    let redeployed = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT count(*) AS n FROM pods WHERE redeploys >= 1",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(redeployed, 2);

    second.terminate().await;
    none_answer(&after).await;
    let third = ServerProcess::start(&env).await;
    let again = all_running(&db, 2, &after).await;

    // Cancelling ends every pod; none is left running.
    for key in &keys {
        let (status, body) = post(
            &third.url,
            "/api/v2/admin/public/subscription/cancel",
            json!({}),
            Some(key),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    eventually(60, "every pod stopped", || async {
        let rows = pods(&db).await;
        rows.iter()
            .all(|r| matches!(r.status.as_str(), "stopped" | "destroyed"))
            .then_some(())
    })
    .await;
    none_answer(&again).await;
    third.terminate().await;
}

/// `.eml` files the embedded senders of these data directories wrote.
fn emails_written(dirs: &[TempDir]) -> usize {
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d.path.join("outbox")).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .count()
}

/// Waits until the email outbox holds nothing unsent.
async fn all_emails_sent(db: &sea_orm::DatabaseConnection) {
    eventually(30, "every email sent", || async {
        (count(
            db,
            "SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL",
        )
        .await
            == 0)
            .then_some(())
    })
    .await;
}

/// Three replicas on one database: each pod runs in exactly one process (the reconciler's
/// leader), each email goes out once, and when the leader dies another takes over its pods.
#[tokio::test]
async fn three_replicas_run_each_pod_once_and_fail_over() {
    let url = fresh_postgres_database().await;
    let dirs: Vec<TempDir> = (0..3).map(|_| TempDir::new()).collect();
    let mut servers = Vec::new();
    for dir in &dirs {
        servers.push(ServerProcess::start(&local_pod_env(&url, dir)).await);
    }
    let mut keys = Vec::new();
    for n in 0..6 {
        let url = &servers[n % 3].url;
        keys.push(
            activated_trial(
                url,
                &format!("replica{n}@example.ec"),
                &dirs.iter().collect::<Vec<_>>(),
            )
            .await,
        );
    }
    let db = Database::connect(&url).await.unwrap();
    let running = all_running(&db, 6, &[]).await;
    let runs_in = |pod_id: &str| {
        dirs.iter()
            .filter(|d| d.path.join("pods").join(format!("{pod_id}.log")).exists())
            .count()
    };
    for row in &running {
        assert_eq!(runs_in(&row.pod_id), 1, "one process per pod: {row:?}");
        assert!(answers(&row.endpoint).await, "{row:?}");
    }
    // Every queued email is sent, and exactly once across the replicas.
    all_emails_sent(&db).await;
    let queued = count(&db, "SELECT count(*) AS n FROM email_outbox").await;
    assert!(queued >= 12, "activation and ready emails: {queued}");
    assert_eq!(emails_written(&dirs) as i64, queued);

    // The leader dies: another replica takes the pods over with new tasks.
    let leader = dirs
        .iter()
        .position(|d| d.path.join("pods").exists())
        .expect("some replica runs the pods");
    servers.remove(leader).kill().await;
    none_answer(&running).await;
    let again = all_running(&db, 6, &running).await;
    for row in &again {
        assert!(answers(&row.endpoint).await, "{row:?}");
    }

    for (n, key) in keys.iter().enumerate() {
        let (status, body) = post(
            &servers[n % 2].url,
            "/api/v2/admin/public/subscription/cancel",
            json!({}),
            Some(key),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    eventually(60, "every pod stopped", || async {
        pods(&db)
            .await
            .iter()
            .all(|r| r.status == "stopped")
            .then_some(())
    })
    .await;
    none_answer(&again).await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM pods WHERE status = 'failed'"
        )
        .await,
        0
    );
    // No redeploy re-sent a ready email; every email still went out once.
    all_emails_sent(&db).await;
    assert_eq!(
        emails_written(&dirs) as i64,
        count(&db, "SELECT count(*) AS n FROM email_outbox").await
    );
}

/// The environment of a server process on `ecs`'s moto objects (database, cluster, SES domain).
fn ecs_env(ecs: &crate::pods_ecs::Ecs, data_dir: &TempDir) -> Vec<(&'static str, String)> {
    use secrecy::ExposeSecret;
    let s = &ecs.settings;
    let url = s
        .database
        .url
        .as_ref()
        .expect("PostgreSQL")
        .expose_secret()
        .to_owned();
    vec![
        ("DATABASE_URL", url),
        (
            "GPUBROKER__AUTH__JWT_SECRET",
            crate::helpers::TEST_JWT_SECRET.to_owned(),
        ),
        (
            "GPUBROKER__DATABASE__DATA_DIR",
            data_dir.path.display().to_string(),
        ),
        (
            "GPUBROKER__AWS__ENDPOINT_URL",
            s.aws.endpoint_url.clone().unwrap_or_default(),
        ),
        ("GPUBROKER__AWS__ACCESS_KEY_ID", "testing".into()),
        ("GPUBROKER__AWS__SECRET_ACCESS_KEY", "testing".into()),
        ("GPUBROKER__EMAIL__PROVIDER", "ses".into()),
        ("GPUBROKER__EMAIL__FROM", s.email.from.clone()),
        ("GPUBROKER__PODS__DRIVER", "ecs".into()),
        ("GPUBROKER__PODS__BUDGET_URL", s.pods.budget_url.clone()),
        ("GPUBROKER__PODS__ECS__CLUSTER", s.pods.ecs.cluster.clone()),
        (
            "GPUBROKER__PODS__ECS__TASK_DEFINITION",
            s.pods.ecs.task_definition.clone(),
        ),
        (
            "GPUBROKER__PODS__ECS__SUBNETS",
            s.pods.ecs.subnets.join(","),
        ),
        (
            "GPUBROKER__PODS__ECS__SECURITY_GROUPS",
            s.pods.ecs.security_groups.join(","),
        ),
        ("GPUBROKER__PODS__RECONCILE_INTERVAL_SECS", "1".into()),
        ("GPUBROKER__EMAIL__QUEUE_INTERVAL_SECS", "1".into()),
        ("GPUBROKER__DEPLOYMENT__COUNTRY_CODE", "EC".into()),
    ]
}

/// The pod ids of the tasks ECS (moto) runs in `cluster`, one entry per task.
async fn ecs_task_pods(
    ecs: &crate::pods_ecs::Ecs,
    desired: aws_sdk_ecs::types::DesiredStatus,
) -> Vec<String> {
    let listed = ecs
        .ecs()
        .list_tasks()
        .cluster(&ecs.cluster)
        .desired_status(desired)
        .send()
        .await
        .unwrap();
    if listed.task_arns().is_empty() {
        return Vec::new();
    }
    let described = ecs
        .ecs()
        .describe_tasks()
        .cluster(&ecs.cluster)
        .set_tasks(Some(listed.task_arns().to_vec()))
        .include(aws_sdk_ecs::types::TaskField::Tags)
        .send()
        .await
        .unwrap();
    let mut pods: Vec<String> = described
        .tasks()
        .iter()
        .filter_map(|task| {
            task.tags()
                .iter()
                .find(|tag| tag.key() == Some("pod_id"))
                .and_then(|tag| tag.value())
                .map(str::to_owned)
        })
        .collect();
    pods.sort();
    pods
}

/// Two replicas on one database driving ECS (moto): each activated pod gets exactly one task,
/// none fails, each activation email goes out once, and after the cancels no task is left.
#[tokio::test]
async fn two_replicas_on_ecs_run_one_task_per_pod_and_leave_none_after_cancel() {
    use aws_sdk_ecs::types::DesiredStatus;
    let ecs = crate::pods_ecs::ecs_setup().await;
    let dirs: Vec<TempDir> = (0..2).map(|_| TempDir::new()).collect();
    let mut servers = Vec::new();
    for dir in &dirs {
        servers.push(ServerProcess::start(&ecs_env(&ecs, dir)).await);
    }
    let suffix = crate::helpers::random_suffix();
    let mut keys = Vec::new();
    let mut emails = Vec::new();
    for n in 0..4 {
        let email = format!("ecs{n}-{suffix}@example.ec");
        let (status, created) = post(
            &servers[n % 2].url,
            "/api/v2/admin/public/subscription/create",
            json!({"email": email, "name": "Ana", "plan": "trial", "ruc": VALID_RUC}),
            None,
        )
        .await;
        assert_eq!(status, 200, "{created}");
        let emailed = crate::pods_ecs::emails_to(&email).await;
        assert_eq!(emailed.len(), 1, "one activation email: {emailed:?}");
        let token = crate::helpers::activation_token_in(&emailed[0]).expect("activation link");
        let (status, body) = post(
            &servers[(n + 1) % 2].url,
            "/api/v2/admin/public/subscription/activate",
            json!({"activation_token": token}),
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        keys.push(created["api_key"].as_str().unwrap().to_owned());
        emails.push(email);
    }
    let db = Database::connect(
        ecs.settings
            .database
            .url
            .as_ref()
            .map(|u| {
                use secrecy::ExposeSecret;
                u.expose_secret().to_owned()
            })
            .unwrap(),
    )
    .await
    .unwrap();
    // Every pod gets its task from whichever replica leads the reconciler, and only one.
    let expected: Vec<String> = {
        let mut ids: Vec<String> = pods(&db).await.into_iter().map(|r| r.pod_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(expected.len(), 4);
    eventually(60, "one ECS task per pod", || async {
        let rows = pods(&db).await;
        assert!(
            rows.iter().all(|r| r.status != "failed"),
            "a pod failed: {rows:?}"
        );
        let tasks = ecs_task_pods(&ecs, DesiredStatus::Running).await;
        assert!(tasks.len() <= 4, "more tasks than pods: {tasks:?}");
        (tasks == expected).then_some(())
    })
    .await;
    // A few more reconciler passes on both replicas start nothing more.
    let passes = count(&db, "SELECT count(*) AS n FROM pods").await;
    assert_eq!(passes, 4);
    for key in &keys {
        let (status, body) = post(
            &servers[1].url,
            "/api/v2/admin/public/subscription/cancel",
            json!({}),
            Some(key),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    eventually(60, "every ECS task stopped", || async {
        ecs_task_pods(&ecs, DesiredStatus::Running)
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    let stopped = ecs_task_pods(&ecs, DesiredStatus::Stopped).await;
    assert_eq!(stopped, expected, "each pod ran exactly one task in all");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM pods WHERE status = 'failed'"
        )
        .await,
        0
    );
    for email in &emails {
        let activation = crate::pods_ecs::emails_to(email)
            .await
            .into_iter()
            .filter(|m| m.contains("token=act_"))
            .count();
        assert_eq!(activation, 1, "{email}: one activation email");
    }
    for server in servers {
        server.terminate().await;
    }
}
