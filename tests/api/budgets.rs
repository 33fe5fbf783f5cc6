//! Agent budgets over REST with a real pod token: reserve/commit/release, idempotent retries,
//! expiry, usage records, alerts once per period, isolation between pods, and a race of hundreds
//! of tasks across two server processes that never overspends.

use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::{Duration as StdDuration, Instant},
};

use chrono::Duration;
use gpubroker::domain::role::Role;
use rand::Rng;
use serde_json::{Value, json};

use crate::helpers::{
    TempDir, TestApp, fresh_postgres_database, random_suffix, spawn_with, test_python,
    test_settings,
};
use crate::subscriptions::{activate, create_trial};

/// A pod process that writes its pod token where the test can read it, then serves HTTP.
const FAKE_POD: &str = include_str!("../fixtures/fake_pod.py");

#[derive(Clone)]
pub struct Agent {
    pub subscription_id: String,
    pub api_key: String,
    pub token: String,
}

/// A server whose pods are fake-pod processes, and the directory they write tokens to.
pub async fn agent_app(database_url: Option<String>) -> (TestApp, TempDir) {
    agent_app_with(test_settings(database_url)).await
}

/// [`agent_app`] with settings of the test's own.
pub async fn agent_app_with(settings: gpubroker::config::Settings) -> (TestApp, TempDir) {
    agent_app_with_pod(settings, FAKE_POD).await
}

/// [`agent_app_with`] whose pods run `pod_script` (a Python stand-in taking `<port> <out dir>`
/// that writes its pod token to `<out dir>/<POD_ID>.token`).
pub async fn agent_app_with_pod(
    mut settings: gpubroker::config::Settings,
    pod_script: &str,
) -> (TestApp, TempDir) {
    // A trial budget of 1,000 tokens: the alert thresholds and the limit are a few calls away.
    settings.plans.trial.token_limit = 1_000;
    let dir = TempDir::new();
    let script = dir.path.join("pod.py");
    std::fs::write(&script, pod_script).unwrap();
    settings.pods.local.command = format!(
        "{} {} {{port}} {}",
        test_python(),
        script.display(),
        dir.path.display()
    );
    (spawn_with(settings).await, dir)
}

/// A running trial whose pod has started and handed over its token.
pub async fn running_agent(app: &TestApp, dir: &TempDir) -> Agent {
    let created = create_trial(app, &format!("agent-{}@example.ec", random_suffix())).await;
    let activated: Value = activate(app, &app.activation_token(&created).await)
        .await
        .json()
        .await
        .unwrap();
    let pod_id = activated["pod_id"].as_str().unwrap();
    let token_file = dir.path.join(format!("{pod_id}.token"));
    let deadline = Instant::now() + StdDuration::from_secs(30);
    loop {
        let report = app.pods.reconcile_once().await.unwrap();
        if report.running == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the fake pod never ran");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    Agent {
        subscription_id: created["subscription_id"].as_str().unwrap().to_owned(),
        api_key: created["api_key"].as_str().unwrap().to_owned(),
        token: std::fs::read_to_string(token_file).expect("the pod wrote its token"),
    }
}

/// POSTs `body` to `path` with the bearer `token`.
async fn send(
    app_url: &str,
    path: &str,
    body: Value,
    token: &str,
) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .post(format!("{app_url}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
}

async fn call(app_url: &str, path: &str, body: Value, token: &str) -> (u16, Value) {
    let response = send(app_url, path, body, token).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn budget(app: &TestApp, token: &str) -> Value {
    let response = app.get_with("/api/v2/agent/budget", Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["budget"].clone()
}

pub fn n(value: &Value) -> i64 {
    value
        .as_str()
        .map_or_else(|| value.as_i64().unwrap_or(0), |s| s.parse().unwrap())
}

#[tokio::test]
async fn reserve_commit_release_and_retries_return_the_first_result() {
    let (app, dir) = agent_app(Some(fresh_postgres_database().await)).await;
    let agent = running_agent(&app, &dir).await;
    let url = app.url("");
    let b = budget(&app, &agent.token).await;
    assert_eq!(n(&b["limit_tokens"]), 1000);
    assert_eq!(n(&b["remaining_tokens"]), 1000);

    // Figures beyond any plan are refused by name on PostgreSQL too, never an overflow.
    for (path, body, field) in [
        (
            "/api/v2/agent/budget/reserve",
            json!({"tokens": "9223372036854775000", "idempotency_key": "huge"}),
            "tokens",
        ),
        (
            "/api/v2/agent/usage",
            json!({"tokens": "9223372036854775000", "event_id": "huge"}),
            "tokens",
        ),
    ] {
        let (status, refused) = call(&url, path, body, &agent.token).await;
        assert_eq!(status, 400, "{path}: {refused}");
        assert!(refused.to_string().contains(field), "{refused}");
    }
    assert_eq!(n(&budget(&app, &agent.token).await["held_tokens"]), 0);

    let reserve = json!({"tokens": 300, "idempotency_key": "k1", "model": "gpt-x"});
    let (status, first) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        reserve.clone(),
        &agent.token,
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(n(&first["remaining_tokens"]), 700);
    let (_, again) = call(&url, "/api/v2/agent/budget/reserve", reserve, &agent.token).await;
    assert_eq!(
        again["reservation_id"], first["reservation_id"],
        "same key, same hold"
    );
    assert_eq!(n(&budget(&app, &agent.token).await["held_tokens"]), 300);

    let commit = json!({"reservation_id": first["reservation_id"], "actual_tokens": 200, "tokens_in": 150, "tokens_out": 50});
    let (status, committed) = call(
        &url,
        "/api/v2/agent/budget/commit",
        commit.clone(),
        &agent.token,
    )
    .await;
    assert_eq!(status, 200, "{committed}");
    assert_eq!(n(&committed["committed_tokens"]), 200);
    assert_eq!(
        n(&committed["remaining_tokens"]),
        800,
        "the unused 100 went back"
    );
    let (status, repeat) = call(&url, "/api/v2/agent/budget/commit", commit, &agent.token).await;
    assert_eq!(status, 200);
    assert_eq!(repeat["usage_id"], committed["usage_id"]);
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/release",
        json!({"reservation_id": first["reservation_id"]}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 400, "a committed hold cannot be released");

    let (_, second) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 500, "idempotency_key": "k2"}),
        &agent.token,
    )
    .await;
    let release = json!({"reservation_id": second["reservation_id"]});
    let (_, freed) = call(
        &url,
        "/api/v2/agent/budget/release",
        release.clone(),
        &agent.token,
    )
    .await;
    assert_eq!(n(&freed["released_tokens"]), 500);
    let (_, freed) = call(&url, "/api/v2/agent/budget/release", release, &agent.token).await;
    assert_eq!(
        n(&freed["released_tokens"]),
        0,
        "a repeat frees nothing more"
    );

    let (status, refused) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 801, "idempotency_key": "k3"}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 429, "{refused}");
    assert!(refused.to_string().contains("BUDGET_EXCEEDED"), "{refused}");

    let usage = json!({"event_id": "evt-1", "tokens": 100, "model": "gpt-x"});
    let (status, recorded) = call(&url, "/api/v2/agent/usage", usage.clone(), &agent.token).await;
    assert_eq!(status, 200, "{recorded}");
    assert_eq!(recorded["duplicate"], false);
    let (_, dup) = call(&url, "/api/v2/agent/usage", usage, &agent.token).await;
    assert_eq!(dup["duplicate"], true);
    assert_eq!(dup["record"]["usage_id"], recorded["record"]["usage_id"]);

    let b = budget(&app, &agent.token).await;
    assert_eq!((n(&b["committed_tokens"]), n(&b["held_tokens"])), (300, 0));
    assert_eq!(
        app.budgets_ledger_sums(&agent.subscription_id).await,
        (0, 300),
        "the ledger adds up to the counters"
    );
    let listed: Value = app
        .get_with("/api/v2/agent/usage", Some(&agent.api_key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(n(&listed["total_size"]), 2);
    assert_eq!(n(&listed["total_tokens"]), 300);
    // Operators read the budget's figures wherever the subscription is listed.
    let admin = app.admin_token(Role::Viewer).await;
    let listed: Value = app
        .get_with("/api/v2/admin/subscriptions?page_size=500", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let sub = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subscription_id"] == agent.subscription_id.as_str())
        .expect("the subscription is listed");
    assert_eq!(n(&sub["tokens_used"]), 300, "{sub}");
    assert_eq!(n(&sub["token_limit"]), n(&b["limit_tokens"]));
    // A customer reads but cannot spend.
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 1, "idempotency_key": "c"}),
        &agent.api_key,
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn holds_expire_commits_over_the_hold_are_capped_and_alerts_fire_once_per_period() {
    let (app, dir) = agent_app(None).await;
    let agent = running_agent(&app, &dir).await;
    let url = app.url("");
    let (_, hold) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 400, "idempotency_key": "e1", "ttl": "60s"}),
        &agent.token,
    )
    .await;
    app.clock.advance(Duration::seconds(61));
    assert_eq!(app.budgets.sweep_once().await.unwrap().expired, 1);
    assert_eq!(n(&budget(&app, &agent.token).await["held_tokens"]), 0);
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/commit",
        json!({"reservation_id": hold["reservation_id"], "actual_tokens": 10}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 400, "an expired hold cannot be committed");

    // 100 held, 150 spent: the extra 50 fits.
    let (_, small) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 100, "idempotency_key": "e2"}),
        &agent.token,
    )
    .await;
    let (status, over) = call(
        &url,
        "/api/v2/agent/budget/commit",
        json!({"reservation_id": small["reservation_id"], "actual_tokens": 150}),
        &agent.token,
    )
    .await;
    assert_eq!((status, n(&over["committed_tokens"])), (200, 150));
    // 800 held of the 850 left, 900 spent: the extra 100 does not fit, the 800 are charged.
    let (_, big) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 800, "idempotency_key": "e3"}),
        &agent.token,
    )
    .await;
    let commit = json!({"reservation_id": big["reservation_id"], "actual_tokens": 900});
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/commit",
        commit.clone(),
        &agent.token,
    )
    .await;
    assert_eq!(status, 429);
    let (status, _) = call(&url, "/api/v2/agent/budget/commit", commit, &agent.token).await;
    assert_eq!(status, 429, "a repeat answers the same");
    let different = json!({"reservation_id": big["reservation_id"], "actual_tokens": 800});
    let (status, _) = call(&url, "/api/v2/agent/budget/commit", different, &agent.token).await;
    assert_eq!(status, 400, "other figures are not a repeat");
    let b = budget(&app, &agent.token).await;
    assert_eq!((n(&b["committed_tokens"]), n(&b["held_tokens"])), (950, 0));
    assert_eq!(b["thresholds_crossed"], json!([50, 75, 90]));
    let alerts = app.sent_with_subject("tokens");
    assert_eq!(alerts.len(), 3, "50, 75 and 90 %, once each");

    // A new period (admin) clears counters and flags; crossing 50 % alerts again.
    let admin = app.admin_token(Role::Admin).await;
    let reset = app
        .post_with(
            "/api/v2/admin/budget",
            &json!({"subscription_id": agent.subscription_id, "reset_period": true, "reason": "renewal"}),
            Some(&admin),
        )
        .await;
    assert_eq!(reset.status(), 200);
    let (_, _) = call(
        &url,
        "/api/v2/agent/usage",
        json!({"event_id": "p2", "tokens": 500}),
        &agent.token,
    )
    .await;
    assert_eq!(app.sent_with_subject("tokens").len(), 4);
    assert_eq!(
        budget(&app, &agent.token).await["thresholds_crossed"],
        json!([50])
    );
    // The limit cannot go below what is spent.
    assert_eq!(
        set_limit(&app, &admin, &agent.subscription_id, 100, "x").await,
        400
    );
}

#[tokio::test]
async fn a_pod_token_cannot_read_or_spend_another_pods_budget() {
    let (app, dir) = agent_app(Some(fresh_postgres_database().await)).await;
    let a = running_agent(&app, &dir).await;
    let b = running_agent(&app, &dir).await;
    let url = app.url("");
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"subscription_id": b.subscription_id, "tokens": 1, "idempotency_key": "x"}),
        &a.token,
    )
    .await;
    assert_eq!(status, 403);
    let other = app
        .get_with(
            &format!("/api/v2/agent/budget?subscription_id={}", b.subscription_id),
            Some(&a.token),
        )
        .await;
    assert_eq!(other.status(), 403);
    let (_, hold) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 5, "idempotency_key": "b1"}),
        &b.token,
    )
    .await;
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/commit",
        json!({"reservation_id": hold["reservation_id"], "actual_tokens": 5}),
        &a.token,
    )
    .await;
    assert_eq!(
        status, 404,
        "another pod's reservation does not exist for this pod"
    );
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 1, "idempotency_key": "x"}),
        "gpt_forged",
    )
    .await;
    assert_eq!(status, 401);
}

/// A second server process on the same database (its own reconciler off: local pods run in the
/// process that leads the reconciler).
async fn second_process(database_url: &str) -> crate::helpers::ServerProcess {
    crate::helpers::ServerProcess::start(&[
        ("DATABASE_URL", database_url.to_owned()),
        ("GPUBROKER__PODS__RECONCILER", "false".into()),
    ])
    .await
}

#[tokio::test]
async fn hundreds_of_racing_tasks_on_two_processes_never_overspend() {
    let database_url = fresh_postgres_database().await;
    let (app, dir) = agent_app(Some(database_url.clone())).await;
    let agent = running_agent(&app, &dir).await;
    let other = second_process(&database_url).await;
    let other_url = other.url.clone();
    let urls = [app.url(""), other_url];
    let admin = app.admin_token(Role::Admin).await;
    let limit = 10_000;
    assert_eq!(
        set_limit(&app, &admin, &agent.subscription_id, limit, "race").await,
        200
    );
    // What the servers said they charged: commits (or the capped hold) and recorded usage.
    let charged = Arc::new(AtomicI64::new(0));
    let token = Arc::new(agent.token.clone());
    let mut tasks = Vec::new();
    for task in 0..240 {
        let url = urls[task % 2].clone();
        let token = token.clone();
        let charged = charged.clone();
        tasks.push(tokio::spawn(async move {
            for step in 0..4 {
                let (tokens, choice, actual, ttl) = {
                    let mut rng = rand::rng();
                    (
                        rng.random_range(1..=60),
                        rng.random_range(0..4),
                        rng.random_range(0..=90),
                        rng.random_range(1..=3),
                    )
                };
                if choice == 3 {
                    let event = format!("evt-{task}-{}", step % 2);
                    let (status, body) = call(
                        &url,
                        "/api/v2/agent/usage",
                        json!({"event_id": event, "tokens": tokens}),
                        &token,
                    )
                    .await;
                    if status == 200 && body["duplicate"] == false {
                        charged.fetch_add(tokens, Ordering::SeqCst);
                    }
                    assert!(status == 200 || status == 429, "{status} {body}");
                    continue;
                }
                let key = format!("key-{task}-{step}");
                let (status, hold) = call(
                    &url,
                    "/api/v2/agent/budget/reserve",
                    json!({"tokens": tokens, "idempotency_key": key, "ttl": format!("{ttl}s")}),
                    &token,
                )
                .await;
                assert!(status == 200 || status == 429, "{status} {hold}");
                if status != 200 {
                    continue;
                }
                let id = hold["reservation_id"].clone();
                match choice {
                    0 => {
                        let (status, body) = call(
                            &url,
                            "/api/v2/agent/budget/commit",
                            json!({"reservation_id": id, "actual_tokens": actual}),
                            &token,
                        )
                        .await;
                        match status {
                            200 => {
                                charged.fetch_add(n(&body["committed_tokens"]), Ordering::SeqCst)
                            }
                            // Over the hold and over the budget: the hold was charged.
                            429 => charged.fetch_add(tokens, Ordering::SeqCst),
                            // Expired first.
                            400 => 0,
                            other => panic!("commit answered {other}: {body}"),
                        };
                    }
                    1 => {
                        let (status, body) = call(
                            &url,
                            "/api/v2/agent/budget/release",
                            json!({"reservation_id": id}),
                            &token,
                        )
                        .await;
                        assert_eq!(status, 200, "{body}");
                    }
                    // Left to expire.
                    _ => {}
                }
            }
        }));
    }
    // Meanwhile: time passes on the first server, its sweeper runs, and a reader checks the
    // invariant at every instant it looks.
    let watcher = {
        let db = app.db.clone();
        let budgets = app.budgets.clone();
        let clock = app.clock.clone();
        let id = agent.subscription_id.clone();
        tokio::spawn(async move {
            let mut seen = HashSet::new();
            for _ in 0..200 {
                let b = gpubroker::persistence::budgets::find(&db, &id)
                    .await
                    .unwrap()
                    .unwrap();
                assert!(
                    b.committed_tokens + b.held_tokens <= b.limit_tokens,
                    "{b:?}"
                );
                seen.insert(b.committed_tokens);
                clock.advance(Duration::seconds(1));
                budgets.sweep_once().await.unwrap();
                tokio::task::yield_now().await;
            }
            seen.len()
        })
    };
    for task in tasks {
        task.await.unwrap();
    }
    assert!(
        watcher.await.unwrap() > 1,
        "the watcher saw the budget move"
    );
    // Everything left held expires (the second server's holds run on real time: an hour on).
    app.clock.advance(Duration::hours(1));
    app.budgets.sweep_once().await.unwrap();
    let b = budget(&app, &agent.token).await;
    let (committed, held) = (n(&b["committed_tokens"]), n(&b["held_tokens"]));
    assert!(committed <= limit, "committed {committed} of {limit}");
    assert_eq!(held, 0);
    assert_eq!(
        committed,
        charged.load(Ordering::SeqCst),
        "every charge was reported"
    );
    assert_eq!(
        app.budgets_ledger_sums(&agent.subscription_id).await,
        (held, committed),
        "the ledger adds up"
    );
    assert!(
        committed > limit / 2,
        "the race used the budget ({committed})"
    );
}

/// Each server's batch writer remembers the budgets and holds it wrote and decides its next batch
/// against them, without reading them first; whatever moved a budget behind its back (another
/// process, the one-by-one path) must still be seen before anything is written.
#[tokio::test]
async fn a_batch_decided_from_remembered_figures_sees_every_move_made_behind_its_back() {
    let database_url = fresh_postgres_database().await;
    let (app, dir) = agent_app(Some(database_url.clone())).await;
    let agent = running_agent(&app, &dir).await;
    let other = second_process(&database_url).await;
    let (url, other_url) = (app.url(""), other.url.clone());
    let token = agent.token.as_str();
    let (reserve, commit) = (
        "/api/v2/agent/budget/reserve",
        "/api/v2/agent/budget/commit",
    );
    let hold = |tokens: i64, key: &str| json!({"tokens": tokens, "idempotency_key": key});
    let charge = |res: &Value, tokens: i64| json!({"reservation_id": res["reservation_id"], "actual_tokens": tokens});
    let figures = |b: Value| (n(&b["committed_tokens"]), n(&b["held_tokens"]));

    // This process writes the budget and remembers it: 900 left.
    let (status, first) = call(&url, reserve, hold(100, "a"), token).await;
    assert_eq!(status, 200, "{first}");
    let (status, body) = call(&url, commit, charge(&first, 100), token).await;
    assert_eq!(status, 200, "{body}");
    // The other process holds 850 of them.
    let (status, theirs) = call(&other_url, reserve, hold(850, "b"), token).await;
    assert_eq!(status, 200, "{theirs}");
    // What this process remembers would fit 100 more; what is there (50) does not.
    let (status, refused) = call(&url, reserve, hold(100, "c"), token).await;
    assert_eq!(status, 429, "held on figures that were gone: {refused}");
    assert_eq!(figures(budget(&app, token).await), (100, 850));

    // A hold that fits is written; released on the one-by-one path behind the writer's back, the
    // hold it remembers can no longer be committed.
    let (status, mine) = call(&url, reserve, hold(40, "d"), token).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(n(&mine["remaining_tokens"]), 10);
    let release = json!({"reservation_id": mine["reservation_id"]});
    let (status, body) = call(&url, "/api/v2/agent/budget/release", release, token).await;
    assert_eq!(status, 200, "{body}");
    let (status, late) = call(&url, commit, charge(&mine, 40), token).await;
    assert_ne!(status, 200, "committed a released hold: {late}");
    assert_eq!(figures(budget(&app, token).await), (100, 850));

    // The other process commits; this one's next hold and its commit (decided on what it
    // remembers of its own hold) count from there.
    let (status, body) = call(&other_url, commit, charge(&theirs, 800), token).await;
    assert_eq!(status, 200, "{body}");
    let (status, last) = call(&url, reserve, hold(100, "e"), token).await;
    assert_eq!(status, 200, "{last}");
    assert_eq!(n(&last["remaining_tokens"]), 0);
    let (status, body) = call(&url, commit, charge(&last, 60), token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(n(&body["remaining_tokens"]), 40);
    assert_eq!(figures(budget(&app, token).await), (960, 0));
    assert_eq!(
        app.budgets_ledger_sums(&agent.subscription_id).await,
        (0, 960),
        "the ledger adds up to the counters"
    );
}

/// SetBudget over REST as `admin`: the status it answers.
async fn set_limit(
    app: &TestApp,
    admin: &str,
    subscription_id: &str,
    limit: i64,
    reason: &str,
) -> u16 {
    app.post_with(
        "/api/v2/admin/budget",
        &json!({"subscription_id": subscription_id, "limit_tokens": limit, "reason": reason}),
        Some(admin),
    )
    .await
    .status()
    .as_u16()
}

/// One attempt of `call` that may meet a dead server: `None` when the connection fails.
async fn try_call(app_url: &str, path: &str, body: Value, token: &str) -> Option<(u16, Value)> {
    let response = send(app_url, path, body, token).await.ok()?;
    let status = response.status().as_u16();
    Some((status, response.json().await.ok()?))
}

#[tokio::test]
async fn a_process_killed_mid_batch_loses_nothing_it_acknowledged_and_leaves_the_counters_whole() {
    let database_url = fresh_postgres_database().await;
    let (app, dir) = agent_app(Some(database_url.clone())).await;
    let agent = running_agent(&app, &dir).await;
    let doomed = second_process(&database_url).await;
    let admin = app.admin_token(Role::Admin).await;
    assert_eq!(
        set_limit(&app, &admin, &agent.subscription_id, 10_000_000, "kill").await,
        200
    );
    // (key, reservation id, committed tokens if the commit was acknowledged)
    let acknowledged = Arc::new(std::sync::Mutex::new(
        Vec::<(String, String, Option<i64>)>::new(),
    ));
    let mut tasks = Vec::new();
    for task in 0..64 {
        let (url, token) = (doomed.url.clone(), agent.token.clone());
        let acknowledged = acknowledged.clone();
        tasks.push(tokio::spawn(async move {
            for step in 0.. {
                let key = format!("kill-{task}-{step}");
                let body = json!({"tokens": 50, "idempotency_key": key, "ttl": "600s"});
                let Some((200, hold)) =
                    try_call(&url, "/api/v2/agent/budget/reserve", body, &token).await
                else {
                    return;
                };
                let id = hold["reservation_id"].as_str().unwrap().to_owned();
                let body = json!({"reservation_id": id, "actual_tokens": 20 + step % 7});
                let committed =
                    match try_call(&url, "/api/v2/agent/budget/commit", body, &token).await {
                        Some((200, body)) => Some(n(&body["committed_tokens"])),
                        _ => None,
                    };
                acknowledged.lock().unwrap().push((key, id, committed));
                if committed.is_none() {
                    return;
                }
            }
        }));
    }
    // Killed while 64 callers keep batches in flight.
    let deadline = Instant::now() + StdDuration::from_secs(120);
    while acknowledged.lock().unwrap().len() < 300 {
        assert!(
            Instant::now() < deadline,
            "the doomed server answered too few calls"
        );
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
    doomed.kill().await;
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let url = app.url("");
    for (key, id, committed) in &acknowledged {
        // Asked again on the surviving server, each acknowledged answer is the durable one.
        let (status, hold) = call(
            &url,
            "/api/v2/agent/budget/reserve",
            json!({"tokens": 50, "idempotency_key": key, "ttl": "600s"}),
            &agent.token,
        )
        .await;
        assert_eq!(status, 200, "{hold}");
        assert_eq!(
            hold["reservation_id"].as_str(),
            Some(id.as_str()),
            "hold {key} kept"
        );
        if let Some(tokens) = committed {
            let (status, body) = call(
                &url,
                "/api/v2/agent/budget/commit",
                json!({"reservation_id": id, "actual_tokens": tokens}),
                &agent.token,
            )
            .await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(
                n(&body["committed_tokens"]),
                *tokens,
                "commit of {key} kept"
            );
        }
    }
    // Whatever the kill cut off was either written whole or not at all.
    let b = budget(&app, &agent.token).await;
    let (committed, held) = (n(&b["committed_tokens"]), n(&b["held_tokens"]));
    assert_eq!(
        app.budgets_ledger_sums(&agent.subscription_id).await,
        (held, committed),
        "the ledger adds up"
    );
    let acknowledged_commits: i64 = acknowledged.iter().filter_map(|(_, _, c)| *c).sum();
    assert!(
        committed >= acknowledged_commits,
        "{committed} < {acknowledged_commits}"
    );
}

#[tokio::test]
async fn at_most_ten_sessions_per_pod_even_when_thirty_race_and_idle_ones_end() {
    let (app, dir) = agent_app(Some(fresh_postgres_database().await)).await;
    let agent = running_agent(&app, &dir).await;
    let url = app.url("");
    let mut racing = Vec::new();
    for i in 0..30 {
        let (url, token) = (url.clone(), agent.token.clone());
        racing.push(tokio::spawn(async move {
            let key = format!("s{i}");
            let answer = call(
                &url,
                "/api/v2/agent/sessions",
                json!({"idempotency_key": key}),
                &token,
            )
            .await;
            (key, answer)
        }));
    }
    let mut opened = Vec::new();
    let mut won = String::new();
    for task in racing {
        let (key, (status, body)) = task.await.unwrap();
        match status {
            200 => {
                opened.push(body["session"]["session_id"].as_str().unwrap().to_owned());
                won = key;
            }
            429 => assert!(body.to_string().contains("TOO_MANY_SESSIONS"), "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(opened.len(), 10, "exactly the maximum opened");
    // A repeat of an opened key returns that session, not a new one.
    let (_, again) = call(
        &url,
        "/api/v2/agent/sessions",
        json!({"idempotency_key": won}),
        &agent.token,
    )
    .await;
    assert_eq!(n(&again["active_sessions"]), 10);

    let (status, ended) = call(&url, "/api/v2/agent/sessions/end", json!({"session_id": opened[0], "final_status": "AGENT_SESSION_STATUS_FAILED", "reason": "crash"}), &agent.token).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["session"]["status"], "AGENT_SESSION_STATUS_FAILED");
    let (status, _) = call(
        &url,
        "/api/v2/agent/sessions",
        json!({"idempotency_key": "late"}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 200, "a slot was freed");
    let admin = app.admin_token(Role::Admin).await;
    let terminated = app
        .post_with(
            "/api/v2/agent/sessions/end",
            &json!({"session_id": opened[1]}),
            Some(&admin),
        )
        .await;
    let terminated: Value = terminated.json().await.unwrap();
    assert_eq!(
        terminated["session"]["status"],
        "AGENT_SESSION_STATUS_TERMINATED"
    );

    // Everything left goes idle; the sweep ends it and frees every slot.
    app.clock.advance(Duration::minutes(31));
    let admin = app.admin_token(Role::Admin).await;
    assert_eq!(app.agents.sweep_once().await.unwrap().idle_sessions, 9);
    let (status, _) = call(
        &url,
        "/api/v2/agent/sessions",
        json!({"idempotency_key": "fresh"}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 200);
    let _ = admin;
}

#[tokio::test]
async fn high_impact_decisions_wait_for_an_audited_admin_verdict() {
    let (app, dir) = agent_app(None).await;
    let agent = running_agent(&app, &dir).await;
    let url = app.url("");
    let (status, low) = call(&url, "/api/v2/agent/decisions", json!({"decision_type": "DECISION_TYPE_GPU_RECOMMENDATION", "title": "Use an A10", "idempotency_key": "d1"}), &agent.token).await;
    assert_eq!(status, 200, "{low}");
    assert_eq!(low["decision"]["status"], "DECISION_STATUS_EXECUTED");
    let deploy = json!({"decision_type": "DECISION_TYPE_PROVIDER_SELECTION", "title": "Rent 2×H100", "recommended_action": "{\"provider\":\"x\"}", "idempotency_key": "d2"});
    let (_, proposed) = call(
        &url,
        "/api/v2/agent/decisions",
        deploy.clone(),
        &agent.token,
    )
    .await;
    assert_eq!(proposed["decision"]["status"], "DECISION_STATUS_PROPOSED");
    assert_eq!(proposed["decision"]["requires_approval"], true);
    let (_, same) = call(&url, "/api/v2/agent/decisions", deploy, &agent.token).await;
    assert_eq!(
        same["decision"]["decision_id"],
        proposed["decision"]["decision_id"]
    );
    let id = proposed["decision"]["decision_id"].clone();

    let viewer = app.admin_token(Role::Viewer).await;
    let pending: Value = app
        .get_with(
            "/api/v2/agent/decisions?requires_approval_only=true&status=DECISION_STATUS_PROPOSED",
            Some(&viewer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(n(&pending["total_size"]), 1);
    let refused = app
        .post_with(
            "/api/v2/agent/decisions/review",
            &json!({"decision_id": id, "verdict": "DECISION_VERDICT_APPROVE"}),
            Some(&viewer),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let admin = app.admin_token(Role::Admin).await;
    let no_notes = app
        .post_with(
            "/api/v2/agent/decisions/review",
            &json!({"decision_id": id, "verdict": "DECISION_VERDICT_REJECT"}),
            Some(&admin),
        )
        .await;
    assert_eq!(no_notes.status(), 400);
    let approve = json!({"decision_id": id, "verdict": "DECISION_VERDICT_APPROVE", "notes": "ok"});
    let approved: Value = app
        .post_with("/api/v2/agent/decisions/review", &approve, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approved["decision"]["status"], "DECISION_STATUS_APPROVED");
    assert!(
        !approved["decision"]["reviewed_by_user_id"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let again = app
        .post_with("/api/v2/agent/decisions/review", &approve, Some(&admin))
        .await;
    assert_eq!(
        again.status(),
        200,
        "the same verdict again changes nothing"
    );
    let flip = app
        .post_with(
            "/api/v2/agent/decisions/review",
            &json!({"decision_id": id, "verdict": "DECISION_VERDICT_REJECT", "notes": "no"}),
            Some(&admin),
        )
        .await;
    assert_eq!(flip.status(), 400);
    let auditor = app.admin_token(Role::SuperAdmin).await;
    let audit: Value = app
        .get_with(
            "/api/v2/admin/audit-log?action=agent.decision.review",
            Some(&auditor),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(audit.to_string().contains(id.as_str().unwrap()), "{audit}");

    // An unreviewed proposal expires at the end of its window.
    let (_, late) = call(&url, "/api/v2/agent/decisions", json!({"decision_type": "DECISION_TYPE_SCALING_SUGGESTION", "title": "Scale", "review_window": "3600s", "idempotency_key": "d3"}), &agent.token).await;
    app.clock.advance(Duration::hours(2));
    assert_eq!(app.agents.sweep_once().await.unwrap().expired_proposals, 1);
    let mine: Value = app
        .get_with(
            "/api/v2/agent/decisions?status=DECISION_STATUS_EXPIRED",
            Some(&agent.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["decisions"][0]["decision_id"],
        late["decision"]["decision_id"]
    );
}

#[tokio::test]
async fn budgets_are_watched_and_start_a_new_period_with_the_subscription() {
    use gpubroker::proto::v1 as pb;
    use sea_orm::ConnectionTrait;
    let (app, dir) = agent_app(Some(fresh_postgres_database().await)).await;
    // More ended budgets that never renew than one sweep reads (stored before the one that
    // renews): the renewal must still be found.
    app.db
        .execute_unprepared(
            "INSERT INTO budgets (subscription_id, pod_id, limit_tokens, committed_tokens, \
             held_tokens, thresholds_crossed, period_start_at, period_end_at, updated_at) \
             SELECT 'sub_ended_' || g, 'pod-ended-' || g, 1000, 0, 0, 0, now() - interval '60 days', \
             now() - interval '30 days', now() FROM generate_series(1, 600) g",
        )
        .await
        .unwrap();
    let agent = running_agent(&app, &dir).await;
    let mut watch = tonic::Request::new(pb::WatchBudgetRequest::default());
    watch.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", agent.token).parse().unwrap(),
    );
    let mut stream =
        pb::agent_budget_service_client::AgentBudgetServiceClient::new(app.channel().await)
            .watch_budget(watch)
            .await
            .unwrap()
            .into_inner();
    let first = stream.message().await.unwrap().unwrap();
    assert_eq!(first.change(), pb::BudgetChangeKind::Snapshot);
    let url = app.url("");
    call(
        &url,
        "/api/v2/agent/usage",
        json!({"event_id": "w1", "tokens": 600}),
        &agent.token,
    )
    .await;
    let change = stream.message().await.unwrap().unwrap();
    assert_eq!(change.change(), pb::BudgetChangeKind::UsageRecorded);
    assert_eq!(change.threshold_crossed, 50);
    assert_eq!(change.budget.unwrap().committed_tokens, 600);

    // A budget opened under an older, smaller plan table keeps its limit until the period ends.
    app.db
        .execute_unprepared(&format!(
            "UPDATE budgets SET limit_tokens = 700 WHERE subscription_id = '{}'",
            agent.subscription_id
        ))
        .await
        .unwrap();
    // The subscription renews (a new period starts); the sweeper starts the budget's too.
    let now = app.clock_now();
    let (start, end) = (now + Duration::days(30), now + Duration::days(60));
    app.db
        .execute_unprepared(&format!(
            "UPDATE subscriptions SET period_start_at = '{}', period_end_at = '{}' WHERE id = '{}'",
            start.to_rfc3339(),
            end.to_rfc3339(),
            agent.subscription_id
        ))
        .await
        .unwrap();
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    assert_eq!(app.budgets.sweep_once().await.unwrap().reset, 1);
    let reset = stream.message().await.unwrap().unwrap();
    assert_eq!(reset.change(), pb::BudgetChangeKind::Reset);
    let budget = reset.budget.unwrap();
    assert_eq!((budget.committed_tokens, budget.percent_used), (0, 0));
    assert!(budget.thresholds_crossed.is_empty());
    assert_eq!(
        budget.limit_tokens, 1_000,
        "the new period takes the plan's limit of today"
    );
    assert_eq!(app.budgets.sweep_once().await.unwrap().reset, 0, "once");
}

#[tokio::test]
async fn a_hold_from_an_ended_period_charges_nothing_and_a_retried_reset_resets_once() {
    let (app, dir) = agent_app(None).await;
    let agent = running_agent(&app, &dir).await;
    let url = app.url("");
    let (_, old) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 300, "idempotency_key": "o1"}),
        &agent.token,
    )
    .await;
    let admin = app.admin_token(Role::Admin).await;
    let reset = json!({"subscription_id": agent.subscription_id, "reset_period": true, "reason": "renewal", "idempotency_key": "r1"});
    assert_eq!(
        app.post_with("/api/v2/admin/budget", &reset, Some(&admin))
            .await
            .status(),
        200
    );
    assert_eq!(
        n(&budget(&app, &agent.token).await["held_tokens"]),
        0,
        "the reset dropped the hold"
    );

    // The old hold can no longer be charged or give tokens back to the new period.
    let (status, body) = call(
        &url,
        "/api/v2/agent/budget/commit",
        json!({"reservation_id": old["reservation_id"], "actual_tokens": 300}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (_, fresh) = call(
        &url,
        "/api/v2/agent/budget/reserve",
        json!({"tokens": 100, "idempotency_key": "n1"}),
        &agent.token,
    )
    .await;
    let (status, _) = call(
        &url,
        "/api/v2/agent/budget/release",
        json!({"reservation_id": old["reservation_id"]}),
        &agent.token,
    )
    .await;
    assert_eq!(status, 200);
    let b = budget(&app, &agent.token).await;
    assert_eq!((n(&b["held_tokens"]), n(&b["committed_tokens"])), (100, 0));

    // The same SetBudget again (a retry) does not reset a second time.
    let (_, _) = call(
        &url,
        "/api/v2/agent/budget/commit",
        json!({"reservation_id": fresh["reservation_id"], "actual_tokens": 100}),
        &agent.token,
    )
    .await;
    assert_eq!(
        app.post_with("/api/v2/admin/budget", &reset, Some(&admin))
            .await
            .status(),
        200
    );
    assert_eq!(
        n(&budget(&app, &agent.token).await["committed_tokens"]),
        100
    );
    assert_eq!(
        app.budgets_ledger_sums(&agent.subscription_id).await,
        (0, 100)
    );
}
