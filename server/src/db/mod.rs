//! Storage: one pool for either engine, migrations, and one module of plain SQL per concern.
//!
//! The server talks to SQLite and PostgreSQL through sqlx's `Any` driver, so every query here
//! is portable SQL: `$1` placeholders, ISO-8601 dates as TEXT, 64-bit integers, and
//! `CAST(SUM(..) AS BIGINT)` where PostgreSQL would otherwise answer NUMERIC.

pub mod accounts;
pub mod aggregates;
pub mod audit;
pub mod completeness;
pub mod derived;
pub mod district_figures;
pub mod idempotency;
pub mod rollups;
pub mod session_edits;
pub mod sessions;
pub mod sign_ins;
pub mod suppression;
pub mod todo;
pub mod where_clause;
pub mod writer;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use chrono::NaiveDate;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> anyhow::Result<Engine> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            anyhow::bail!("unsupported database URL (use sqlite://… or postgres://…)")
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    /// The migrations this release brings for the engine.
    pub fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The database the server works on.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// Coverage and film figures per district, kept by this server between requests.
    pub figures: std::sync::Arc<district_figures::Cache>,
}

impl Db {
    /// Connects and applies the engine's migrations; a failing migration rolls back whole.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        let url = match engine {
            Engine::Sqlite => {
                create_sqlite_folder(url)?;
                sqlite_creating(url)
            }
            Engine::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).context("invalid database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(match engine {
                // SQLite has one writer at a time; a few readers beside it are plenty.
                Engine::Sqlite => 8,
                Engine::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes an acknowledged
                        // write survive power loss; the busy timeout queues writers instead
                        // of failing them.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the {} database", engine.name()))?;
        engine
            .migrator()
            .run(&pool)
            .await
            .context("cannot apply database migrations")?;
        Ok(Db {
            pool,
            engine,
            figures: Default::default(),
        })
    }

    /// A transaction that will write. SQLite takes its write lock at the start: a read
    /// transaction that later writes cannot be upgraded while another writer went first
    /// (SQLITE_BUSY at once, whatever the busy timeout), whereas waiting for the lock at
    /// `BEGIN` queues writers behind each other.
    pub async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// A write transaction that also waits for every other one begun with the same `turn`
    /// to end: for writes that first decide, from what is stored, what is new (an import
    /// classifies each row), so that two at once cannot both find the same row new. SQLite's
    /// `BEGIN IMMEDIATE` already lets one writer in at a time; PostgreSQL, with several
    /// server instances, waits on an advisory lock that the transaction's end releases.
    pub async fn write_tx_in_turn(
        &self,
        turn: Turn,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        let mut tx = self.write_tx().await?;
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(turn.lock_key())
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// What writers take turns on (see [`Db::write_tx_in_turn`]).
#[derive(Debug, Clone, Copy)]
pub enum Turn {
    /// Imports of one kind of record.
    Import(humiao_shared::import::ImportKind),
}

impl Turn {
    /// PostgreSQL's advisory locks are named by a number, shared by the whole database.
    fn lock_key(self) -> i64 {
        // "humiao" in the high bytes keeps clear of any other application's locks.
        const BASE: i64 = 0x6875_6d69_616f_0000;
        match self {
            Turn::Import(kind) => BASE | kind as i64,
        }
    }
}

/// Reads a stored `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A date as it is stored.
pub fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `$first, $first+1, …` for an `IN (…)` list of `n` values.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Current time as stored in `created_at` columns.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A SQLite URL that creates its file when it names one that is not there yet, as the
/// default location does: `humiao serve --database-url sqlite:///srv/humiao/new.db` starts
/// a new database. A URL that sets its own `mode` (`mode=ro`) keeps it.
fn sqlite_creating(url: &str) -> String {
    let path = url.split('?').next().unwrap_or_default();
    if url.contains("mode=") || path.ends_with(":memory:") {
        return url.to_string();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode=rwc")
}

/// SQLite creates the file but not its folder.
fn create_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the data folder {}", parent.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sqlite_creating;

    #[test]
    fn a_sqlite_url_creates_its_file_unless_it_says_how_to_open_it() {
        let cases = [
            (
                "sqlite:///srv/humiao/new.db",
                "sqlite:///srv/humiao/new.db?mode=rwc",
            ),
            (
                "sqlite://data/h.db?cache=shared",
                "sqlite://data/h.db?cache=shared&mode=rwc",
            ),
            ("sqlite://data/h.db?mode=ro", "sqlite://data/h.db?mode=ro"),
            ("sqlite://data/h.db?mode=rwc", "sqlite://data/h.db?mode=rwc"),
            ("sqlite::memory:", "sqlite::memory:"),
        ];
        for (given, used) in cases {
            assert_eq!(sqlite_creating(given), used, "{given}");
        }
    }
}
