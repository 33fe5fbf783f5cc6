//! The use cases wired from settings: stores, senders, drivers and clients chosen by
//! configuration (shared by the server and the operator commands).

use super::*;

/// The use cases wired from settings (shared by the server and the operator commands).
pub struct Core {
    pub db: DatabaseConnection,
    pub emails: EmailQueue,
    pub phone: PhoneVerification,
    pub email: Arc<dyn EmailSender>,
    pub payments: Payments,
    pub subscriptions: Subscriptions,
    pub auth: Auth,
    pub views: AdminViews,
    pub pods: Pods,
    pub budgets: Budgets,
    pub agents: Agents,
    pub default_mode: PaymentMode,
    /// What one pod reserves (ECS CPU units, MiB), from the cost settings.
    pub cpu_units: i32,
    pub memory_mib: i32,
}

impl Core {
    pub async fn build(settings: &Settings, overrides: &Overrides) -> anyhow::Result<Self> {
        let db = persistence::connect(&settings.database)
            .await
            .context("cannot connect to the database")?;
        if settings.server.migrate_on_start {
            persistence::migrate(&db)
                .await
                .context("cannot apply database migrations")?;
        }
        let clock = overrides.clock.clone();
        let default_mode = PaymentMode::from(settings.subscriptions.default_mode);
        let email_dir = settings
            .email
            .outbox_dir
            .clone()
            .unwrap_or_else(|| settings.database.data_dir.join("outbox"));
        // Loaded once, and only when some channel uses AWS (the embedded default does not).
        let aws = if settings.email.provider == EmailProvider::Ses
            || settings.sms.provider == SmsProvider::Sns
            || settings.pods.driver == PodDriverChoice::Ecs
        {
            Some(aws_config(&settings.aws).await)
        } else {
            None
        };
        let email: Arc<dyn EmailSender> =
            if let (true, Some(aws)) = (settings.email.provider == EmailProvider::Ses, &aws) {
                Arc::new(SesEmailSender {
                    client: aws_sdk_sesv2::Client::new(aws),
                    from: settings.email.from.clone(),
                })
            } else {
                Arc::new(FileEmailSender {
                    dir: email_dir,
                    from: settings.email.from.clone(),
                })
            };
        let emails = EmailQueue::new(db.clone(), email.clone(), clock.clone());
        let redis = match &settings.redis.url {
            Some(url) => Some(
                crate::persistence::redis::connect(secrecy::ExposeSecret::expose_secret(url))
                    .await
                    .context("redis.url (REDIS_URL): cannot connect to Redis")?,
            ),
            None => None,
        };
        let a = &settings.auth;
        let jwt_secret = a.jwt_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "auth.jwt_secret is not set: using a random key; admin tokens end with this process"
            );
            SecretString::from(crate::domain::secrets::new_secret(""))
        });
        if let Some(warning) = settings.llm_unreachable_by_pods() {
            tracing::warn!("{warning}");
        }
        let pricing = settings.costs.pricing()?;
        let cpu_units =
            i32::try_from((pricing.vcpu * rust_decimal::Decimal::from(1024)).round()).unwrap_or(0);
        let memory_mib =
            i32::try_from((pricing.memory_gb * rust_decimal::Decimal::from(1024)).round())
                .unwrap_or(0);
        let pods = Pods::new(
            db.clone(),
            pod_driver(settings, aws.as_ref(), cpu_units, memory_mib),
            emails.clone(),
            clock.clone(),
            settings.pod_service(pricing.clone(), derived_key(&jwt_secret, "pod-token")),
        );
        let (otp_store, attempts): (Arc<dyn OtpStore>, Arc<dyn AttemptCounter>) = match &redis {
            Some(connection) => (
                Arc::new(RedisOtpStore::with_connection(
                    connection.clone(),
                    &settings.redis.key_prefix,
                )),
                Arc::new(RedisAttemptCounter {
                    connection: connection.clone(),
                    prefix: settings.redis.key_prefix.clone(),
                }),
            ),
            None => (
                Arc::new(InProcessOtpStore::default()),
                Arc::new(SqlAttemptCounter { db: db.clone() }),
            ),
        };
        let subscriptions = Subscriptions::new(
            db.clone(),
            settings.plans.catalogue(),
            Arc::new(pods.clone()),
            emails.clone(),
            clock.clone(),
            settings.subscription_service(),
            attempts.clone(),
        );
        let otp_pepper = derived_key(&jwt_secret, "otp");
        let auth = Auth::new(
            db.clone(),
            clock.clone(),
            attempts,
            PasswordWork::new(a.password_parallel, a.password_queue),
            a.service(jwt_secret),
        )?;
        // One TLS backend for every HTTPS client (PayPal now, AWS later); ring needs no C toolchain
        // beyond cc. Installing twice (tests build several servers) is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let p = &settings.paypal;
        let paypal = match (&p.client_id, &p.client_secret) {
            (Some(client_id), Some(client_secret)) => Some(Arc::new(
                PaypalClient::new(PaypalConfig {
                    base_url: p.base_url(),
                    client_id: client_id.clone(),
                    client_secret: client_secret.clone(),
                    timeout: std::time::Duration::from_secs(p.timeout_secs),
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            )),
            _ => {
                tracing::info!(
                    "PayPal credentials not set: paid plans cannot be paid on this server"
                );
                None
            }
        };
        let webhooks = match &p.webhook_id {
            Some(webhook_id) => Some(Arc::new(webhook_verifier(p, webhook_id)?)),
            None => {
                tracing::info!("paypal.webhook_id not set: PayPal webhooks are refused");
                None
            }
        };
        let payments = Payments::new(
            db.clone(),
            paypal,
            webhooks,
            subscriptions.clone(),
            clock.clone(),
            p.service(),
        );
        let phone = PhoneVerification::new(
            otp_store,
            sms_sender(settings, aws.as_ref()),
            clock.clone(),
            OtpPolicy::default(),
            otp_pepper,
        );
        // Only signups check phone proofs; payments keep the plain handle.
        let subscriptions = if settings.subscriptions.require_phone_verification {
            subscriptions.with_phone_verification(phone.clone())
        } else {
            subscriptions
        };
        let b = &settings.budgets;
        let budgets = Budgets::new(
            db.clone(),
            clock.clone(),
            emails.clone(),
            b.service(settings.email.vendor_to.clone(), settings.plans.catalogue()),
        );
        let agents = Agents::new(db.clone(), clock.clone(), b.agents());
        let views = AdminViews::new(db.clone(), pricing, settings.costs.other_monthly_cents);
        Ok(Self {
            db,
            emails,
            phone,
            email,
            payments,
            subscriptions,
            auth,
            views,
            pods,
            budgets,
            agents,
            default_mode,
            cpu_units,
            memory_mib,
        })
    }
}

/// A key for one purpose derived from the server secret (one secret to configure, many uses).
pub(super) fn derived_key(secret: &SecretString, purpose: &str) -> String {
    crate::domain::secrets::sha256_hex(
        format!(
            "{purpose}\n{}",
            secrecy::ExposeSecret::expose_secret(secret)
        )
        .as_bytes(),
    )
}

/// The pod driver the settings choose: ECS Fargate, or local processes (embedded default).
pub(super) fn pod_driver(
    settings: &Settings,
    aws: Option<&aws_config::SdkConfig>,
    cpu_units: i32,
    memory_mib: i32,
) -> Arc<dyn PodDriver> {
    let p = &settings.pods;
    if let (true, Some(aws)) = (p.driver == PodDriverChoice::Ecs, aws) {
        Arc::new(EcsDriver {
            ecs: aws_sdk_ecs::Client::new(aws),
            ec2: aws_sdk_ec2::Client::new(aws),
            cloudwatch: aws_sdk_cloudwatch::Client::new(aws),
            settings: EcsSettings {
                cluster: p.ecs.cluster.clone(),
                task_definition: p.ecs.task_definition.clone(),
                container_name: p.ecs.container_name.clone(),
                subnets: p.ecs.subnets.clone(),
                security_groups: p.ecs.security_groups.clone(),
                assign_public_ip: p.ecs.assign_public_ip,
                pod_domain: settings.subscriptions.pod_domain.clone(),
                metrics_namespace: p.ecs.metrics_namespace.clone(),
                cpu_units,
                memory_mib,
            },
        })
    } else {
        Arc::new(LocalDriver::new(
            p.local.command.clone(),
            settings.database.data_dir.join("pods"),
            StopPolicy {
                grace: std::time::Duration::from_secs(p.local.stop_grace_secs),
                kill_command: p.local.kill_command.clone(),
            },
        ))
    }
}

/// The shared AWS configuration: region, optional endpoint (moto) and static credentials.
pub async fn aws_config(settings: &crate::config::AwsSettings) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(settings.region.clone()));
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    // A request path never waits long on AWS: a slow call is UNAVAILABLE, not a hang.
    loader = loader.timeout_config(
        aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(std::time::Duration::from_secs(3))
            .operation_attempt_timeout(std::time::Duration::from_secs(10))
            .operation_timeout(std::time::Duration::from_secs(25))
            .build(),
    );
    if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
        loader = loader.credentials_provider(aws_sdk_sns::config::Credentials::new(
            id,
            secrecy::ExposeSecret::expose_secret(secret),
            None,
            None,
            "gpubroker-config",
        ));
    }
    loader.load().await
}

/// SMS through SNS, or the local log in the embedded default.
pub(super) fn sms_sender(
    settings: &Settings,
    aws: Option<&aws_config::SdkConfig>,
) -> Arc<dyn SmsSender> {
    if let (true, Some(aws)) = (settings.sms.provider == SmsProvider::Sns, aws) {
        Arc::new(SnsSmsSender {
            client: aws_sdk_sns::Client::new(aws),
        })
    } else {
        Arc::new(FileSmsSender {
            dir: settings.database.data_dir.join("outbox"),
        })
    }
}

/// The webhook verifier: allowed hosts, trusted CAs (configured bundle or the system one).
pub(super) fn webhook_verifier(
    p: &crate::config::PaypalSettings,
    webhook_id: &str,
) -> anyhow::Result<PaypalWebhookVerifier> {
    let ca_file = p
        .webhook_ca_file
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("/etc/ssl/certs/ca-certificates.crt"));
    let bundle = std::fs::read_to_string(&ca_file)
        .with_context(|| format!("paypal.webhook_ca_file: cannot read {}", ca_file.display()))?;
    let trusted = anchors_from_bundle(&bundle);
    anyhow::ensure!(
        !trusted.is_empty(),
        "paypal.webhook_ca_file: no certificate in {}",
        ca_file.display()
    );
    let fetcher = HttpsCertFetcher::new(
        std::time::Duration::from_secs(p.timeout_secs),
        p.webhook_cert_fetch_base.clone(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(PaypalWebhookVerifier::new(
        webhook_id,
        CertPolicy {
            allowed_hosts: p
                .webhook_cert_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            trusted,
        },
        Arc::new(fetcher),
    ))
}
