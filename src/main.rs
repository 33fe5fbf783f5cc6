//! `gpubroker`: the control-plane server and its operator commands.

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gpubroker::{
    config::Settings,
    domain::role::Role,
    persistence,
    services::audit::{self, RequestOrigin, Verification},
    startup::{self, Core, Overrides},
    telemetry,
};

#[derive(Parser)]
#[command(version, about = "GPUBROKER control plane")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve gRPC, gRPC-web and the REST gateway on one port (the default command).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or server.listen).
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Do not apply pending migrations at start.
        #[arg(long)]
        no_migrate: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the settings the server would run with (secrets redacted) and exit.
    Config,
    /// Admin users.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Domain events in the outbox (where they stay when no Kafka is configured).
    Events {
        #[command(subcommand)]
        command: EventsCommand,
    },
}

#[derive(Subcommand)]
enum EventsCommand {
    /// Print the newest events: sequence, type, aggregate, when written, when published.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Print the dead-lettered events (set aside: the broker could never take them) with their
    /// last error.
    Dead {
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Put a dead-lettered event back in the queue (after fixing what made it fail).
    Requeue {
        /// The event's sequence number (from `events dead`).
        seq: i64,
    },
    /// Follow a Kafka topic and print each event decoded (one JSON line per event).
    Tail {
        /// e.g. gpubroker.subscriptions
        #[arg(long)]
        topic: String,
        /// Brokers (default: events.kafka_brokers / KAFKA_BROKERS).
        #[arg(long)]
        brokers: Option<String>,
        /// Start at the oldest event instead of only new ones.
        #[arg(long)]
        from_beginning: bool,
        /// Exit after this many events.
        #[arg(long)]
        max: Option<usize>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin user (e.g. the first super admin). The password is read from
    /// GPUBROKER_ADMIN_PASSWORD, or else from the first line of standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// viewer, admin or super_admin.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every row's hash chain; exits non-zero if a row was edited or deleted.
    Verify,
}

fn main() -> anyhow::Result<()> {
    gpubroker::memory::tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::load()?;
    telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve {
        listen: None,
        no_migrate: false,
    }) {
        Command::Serve { listen, no_migrate } => {
            if let Some(listen) = listen {
                settings.server.listen = listen;
            }
            if no_migrate {
                settings.server.migrate_on_start = false;
            }
            let app = startup::Application::build(settings).await?;
            gpubroker::memory::spawn_trimmer(std::time::Duration::from_secs(10));
            app.run_until_stopped(startup::shutdown_signal()).await?;
        }
        Command::Config => println!("{settings:#?}"),
        Command::Migrate => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            persistence::migrate(&db)
                .await
                .context("migration failed")?;
            tracing::info!("migrations applied");
        }
        Command::Admin {
            command: AdminCommand::CreateUser { email, role, name },
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!("--role must be viewer, admin or super_admin, got {role:?}")
            })?;
            let password = read_password()?;
            let core = Core::build(&settings, &Overrides::default()).await?;
            let origin = RequestOrigin {
                client_ip: "cli".into(),
                user_agent: "gpubroker admin create-user".into(),
            };
            let user = core
                .auth
                .create_user(None, &email, &name, &password, role, &origin)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {} ({}) as {}", user.email, user.id, user.role);
        }
        Command::Events {
            command: EventsCommand::List { limit },
        } => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            for row in persistence::outbox::newest(&db, limit.clamp(1, 10_000)).await? {
                println!(
                    "{}\t{}\t{}/{}\t{}\t{}",
                    row.seq,
                    row.event_type,
                    row.aggregate_type,
                    row.aggregate_id,
                    row.created_at.to_rfc3339(),
                    match (row.published_at, row.dead_lettered_at) {
                        (Some(at), _) => at.to_rfc3339(),
                        (None, Some(_)) => "dead-lettered".to_owned(),
                        (None, None) => "unpublished".to_owned(),
                    },
                );
            }
        }
        Command::Events {
            command: EventsCommand::Dead { limit },
        } => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            for row in persistence::outbox::dead_lettered(&db, limit.clamp(1, 10_000)).await? {
                println!(
                    "{}\t{}\t{}/{}\t{} attempts\t{}",
                    row.seq,
                    row.event_type,
                    row.aggregate_type,
                    row.aggregate_id,
                    row.attempts,
                    row.last_error.unwrap_or_default(),
                );
            }
        }
        Command::Events {
            command: EventsCommand::Requeue { seq },
        } => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            if !persistence::outbox::requeue(&db, seq).await? {
                anyhow::bail!("event {seq} is not dead-lettered");
            }
            println!("event {seq} is queued again");
        }
        Command::Events {
            command:
                EventsCommand::Tail {
                    topic,
                    brokers,
                    from_beginning,
                    max,
                },
        } => {
            let brokers = brokers
                .or(settings.events.kafka_brokers.clone())
                .context("--brokers (or KAFKA_BROKERS) is required")?;
            tail_events(&brokers, &topic, from_beginning, max).await?;
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            match audit::verify(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                Verification::Intact { rows } => println!("audit log intact: {rows} rows verified"),
                Verification::Broken(broken) => {
                    eprintln!("audit log TAMPERED: {broken}");
                    std::process::exit(1);
                }
            }
        }
    }
    Ok(())
}

/// Prints each event of `topic` as one JSON line: offset, key, the headers' event id and the
/// decoded `DomainEvent` (proto3 JSON).
async fn tail_events(
    brokers: &str,
    topic: &str,
    from_beginning: bool,
    max: Option<usize>,
) -> anyhow::Result<()> {
    use prost::Message as _;
    use rdkafka::{
        ClientConfig, Message, Offset, TopicPartitionList,
        consumer::{Consumer, StreamConsumer},
        message::Headers,
    };
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("gpubroker-tail-{}", std::process::id()))
        .set("enable.auto.commit", "false")
        .create()
        .context("cannot create a Kafka consumer")?;
    let mut partitions = TopicPartitionList::new();
    let start = if from_beginning {
        Offset::Beginning
    } else {
        Offset::End
    };
    partitions.add_partition_offset(topic, 0, start)?;
    consumer.assign(&partitions)?;
    let mut printed = 0;
    while max.is_none_or(|max| printed < max) {
        let message = consumer.recv().await.context("reading from Kafka")?;
        let header = |name: &str| {
            message
                .headers()
                .and_then(|h| h.iter().find(|h| h.key == name))
                .and_then(|h| h.value)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default()
        };
        let event = gateway::proto::v1::DomainEvent::decode(message.payload().unwrap_or_default())
            .map(|event| serde_json::to_value(event).unwrap_or_default())
            .unwrap_or_else(|e| serde_json::json!({"undecodable": e.to_string()}));
        println!(
            "{}",
            serde_json::json!({
                "offset": message.offset(),
                "key": String::from_utf8_lossy(message.key().unwrap_or_default()),
                "event_id": header("event_id"),
                "event_type": header("event_type"),
                "event": event,
            })
        );
        printed += 1;
    }
    Ok(())
}

/// The new admin's password: from GPUBROKER_ADMIN_PASSWORD, else one line of stdin.
fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("GPUBROKER_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
