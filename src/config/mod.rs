//! Typed configuration, loaded once at start: built-in defaults, then an optional TOML file
//! (`GPUBROKER_CONFIG`, or `gpubroker.toml` when present), then `GPUBROKER__SECTION__KEY`
//! environment variables; `DATABASE_URL` is honoured too. This is the only module that reads the
//! environment. Tests build [`Settings`] in code.

pub mod llm;
mod sections;
mod services;
pub use sections::*;

use std::{net::SocketAddr, path::PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// A closed choice read from configuration: lower-case names, anything else refused at load with
/// the setting named (by the config crate's error).
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice!(
    /// Where pods run: local processes (the embedded default) or AWS ECS Fargate.
    PodDriverChoice { Local = "local", Ecs = "ecs" }
);
choice!(
    /// Where email goes: `.eml` files (the embedded default) or AWS SES v2.
    EmailProvider { File = "file", Ses = "ses" }
);
choice!(
    /// Where SMS go: a log file (the embedded default) or AWS SNS.
    SmsProvider { Log = "log", Sns = "sns" }
);
choice!(
    /// PayPal's sandbox or live environment.
    ModeChoice { Sandbox = "sandbox", Live = "live" }
);

impl From<ModeChoice> for crate::domain::mode::PaymentMode {
    fn from(mode: ModeChoice) -> Self {
        match mode {
            ModeChoice::Sandbox => Self::Sandbox,
            ModeChoice::Live => Self::Live,
        }
    }
}

/// Everything the service can be told.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub deployment: DeploymentSettings,
    pub log: LogSettings,
    pub auth: AuthConfig,
    pub subscriptions: SubscriptionConfig,
    pub plans: PlansConfig,
    pub costs: CostsConfig,
    pub email: EmailConfig,
    pub paypal: PaypalSettings,
    pub redis: RedisSettings,
    pub aws: AwsSettings,
    pub sms: SmsSettings,
    pub pods: PodsConfig,
    pub budgets: BudgetsConfig,
    pub events: EventsConfig,
    pub llm: llm::LlmConfig,
}

/// A setting that could not be read or does not make sense.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {setting} {problem}")]
    Invalid {
        setting: &'static str,
        problem: String,
    },
}

impl Settings {
    /// Loads defaults, the optional file and the environment, then validates.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var("GPUBROKER_CONFIG").unwrap_or_else(|_| "gpubroker.toml".into());
        let explicit_file = std::env::var_os("GPUBROKER_CONFIG").is_some();
        let mut builder = config::Config::builder();
        // Each plan's defaults are its own (no single `PlanConfig::default`): seeded per field, so
        // setting one field of a plan keeps the others.
        let plans = PlansConfig::default();
        for (name, plan) in [
            ("trial", plans.trial),
            ("basic", plans.basic),
            ("pro", plans.pro),
            ("corp", plans.corp),
            ("enterprise", plans.enterprise),
        ] {
            builder = builder
                .set_default(format!("plans.{name}.price_cents"), plan.price_cents)?
                .set_default(format!("plans.{name}.token_limit"), plan.token_limit)?;
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let settings: Settings = builder
            .add_source(config::File::with_name(&file).required(explicit_file))
            .add_source(
                config::Environment::with_prefix("GPUBROKER")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("auth.trusted_proxies")
                    .with_list_parse_key("server.cors_origins")
                    .with_list_parse_key("paypal.webhook_cert_hosts")
                    .with_list_parse_key("pods.ecs.subnets")
                    .with_list_parse_key("pods.ecs.security_groups"),
            )
            // The conventional names, as documented beside each setting.
            .set_override_option("database.url", env("DATABASE_URL"))?
            .set_override_option("redis.url", env("REDIS_URL"))?
            .set_override_option("events.kafka_brokers", env("KAFKA_BROKERS"))?
            .set_override_option("paypal.mode", env("PAYPAL_MODE"))?
            .set_override_option("paypal.client_id", env("PAYPAL_CLIENT_ID"))?
            .set_override_option("paypal.client_secret", env("PAYPAL_CLIENT_SECRET"))?
            .set_override_option("paypal.webhook_id", env("PAYPAL_WEBHOOK_ID"))?
            .set_override_option("aws.region", env("AWS_REGION"))?
            .set_override_option("log.filter", env("RUST_LOG"))?
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.server.max_body_bytes == 0 {
            return Err(invalid("server.max_body_bytes", "must be greater than 0"));
        }
        if !(1..=1000).contains(&self.pods.reconcile_page_size) {
            return Err(invalid(
                "pods.reconcile_page_size",
                "must be between 1 and 1000",
            ));
        }
        for origin in &self.server.cors_origins {
            crate::http::cors::check_origin(origin)
                .map_err(|e| invalid("server.cors_origins", e))?;
        }
        if self.database.max_connections == 0 {
            return Err(invalid(
                "database.max_connections",
                "must be greater than 0",
            ));
        }
        if let Some(url) = &self.database.url {
            let url = url.expose_secret();
            if !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
            {
                return Err(invalid(
                    "database.url (DATABASE_URL)",
                    "must start with postgres://, postgresql:// or sqlite:",
                ));
            }
        }
        crate::domain::signup::signup_requirements(&self.deployment.country_code)
            .map_err(|e| invalid("deployment.country_code", e.to_string()))?;
        if let Some(secret) = &self.auth.jwt_secret
            && secret.expose_secret().len() < 32
        {
            return Err(invalid("auth.jwt_secret", "must be at least 32 bytes"));
        }
        for (setting, value) in [
            ("auth.access_ttl_secs", self.auth.access_ttl_secs),
            ("auth.refresh_ttl_secs", self.auth.refresh_ttl_secs),
            ("auth.lockout_secs", self.auth.lockout_secs),
            ("auth.ip_window_secs", self.auth.ip_window_secs),
            (
                "subscriptions.activation_ttl_secs",
                self.subscriptions.activation_ttl_secs,
            ),
            (
                "subscriptions.provisioning_timeout_secs",
                self.subscriptions.provisioning_timeout_secs,
            ),
            ("plans.period_days", self.plans.period_days),
            ("pods.stable_after_secs", self.pods.stable_after_secs),
            ("pods.stop_timeout_secs", self.pods.stop_timeout_secs),
            (
                "budgets.default_reservation_ttl_secs",
                self.budgets.default_reservation_ttl_secs,
            ),
            (
                "budgets.max_reservation_ttl_secs",
                self.budgets.max_reservation_ttl_secs,
            ),
            (
                "budgets.session_idle_timeout_secs",
                self.budgets.session_idle_timeout_secs,
            ),
            (
                "budgets.default_review_window_secs",
                self.budgets.default_review_window_secs,
            ),
            (
                "budgets.max_review_window_secs",
                self.budgets.max_review_window_secs,
            ),
            (
                "budgets.max_sessions_per_pod",
                i64::from(self.budgets.max_sessions_per_pod),
            ),
            (
                "subscriptions.unpaid_ttl_secs",
                self.subscriptions.unpaid_ttl_secs,
            ),
        ] {
            if value <= 0 {
                return Err(invalid(setting, "must be greater than 0"));
            }
        }
        if !(0..=100).contains(&self.pods.max_redeploys) {
            return Err(invalid("pods.max_redeploys", "must be between 0 and 100"));
        }
        if self.plans.period_days > 3_650 {
            return Err(invalid("plans.period_days", "must be at most 3650"));
        }
        for (name, plan) in [
            ("plans.trial", &self.plans.trial),
            ("plans.basic", &self.plans.basic),
            ("plans.pro", &self.plans.pro),
            ("plans.corp", &self.plans.corp),
            ("plans.enterprise", &self.plans.enterprise),
        ] {
            if plan.price_cents < 0 || plan.token_limit <= 0 {
                return Err(ConfigError::Invalid {
                    setting: "plans",
                    problem: format!("{name}: price must be ≥ 0 and token_limit > 0"),
                });
            }
        }
        self.costs.pricing()?;
        if self.paypal.client_id.is_some() != self.paypal.client_secret.is_some() {
            return Err(invalid(
                "paypal.client_id / paypal.client_secret",
                "set both (PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET) or neither",
            ));
        }
        match self.pods.driver {
            PodDriverChoice::Local => {
                if self.pods.local.command.trim().is_empty() {
                    return Err(invalid("pods.local.command", "must not be empty"));
                }
            }
            PodDriverChoice::Ecs => {
                if self.pods.ecs.subnets.is_empty() {
                    return Err(invalid("pods.ecs.subnets", "needs at least one subnet"));
                }
                if self.pods.ecs.security_groups.is_empty() {
                    return Err(invalid(
                        "pods.ecs.security_groups",
                        "needs at least one security group",
                    ));
                }
            }
        }
        if self.aws.access_key_id.is_some() != self.aws.secret_access_key.is_some() {
            return Err(invalid(
                "aws.access_key_id / aws.secret_access_key",
                "set both or neither",
            ));
        }
        if self.paypal.timeout_secs == 0 {
            return Err(invalid("paypal.timeout_secs", "must be greater than 0"));
        }
        self.llm
            .validate()
            .map_err(|problem| invalid("[llm]", problem))?;
        Ok(())
    }
}

fn invalid(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        problem: problem.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_embedded() {
        let settings = Settings::default();
        settings.validate().unwrap();
        assert!(settings.database.is_embedded());
        assert_eq!(settings.server.listen.to_string(), "127.0.0.1:8080");
        assert!(
            settings
                .database
                .connection_url()
                .starts_with("sqlite://data")
        );
    }

    #[test]
    fn a_bad_setting_is_named() {
        let mut settings = Settings::default();
        settings.database.url = Some(SecretString::from("mysql://x"));
        let message = settings.validate().unwrap_err().to_string();
        assert!(message.contains("database.url"), "{message}");
        assert!(
            !message.contains("mysql://x"),
            "secrets never appear: {message}"
        );
    }
}
