//! `humiao rollups rebuild|check`: the reach rollups ([`crate::db::rollups`]) from the
//! command line. `check` compares each rollup with the live sessions and exits non-zero with
//! one line per row that disagrees; `rebuild` recomputes all four in one transaction, and
//! may run while the server serves.

use std::time::Instant;

use anyhow::bail;
use clap::{Args, Subcommand};

use crate::configuration::DatabaseArgs;
use crate::db::rollups::{self, ROLLUPS};

const REPAIR: &str = "`humiao rollups rebuild` recomputes them from the sessions";

#[derive(Debug, Args)]
pub struct RollupsArgs {
    #[command(subcommand)]
    pub action: RollupsAction,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum RollupsAction {
    /// Recompute every rollup from the live sessions, in one transaction.
    Rebuild,
    /// Compare every rollup with the live sessions; exit 1, with one line per row that
    /// disagrees, when they differ.
    Check,
}

pub async fn run(args: &RollupsArgs) -> anyhow::Result<()> {
    let db = args.database.connect().await?;
    match args.action {
        RollupsAction::Rebuild => {
            let started = Instant::now();
            let written = rollups::rebuild_all(&db).await?;
            let tables: Vec<String> = ROLLUPS
                .iter()
                .zip(written)
                .map(|(rollup, rows)| format!("{} {rows} rows", rollup.table))
                .collect();
            println!(
                "rebuilt the rollups in {} ms: {}",
                started.elapsed().as_millis(),
                tables.join(", ")
            );
        }
        RollupsAction::Check => {
            let differences = rollups::check_all(&db).await?;
            for difference in &differences {
                println!("{difference}");
            }
            match differences.len() {
                0 => {}
                1 => bail!("1 rollup row disagrees with the sessions; {REPAIR}"),
                n => bail!("{n} rollup rows disagree with the sessions; {REPAIR}"),
            }
            println!("the {} rollups agree with the sessions", ROLLUPS.len());
        }
    }
    Ok(())
}
