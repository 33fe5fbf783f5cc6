//! API keys after creation: a revoked key stops at once, the customer recovers a new one with
//! the single-use link emailed to them (never a key), and admins revoke with an audit entry.

use chrono::Duration;
use gpubroker::domain::role::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::subscriptions::{activate, create_trial};

/// The token of the newest recovery email (which never carries an API key).
fn token_from(app: &TestApp) -> String {
    let email = app
        .sent_emails()
        .into_iter()
        .rev()
        .find(|e| e.contains("recover-key?token="))
        .expect("a recovery email was sent");
    assert!(!email.contains("gpk_"), "no API key in the email");
    let token: String = email
        .split("recover-key?token=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert!(token.starts_with("rec_"), "{token}");
    token
}

async fn trial(app: &TestApp, email: &str) -> (String, String) {
    let created = create_trial(app, email).await;
    assert_eq!(
        activate(app, &app.activation_token(&created).await)
            .await
            .status(),
        200
    );
    (
        created["subscription_id"].as_str().unwrap().to_owned(),
        created["api_key"].as_str().unwrap().to_owned(),
    )
}

async fn status_code(app: &TestApp, key: &str) -> u16 {
    app.get_with("/api/v2/admin/public/pod/status", Some(key))
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_customer_revokes_a_leaked_key_and_recovers_a_new_one_by_email() {
    let app = spawn_app().await;
    let (subscription_id, key) = trial(&app, "leak@example.ec").await;

    let revoked = app
        .post_with(
            "/api/v2/admin/public/subscription/revoke-key",
            &json!({"reason": "pasted it in a public repo"}),
            Some(&key),
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert_eq!(revoked["subscription_id"], subscription_id.as_str());
    assert_eq!(
        status_code(&app, &key).await,
        401,
        "the old key is dead at once"
    );

    let token = token_from(&app);
    let recovered = app
        .post_json(
            "/api/v2/admin/public/subscription/recover-key",
            &json!({"recovery_token": token}),
        )
        .await;
    assert_eq!(recovered.status(), 200);
    let recovered: Value = recovered.json().await.unwrap();
    let new_key = recovered["api_key"].as_str().unwrap();
    assert!(new_key.starts_with("gpk_") && new_key != key);
    assert_eq!(recovered["subscription_id"], subscription_id.as_str());
    assert_eq!(status_code(&app, new_key).await, 200);
    assert_eq!(status_code(&app, &key).await, 401);

    // Single use.
    let again = app
        .post_json(
            "/api/v2/admin/public/subscription/recover-key",
            &json!({"recovery_token": token}),
        )
        .await;
    assert_eq!(again.status(), 404);
    assert_eq!(
        status_code(&app, new_key).await,
        200,
        "a spent token changes nothing"
    );

    // A key may revoke only itself.
    let (other, _) = trial(&app, "other@example.ec").await;
    let refused = app
        .post_with(
            "/api/v2/admin/public/subscription/revoke-key",
            &json!({"subscription_id": other}),
            Some(new_key),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(status_code(&app, new_key).await, 200);
}

#[tokio::test]
async fn an_admin_revokes_with_an_audit_entry_and_an_old_link_expires() {
    let app = spawn_app().await;
    let (subscription_id, key) = trial(&app, "admin-revoke@example.ec").await;
    let admin = app.admin_token(Role::Admin).await;
    let revoked = app
        .post_with(
            "/api/v2/admin/subscription/revoke-key",
            &json!({"subscription_id": subscription_id, "reason": "abuse report"}),
            Some(&admin),
        )
        .await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(status_code(&app, &key).await, 401);
    let first = token_from(&app);

    // A second revocation sends a new link; the first one is dead.
    let again = app
        .post_with(
            "/api/v2/admin/subscription/revoke-key",
            &json!({"subscription_id": subscription_id, "reason": "again"}),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status(), 200);
    let second = token_from(&app);
    assert_ne!(first, second);
    let stale = app
        .post_json(
            "/api/v2/admin/public/subscription/recover-key",
            &json!({"recovery_token": first}),
        )
        .await;
    assert_eq!(stale.status(), 404);

    // The link expires with the activation lifetime (24 h by default).
    app.clock.advance(Duration::hours(25));
    let expired = app
        .post_json(
            "/api/v2/admin/public/subscription/recover-key",
            &json!({"recovery_token": second}),
        )
        .await;
    assert_eq!(expired.status(), 400);

    let super_admin = app.admin_token(Role::SuperAdmin).await;
    let audit: Value = app
        .get_with(
            "/api/v2/admin/audit-log?action=subscription.revoke_api_key",
            Some(&super_admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let entries = audit["entries"].as_array().expect("audit entries");
    assert_eq!(entries.len(), 2, "{audit}");
    assert_eq!(entries[0]["resource_id"], subscription_id.as_str());
}

/// Streams check their caller while they run: once the key is revoked, its pod and budget
/// streams end with UNAUTHENTICATED instead of going on (within one resync, 5 s).
#[tokio::test]
async fn a_revoked_key_loses_its_open_streams() {
    use gpubroker::proto::v1 as pb;
    let app = spawn_app().await;
    let created = create_trial(&app, "streams@example.ec").await;
    let activated: Value = activate(&app, &app.activation_token(&created).await)
        .await
        .json()
        .await
        .unwrap();
    let key = created["api_key"].as_str().unwrap();
    let bearer = format!("Bearer {key}")
        .parse::<tonic::metadata::MetadataValue<_>>()
        .unwrap();
    let mut watch_pod = tonic::Request::new(pb::WatchPodRequest {
        pod_id: activated["pod_id"].as_str().unwrap().to_owned(),
    });
    watch_pod
        .metadata_mut()
        .insert("authorization", bearer.clone());
    let mut pod_stream = pb::pod_service_client::PodServiceClient::new(app.channel().await)
        .watch_pod(watch_pod)
        .await
        .unwrap()
        .into_inner();
    let mut watch_budget = tonic::Request::new(pb::WatchBudgetRequest::default());
    watch_budget.metadata_mut().insert("authorization", bearer);
    let mut budget_stream =
        pb::agent_budget_service_client::AgentBudgetServiceClient::new(app.channel().await)
            .watch_budget(watch_budget)
            .await
            .unwrap()
            .into_inner();
    assert!(pod_stream.message().await.unwrap().unwrap().initial);
    assert_eq!(
        budget_stream.message().await.unwrap().unwrap().change(),
        pb::BudgetChangeKind::Snapshot
    );

    let revoked = app
        .post_with(
            "/api/v2/admin/public/subscription/revoke-key",
            &json!({}),
            Some(key),
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let deadline = std::time::Duration::from_secs(30);
    for ended in [
        tokio::time::timeout(deadline, async {
            loop {
                if let Err(status) = pod_stream.message().await {
                    return status;
                }
            }
        })
        .await,
        tokio::time::timeout(deadline, async {
            loop {
                if let Err(status) = budget_stream.message().await {
                    return status;
                }
            }
        })
        .await,
    ] {
        assert_eq!(
            ended.expect("the stream ended").code(),
            tonic::Code::Unauthenticated
        );
    }
}

/// Replaying the create of a subscription still waiting for payment reissues its key — but not
/// once the key was revoked: the revocation stands and the recovery link is the way back.
#[tokio::test]
async fn a_replayed_create_does_not_undo_a_revocation() {
    let app = spawn_app().await;
    let body = json!({"email": "replay@example.ec", "plan": "basic", "ruc": "1790011674001", "idempotency_key": "replay-1"});
    let path = "/api/v2/admin/public/subscription/create";
    let created: Value = app.post_json(path, &body).await.json().await.unwrap();
    let key = created["api_key"].as_str().unwrap();
    let revoked = app
        .post_with(
            "/api/v2/admin/public/subscription/revoke-key",
            &json!({}),
            Some(key),
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let replayed = app.post_json(path, &body).await;
    assert_eq!(replayed.status(), 400);
    let recovered = app
        .post_json(
            "/api/v2/admin/public/subscription/recover-key",
            &json!({"recovery_token": token_from(&app)}),
        )
        .await;
    assert_eq!(recovered.status(), 200);
}
