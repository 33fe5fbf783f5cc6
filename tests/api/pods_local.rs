//! Pods on the embedded default: the local driver runs a command per pod (here Python's
//! http.server), on SQLite, with emails written to the data directory.

use std::time::{Duration, Instant};

use gpubroker::{domain::role::Role, proto::v1 as pb};
use serde_json::{Value, json};
use tonic::Request;

use crate::helpers::{TestApp, spawn_with, test_python, test_settings};
use crate::subscriptions::{activate, create_trial};

async fn embedded_app(command: String) -> TestApp {
    let mut settings = test_settings(None);
    settings.pods.local.command = command;
    spawn_with(settings).await
}

/// Activates a new trial; returns its pod id.
async fn activated_pod(app: &TestApp, email: &str) -> String {
    let created = create_trial(app, email).await;
    let activated: Value = activate(app, &app.activation_token(&created).await)
        .await
        .json()
        .await
        .unwrap();
    activated["pod_id"].as_str().unwrap().to_owned()
}

/// Runs reconciler passes until `done` says so (a process needs a moment to listen or exit).
async fn reconcile_until(
    app: &TestApp,
    done: impl Fn(&gpubroker::services::pods::ReconcileReport) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = app.pods.reconcile_once().await.unwrap();
        if done(&report) {
            return;
        }
        assert!(Instant::now() < deadline, "the reconciler never got there");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn pod(app: &TestApp, token: &str, pod_id: &str) -> pb::Pod {
    let mut request = Request::new(pb::GetPodRequest {
        pod_id: pod_id.to_owned(),
    });
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    pb::pod_service_client::PodServiceClient::new(app.channel().await)
        .get_pod(request)
        .await
        .unwrap()
        .into_inner()
        .pod
        .unwrap()
}

#[tokio::test]
async fn an_embedded_pod_runs_as_a_local_process_and_is_watched_until_destroyed() {
    let app = embedded_app(format!(
        "{} -m http.server {{port}} --bind 127.0.0.1",
        test_python()
    ))
    .await;
    let pod_id = activated_pod(&app, "local@example.ec").await;
    let admin = app.admin_token(Role::Admin).await;
    let mut watch = Request::new(pb::WatchPodRequest {
        pod_id: pod_id.clone(),
    });
    watch
        .metadata_mut()
        .insert("authorization", format!("Bearer {admin}").parse().unwrap());
    let mut stream = pb::pod_service_client::PodServiceClient::new(app.channel().await)
        .watch_pod(watch)
        .await
        .unwrap()
        .into_inner();
    let first = stream.message().await.unwrap().unwrap();
    assert!(first.initial);
    assert_eq!(first.pod.unwrap().status(), pb::PodStatus::Provisioning);

    reconcile_until(&app, |r| r.running == 1).await;
    let running = pod(&app, &admin, &pod_id).await;
    assert_eq!(running.status(), pb::PodStatus::Running);
    assert!(
        running.pod_url.starts_with("http://127.0.0.1:"),
        "{}",
        running.pod_url
    );
    let page = reqwest::get(&running.pod_url).await.unwrap();
    assert_eq!(page.status(), 200, "the pod's process answers");
    let change = stream.message().await.unwrap().unwrap();
    assert!(!change.initial);
    assert_eq!(change.previous_status(), pb::PodStatus::Provisioning);
    assert_eq!(change.pod.unwrap().status(), pb::PodStatus::Running);
    let emails = app.sent_emails();
    assert!(
        emails.iter().any(|e| e.contains(&running.pod_url)),
        "the pod-ready email is in the outbox directory"
    );

    let destroyed = app
        .post_with(
            "/api/v2/admin/pod/destroy",
            &json!({"pod_id": pod_id, "reason": "done"}),
            Some(&admin),
        )
        .await;
    assert_eq!(destroyed.status(), 200);
    assert!(
        reqwest::get(&running.pod_url).await.is_err(),
        "the process is gone"
    );
    // The destroy is recorded (stopping) before the process is stopped, then completed; a
    // watcher that re-reads after both sees destroyed at once.
    let mut last = stream.message().await.unwrap().unwrap();
    if last.pod.as_ref().unwrap().status() == pb::PodStatus::Stopping {
        last = stream.message().await.unwrap().unwrap();
        assert_eq!(last.previous_status(), pb::PodStatus::Stopping);
    }
    assert_eq!(last.pod.unwrap().status(), pb::PodStatus::Destroyed);
    assert!(stream.message().await.unwrap().is_none(), "the stream ends");

    // Every change is in the pod's history, newest first, each from the status before it.
    let history: Value = app
        .get_with(&format!("/api/v2/admin/pod/{pod_id}/history"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let changes: Vec<(&str, &str)> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["previous_status"]
                    .as_str()
                    .unwrap_or("POD_STATUS_UNSPECIFIED"),
                c["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("POD_STATUS_STOPPING", "POD_STATUS_DESTROYED"),
            ("POD_STATUS_RUNNING", "POD_STATUS_STOPPING"),
            ("POD_STATUS_PROVISIONING", "POD_STATUS_RUNNING"),
            ("POD_STATUS_UNSPECIFIED", "POD_STATUS_PROVISIONING"),
        ]
    );
    assert_eq!(history["changes"][1]["reason"], "done", "{history}");
    let one: Value = app
        .get_with(
            &format!("/api/v2/admin/pod/{pod_id}/history?page_size=1"),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["changes"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get_with("/api/v2/admin/pod/pod-missing/history", Some(&admin))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_missing_program_fails_the_pod_with_the_reason() {
    let app = embedded_app("gpubroker-no-such-program --port {port}".into()).await;
    let pod_id = activated_pod(&app, "nodocker@example.ec").await;
    app.pods.reconcile_once().await.unwrap();
    let admin = app.admin_token(Role::Viewer).await;
    let failed = pod(&app, &admin, &pod_id).await;
    assert_eq!(failed.status(), pb::PodStatus::Failed);
    assert!(
        failed
            .status_reason
            .starts_with("deploy refused: cannot run `gpubroker-no-such-program`"),
        "{}",
        failed.status_reason
    );
    assert_eq!(failed.subscription_status(), pb::SubscriptionStatus::Failed);
}

#[tokio::test]
async fn a_process_that_exits_before_listening_fails_the_pod() {
    let app = embedded_app(format!(
        "{} -c print('no-engine')or(exit(3))",
        test_python()
    ))
    .await;
    let pod_id = activated_pod(&app, "exits@example.ec").await;
    reconcile_until(&app, |r| r.failed == 1).await;
    let admin = app.admin_token(Role::Viewer).await;
    let failed = pod(&app, &admin, &pod_id).await;
    assert_eq!(failed.status(), pb::PodStatus::Failed);
    assert!(
        failed.status_reason.contains("exit status: 3): no-engine"),
        "{}",
        failed.status_reason
    );
}

/// A pass reaches every pod however many there are: with two pods per query, five new pods are
/// all deployed in one pass (a single capped query used to starve the pods beyond it).
#[tokio::test]
async fn one_reconciler_pass_pages_through_every_pod() {
    let mut settings = test_settings(None);
    settings.pods.local.command = format!("{} -c pass", test_python());
    settings.pods.reconcile_page_size = 2;
    let app = spawn_with(settings).await;
    for n in 0..5 {
        activated_pod(&app, &format!("page-{n}@example.ec")).await;
    }
    let report = app.pods.reconcile_once().await.unwrap();
    assert_eq!(report.deployed, 5, "{report:?}");
    assert_eq!(report.provisioning, 5, "{report:?}");
}

/// A destroyed local pod is asked to end with SIGTERM first (which `docker run` passes on to its
/// container; a SIGKILL would leave the container running), and is gone when destroy answers.
#[tokio::test]
async fn a_destroyed_local_pod_is_terminated_gracefully() {
    let (app, dir) = crate::budgets::agent_app(None).await;
    let agent = crate::budgets::running_agent(&app, &dir).await;
    let admin = app.admin_token(Role::Admin).await;
    let status: Value = app
        .get_with("/api/v2/admin/public/pod/status", Some(&agent.api_key))
        .await
        .json()
        .await
        .unwrap();
    let pod_id = status["pod_id"].as_str().unwrap().to_owned();
    let destroyed = app
        .post_with(
            "/api/v2/admin/pod/destroy",
            &json!({"pod_id": pod_id, "reason": "done"}),
            Some(&admin),
        )
        .await;
    assert_eq!(destroyed.status(), 200);
    let body: Value = destroyed.json().await.unwrap();
    assert_eq!(body["pod"]["status"], "POD_STATUS_DESTROYED", "{body}");
    let note = dir.path.join(format!("{pod_id}.terminated"));
    assert_eq!(
        std::fs::read_to_string(&note).expect("the pod saw SIGTERM"),
        "SIGTERM"
    );
}

/// A pod that ignores SIGTERM gets the grace period, then the kill command (by default
/// `docker rm -f` of its container, which SIGKILL of `docker run` would leave running).
#[tokio::test]
async fn a_pod_that_ignores_sigterm_is_ended_by_the_kill_command() {
    let dir = crate::helpers::TempDir::new();
    let stubborn = dir.path.join("stubborn.py");
    std::fs::write(
        &stubborn,
        "import os, signal, sys, time\n\
         signal.signal(signal.SIGTERM, signal.SIG_IGN)\n\
         open(os.path.join(sys.argv[1], os.environ['POD_ID'] + '.pid'), 'w').write(str(os.getpid()))\n\
         time.sleep(600)\n",
    )
    .unwrap();
    let kill = dir.path.join("kill.py");
    std::fs::write(
        &kill,
        "import os, signal, sys\n\
         d, pod = sys.argv[1], sys.argv[2]\n\
         os.kill(int(open(os.path.join(d, pod + '.pid')).read()), signal.SIGKILL)\n\
         open(os.path.join(d, pod + '.killed'), 'w').write('kill command')\n",
    )
    .unwrap();
    let mut settings = test_settings(None);
    let d = dir.path.display();
    settings.pods.local.command = format!("{} {} {d}", test_python(), stubborn.display());
    settings.pods.local.kill_command =
        format!("{} {} {d} {{pod_id}}", test_python(), kill.display());
    settings.pods.local.stop_grace_secs = 1;
    let app = spawn_with(settings).await;
    let pod_id = activated_pod(&app, "stubborn@example.ec").await;
    assert_eq!(app.pods.reconcile_once().await.unwrap().deployed, 1);
    let pid_file = dir.path.join(format!("{pod_id}.pid"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !pid_file.exists() {
        assert!(Instant::now() < deadline, "the pod never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let admin = app.admin_token(Role::Admin).await;
    let destroyed = app
        .post_with(
            "/api/v2/admin/pod/destroy",
            &json!({"pod_id": pod_id, "reason": "done"}),
            Some(&admin),
        )
        .await;
    assert_eq!(destroyed.status(), 200);
    let body: Value = destroyed.json().await.unwrap();
    assert_eq!(body["pod"]["status"], "POD_STATUS_DESTROYED", "{body}");
    assert_eq!(
        std::fs::read_to_string(dir.path.join(format!("{pod_id}.killed"))).unwrap(),
        "kill command"
    );
}
