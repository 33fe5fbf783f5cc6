//! Operational endpoints and the embedded (SQLite) path.

use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_sqlite};

#[tokio::test]
async fn healthz_readyz_and_metrics() {
    let app = spawn_app().await;
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "ok");

    app.post_json(
        "/api/v2/admin/public/validate/ruc",
        &json!({"ruc": "1790011674001"}),
    )
    .await;
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            r#"gpubroker_http_requests_total{protocol="rest",method="POST",route="/api/v2/admin/public/validate/ruc",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains("gpubroker_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn readyz_reports_a_lost_database() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "unavailable");
}

#[tokio::test]
async fn embedded_sqlite_smoke() {
    let app = spawn_app_sqlite().await;
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "1790011674001"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["valid"], true);
    let mut client = app.validation().await;
    let reply = client
        .validate_identity(gpubroker::proto::v1::ValidateIdentityRequest {
            identifier: "1713488185".into(),
            strict: true,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(reply.valid);
}
