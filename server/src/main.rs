//! `humiao`: the server and its maintenance commands. See `humiao --help`.

use clap::Parser;
use humiao_server::configuration::{Cli, Command};
use humiao_server::{backup, gen, rollups, startup::Application, telemetry, users};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log);
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(settings)) => serve(settings).await,
        Some(Command::Gen(args)) => gen::run(&args).await.map(|s| {
            println!(
                "generated {} cities, {} districts, {} stations, {} schools, {} sessions, \
                 {} screening confirmations",
                s.cities, s.districts, s.stations, s.schools, s.sessions, s.confirmations
            )
        }),
        Some(Command::Backup { file, database }) => backup::run(&database, &file)
            .await
            .map(|()| println!("backup written to {}", file.display())),
        Some(Command::User(args)) => users::run(&args).await,
        Some(Command::Rollups(args)) => rollups::run(&args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One clear line for the operator, with the causes, instead of a panic trace.
            eprintln!("humiao: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(settings: humiao_server::configuration::Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    println!("Humiao is serving on {}", app.url());
    app.run_until_stopped().await?;
    Ok(())
}
