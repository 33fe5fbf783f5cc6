//! Building and running the application; `main` and the tests use the same path.

use std::{future::Future, net::SocketAddr};

use anyhow::Context;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::{config::Settings, grpc, http, persistence};

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
}

impl Application {
    /// Connects to the database, migrates (unless told not to), wires the services and binds the
    /// listener. Port 0 picks a free port ([`Application::local_addr`] tells which).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = persistence::connect(&settings.database)
            .await
            .context("cannot connect to the database")?;
        if settings.server.migrate_on_start {
            persistence::migrate(&db)
                .await
                .context("cannot apply database migrations")?;
        }
        let services = grpc::Services {
            validation: grpc::validation::ValidationApi::new(
                settings.deployment.country_code.clone(),
            ),
        };
        let (routes, _health) = grpc::routes(services)
            .await
            .context("cannot build the gRPC services")?;
        let gateway_config = gateway::GatewayConfig {
            max_body_bytes: settings.server.max_body_bytes,
            ..gateway::GatewayConfig::default()
        };
        let router = http::router(routes, db.clone(), http::Metrics::default(), gateway_config);
        let listener = TcpListener::bind(settings.server.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
        Ok(Self {
            listener,
            router,
            db,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!("listening on {}", self.listener.local_addr()?);
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
