//! The REST gateway: validation routes of the original API, bad input, errors.

use serde_json::{Value, json};

use gpubroker::domain::role::Role;

use crate::helpers::spawn_app;

#[tokio::test]
async fn valid_company_ruc_over_rest() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "1790011674001"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["valid"], true);
    assert_eq!(body["check"]["entity_type"], "ENTITY_TYPE_PRIVATE_COMPANY");
    assert_eq!(body["check"]["province_name"], "Pichincha");
    assert_eq!(body["check"]["establishment"], "001");
    assert_eq!(body["check"]["warnings"], json!([]));
}

#[tokio::test]
async fn invalid_ruc_is_200_with_valid_false_and_the_error_code() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "2590869571001"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["valid"], false);
    assert_eq!(body["check"]["error_code"], "IDENTITY_ERROR_CODE_PROVINCE");
    assert_eq!(body["message"], "Código de provincia inválido");
}

#[tokio::test]
async fn strict_flag_turns_the_checksum_warning_into_an_error() {
    let app = spawn_app().await;
    let lenient: Value = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "1793213150001"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lenient["valid"], true);
    assert_eq!(
        lenient["check"]["warnings"],
        json!(["IDENTITY_WARNING_CHECK_DIGIT_NOT_VERIFIED"])
    );
    let strict: Value = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "1793213150001", "strict": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(strict["valid"], false);
    assert_eq!(
        strict["check"]["error_code"],
        "IDENTITY_ERROR_CODE_CHECKSUM"
    );
}

#[tokio::test]
async fn cedula_and_identity_routes() {
    let app = spawn_app().await;
    let cedula: Value = app
        .post_json(
            "/api/v2/admin/public/validate/cedula",
            &json!({"cedula": "1713488185"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cedula["valid"], true);
    assert_eq!(cedula["check"]["document_type"], "DOCUMENT_TYPE_CEDULA");
    let bad_cedula: Value = app
        .post_json(
            "/api/v2/admin/public/validate/cedula",
            &json!({"cedula": "1712345678"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bad_cedula["valid"], false);
    assert_eq!(
        bad_cedula["check"]["error_code"],
        "IDENTITY_ERROR_CODE_CHECKSUM"
    );

    for (identifier, document) in [
        ("1713488185", "DOCUMENT_TYPE_CEDULA"),
        ("1760001550001", "DOCUMENT_TYPE_RUC"),
    ] {
        let body: Value = app
            .post_json(
                "/api/v2/admin/public/validate/identity",
                &json!({"identifier": identifier}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["valid"], true, "{identifier}");
        assert_eq!(body["check"]["document_type"], document);
    }
    let neither: Value = app
        .post_json(
            "/api/v2/admin/public/validate/identity",
            &json!({"identifier": "123"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(neither["valid"], false);
    assert_eq!(neither["check"]["error_code"], "IDENTITY_ERROR_CODE_LENGTH");
}

/// Asserts a 400 in the error shape whose message mentions `needle`.
async fn assert_bad_request(response: reqwest::Response, needle: &str) {
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], 3, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(needle),
        "{message:?} should mention {needle:?}"
    );
    assert!(body["details"].is_array());
}

#[tokio::test]
async fn bad_input_is_400_naming_the_problem() {
    let app = spawn_app().await;
    let path = "/api/v2/admin/public/validate/ruc";
    // Missing field.
    assert_bad_request(app.post_json(path, &json!({})).await, "ruc").await;
    // Wrong type.
    assert_bad_request(
        app.post_json(path, &json!({"ruc": 1790011674001_u64}))
            .await,
        "body",
    )
    .await;
    // Malformed JSON.
    let malformed = app
        .http
        .post(app.url(path))
        .header("content-type", "application/json")
        .body("{\"ruc\": ")
        .send()
        .await
        .unwrap();
    assert_bad_request(malformed, "not valid JSON").await;
    // Not an object.
    assert_bad_request(
        app.post_json(path, &json!(["1790011674001"])).await,
        "JSON object",
    )
    .await;
    // Wrong content type.
    let form = app
        .http
        .post(app.url(path))
        .header("content-type", "text/plain")
        .body("{\"ruc\":\"1790011674001\"}")
        .send()
        .await
        .unwrap();
    assert_bad_request(form, "application/json").await;
    // Oversized body (> 64 KiB).
    let huge = json!({"ruc": "1".repeat(70 * 1024)});
    assert_bad_request(app.post_json(path, &huge).await, "larger than").await;
}

#[tokio::test]
async fn unknown_fields_from_old_clients_are_ignored() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v2/admin/public/validate/ruc",
            &json!({"ruc": "1790011674001", "type": "ruc"}),
        )
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_route_and_wrong_method_use_the_error_shape() {
    let app = spawn_app().await;
    let missing = app.http.get(app.url("/api/v2/nope")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["code"], 5);
    assert!(body["message"].as_str().unwrap().contains("/api/v2/nope"));

    let wrong_method = app
        .http
        .get(app.url("/api/v2/admin/public/validate/ruc"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    let body: Value = wrong_method.json().await.unwrap();
    assert_eq!(body["code"], 12);
}

#[tokio::test]
async fn public_health() {
    let app = spawn_app().await;
    let health = app
        .http
        .get(app.url("/api/v2/admin/public/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let body: Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

/// PostgreSQL cannot store a NUL character: ids and filters holding one are refused as bad input
/// naming the field (found by the schemathesis run), and a field without its own check still
/// gets a 400, never a 500.
#[tokio::test]
async fn nul_characters_are_bad_input_not_internal_errors() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::SuperAdmin).await;
    let token = Some(token.as_str());
    for (path, field) in [
        (
            "/api/v2/admin/subscriptions?customer_email=a%00b",
            "customer_email",
        ),
        (
            "/api/v2/agent/budget?subscription_id=sub%00",
            "subscription_id",
        ),
        (
            "/api/v2/agent/usage?subscription_id=sub_x&model=m%00",
            "model",
        ),
        ("/api/v2/admin/audit-log?action=x%00", "action"),
    ] {
        assert_bad_request(app.get_with(path, token).await, field).await;
    }
    for (path, body, field) in [
        (
            "/api/v2/admin/subscription/cancel",
            json!({"subscription_id": "sub\u{0}", "reason": "test"}),
            "subscription_id",
        ),
        (
            "/api/v2/agent/sessions/end",
            json!({"session_id": "s\u{0}"}),
            "session_id",
        ),
        (
            "/api/v2/admin/resend-receipt",
            json!({"payment_id": "pay\u{0}"}),
            "NUL",
        ),
    ] {
        assert_bad_request(app.post_with(path, &body, token).await, field).await;
    }
}
