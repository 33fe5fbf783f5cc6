//! The settings sections, each with its defaults (the embedded default: SQLite, files, no cloud).

use super::*;

/// AWS access (SNS now; ECS and SES with the pods issue). Region and endpoint may also come from
/// the standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, credentials chain).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AwsSettings {
    pub region: String,
    /// Overrides every AWS endpoint (moto in tests and the dev stack).
    pub endpoint_url: Option<String>,
    /// Static credentials (moto, tests). Unset: the default AWS credentials chain.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
}

impl Default for AwsSettings {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            endpoint_url: None,
            access_key_id: None,
            secret_access_key: None,
        }
    }
}

/// Publishing domain events to Kafka from the outbox. Unset brokers: the relay is off and events
/// stay queryable in the outbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// `host:port[,host:port]` (also `KAFKA_BROKERS`).
    pub kafka_brokers: Option<String>,
    /// Topics are `<prefix><aggregate>s`.
    pub topic_prefix: String,
    /// Rows per relay pass.
    pub relay_batch: u64,
    /// Pause between passes when there is nothing to publish.
    pub relay_idle_ms: u64,
    /// Longest pause while Kafka fails.
    pub relay_max_backoff_ms: u64,
    /// How long the broker may take to acknowledge an event before the pass counts it failed.
    pub delivery_timeout_ms: u64,
    /// Published events are deleted from the outbox after this many hours.
    pub retention_hours: i64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            kafka_brokers: None,
            topic_prefix: "gpubroker.".into(),
            relay_batch: 500,
            relay_idle_ms: 200,
            relay_max_backoff_ms: 30_000,
            delivery_timeout_ms: 10_000,
            retention_hours: 7 * 24,
        }
    }
}

/// Agent token budgets.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetsConfig {
    /// Lifetime of a reservation whose caller names none.
    pub default_reservation_ttl_secs: i64,
    /// The longest lifetime a caller may ask for.
    pub max_reservation_ttl_secs: i64,
    /// Seconds between sweeps of expired reservations, idle sessions and overdue proposals.
    pub sweep_interval_secs: u64,
    /// Active agent sessions a pod may hold at once.
    pub max_sessions_per_pod: i32,
    /// A session without activity for this long is terminated.
    pub session_idle_timeout_secs: i64,
    /// How long a proposed decision waits for review when the agent names no window.
    pub default_review_window_secs: i64,
    pub max_review_window_secs: i64,
}

impl Default for BudgetsConfig {
    fn default() -> Self {
        Self {
            default_reservation_ttl_secs: 300,
            max_reservation_ttl_secs: 900,
            sweep_interval_secs: 5,
            max_sessions_per_pod: 10,
            session_idle_timeout_secs: 30 * 60,
            default_review_window_secs: 24 * 3600,
            max_review_window_secs: 7 * 24 * 3600,
        }
    }
}

/// How pods run: `local` (the embedded default: a command per pod) or `ecs` (Fargate tasks).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PodsConfig {
    pub driver: PodDriverChoice,
    /// Run the reconciler in this process. With several replicas on one PostgreSQL database one
    /// of them leads it at a time (an advisory lock; another takes over when it dies), and local
    /// pods run in the leader. `false`: this process never reconciles nor runs local pods.
    pub reconciler: bool,
    /// Lost tasks (a restart, a dead ECS task) replaced automatically before the pod fails.
    pub max_redeploys: i32,
    /// Seconds a pod must have run for a later loss to start the redeploy count afresh.
    pub stable_after_secs: i64,
    /// Seconds a task may take to stop after the request before the pod is marked failed.
    pub stop_timeout_secs: i64,
    /// Seconds between reconciler passes (requests wake it sooner).
    pub reconcile_interval_secs: u64,
    /// Pods read per query by a reconciler pass (a pass pages through all of them).
    pub reconcile_page_size: u64,
    /// Given to every pod as `GPUBROKER_BUDGET_URL`.
    pub budget_url: String,
    pub local: LocalPodsConfig,
    pub ecs: EcsPodsConfig,
}

impl Default for PodsConfig {
    fn default() -> Self {
        Self {
            driver: PodDriverChoice::Local,
            reconciler: true,
            max_redeploys: 3,
            stable_after_secs: 3600,
            stop_timeout_secs: 900,
            reconcile_interval_secs: 10,
            reconcile_page_size: 200,
            budget_url: "http://127.0.0.1:8080/api/v2/agent".into(),
            local: LocalPodsConfig::default(),
            ecs: EcsPodsConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocalPodsConfig {
    /// Program and arguments, split on whitespace; `{pod_id}` and `{port}` are substituted, a
    /// word `{env}` becomes `-e NAME` for each variable of the pod's environment, and that
    /// environment (POD_ID, PLAN, GPUBROKER_BUDGET_URL, GPUBROKER_POD_TOKEN and Agent Zero's
    /// model settings pointing at the LLM proxy) is set.
    pub command: String,
    /// Run when a pod has not ended `stop_grace_secs` after SIGTERM, before the process is
    /// killed (`{pod_id}` substituted; empty: none). SIGKILL ends only a `docker run` client,
    /// not its container: the default removes the container.
    pub kill_command: String,
    /// Seconds a pod gets to end after SIGTERM.
    pub stop_grace_secs: u64,
}

impl Default for LocalPodsConfig {
    fn default() -> Self {
        Self {
            command: crate::services::pods::local::DEFAULT_COMMAND.into(),
            kill_command: crate::services::pods::local::DEFAULT_KILL_COMMAND.into(),
            stop_grace_secs: 10,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EcsPodsConfig {
    pub cluster: String,
    /// `family` or `family:revision` (FARGATE, awsvpc, container-level memory).
    pub task_definition: String,
    /// The container that receives the pod's environment.
    pub container_name: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
    /// CloudWatch namespace of per-task metrics (Container Insights).
    pub metrics_namespace: String,
}

impl Default for EcsPodsConfig {
    fn default() -> Self {
        Self {
            cluster: "gpubroker".into(),
            task_definition: "gpubroker-agent-zero".into(),
            container_name: "agent-zero".into(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            assign_public_ip: true,
            metrics_namespace: "ECS/ContainerInsights".into(),
        }
    }
}

/// Where SMS go: `log` (the embedded default: `<data_dir>/outbox/sms.log`) or `sns`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsSettings {
    pub provider: SmsProvider,
}

impl Default for SmsSettings {
    fn default() -> Self {
        Self {
            provider: SmsProvider::Log,
        }
    }
}

/// Redis for counters and one-time codes. Unset: in-process state (embedded default).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://host:port/db` (also `REDIS_URL`).
    pub url: Option<SecretString>,
    /// Prepended to every key (several deployments or tests can share one server).
    pub key_prefix: String,
}

impl Default for RedisSettings {
    fn default() -> Self {
        Self {
            url: None,
            key_prefix: "gpubroker:".into(),
        }
    }
}

/// PayPal REST v2. Payments are disabled (FAILED_PRECONDITION) until both credentials are set.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaypalSettings {
    /// `sandbox` or `live` (also `PAYPAL_MODE`): picks the API host.
    pub mode: ModeChoice,
    /// Also `PAYPAL_CLIENT_ID`.
    pub client_id: Option<String>,
    /// Also `PAYPAL_CLIENT_SECRET`.
    pub client_secret: Option<SecretString>,
    /// Overrides the API host (tests point it at the emulator).
    pub base_url: Option<String>,
    pub timeout_secs: u64,
    /// Where PayPal sends the buyer after approving or cancelling.
    pub return_url: String,
    pub cancel_url: String,
    /// The webhook id PayPal signs deliveries for. Unset: the webhook endpoint refuses all.
    pub webhook_id: Option<String>,
    /// Hosts (and subdomains) webhook certificates may come from and be issued to.
    pub webhook_cert_hosts: Vec<String>,
    /// PEM bundle of CAs trusted for webhook certificates. Unset: the system bundle.
    pub webhook_ca_file: Option<PathBuf>,
    /// Test seam: fetch certificates from this base instead of the (allow-listed) PayPal host.
    pub webhook_cert_fetch_base: Option<String>,
}

impl Default for PaypalSettings {
    fn default() -> Self {
        Self {
            mode: ModeChoice::Sandbox,
            client_id: None,
            client_secret: None,
            base_url: None,
            timeout_secs: 15,
            return_url: "http://127.0.0.1:8080/checkout/return".into(),
            cancel_url: "http://127.0.0.1:8080/checkout/cancel".into(),
            webhook_id: None,
            webhook_cert_hosts: vec!["paypal.com".into()],
            webhook_ca_file: None,
            webhook_cert_fetch_base: None,
        }
    }
}

impl PaypalSettings {
    /// The API host for the mode, unless overridden.
    pub fn base_url(&self) -> String {
        self.base_url.clone().unwrap_or_else(|| {
            if self.mode == ModeChoice::Live {
                "https://api-m.paypal.com".into()
            } else {
                "https://api-m.sandbox.paypal.com".into()
            }
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// HMAC key for admin JWTs (≥ 32 bytes). Unset: a random key per process, so tokens do not
    /// survive a restart or work across processes — set it in production.
    pub jwt_secret: Option<SecretString>,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub max_failed_logins: i32,
    pub lockout_secs: i64,
    pub ip_max_failures: u64,
    pub ip_window_secs: i64,
    /// Proxies (IP addresses) whose `X-Forwarded-For` is believed, e.g. the load balancer.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Password hashes (argon2id, ~19 MiB each) running at once; more wait in a queue of
    /// `password_queue`, and beyond it a login is refused with a retry hint.
    pub password_parallel: usize,
    pub password_queue: usize,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 7 * 24 * 3600,
            max_failed_logins: 5,
            lockout_secs: 15 * 60,
            ip_max_failures: 20,
            ip_window_secs: 15 * 60,
            trusted_proxies: Vec::new(),
            password_parallel: 2,
            password_queue: 32,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubscriptionConfig {
    pub activation_ttl_secs: i64,
    pub provisioning_timeout_secs: i64,
    /// A paid subscription still waiting for payment after this long is expired.
    pub unpaid_ttl_secs: i64,
    pub pod_domain: String,
    /// Base URL of the customer-facing site (activation links in emails).
    pub public_base_url: String,
    /// How often the lifecycle job runs (expiry, provisioning timeouts).
    pub lifecycle_interval_secs: u64,
    /// Payment mode new subscriptions are recorded in until an admin switches it.
    pub default_mode: ModeChoice,
    /// Signups from a country that requires a tax id (Ecuador) must also prove their phone
    /// (SendPhoneOtp/VerifyPhoneOtp → phone_verification_token).
    pub require_phone_verification: bool,
}

impl Default for SubscriptionConfig {
    fn default() -> Self {
        Self {
            activation_ttl_secs: 24 * 3600,
            provisioning_timeout_secs: 10 * 60,
            unpaid_ttl_secs: 7 * 24 * 3600,
            pod_domain: "gpubroker.site".into(),
            public_base_url: "http://127.0.0.1:8080".into(),
            lifecycle_interval_secs: 30,
            default_mode: ModeChoice::Sandbox,
            require_phone_verification: false,
        }
    }
}

/// Price (US cents per period) and tokens of each plan; defaults are SPEC §5.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlansConfig {
    pub period_days: i64,
    pub trial: PlanConfig,
    pub basic: PlanConfig,
    pub pro: PlanConfig,
    pub corp: PlanConfig,
    pub enterprise: PlanConfig,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    pub price_cents: i64,
    pub token_limit: i64,
}

impl Default for PlansConfig {
    fn default() -> Self {
        let catalogue = crate::domain::plan::PlanCatalogue::default();
        let plan = |p| {
            let terms = catalogue.terms(p);
            PlanConfig {
                price_cents: terms.price_cents,
                token_limit: terms.token_limit,
            }
        };
        use crate::domain::plan::Plan;
        Self {
            period_days: catalogue.period_days,
            trial: plan(Plan::Trial),
            basic: plan(Plan::Basic),
            pro: plan(Plan::Pro),
            corp: plan(Plan::Corp),
            enterprise: plan(Plan::Enterprise),
        }
    }
}

impl PlansConfig {
    pub fn catalogue(&self) -> crate::domain::plan::PlanCatalogue {
        let terms = |p: &PlanConfig| crate::domain::plan::PlanTerms {
            price_cents: p.price_cents,
            token_limit: p.token_limit,
        };
        crate::domain::plan::PlanCatalogue::new(
            [
                terms(&self.trial),
                terms(&self.basic),
                terms(&self.pro),
                terms(&self.corp),
                terms(&self.enterprise),
            ],
            self.period_days,
        )
    }
}

/// Fargate prices (decimal strings, USD) and fixed monthly costs.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostsConfig {
    pub vcpu_hour_usd: String,
    pub gb_hour_usd: String,
    pub pod_vcpu: String,
    pub pod_memory_gb: String,
    pub other_monthly_cents: i64,
}

impl Default for CostsConfig {
    fn default() -> Self {
        Self {
            vcpu_hour_usd: "0.04048".into(),
            gb_hour_usd: "0.004445".into(),
            pod_vcpu: "0.25".into(),
            pod_memory_gb: "0.5".into(),
            other_monthly_cents: 1_000,
        }
    }
}

impl CostsConfig {
    pub fn pricing(&self) -> Result<crate::domain::costs::FargatePricing, ConfigError> {
        let parse = |setting: &'static str, value: &str| {
            value
                .parse::<rust_decimal::Decimal>()
                .ok()
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| {
                    invalid(
                        setting,
                        format!("must be a non-negative decimal, got {value:?}"),
                    )
                })
        };
        Ok(crate::domain::costs::FargatePricing {
            vcpu_hour_usd: parse("costs.vcpu_hour_usd", &self.vcpu_hour_usd)?,
            gb_hour_usd: parse("costs.gb_hour_usd", &self.gb_hour_usd)?,
            vcpu: parse("costs.pod_vcpu", &self.pod_vcpu)?,
            memory_gb: parse("costs.pod_memory_gb", &self.pod_memory_gb)?,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// `file` (the embedded default: `.eml` files) or `ses` (AWS SES v2).
    pub provider: EmailProvider,
    pub from: String,
    /// Where the embedded sender writes `.eml` files. Unset: `<data_dir>/outbox`.
    pub outbox_dir: Option<PathBuf>,
    /// Receives a notice of every new sale (unset: no notice).
    pub vendor_to: Option<String>,
    /// Seconds between passes of the email queue (retries of failed sends).
    pub queue_interval_secs: u64,
}

impl Default for EmailConfig {
    fn default() -> Self {
        Self {
            provider: EmailProvider::File,
            from: "GPUBROKER <no-reply@gpubroker.site>".into(),
            outbox_dir: None,
            vendor_to: None,
            queue_interval_secs: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address for native gRPC, gRPC-web and REST (one port).
    pub listen: SocketAddr,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// Browser origins (`https://app.example.com`) allowed to call REST and gRPC-web from another
    /// origin; `*` allows any. Empty: same-origin only (no CORS headers).
    pub cors_origins: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 64 * 1024,
            migrate_on_start: true,
            cors_origins: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://…` or `sqlite://…`. Unset: the embedded SQLite file under `data_dir`.
    pub url: Option<SecretString>,
    /// Where the embedded default keeps its files.
    pub data_dir: PathBuf,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            data_dir: PathBuf::from("data"),
            max_connections: 16,
        }
    }
}

impl DatabaseSettings {
    /// The connection URL: the configured one, or the embedded SQLite file.
    pub fn connection_url(&self) -> String {
        match &self.url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("gpubroker.db").display()
            ),
        }
    }

    pub fn is_embedded(&self) -> bool {
        self.url.is_none()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeploymentSettings {
    /// Country whose signup rules apply when a request names none (ISO 3166-1 alpha-2).
    pub country_code: String,
}

impl Default for DeploymentSettings {
    fn default() -> Self {
        Self {
            country_code: "EC".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing_subscriber::EnvFilter` directive; `RUST_LOG` wins when set.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".to_owned(),
        }
    }
}
