//! Command line and settings. Every setting is a flag with an `HUMIAO_*` environment
//! variable behind it, so the same binary runs from a terminal, a service unit or a test.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Humiao (护苗): tracks the police youth safety and legal education campaign 警心护苗.
///
/// Without a command, serves the web app and the API. Every setting can also come from the
/// environment variable shown beside it.
#[derive(Debug, Parser)]
#[command(name = "humiao", version)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Settings for serving when no command is given.
    #[command(flatten)]
    pub serve: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default when no command is given).
    Serve(Settings),
    /// Fill an empty database with realistic synthetic data, the same for the same seed.
    Gen(GenArgs),
    /// Write a consistent copy of the SQLite database to FILE, safely while it serves.
    /// (For PostgreSQL use pg_dump; see README.)
    #[command(verbatim_doc_comment)]
    Backup {
        /// Where to write the copy; must not exist yet.
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Add, list or disable accounts.
    User(UserArgs),
}

pub use crate::gen::GenArgs;
pub use crate::users::UserArgs;

/// Which database to use.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Folder for the embedded SQLite database (created when missing).
    #[arg(long, env = "HUMIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database to use, e.g. `sqlite://./data/humiao.db` or `postgres://user@host/db`.
    /// Defaults to `humiao.db` inside the data folder.
    #[arg(long, env = "HUMIAO_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("humiao.db").display()
            ),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address and port to listen on; port 0 picks a free one.
    #[arg(long, env = "HUMIAO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Folder holding the built web app (its HTML pages and WASM modules).
    #[arg(long, env = "HUMIAO_ASSETS_DIR", default_value = "./target/site")]
    pub assets_dir: PathBuf,

    /// Do not load demonstration data into an empty database.
    #[arg(long, env = "HUMIAO_NO_DEMO")]
    pub no_demo: bool,

    /// The largest file an import takes, in megabytes; a larger one is refused with 413.
    #[arg(long, env = "HUMIAO_IMPORT_LIMIT_MB", default_value_t = crate::routes::imports::DEFAULT_LIMIT_MB)]
    pub import_limit_mb: usize,
}
