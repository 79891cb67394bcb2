//! `humiao`: the server and its maintenance commands. See `humiao --help`.

use humiao_server::configuration::{Cli, Command, SettingError, Settings};
use humiao_server::{backup, check, gen, rollups, startup::Application, telemetry, users};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::read();
    telemetry::init();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(settings)) => serve(settings).await,
        Some(Command::Check(settings)) => check::run(&settings).await,
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
            // A setting's value that cannot work is the command line's fault, as clap's
            // own errors (status 2); anything else failed while running (status 1).
            if e.chain().any(|cause| cause.is::<SettingError>()) {
                std::process::ExitCode::from(2)
            } else {
                std::process::ExitCode::FAILURE
            }
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    settings.validate()?;
    let app = Application::build(settings).await?;
    println!("Humiao is serving on {}", app.url());
    app.run_until_stopped().await?;
    Ok(())
}
