//! Phone OTP: send, verify, limits, expiry (embedded in-process store; SMS to the outbox log).

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, moto_data, spawn_app, use_moto};

/// Runs a scenario against both OTP stores: in-process (embedded) and Redis (production).
macro_rules! on_both_stores {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test]
            async fn in_process() {
                super::$scenario(crate::helpers::spawn_app().await).await;
            }

            #[tokio::test]
            async fn redis() {
                super::$scenario(crate::helpers::spawn_app_redis().await).await;
            }
        }
    };
}

on_both_stores!(a_code_verifies_once_and_yields_a_proof);
on_both_stores!(five_wrong_attempts_lock_the_code);
on_both_stores!(the_fourth_send_in_an_hour_is_refused_and_codes_expire);

const PHONE: &str = "+593 99 123 4567";

async fn send(app: &TestApp) -> reqwest::Response {
    app.post_json(
        "/api/v2/admin/public/phone/send-otp",
        &json!({"phone_number": PHONE}),
    )
    .await
}

async fn verify(app: &TestApp, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v2/admin/public/phone/verify",
        &json!({"phone_number": PHONE, "code": code}),
    )
    .await
}

/// The code of the newest SMS in the local outbox.
fn last_code(app: &TestApp) -> String {
    let log = std::fs::read_to_string(app.data_dir.path.join("outbox/sms.log")).unwrap();
    let line = log.lines().last().unwrap();
    assert!(line.contains("+593991234567"), "{line}");
    line.split_whitespace()
        .find(|w| w.len() == 7 && w.ends_with('.') && w[..6].bytes().all(|b| b.is_ascii_digit()))
        .map(|w| w[..6].to_owned())
        .unwrap()
}

fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

async fn a_code_verifies_once_and_yields_a_proof(app: TestApp) {
    let sent: Value = send(&app).await.json().await.unwrap();
    assert_eq!(sent["phone_number"], "+593991234567");
    assert_eq!(sent["sends_remaining"], 2);
    let code = last_code(&app);
    let bad: Value = verify(&app, &wrong(&code)).await.json().await.unwrap();
    assert_eq!(bad["verified"], false);
    assert_eq!(bad["attempts_remaining"], 4);
    let good: Value = verify(&app, &code).await.json().await.unwrap();
    assert_eq!(good["verified"], true);
    assert!(
        good["phone_verification_token"]
            .as_str()
            .unwrap()
            .starts_with("pvt_")
    );
    // Used up.
    assert_eq!(verify(&app, &code).await.status(), 400);
}

async fn five_wrong_attempts_lock_the_code(app: TestApp) {
    send(&app).await;
    let code = last_code(&app);
    for left in (0..5).rev() {
        let body: Value = verify(&app, &wrong(&code)).await.json().await.unwrap();
        assert_eq!(body["attempts_remaining"], left);
    }
    // Even the right code is refused now.
    assert_eq!(verify(&app, &code).await.status(), 400);
}

async fn the_fourth_send_in_an_hour_is_refused_and_codes_expire(app: TestApp) {
    for _ in 0..3 {
        assert_eq!(send(&app).await.status(), 200);
    }
    let refused = send(&app).await;
    assert_eq!(refused.status(), 429);
    let code = last_code(&app);
    app.clock.advance(Duration::minutes(11));
    assert_eq!(verify(&app, &code).await.status(), 400, "expired");
    app.clock.advance(Duration::minutes(50));
    assert_eq!(send(&app).await.status(), 200, "a new hour, a new send");
}

#[tokio::test]
async fn only_ecuadorian_mobiles_are_accepted() {
    let app = spawn_app().await;
    for phone in ["+14155550100", "0991234567", "+593221234567", ""] {
        let response = app
            .post_json(
                "/api/v2/admin/public/phone/send-otp",
                &json!({"phone_number": phone}),
            )
            .await;
        assert_eq!(response.status(), 400, "{phone}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("phone_number"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn sms_go_out_through_sns() {
    use rand::Rng;
    let mut settings =
        crate::helpers::test_settings(Some(crate::helpers::fresh_postgres_database().await));
    settings.sms.provider = gpubroker::config::SmsProvider::Sns;
    use_moto(&mut settings);
    let app = crate::helpers::spawn_with(settings).await;
    // moto keeps every SMS of the run: a number of our own finds ours.
    let phone = format!("+5939{:08}", rand::rng().random_range(0..100_000_000u32));
    let sent = app
        .post_json(
            "/api/v2/admin/public/phone/send-otp",
            &json!({"phone_number": phone, "language": "LANGUAGE_EN"}),
        )
        .await;
    assert_eq!(
        sent.status(),
        200,
        "moto_server must run (scripts/test starts it)"
    );
    let data = moto_data().await;
    let sms = data["sns"]["SMS"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["phone_number"] == phone.as_str())
        .expect("the SMS reached SNS");
    let text = sms["message"].as_str().unwrap();
    assert!(text.contains("your verification code is"), "{text}");
    let code: String = text
        .split("code is ")
        .nth(1)
        .unwrap()
        .chars()
        .take(6)
        .collect();
    let verified: Value = app
        .post_json(
            "/api/v2/admin/public/phone/verify",
            &json!({"phone_number": phone, "code": code}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verified["verified"], true);
}

#[tokio::test]
async fn signups_from_ecuador_need_a_verified_phone_when_configured() {
    let mut settings =
        crate::helpers::test_settings(Some(crate::helpers::fresh_postgres_database().await));
    settings.subscriptions.require_phone_verification = true;
    let app = crate::helpers::spawn_with(settings).await;
    let mut validation = app.validation().await;
    let requirements = validation
        .get_signup_requirements(gpubroker::proto::v1::GetSignupRequirementsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(requirements.requires_phone_verification);

    let create = |extra: Value| {
        let mut body =
            json!({"email": "phone@example.ec", "plan": "trial", "ruc": "1790011674001"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let path = "/api/v2/admin/public/subscription/create";
    let missing: Value = app
        .post_json(path, &create(json!({})))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .starts_with("phone_number"),
        "{missing}"
    );
    let unproven = app
        .post_json(path, &create(json!({"phone_number": PHONE})))
        .await;
    assert_eq!(unproven.status(), 400);

    send(&app).await;
    let verified: Value = verify(&app, &last_code(&app)).await.json().await.unwrap();
    let token = verified["phone_verification_token"].as_str().unwrap();
    let body = create(json!({"phone_number": PHONE, "phone_verification_token": token}));
    let created = app.post_json(path, &body).await;
    assert_eq!(created.status(), 200);
    let sub: Value = created.json().await.unwrap();
    let stored = app
        .subscriptions
        .by_id(sub["subscription_id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.phone_number, "+593991234567");
    // A proof is single use.
    let mut again = body.clone();
    again["email"] = json!("other@example.ec");
    assert_eq!(app.post_json(path, &again).await.status(), 400);
}

#[tokio::test]
async fn a_redis_outage_answers_unavailable() {
    // A private Redis this test may stop.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut redis = std::process::Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("redis-server is installed (scripts/test ensures it)");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "redis-server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut settings =
        crate::helpers::test_settings(Some(crate::helpers::fresh_postgres_database().await));
    settings.redis.url = Some(format!("redis://127.0.0.1:{port}").into());
    let app = crate::helpers::spawn_with(settings).await;
    assert_eq!(send(&app).await.status(), 200);

    redis.kill().unwrap();
    redis.wait().unwrap();
    let down = send(&app).await;
    assert_eq!(down.status(), 503);
    let body: Value = down.json().await.unwrap();
    assert_eq!(body["code"], 14);
    assert!(
        body["message"].as_str().unwrap().contains("Redis"),
        "{body}"
    );
}
