//! `cargo xtask bench`: measures the release server on SQLite and on PostgreSQL and prints
//! a Markdown table (also written to `target/bench.md`).
//!
//! - Writes: 64 clients post sessions for 20 s; throughput, p50 and p99, beside the same
//!   server's `GET /api/health` rate measured just before with the same clients.
//! - Dashboard: the leaders' page replayed request for request as the browser asks for it,
//!   for one year on a city-scale and a province-scale database (made once by `humiao gen`
//!   and kept): opening it, then drilling down one level at a time (`page.rs`).
//! - Memory: the server's peak resident set (VmHWM) over each run.
//! - Charts: each chart drawn for a city-year, as SVG and as PNG (`charts.rs`).
//! - Annual report: `GET /report/2025` on the same databases (`annual_report.rs`).
//! - Web: the release WASM's size and the dashboard's first paint in headless Chromium
//!   (`web.rs`), and the app on a slow phone (`phone.rs`; `--only phone` runs it alone).
//! - Imports: 10,000 sessions from one CSV and one XLSX file, dry run and real (`import.rs`).
//! - Export: about 100,000 sessions as CSV and as Excel against about 1,000, time and peak
//!   memory (`export.rs`).
//!
//! `--only NAME` runs one part alone: one of [`PARTS`]; `--engine sqlite|postgres` runs the
//! writes and the dashboard on that engine alone.
//!
//! `humiao-bench fixture upgrade` measures nothing: it writes the upgrade test's fixture
//! (`cargo xtask fixture upgrade`, see `fixture.rs`).

mod annual_report;
mod charts;
mod export;
mod fixture;
mod import;
mod load;
mod page;
mod phone;
mod report;
mod setup;
mod web;

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

/// The parts `--only` can name.
const PARTS: [&str; 8] = [
    "writes",
    "dashboard",
    "import",
    "export",
    "charts",
    "report",
    "web",
    "phone",
];

#[tokio::main]
async fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some("fixture") {
        return fixture::run(&std::env::args().skip(2).collect::<Vec<_>>()).await;
    }
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
        .map(|i| args.get(i + 1).map(String::as_str).unwrap_or_default());
    if let Some(part) = only {
        anyhow::ensure!(
            PARTS.contains(&part),
            "--only takes one of {PARTS:?}, not {part:?}"
        );
    }
    let runs = |part: &str| only.is_none_or(|o| o == part);
    // `--engine sqlite|postgres`: the writes and the dashboard on one engine only.
    let engines: Vec<Engine> = match args.iter().position(|a| a == "--engine") {
        None => vec![Engine::Sqlite, Engine::Postgres],
        Some(i) => match args.get(i + 1).map(String::as_str) {
            Some("sqlite") => vec![Engine::Sqlite],
            Some("postgres") => vec![Engine::Postgres],
            other => anyhow::bail!("--engine takes sqlite or postgres, not {other:?}"),
        },
    };
    let mut report = Report::default();
    let mut pages = Vec::new();
    for engine in engines {
        if !runs("writes") && !runs("dashboard") {
            break;
        }
        println!("== {} ==", engine.name());
        if runs("writes") {
            load::writes(engine, &options, &mut report).await?;
        }
        if runs("dashboard") {
            for scale in ["city", "province"] {
                pages.push(page::measure(engine, scale, &options).await?);
            }
        }
    }
    let mut imports = Vec::new();
    if runs("import") {
        for engine in [Engine::Sqlite, Engine::Postgres] {
            println!("== import, {} ==", engine.name());
            import::run(engine, &mut imports).await?;
        }
    }
    let mut exports = Vec::new();
    if runs("export") {
        println!("== export ==");
        export::exports(&mut exports).await?;
    }
    if runs("charts") {
        println!("== charts ==");
        charts::charts(&mut report).await?;
    }
    let mut table = report.markdown(&options);
    if !pages.is_empty() {
        table.push('\n');
        table.push_str(&page::markdown(&pages));
    }
    if !imports.is_empty() {
        table.push('\n');
        table.push_str(&import::markdown(&imports));
    }
    if !exports.is_empty() {
        table.push('\n');
        table.push_str(&export::markdown(&exports));
    }
    if runs("report") {
        println!("== annual report ==");
        let mut annual = Vec::new();
        for engine in [Engine::Sqlite, Engine::Postgres] {
            for (scale, one_city) in [("city", false), ("province", false), ("province", true)] {
                annual.push(annual_report::measure(engine, scale, one_city, &options).await?);
            }
        }
        table.push('\n');
        table.push_str(&annual_report::markdown(&annual));
    }
    if runs("web") {
        println!("== web app ==");
        table.push('\n');
        table.push_str(&web::measure(options.province_years).await?.markdown());
    }
    if runs("web") || only == Some("phone") {
        println!("== web app on a slow phone ==");
        table.push('\n');
        table.push_str(&phone::markdown(
            &phone::measure(&humiao_tests::site_dir()).await?,
        ));
    }
    println!("\n{table}");
    // The screenshots' folder is there only after the browser tests ran.
    let dir = humiao_tests::browser::screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("../bench.md");
    std::fs::write(&path, &table)?;
    println!("written to {}", path.display());
    Ok(())
}
