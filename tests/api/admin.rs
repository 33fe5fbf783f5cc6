//! Admin routes: every one role-checked (table-driven), correct dashboard/customers/costs figures,
//! and an audit chain that verifies and detects tampering.

use chrono::{Datelike, Duration, Utc};
use gpubroker::{
    domain::{mode::PaymentMode, role::Role},
    persistence::payments::{self, NewPayment},
    services::audit::{Verification, verify},
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::subscriptions::{VALID_RUC, activate, create_trial};

/// (method, path, body, minimum role)
fn admin_routes() -> Vec<(&'static str, &'static str, Value, Role)> {
    vec![
        ("GET", "/api/v2/admin/dashboard", json!(null), Role::Viewer),
        ("GET", "/api/v2/admin/pods", json!(null), Role::Viewer),
        (
            "GET",
            "/api/v2/admin/pod/pod-missing",
            json!(null),
            Role::Viewer,
        ),
        (
            "POST",
            "/api/v2/admin/budget",
            json!({"subscription_id": "sub_missing", "limit_tokens": 5, "reason": "test"}),
            Role::Admin,
        ),
        (
            "POST",
            "/api/v2/admin/pod/start",
            json!({"pod_id": "pod-missing"}),
            Role::Admin,
        ),
        (
            "POST",
            "/api/v2/admin/pod/stop",
            json!({"pod_id": "pod-missing"}),
            Role::Admin,
        ),
        (
            "POST",
            "/api/v2/admin/pod/destroy",
            json!({"pod_id": "pod-missing", "reason": "test"}),
            Role::Admin,
        ),
        (
            "GET",
            "/api/v2/admin/pod/pod-missing/metrics",
            json!(null),
            Role::Viewer,
        ),
        (
            "GET",
            "/api/v2/admin/pod/pod-missing/history",
            json!(null),
            Role::Viewer,
        ),
        ("GET", "/api/v2/admin/customers", json!(null), Role::Viewer),
        (
            "GET",
            "/api/v2/admin/customer/nobody@example.ec",
            json!(null),
            Role::Viewer,
        ),
        ("GET", "/api/v2/admin/costs", json!(null), Role::Viewer),
        (
            "GET",
            "/api/v2/admin/subscriptions",
            json!(null),
            Role::Viewer,
        ),
        (
            "POST",
            "/api/v2/admin/subscription/cancel",
            json!({"subscription_id": "sub_missing"}),
            Role::Admin,
        ),
        (
            "POST",
            "/api/v2/admin/subscription/revoke-key",
            json!({"subscription_id": "sub_missing", "reason": "test"}),
            Role::Admin,
        ),
        ("GET", "/api/v2/admin/billing", json!(null), Role::Viewer),
        (
            "GET",
            "/api/v2/admin/payment/pay_missing",
            json!(null),
            Role::Viewer,
        ),
        (
            "GET",
            "/api/v2/admin/transaction/txn_missing",
            json!(null),
            Role::Viewer,
        ),
        (
            "POST",
            "/api/v2/admin/payment/refund",
            json!({"payment_id": "pay_missing", "reason": "test", "idempotency_key": "k"}),
            Role::Admin,
        ),
        (
            "POST",
            "/api/v2/admin/resend-receipt",
            json!({"email": "nobody@example.ec"}),
            Role::Admin,
        ),
        (
            "GET",
            "/api/v2/admin/audit-log",
            json!(null),
            Role::SuperAdmin,
        ),
        (
            "GET",
            "/api/v2/admin/audit-log/verify",
            json!(null),
            Role::SuperAdmin,
        ),
        (
            "POST",
            "/api/v2/admin/users",
            json!({"email": "new@gpubroker.test", "password": "a long enough password", "role": "ROLE_VIEWER"}),
            Role::SuperAdmin,
        ),
        (
            "POST",
            "/api/v2/admin/users/deactivate",
            json!({"user_id": "adm_missing"}),
            Role::SuperAdmin,
        ),
        (
            "POST",
            "/api/v2/admin/mode",
            json!({"mode": "PAYMENT_MODE_SANDBOX"}),
            Role::SuperAdmin,
        ),
    ]
}

#[tokio::test]
async fn every_admin_route_checks_the_role() {
    let app = spawn_app().await;
    let mut tokens = vec![(None, None)];
    for role in [Role::Viewer, Role::Admin, Role::SuperAdmin] {
        tokens.push((Some(role), Some(app.admin_token(role).await)));
    }
    let documented: Vec<&str> = gateway::REST_ROUTES
        .iter()
        .filter(|r| {
            r.path.starts_with("/api/v2/admin/") && !r.path.starts_with("/api/v2/admin/public/")
        })
        .map(|r| r.path)
        .collect();
    let tested = admin_routes();
    for path in &documented {
        let generic = path
            .replace("{email}", "nobody@example.ec")
            .replace("{transaction_id}", "txn_missing")
            .replace("{pod_id}", "pod-missing")
            .replace("{payment_id}", "pay_missing");
        assert!(
            tested.iter().any(|(_, p, _, _)| *p == generic),
            "{path} is not in the RBAC table"
        );
    }
    for (method, path, body, minimum) in tested {
        for (role, token) in &tokens {
            let response = match method {
                "GET" => app.get_with(path, token.as_deref()).await,
                _ => app.post_with(path, &body, token.as_deref()).await,
            };
            let status = response.status().as_u16();
            let expected_denial = match role {
                None => Some(401),
                Some(role) if !role.allows(minimum) => Some(403),
                Some(_) => None,
            };
            match expected_denial {
                Some(code) => assert_eq!(status, code, "{method} {path} as {role:?}"),
                None => assert!(
                    ![401, 403].contains(&status),
                    "{method} {path} as {role:?}: {status}"
                ),
            }
        }
    }
}

#[tokio::test]
async fn dashboard_customers_and_costs_have_correct_figures() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::Viewer).await;
    // Two customers (one with two subscriptions), one provisioning pod.
    let trial = create_trial(&app, "first@example.ec").await;
    activate(&app, &app.activation_token(&trial).await).await;
    for plan in ["pro", "corp"] {
        let body = json!({"email": "second@example.ec", "plan": plan, "ruc": VALID_RUC});
        assert_eq!(
            app.post_json("/api/v2/admin/public/subscription/create", &body)
                .await
                .status(),
            200
        );
    }
    let second_sub: Value = app
        .get_with(
            "/api/v2/admin/subscriptions?customer_email=second@example.ec",
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    let sub_id = second_sub["subscriptions"][0]["subscription_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(second_sub["total_size"], "2");

    // Payments: completed this month and last month, one pending (never revenue).
    let now = Utc::now();
    let last_month = now - Duration::days(now.day() as i64 + 1);
    for (id, status, cents, at) in [
        ("pay_now", "completed", 4_000, now),
        ("pay_prev", "completed", 2_000, last_month),
        ("pay_pending", "pending", 9_900, now),
    ] {
        payments::insert(
            &app.db,
            NewPayment {
                id: id.into(),
                subscription_id: sub_id.clone(),
                status: status.into(),
                amount_cents: cents,
                currency: "USD".into(),
                mode: PaymentMode::Sandbox,
                customer_email: "second@example.ec".into(),
                plan: "pro".into(),
                created_at: at,
                completed_at: (status == "completed").then_some(at),
            },
        )
        .await
        .unwrap();
    }
    let dashboard: Value = app
        .get_with("/api/v2/admin/dashboard", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let revenue = &dashboard["revenue"];
    assert_eq!(revenue["total"]["amount_minor"], "6000");
    assert_eq!(revenue["current_month"]["amount_minor"], "4000");
    assert_eq!(revenue["previous_month"]["amount_minor"], "2000");
    assert_eq!(revenue["payment_count"], "2");
    assert_eq!(revenue["average_payment"]["amount_minor"], "3000");
    assert_eq!(
        revenue["growth_basis_points"], "10000",
        "4000 vs 2000 is +100%"
    );
    assert_eq!(revenue["growth_defined"], true);
    let monthly = revenue["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 12);
    assert_eq!(
        monthly[now.month0() as usize]["amount"]["amount_minor"],
        "4000"
    );
    let plans: Vec<(String, String)> = dashboard["plan_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["plan"].as_str().unwrap().to_owned(),
                p["count"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(plans.len(), 5, "all five plans are counted");
    assert!(plans.contains(&("PLAN_PRO".into(), "1".into())));
    assert!(plans.contains(&("PLAN_BASIC".into(), "0".into())));
    assert_eq!(
        dashboard["customers"]["total"], "2",
        "customers are distinct emails"
    );
    assert_eq!(dashboard["customers"]["active"], "1");
    assert_eq!(dashboard["pods"]["provisioning"], "1");
    assert_eq!(dashboard["pods"]["running"], "0");
    let by_status: Vec<(String, String)> = dashboard["subscription_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["count"].as_str().unwrap_or("0").to_owned(),
            )
        })
        .collect();
    assert_eq!(by_status.len(), 9, "every status is listed: {by_status:?}");
    assert!(by_status.contains(&("SUBSCRIPTION_STATUS_PROVISIONING".into(), "1".into())));
    assert!(by_status.contains(&("SUBSCRIPTION_STATUS_PENDING_PAYMENT".into(), "2".into())));
    assert!(by_status.contains(&("SUBSCRIPTION_STATUS_RUNNING".into(), "0".into())));
    // The activated trial's budget: its plan's limit, nothing spent yet.
    let tokens = &dashboard["tokens"];
    assert_eq!(tokens["limit"], "1000000", "{tokens}");
    assert_eq!(tokens["used"].as_str().unwrap_or("0"), "0");

    let customers: Value = app
        .get_with("/api/v2/admin/customers", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(customers["total_size"], "2");
    let customer: Value = app
        .get_with("/api/v2/admin/customer/SECOND@example.ec", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(customer["customer"]["subscription_count"], "2");
    assert_eq!(customer["customer"]["total_paid"]["amount_minor"], "6000");
    assert_eq!(customer["payments"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.get_with("/api/v2/admin/customer/ghost@example.ec", Some(&token))
            .await
            .status(),
        404
    );

    // Costs: one provisioning pod for 24 hours at the default Fargate prices.
    app.clock.advance(Duration::hours(24));
    // A day later the first access token has expired; sign in again.
    let token = app.admin_token(Role::Viewer).await;
    let start = (app.clock_now() - Duration::hours(24)).to_rfc3339();
    let costs: Value = app
        .get_with(
            &format!("/api/v2/admin/costs?start_time={}", urlencode(&start)),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(costs["active_pods"], "1");
    // 24 h × (0.25 × 0.04048 + 0.5 × 0.004445) = 0.29622 → 30 cents.
    assert_eq!(costs["compute_cost"]["amount_minor"], "30");
    assert_eq!(costs["per_pod"]["monthly_cost"]["amount_minor"], "889");
    assert_eq!(costs["per_pod"]["cpu_units"], 256);
    let pods = costs["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 1, "{costs}");
    assert_eq!(pods[0]["customer_email"], "first@example.ec");
    assert_eq!(pods[0]["plan"], "PLAN_TRIAL");
    assert_eq!(pods[0]["runtime"], "86400s");
    assert_eq!(pods[0]["compute_cost"]["amount_minor"], "30");
    assert!(pods[0]["pod_id"].as_str().unwrap().starts_with("pod-"));
}

#[tokio::test]
async fn absurd_page_tokens_are_bad_requests() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::Viewer).await;
    for path in [
        "/api/v2/admin/subscriptions?page_token=9223372036854775808",
        "/api/v2/admin/subscriptions?page_token=abc",
        "/api/v2/admin/subscriptions?page_size=100000",
    ] {
        assert_eq!(
            app.get_with(path, Some(&token)).await.status(),
            400,
            "{path}"
        );
    }
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn admin_actions_are_audited_and_the_chain_detects_tampering() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::SuperAdmin).await;
    let trial = create_trial(&app, "audited@example.ec").await;
    let sub_id = trial["subscription_id"].as_str().unwrap();
    let cancel = app
        .post_with(
            "/api/v2/admin/subscription/cancel",
            &json!({"subscription_id": sub_id, "reason": "fraud"}),
            Some(&token),
        )
        .await;
    assert_eq!(cancel.status(), 200);
    // A failed login is audited too.
    app.post_json(
        "/api/v2/admin/public/admin/login",
        &json!({"email": "x@example.ec", "password": "nope-nope-nope"}),
    )
    .await;

    let log: Value = app
        .get_with("/api/v2/admin/audit-log", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "admin_user.create",
            "auth.login",
            "subscription.status",
            "auth.login"
        ]
    );
    assert_eq!(log["entries"][3]["success"], false);
    assert_eq!(log["entries"][2]["client_ip"], "127.0.0.1");
    assert_eq!(
        verify(&app.db).await.unwrap(),
        Verification::Intact { rows: 4 }
    );
    let found: Value = app
        .get_with("/api/v2/admin/audit-log/verify", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&found["intact"], &found["rows"]),
        (&json!(true), &json!("4")),
        "{found}"
    );

    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_string(
            backend,
            "UPDATE audit_log SET success = true WHERE sequence = 4",
        ))
        .await
        .unwrap();
    assert!(
        matches!(verify(&app.db).await.unwrap(), Verification::Broken(_)),
        "edit detected"
    );
    // Operators see the same through the API.
    let found: Value = app
        .get_with("/api/v2/admin/audit-log/verify", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["intact"], false, "{found}");
    assert_eq!(found["broken_at_sequence"], "4", "{found}");
    assert!(
        found["problem"].as_str().unwrap().contains("edited"),
        "{found}"
    );
    app.db
        .execute_raw(Statement::from_string(
            backend,
            "UPDATE audit_log SET success = false WHERE sequence = 4",
        ))
        .await
        .unwrap();
    assert_eq!(
        verify(&app.db).await.unwrap(),
        Verification::Intact { rows: 4 }
    );
    app.db
        .execute_raw(Statement::from_string(
            backend,
            "DELETE FROM audit_log WHERE sequence = 4",
        ))
        .await
        .unwrap();
    assert!(
        matches!(verify(&app.db).await.unwrap(), Verification::Broken(_)),
        "deleting the newest row is detected"
    );
    app.db
        .execute_raw(Statement::from_string(
            backend,
            "DELETE FROM audit_log WHERE sequence = 2",
        ))
        .await
        .unwrap();
    assert!(
        matches!(verify(&app.db).await.unwrap(), Verification::Broken(_)),
        "deletion detected"
    );
    let admin = app.admin_token(Role::Admin).await;
    let refused = app
        .get_with("/api/v2/admin/audit-log/verify", Some(&admin))
        .await;
    assert_eq!(refused.status(), 403, "super_admin only");
}

#[tokio::test]
async fn receipts_are_resent_once_per_idempotency_key() {
    let app = spawn_app().await;
    let token = app.admin_token(Role::Admin).await;
    let body = json!({"email": "buyer@example.ec", "name": "<script>x</script>", "plan": "basic", "ruc": VALID_RUC});
    let created: Value = app
        .post_json("/api/v2/admin/public/subscription/create", &body)
        .await
        .json()
        .await
        .unwrap();
    payments::insert(
        &app.db,
        NewPayment {
            id: "pay_receipt".into(),
            subscription_id: created["subscription_id"].as_str().unwrap().into(),
            status: "completed".into(),
            amount_cents: 2_000,
            currency: "USD".into(),
            mode: PaymentMode::Sandbox,
            customer_email: "buyer@example.ec".into(),
            plan: "basic".into(),
            created_at: Utc::now(),
            completed_at: Some(Utc::now()),
        },
    )
    .await
    .unwrap();
    let request = json!({"email": "buyer@example.ec", "idempotency_key": "resend-1"});
    let first: Value = app
        .post_with("/api/v2/admin/resend-receipt", &request, Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["payment_id"], "pay_receipt");
    assert_eq!(first["sent_to"], "buyer@example.ec");
    let again: Value = app
        .post_with("/api/v2/admin/resend-receipt", &request, Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["message_id"], first["message_id"]);
    let emails = app.sent_emails();
    assert_eq!(
        emails.len(),
        1,
        "one receipt, however often the same request is replayed"
    );
    assert!(emails[0].contains("20.00 USD"));
    let html = emails[0].split("Content-Type: text/html").nth(1).unwrap();
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>"),
        "names are escaped"
    );
    let missing = app
        .post_with(
            "/api/v2/admin/resend-receipt",
            &json!({"email": "ghost@example.ec"}),
            Some(&token),
        )
        .await;
    assert_eq!(missing.status(), 404);
}

/// ListPods pages in the database: 210 pods come in three pages, each pod once, newest first,
/// with the total; a filter narrows before paging.
#[tokio::test]
async fn list_pods_pages_past_two_hundred_pods() {
    let app = spawn_app().await;
    for n in 0..210 {
        let trial = create_trial(&app, &format!("pods{n}@example.ec")).await;
        activate(&app, &app.activation_token(&trial).await).await;
    }
    let token = app.admin_token(Role::Viewer).await;
    let mut seen = std::collections::HashSet::new();
    let mut page_token = String::new();
    let mut pages = 0;
    loop {
        let body: Value = app
            .get_with(
                &format!("/api/v2/admin/pods?page_size=100&page_token={page_token}"),
                Some(&token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["total_size"], "210", "{body}");
        for pod in body["pods"].as_array().unwrap() {
            assert!(
                seen.insert(pod["pod_id"].as_str().unwrap().to_owned()),
                "a pod twice"
            );
        }
        pages += 1;
        page_token = body["next_page_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if page_token.is_empty() {
            break;
        }
    }
    assert_eq!((pages, seen.len()), (3, 210));
    let one: Value = app
        .get_with(
            "/api/v2/admin/pods?customer_email=pods7@example.ec",
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["total_size"], "1", "{one}");
    assert_eq!(
        one["pods"][0]["customer_email"], "pods7@example.ec",
        "{one}"
    );
}

/// SwitchMode: to the mode in force changes nothing; at most five real switches an hour, then
/// 429 with a retry time; each switch audited once.
#[tokio::test]
async fn mode_switches_are_bounded_and_a_repeat_changes_nothing() {
    let app = spawn_app().await;
    let chief = app.admin_token(Role::SuperAdmin).await;
    let switch = |mode: &'static str| {
        let (app, chief) = (&app, chief.clone());
        async move {
            app.post_with(
                "/api/v2/admin/mode",
                &json!({"mode": mode, "confirm": true, "reason": "test"}),
                Some(&chief),
            )
            .await
        }
    };
    let unconfirmed = app
        .post_with(
            "/api/v2/admin/mode",
            &json!({"mode": "PAYMENT_MODE_LIVE"}),
            Some(&chief),
        )
        .await;
    assert_eq!(unconfirmed.status(), 400);
    assert!(unconfirmed.text().await.unwrap().contains("confirm"));
    let same: Value = switch("PAYMENT_MODE_SANDBOX").await.json().await.unwrap();
    assert_eq!(same["previous_mode"], "PAYMENT_MODE_SANDBOX", "{same}");
    assert_eq!(same["mode"], "PAYMENT_MODE_SANDBOX");
    for n in 0..5 {
        let to = if n % 2 == 0 {
            "PAYMENT_MODE_LIVE"
        } else {
            "PAYMENT_MODE_SANDBOX"
        };
        let response = switch(to).await;
        assert_eq!(response.status(), 200, "switch {n}");
    }
    let refused = switch("PAYMENT_MODE_SANDBOX").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let audit: Value = app
        .get_with("/api/v2/admin/audit-log?action=mode.switch", Some(&chief))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 5, "{audit}");
    // An hour later (with a fresh sign-in: access tokens last 15 minutes) switching works again.
    app.clock.advance(Duration::hours(1));
    let later = app.admin_token(Role::SuperAdmin).await;
    let again = app
        .post_with(
            "/api/v2/admin/mode",
            &json!({"mode": "PAYMENT_MODE_SANDBOX", "reason": "test"}),
            Some(&later),
        )
        .await;
    assert_eq!(again.status(), 200);
}
