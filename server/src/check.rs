//! `humiao check`: what the IT staff need to know on the first day, found without changing
//! anything: the address is free, the proxies make sense, the database answers and which
//! of this release's migrations it still lacks, the data folder takes files, the web app is
//! there, the chart font is installed. One line per check; exit status 1 when one failed.
//!
//! A SQLite file that is not there yet is not created, and migrations are compared, not
//! applied: `humiao serve` does both at start.

use std::fmt;
use std::net::{TcpListener, ToSocketAddrs as _};
use std::path::Path;
use std::time::Duration;

use sqlx::migrate::Migrate as _;
use sqlx::{AnyConnection, Connection as _};

use crate::configuration::{folder_of, takes_files, DatabaseArgs, Settings};
use crate::db::Engine;
use crate::routes::charts;

/// How long the database may take to answer before it counts as unreachable.
const CONNECT_LIMIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warning,
    Error,
}

/// What one check found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub status: Status,
    pub subject: &'static str,
    pub detail: String,
}

impl Finding {
    fn new(status: Status, subject: &'static str, detail: impl Into<String>) -> Finding {
        Finding {
            status,
            subject,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match self.status {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        };
        write!(f, "{status:<8}{}: {}", self.subject, self.detail)
    }
}

/// Prints every finding, then a count; fails when one is an error.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let findings = check(settings).await;
    for finding in &findings {
        println!("{finding}");
    }
    let count = |status| findings.iter().filter(|f| f.status == status).count();
    let (errors, warnings) = (count(Status::Error), count(Status::Warning));
    println!(
        "{}, {}",
        counted(errors, "error"),
        counted(warnings, "warning")
    );
    if errors > 0 {
        anyhow::bail!("check found {}", counted(errors, "error"));
    }
    Ok(())
}

/// `1 error`, `2 errors`.
fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

/// Every check, in the order an operator fixes things.
pub async fn check(settings: &Settings) -> Vec<Finding> {
    let mut findings = vec![bind(&settings.bind), proxies(settings)];
    findings.extend(database(&settings.database).await);
    findings.push(assets(&settings.assets_dir));
    findings.push(chart_font());
    findings
}

fn bind(bind: &str) -> Finding {
    let subject = "bind";
    let addresses: Vec<_> = match bind.to_socket_addrs() {
        Ok(addresses) => addresses.collect(),
        Err(e) => {
            return Finding::new(
                Status::Error,
                subject,
                format!("--bind {bind}: not an address and port such as 127.0.0.1:8080 ({e})"),
            )
        }
    };
    match TcpListener::bind(&addresses[..]) {
        Ok(_) => Finding::new(Status::Ok, subject, format!("{bind} is free to listen on")),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Finding::new(
            Status::Warning,
            subject,
            format!("{bind} is in use (by Humiao serving already?)"),
        ),
        Err(e) => Finding::new(
            Status::Error,
            subject,
            format!("--bind {bind}: cannot listen there: {e}"),
        ),
    }
}

fn proxies(settings: &Settings) -> Finding {
    let subject = "trusted proxies";
    let proxies = &settings.proxies;
    if proxies.is_empty() {
        return Finding::new(
            Status::Ok,
            subject,
            "none: X-Forwarded-For and Forwarded are ignored, every peer is a client \
             (behind a reverse proxy, set --trusted-proxies)",
        );
    }
    let list: Vec<String> = proxies
        .trusted_proxies
        .iter()
        .map(|n| n.to_string())
        .collect();
    if proxies.trusts_everyone() {
        return Finding::new(
            Status::Warning,
            subject,
            format!(
                "{} includes every address: any client can name the address the login \
                 limits count",
                list.join(", ")
            ),
        );
    }
    Finding::new(
        Status::Ok,
        subject,
        format!("forwarding headers believed from {}", list.join(", ")),
    )
}

/// The database, its migrations and, for SQLite, its folder.
async fn database(args: &DatabaseArgs) -> Vec<Finding> {
    let engine = match args.engine() {
        Ok(engine) => engine,
        Err(e) => return vec![Finding::new(Status::Error, "database", e.to_string())],
    };
    let migrations = engine
        .migrator()
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .count();
    let mut findings = Vec::new();
    let url = match (engine, args.sqlite_file()) {
        (Engine::Sqlite, None) => {
            findings.push(Finding::new(Status::Ok, "database", "sqlite in memory"));
            return findings;
        }
        (Engine::Sqlite, Some(file)) => {
            findings.push(data_folder(args, &file));
            if !file.exists() {
                findings.push(Finding::new(
                    Status::Warning,
                    "database",
                    format!(
                        "sqlite {} does not exist yet: `humiao serve` creates it",
                        file.display()
                    ),
                ));
                findings.push(Finding::new(
                    Status::Warning,
                    "migrations",
                    format!(
                        "all {migrations} pending (a new database): `humiao serve` applies them"
                    ),
                ));
                return findings;
            }
            // Read-only: a check writes nothing, not even a journal.
            format!("sqlite://{}?mode=ro", file.display())
        }
        (Engine::Postgres, _) => args.url(),
    };
    sqlx::any::install_default_drivers();
    let mut conn = match tokio::time::timeout(CONNECT_LIMIT, AnyConnection::connect(&url)).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => {
            findings.push(unreachable(args, engine, &e.to_string()));
            return findings;
        }
        Err(_) => {
            let after = format!("no answer within {} s", CONNECT_LIMIT.as_secs());
            findings.push(unreachable(args, engine, &after));
            return findings;
        }
    };
    let version_query = match engine {
        Engine::Sqlite => "SELECT sqlite_version()",
        Engine::Postgres => "SELECT current_setting('server_version')",
    };
    let version: String = sqlx::query_scalar(version_query)
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|_| "(version unknown)".into());
    let place = match args.sqlite_file() {
        Some(file) => format!(" at {}", file.display()),
        None => String::new(),
    };
    findings.push(Finding::new(
        Status::Ok,
        "database",
        format!("reached {} {version}{place}", engine.name()),
    ));
    findings.push(pending_migrations(&mut conn, engine).await);
    let _ = conn.close().await;
    findings
}

fn unreachable(args: &DatabaseArgs, engine: Engine, cause: &str) -> Finding {
    Finding::new(
        Status::Error,
        "database",
        format!(
            "{}: cannot open the {} database: {cause}",
            args.setting(),
            engine.name()
        ),
    )
}

/// SQLite writes its journal beside the database: the folder must take new files. A folder
/// not there yet must be one that can be made.
fn data_folder(args: &DatabaseArgs, file: &Path) -> Finding {
    let subject = "data folder";
    let folder = folder_of(file);
    let existing = folder.ancestors().find(|p| p.is_dir());
    let result = match existing {
        Some(existing) => takes_files(existing),
        None => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no part of it is a folder",
        )),
    };
    match (result, existing == Some(folder)) {
        (Ok(()), true) => Finding::new(
            Status::Ok,
            subject,
            format!("{} takes new files", folder.display()),
        ),
        (Ok(()), false) => Finding::new(
            Status::Ok,
            subject,
            format!("{} will be created at start", folder.display()),
        ),
        (Err(e), _) => Finding::new(
            Status::Error,
            subject,
            format!(
                "{}: the folder {} cannot hold the database: {e}",
                args.setting(),
                folder.display()
            ),
        ),
    }
}

/// This release's migrations against the database's `_sqlx_migrations`, compared only.
async fn pending_migrations(conn: &mut AnyConnection, engine: Engine) -> Finding {
    let subject = "migrations";
    let migrator = engine.migrator();
    let known: Vec<_> = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .collect();
    let table_query = match engine {
        Engine::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Engine::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
        }
    };
    let has_table = match sqlx::query_scalar::<_, i64>(table_query)
        .fetch_one(&mut *conn)
        .await
    {
        Ok(n) => n > 0,
        Err(e) => {
            return Finding::new(
                Status::Error,
                subject,
                format!("cannot read the migrations: {e}"),
            )
        }
    };
    if !has_table {
        return Finding::new(
            Status::Warning,
            subject,
            format!(
                "all {} pending (an empty database): `humiao serve` applies them",
                known.len()
            ),
        );
    }
    let read = async {
        let dirty = conn.dirty_version().await?;
        let applied = conn.list_applied_migrations().await?;
        Ok::<_, sqlx::migrate::MigrateError>((dirty, applied))
    };
    let (dirty, applied) = match read.await {
        Ok(read) => read,
        Err(e) => {
            return Finding::new(
                Status::Error,
                subject,
                format!("cannot read the migrations: {e}"),
            )
        }
    };
    if let Some(version) = dirty {
        return Finding::new(
            Status::Error,
            subject,
            format!("migration {version} failed part-way: restore the backup taken before it"),
        );
    }
    if let Some(unknown) = applied
        .iter()
        .find(|a| !known.iter().any(|m| m.version == a.version))
    {
        return Finding::new(
            Status::Error,
            subject,
            format!(
                "the database has migration {}, which this release does not know: a newer \
                 release wrote it",
                unknown.version
            ),
        );
    }
    if let Some(changed) = known.iter().find(|m| {
        applied
            .iter()
            .any(|a| a.version == m.version && a.checksum != m.checksum)
    }) {
        return Finding::new(
            Status::Error,
            subject,
            format!(
                "migration {} ({}) differs from the one this database applied",
                changed.version, changed.description
            ),
        );
    }
    let pending: Vec<String> = known
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    if pending.is_empty() {
        Finding::new(
            Status::Ok,
            subject,
            format!("all {} applied, none pending", known.len()),
        )
    } else {
        Finding::new(
            Status::Warning,
            subject,
            format!(
                "{} pending ({}): `humiao serve` applies them at start; back up first",
                pending.len(),
                pending.join(", ")
            ),
        )
    }
}

fn assets(dir: &Path) -> Finding {
    let subject = "web app";
    if dir.join("index.html").is_file() {
        Finding::new(Status::Ok, subject, format!("found in {}", dir.display()))
    } else {
        Finding::new(
            Status::Warning,
            subject,
            format!(
                "no index.html in --assets-dir {}: the API serves, the pages do not",
                dir.display()
            ),
        )
    }
}

fn chart_font() -> Finding {
    let subject = "chart font";
    let dir = Path::new(charts::FONT_DIR);
    if charts::fonts_in(dir).is_some() {
        Finding::new(
            Status::Ok,
            subject,
            format!("{} found under {}", charts::CJK_FAMILY, dir.display()),
        )
    } else {
        Finding::new(
            Status::Warning,
            subject,
            format!(
                "no {} under {}: PNG charts answer 503 (SVG works); \
                 apt-get install fonts-noto-cjk",
                charts::CJK_FAMILY,
                dir.display()
            ),
        )
    }
}
