//! Typed configuration, loaded once at start: built-in defaults, then an optional TOML file
//! (`GPUBROKER_CONFIG`, or `gpubroker.toml` when present), then `GPUBROKER__SECTION__KEY`
//! environment variables; `DATABASE_URL` is honoured too. This is the only module that reads the
//! environment. Tests build [`Settings`] in code.

use std::{net::SocketAddr, path::PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Everything the service can be told.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub deployment: DeploymentSettings,
    pub log: LogSettings,
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
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 64 * 1024,
            migrate_on_start: true,
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
        let settings: Settings = config::Config::builder()
            .add_source(config::File::with_name(&file).required(explicit_file))
            .add_source(
                config::Environment::with_prefix("GPUBROKER")
                    .prefix_separator("__")
                    .separator("__"),
            )
            .set_override_option("database.url", std::env::var("DATABASE_URL").ok())?
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
