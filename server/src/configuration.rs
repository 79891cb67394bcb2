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

    #[command(flatten)]
    pub log: crate::telemetry::LogArgs,
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
    /// Rebuild the reach rollups from the sessions, or check that they agree.
    Rollups(RollupsArgs),
}

pub use crate::gen::GenArgs;
pub use crate::rollups::RollupsArgs;
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

/// [`DatabaseArgs`] for a command with subcommands (`humiao user add …`): the same flags,
/// taken before or after the subcommand, as people write them.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgsAnywhere {
    /// Folder for the embedded SQLite database (created when missing).
    #[arg(long, env = "HUMIAO_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// Database to use, e.g. `sqlite://./data/humiao.db` or `postgres://user@host/db`.
    /// Defaults to `humiao.db` inside the data folder.
    #[arg(long, env = "HUMIAO_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

impl From<&DatabaseArgsAnywhere> for DatabaseArgs {
    fn from(args: &DatabaseArgsAnywhere) -> DatabaseArgs {
        DatabaseArgs {
            data_dir: args.data_dir.clone(),
            database_url: args.database_url.clone(),
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

    #[command(flatten)]
    pub import_limits: ImportLimits,

    #[command(flatten)]
    pub ops: crate::ops::OpsArgs,
}

/// What one import may cost beyond the size of its file: an XLSX is a ZIP archive whose
/// few kilobytes can unzip to gigabytes, or declare a cell a million rows down. Each limit is
/// checked as the file is read, and a file past one is refused with a 4xx naming it.
#[derive(Debug, Clone, Args)]
pub struct ImportLimits {
    /// The most an XLSX file may hold once unzipped, in megabytes (all its parts together).
    #[arg(long, env = "HUMIAO_IMPORT_UNZIPPED_LIMIT_MB", default_value_t = ImportLimits::DEFAULT.unzipped_limit_mb)]
    pub import_unzipped_limit_mb: usize,

    /// The most parts (files inside the ZIP archive) an XLSX file may have.
    #[arg(long, env = "HUMIAO_IMPORT_MAX_PARTS", default_value_t = ImportLimits::DEFAULT.max_parts)]
    pub import_max_parts: usize,

    /// The last row a cell of the file may be in (the header is row 1).
    #[arg(long, env = "HUMIAO_IMPORT_MAX_ROWS", default_value_t = ImportLimits::DEFAULT.max_rows)]
    pub import_max_rows: u32,

    /// The last column a cell of the file may be in: the widest header a file may have.
    #[arg(long, env = "HUMIAO_IMPORT_MAX_COLUMNS", default_value_t = ImportLimits::DEFAULT.max_columns)]
    pub import_max_columns: u32,

    /// The most cells a file may have, counting each row from column A to its last cell.
    #[arg(long, env = "HUMIAO_IMPORT_MAX_CELLS", default_value_t = ImportLimits::DEFAULT.max_cells)]
    pub import_max_cells: usize,

    /// The longest an import may spend reading and checking its file, in seconds; past
    /// it, the import stops and stores nothing.
    #[arg(long, env = "HUMIAO_IMPORT_TIME_LIMIT_SECS", default_value_t = ImportLimits::DEFAULT.time_limit_secs)]
    pub import_time_limit_secs: u64,

    /// How many imports run at once; another waits for a turn (see --import-wait-secs).
    #[arg(long, env = "HUMIAO_IMPORT_CONCURRENCY", default_value_t = ImportLimits::DEFAULT.concurrency)]
    pub import_concurrency: usize,

    /// How long an import waits for a turn before it is refused with 429 and Retry-After.
    #[arg(long, env = "HUMIAO_IMPORT_WAIT_SECS", default_value_t = ImportLimits::DEFAULT.wait_secs)]
    pub import_wait_secs: u64,
}

/// The defaults of [`ImportLimits`], named once for the flags and for `Default`.
pub struct ImportDefaults {
    pub unzipped_limit_mb: usize,
    pub max_parts: usize,
    pub max_rows: u32,
    pub max_columns: u32,
    pub max_cells: usize,
    pub time_limit_secs: u64,
    pub concurrency: usize,
    pub wait_secs: u64,
}

impl ImportLimits {
    /// Sized from the bench's file of 10,000 sessions (401 KB as XLSX, 3.8 MB unzipped,
    /// 15 columns, 150,000 cells): ten times that fits every limit. Within them a file costs
    /// a few hundred MB of memory at worst (tiny shared strings filling the unzipped limit),
    /// and a core for at most the time limit.
    pub const DEFAULT: ImportDefaults = ImportDefaults {
        unzipped_limit_mb: 50,
        max_parts: 1000,
        max_rows: 100_000,
        max_columns: 100,
        max_cells: 2_000_000,
        time_limit_secs: 60,
        concurrency: 2,
        wait_secs: 5,
    };
}

impl Default for ImportLimits {
    fn default() -> Self {
        let d = ImportLimits::DEFAULT;
        ImportLimits {
            import_unzipped_limit_mb: d.unzipped_limit_mb,
            import_max_parts: d.max_parts,
            import_max_rows: d.max_rows,
            import_max_columns: d.max_columns,
            import_max_cells: d.max_cells,
            import_time_limit_secs: d.time_limit_secs,
            import_concurrency: d.concurrency,
            import_wait_secs: d.wait_secs,
        }
    }
}
