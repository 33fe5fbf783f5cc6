//! Subscriptions end to end: signup, activation, status by API key, rotation, cancellation,
//! idempotency, the one-trial rule, secrets at rest.

use gpubroker::persistence::outbox;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, count, eventually, spawn_app};

pub const VALID_RUC: &str = "1790011674001";

pub async fn create_trial(app: &TestApp, email: &str) -> Value {
    let response = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": email, "name": "Ana", "plan": "trial", "ruc": VALID_RUC}),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub async fn activate(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v2/admin/public/subscription/activate",
        &json!({"activation_token": token}),
    )
    .await
}

pub async fn status(app: &TestApp, api_key: &str) -> Value {
    let response = app
        .get_with("/api/v2/admin/public/pod/status", Some(api_key))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn trial_goes_from_signup_to_provisioning() {
    let app = spawn_app().await;
    let created = create_trial(&app, "Ana.Perez@Example.EC").await;
    assert_eq!(created["status"], "SUBSCRIPTION_STATUS_PENDING_ACTIVATION");
    assert_eq!(created["plan"], "PLAN_TRIAL");
    assert_eq!(created["price"]["amount_minor"], "0");
    assert_eq!(created["token_limit"], "1000000");
    let api_key = created["api_key"].as_str().unwrap();
    let token = &app.activation_token(&created).await;
    assert!(api_key.starts_with("gpk_") && token.starts_with("act_"));

    // The activation email carries the token, never the API key.
    let emails = app.sent_emails();
    assert_eq!(emails.len(), 1);
    assert!(emails[0].contains("To: ana.perez@example.ec"));
    assert!(emails[0].contains(token));
    assert!(!emails[0].contains(api_key));
    // Sent by the request itself (written above before it answered), then marked sent off its
    // path; the worker, meanwhile and after, finds nothing to send again.
    assert_eq!(app.emails.deliver_once().await.unwrap(), Default::default());
    eventually(10, "the email marked sent", || async {
        let unsent = count(
            &app.db,
            "SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL",
        )
        .await;
        (unsent == 0).then_some(())
    })
    .await;
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        app.emails.deliver_once().await.unwrap(),
        Default::default(),
        "sent once"
    );
    assert_eq!(app.sent_emails().len(), 1);

    assert_eq!(
        status(&app, api_key).await["status"],
        "SUBSCRIPTION_STATUS_PENDING_ACTIVATION"
    );
    let activated: Value = activate(&app, token).await.json().await.unwrap();
    assert_eq!(activated["status"], "SUBSCRIPTION_STATUS_PROVISIONING");
    // No pod runs yet, so no URL is promised.
    assert_eq!(activated["pod_url"], "");

    let now = status(&app, api_key).await;
    assert_eq!(now["status"], "SUBSCRIPTION_STATUS_PROVISIONING");
    assert_eq!(now["progress_percent"], 50);
    assert_eq!(now["tokens_remaining"], "1000000");
    // The deprecated ?key= still works.
    let legacy = app
        .get_with(
            &format!("/api/v2/admin/public/pod/status?key={api_key}"),
            None,
        )
        .await;
    assert_eq!(legacy.status(), 200);

    // The activation wrote its events: status change and the pod start request.
    let events: Vec<String> = outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        events,
        [
            "gpubroker.v1.SubscriptionCreated",
            "gpubroker.v1.SubscriptionStatusChanged",
            "gpubroker.v1.PodStatusChanged"
        ]
    );
}

#[tokio::test]
async fn twenty_racing_activations_start_one_pod() {
    let app = spawn_app().await;
    let created = create_trial(&app, "race@example.ec").await;
    let token = app.activation_token(&created).await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let app = app.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let response = activate(&app, &token).await;
            assert_eq!(response.status(), 200);
            let body: Value = response.json().await.unwrap();
            body["status"].as_str().unwrap().to_owned()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), "SUBSCRIPTION_STATUS_PROVISIONING");
    }
    let events = outbox::list(&app.db, 100).await.unwrap();
    let pod_starts = events
        .iter()
        .filter(|e| e.event_type == "gpubroker.v1.PodStatusChanged")
        .count();
    let transitions = events
        .iter()
        .filter(|e| e.event_type == "gpubroker.v1.SubscriptionStatusChanged")
        .count();
    assert_eq!((pod_starts, transitions), (1, 1));
}

#[tokio::test]
async fn paid_plans_wait_for_payment_and_client_amounts_are_ignored() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": "pay@example.ec", "plan": "pro", "tax_id": VALID_RUC,
                    "amount": 0.01, "transaction_id": "FAKE", "payment_provider": "card"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "SUBSCRIPTION_STATUS_PENDING_PAYMENT");
    assert_eq!(body["price"]["amount_minor"], "4000");
    assert!(body.get("activation_token").is_none(), "{body}");
    assert!(app.sent_emails().is_empty());
}

#[tokio::test]
async fn signup_input_is_checked_field_by_field() {
    let app = spawn_app().await;
    let path = "/api/v2/admin/public/subscription/create";
    for (body, field) in [
        (
            json!({"email": "not-an-email", "plan": "trial", "ruc": VALID_RUC}),
            "email",
        ),
        (json!({"email": "a@example.ec", "ruc": VALID_RUC}), "plan"),
        (
            json!({"email": "a@example.ec", "plan": "platinum", "ruc": VALID_RUC}),
            "body",
        ),
        (json!({"email": "a@example.ec", "plan": "trial"}), "tax_id"),
        (
            json!({"email": "a@example.ec", "plan": "trial", "ruc": "1790011674000"}),
            "tax_id",
        ),
    ] {
        let response = app.post_json(path, &body).await;
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["message"].as_str().unwrap().starts_with(field),
            "{error}"
        );
    }
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) AS n FROM subscriptions").await,
        0,
        "bad input changes nothing"
    );
}

#[tokio::test]
async fn one_live_trial_per_email() {
    let app = spawn_app().await;
    let first = create_trial(&app, "once@example.ec").await;
    let again = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": "ONCE@example.ec", "plan": "trial", "ruc": VALID_RUC}),
        )
        .await;
    assert_eq!(again.status(), 409);
    // Once the trial is over, a new one may start.
    let cancelled = app
        .post_with(
            "/api/v2/admin/public/subscription/cancel",
            &json!({}),
            first["api_key"].as_str(),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    create_trial(&app, "once@example.ec").await;
}

#[tokio::test]
async fn idempotent_create_replays_the_same_subscription() {
    let app = spawn_app().await;
    let body = json!({"email": "idem@example.ec", "plan": "basic", "ruc": VALID_RUC, "idempotency_key": "key-1"});
    let path = "/api/v2/admin/public/subscription/create";
    let first: Value = app.post_json(path, &body).await.json().await.unwrap();
    let second: Value = app.post_json(path, &body).await.json().await.unwrap();
    assert_eq!(first["subscription_id"], second["subscription_id"]);
    // The replay re-issued the key: only the newest works.
    assert_eq!(
        app.get_with("/api/v2/admin/public/pod/status", first["api_key"].as_str())
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_with(
            "/api/v2/admin/public/pod/status",
            second["api_key"].as_str()
        )
        .await
        .status(),
        200
    );
    let mut different = body.clone();
    different["plan"] = json!("pro");
    assert_eq!(app.post_json(path, &different).await.status(), 409);
}

#[tokio::test]
async fn api_keys_rotate_and_secrets_are_never_stored_in_clear() {
    let app = spawn_app().await;
    let created = create_trial(&app, "keys@example.ec").await;
    let old_key = created["api_key"].as_str().unwrap();
    let rotated: Value = app
        .post_with(
            "/api/v2/admin/public/subscription/rotate-key",
            &json!({}),
            Some(old_key),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_key = rotated["api_key"].as_str().unwrap();
    assert_ne!(new_key, old_key);
    assert_eq!(
        app.get_with("/api/v2/admin/public/pod/status", Some(old_key))
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_with("/api/v2/admin/public/pod/status", Some(new_key))
            .await
            .status(),
        200
    );

    let admin_email = app
        .create_admin(gpubroker::domain::role::Role::Viewer)
        .await;
    let activation_token = app.activation_token(&created).await;
    let backend = app.db.get_database_backend();
    for table in ["subscriptions", "admin_users", "outbox_events", "audit_log"] {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT * FROM {table}"),
            ))
            .await
            .unwrap();
        let dump = format!("{rows:?}");
        for secret in [
            old_key,
            new_key,
            &activation_token,
            crate::helpers::ADMIN_PASSWORD,
        ] {
            assert!(!dump.contains(secret), "{table} holds a secret in clear");
        }
    }
    let hash = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT password_hash FROM admin_users WHERE email = '{admin_email}'"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "password_hash")
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn expired_or_unknown_activation_tokens_are_refused() {
    let app = spawn_app().await;
    let created = create_trial(&app, "late@example.ec").await;
    assert_eq!(activate(&app, "act_unknown").await.status(), 404);
    app.clock.advance(chrono::Duration::hours(25));
    let late = activate(&app, &app.activation_token(&created).await).await;
    assert_eq!(late.status(), 400);
    let body: Value = late.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("expired"));
}

const RESEND: &str = "/api/v2/admin/public/subscription/resend-activation";

/// The activation token is in the email only, so activating proves the customer owns the address.
#[tokio::test]
async fn the_activation_token_travels_only_by_email() {
    let app = spawn_app().await;
    let created = create_trial(&app, "owner@example.ec").await;
    assert!(created.get("activation_token").is_none(), "{created}");
    assert!(
        created["activation_token_expires_at"].is_string(),
        "{created}"
    );
    let emailed = app.activation_token(&created).await;
    assert!(!created.to_string().contains(&emailed));
    assert_eq!(activate(&app, &emailed).await.status(), 200);
}

/// An expired link gets a new one (by the old token or the API key); each new link kills the one
/// before; three per hour, then 429 with a retry time; nothing once activated.
#[tokio::test]
async fn a_new_activation_link_replaces_the_old_and_is_rate_limited() {
    let app = spawn_app().await;
    let created = create_trial(&app, "again@example.ec").await;
    let api_key = created["api_key"].as_str().unwrap();
    let first = app.activation_token(&created).await;
    app.clock.advance(chrono::Duration::hours(25));
    assert_eq!(activate(&app, &first).await.status(), 400, "expired");

    // With the expired token: a new link goes to the address, not to the caller.
    let response = app
        .post_with(RESEND, &json!({"activation_token": first}), None)
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["subscription_id"], created["subscription_id"]);
    assert!(!body.to_string().contains("act_"), "{body}");
    let second = app.activation_token(&created).await;
    assert_ne!(second, first);
    assert_eq!(
        activate(&app, &first).await.status(),
        404,
        "the old link died"
    );

    // With the API key.
    let response = app.post_with(RESEND, &json!({}), Some(api_key)).await;
    assert_eq!(response.status(), 200);
    let third = app.activation_token(&created).await;
    assert_ne!(third, second);
    assert_eq!(
        app.sent_with_subject("Activa").len(),
        3,
        "one email per link"
    );

    // Unknown token, no credential: refused, nothing sent.
    let unknown = app
        .post_with(RESEND, &json!({"activation_token": "act_nope"}), None)
        .await;
    assert_eq!(unknown.status(), 404);
    let missing = app.post_with(RESEND, &json!({}), None).await;
    assert_eq!(missing.status(), 400);
    let body: Value = missing.json().await.unwrap();
    assert!(body.to_string().contains("activation_token"), "{body}");

    // The third resend this hour is the last.
    assert_eq!(
        app.post_with(RESEND, &json!({}), Some(api_key))
            .await
            .status(),
        200
    );
    let limited = app.post_with(RESEND, &json!({}), Some(api_key)).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited
        .headers()
        .get("retry-after")
        .expect("retry-after")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_eq!(app.sent_with_subject("Activa").len(), 4);

    // Activated: there is nothing to resend.
    let latest = app.activation_token(&created).await;
    assert_eq!(activate(&app, &latest).await.status(), 200);
    app.clock.advance(chrono::Duration::hours(1));
    let done = app.post_with(RESEND, &json!({}), Some(api_key)).await;
    assert_eq!(done.status(), 400);
    let body: Value = done.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("nothing to activate"),
        "{body}"
    );
    assert_eq!(app.sent_with_subject("Activa").len(), 4);
}

#[tokio::test]
async fn plans_come_from_the_server() {
    let app = spawn_app().await;
    let body: Value = app
        .get_with("/api/v2/admin/public/plans?language=LANGUAGE_EN", None)
        .await
        .json()
        .await
        .unwrap();
    let plans = body["plans"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = plans
        .iter()
        .map(|p| {
            (
                p["plan"].as_str().unwrap(),
                p["price"]["amount_minor"].as_str().unwrap(),
                p["token_limit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("PLAN_TRIAL", "0", "1000000"),
            ("PLAN_BASIC", "2000", "5000000"),
            ("PLAN_PRO", "4000", "10000000"),
            ("PLAN_CORP", "9900", "50000000"),
            ("PLAN_ENTERPRISE", "29900", "200000000"),
        ]
    );
    assert_eq!(plans[0]["display_name"], "Free Trial");
    assert_eq!(plans[0]["requires_payment"], false);
    assert_eq!(plans[0]["period"], "2592000s");
}

#[tokio::test]
async fn a_customer_cannot_cancel_another_subscription() {
    let app = spawn_app().await;
    let mine = create_trial(&app, "mine@example.ec").await;
    let theirs = create_trial(&app, "theirs@example.ec").await;
    let response = app
        .post_with(
            "/api/v2/admin/public/subscription/cancel",
            &json!({"subscription_id": theirs["subscription_id"]}),
            mine["api_key"].as_str(),
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        status(&app, theirs["api_key"].as_str().unwrap()).await["status"],
        "SUBSCRIPTION_STATUS_PENDING_ACTIVATION"
    );
}

/// Racing cancels all answer the cancelled subscription (the proto's promise), none 400; before
/// activation the status names no pod.
#[tokio::test]
async fn racing_cancels_all_succeed_and_no_pod_shows_before_activation() {
    let app = std::sync::Arc::new(spawn_app().await);
    let created = create_trial(&app, "racer@example.ec").await;
    let api_key = created["api_key"].as_str().unwrap().to_owned();
    let before = status(&app, &api_key).await;
    assert_eq!(
        before["pod_id"].as_str().unwrap_or_default(),
        "",
        "no pod before activation: {before}"
    );
    activate(&app, &app.activation_token(&created).await).await;
    assert!(
        status(&app, &api_key).await["pod_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("pod-"))
    );
    let cancels: Vec<_> = (0..10)
        .map(|_| {
            let (app, api_key) = (app.clone(), api_key.clone());
            tokio::spawn(async move {
                let response = app
                    .post_with(
                        "/api/v2/admin/public/subscription/cancel",
                        &json!({}),
                        Some(&api_key),
                    )
                    .await;
                let code = response.status().as_u16();
                (code, response.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    for cancel in cancels {
        let (code, body) = cancel.await.unwrap();
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            body["subscription"]["status"], "SUBSCRIPTION_STATUS_CANCELLED",
            "{body}"
        );
    }
    let events = outbox::list(&app.db, 1_000).await.unwrap();
    let to_cancelled = events
        .iter()
        .filter(|e| e.event_type == "gpubroker.v1.SubscriptionStatusChanged")
        .count();
    assert_eq!(to_cancelled, 2, "activated, then cancelled once");
}

/// A bearer token that is no credential at all is unauthenticated (401), not forbidden.
#[tokio::test]
async fn a_bearer_that_is_no_credential_is_401() {
    let app = spawn_app().await;
    for path in [
        "/api/v2/admin/public/pod/status",
        "/api/v2/agent/budget",
        "/api/v2/admin/dashboard",
    ] {
        let response = app.get_with(path, Some("not-a-credential")).await;
        assert_eq!(response.status(), 401, "{path}");
    }
    let spend = app
        .post_with(
            "/api/v2/agent/budget/reserve",
            &json!({"tokens": 1, "idempotency_key": "x"}),
            Some("not-a-credential"),
        )
        .await;
    assert_eq!(spend.status(), 401);
}
