//! `gpubroker`: the control-plane server and its operator commands.

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gpubroker::{config::Settings, persistence, startup, telemetry};

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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
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
            app.run_until_stopped(startup::shutdown_signal()).await?;
        }
        Command::Migrate => {
            let db = persistence::connect(&settings.database)
                .await
                .context("cannot connect to the database")?;
            persistence::migrate(&db)
                .await
                .context("migration failed")?;
            tracing::info!("migrations applied");
        }
    }
    Ok(())
}
