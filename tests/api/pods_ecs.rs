//! Pods on ECS Fargate against moto: deploy on activation, the reconciler, admin operations,
//! metrics from CloudWatch, and emails through SES. Each test uses its own cluster, task
//! definition and sending domain, so tests share one moto safely.

use aws_sdk_ecs::types::{Compatibility, ContainerDefinition, NetworkMode, Task};
use chrono::Duration;
use gpubroker::{
    config::Settings,
    domain::role::Role,
    services::pods::{
        driver::{PodDriver, TaskSpec},
        ecs::{EcsDriver, EcsSettings},
    },
};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, activation_token_in, aws_endpoint, fresh_postgres_database, moto_data, random_suffix,
    spawn_with, test_settings, use_moto,
};
use crate::subscriptions::{VALID_RUC, activate, status};

/// Moto objects one test owns.
pub struct Ecs {
    pub settings: Settings,
    pub aws: aws_config::SdkConfig,
    pub cluster: String,
}

impl Ecs {
    pub fn ecs(&self) -> aws_sdk_ecs::Client {
        aws_sdk_ecs::Client::new(&self.aws)
    }

    fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.aws)
    }

    async fn task(&self, arn: &str) -> Task {
        self.ecs()
            .describe_tasks()
            .cluster(&self.cluster)
            .tasks(arn)
            .include(aws_sdk_ecs::types::TaskField::Tags)
            .send()
            .await
            .unwrap()
            .tasks()
            .first()
            .cloned()
            .expect("task known to moto")
    }

    /// Moto never gives a task a public IP: associate an Elastic IP with its ENI, as AWS would.
    async fn give_public_ip(&self, arn: &str) -> String {
        let task = self.task(arn).await;
        let eni = task
            .attachments()
            .iter()
            .flat_map(|a| a.details())
            .find(|d| d.name() == Some("networkInterfaceId"))
            .and_then(|d| d.value())
            .expect("the task has an ENI")
            .to_owned();
        let ec2 = self.ec2();
        let address = ec2
            .allocate_address()
            .domain(aws_sdk_ec2::types::DomainType::Vpc)
            .send()
            .await
            .unwrap();
        ec2.associate_address()
            .allocation_id(address.allocation_id().unwrap())
            .network_interface_id(eni)
            .send()
            .await
            .unwrap();
        address.public_ip().unwrap().to_owned()
    }
}

/// The emails SES (moto) received for `to`: subject and body.
pub async fn emails_to(to: &str) -> Vec<String> {
    let data = moto_data().await;
    data["ses"]["Message"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["destinations"].to_string().contains(to))
        .map(|m| {
            format!(
                "{}\n{}",
                m["subject"],
                m["body"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A cluster, a Fargate task definition (container-level memory, as moto needs), a default-VPC
/// subnet, a verified SES domain, and settings that point the server at them.
pub async fn ecs_setup() -> Ecs {
    let endpoint = aws_endpoint();
    // The server installs the TLS provider when it starts; this test talks to moto before that.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Tasks stay RUNNING until stopped (moto's default walks them to STOPPED on every describe).
    reqwest::Client::new()
        .post(format!("{endpoint}/moto-api/state-manager/set-transition"))
        .body(r#"{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}"#)
        .send()
        .await
        .expect("moto_server must run (scripts/test starts it)")
        .error_for_status()
        .unwrap();
    let suffix = random_suffix();
    let cluster = format!("gpubroker-{suffix}");
    let family = format!("agent-zero-{suffix}");
    let domain = format!("{suffix}.gpubroker.test");
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    use_moto(&mut settings);
    let aws = gpubroker::startup::aws_config(&settings.aws).await;
    let ecs = aws_sdk_ecs::Client::new(&aws);
    ecs.create_cluster()
        .cluster_name(&cluster)
        .send()
        .await
        .unwrap();
    ecs.register_task_definition()
        .family(&family)
        .requires_compatibilities(Compatibility::Fargate)
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .container_definitions(
            ContainerDefinition::builder()
                .name("agent-zero")
                .image("agent0ai/agent-zero:latest")
                .memory(512)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let subnets = aws_sdk_ec2::Client::new(&aws)
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("default-for-az")
                .values("true")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let subnet = subnets.subnets()[0].subnet_id().unwrap().to_owned();
    aws_sdk_sesv2::Client::new(&aws)
        .create_email_identity()
        .email_identity(&domain)
        .send()
        .await
        .unwrap();
    settings.email.provider = gpubroker::config::EmailProvider::Ses;
    settings.email.from = format!("GPUBROKER <no-reply@{domain}>");
    settings.pods.driver = gpubroker::config::PodDriverChoice::Ecs;
    settings.pods.budget_url = "https://api.gpubroker.test/api/v2/agent".into();
    settings.llm.public_url = Some("https://api.gpubroker.test/llm/v1".into());
    settings
        .llm
        .upstreams
        .get_mut("openrouter")
        .unwrap()
        .api_key = Some("sk-upstream-never-in-a-pod".into());
    settings.pods.ecs.cluster = cluster.clone();
    settings.pods.ecs.task_definition = family;
    settings.pods.ecs.subnets = vec![subnet];
    settings.pods.ecs.security_groups = vec!["sg-0123456789abcdef0".into()];
    Ecs {
        settings,
        aws,
        cluster,
    }
}

/// Creates and activates a trial; returns (create response, pod id).
async fn activated_trial(app: &TestApp, email: &str) -> (Value, String) {
    let created: Value = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": email, "name": "<script>alert(1)</script>", "plan": "trial", "ruc": VALID_RUC, "language": "LANGUAGE_ES"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = activation_token_in(&emails_to(email).await.join("\n"))
        .expect("the activation link reached SES");
    let activated = activate(app, &token).await;
    assert_eq!(activated.status(), 200);
    let activated: Value = activated.json().await.unwrap();
    let pod_id = activated["pod_id"]
        .as_str()
        .expect("activation names the pod")
        .to_owned();
    (created, pod_id)
}

/// Deploys the pod and gives its task an address: the pod runs. Returns the task ARN.
async fn running(app: &TestApp, ecs: &Ecs, admin: &str, pod_id: &str) -> String {
    assert_eq!(app.pods.reconcile_once().await.unwrap().deployed, 1);
    let arn = get_pod(app, admin, pod_id).await["task_arn"]
        .as_str()
        .unwrap()
        .to_owned();
    ecs.give_public_ip(&arn).await;
    assert_eq!(app.pods.reconcile_once().await.unwrap().running, 1);
    arn
}

async fn get_pod(app: &TestApp, bearer: &str, pod_id: &str) -> Value {
    let response = app
        .get_with("/api/v2/admin/pods?include_destroyed=true", Some(bearer))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pod_id"] == pod_id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_trial_runs_on_fargate_from_activation_to_destroy() {
    let ecs = ecs_setup().await;
    let app = spawn_with(ecs.settings.clone()).await;
    let customer = format!("fargate-{}@example.ec", random_suffix());
    let (created, pod_id) = activated_trial(&app, &customer).await;
    let api_key = created["api_key"].as_str().unwrap();
    let activation = emails_to(&customer).await;
    assert_eq!(activation.len(), 1, "the activation email, read from moto");
    assert!(
        activation_token_in(&activation[0]).is_some(),
        "{activation:?}"
    );

    // The first pass deploys: one Fargate task with the pod's environment and tags.
    let report = app.pods.reconcile_once().await.unwrap();
    assert_eq!(report.deployed, 1);
    let admin = app.admin_token(Role::Admin).await;
    let pod = get_pod(&app, &admin, &pod_id).await;
    assert_eq!(pod["status"], "POD_STATUS_PROVISIONING");
    let arn = pod["task_arn"].as_str().unwrap().to_owned();
    assert!(arn.starts_with("arn:aws:ecs:"), "{arn}");
    let task = ecs.task(&arn).await;
    assert_eq!(task.launch_type().map(|l| l.as_str()), Some("FARGATE"));
    let env: Vec<(String, String)> = task
        .overrides()
        .unwrap()
        .container_overrides()
        .iter()
        .flat_map(|c| c.environment())
        .map(|kv| {
            (
                kv.name().unwrap().to_owned(),
                kv.value().unwrap().to_owned(),
            )
        })
        .collect();
    let value = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(value("POD_ID").as_deref(), Some(pod_id.as_str()));
    assert_eq!(value("PLAN").as_deref(), Some("trial"));
    assert_eq!(
        value("GPUBROKER_BUDGET_URL").as_deref(),
        Some("https://api.gpubroker.test/api/v2/agent")
    );
    let pod_token = value("GPUBROKER_POD_TOKEN").unwrap();
    assert!(pod_token.starts_with("gpt_"));
    // Agent Zero's chat and utility models go through the metering proxy with the pod token.
    for role in ["chat_model", "utility_model"] {
        let var = |key: &str| value(&format!("A0_SET__model_config__{role}__{key}"));
        assert_eq!(var("provider").as_deref(), Some("other"), "{role}");
        assert_eq!(
            var("name").as_deref(),
            Some("openai/gpt-4.1-mini"),
            "{role}"
        );
        assert_eq!(
            var("api_base").as_deref(),
            Some("https://api.gpubroker.test/llm/v1"),
            "{role}"
        );
    }
    assert_eq!(value("API_KEY_OTHER"), Some(pod_token.clone()));
    let everything = format!("{env:?}");
    assert!(
        !everything.contains("sk-upstream-never-in-a-pod"),
        "never the provider's key"
    );
    assert!(!everything.contains(api_key), "never the customer API key");
    assert!(!everything.contains(&customer), "never the email");
    assert_eq!(
        app.pods.by_token(&pod_token).await.unwrap().pod_id,
        pod_id,
        "the pod token identifies its pod"
    );
    let tags: Vec<(String, String)> = task
        .tags()
        .iter()
        .map(|t| (t.key().unwrap().to_owned(), t.value().unwrap().to_owned()))
        .collect();
    assert!(tags.contains(&("pod_id".into(), pod_id.clone())));
    assert!(tags.contains(&("plan".into(), "trial".into())));
    assert!(tags.iter().any(|(k, _)| k == "subscription_id"));

    // RUNNING without a public IP is not running yet.
    assert_eq!(app.pods.reconcile_once().await.unwrap().running, 0);
    let ip = ecs.give_public_ip(&arn).await;
    assert_eq!(app.pods.reconcile_once().await.unwrap().running, 1);
    let pod = get_pod(&app, &admin, &pod_id).await;
    assert_eq!(pod["status"], "POD_STATUS_RUNNING");
    assert_eq!(pod["public_ip"], ip.as_str());
    assert_eq!(pod["subscription_status"], "SUBSCRIPTION_STATUS_RUNNING");
    assert!(
        pod["pod_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("https://{pod_id}."))
    );
    let ready: Vec<String> = emails_to(&customer)
        .await
        .into_iter()
        .filter(|m| m.contains("listo"))
        .collect();
    assert_eq!(ready.len(), 1, "one pod-ready email, in Spanish");
    assert!(ready[0].contains(&pod_id));
    assert!(
        !ready[0].contains("<script>"),
        "names are escaped: {}",
        ready[0]
    );
    let status = status(&app, api_key).await;
    assert_eq!(status["status"], "SUBSCRIPTION_STATUS_RUNNING");
    assert_eq!(status["pod_url"], pod["pod_url"]);

    // A viewer cannot destroy; an admin can, and the task is really stopped.
    let viewer = app.admin_token(Role::Viewer).await;
    let body = json!({"pod_id": pod_id, "reason": "customer asked"});
    let refused = app
        .post_with("/api/v2/admin/pod/destroy", &body, Some(&viewer))
        .await;
    assert_eq!(refused.status(), 403);
    let destroyed = app
        .post_with("/api/v2/admin/pod/destroy", &body, Some(&admin))
        .await;
    assert_eq!(destroyed.status(), 200);
    let destroyed: Value = destroyed.json().await.unwrap();
    assert_eq!(destroyed["pod"]["status"], "POD_STATUS_DESTROYED");
    assert_eq!(
        destroyed["pod"]["subscription_status"],
        "SUBSCRIPTION_STATUS_DESTROYED"
    );
    assert_eq!(ecs.task(&arn).await.last_status(), Some("STOPPED"));
    // Idempotent, and the pod token is dead.
    let again = app
        .post_with("/api/v2/admin/pod/destroy", &body, Some(&admin))
        .await;
    assert_eq!(again.status(), 200);
    assert!(app.pods.by_token(&pod_token).await.is_err());
    let auditor = app.admin_token(Role::SuperAdmin).await;
    let audit: Value = app
        .get_with("/api/v2/admin/audit-log?action=pod.destroy", Some(&auditor))
        .await
        .json()
        .await
        .unwrap();
    assert!(audit.to_string().contains(&pod_id), "{audit}");
}

#[tokio::test]
async fn a_task_that_stops_on_its_own_fails_the_pod_and_start_runs_a_new_task() {
    let ecs = ecs_setup().await;
    let mut settings = ecs.settings.clone();
    // No automatic redeploy here: this test is about the failure and the admin's restart.
    settings.pods.max_redeploys = 0;
    let app = spawn_with(settings).await;
    let (created, pod_id) =
        activated_trial(&app, &format!("dies-{}@example.ec", random_suffix())).await;
    let admin = app.admin_token(Role::Admin).await;
    let arn = running(&app, &ecs, &admin, &pod_id).await;

    // The container exits (as moto reports a stopped task) without anyone asking.
    ecs.ecs()
        .stop_task()
        .cluster(&ecs.cluster)
        .task(&arn)
        .reason("Essential container in task exited")
        .send()
        .await
        .unwrap();
    assert_eq!(app.pods.reconcile_once().await.unwrap().failed, 1);
    let pod = get_pod(&app, &admin, &pod_id).await;
    assert_eq!(pod["status"], "POD_STATUS_FAILED");
    assert_eq!(
        pod["status_reason"],
        "task stopped: Essential container in task exited while running"
    );
    assert_eq!(pod["subscription_status"], "SUBSCRIPTION_STATUS_FAILED");
    let status = status(&app, created["api_key"].as_str().unwrap()).await;
    assert_eq!(status["status"], "SUBSCRIPTION_STATUS_FAILED");

    // StartPod: a new run with a new task; repeating it starts nothing more.
    let started = app
        .post_with(
            "/api/v2/admin/pod/start",
            &json!({"pod_id": pod_id}),
            Some(&admin),
        )
        .await;
    assert_eq!(started.status(), 200);
    let started: Value = started.json().await.unwrap();
    assert_eq!(started["pod"]["status"], "POD_STATUS_PROVISIONING");
    let second = started["pod"]["task_arn"].as_str().unwrap().to_owned();
    assert!(!second.is_empty() && second != arn, "a new task: {second}");
    let again: Value = app
        .post_with(
            "/api/v2/admin/pod/start",
            &json!({"pod_id": pod_id}),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["pod"]["task_arn"], second.as_str());
    let running = ecs
        .ecs()
        .list_tasks()
        .cluster(&ecs.cluster)
        .desired_status(aws_sdk_ecs::types::DesiredStatus::Running)
        .send()
        .await
        .unwrap();
    assert_eq!(running.task_arns(), [second]);
}

#[tokio::test]
async fn a_retried_start_with_the_same_client_token_runs_one_task() {
    let ecs = ecs_setup().await;
    let e = &ecs.settings.pods.ecs;
    let driver = EcsDriver {
        ecs: ecs.ecs(),
        ec2: ecs.ec2(),
        cloudwatch: aws_sdk_cloudwatch::Client::new(&ecs.aws),
        settings: EcsSettings {
            cluster: e.cluster.clone(),
            task_definition: e.task_definition.clone(),
            container_name: e.container_name.clone(),
            subnets: e.subnets.clone(),
            security_groups: e.security_groups.clone(),
            assign_public_ip: true,
            pod_domain: "pods.test".into(),
            metrics_namespace: e.metrics_namespace.clone(),
            cpu_units: 256,
            memory_mib: 512,
        },
    };
    let spec = TaskSpec {
        pod_id: "pod-retry".into(),
        subscription_id: "sub_retry".into(),
        plan: "trial".into(),
        client_token: "pod-retry-g1".into(),
        env: vec![("POD_ID".into(), "pod-retry".into())],
    };
    let first = driver.start(&spec).await.unwrap();
    // The answer was lost; the retry carries the same token and finds the same task.
    let retry = driver.start(&spec).await.unwrap();
    assert_eq!(first, retry);
    let listed = ecs
        .ecs()
        .list_tasks()
        .cluster(&ecs.cluster)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.task_arns(), std::slice::from_ref(&first.task_arn));
    let task = ecs.task(&first.task_arn).await;
    assert_eq!(task.started_by(), Some("pod-retry-g1"));
}

#[tokio::test]
async fn stop_suspends_and_reports_metrics_and_the_provisioning_timeout_stops_the_task() {
    let ecs = ecs_setup().await;
    let app = spawn_with(ecs.settings.clone()).await;
    let (_, pod_id) = activated_trial(&app, &format!("ops-{}@example.ec", random_suffix())).await;
    let admin = app.admin_token(Role::Admin).await;
    let arn = running(&app, &ecs, &admin, &pod_id).await;

    // CloudWatch has Container Insights figures for the task (seeded: moto makes none).
    let now = app.clock_now();
    let task_id = arn.rsplit('/').next().unwrap();
    let dims = [
        ("ClusterName", ecs.cluster.as_str()),
        (
            "TaskDefinitionFamily",
            ecs.settings.pods.ecs.task_definition.as_str(),
        ),
        ("TaskId", task_id),
    ];
    let datum = |name: &str, value: f64, minutes_ago: i64| {
        let mut d = aws_sdk_cloudwatch::types::MetricDatum::builder()
            .metric_name(name)
            .value(value)
            .timestamp(aws_sdk_cloudwatch::primitives::DateTime::from_secs(
                (now - Duration::minutes(minutes_ago)).timestamp(),
            ));
        for (k, v) in dims {
            d = d.dimensions(
                aws_sdk_cloudwatch::types::Dimension::builder()
                    .name(k)
                    .value(v)
                    .build(),
            );
        }
        d.build()
    };
    aws_sdk_cloudwatch::Client::new(&ecs.aws)
        .put_metric_data()
        .namespace("ECS/ContainerInsights")
        .metric_data(datum("CpuUtilized", 128.0, 10))
        .metric_data(datum("MemoryUtilized", 256.0, 10))
        .send()
        .await
        .unwrap();
    app.clock.advance(Duration::hours(2));
    // Two hours on, the first admin token expired.
    let admin = app.admin_token(Role::Admin).await;
    let metrics = app
        .get_with(
            &format!("/api/v2/admin/pod/{pod_id}/metrics?window=10800s&step=3600s"),
            Some(&admin),
        )
        .await;
    assert_eq!(metrics.status(), 200);
    let metrics: Value = metrics.json().await.unwrap();
    assert_eq!(metrics["status"], "POD_STATUS_RUNNING");
    assert_eq!(metrics["cpu"][0]["percent"], 50.0, "{metrics}");
    assert_eq!(metrics["memory"][0]["percent"], 50.0);
    assert_eq!(metrics["uptime"], "7200s");
    // Two hours of 0.25 vCPU + 0.5 GB: 2 × (0.25 × 0.04048 + 0.5 × 0.004445) = $0.0247 → 2 cents.
    assert_eq!(metrics["cost_so_far"]["amount_minor"], "2");
    let bad = app
        .get_with(
            &format!("/api/v2/admin/pod/{pod_id}/metrics?step=30s"),
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status(), 400);

    // Stop: the task stops and the subscription is suspended; a second stop changes nothing.
    let body = json!({"pod_id": pod_id, "reason": "maintenance"});
    let stopped: Value = app
        .post_with("/api/v2/admin/pod/stop", &body, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stopped["pod"]["status"], "POD_STATUS_STOPPED", "{stopped}");
    assert_eq!(
        stopped["pod"]["subscription_status"],
        "SUBSCRIPTION_STATUS_SUSPENDED"
    );
    assert_eq!(ecs.task(&arn).await.last_status(), Some("STOPPED"));
    let again = app
        .post_with("/api/v2/admin/pod/stop", &body, Some(&admin))
        .await;
    assert_eq!(again.status(), 200);

    // Started again, the new task never gets an address: the timeout stops it and fails the pod.
    let started: Value = app
        .post_with(
            "/api/v2/admin/pod/start",
            &json!({"pod_id": pod_id}),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let second = started["pod"]["task_arn"].as_str().unwrap().to_owned();
    // Not running again until the new task runs.
    assert_eq!(
        started["pod"]["subscription_status"],
        "SUBSCRIPTION_STATUS_PROVISIONING"
    );
    app.clock.advance(Duration::minutes(11));
    assert_eq!(app.pods.reconcile_once().await.unwrap().failed, 1);
    let pod = get_pod(&app, &admin, &pod_id).await;
    assert_eq!(pod["status"], "POD_STATUS_FAILED");
    assert_eq!(pod["subscription_status"], "SUBSCRIPTION_STATUS_FAILED");
    assert!(
        pod["status_reason"]
            .as_str()
            .unwrap()
            .starts_with("provisioning timed out after 10 minutes"),
        "{pod}"
    );
    assert_eq!(ecs.task(&second).await.last_status(), Some("STOPPED"));
}
