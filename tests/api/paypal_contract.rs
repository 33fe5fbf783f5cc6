//! Contract check: every request our PayPal client sent during a full flow (create order, capture,
//! refund) is replayed against Prism mock servers built from PayPal's official OpenAPI files; each
//! must be accepted without a violation. (scripts/test installs Prism and prepares the specs.)

use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::payments::{approved_order, capture, spawn_with_paypal};

/// A Prism mock server, killed when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_prism(spec: &str) -> Prism {
    let bin = std::env::var("GPUBROKER_PRISM_BIN")
        .expect("GPUBROKER_PRISM_BIN: run the suite with scripts/test, which installs Prism");
    let specs = std::env::var("GPUBROKER_PRISM_SPECS")
        .expect("GPUBROKER_PRISM_SPECS (scripts/test sets it)");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args([
            "mock",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            &format!("{specs}/{spec}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Prism starts");
    let prism = Prism {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "Prism did not start on port {port}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    prism
}

#[tokio::test]
async fn our_paypal_requests_match_the_official_openapi_files() {
    let (app, paypal) = spawn_with_paypal().await;
    let token = app.admin_token(gpubroker::domain::role::Role::Admin).await;
    let (_, order_id) = approved_order(&app, &paypal, "contract@example.ec").await;
    let captured: Value = capture(&app, &order_id).await.json().await.unwrap();
    let refund = json!({
        "payment_id": captured["payment"]["payment_id"],
        "amount": {"currency_code": "USD", "amount_minor": "500"},
        "reason": "contract test",
        "idempotency_key": "contract-1",
    });
    let refunded = app
        .post_with("/api/v2/admin/payment/refund", &refund, Some(&token))
        .await;
    assert_eq!(refunded.status(), 200);

    let orders = start_prism("orders.json").await;
    let payments = start_prism("payments.json").await;
    let client = reqwest::Client::new();
    let mut checked = Vec::new();
    for request in paypal.recorded() {
        let base = if request.path.starts_with("/v2/checkout/") {
            &orders.url
        } else if request.path.starts_with("/v2/payments/") {
            &payments.url
        } else {
            // /v1/oauth2/token is in neither file; the emulator checks its form itself.
            continue;
        };
        let method: reqwest::Method = request.method.parse().unwrap();
        let mut replay = client
            .request(method, format!("{base}{}", request.path))
            .timeout(std::time::Duration::from_secs(20));
        for (name, value) in &request.headers {
            replay = replay.header(name, value);
        }
        if !request.body.is_empty() {
            replay = replay.body(request.body.clone());
        }
        let response = replay.send().await.unwrap();
        // Prism also reports its own synthesised responses; only request violations are ours.
        let violations = response
            .headers()
            .get("sl-violations")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .filter(|v| v.contains(r#""location":["request""#));
        assert!(
            response.status().is_success() && violations.is_none(),
            "{} {} violates PayPal's contract: {} {violations:?}\nbody: {}",
            request.method,
            request.path,
            response.status(),
            request.body
        );
        checked.push(format!("{} {}", request.method, request.path));
    }
    // The checker itself must catch a bad request (e.g. the amount as a number, no intent).
    let bad = client
        .post(format!("{}/v2/checkout/orders", orders.url))
        .header("authorization", "Bearer x")
        .header("content-type", "application/json")
        .body(r#"{"purchase_units":[{"amount":{"currency_code":"USD","value":40}}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.status(),
        422,
        "Prism must reject an invalid order request"
    );
    for expected in ["/v2/checkout/orders", "/capture", "/refund"] {
        assert!(
            checked.iter().any(|c| c.ends_with(expected)),
            "{expected} not checked: {checked:?}"
        );
    }
}
