//! Building and running the application; `main` and the tests use the same path.

mod wiring;
pub use wiring::{Core, aws_config};

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use axum::serve::ListenerExt;
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use tokio::net::TcpListener;

use crate::integrations::paypal::{
    PaypalClient, PaypalConfig,
    webhook::{CertPolicy, HttpsCertFetcher, PaypalWebhookVerifier, anchors_from_bundle},
};
use crate::persistence::leadership::Leadership;
use crate::services::otp::redis::RedisOtpStore;
use crate::{
    config::{EmailProvider, PodDriverChoice, Settings, SmsProvider},
    domain::mode::PaymentMode,
    grpc, http, persistence,
    services::{
        admin_views::AdminViews,
        agents::Agents,
        attempts::{AttemptCounter, RedisAttemptCounter, SqlAttemptCounter},
        auth::Auth,
        budgets::Budgets,
        clock::{Clock, SystemClock},
        email::{EmailSender, FileEmailSender, SesEmailSender},
        email_queue::EmailQueue,
        jobs, lifecycle,
        llm::LlmProxy,
        otp::{
            FileSmsSender, InProcessOtpStore, OtpPolicy, OtpStore, PhoneVerification, SmsSender,
            SnsSmsSender,
        },
        passwords::PasswordWork,
        payments::Payments,
        pods::{
            PodCallers, Pods,
            driver::PodDriver,
            ecs::{EcsDriver, EcsSettings},
            local::{LocalDriver, StopPolicy},
        },
        receipts::Receipts,
        relay::{EventRelay, RelaySettings},
        subscriptions::Subscriptions,
    },
};

/// Dependencies tests may replace.
#[derive(Debug, Clone)]
pub struct Overrides {
    pub clock: Arc<dyn Clock>,
    /// Run the lifecycle job in the background (tests drive it by hand instead).
    pub background_jobs: bool,
}

impl Default for Overrides {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            background_jobs: true,
        }
    }
}

/// A bound, ready-to-serve application.
pub struct Application {
    leadership: Leadership,
    emails: EmailQueue,
    pods: Pods,
    budgets: Budgets,
    agents: Agents,
    relay: Option<EventRelay>,
    llm: Option<LlmProxy>,
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
    subscriptions: Subscriptions,
    payments: Payments,
    auth: Auth,
}

impl Application {
    /// Connects to the database, migrates (unless told not to), wires the services and binds the
    /// listener. Port 0 picks a free port ([`Application::local_addr`] tells which).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with(settings, Overrides::default()).await
    }

    pub async fn build_with(settings: Settings, overrides: Overrides) -> anyhow::Result<Self> {
        let core = Core::build(&settings, &overrides).await?;
        let clock = overrides.clock.clone();
        let guard = grpc::guard::Guard {
            auth: core.auth.clone(),
            trusted_proxies: settings.auth.trusted_proxies.clone(),
        };
        // One per process: the metering proxy and the budget API authenticate pods through it.
        let callers = PodCallers::new(
            core.pods.clone(),
            std::time::Duration::from_millis(settings.llm.caller_cache_ms),
        );
        let services = grpc::Services {
            validation: grpc::validation::ValidationApi::new(
                settings.deployment.country_code.clone(),
                core.phone.clone(),
                core.subscriptions.requires_phone_verification(),
            ),
            subscription: grpc::subscription::SubscriptionApi {
                subscriptions: core.subscriptions.clone(),
                views: core.views.clone(),
                guard: guard.clone(),
                clock: clock.clone(),
                receipts: Receipts {
                    db: core.db.clone(),
                    email: core.email.clone(),
                    clock: clock.clone(),
                },
                pods: core.pods.clone(),
                budgets: core.budgets.clone(),
            },
            auth: grpc::auth::AuthApi {
                guard: guard.clone(),
                default_mode: core.default_mode,
                paypal_configured: core.payments.configured(),
            },
            payment: grpc::payment::PaymentApi {
                payments: core.payments.clone(),
                guard: guard.clone(),
                client_id: settings.paypal.client_id.clone().unwrap_or_default(),
            },
            budget: grpc::budget::BudgetApi {
                guard: guard.clone(),
                budgets: core.budgets.clone(),
                agents: core.agents.clone(),
                pods: core.pods.clone(),
                callers: callers.clone(),
                subscriptions: core.subscriptions.clone(),
                clock: clock.clone(),
            },
            pod: grpc::pod::PodApi {
                guard,
                pods: core.pods.clone(),
                subscriptions: core.subscriptions.clone(),
                clock: clock.clone(),
                cpu_units: core.cpu_units,
                memory_mib: core.memory_mib,
            },
        };
        let (routes, _health) = grpc::routes(services)
            .await
            .context("cannot build the gRPC services")?;
        let gateway_config = gateway::GatewayConfig {
            max_body_bytes: settings.server.max_body_bytes,
            ..gateway::GatewayConfig::default()
        };
        let relay = match &settings.events.kafka_brokers {
            Some(brokers) => {
                let e = &settings.events;
                let relay = EventRelay::new(
                    core.db.clone(),
                    clock.clone(),
                    RelaySettings {
                        brokers: brokers.clone(),
                        topic_prefix: e.topic_prefix.clone(),
                        batch: e.relay_batch.max(1),
                        delivery_timeout: std::time::Duration::from_millis(
                            e.delivery_timeout_ms.max(1_000),
                        ),
                        retention: chrono::Duration::hours(e.retention_hours.max(1)),
                    },
                )
                .map_err(|e| anyhow::anyhow!("events.kafka_brokers: {e}"))?;
                if let Err(error) = relay.ensure_topics().await {
                    tracing::warn!(%error, "cannot create the event topics yet; the relay retries");
                }
                Some(relay)
            }
            None => {
                tracing::info!(
                    "events.kafka_brokers not set: the event relay is off; events stay in the outbox"
                );
                None
            }
        };
        let llm = if settings.llm.enabled {
            let ttl = std::time::Duration::from_secs(
                u64::try_from(settings.budgets.max_reservation_ttl_secs).unwrap_or(900),
            );
            Some(
                LlmProxy::new(
                    settings.llm.clone(),
                    callers.clone(),
                    core.budgets.clone(),
                    ttl,
                )
                .map_err(anyhow::Error::msg)?,
            )
        } else {
            None
        };
        let router = http::router(
            routes,
            core.db.clone(),
            http::Metrics::default(),
            gateway_config,
            relay.clone(),
            &settings.server.cors_origins,
            llm.clone()
                .map(http::llm::router)
                .unwrap_or_default()
                .merge(http::web::router(&settings.subscriptions.pod_domain)),
        );
        let listener = TcpListener::bind(settings.server.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
        let leadership = Leadership::new(&core.db);
        if overrides.background_jobs {
            core.emails.clone().spawn(
                std::time::Duration::from_secs(settings.email.queue_interval_secs.max(1)),
                leadership.clone(),
            );
            if settings.pods.reconciler {
                core.pods.clone().spawn(
                    std::time::Duration::from_secs(settings.pods.reconcile_interval_secs.max(1)),
                    leadership.clone(),
                );
            } else {
                // Another process runs the reconciler and with it any local pods.
                core.pods.set_drives_tasks(false);
            }
            let sweep = std::time::Duration::from_secs(settings.budgets.sweep_interval_secs.max(1));
            let budgets = core.budgets.clone();
            jobs::every("budget sweeper", sweep, leadership.clone(), move || {
                let budgets = budgets.clone();
                async move { budgets.sweep_once().await }
            });
            let agents = core.agents.clone();
            jobs::every("agent sweeper", sweep, leadership.clone(), move || {
                let agents = agents.clone();
                async move { agents.sweep_once().await }
            });
            if let Some(relay) = &relay {
                relay.clone().spawn(
                    std::time::Duration::from_millis(settings.events.relay_idle_ms.max(10)),
                    std::time::Duration::from_millis(settings.events.relay_max_backoff_ms.max(100)),
                );
            }
            if core.payments.configured() {
                let payments = core.payments.clone();
                let every = std::time::Duration::from_secs(
                    settings.subscriptions.lifecycle_interval_secs.max(1),
                );
                jobs::every("owed refunds", every, leadership.clone(), move || {
                    let payments = payments.clone();
                    async move { payments.refund_owed_once().await }
                });
            }
            lifecycle::spawn(
                core.subscriptions.clone(),
                clock,
                std::time::Duration::from_secs(
                    settings.subscriptions.lifecycle_interval_secs.max(1),
                ),
                leadership.clone(),
            );
        }
        Ok(Self {
            leadership,
            emails: core.emails,
            pods: core.pods,
            budgets: core.budgets,
            agents: core.agents,
            relay,
            llm,
            listener,
            router,
            db: core.db,
            subscriptions: core.subscriptions,
            payments: core.payments,
            auth: core.auth,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn subscriptions(&self) -> &Subscriptions {
        &self.subscriptions
    }

    /// The payments service (tests drive the owed-refunds job).
    pub fn payments(&self) -> &Payments {
        &self.payments
    }

    /// The email outbox (tests drive its delivery passes).
    pub fn emails(&self) -> &EmailQueue {
        &self.emails
    }

    /// The budget service (tests drive sweeps).
    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// The event relay, when Kafka is configured (tests drive its passes).
    pub fn relay(&self) -> Option<&EventRelay> {
        self.relay.as_ref()
    }

    /// Agent sessions and decisions (tests drive sweeps).
    pub fn agents(&self) -> &Agents {
        &self.agents
    }

    /// The pod service (tests drive reconciler passes).
    pub fn pods(&self) -> &Pods {
        &self.pods
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!("listening on {}", self.listener.local_addr()?);
        // Small writes (SSE chunks, gRPC stream messages) go out at once: with Nagle's algorithm a
        // chunk can wait ~40 ms for the previous one's delayed ACK.
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY");
            }
        });
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        // Answers already sent may still be settling (a stream read on after a hang-up): their
        // commits finish before the process ends, or their holds would expire uncharged.
        if let Some(llm) = &self.llm {
            llm.settled().await;
        }
        // Hand the jobs over at once, and end the pods this process runs itself (they would die
        // with it anyway); the next leader starts them again.
        self.leadership.resign().await;
        self.pods.release_local_tasks().await;
        served
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
