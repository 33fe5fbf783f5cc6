//! Payments end to end against the PayPal emulator: the price comes from the plan, only a verified
//! capture activates, captures are idempotent under races, and PayPal faults change nothing.

use gpubroker::persistence::outbox;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, eventually, fresh_postgres_database, spawn_app, spawn_with, test_settings,
};
use crate::paypal_emulator::{
    ATTACKER_CERT_URL, CERT_URL, CLIENT_ID, CLIENT_SECRET, CaptureOutcome, Delivery,
    PaypalEmulator, WEBHOOK_ID, sign_delivery,
};
use crate::subscriptions::VALID_RUC;

pub async fn spawn_with_paypal() -> (TestApp, PaypalEmulator) {
    spawn_with_paypal_timeout(5).await
}

async fn spawn_with_paypal_timeout(timeout_secs: u64) -> (TestApp, PaypalEmulator) {
    let emulator = PaypalEmulator::start().await;
    let settings = paypal_settings(&emulator, timeout_secs).await;
    (spawn_with(settings).await, emulator)
}

/// Settings of a server on a fresh database whose PayPal is `emulator`.
async fn paypal_settings(
    emulator: &PaypalEmulator,
    timeout_secs: u64,
) -> gpubroker::config::Settings {
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.paypal.client_id = Some(CLIENT_ID.into());
    settings.paypal.client_secret = Some(CLIENT_SECRET.into());
    settings.paypal.base_url = Some(emulator.base_url.clone());
    settings.paypal.timeout_secs = timeout_secs;
    settings.paypal.webhook_id = Some(WEBHOOK_ID.into());
    settings.paypal.webhook_ca_file = Some(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/paypal/test-ca.pem"),
    );
    settings.paypal.webhook_cert_fetch_base = Some(emulator.base_url.clone());
    settings
}

async fn paid_subscription(app: &TestApp, email: &str) -> Value {
    let body = json!({"email": email, "plan": "pro", "ruc": VALID_RUC, "amount": 0.01});
    app.post_json("/api/v2/admin/public/subscription/create", &body)
        .await
        .json()
        .await
        .unwrap()
}

async fn create_order(app: &TestApp, subscription_id: &str) -> Value {
    let response = app
        .post_json(
            "/api/v2/admin/public/payment/paypal",
            &json!({"subscription_id": subscription_id, "amount": "0.01"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub async fn capture(app: &TestApp, order_id: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/v2/admin/public/payment/paypal/capture/{order_id}"),
        &json!({}),
    )
    .await
}

fn count_events(
    events: &[gpubroker::persistence::entities::outbox_event::Model],
    event_type: &str,
) -> usize {
    events.iter().filter(|e| e.event_type == event_type).count()
}

#[tokio::test]
async fn pay_capture_and_activate_through_rest() {
    let (app, paypal) = spawn_with_paypal().await;
    let sub = paid_subscription(&app, "payer@example.ec").await;
    let sub_id = sub["subscription_id"].as_str().unwrap();
    let order = create_order(&app, sub_id).await;
    assert_eq!(order["amount"]["amount_minor"], "4000");
    assert!(
        order["approve_url"]
            .as_str()
            .unwrap()
            .contains("checkoutnow?token=")
    );

    // PayPal received the plan's price and our ids, whatever the client sent.
    let sent = &paypal.order_requests()[0]["purchase_units"][0];
    assert_eq!(
        sent["amount"],
        json!({"currency_code": "USD", "value": "40.00"})
    );
    assert_eq!(sent["custom_id"], sub_id);
    assert_eq!(sent["invoice_id"], order["payment_id"]);

    let order_id = order["order_id"].as_str().unwrap();
    // Not approved yet: nothing changes.
    let early = capture(&app, order_id).await;
    assert_eq!(early.status(), 400);
    assert!(early.text().await.unwrap().contains("ORDER_NOT_APPROVED"));

    paypal.approve(order_id);
    let captured: Value = capture(&app, order_id).await.json().await.unwrap();
    assert_eq!(captured["payment"]["status"], "PAYMENT_STATUS_COMPLETED");
    assert_eq!(
        captured["subscription_status"],
        "SUBSCRIPTION_STATUS_PENDING_ACTIVATION"
    );

    // The activation link arrives by email; activation then starts provisioning.
    let emails = app.sent_with_subject("Activa");
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    let token = email
        .split("token=")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap();
    let activated: Value = app
        .post_json(
            "/api/v2/admin/public/subscription/activate",
            &json!({"activation_token": token}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(activated["status"], "SUBSCRIPTION_STATUS_PROVISIONING");
}

#[tokio::test]
async fn twenty_racing_captures_make_one_payment() {
    let (app, paypal) = spawn_with_paypal().await;
    let sub = paid_subscription(&app, "race-pay@example.ec").await;
    let order = create_order(&app, sub["subscription_id"].as_str().unwrap()).await;
    let order_id = order["order_id"].as_str().unwrap().to_owned();
    paypal.approve(&order_id);
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, order_id) = (app.clone(), order_id.clone());
        tasks.push(tokio::spawn(async move {
            let response = capture(&app, &order_id).await;
            assert_eq!(response.status(), 200);
            let body: Value = response.json().await.unwrap();
            body["payment"]["status"].as_str().unwrap().to_owned()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), "PAYMENT_STATUS_COMPLETED");
    }
    assert_eq!(
        paypal.capture_calls(),
        1,
        "PayPal was asked to capture once"
    );
    let events = outbox::list(&app.db, 1_000).await.unwrap();
    assert_eq!(count_events(&events, "gpubroker.v1.PaymentCaptured"), 1);
    let to_pending_activation = events
        .iter()
        .filter(|e| e.event_type == "gpubroker.v1.SubscriptionStatusChanged")
        .count();
    assert_eq!(to_pending_activation, 1);
    assert_eq!(
        app.sent_with_subject("Activa").len(),
        1,
        "one activation email"
    );
    assert_eq!(app.sent_with_subject("Recibo").len(), 1, "one receipt");
}

#[tokio::test]
async fn a_capture_of_the_wrong_amount_or_still_pending_activates_nothing() {
    let (app, paypal) = spawn_with_paypal().await;
    for (outcome, payment_status) in [
        (
            CaptureOutcome {
                status: "COMPLETED",
                amount: Some("0.01"),
            },
            "PAYMENT_STATUS_FAILED",
        ),
        (
            CaptureOutcome {
                status: "PENDING",
                amount: None,
            },
            "PAYMENT_STATUS_PENDING",
        ),
        (
            CaptureOutcome {
                status: "DECLINED",
                amount: None,
            },
            "PAYMENT_STATUS_DENIED",
        ),
    ] {
        let sub = paid_subscription(
            &app,
            &format!("{}@example.ec", outcome.status.to_lowercase()),
        )
        .await;
        let order = create_order(&app, sub["subscription_id"].as_str().unwrap()).await;
        let order_id = order["order_id"].as_str().unwrap();
        paypal.approve(order_id);
        paypal.next_capture(outcome);
        let captured: Value = capture(&app, order_id).await.json().await.unwrap();
        assert_eq!(captured["payment"]["status"], payment_status);
        assert_eq!(
            captured["subscription_status"],
            "SUBSCRIPTION_STATUS_PENDING_PAYMENT"
        );
    }
    assert!(
        app.sent_emails().is_empty(),
        "no activation without a verified payment"
    );
}

/// Money taken by a capture of the wrong amount goes back in full by itself, the vendor hears of
/// it, it is audited, and settling again refunds nothing twice.
#[tokio::test]
async fn a_capture_of_the_wrong_amount_is_refunded_in_full_and_the_vendor_told() {
    let paypal = PaypalEmulator::start().await;
    let mut settings = paypal_settings(&paypal, 5).await;
    settings.email.vendor_to = Some("sales@gpubroker.test".into());
    let app = spawn_with(settings).await;
    let sub = paid_subscription(&app, "tampered@example.ec").await;
    let order = create_order(&app, sub["subscription_id"].as_str().unwrap()).await;
    let order_id = order["order_id"].as_str().unwrap();
    paypal.approve(order_id);
    paypal.next_capture(CaptureOutcome {
        status: "COMPLETED",
        amount: Some("0.01"),
    });
    let captured: Value = capture(&app, order_id).await.json().await.unwrap();
    assert_eq!(captured["payment"]["status"], "PAYMENT_STATUS_FAILED");
    assert_eq!(
        captured["subscription_status"],
        "SUBSCRIPTION_STATUS_PENDING_PAYMENT"
    );
    assert_eq!(captured["payment"]["refunded_amount"]["amount_minor"], "1");
    let capture_id = captured["payment"]["paypal_capture_id"].as_str().unwrap();
    let refunds = paypal.refunds(capture_id);
    assert_eq!(refunds.len(), 1, "one refund at PayPal");
    assert_eq!(refunds[0]["amount"]["value"], "0.01", "all that was taken");
    let alerts = app.sent_with_subject("wrong capture refunded");
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].contains("tampered@example.ec"), "{}", alerts[0]);
    assert!(
        app.sent_with_subject("Activa").is_empty(),
        "nothing activated"
    );

    // Settling again (the payments job) calls PayPal for nothing and refunds nothing twice.
    let again = app.payments.refund_owed_once().await.unwrap();
    assert_eq!(again, Default::default());
    assert_eq!(paypal.refunds(capture_id).len(), 1);
    let admin = app
        .admin_token(gpubroker::domain::role::Role::SuperAdmin)
        .await;
    let audit: Value = app
        .get_with(
            "/api/v2/admin/audit-log?action=payment.auto_refund",
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "{audit}");
}

/// A slow PayPal (seconds per capture) on the embedded database, whose pool has one connection:
/// 30 captures at once all complete, and the service answers `/readyz` and reads while PayPal
/// works, because no capture holds a connection across its PayPal call.
#[tokio::test]
async fn a_slow_paypal_holds_no_connection_while_thirty_captures_wait() {
    let paypal = PaypalEmulator::start().await;
    let mut settings = paypal_settings(&paypal, 30).await;
    settings.database.url = None;
    let app = std::sync::Arc::new(spawn_with(settings).await);
    let mut orders = Vec::new();
    for n in 0..30 {
        orders.push(
            approved_order(&app, &paypal, &format!("slow{n}@example.ec"))
                .await
                .1,
        );
    }
    paypal.delay_captures(std::time::Duration::from_secs(3));
    let captures: Vec<_> = orders
        .into_iter()
        .map(|order_id| {
            let app = app.clone();
            tokio::spawn(async move {
                let response = capture(&app, &order_id).await;
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                (status, body)
            })
        })
        .collect();
    eventually(30, "PayPal working on many captures at once", || async {
        (paypal.captures_in_flight() >= 10).then_some(())
    })
    .await;
    // PayPal is busy with them all; the database is free.
    assert_eq!(app.get_with("/readyz", None).await.status(), 200);
    assert_eq!(
        app.get_with("/api/v2/admin/public/plans", None)
            .await
            .status(),
        200
    );
    assert!(
        paypal.captures_in_flight() >= 1,
        "still in flight meanwhile"
    );
    for capture in captures {
        let (status, body) = capture.await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["payment"]["status"], "PAYMENT_STATUS_COMPLETED");
    }
}

/// CreatePaypalOrder is idempotent: while an order is open every call returns it (one PayPal
/// order, one payment row); an expired attempt gives way to a new one, and a subscription gets
/// at most ten.
#[tokio::test]
async fn create_order_returns_the_open_order_and_attempts_are_bounded() {
    let (app, paypal) = spawn_with_paypal().await;
    let sub = paid_subscription(&app, "orders@example.ec").await;
    let sub_id = sub["subscription_id"].as_str().unwrap();
    let first = create_order(&app, sub_id).await;
    let again = create_order(&app, sub_id).await;
    assert_eq!(first["order_id"], again["order_id"]);
    assert_eq!(first["approve_url"], again["approve_url"]);
    assert_eq!(paypal.order_requests().len(), 1, "one PayPal order");
    let rows = |app: &TestApp| {
        let db = app.db.clone();
        let sub_id = sub_id.to_owned();
        async move {
            use sea_orm::{ConnectionTrait, Statement};
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT count(*) AS n FROM payments WHERE subscription_id = '{sub_id}'"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    assert_eq!(rows(&app).await, 1, "one payment row");
    let mut orders = vec![first["order_id"].clone()];
    for _ in 1..10 {
        app.clock
            .advance(chrono::Duration::hours(3) + chrono::Duration::minutes(1));
        let next = create_order(&app, sub_id).await;
        assert!(
            !orders.contains(&next["order_id"]),
            "an expired order is not reused"
        );
        orders.push(next["order_id"].clone());
    }
    app.clock.advance(chrono::Duration::hours(4));
    let refused = app
        .post_json(
            "/api/v2/admin/public/payment/paypal",
            &json!({"subscription_id": sub_id}),
        )
        .await;
    assert_eq!(refused.status(), 429);
    assert_eq!(rows(&app).await, 10);
    assert_eq!(paypal.order_requests().len(), 10);
}

#[tokio::test]
async fn paypal_faults_are_unavailable_and_retryable() {
    let (app, paypal) = spawn_with_paypal().await;
    let sub = paid_subscription(&app, "flaky@example.ec").await;
    let order = create_order(&app, sub["subscription_id"].as_str().unwrap()).await;
    let order_id = order["order_id"].as_str().unwrap();
    paypal.approve(order_id);
    paypal.fail_next_captures(1);
    let failed = capture(&app, order_id).await;
    assert_eq!(failed.status(), 503);
    let body: Value = failed.json().await.unwrap();
    assert_eq!(body["code"], 14);
    // Nothing was written: a retry captures normally.
    let retried: Value = capture(&app, order_id).await.json().await.unwrap();
    assert_eq!(retried["payment"]["status"], "PAYMENT_STATUS_COMPLETED");
}

#[tokio::test]
async fn a_paypal_timeout_is_unavailable_and_changes_nothing() {
    let (app, paypal) = spawn_with_paypal_timeout(1).await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "slow@example.ec").await;
    paypal.slow_next_captures(1);
    let timed_out = capture(&app, &order_id).await;
    assert_eq!(timed_out.status(), 503);
    assert_eq!(payment_status(&app, &order_id).await, "created");
    assert_eq!(subscription_status(&app, &sub_id).await, "pending_payment");
    let retried: Value = capture(&app, &order_id).await.json().await.unwrap();
    assert_eq!(retried["payment"]["status"], "PAYMENT_STATUS_COMPLETED");
}

#[tokio::test]
async fn without_credentials_payments_are_refused_clearly() {
    let app = spawn_app().await;
    let sub = paid_subscription(&app, "nopaypal@example.ec").await;
    let response = app
        .post_json(
            "/api/v2/admin/public/payment/paypal",
            &json!({"subscription_id": sub["subscription_id"]}),
        )
        .await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("PayPal is not configured")
    );
    let config: Value = app
        .get_with("/api/v2/admin/public/payment/paypal/status", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(config["configured"], false);
    assert_eq!(config["mode"], "PAYMENT_MODE_SANDBOX");
    let bad_id = app
        .post_json(
            "/api/v2/admin/public/payment/paypal/capture/not-an-order!",
            &json!({}),
        )
        .await;
    assert_eq!(bad_id.status(), 400);
}

async fn deliver(app: &TestApp, delivery: &Delivery) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/api/v2/payments/paypal/webhook"))
        .body(delivery.body.clone());
    for (name, value) in &delivery.headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap()
}

async fn payment_status(app: &TestApp, order_id: &str) -> String {
    gpubroker::persistence::payments::by_order_id(&app.db, order_id)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn subscription_status(app: &TestApp, sub_id: &str) -> String {
    app.subscriptions
        .by_id(sub_id)
        .await
        .unwrap()
        .status
        .to_string()
}

/// A paid subscription with an approved order; returns (subscription id, order id).
pub async fn approved_order(
    app: &TestApp,
    paypal: &PaypalEmulator,
    email: &str,
) -> (String, String) {
    let sub = paid_subscription(app, email).await;
    let sub_id = sub["subscription_id"].as_str().unwrap().to_owned();
    let order = create_order(app, &sub_id).await;
    let order_id = order["order_id"].as_str().unwrap().to_owned();
    paypal.approve(&order_id);
    (sub_id, order_id)
}

#[tokio::test]
async fn an_approval_webhook_captures_when_the_client_never_returns() {
    let (app, paypal) = spawn_with_paypal().await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "gone@example.ec").await;
    let delivery = paypal.event("CHECKOUT.ORDER.APPROVED", paypal.order(&order_id));
    let response = deliver(&app, &delivery).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["handled"], true);
    assert_eq!(payment_status(&app, &order_id).await, "completed");
    assert_eq!(
        subscription_status(&app, &sub_id).await,
        "pending_activation"
    );
    // Redelivery: acknowledged, nothing done twice.
    let again: Value = deliver(&app, &delivery).await.json().await.unwrap();
    assert_eq!(again["duplicate"], true);
    assert_eq!(paypal.capture_calls(), 1);
    assert_eq!(app.sent_with_subject("Activa").len(), 1);
    assert_eq!(app.sent_with_subject("Recibo").len(), 1);
}

#[tokio::test]
async fn a_pending_capture_completes_by_webhook_once_however_often_delivered() {
    let (app, paypal) = spawn_with_paypal().await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "review@example.ec").await;
    paypal.next_capture(CaptureOutcome {
        status: "PENDING",
        amount: None,
    });
    let captured: Value = capture(&app, &order_id).await.json().await.unwrap();
    assert_eq!(captured["payment"]["status"], "PAYMENT_STATUS_PENDING");
    paypal.complete_capture(&order_id);
    let delivery = paypal.event(
        "PAYMENT.CAPTURE.COMPLETED",
        paypal.capture_resource(&order_id),
    );
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..5 {
        let (app, delivery) = (app.clone(), delivery.clone());
        tasks.push(tokio::spawn(async move {
            deliver(&app, &delivery).await.status().as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(payment_status(&app, &order_id).await, "completed");
    assert_eq!(
        subscription_status(&app, &sub_id).await,
        "pending_activation"
    );
    let events = outbox::list(&app.db, 1_000).await.unwrap();
    assert_eq!(count_events(&events, "gpubroker.v1.PaymentCaptured"), 1);
    assert_eq!(app.sent_with_subject("Activa").len(), 1);
    assert_eq!(app.sent_with_subject("Recibo").len(), 1);

    // A late DENIED for the same capture never moves the payment back.
    let denied = paypal.event("PAYMENT.CAPTURE.DENIED", paypal.capture_resource(&order_id));
    assert_eq!(deliver(&app, &denied).await.status(), 200);
    assert_eq!(payment_status(&app, &order_id).await, "completed");
}

#[tokio::test]
async fn forged_webhooks_are_refused_and_change_nothing() {
    let (app, paypal) = spawn_with_paypal().await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "target@example.ec").await;
    paypal.next_capture(CaptureOutcome {
        status: "PENDING",
        amount: None,
    });
    capture(&app, &order_id).await;
    paypal.complete_capture(&order_id);
    let genuine = paypal.event(
        "PAYMENT.CAPTURE.COMPLETED",
        paypal.capture_resource(&order_id),
    );

    let mut tampered = genuine.clone();
    let text = String::from_utf8(tampered.body.clone())
        .unwrap()
        .replace("\"40.00\"", "\"40.000\"");
    tampered.body = text.into_bytes();
    let resigned = sign_delivery(genuine.body.clone(), "attacker-leaf.key", CERT_URL);
    let impostor = sign_delivery(genuine.body.clone(), "attacker-leaf.key", ATTACKER_CERT_URL);
    let elsewhere = sign_delivery(
        genuine.body.clone(),
        "test-leaf.key",
        "https://paypal.evil.example/cert",
    );
    let unsigned = Delivery {
        body: genuine.body.clone(),
        headers: vec![("content-type".into(), "application/json".into())],
    };
    for (name, delivery) in [
        ("body modified", tampered),
        ("re-signed with another key", resigned),
        ("untrusted certificate", impostor),
        ("certificate off PayPal", elsewhere),
        ("no signature", unsigned),
    ] {
        let response = deliver(&app, &delivery).await;
        assert_eq!(response.status(), 400, "{name}");
        assert_eq!(payment_status(&app, &order_id).await, "pending", "{name}");
    }
    assert_eq!(subscription_status(&app, &sub_id).await, "pending_payment");
    // The genuine one still works afterwards.
    assert_eq!(deliver(&app, &genuine).await.status(), 200);
    assert_eq!(payment_status(&app, &order_id).await, "completed");
}

#[tokio::test]
async fn a_full_refund_by_paypal_ends_the_subscription() {
    let (app, paypal) = spawn_with_paypal().await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "refund@example.ec").await;
    capture(&app, &order_id).await;
    let refund = paypal.full_refund_resource(&order_id, "REFUND123");
    let delivery = paypal.event("PAYMENT.CAPTURE.REFUNDED", refund);
    assert_eq!(deliver(&app, &delivery).await.status(), 200);
    assert_eq!(payment_status(&app, &order_id).await, "refunded");
    assert_eq!(subscription_status(&app, &sub_id).await, "cancelled");
}

#[tokio::test]
async fn admins_refund_partially_then_fully_and_replays_refund_nothing_more() {
    use gpubroker::domain::role::Role;
    let (app, paypal) = spawn_with_paypal().await;
    let token = app.admin_token(Role::Admin).await;
    let (sub_id, order_id) = approved_order(&app, &paypal, "refundme@example.ec").await;
    let captured: Value = capture(&app, &order_id).await.json().await.unwrap();
    let payment_id = captured["payment"]["payment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let capture_id = captured["payment"]["paypal_capture_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refund = |amount: Option<i64>, key: &str| {
        let mut body =
            json!({"payment_id": payment_id, "reason": "customer asked", "idempotency_key": key});
        if let Some(cents) = amount {
            body["amount"] = json!({"currency_code": "USD", "amount_minor": cents.to_string()});
        }
        body
    };
    let path = "/api/v2/admin/payment/refund";
    let partial: Value = app
        .post_with(path, &refund(Some(1_000), "r1"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        partial["payment"]["status"],
        "PAYMENT_STATUS_PARTIALLY_REFUNDED"
    );
    assert_eq!(partial["refund"]["amount"]["amount_minor"], "1000");
    // Replaying the same key refunds nothing more.
    let replay: Value = app
        .post_with(path, &refund(Some(1_000), "r1"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        replay["refund"]["transaction_id"],
        partial["refund"]["transaction_id"]
    );
    assert!(
        partial["refund"]["transaction_id"]
            .as_str()
            .unwrap()
            .starts_with("txn_")
    );
    assert_eq!(paypal.refunds(&capture_id).len(), 1);
    // More than what is left is refused before PayPal is called.
    let too_much = app
        .post_with(path, &refund(Some(3_001), "r2"), Some(&token))
        .await;
    assert_eq!(too_much.status(), 400);
    // PayPal's own webhook for the refund we made is a duplicate, not a second refund.
    let echoed = paypal.event(
        "PAYMENT.CAPTURE.REFUNDED",
        paypal.refunds(&capture_id)[0].clone(),
    );
    assert_eq!(deliver(&app, &echoed).await.status(), 200);
    // The rest: the payment is refunded and the subscription ends.
    let full: Value = app
        .post_with(path, &refund(None, "r3"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["payment"]["status"], "PAYMENT_STATUS_REFUNDED");
    assert_eq!(full["payment"]["refunded_amount"]["amount_minor"], "4000");
    assert_eq!(subscription_status(&app, &sub_id).await, "cancelled");
    assert_eq!(paypal.refunds(&capture_id).len(), 2);

    // The ledger: one capture and two refunds (the echoed webhook added nothing).
    let billing: Value = app
        .get_with(
            &format!("/api/v2/admin/billing?payment_id={payment_id}"),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut movements: Vec<(String, String)> = billing["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["kind"].as_str().unwrap().to_owned(),
                t["amount"]["amount_minor"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    movements.sort();
    assert_eq!(
        movements,
        [
            ("TRANSACTION_KIND_CAPTURE".to_owned(), "4000".to_owned()),
            ("TRANSACTION_KIND_REFUND".to_owned(), "1000".to_owned()),
            ("TRANSACTION_KIND_REFUND".to_owned(), "3000".to_owned()),
        ]
    );
    let first = billing["transactions"][0]["transaction_id"]
        .as_str()
        .unwrap();
    let one: Value = app
        .get_with(&format!("/api/v2/admin/transaction/{first}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["payment"]["payment_id"], payment_id.as_str());
    let unknown = app
        .get_with("/api/v2/admin/transaction/txn_unknown", Some(&token))
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_second_order_for_a_paid_subscription_is_never_captured() {
    let (app, paypal) = spawn_with_paypal().await;
    let sub = paid_subscription(&app, "twice@example.ec").await;
    let sub_id = sub["subscription_id"].as_str().unwrap();
    let first = create_order(&app, sub_id).await;
    // A repeated request returns the open order; a second one exists only once it expired.
    assert_eq!(
        create_order(&app, sub_id).await["order_id"],
        first["order_id"]
    );
    app.clock.advance(chrono::Duration::hours(4));
    let second = create_order(&app, sub_id).await;
    let (first_id, second_id) = (
        first["order_id"].as_str().unwrap(),
        second["order_id"].as_str().unwrap(),
    );
    paypal.approve(first_id);
    paypal.approve(second_id);
    let paid: Value = capture(&app, first_id).await.json().await.unwrap();
    assert_eq!(paid["payment"]["status"], "PAYMENT_STATUS_COMPLETED");
    let refused: Value = capture(&app, second_id).await.json().await.unwrap();
    assert_eq!(refused["payment"]["status"], "PAYMENT_STATUS_FAILED");
    assert_eq!(paypal.capture_calls(), 1, "the buyer's money is taken once");
}

#[tokio::test]
async fn a_refund_that_overtakes_its_capture_is_retried_not_lost() {
    let (app, paypal) = spawn_with_paypal().await;
    let (_, order_id) = approved_order(&app, &paypal, "early@example.ec").await;
    paypal.next_capture(CaptureOutcome {
        status: "PENDING",
        amount: None,
    });
    capture(&app, &order_id).await;
    let refund = paypal.full_refund_resource(&order_id, "REFUNDEARLY");
    let early = paypal.event("PAYMENT.CAPTURE.REFUNDED", refund);
    // The capture is still pending here: PayPal is asked to redeliver.
    assert_eq!(deliver(&app, &early).await.status(), 409);
    paypal.complete_capture(&order_id);
    let completed = paypal.event(
        "PAYMENT.CAPTURE.COMPLETED",
        paypal.capture_resource(&order_id),
    );
    assert_eq!(deliver(&app, &completed).await.status(), 200);
    // The redelivery now applies.
    assert_eq!(deliver(&app, &early).await.status(), 200);
    assert_eq!(payment_status(&app, &order_id).await, "refunded");
}

#[tokio::test]
async fn a_transmission_is_accepted_again_only_with_its_own_body() {
    let (app, paypal) = spawn_with_paypal().await;
    let (_, order_id) = approved_order(&app, &paypal, "crc@example.ec").await;
    let genuine = paypal.event("CHECKOUT.ORDER.APPROVED", paypal.order(&order_id));
    assert_eq!(deliver(&app, &genuine).await.status(), 200);
    // A redelivery repeats the body byte for byte: accepted (as a duplicate).
    let again: Value = deliver(&app, &genuine).await.json().await.unwrap();
    assert_eq!(again["duplicate"], true);
    // The same signed headers over another body are refused.
    let mut swapped = genuine.clone();
    swapped.body =
        br#"{"id":"WH-OTHER","event_type":"PAYMENT.CAPTURE.DENIED","resource":{}}"#.to_vec();
    assert_eq!(deliver(&app, &swapped).await.status(), 400);
}
