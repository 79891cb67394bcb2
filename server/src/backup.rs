//! `humiao backup FILE`: a consistent copy of the SQLite database, taken while it serves.
//!
//! `VACUUM INTO` reads one snapshot inside a read transaction, so writers carry on (WAL) and
//! the copy holds every transaction committed before it started and none after.

use std::path::Path;

use anyhow::{bail, Context as _};

use crate::configuration::DatabaseArgs;
use crate::db::Engine;

pub async fn run(database: &DatabaseArgs, file: &Path) -> anyhow::Result<()> {
    let url = database.url();
    if database.engine()? == Engine::Postgres {
        bail!("backup copies SQLite databases; for PostgreSQL use pg_dump (see README)");
    }
    let source = url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap_or_default();
    if !Path::new(source).is_file() {
        bail!("there is no database at {source}");
    }
    if file.exists() {
        bail!("{} exists already; choose a new file", file.display());
    }
    let target = file
        .to_str()
        .context("the backup file's path must be valid UTF-8")?;
    let db = database.connect().await?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .with_context(|| format!("cannot write the backup to {}", file.display()))?;
    db.pool.close().await;
    Ok(())
}
