//! The lifecycle job, driven one pass at a time with a manual clock.

use chrono::Duration;
use gpubroker::{persistence::outbox, services::lifecycle::run_once};
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::subscriptions::{activate, create_trial};

#[tokio::test]
async fn subscriptions_expire_at_the_end_of_their_period_and_stop_their_pod() {
    let app = spawn_app().await;
    let created = create_trial(&app, "expire@example.ec").await;
    let api_key = created["api_key"].as_str().unwrap();
    activate(&app, &app.activation_token(&created).await).await;
    // Fail fast on nothing due: a pass now changes nothing.
    let report = run_once(&app.subscriptions, app.clock_now()).await.unwrap();
    assert_eq!(report.expired, 0);

    // Give provisioning no chance to time out first: this test is about expiry.
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    let report = run_once(&app.subscriptions, app.clock_now()).await.unwrap();
    assert_eq!(report.expired, 1);
    let status: Value = app
        .get_with("/api/v2/admin/public/pod/status", Some(api_key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "SUBSCRIPTION_STATUS_EXPIRED");
    let stops = outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event_type == "gpubroker.v1.PodStatusChanged")
        .count();
    assert_eq!(stops, 2, "one start request, one stop request");

    // An expired subscription cannot be cancelled: the transition is illegal and says so.
    let cancel = app
        .post_with(
            "/api/v2/admin/public/subscription/cancel",
            &json!({}),
            Some(api_key),
        )
        .await;
    assert_eq!(cancel.status(), 400);
    let body: Value = cancel.json().await.unwrap();
    assert_eq!(body["code"], 9);
    assert_eq!(
        body["message"],
        "cannot move a subscription from expired to cancelled"
    );
}

#[tokio::test]
async fn provisioning_times_out_and_activation_retries() {
    let app = spawn_app().await;
    let created = create_trial(&app, "stuck@example.ec").await;
    let token = &app.activation_token(&created).await;
    activate(&app, token).await;
    // The test pod command never listens on its port, so the pod never runs.
    app.clock.advance(Duration::minutes(9));
    assert_eq!(app.pods.reconcile_once().await.unwrap().failed, 0);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.pods.reconcile_once().await.unwrap().failed, 1);
    let status: Value = app
        .get_with(
            "/api/v2/admin/public/pod/status",
            created["api_key"].as_str(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "SUBSCRIPTION_STATUS_FAILED");
    // failed → provisioning on retry.
    let retried: Value = activate(&app, token).await.json().await.unwrap();
    assert_eq!(retried["status"], "SUBSCRIPTION_STATUS_PROVISIONING");
}

#[tokio::test]
async fn a_trial_never_activated_expires_and_frees_the_email() {
    let app = spawn_app().await;
    create_trial(&app, "forgot@example.ec").await;
    app.clock.advance(Duration::hours(25));
    let report = run_once(&app.subscriptions, app.clock_now()).await.unwrap();
    assert_eq!(report.abandoned, 1);
    create_trial(&app, "forgot@example.ec").await;
}
