//! Command line and settings. Every setting is a flag with an `HUMIAO_*` environment
//! variable behind it, so the same binary runs from a terminal, a service unit or a test.
//!
//! Each setting is taken where people write it. The database (`--database-url`,
//! `--data-dir`) goes before or after any command, as a `global` flag: a setting every
//! command takes belongs there the same way. The serving settings ([`Settings`]) go before
//! or after `serve` and `check` (`humiao --bind … serve`, `humiao serve --bind …`), and
//! another command refuses them, naming the commands that take them.
//!
//! A value that is wrong is one line naming its setting and exit status 2 (as clap's own
//! errors); a database or an address that cannot be reached is one line and status 1.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::db::{Db, Engine};

/// Humiao (护苗): tracks the police youth safety and legal education campaign 警心护苗.
///
/// Without a command, serves the web app and the API. Every setting can also come from the
/// environment variable shown beside it.
#[derive(Debug, Parser)]
#[command(name = "humiao", version)]
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
    /// Check the settings, the database and its migrations, the data folder, the web app and
    /// the chart font, without changing anything; one line per check, exit 1 on an error.
    Check(Settings),
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

impl Cli {
    /// The command line, with the serving settings written before `serve` or `check` joined
    /// to those after it. A wrong command line exits with clap's message and status 2.
    pub fn read() -> Cli {
        Cli::try_read_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    /// [`Cli::read`] from given arguments (the first is the program's name).
    pub fn try_read_from<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let mut command = Cli::command();
        let matches = command.try_get_matches_from_mut(args)?;
        Cli::settle(&matches).map_err(|e| e.format(&mut command))
    }

    fn settle(matches: &ArgMatches) -> Result<Cli, clap::Error> {
        let mut cli = Cli::from_arg_matches(matches)?;
        let Some((name, after)) = matches.subcommand() else {
            return Ok(cli);
        };
        match &mut cli.command {
            Some(Command::Serve(settings) | Command::Check(settings)) => {
                *settings = joined(matches, after)?;
            }
            _ => {
                if let Some(flag) = serving_flags_given(matches).first() {
                    return Err(clap::Error::raw(
                        ErrorKind::ArgumentConflict,
                        format!(
                            "{flag} is a setting of `humiao serve` and `humiao check`; \
                             `humiao {name}` does not take it"
                        ),
                    ));
                }
            }
        }
        Ok(cli)
    }
}

/// Whether the command line itself gave `id` (not the environment or the default).
fn given(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

/// The serving settings of `humiao [SETTINGS] serve|check [SETTINGS]`: each from after the
/// command where given there, else from before it, else from the environment or its
/// default. They are read again as one command line, so every rule of every flag applies.
fn joined(before: &ArgMatches, after: &ArgMatches) -> Result<Settings, clap::Error> {
    let command = Settings::augment_args(clap::Command::new("humiao"));
    let mut argv: Vec<OsString> = vec!["humiao".into()];
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let (Some(long), Some(matches)) = (
            arg.get_long(),
            [after, before].into_iter().find(|m| given(m, id)),
        ) else {
            continue;
        };
        if arg.get_action().takes_values() {
            for value in matches.get_raw(id).into_iter().flatten() {
                let mut flag = OsString::from(format!("--{long}="));
                flag.push(value);
                argv.push(flag);
            }
        } else {
            argv.push(format!("--{long}").into());
        }
    }
    Settings::from_arg_matches(&command.try_get_matches_from(argv)?)
}

/// The serving flags (not the database's, which every command takes) given before a command.
fn serving_flags_given(matches: &ArgMatches) -> Vec<String> {
    Settings::augment_args(clap::Command::new("humiao"))
        .get_arguments()
        .filter(|arg| !arg.is_global_set() && given(matches, arg.get_id().as_str()))
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect()
}

/// A setting whose value cannot work, named as it is written: `--bind: …`.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct SettingError {
    pub setting: String,
    pub message: String,
}

impl SettingError {
    pub fn new(setting: impl Into<String>, message: impl Into<String>) -> SettingError {
        SettingError {
            setting: setting.into(),
            message: message.into(),
        }
    }
}

/// Which database to use; taken before or after any command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Folder for the embedded SQLite database (created when missing).
    #[arg(long, env = "HUMIAO_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// Database to use, e.g. `sqlite:///srv/humiao/humiao.db` or `postgres://user@host/db`
    /// (a SQLite file named here is created when missing). Defaults to `humiao.db` inside
    /// the data folder.
    #[arg(long, env = "HUMIAO_DATABASE_URL", global = true)]
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

    /// The flag that names the database, for messages: the URL when given, else the folder.
    pub fn setting(&self) -> String {
        match &self.database_url {
            Some(_) => "--database-url".into(),
            None => format!("--data-dir {}", self.data_dir.display()),
        }
    }

    /// The engine the URL names; the URL itself is never repeated (it may hold a password).
    pub fn engine(&self) -> Result<Engine, SettingError> {
        let url = self.url();
        Engine::from_url(&url).map_err(|_| {
            let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
            SettingError::new(
                "--database-url",
                format!(
                    "unsupported database URL scheme {scheme:?}: use sqlite://PATH or \
                     postgres://USER@HOST/DATABASE"
                ),
            )
        })
    }

    /// The SQLite database's file; `None` for PostgreSQL or a database in memory.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.url();
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?
            .split('?')
            .next()
            .unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }

    /// Whether the URL opens the database read-only (`?mode=ro`).
    fn read_only(&self) -> bool {
        self.url().contains("mode=ro") && !self.url().contains("mode=rw")
    }

    /// Opens the database and applies its migrations; a SQLite database's folder is
    /// created first and must take files (SQLite writes its journal beside the database).
    /// Every error names the setting.
    pub async fn connect(&self) -> anyhow::Result<Db> {
        self.engine()?;
        if let Some(file) = self.sqlite_file().filter(|_| !self.read_only()) {
            let folder = folder_of(&file);
            std::fs::create_dir_all(folder)
                .and_then(|()| takes_files(folder))
                .map_err(|e| {
                    SettingError::new(
                        self.setting(),
                        format!(
                            "the folder {} cannot hold the database: {e}",
                            folder.display()
                        ),
                    )
                })?;
        }
        Db::connect(&self.url())
            .await
            .with_context(|| self.setting())
    }
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(file: &Path) -> &Path {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether a new file can be made in `folder`: by making one, which is removed at once.
pub fn takes_files(folder: &Path) -> std::io::Result<()> {
    tempfile::Builder::new()
        .prefix(".humiao-check")
        .tempfile_in(folder)
        .map(drop)
}

/// The serving settings: `humiao`, `humiao serve` and `humiao check` take them.
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
    pub proxies: crate::proxy::TrustedProxies,
}

impl Settings {
    /// The serving settings that can be told wrong before anything starts.
    pub fn validate(&self) -> Result<(), SettingError> {
        use std::net::ToSocketAddrs as _;
        self.database.engine()?;
        match self.bind.to_socket_addrs().map(|mut a| a.next()) {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(SettingError::new(
                format!("--bind {}", self.bind),
                "names no address",
            )),
            Err(e) => Err(SettingError::new(
                format!("--bind {}", self.bind),
                format!("not an address and port such as 127.0.0.1:8080 ({e})"),
            )),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Cli, clap::Error> {
        Cli::try_read_from(line.split_whitespace())
    }

    /// The database settings of whatever command the line names.
    fn database_of(cli: Cli) -> DatabaseArgs {
        match cli.command {
            None => cli.serve.database,
            Some(Command::Serve(s) | Command::Check(s)) => s.database,
            Some(Command::Gen(args)) => args.database,
            Some(Command::Backup { database, .. }) => database,
            Some(Command::User(args)) => args.database,
            Some(Command::Rollups(args)) => args.database,
        }
    }

    #[test]
    fn the_database_is_taken_before_or_after_any_command() {
        let url = "--database-url sqlite://x.db";
        let lines = [
            format!("humiao {url}"),
            format!("humiao {url} serve"),
            format!("humiao serve {url}"),
            format!("humiao {url} check"),
            format!("humiao check {url}"),
            format!("humiao {url} gen --scale city"),
            format!("humiao gen --scale city {url}"),
            format!("humiao {url} backup copy.db"),
            format!("humiao backup copy.db {url}"),
            format!("humiao {url} user list"),
            format!("humiao user {url} list"),
            format!("humiao user list {url}"),
            format!("humiao {url} rollups check"),
            format!("humiao rollups check {url}"),
        ];
        for line in lines {
            let cli = read(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(
                database_of(cli).database_url.as_deref(),
                Some("sqlite://x.db"),
                "{line}"
            );
        }
    }

    #[test]
    fn serving_settings_are_taken_before_or_after_serve_and_check_and_nowhere_else() {
        for line in [
            "humiao --bind 10.0.0.1:80 --no-demo serve",
            "humiao serve --bind 10.0.0.1:80 --no-demo",
            "humiao --no-demo serve --bind 10.0.0.1:80",
            "humiao --bind 127.0.0.1:1 check --no-demo --bind 10.0.0.1:80",
        ] {
            let cli = read(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let (Some(Command::Serve(s)) | Some(Command::Check(s))) = cli.command else {
                panic!("{line}: not serve or check");
            };
            assert_eq!(s.bind, "10.0.0.1:80", "{line}: the last one written wins");
            assert!(s.no_demo, "{line}");
        }
        let refused = read("humiao --bind 10.0.0.1:80 user list").unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::ArgumentConflict);
        assert!(refused.to_string().contains("--bind"), "{refused}");
    }
}
