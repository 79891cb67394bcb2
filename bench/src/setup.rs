//! Databases for the benchmark: fresh ones for writes, generated ones (made once, kept
//! under `target/bench-data` or as `humiao_bench_*` PostgreSQL databases) for reads.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use humiao_tests::database::{postgres_server, Engine};
use humiao_tests::process::ServerProcess;
use sqlx::{Connection, Executor, PgConnection};

pub fn data_dir() -> PathBuf {
    humiao_tests::browser::screenshot_dir().join("../bench-data")
}

/// The URL of a database generated at `scale` for `years`, generating it when missing.
pub async fn generated(engine: Engine, scale: &str, years: u16) -> Result<String> {
    let name = format!("humiao_bench_{scale}_{years}");
    match engine {
        Engine::Sqlite => {
            let dir = data_dir();
            std::fs::create_dir_all(&dir)?;
            let file = dir.join(format!("{name}.db"));
            if !file.exists() {
                let partial = dir.join(format!("{name}.partial.db"));
                let _ = std::fs::remove_file(&partial);
                let url = format!("sqlite://{}?mode=rwc", partial.display());
                gen(&url, scale, years)?;
                // The last transactions (the reach rollups) may still be in the write-ahead
                // log beside the file, which a rename leaves behind: fold them in first.
                let mut db = sqlx::SqliteConnection::connect(&url).await?;
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
                db.close().await?;
                std::fs::rename(&partial, &file)?;
            }
            Ok(format!("sqlite://{}", file.display()))
        }
        Engine::Postgres => {
            let mut admin =
                PgConnection::connect(&format!("{}/postgres", postgres_server())).await?;
            let exists: Option<(String,)> =
                sqlx::query_as("SELECT datname::text FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_optional(&mut admin)
                    .await?;
            if exists.is_none() {
                // Generated under another name and renamed when complete, so an interrupted
                // run never leaves a half-filled database behind under the real name.
                let partial = format!("{name}_partial");
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {partial}").as_str())
                    .await?;
                admin
                    .execute(format!("CREATE DATABASE {partial}").as_str())
                    .await?;
                gen(&format!("{}/{partial}", postgres_server()), scale, years)?;
                admin
                    .execute(format!("ALTER DATABASE {partial} RENAME TO {name}").as_str())
                    .await?;
            }
            let url = format!("{}/{name}", postgres_server());
            let mut db = PgConnection::connect(&url).await?;
            db.execute("ANALYZE").await?;
            Ok(url)
        }
    }
}

fn gen(url: &str, scale: &str, years: u16) -> Result<()> {
    println!("generating {scale} scale, {years} years, into {url} (once) …");
    let status = Command::new(humiao_tests::server_binary())
        .args([
            "gen",
            "--scale",
            scale,
            "--years",
            &years.to_string(),
            "--database-url",
            url,
        ])
        .status()
        .context("cannot run humiao gen")?;
    if !status.success() {
        bail!("humiao gen failed ({status})");
    }
    Ok(())
}

/// A release server on a generated database, and what the tables say of it.
pub struct Served {
    pub server: ServerProcess,
    pub db: humiao_server::db::Db,
    /// Years of data generated: one for the city, the options' for the province.
    pub years: u16,
    pub sessions: i64,
}

/// Starts the server on the database generated at `scale` (generating it when missing).
pub async fn serve(engine: Engine, scale: &str, options: &crate::Options) -> Result<Served> {
    let years = if scale == "city" {
        1
    } else {
        options.province_years
    };
    let url = generated(engine, scale, years).await?;
    let scratch = data_dir().join("scratch");
    std::fs::create_dir_all(&scratch)?;
    let server = ServerProcess::start(&url, &scratch)?;
    let db = humiao_server::db::Db::connect(&url).await?;
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await?;
    Ok(Served {
        server,
        db,
        years,
        sessions,
    })
}

/// Generated data has no accounts: adds the administrator, as an operator's first step.
pub async fn ensure_admin(db: &humiao_server::db::Db) -> Result<()> {
    use humiao_server::auth::password;
    use humiao_server::db::accounts;
    if accounts::find_user(&db.pool, "admin").await?.is_none() {
        let hash = password::hash(humiao_tests::DEMO_PASSWORD)?;
        accounts::add_user(
            &db.pool,
            "admin",
            &hash,
            humiao_shared::account::Role::Admin,
            accounts::ScopeRef::All,
        )
        .await?;
    }
    Ok(())
}

/// Adds a leader of the whole database (`leader`), who sees what the leaders' page shows
/// most people: every figure, small counts hidden.
pub async fn ensure_leader(db: &humiao_server::db::Db) -> Result<()> {
    use humiao_server::auth::password;
    use humiao_server::db::accounts;
    if accounts::find_user(&db.pool, "leader").await?.is_none() {
        let hash = password::hash(humiao_tests::DEMO_PASSWORD)?;
        accounts::add_user(
            &db.pool,
            "leader",
            &hash,
            humiao_shared::account::Role::Leader,
            accounts::ScopeRef::All,
        )
        .await?;
    }
    Ok(())
}

/// The peak resident set of a process so far, in MiB (Linux's VmHWM).
pub fn peak_memory_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
