//! `cargo xtask bench`: measures the release server on SQLite and on PostgreSQL and prints
//! a Markdown table (also written to `target/bench.md`).
//!
//! - Writes: 64 clients post sessions for 20 s; throughput, p50 and p99, beside the same
//!   server's `GET /api/health` rate measured just before with the same clients.
//! - Dashboard: the leaders' aggregates for one year on a city-scale and a province-scale
//!   database (made once by `humiao gen` and kept), through HTTP and as the same SQL run
//!   directly on the database.
//! - Memory: the server's peak resident set (VmHWM) over each run.
//! - Export: about 100,000 sessions as CSV and as Excel against about 1,000, time and peak
//!   memory.
//!
//! `--only writes|dashboard|export` runs one section.

mod export;
mod load;
mod report;
mod setup;

use anyhow::Result;
use humiao_tests::database::Engine;

use report::Report;

pub struct Options {
    /// Seconds of write load (20 by default; `--quick` makes it 3 for a smoke run).
    pub write_secs: u64,
    pub clients: usize,
    /// Province scale is generated for these many years.
    pub province_years: u16,
}

#[tokio::main]
async fn main() -> Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let options = Options {
        write_secs: if quick { 3 } else { 20 },
        clients: 64,
        province_years: if quick { 1 } else { 5 },
    };
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let runs = |section: &str| only.is_none_or(|o| o == section);
    let mut report = Report::default();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        if !runs("writes") && !runs("dashboard") {
            break;
        }
        println!("== {} ==", engine.name());
        if runs("writes") {
            load::writes(engine, &options, &mut report).await?;
        }
        if runs("dashboard") {
            for scale in ["city", "province"] {
                load::dashboard(engine, scale, &options, &mut report).await?;
            }
        }
    }
    let mut exports = Vec::new();
    if runs("export") {
        export::exports(&mut exports).await?;
    }
    let mut table = String::new();
    if only.is_none_or(|o| o != "export") {
        table = report.markdown(&options);
    }
    if !exports.is_empty() {
        table.push_str(&format!("\n{}", export::markdown(&exports)));
    }
    println!("\n{table}");
    let path = humiao_tests::browser::screenshot_dir().join("../bench.md");
    std::fs::write(&path, &table)?;
    println!("written to {}", path.display());
    Ok(())
}
