//! Admin authentication: login, lockout, IP throttling, token checks, refresh rotation and reuse.

use gpubroker::domain::role::Role;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_PASSWORD, TEST_JWT_SECRET, TestApp, spawn_app, spawn_with, test_settings,
};

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v2/admin/public/admin/login",
        &json!({"email": email, "password": password}),
    )
    .await
}

async fn dashboard_status(app: &TestApp, token: &str) -> u16 {
    app.get_with("/api/v2/admin/dashboard", Some(token))
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn login_returns_the_token_under_both_names() {
    let app = spawn_app().await;
    let email = app.create_admin(Role::Admin).await;
    let response = login(&app, &email.to_uppercase(), ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token"], body["access_token"]);
    assert_eq!(body["role"], "ROLE_ADMIN");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "900s");
    assert_eq!(
        dashboard_status(&app, body["token"].as_str().unwrap()).await,
        200
    );
}

#[tokio::test]
async fn five_failures_lock_the_account() {
    let app = spawn_app().await;
    let email = app.create_admin(Role::Admin).await;
    for _ in 0..5 {
        assert_eq!(login(&app, &email, "wrong password!!").await.status(), 401);
    }
    // Locked: even the right password is refused, with a retry hint.
    let locked = login(&app, &email, ADMIN_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(login(&app, &email, ADMIN_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn failed_logins_from_one_address_are_throttled_and_forwarded_for_is_not_trusted() {
    let mut settings = test_settings(Some(crate::helpers::fresh_postgres_database().await));
    settings.auth.ip_max_failures = 3;
    let app = spawn_with(settings).await;
    for n in 0..3 {
        // Spoofed X-Forwarded-For from an untrusted client changes nothing.
        let response = app
            .http
            .post(app.url("/api/v2/admin/public/admin/login"))
            .header("content-type", "application/json")
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .body(
                json!({"email": format!("nobody{n}@example.ec"), "password": "whatever-long"})
                    .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let email = app.create_admin(Role::Viewer).await;
    assert_eq!(login(&app, &email, ADMIN_PASSWORD).await.status(), 429);
}

fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The claims of a token this server signed (verified with the test key).
fn claims_of(token: &str) -> Value {
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["gpubroker-admin"]);
    jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        &validation,
    )
    .unwrap()
    .claims
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_and_misused_tokens_are_rejected() {
    let app = spawn_app().await;
    let email = app.create_admin(Role::SuperAdmin).await;
    let body: Value = login(&app, &email, ADMIN_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();
    assert_eq!(dashboard_status(&app, access).await, 200);
    let claims = claims_of(access);

    // Tampered: the payload changed, the signature did not.
    let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
    let mut elevated = claims.clone();
    elevated["email"] = json!("attacker@example.ec");
    parts[1] = b64url(elevated.to_string().as_bytes());
    assert_eq!(
        dashboard_status(&app, &parts.join(".")).await,
        401,
        "tampered"
    );

    // Expired.
    let mut expired = claims.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
    assert_eq!(
        dashboard_status(&app, &sign(&expired, TEST_JWT_SECRET)).await,
        401,
        "expired"
    );

    // Wrong audience, signed with the real key.
    let mut audience = claims.clone();
    audience["aud"] = json!("someone-else");
    assert_eq!(
        dashboard_status(&app, &sign(&audience, TEST_JWT_SECRET)).await,
        401,
        "audience"
    );

    // alg: none.
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes())
    );
    assert_eq!(dashboard_status(&app, &none).await, 401, "alg none");

    // A refresh token is never an access token, nor is an access JWT of another type.
    assert_eq!(
        dashboard_status(&app, refresh).await,
        401,
        "refresh as access"
    );
    let mut typ = claims.clone();
    typ["typ"] = json!("refresh");
    assert_eq!(
        dashboard_status(&app, &sign(&typ, TEST_JWT_SECRET)).await,
        401,
        "typ"
    );

    // The genuine token still works.
    assert_eq!(dashboard_status(&app, access).await, 200);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_login() {
    let app = spawn_app().await;
    let email = app.create_admin(Role::Viewer).await;
    let first: Value = login(&app, &email, ADMIN_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let refresh_path = "/api/v2/admin/public/admin/refresh";
    let second: Value = app
        .post_json(
            refresh_path,
            &json!({"refresh_token": first["refresh_token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second_access = second["access_token"].as_str().unwrap();
    assert_eq!(dashboard_status(&app, second_access).await, 200);

    // The rotated token is replayed: everything of this login dies.
    let reuse = app
        .post_json(
            refresh_path,
            &json!({"refresh_token": first["refresh_token"]}),
        )
        .await;
    assert_eq!(reuse.status(), 401);
    let after = app
        .post_json(
            refresh_path,
            &json!({"refresh_token": second["refresh_token"]}),
        )
        .await;
    assert_eq!(after.status(), 401);
    assert_eq!(dashboard_status(&app, second_access).await, 401);
}

#[tokio::test]
async fn logout_ends_the_login() {
    let app = spawn_app().await;
    let email = app.create_admin(Role::Viewer).await;
    let tokens: Value = login(&app, &email, ADMIN_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(dashboard_status(&app, access).await, 200);
    let logout = app
        .post_json(
            "/api/v2/admin/public/admin/logout",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(logout.status(), 200);
    assert_eq!(dashboard_status(&app, access).await, 401);
}

#[tokio::test]
async fn access_tokens_expire_by_the_service_clock() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::Viewer).await;
    assert_eq!(dashboard_status(&app, &token).await, 200);
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(dashboard_status(&app, &token).await, 401);
}

#[tokio::test]
async fn parallel_guesses_still_lock_the_account() {
    let app = std::sync::Arc::new(spawn_app().await);
    let email = app.create_admin(Role::Admin).await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (app, email) = (app.clone(), email.clone());
        tasks.push(tokio::spawn(async move {
            login(&app, &email, "wrong password!!")
                .await
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    assert_eq!(login(&app, &email, ADMIN_PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn unknown_accounts_lock_like_real_ones() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, "ghost@example.ec", "wrong password!!")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        login(&app, "ghost@example.ec", "wrong password!!")
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn concurrent_logins_on_sqlite_keep_the_audit_chain_whole() {
    let app = std::sync::Arc::new(crate::helpers::spawn_app_sqlite().await);
    let mut tasks = Vec::new();
    for n in 0..20 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            login(&app, &format!("user{n}@example.ec"), "wrong password!!")
                .await
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 401);
    }
    assert_eq!(
        gpubroker::services::audit::verify(&app.db).await.unwrap(),
        gpubroker::services::audit::Verification::Intact { rows: 20 }
    );
}

/// A super admin deactivates an admin: every token of theirs stops at once, they cannot sign in
/// again, the act is audited once; nobody deactivates themself and only super admins may.
#[tokio::test]
async fn a_deactivated_admin_is_out_at_once() {
    let app = spawn_app().await;
    let chief = app.admin_token(Role::SuperAdmin).await;
    let email = app.create_admin(Role::Admin).await;
    let session: Value = login(&app, &email, ADMIN_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let access = session["access_token"].as_str().unwrap();
    assert_eq!(dashboard_status(&app, access).await, 200);
    let user_id = session["user"]["user_id"].as_str().unwrap();
    let path = "/api/v2/admin/users/deactivate";
    let body = json!({"user_id": user_id, "reason": "left the company"});

    // Not by an admin below super_admin, and not on oneself.
    assert_eq!(app.post_with(path, &body, Some(access)).await.status(), 403);
    let own_id = claims_of(&chief)["sub"].as_str().unwrap().to_owned();
    let own = app
        .post_with(path, &json!({"user_id": own_id}), Some(&chief))
        .await;
    assert_eq!(own.status(), 400);
    let missing = app.post_with(path, &json!({}), Some(&chief)).await;
    assert_eq!(missing.status(), 400);
    assert!(missing.text().await.unwrap().contains("user_id"));
    let unknown = app
        .post_with(path, &json!({"user_id": "adm_nobody"}), Some(&chief))
        .await;
    assert_eq!(unknown.status(), 404);

    let done = app.post_with(path, &body, Some(&chief)).await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["user"]["active"], false);
    // Their access token, refresh token and password all stop working now.
    assert_eq!(dashboard_status(&app, access).await, 401);
    let refreshed = app
        .post_json(
            "/api/v2/admin/public/admin/refresh",
            &json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status(), 401);
    assert_eq!(login(&app, &email, ADMIN_PASSWORD).await.status(), 401);

    // Again: unchanged, and audited once.
    let again = app.post_with(path, &body, Some(&chief)).await;
    assert_eq!(again.status(), 200);
    let audit: Value = app
        .get_with(
            "/api/v2/admin/audit-log?action=admin_user.deactivate",
            Some(&chief),
        )
        .await
        .json()
        .await
        .unwrap();
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["resource_id"], user_id);
}
